import { loadEnvironment, seedRegionsConfig } from '@platform/config';
import { readSynthesizedApp, type OfflinePlanResult, type SynthesizedStack } from '@platform/terraform-check';
import { join, resolve } from 'node:path';
import {
  declaredOutputs,
  explainContractFailure,
  fakeOutput,
  knownAtPlan,
  outputsRead,
  plannedOutputs,
  producerOf,
  refuseReadCycles,
  servedOutputs,
  servedRemoteState,
} from './offline-remote-state';

const config = loadEnvironment('prod');
const apps = resolve(__dirname, '../../../apps');
const all = ['bootstrap', 'global', 'us-east', 'eu-west', 'apac'].flatMap((app) => readSynthesizedApp(join(apps, app), 'prod'));
const named = (name: string) => all.find((s) => s.name === name)!;

describe('contract-shaped fake outputs', () => {
  it('are deterministic and shaped like what the name promises, per region for maps', () => {
    expect(fakeOutput('global-foundation', 'dataKeyArns', { kind: 'map', description: '' }, seedRegionsConfig())).toEqual({
      'us-east': 'arn:aws:kms:us-east-1:111111111111:key/offline-global-foundation-dataKeyArns-us-east',
      'eu-west': 'arn:aws:kms:eu-west-1:111111111111:key/offline-global-foundation-dataKeyArns-eu-west',
      apac: 'arn:aws:kms:ap-southeast-1:111111111111:key/offline-global-foundation-dataKeyArns-apac',
    });
    expect(fakeOutput('eu-west-infra', 'dataSubnetIds', { kind: 'list', description: '' }, config)).toEqual([
      'offline-eu-west-infra-dataSubnetIds-0',
      'offline-eu-west-infra-dataSubnetIds-1',
      'offline-eu-west-infra-dataSubnetIds-2',
    ]);
    expect(fakeOutput('us-east-data', 'auroraSecretArn', { kind: 'string', description: '' }, config)).toBe(
      'arn:aws:secretsmanager:us-east-1:111111111111:secret:offline-us-east-data-auroraSecretArn-AbCdEf',
    );
    // Alias targets: Route 53 takes a zone id of at most 32 characters and a DNS name.
    expect(fakeOutput('us-east-infra', 'originLoadBalancerZoneId', { kind: 'string', description: '' }, config)).toBe('ZOFFLINEUSEASTINFRA');
    expect(fakeOutput('us-east-infra', 'originLoadBalancerDnsName', { kind: 'string', description: '' }, config)).toBe(
      'originloadbalancerdnsname.offline.invalid',
    );
  });
});

