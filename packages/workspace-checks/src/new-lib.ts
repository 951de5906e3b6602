// `npm run new:lib -- <name>`: a construct library laid out like the others (docs/guides/adding-a-region.md,
// "Adding a construct library"): libs/<name>/ with project.json (type:lib; lint, typecheck, test), tsconfig.json,
// jest.config.js, a README to fill, src/index.ts, one construct and its spec, and the `@platform/<name>` path
// in tsconfig.base.json. The spec starts as `it.todo`, which jest lists as todo, never as passed.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { prettierJson } from './prettier-json';

const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/** `dns-records` -> `DnsRecords`. */
function className(name: string): string {
  return name
    .split('-')
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

/** The files of a new lib, keyed by path relative to the workspace root (formatted as Prettier would). */
export function libFiles(name: string): Record<string, string> {
  const cls = className(name);
  return {
    [`libs/${name}/project.json`]: prettierJson({
      $schema: '../../node_modules/nx/schemas/project-schema.json',
      name,
      projectType: 'library',
      sourceRoot: `libs/${name}/src`,
      tags: ['type:lib'],
      targets: { lint: {}, typecheck: {}, test: {} },
    }),
    [`libs/${name}/tsconfig.json`]: `{\n  "extends": "../../tsconfig.base.json",\n  "include": ["src/**/*.ts"]\n}\n`,
    [`libs/${name}/jest.config.js`]: `module.exports = { ...require('../../jest.preset.js'), rootDir: __dirname, displayName: '${name}' };\n`,
    [`libs/${name}/README.md`]: [
      `# @platform/${name}`,
      '',
      '```ts',
      `new ${cls}(this, '${name}', {});`,
      '```',
      '',
      'What it makes, what it refuses, and which stack uses it (write this before the first review).',
      '',
    ].join('\n'),
    [`libs/${name}/src/index.ts`]: `export * from './${name}';\n`,
    [`libs/${name}/src/${name}.ts`]: [
      "import { Construct } from 'constructs';",
      '',
      '/** (The inputs a caller decides; give every field a short comment.) */',
      `export type ${cls}Props = Record<string, never>;`,
      '',
      `/** (Say what this construct makes and why, in one or two lines.) */`,
      `export class ${cls} extends Construct {`,
      `  constructor(scope: Construct, id: string, _props: ${cls}Props) {`,
      '    super(scope, id);',
      '  }',
      '}',
      '',
    ].join('\n'),
    [`libs/${name}/src/${name}.spec.ts`]: [
      `describe('${cls}', () => {`,
      '  // Assert the values that matter (ports, actions, keys, regions), then break the code once to see this fail.',
      `  it.todo('makes what it promises');`,
      '});',
      '',
    ].join('\n'),
  };
}

/** tsconfig.base.json with `@platform/<name>` added at the end of the paths. */
export function withPathAlias(tsconfigBase: string, name: string): string {
  const config = JSON.parse(tsconfigBase) as { compilerOptions: { paths: Record<string, string[]> } };
  config.compilerOptions.paths[`@platform/${name}`] = [`./libs/${name}/src/index.ts`];
  return prettierJson(config);
}

/** Writes the lib; refuses a bad or taken name before writing anything. Returns the paths written. */
export function newLib(root: string, name: string | undefined): string[] {
  if (!name || !NAME.test(name))
    throw new Error(`lib name ${JSON.stringify(name ?? '')} is not kebab-case; fix: npm run new:lib -- <name>, e.g. npm run new:lib -- dns-records`);
  if (existsSync(join(root, 'libs', name))) throw new Error(`libs/${name} exists already; fix: pick another name`);
  const tsconfigPath = join(root, 'tsconfig.base.json');
  const tsconfig = readFileSync(tsconfigPath, 'utf8');
  if ((JSON.parse(tsconfig) as { compilerOptions: { paths: Record<string, unknown> } }).compilerOptions.paths[`@platform/${name}`])
    throw new Error(`tsconfig.base.json already maps @platform/${name}; fix: pick another name`);
  const files = libFiles(name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  writeFileSync(tsconfigPath, withPathAlias(tsconfig, name));
  return [...Object.keys(files), 'tsconfig.base.json'];
}

if (require.main === module) {
  try {
    const written = newLib(resolve(__dirname, '../../..'), process.argv[2]);
    console.log(`wrote ${written.join(', ')}\nnext: write the construct and its spec, then use it from a stack (docs/guides/adding-a-region.md)`);
  } catch (error) {
    console.error((error as Error).message);
    process.exitCode = 1;
  }
}
