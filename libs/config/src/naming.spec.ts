import {
  accessRoleNames,
  auditTrailArn,
  auditTrailName,
  clickhouseBackupBucketName,
  clusterName,
  dataStoreIdentifier,
  edgeDomainNames,
  githubDeployEnvironments,
  namePrefix,
  prometheusFederationDomainName,
  stateBucketName,
  stateKeyAlias,
  stateKeyAliasArn,
  workloadBoundaryArn,
  workloadBoundaryName,
} from './naming';
import { seedRegionsConfig } from './seed-regions';

/**
 * Names end up in resource names, ARNs other stacks write before the resource exists, and state
 * keys: each is pinned here, because a changed name renames (usually replaces) what carries it.
 */
describe('names derived from config', () => {
  const config = { project: 'acme', environment: 'stage', accountId: '123456789012', domain: 'example.org' };

  it('prefix, state bucket and state key alias', () => {
    expect(namePrefix(config)).toBe('acme-stage');
    expect(stateBucketName(config)).toBe('acme-stage-tfstate-123456789012');
    expect(stateKeyAlias(config)).toBe('alias/acme-stage-tfstate');
    expect(stateKeyAliasArn({ ...config, state: { region: 'eu-central-1' } } as never)).toBe(
      'arn:aws:kms:eu-central-1:123456789012:alias/acme-stage-tfstate',
    );
  });

  it('clusters, access roles, the trail and the workload boundary', () => {
    expect(clusterName(config, 'eu-west')).toBe('acme-stage-eu-west');
    expect(accessRoleNames(config)).toStrictEqual({
      admin: 'acme-stage-admin',
      readOnly: 'acme-stage-read-only',
      ciPlan: 'acme-stage-ci-plan',
      ciApply: 'acme-stage-ci-apply',
    });
    expect(auditTrailName(config)).toBe('acme-stage-audit');
    expect(auditTrailArn({ ...config, homeRegion: { awsRegion: 'eu-west-1' } } as never)).toBe(
      'arn:aws:cloudtrail:eu-west-1:123456789012:trail/acme-stage-audit',
    );
    expect(workloadBoundaryName(config)).toBe('acme-stage-workload-boundary');
    expect(workloadBoundaryArn(config)).toBe('arn:aws:iam::123456789012:policy/acme-stage-workload-boundary');
  });

  it('GitHub environments in rollout order, under the configured prefix when there is one', () => {
    const regions = [{ name: 'us-east' }, { name: 'apac' }];
    expect(githubDeployEnvironments({ environment: 'stage', access: {}, regions } as never)).toEqual([
      'stage-bootstrap',
      'stage-global',
      'stage-us-east',
      'stage-apac',
    ]);
    expect(githubDeployEnvironments({ environment: 'stage', access: { githubEnvironment: 'production' }, regions } as never)).toEqual([
      'production-bootstrap',
      'production-global',
      'production-us-east',
      'production-apac',
    ]);
  });

  it('data stores lead with their engine (RDS and ElastiCache identifiers start with a letter), per region or global', () => {
    expect(dataStoreIdentifier({ project: '254carbon', environment: 'prod' }, 'aurora')).toBe('aurora-254carbon-prod');
    expect(dataStoreIdentifier({ project: '254carbon', environment: 'prod' }, 'redis', 'apac')).toBe('redis-254carbon-prod-apac');
    expect(clickhouseBackupBucketName(config, 'apac')).toBe('acme-stage-clickhouse-backup-apac-123456789012');
  });

  it('edge and federation names under the platform domain', () => {
    const names = edgeDomainNames(config);
    expect([names.latency, names.geoproximity, names.ofRegion('eu-west')]).toEqual([
      'origin.example.org',
      'geo.origin.example.org',
      'eu-west.origin.example.org',
    ]);
    expect(prometheusFederationDomainName(config, 'apac')).toBe('prometheus.apac.example.org');
  });

  it("prod's names are the deployed ones", () => {
    const prod = seedRegionsConfig();
    expect([namePrefix(prod), clusterName(prod, 'us-east'), stateBucketName(prod)]).toEqual([
      '254carbon-prod',
      '254carbon-prod-us-east',
      `254carbon-prod-tfstate-${prod.accountId}`,
    ]);
  });
});
