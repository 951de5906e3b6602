import { combinedName, errorsByStack } from './stacks-as-modules';

// As terraform 1.11 prints a failed plan of a combined root with -no-color (the snippet line, the
// whole one-line cdk.tf.json, elided).
const block = (stack: string, file: string, summary: string, detail: string) =>
  `Error: ${summary}\n\n  on ${stack}/${file} line 1, in resource.aws_db_subnet_group.aurora:\n   1: {"//":{...}}\n    ├────────────────\n    │ data.terraform_remote_state.infra.outputs is object with 23 attributes\n\n${detail}\n`;
const stacks = [{ name: 'bootstrap' }, { name: 'eu-west-data' }, { name: 'global-edge' }];

describe('errors of a combined run, charged to their stacks', () => {
  it("gives each stack its own error blocks, warnings and the other stacks' errors left out", () => {
    const output = [
      block('eu-west-data', 'cdk.tf.json', 'Unsupported attribute', 'This object does not have an attribute named "dataSubnetIdz".'),
      'Warning: Argument is deprecated\n\n  on bootstrap/cdk.tf.json line 1:\n   1: {}\n\nUse something else.\n',
      block('global-edge', 'zz_offline_override.tf.json', 'Invalid value', 'The value is not valid.'),
      block('eu-west-data', 'cdk.tf.json', 'Invalid index', 'The given key does not identify an element in this collection value.'),
    ].join('\n');
    const byStack = errorsByStack(output, stacks)!;
    expect([...byStack.keys()]).toEqual(['eu-west-data', 'global-edge']);
    expect(
      byStack
        .get('eu-west-data')!
        .split('\n\n')
        .filter((part) => part.startsWith('Error: ')),
    ).toEqual(['Error: Unsupported attribute', 'Error: Invalid index']);
    expect(byStack.get('eu-west-data')).toContain('named "dataSubnetIdz".');
    expect(byStack.get('eu-west-data')).not.toContain('Warning');
    // An error in a stack's override file (the offline provider settings) is still that stack's.
    expect(byStack.get('global-edge')).toMatch(/^Error: Invalid value\n\n {2}on global-edge\/zz_offline_override\.tf\.json line 1/);
  });

  it('charges nothing when any error names no stack folder, or a folder that is no stack of the run', () => {
    const ofStack = block('eu-west-data', 'cdk.tf.json', 'Unsupported attribute', 'x');
    const noFile = 'Error: Failed to load plugin schemas\n\nError while loading schemas for plugin components: ...\n';
    const rootModule =
      'Error: Unsupported argument\n\n  on main.tf.json line 1, in module.eu_west_data:\n   1: {}\n\nAn argument named "x" is not expected here.\n';
    expect(errorsByStack(`${ofStack}\n${noFile}`, stacks)).toBeUndefined();
    expect(errorsByStack(`${ofStack}\n${rootModule}`, stacks)).toBeUndefined();
    expect(errorsByStack(block('us-east-data', 'cdk.tf.json', 'Unsupported attribute', 'x'), stacks)).toBeUndefined();
    // Output with no error at all (a crash, a signal) charges nothing either.
    expect(errorsByStack('panic: runtime error\n', stacks)).toBeUndefined();
  });
});

describe('combined folder names', () => {
  it('stay short and differ per set of stacks', () => {
    const many = Array.from({ length: 42 }, (_, i) => ({ name: `region-${i}-infrastructure-stack` }));
    expect(combinedName(many)).toMatch(/^42-stacks-[0-9a-f]{12}$/);
    expect(combinedName(stacks)).not.toBe(combinedName(stacks.slice(1)));
  });
});
