import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseDiagnostics, sharedProgramSources, typecheckProjects, type TypecheckJob } from './typecheck-projects';

const OWN_SOURCES = '{ "extends": "../tsconfig.base.json", "include": ["src/**/*.ts"] }\n';

function scratchWorkspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'typecheck-'));
  const files: Record<string, string> = {
    'tsconfig.base.json':
      '{ "compilerOptions": { "strict": true, "noEmit": true, "types": [], "module": "preserve", "moduleResolution": "bundler" } }\n',
    'fine/tsconfig.json': OWN_SOURCES,
    'fine/src/index.ts': 'export const fine: number = 1;\n',
    'broken/tsconfig.json': OWN_SOURCES,
    'broken/src/index.ts': 'export const broken: number = "one";\n',
    // Imports the broken project: the error stays the broken project's.
    'user/tsconfig.json': OWN_SOURCES,
    'user/src/index.ts': "import { broken } from '../../broken/src/index';\nexport const doubled = broken * 2;\n",
    // Options of its own: checked on its own, with them.
    'loose/tsconfig.json': '{ "extends": "../tsconfig.base.json", "compilerOptions": { "noImplicitAny": false }, "include": ["src/**/*.ts"] }\n',
    'loose/src/index.ts': 'export function loose(a) { return a; }\nexport const wrong: string = 2;\n',
    'orphan/tsconfig.json': '{ "extends": "../missing.json", "include": ["src/**/*.ts"] }\n',
    'orphan/src/index.ts': 'export {};\n',
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('typecheck executor', () => {
  const root = scratchWorkspace();
  const job = (project: string): TypecheckJob => ({ project, projectRoot: project, tsConfig: `${project}/tsconfig.json` });
  const results = Object.fromEntries(typecheckProjects(root, ['fine', 'broken', 'user', 'loose', 'orphan'].map(job)).map((r) => [r.job.project, r]));

  it('checks the projects that only extend the base in one program, and says so', () => {
    expect(results['fine']).toMatchObject({ success: true, output: 'typecheck: no errors in fine (checked in one program with 2 other projects)\n' });
  });

  it('charges a diagnostic to the project holding its file, not to the projects importing it', () => {
    expect(results['broken']).toMatchObject({
      success: false,
      output: "broken/src/index.ts(1,14): error TS2322: Type 'string' is not assignable to type 'number'.\n",
    });
    expect(results['user']!.success).toBe(true);
  });

  it('checks a project with options of its own on its own, with those options', () => {
    // noImplicitAny: false lets `a` pass; the wrong type still fails.
    expect(results['loose']).toMatchObject({
      success: false,
      output: "loose/src/index.ts(2,14): error TS2322: Type 'number' is not assignable to type 'string'.\n",
    });
  });

  it('fails a project whose run fails before any file is checked, with the reason', () => {
    expect(results['orphan']!.success).toBe(false);
    expect(results['orphan']!.output).toMatch(/error TS5083: Cannot read file '.*missing\.json'/);
  });

  it('reads which tsconfigs can share the program', () => {
    expect(sharedProgramSources(root, job('fine'))).toEqual(['fine/src/**/*.ts']);
    expect(sharedProgramSources(root, job('loose'))).toBeUndefined();
    expect(sharedProgramSources(root, job('orphan'))).toBeUndefined();
  });

  it("parses tsc's output: a located diagnostic with its continuation lines, and one about the run", () => {
    expect(
      parseDiagnostics(
        "a/x.ts(3,5): error TS2345: Argument of type 'A' is not assignable.\n  Type 'A' is missing b.\nerror TS5083: Cannot read file 'c.json'.\n",
      ),
    ).toEqual([
      { file: 'a/x.ts', text: "a/x.ts(3,5): error TS2345: Argument of type 'A' is not assignable.\n  Type 'A' is missing b." },
      { file: undefined, text: "error TS5083: Cannot read file 'c.json'." },
    ]);
  });
});
