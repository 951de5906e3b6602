import { PlatformStack, synthesizeStack, testContext } from '@platform/stack-kit';
import { TerraformOutput, Testing } from 'cdktf';
import { defineContract, publishedContracts, publishOutputs, readOutputs } from './contract';

const regionContract = defineContract({
  name: 'test-region',
  stackName: (region: string) => `${region}-producer`,
  outputs: {
    vpcId: { kind: 'string', description: 'VPC' },
    routeTableIds: { kind: 'list', description: 'route tables' },
    keyArns: { kind: 'map', description: 'key per region' },
  },
});

describe('stack contracts', () => {
  const context = testContext();

  it('publishes exactly the declared outputs, with their descriptions', () => {
    const stack = new PlatformStack(Testing.app(), 'us-east-producer', context);
    publishOutputs(stack, regionContract, { vpcId: 'vpc-1', routeTableIds: ['rtb-1', 'rtb-2'], keyArns: { 'us-east': 'k1' } }, 'us-east');
    expect(synthesizeStack(stack).output).toEqual({
      vpcId: { value: 'vpc-1', description: 'VPC' },
      routeTableIds: { value: ['rtb-1', 'rtb-2'], description: 'route tables' },
      keyArns: { value: { 'us-east': 'k1' }, description: 'key per region' },
    });
  });

  it('refuses a producer that leaves out a declared output or adds one', () => {
    const stack = new PlatformStack(Testing.app(), 'us-east-producer', context);
    expect(() => publishOutputs(stack, regionContract, { vpcId: 'vpc-1' } as never, 'us-east')).toThrow(
      /missing \[routeTableIds, keyArns\], undeclared \[\]/,
    );
    expect(() => publishOutputs(stack, regionContract, { vpcId: 'v', routeTableIds: [], keyArns: {}, extra: 'x' } as never, 'us-east')).toThrow(
      /undeclared \[extra\]/,
    );
  });

  it('names every missing and undeclared output, and marks sensitive outputs sensitive', () => {
    const stack = new PlatformStack(Testing.app(), 'us-east-producer', context);
    expect(() => publishOutputs(stack, regionContract, { vpcId: 'v', routeTableIds: [], keyArns: {}, a: 1, b: 2 } as never, 'us-east')).toThrow(
      'stack us-east-producer does not match contract test-region: missing [], undeclared [a, b]; fix: declare outputs in libs/stack-contracts/src/contracts.ts and publish all of them',
    );
    const secret = defineContract({
      name: 'secret',
      stackName: () => 'holder',
      outputs: { value: { kind: 'string', sensitive: true, description: 'a secret' }, plain: { kind: 'string', description: 'not one' } },
    });
    const holder = new PlatformStack(Testing.app(), 'holder', context);
    publishOutputs(holder, secret, { value: 'x', plain: 'y' });
    expect(synthesizeStack(holder).output).toEqual({
      value: { value: 'x', description: 'a secret', sensitive: true },
      plain: { value: 'y', description: 'not one' },
    });
  });

  it('remembers which contracts each stack publishes, in order', () => {
    const stack = new PlatformStack(Testing.app(), 'us-east-producer', context);
    expect(publishedContracts(stack)).toEqual([]);
    const other = defineContract({
      name: 'other',
      stackName: (region: string) => `${region}-producer`,
      outputs: { x: { kind: 'string', description: 'x' } },
    });
    publishOutputs(stack, regionContract, { vpcId: 'v', routeTableIds: [], keyArns: {} }, 'us-east');
    publishOutputs(stack, other, { x: '1' }, 'us-east');
    expect(publishedContracts(stack)).toEqual(['test-region', 'other']);
  });

  it('refuses a contract published from the wrong stack (the consumers would read another state key)', () => {
    const stack = new PlatformStack(Testing.app(), 'eu-west-producer', context);
    expect(() => publishOutputs(stack, regionContract, { vpcId: 'v', routeTableIds: [], keyArns: {} }, 'us-east')).toThrow(
      /published by stack "us-east-producer", not "eu-west-producer"/,
    );
  });

  it('gives consumers typed reads from the producer state', () => {
    const stack = new PlatformStack(Testing.app(), 'consumer', context);
    const remote = readOutputs(stack, 'us-east', regionContract, context, 'us-east');
    new TerraformOutput(stack, 'copied', { value: { vpc: remote.vpcId, tables: remote.routeTableIds, key: remote.keyArns['eu-west'] } });
    const json = synthesizeStack(stack);
    expect(json.data?.['terraform_remote_state']?.['us-east']).toMatchObject({
      backend: 's3',
      config: { key: 'prod/us-east-producer/terraform.tfstate' },
    });
    expect(json.output?.['copied']?.value).toEqual({
      vpc: '${data.terraform_remote_state.us-east.outputs.vpcId}',
      tables: '${data.terraform_remote_state.us-east.outputs.routeTableIds}',
      key: '${data.terraform_remote_state.us-east.outputs.keyArns["eu-west"]}',
    });
  });

  it('makes an undeclared output a compile error and, for untyped code, a synth error', () => {
    const stack = new PlatformStack(Testing.app(), 'consumer', context);
    const remote = readOutputs(stack, 'us-east', regionContract, context, 'us-east');
    // @ts-expect-error subnetIds is not declared by the contract: the type checker refuses it.
    expect(() => remote.subnetIds).toThrow(
      'stack us-east-producer publishes no output "subnetIds" (contract test-region declares: vpcId, routeTableIds, keyArns)',
    );
  });
});
