import { ConfigError, resolveConfig, seedRegionsInput } from '@platform/config';
import { synthesizeStack, testContext } from '@platform/stack-kit';
import { Testing } from 'cdktf';
import { buildRegionApp } from './region-app';

describe('a region app', () => {
  const { infra, data, platform } = buildRegionApp(Testing.app(), testContext(), 'apac');
  const infraJson = synthesizeStack(infra);
  const platformJson = synthesizeStack(platform);

  it('has an AWS-only infra stack in its own region', () => {
    expect(infra.stackName).toBe('apac-infra');
    expect(Object.keys(infraJson.terraform?.required_providers ?? {})).toEqual(['aws']);
    expect(infraJson.provider?.['aws']?.[0]).toMatchObject({ region: 'ap-southeast-1', allowed_account_ids: ['111111111111'] });
    expect(infraJson.terraform?.backend?.['s3']).toMatchObject({ key: 'prod/apac-infra/terraform.tfstate', use_lockfile: true });
  });

  it('builds the network with the logs key of its own region, from the global foundation', () => {
    expect(infraJson.data?.['terraform_remote_state']?.['global-foundation']).toMatchObject({
      backend: 's3',
      config: { key: 'prod/global-foundation/terraform.tfstate' },
    });
    const flowLogGroup = Object.values(infraJson.resource?.['aws_cloudwatch_log_group'] ?? {})[0];
    expect(flowLogGroup?.['kms_key_id']).toBe('${data.terraform_remote_state.global-foundation.outputs.logsKeyArns.apac}');
    expect(Object.values(infraJson.resource?.['aws_vpc'] ?? {})).toEqual([expect.objectContaining({ cidr_block: '10.30.0.0/16' })]);
  });

  it('lets the peers reach its data tier', () => {
    const cidrs = new Set(
      Object.values(infraJson.resource?.['aws_vpc_security_group_ingress_rule'] ?? {})
        .filter((r) => r['from_port'] === 5432)
        .map((r) => r['cidr_ipv4']),
    );
    expect(cidrs).toEqual(new Set(['10.30.0.0/16', '10.10.0.0/16', '10.20.0.0/16']));
  });

  it('publishes the region-infra contract', () => {
    expect(Object.keys(infraJson.output ?? {}).sort()).toEqual([
      'alarmTopicArn',
      'applyRunnerSecurityGroupId',
      'clusterCertificateAuthorityData',
      'clusterEndpoint',
      'clusterName',
      'dataRouteTableIds',
      'dataSecurityGroupId',
      'dataSubnetIds',
      'karpenterInterruptionQueueName',
      'karpenterNodeRoleName',
      'originDomainName',
      'originLoadBalancerArnSuffix',
      'originLoadBalancerDnsName',
      'originLoadBalancerZoneId',
      'originTargetGroupArn',
      'planRunnerSecurityGroupId',
      'privateRouteTableIds',
      'privateSubnetIds',
      'prometheusFederationAddress',
      'prometheusTargetGroupArn',
      'publicSubnetIds',
      'vpcCidr',
      'vpcId',
    ]);
  });

  it('has a platform stack whose kubernetes and helm providers come from the cluster infra publishes', () => {
    expect(platform.stackName).toBe('apac-platform');
    expect(Object.keys(platformJson.terraform?.required_providers ?? {}).sort()).toEqual(['helm', 'kubernetes']);
    const connection = {
      host: '${data.terraform_remote_state.infra.outputs.clusterEndpoint}',
      cluster_ca_certificate: '${base64decode(data.terraform_remote_state.infra.outputs.clusterCertificateAuthorityData)}',
    };
    const exec = {
      api_version: 'client.authentication.k8s.io/v1beta1',
      command: 'aws',
      args: ['eks', 'get-token', '--cluster-name', '${data.terraform_remote_state.infra.outputs.clusterName}', '--region', 'ap-southeast-1'],
    };
    expect(platformJson.provider?.['kubernetes']?.[0]).toEqual({ ...connection, exec: [exec] });
    expect(platformJson.provider?.['helm']?.[0]).toEqual({ kubernetes: { ...connection, exec } });
    expect(platformJson.data?.['terraform_remote_state']?.['infra']).toMatchObject({ config: { key: 'prod/apac-infra/terraform.tfstate' } });
  });

  it('releases the add-ons, and no GPU device plugin in a region without GPUs', () => {
    const names = Object.values(platformJson.resource?.['helm_release'] ?? {}).map((r) => r['name']);
    expect(names.sort()).toEqual([
      'aws-load-balancer-controller',
      'cert-manager',
      'clickhouse',
      'clickhouse-operator',
      'external-dns',
      'in-cluster-ca',
      'karpenter',
      'karpenter-crd',
      'karpenter-pools',
      'kube-prometheus-stack',
      'metrics-server',
      'monitoring-storage',
      'prometheus-federation',
    ]);
  });

  it("registers its Prometheus in its own federation target group and serves it to the peers' CIDRs over TLS", () => {
    const binding = Object.values(platformJson.resource?.['helm_release'] ?? {}).find((r) => r['name'] === 'prometheus-federation')!;
    expect(String((binding['values'] as string[])[0])).toContain(
      '"targetGroupARN" = data.terraform_remote_state.infra.outputs.prometheusTargetGroupArn',
    );
    const peers = Object.values(infraJson.resource?.['aws_vpc_security_group_ingress_rule'] ?? {})
      .filter((r) => r['from_port'] === 9090 && r['cidr_ipv4'])
      .map((r) => r['cidr_ipv4']);
    expect(peers.sort()).toEqual(['10.10.0.0/16', '10.20.0.0/16']);
    expect(Object.values(infraJson.resource?.['aws_acm_certificate'] ?? {}).map((c) => c['domain_name'])).toContain(
      'prometheus.apac.platform.example.com',
    );
  });

  it('runs the global Prometheus and Grafana only in the primary region, federating every region', () => {
    expect(Object.values(platformJson.resource?.['helm_release'] ?? {}).map((r) => r['name'])).not.toContain('grafana');
    const primary = buildRegionApp(Testing.app(), testContext(), 'us-east').platform;
    const releases = Object.values(synthesizeStack(primary).resource?.['helm_release'] ?? {});
    const global = String((releases.find((r) => r['name'] === 'prometheus-global')!['values'] as string[])[0]);
    expect(global).toContain('"staticConfigs" = [{"targets" = ["kube-prometheus-stack-prometheus.monitoring.svc:9090"]}]');
    for (const peer of ['eu-west', 'apac'])
      expect(global).toContain(
        `"jobName" = "federate-${peer}", "metricsPath" = "/federate", "params" = {"match[]" = ["{__name__=~\\"region:.*\\"}"]}, "honorLabels" = true, "scrapeInterval" = "30s", "scheme" = "HTTPS", "staticConfigs" = [{"targets" = [data.terraform_remote_state.${peer}-infra.outputs.prometheusFederationAddress]}]`,
      );
    expect(releases.find((r) => r['name'] === 'grafana')).toMatchObject({ lifecycle: { prevent_destroy: true } });
  });

  it("runs ClickHouse with this region's backup bucket (data contract) and data key (foundation), after the in-cluster CA", () => {
    const releases = Object.entries(platformJson.resource?.['helm_release'] ?? {});
    const byName = (name: string) => releases.find(([, r]) => r['name'] === name)!;
    const [, clickhouse] = byName('clickhouse');
    const values = String((clickhouse['values'] as string[])[0]);
    expect(values).toContain('{"name" = "S3_BUCKET", "value" = data.terraform_remote_state.data.outputs.clickhouseBackupBucket}');
    expect(values).toContain('"kmsKeyId" = data.terraform_remote_state.global-foundation.outputs.dataKeyArns.apac}');
    expect(values).toContain('"schedule" = "0 16 * * *"'); // 00:00 in Singapore, the start of apac's backup window
    expect(values).not.toMatch(/dataKeyArns\.(us-east|eu-west)/);
    const [caId] = byName('in-cluster-ca');
    const [operatorId] = byName('clickhouse-operator');
    expect(clickhouse['depends_on']).toEqual([`helm_release.${operatorId}`, `helm_release.${caId}`]);
    expect(clickhouse).toMatchObject({ namespace: 'clickhouse', atomic: true, lifecycle: { prevent_destroy: true } });
  });

  it('releases market-intelligence when enabled, every endpoint from a contract: Aurora and ClickHouse local, Redis writes to the primary region', () => {
    const prod = seedRegionsInput();
    const config = resolveConfig({
      ...structuredClone(prod),
      workloads: { marketIntelligence: { ...prod.workloads.marketIntelligence, enabled: true } },
    });
    const json = synthesizeStack(buildRegionApp(Testing.app(), testContext({}, config), 'eu-west').platform);
    const releases = Object.values(json.resource?.['helm_release'] ?? {});
    const app = releases.find((r) => r['name'] === 'market-intelligence')!;
    const values = String((app['values'] as string[])[0]);
    expect(values).toContain('"auroraWriter" = data.terraform_remote_state.data.outputs.auroraWriterEndpoint');
    expect(values).toContain('"auroraReader" = data.terraform_remote_state.data.outputs.auroraReaderEndpoint');
    expect(values).toContain('"redis" = data.terraform_remote_state.primary-data.outputs.redisEndpoint');
    expect(values).toContain('"clickhouse" = "clickhouse-analytics.clickhouse.svc.cluster.local"');
    expect(values).toContain('"targetGroupArn" = data.terraform_remote_state.infra.outputs.originTargetGroupArn');
    expect(json.data?.['terraform_remote_state']?.['primary-data']).toMatchObject({ config: { key: 'prod/us-east-data/terraform.tfstate' } });
    expect(String(app['depends_on'])).toMatch(/^helm_release\.clickhouse_installation_release_/);
  });

  it("keeps the logical ids of the infra stack's stateful resources (a rename would replace the cluster or lose logs)", () => {
    const ids = (type: string) => Object.keys(infraJson.resource?.[type] ?? {}).sort();
    expect(ids('aws_eks_cluster')).toEqual(['kubernetes_cluster_0975E7D1']);
    expect(ids('aws_cloudwatch_log_group')).toEqual(['kubernetes_cluster_log-group_A509E7B7', 'network_flow-logs_log-group_B0C6373D']);
    expect(ids('aws_vpc')).toEqual(['network_vpc_4E8F0223']);
  });

  it('deploys data after infra and platform after data', () => {
    expect(data.dependencies).toEqual([infra]);
    expect(platform.dependencies).toEqual([data]);
  });

  it('fails clearly when the config has no such region', () => {
    expect(() => buildRegionApp(Testing.app(), testContext(), 'us-west')).toThrow(ConfigError);
    expect(() => buildRegionApp(Testing.app(), testContext(), 'us-west')).toThrow(
      /regions = \["us-east","eu-west","apac"\]: has no region named "us-west"/,
    );
  });
});
