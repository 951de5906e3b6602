import { changedStacks, removedStacks } from './changed-stacks';
import type { SynthesizedStack, TerraformJson } from './synth-output';

/** A stack with one bucket, the given outputs and the stacks whose state it reads. */
function stack(
  name: string,
  options: { bucket?: string; outputs?: Record<string, string>; reads?: string[]; cdktfVersion?: string } = {},
): SynthesizedStack {
  const json: TerraformJson & Record<string, unknown> = {
    '//': { metadata: { version: options.cdktfVersion ?? '0.21.0', stackName: name } },
    resource: { aws_s3_bucket: { b: { bucket: options.bucket ?? `${name}-bucket` } } },
    data: {
      terraform_remote_state: Object.fromEntries(
        (options.reads ?? []).map((r) => [r, { backend: 's3', config: { key: `prod/${r}/terraform.tfstate` } }]),
      ),
    },
    output: Object.fromEntries(Object.entries(options.outputs ?? {}).map(([k, v]) => [k, { value: v }])),
  };
  return { app: 'a', name, dir: `/x/${name}`, json, providers: ['aws'], providerVersions: {}, readsRemoteState: (options.reads ?? []).length > 0 };
}

const base = [
  stack('global-foundation', { outputs: { zone: 'z1' } }),
  stack('us-east-infra', { reads: ['global-foundation'], outputs: { vpc: 'v' } }),
  stack('us-east-platform', { reads: ['us-east-infra'] }),
  stack('eu-west-infra', { reads: ['global-foundation'] }),
];

describe('changedStacks', () => {
  it("plans nothing when no stack's JSON changed (a docs-only or test-only pull request)", () => {
    expect(
      changedStacks(
        base.map((s) =>
          stack(s.name, {
            outputs: Object.fromEntries(Object.entries(s.json.output ?? {}).map(([k, v]) => [k, String(v.value)])),
            reads: Object.keys(s.json.data?.['terraform_remote_state'] ?? {}),
          }),
        ),
        base,
      ),
    ).toEqual([]);
  });

  it("ignores cdktf's own metadata (its version), which is not configuration", () => {
    const head = base.map((s) => ({ ...s, json: { ...s.json, '//': { metadata: { version: '0.21.1' } } } as TerraformJson }));
    expect(changedStacks(head, base)).toEqual([]);
  });

  it('plans a stack whose configuration changed, and not its readers when its outputs did not change', () => {
    const head = [base[0]!, stack('us-east-infra', { reads: ['global-foundation'], outputs: { vpc: 'v' }, bucket: 'renamed' }), base[2]!, base[3]!];
    expect(changedStacks(head, base)).toEqual([{ stack: 'us-east-infra', reason: 'configuration' }]);
  });

  it('plans every reader, transitively, of a stack whose outputs changed', () => {
    const head = [stack('global-foundation', { outputs: { zone: 'z2' } }), base[1]!, base[2]!, base[3]!];
    expect(changedStacks(head, base)).toEqual([
      { stack: 'global-foundation', reason: 'configuration' },
      { stack: 'us-east-infra', reason: 'reads global-foundation' },
      { stack: 'us-east-platform', reason: 'reads us-east-infra' },
      { stack: 'eu-west-infra', reason: 'reads global-foundation' },
    ]);
  });

  it('plans a new stack and reports a removed one', () => {
    const head = [...base.slice(0, 3), stack('apac-infra', { reads: ['global-foundation'] })];
    expect(changedStacks(head, base)).toEqual([{ stack: 'apac-infra', reason: 'new' }]);
    expect(removedStacks(head, base)).toEqual(['eu-west-infra']);
  });
});