describe("contract failures explained from terraform's error text", () => {
  // As terraform 1.11 prints them: the snippet is the whole one-line cdk.tf.json (elided here), the
  // line under it names the value it could not use.
  const error = (value: string, message: string) =>
    `Error: ${message.split(':')[0]}\n\n  on cdk.tf.json line 1, in resource.aws_rds_cluster.aurora_cluster_059EF40F:\n   1: {"//":{...},"data":{"terraform_remote_state":{"infra":{...}}}}\n    ├────────────────\n    │ ${value}\n\n${message.split(': ').slice(1).join(': ')}\n`;
  const declared = new Map([['eu-west-infra', { dataSubnetIds: { kind: 'list' as const, description: '' } }]]);
  const data = named('eu-west-data');

  it("names consumer, producer and output for an output the producer does not publish, before terraform's own text", () => {
    const text = error(
      'data.terraform_remote_state.infra.outputs is object with 12 attributes',
      'Unsupported attribute: This object does not have an attribute named "dataSubnetIdz".',
    );
    expect(explainContractFailure(data, text, declared).split('\n')[0]).toBe(
      'eu-west-data reads output "dataSubnetIdz" of eu-west-infra, which eu-west-infra does not publish (its contract in libs/stack-contracts declares no such output); fix: read a declared output, or declare and publish it',
    );
    expect(explainContractFailure(data, text, declared).endsWith(text)).toBe(true);
  });

  it('names the declared kind for an output read as another kind, once however often terraform repeats it', () => {
    const text = error(
      'data.terraform_remote_state.infra.outputs.dataSubnetIds is list of string with 3 elements',
      'Invalid index: The given key does not identify an element in this collection value: a number\nis required.',
    );
    expect(explainContractFailure(data, `${text}\n${text}`, declared).split('\n').slice(0, 2)).toEqual([
      'eu-west-data reads output "dataSubnetIds" of eu-west-infra as another kind than eu-west-infra publishes (its contract in libs/stack-contracts declares a list; the value is list of string with 3 elements: The given key does not identify an element in this collection value: a number is required.); fix: read it as a list, or change the contract and what eu-west-infra publishes',
      'Error: Invalid index',
    ]);
  });

  it('explains each broken read on a line of its own, the last one whole even where the error text was trimmed', () => {
    const missing = error(
      'data.terraform_remote_state.infra.outputs is object with 12 attributes',
      'Unsupported attribute: This object does not have an attribute named "dataSubnetIdz".',
    );
    const otherKind = error(
      'data.terraform_remote_state.infra.outputs.dataSubnetIds is list of string with 3 elements',
      'Invalid index: The given key does not identify an element in this collection value: a number\nis required.',
    ).trimEnd();
    const lines = explainContractFailure(data, `${missing}\n${otherKind}`, declared).split('\n');
    expect(lines[0]).toMatch(/^eu-west-data reads output "dataSubnetIdz" of eu-west-infra, which eu-west-infra does not publish/);
    expect(lines[1]).toContain(
      '(its contract in libs/stack-contracts declares a list; the value is list of string with 3 elements: The given key does not identify an element in this collection value: a number is required.)',
    );
  });

  it('says so when the producer declares no contract at all, and falls back to the data source name when the read is unknown', () => {
    const text = error(
      'data.terraform_remote_state.infra.outputs.dataSubnetIds is list of string with 3 elements',
      'Invalid index: The given key does not identify an element in this collection value.',
    );
    expect(explainContractFailure(data, text, new Map()).split('\n')[0]).toBe(
      'eu-west-data reads output "dataSubnetIds" of eu-west-infra as another kind than eu-west-infra publishes (its contract in libs/stack-contracts declares no such output; the value is list of string with 3 elements: The given key does not identify an element in this collection value.); fix: read it as a declared output, or change the contract and what eu-west-infra publishes',
    );
    // The producer's contract, without that output.
    const otherOutputs = new Map([['eu-west-infra', { privateSubnetIds: { kind: 'list' as const, description: '' } }]]);
    expect(explainContractFailure(data, text, otherOutputs).split('\n')[0]).toContain('declares no such output;');
    // A consumer whose JSON reads no state (the error came from elsewhere): named by the data source.
    expect(explainContractFailure({ ...data, json: {} }, text, declared).split('\n')[0]).toMatch(
      /^eu-west-data reads output "dataSubnetIds" of infra as another kind/,
    );
  });

  it('leaves an error that is not about a contract as terraform wrote it', () => {
    const text = 'Error: Unsupported argument\n\n  on cdk.tf.json line 1:\nAn argument named "no_such_argument" is not expected here.\n';
    expect(explainContractFailure(data, text, declared)).toBe(text);
  });
});

