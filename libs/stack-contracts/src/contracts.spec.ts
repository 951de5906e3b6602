import { resolveConfig, seedRegionsConfig, seedRegionsInput } from '@platform/config';
import {
  bootstrapContract,
  globalFoundationContract,
  regionalContracts,
  regionDataContract,
  regionInfraContract,
  singletonContracts,
} from './contracts';
import { rolloutSteps } from './rollout';
import { stackNames } from './stack-names';

/**
 * The declarations other stacks build on: stack names are state keys (a rename orphans a state),
 * contract kinds are what consumers index into (a list read as a map fails the plan), and the
 * rollout order is what makes every reference exist before it is used.
 */
describe('stack names (state keys: never renamed once deployed)', () => {
  it('are exactly these', () => {
    expect([
      stackNames.bootstrap,
      stackNames.globalFoundation,
      stackNames.globalAccess,
      stackNames.globalPeering,
      stackNames.globalData,
      stackNames.globalEdge,
      stackNames.regionInfra('eu-west'),
      stackNames.regionData('eu-west'),
      stackNames.regionPlatform('eu-west'),
    ]).toEqual([
      'bootstrap',
      'global-foundation',
      'global-access',
      'global-peering',
      'global-data',
      'global-edge',
      'eu-west-infra',
      'eu-west-data',
      'eu-west-platform',
    ]);
  });
});

describe('contracts', () => {
  const shape = (contract: { outputs: Record<string, { kind: string; sensitive?: boolean }> }) =>
    Object.fromEntries(Object.entries(contract.outputs).map(([name, o]) => [name, o.sensitive ? `${o.kind} (sensitive)` : o.kind]));

  it('bootstrap publishes the state bucket and its key', () => {
    expect(bootstrapContract.name).toBe('bootstrap');
    expect(bootstrapContract.stackName()).toBe('bootstrap');
    expect(shape(bootstrapContract)).toStrictEqual({ stateBucketName: 'string', stateBucketArn: 'string', stateKeyArn: 'string' });
  });

  it('the global foundation publishes keys per region as maps, name servers and header values as lists, the header values sensitive', () => {
    expect(globalFoundationContract.name).toBe('global-foundation');
    expect(globalFoundationContract.stackName()).toBe('global-foundation');
    expect(shape(globalFoundationContract)).toStrictEqual({
      hostedZoneId: 'string',
      hostedZoneName: 'string',
      hostedZoneNameServers: 'list',
      dataKeyArns: 'map',
      logsKeyArns: 'map',
      secretsKeyArns: 'map',
      auditBucketName: 'string',
      trailArn: 'string',
      auroraGlobalClusterId: 'string',
      auroraWriterEndpoint: 'string',
      originVerifySecretArn: 'string',
      originVerifyValues: 'list (sensitive)',
    });
  });

  it("a region's infra publishes its network, cluster, origin and federation; lists for what has one per zone", () => {
    expect(regionInfraContract.name).toBe('region-infra');
    expect(regionInfraContract.stackName('apac')).toBe('apac-infra');
    expect(shape(regionInfraContract)).toStrictEqual({
      vpcId: 'string',
      vpcCidr: 'string',
      publicSubnetIds: 'list',
      privateSubnetIds: 'list',
      dataSubnetIds: 'list',
      privateRouteTableIds: 'list',
      dataRouteTableIds: 'list',
      dataSecurityGroupId: 'string',
      clusterName: 'string',
      clusterEndpoint: 'string',
      clusterCertificateAuthorityData: 'string',
      karpenterNodeRoleName: 'string',
      karpenterInterruptionQueueName: 'string',
      planRunnerSecurityGroupId: 'string',
      applyRunnerSecurityGroupId: 'string',
      alarmTopicArn: 'string',
      originDomainName: 'string',
      originLoadBalancerDnsName: 'string',
      originLoadBalancerZoneId: 'string',
      originLoadBalancerArnSuffix: 'string',
      originTargetGroupArn: 'string',
      prometheusFederationAddress: 'string',
      prometheusTargetGroupArn: 'string',
    });
  });

  it("a region's data stack publishes its endpoints, ports, secrets and backup bucket", () => {
    expect(regionDataContract.name).toBe('region-data');
    expect(regionDataContract.stackName('apac')).toBe('apac-data');
    expect(shape(regionDataContract)).toStrictEqual({
      auroraWriterEndpoint: 'string',
      auroraReaderEndpoint: 'string',
      auroraPort: 'string',
      auroraDatabaseName: 'string',
      auroraSecretArn: 'string',
      redisEndpoint: 'string',
      redisReaderEndpoint: 'string',
      redisPort: 'string',
      redisAuthSecretArn: 'string',
      redisGlobalReplicationGroupId: 'string',
      clickhouseBackupBucket: 'string',
      clickhouseBackupRoleArn: 'string',
    });
  });

  it('groups the contracts by how often they are published', () => {
    expect(singletonContracts).toEqual([bootstrapContract, globalFoundationContract]);
    expect(regionalContracts).toEqual([regionInfraContract, regionDataContract]);
  });

  it('describes every output in words (the description is what `terraform output` and reviewers show)', () => {
    for (const contract of [...singletonContracts, ...regionalContracts])
      for (const [name, output] of Object.entries(contract.outputs as Record<string, { description: string }>))
        expect({ name, words: output.description.split(' ').length >= 2 }).toEqual({ name, words: true });
  });
});

describe('rollout', () => {
  const asText = (config = seedRegionsConfig()) =>
    rolloutSteps(config).map((step) => `${step.githubEnvironment}: ${step.stacks.join(' ')}${step.appliedBy ? ` (${step.appliedBy})` : ''}`);

  it('follows the seed phases: state, access by a person, foundation, networks, mesh, data (home first), replication, platforms, edge', () => {
    expect(asText()).toEqual([
      'prod-bootstrap: bootstrap',
      'prod-global: global-access (mfa-admin)',
      'prod-global: global-foundation',
      'prod-us-east: us-east-infra',
      'prod-eu-west: eu-west-infra',
      'prod-apac: apac-infra',
      'prod-global: global-peering',
      'prod-us-east: us-east-data',
      'prod-eu-west: eu-west-data',
      'prod-apac: apac-data',
      'prod-global: global-data',
      'prod-us-east: us-east-platform',
      'prod-eu-west: eu-west-platform',
      'prod-apac: apac-platform',
      'prod-global: global-edge',
    ]);
  });

  it("applies the home region's data first wherever it is in the list, each behind its own region's environment", () => {
    const input = seedRegionsInput();
    const euHome = resolveConfig({ ...input, data: { ...input.data, homeRegion: 'eu-west' } });
    expect(asText(euHome).slice(7, 10)).toEqual(['prod-eu-west: eu-west-data', 'prod-us-east: us-east-data', 'prod-apac: apac-data']);
    const apacHome = resolveConfig({ ...input, data: { ...input.data, homeRegion: 'apac' } });
    expect(asText(apacHome).slice(7, 10)).toEqual(['prod-apac: apac-data', 'prod-us-east: us-east-data', 'prod-eu-west: eu-west-data']);
  });
});