describe('what a consumer reads, and what a plan knows', () => {
  it('lists the outputs a consumer reads of each remote state, or none when it passes the object on whole', () => {
    expect(outputsRead(named('eu-west-data'), 'home-data')).toEqual(['auroraSecretArn', 'redisAuthSecretArn', 'redisGlobalReplicationGroupId']);
    // A map read by key is the map's name.
    expect(outputsRead(named('eu-west-data'), 'global-foundation')).toEqual(['auroraGlobalClusterId', 'auroraWriterEndpoint', 'dataKeyArns']);
    expect(outputsRead(named('eu-west-data'), 'no-such-state')).toEqual([]);
    const whole: SynthesizedStack = {
      ...named('eu-west-data'),
      json: {
        output: {
          all: { value: '${data.terraform_remote_state.infra.outputs}' },
          id: { value: '${data.terraform_remote_state.infra.outputs.vpcId}' },
        },
      },
    };
    expect(outputsRead(whole, 'infra')).toBeUndefined();
  });

  it('takes an output as known at plan unless it names only attributes its resources leave to AWS', () => {
    const foundation = named('global-foundation');
    // The global cluster's identifier is set in its configuration; its endpoint and the keys' ARNs AWS assigns.
    expect(knownAtPlan(foundation, 'auroraGlobalClusterId')).toBe(true);
    expect(knownAtPlan(foundation, 'auroraWriterEndpoint')).toBe(false);
    expect(knownAtPlan(foundation, 'dataKeyArns')).toBe(false); // a map of replica key ARNs
    expect(knownAtPlan(named('eu-west-infra'), 'vpcId')).toBe(false);
    const producer = (value: unknown): SynthesizedStack => ({
      ...foundation,
      json: { resource: { aws_s3_bucket: { logs: { bucket: 'logs' } } }, output: { out: { value } } },
    });
    expect(knownAtPlan(producer('fixed'), 'out')).toBe(true); // a literal
    expect(knownAtPlan(producer('${aws_s3_bucket.logs.bucket}'), 'out')).toBe(true);
    expect(knownAtPlan(producer('${aws_s3_bucket.logs.arn}'), 'out')).toBe(false);
    expect(knownAtPlan(producer('${aws_s3_bucket.logs[0].arn}'), 'out')).toBe(false);
    expect(knownAtPlan(producer('${aws_s3_bucket.logs[12].arn}'), 'out')).toBe(false);
    // A stack with no resources at all: nothing to judge by.
    expect(knownAtPlan({ ...foundation, json: { output: { out: { value: '${aws_s3_bucket.logs.arn}' } } } }, 'out')).toBe(true);
    expect(knownAtPlan(producer({ a: '${aws_s3_bucket.logs.arn}', b: '${aws_s3_bucket.logs.bucket}' }), 'out')).toBe(true); // partly known
    expect(knownAtPlan(producer('${aws_s3_bucket.other.arn}'), 'out')).toBe(true); // no such resource: no guess
    expect(knownAtPlan(producer('${aws_s3_bucket.logs.*.arn}'), 'out')).toBe(true); // a splat: no guess
    expect(knownAtPlan(producer('${join(",", [aws_s3_bucket.logs.arn, var.suffix])}'), 'out')).toBe(true);
    expect(knownAtPlan(producer('${data.aws_region.current.name}'), 'out')).toBe(true);
    expect(knownAtPlan(producer('x'), 'not-published')).toBe(true);
    // Configured, but by a function terraform evaluates on apply: the foundation's origin-verify secret.
    expect(knownAtPlan(foundation, 'originVerifyValues')).toBe(false);
    const made = (value: string): SynthesizedStack => ({
      ...foundation,
      json: { resource: { aws_s3_bucket: { logs: { bucket: value } } }, output: { out: { value: '${aws_s3_bucket.logs.bucket}' } } },
    });
    expect(knownAtPlan(made('${uuid()}'), 'out')).toBe(false);
    expect(knownAtPlan(made('logs-${timestamp()}'), 'out')).toBe(false);
    expect(knownAtPlan(made('${uuidv5("dns", "x")}'), 'out')).toBe(true); // deterministic
  });
});

describe('cycles of state reads', () => {
  const remote = (producer: string) => ({ backend: 's3', config: { key: `prod/${producer}/terraform.tfstate` } });
  const reading = (name: string, ...producers: string[]): SynthesizedStack => ({
    ...named('bootstrap'),
    name,
    json: { data: { terraform_remote_state: Object.fromEntries(producers.map((producer) => [producer, remote(producer)])) } },
  });

  it('refuses stacks that read each other in a cycle, naming it, however long', () => {
    expect(() => refuseReadCycles([reading('a', 'b'), reading('b', 'a')])).toThrow(
      "stacks read each other's state in a cycle: a -> b -> a; fix: break the cycle in libs/stack-contracts",
    );
    expect(() => refuseReadCycles([reading('a', 'x', 'b'), reading('b', 'c'), reading('c', 'a')])).toThrow(
      "stacks read each other's state in a cycle: a -> b -> c -> a;",
    );
  });

  it("passes the environment's stacks, a stack reading its own state, and a producer read by many", () => {
    expect(() => refuseReadCycles(all)).not.toThrow();
    expect(() => refuseReadCycles([reading('a', 'a')])).not.toThrow();
    expect(() => refuseReadCycles([reading('a', 'c'), reading('b', 'c'), reading('c'), reading('d', 'a', 'b')])).not.toThrow();
  });
});

describe('fakes for every kind of output a contract declares', () => {
  const fake = (name: string, kind: 'string' | 'list' | 'map' = 'string', producer = 'us-east-infra') =>
    fakeOutput(producer, name, { kind, description: '' }, config);

  it('shapes each by its name: role, generic and key ARNs, CIDR, port, endpoint, zone id, anything else', () => {
    expect(fake('executionRoleArn')).toBe('arn:aws:iam::111111111111:role/offline-us-east-infra-executionRoleArn');
    expect(fake('clusterArn')).toBe('arn:aws:offline:us-east-1:111111111111:us-east-infra/clusterArn');
    expect(fake('logKeyArn')).toBe('arn:aws:kms:us-east-1:111111111111:key/offline-us-east-infra-logKeyArn');
    expect(fake('vpcCidr')).toBe('10.255.0.0/16');
    expect(fake('readerPort')).toBe('443');
    expect(fake('writerEndpoint')).toBe('writerendpoint.offline.invalid');
    expect(fake('distributionDomainName')).toBe('distributiondomainname.offline.invalid');
    expect(fake('vpcId')).toBe('offline-us-east-infra-vpcId');
  });

  it('shapes by the end of the name only: a name that merely contains the word gets a plain fake', () => {
    for (const name of [
      'dataKeyArnsVersion',
      'dbSecretArnVersion',
      'ciRoleArnSessionName',
      'clusterArnSuffix',
      'vpcCidrBlocks',
      'readerPortName',
      'readerEndpointType',
      'hostedZoneIdList',
    ])
      expect(fake(name)).toBe(`offline-us-east-infra-${name}`);
  });

  it("places a regional producer's values in its own region, a global producer's in the home region", () => {
    expect(fake('clusterArn', 'string', 'apac-infra')).toBe('arn:aws:offline:ap-southeast-1:111111111111:apac-infra/clusterArn');
    expect(fake('clusterArn', 'string', 'global-foundation')).toBe('arn:aws:offline:us-east-1:111111111111:global-foundation/clusterArn');
    expect(fake('subnetIds', 'list', 'apac-infra')).toEqual([
      'offline-apac-infra-subnetIds-0',
      'offline-apac-infra-subnetIds-1',
      'offline-apac-infra-subnetIds-2',
    ]);
  });

  it('cuts a zone id to the 32 characters Route 53 allows', () => {
    const zoneId = fake('originZoneId', 'string', 'a-very-long-regional-producer-stack-name-infra') as string;
    expect(zoneId).toBe('ZOFFLINEAVERYLONGREGIONALPRODUCE');
    expect(zoneId).toHaveLength(32);
  });
});

describe('what a consumer is served of its producer', () => {
  const declared = {
    globalClusterId: { kind: 'string' as const, description: '' },
    dataKeyArns: { kind: 'map' as const, description: '' },
    redisGlobalReplicationGroupId: { kind: 'string' as const, description: '' },
  };
  const planned = (outputs: Record<string, { value?: unknown }>): OfflinePlanResult =>
    ({ stack: 'global-foundation', status: 'planned', planJson: { planned_values: { outputs } } }) as unknown as OfflinePlanResult;

  it("serves the values the producer's plan knows, and fakes by contract for those known only after apply", () => {
    const served = servedOutputs(
      'global-foundation',
      declared,
      planned({ globalClusterId: { value: 'aurora-254carbon-prod' }, redisGlobalReplicationGroupId: {} }),
      config,
    );
    expect(served).toEqual({
      globalClusterId: 'aurora-254carbon-prod',
      dataKeyArns: fakeOutput('global-foundation', 'dataKeyArns', declared.dataKeyArns, config),
      redisGlobalReplicationGroupId: 'offline-global-foundation-redisGlobalReplicationGroupId',
    });
  });

  it('serves a known value even when it is falsy (an empty list, a zero)', () => {
    expect(servedOutputs('global-foundation', { count: { kind: 'string', description: '' } }, planned({ count: { value: 0 } }), config)).toEqual({
      count: 0,
    });
  });

  it('fakes every output of a producer whose plan has no outputs at all', () => {
    const noOutputs = { stack: 'global-foundation', status: 'planned', planJson: {} } as unknown as OfflinePlanResult;
    expect(servedOutputs('global-foundation', declared, noOutputs, config)['globalClusterId']).toBe('offline-global-foundation-globalClusterId');
  });

  it('fakes every output of a producer that was not planned, or failed', () => {
    const failed = { stack: 'global-foundation', status: 'failed', error: 'x' } as OfflinePlanResult;
    for (const result of [undefined, failed])
      expect(servedOutputs('global-foundation', declared, result, config)).toEqual(
        Object.fromEntries(Object.entries(declared).map(([name, spec]) => [name, fakeOutput('global-foundation', name, spec, config)])),
      );
  });

  it('takes from the producer, by reference, what it publishes and knows at plan, and keeps the value served otherwise', () => {
    const foundation = named('global-foundation');
    const values = { auroraGlobalClusterId: 'id', auroraWriterEndpoint: 'w', originVerifyValues: ['v'], notPublished: 'n' };
    expect(servedRemoteState(values, foundation)).toEqual({
      auroraGlobalClusterId: { value: 'id', from: { stack: 'global-foundation', output: 'auroraGlobalClusterId', sensitive: false } },
      auroraWriterEndpoint: { value: 'w' }, // AWS assigns it
      originVerifyValues: { value: ['v'] }, // made by uuid() on apply
      notPublished: { value: 'n' },
    });
    // A sensitive output is taken with its mark noted (a remote state drops it).
    const sensitive: SynthesizedStack = { ...foundation, json: { output: { secret: { value: 'fixed', sensitive: true } } } };
    expect(servedRemoteState({ secret: 's' }, sensitive)).toEqual({
      secret: { value: 's', from: { stack: 'global-foundation', output: 'secret', sensitive: true } },
    });
    // A producer that publishes nothing, or none in the run: the values alone.
    expect(servedRemoteState({ id: 'x' }, { ...foundation, json: {} })).toEqual({ id: { value: 'x' } });
    expect(servedRemoteState(values)).toEqual(Object.fromEntries(Object.entries(values).map(([name, value]) => [name, { value }])));
  });

  it("reads a plan's known output values, leaving out those AWS assigns on apply", () => {
    expect(plannedOutputs(planned({ id: { value: 'x' }, zero: { value: 0 }, arn: {} }))).toEqual({ id: 'x', zero: 0 });
    expect(plannedOutputs({ stack: 'x', status: 'failed', error: 'e' })).toEqual({});
    expect(plannedOutputs(undefined)).toEqual({});
  });

  it('names the producer from an S3 key or a local path, and nothing from anything else', () => {
    expect(producerOf({ backend: 's3', config: { key: 'prod/us-east-infra/terraform.tfstate' } })).toBe('us-east-infra');
    expect(producerOf({ backend: 'local', config: { path: '/tmp/state/global-foundation.tfstate' } })).toBe('global-foundation');
    expect(producerOf({ backend: 's3', config: { key: 'prod/us-east-infra/other.json' } })).toBeUndefined();
    expect(producerOf({ backend: 's3', config: { key: 'prod/us-east-infra/terraform.tfstate.backup' } })).toBeUndefined();
    expect(producerOf({ backend: 'local', config: { path: '/tmp/state/global-foundation.tfstate.backup' } })).toBeUndefined();
    expect(producerOf({})).toBeUndefined();
  });

  it("knows every producer's contract: singletons once, regional ones per configured region", () => {
    const byStack = declaredOutputs(config);
    expect([...byStack.keys()].sort()).toEqual(
      expect.arrayContaining(['bootstrap', 'global-foundation', 'us-east-infra', 'eu-west-infra', 'apac-infra', 'us-east-data', 'apac-data']),
    );
    expect(byStack.get('eu-west-infra')?.['dataSubnetIds']).toEqual(expect.objectContaining({ kind: 'list' }));
    expect(byStack.get('global-foundation')?.['dataKeyArns']).toEqual(expect.objectContaining({ kind: 'map' }));
  });
});
