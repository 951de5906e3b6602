import { Prometheus } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/Prometheus';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ScrapeConfig } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1alpha1/ScrapeConfig';
import { PlatformStack, onlyResource, resourcesOf, synthesizeStack, testContext } from '@platform/stack-kit';
import { Testing } from 'cdktf';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Service } from 'kubernetes-models/v1/Service';
import { FederationEndpoint } from './federation-endpoint';
import { globalDashboard, globalDashboardJson } from './global-dashboard';
import { FEDERATION_MATCH, GLOBAL_DATASOURCE, globalPrometheusManifests } from './global-prometheus';
import { DASHBOARD_FILES, GrafanaRelease } from './grafana-release';
import {
  EXPORTED_METRICS,
  federationAlertRules,
  metricNamesIn,
  recordingRules,
  sloAlertRules,
  type AlertRule,
  type RecordingRule,
  type RuleGroup,
} from './prometheus-rules';
import { alertmanagerConfig, MONITORING, RegionalPrometheus } from './regional-prometheus';
import { ALERTMANAGER_SERVICE_ACCOUNT, AlertPublisherRole } from './alert-publisher-role';

const repoRoot = resolve(__dirname, '../../..');
const seedSlo = { availabilitySloPercent: 99.99, latencyP95Ms: 50 };
const alertsOf = (group: RuleGroup) => group.rules.filter((r): r is AlertRule => 'alert' in r);
const recordsOf = (group: RuleGroup) => group.rules.filter((r): r is RecordingRule => 'record' in r);

describe('FederationEndpoint', () => {
  const stack = new PlatformStack(Testing.app(), 'eu-west-infra', testContext());
  const endpoint = new FederationEndpoint(stack, 'federation', {
    name: 'p-eu-west',
    vpcId: 'vpc-1',
    vpcCidr: '10.1.0.0/16',
    privateSubnetIds: ['subnet-a', 'subnet-b', 'subnet-c'],
    readerCidrs: ['10.0.0.0/16', '10.2.0.0/16'],
    clusterSecurityGroupId: 'sg-cluster',
    domainName: 'prometheus.eu-west.platform.example.com',
    hostedZoneId: 'Z123',
  });
  const json = synthesizeStack(stack);
  const rules = Object.values(resourcesOf(json, 'aws_vpc_security_group_ingress_rule'));

  it('is an internal NLB in the private subnets, TLS 1.3 on 9090 with its own certificate, forwarding to IP targets checked on /-/ready', () => {
    expect(onlyResource(json, 'aws_lb')).toMatchObject({
      name: 'p-eu-west-prom',
      load_balancer_type: 'network',
      internal: true,
      subnets: ['subnet-a', 'subnet-b', 'subnet-c'],
    });
    expect(onlyResource(json, 'aws_lb_listener')).toMatchObject({
      port: 9090,
      protocol: 'TLS',
      ssl_policy: 'ELBSecurityPolicy-TLS13-1-3-2021-06',
      certificate_arn: expect.stringMatching(/^\$\{aws_acm_certificate_validation\.[^.]+\.certificate_arn\}$/),
    });
    expect(onlyResource(json, 'aws_acm_certificate')).toMatchObject({ domain_name: 'prometheus.eu-west.platform.example.com' });
    expect(onlyResource(json, 'aws_lb_target_group')).toMatchObject({
      target_type: 'ip',
      protocol: 'TCP',
      port: 9090,
      health_check: { protocol: 'HTTP', path: '/-/ready' },
    });
    expect(endpoint.address).toBe('prometheus.eu-west.platform.example.com:9090');
  });

  it('admits 9090 only from the peered regions, and lets only itself reach Prometheus on the nodes', () => {
    const fromCidrs = rules.filter((r) => r['cidr_ipv4']).map((r) => `${r['cidr_ipv4']}:${r['from_port']}-${r['to_port']}`);
    expect(fromCidrs.sort()).toEqual(['10.0.0.0/16:9090-9090', '10.2.0.0/16:9090-9090']);
    const toNodes = rules.filter((r) => r['security_group_id'] === 'sg-cluster');
    expect(toNodes).toEqual([
      expect.objectContaining({ referenced_security_group_id: expect.stringMatching(/^\$\{aws_security_group\./), from_port: 9090, to_port: 9090 }),
    ]);
    expect(Object.values(resourcesOf(json, 'aws_vpc_security_group_egress_rule'))).toEqual([
      expect.objectContaining({ cidr_ipv4: '10.1.0.0/16', from_port: 9090, to_port: 9090 }),
    ]);
  });

  it('refuses a single subnet or nobody to serve', () => {
    const props = {
      name: 'p',
      vpcId: 'v',
      vpcCidr: '10.1.0.0/16',
      clusterSecurityGroupId: 'sg',
      domainName: 'prometheus.p.example.com',
      hostedZoneId: 'Z',
    };
    const fresh = () => new PlatformStack(Testing.app(), 'x-infra', testContext());
    expect(() => new FederationEndpoint(fresh(), 'f', { ...props, privateSubnetIds: ['a'], readerCidrs: ['10.0.0.0/16'] })).toThrow(
      /1 private subnet/,
    );
    expect(() => new FederationEndpoint(fresh(), 'f', { ...props, privateSubnetIds: ['a', 'b'], readerCidrs: [] })).toThrow(/no reader CIDRs/);
  });
});

describe('rules', () => {
  const recorded = recordsOf(recordingRules()).map((r) => r.record);

  it("pages at 14.4x the seed's 0.01 % budget over 1 h and 5 min, tickets at 6x over 6 h and 30 min, and pages on p95 over 50 ms", () => {
    const alerts = Object.fromEntries(alertsOf(sloAlertRules(seedSlo)).map((a) => [a.alert, a]));
    expect(alerts['ApiErrorBudgetFastBurn']).toMatchObject({
      expr: 'region:http_requests_errors:ratio_rate1h > 0.00144 and region:http_requests_errors:ratio_rate5m > 0.00144',
      labels: { severity: 'page' },
    });
    expect(alerts['ApiErrorBudgetSlowBurn']).toMatchObject({
      expr: 'region:http_requests_errors:ratio_rate6h > 0.0006 and region:http_requests_errors:ratio_rate30m > 0.0006',
      labels: { severity: 'ticket' },
    });
    expect(alerts['ApiLatencyP95High']).toMatchObject({ expr: 'region:http_request_duration_seconds:p95_5m > 0.05', labels: { severity: 'page' } });
  });

  it('records the 5xx share over every window an alert reads, counting only 5xx of the application', () => {
    const byName = Object.fromEntries(recordsOf(recordingRules()).map((r) => [r.record, r.expr]));
    expect(byName['region:http_requests_errors:ratio_rate1h']).toBe(
      '(sum(rate(http_requests_total{namespace="market-intelligence",code=~"5.."}[1h])) or vector(0)) / clamp_min(sum(rate(http_requests_total{namespace="market-intelligence"}[1h])), 1e-9)',
    );
    expect(byName['region:http_request_duration_seconds:p95_5m']).toBe(
      'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{namespace="market-intelligence"}[5m])))',
    );
    const read = alertsOf(sloAlertRules(seedSlo)).flatMap((a) => metricNamesIn(a.expr));
    for (const name of read) expect({ name, recorded: recorded.includes(name) }).toEqual({ name, recorded: true });
  });

  it('every rule reads only metrics an exporter produces or an earlier rule records', () => {
    const exported: string[] = Object.values(EXPORTED_METRICS).flat();
    for (const group of [recordingRules(), sloAlertRules(seedSlo), federationAlertRules()])
      for (const rule of group.rules)
        for (const name of metricNamesIn(rule.expr))
          expect({ rule: 'record' in rule ? rule.record : rule.alert, name, known: exported.includes(name) || recorded.includes(name) }).toEqual({
            rule: 'record' in rule ? rule.record : rule.alert,
            name,
            known: true,
          });
  });

  it('every alert links a runbook that exists in the repository', () => {
    for (const alert of [...alertsOf(sloAlertRules(seedSlo)), ...alertsOf(federationAlertRules())])
      expect({
        alert: alert.alert,
        runbook: alert.annotations.runbook_url,
        exists: existsSync(resolve(repoRoot, alert.annotations.runbook_url)),
      }).toEqual({
        alert: alert.alert,
        runbook: expect.stringMatching(/^docs\/runbooks\/.+\.md$/),
        exists: true,
      });
  });

  it('are valid PrometheusRule specs, and refuse an objective that leaves no budget', () => {
    expect(() =>
      new PrometheusRule({ metadata: { name: 'r' }, spec: { groups: [recordingRules(), sloAlertRules(seedSlo)] as never } }).validate(),
    ).not.toThrow();
    expect(() => sloAlertRules({ ...seedSlo, availabilitySloPercent: 100 })).toThrow(/availabilitySloPercent = 100; fix/);
    expect(() => sloAlertRules({ ...seedSlo, latencyP95Ms: 0 })).toThrow(/latencyP95Ms = 0; fix/);
  });

  it('metricNamesIn skips PromQL functions, label matchers, durations and numbers', () => {
    expect(metricNamesIn('sum(rate(a_total{code=~"5.."}[5m])) / clamp_min(b:c, 1e-9) > 0.05 and up{job="x"} == 0')).toEqual(['a_total', 'b:c', 'up']);
  });
});

describe('RegionalPrometheus', () => {
  const stack = new PlatformStack(Testing.app(), 'eu-west-platform', testContext());
  new RegionalPrometheus(stack, 'prometheus', {
    region: 'eu-west',
    clusterName: 'p-eu-west',
    volumeKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/data',
    retentionDays: 15,
    storageGiB: 100,
    federationTargetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/p-eu-west-prom/1',
    slo: seedSlo,
    awsRegion: 'eu-west-1',
    alarmTopicArn: 'arn:aws:sns:eu-west-1:111111111111:p-eu-west-alarms',
    dependsOn: [],
  });
  const releases = Object.values(resourcesOf(synthesizeStack(stack), 'helm_release'));
  const byName = (name: string) => releases.find((r) => r['name'] === name)!;

  it('labels every series with its cluster and region, keeps 15 days on an encrypted volume, and refuses destroy', () => {
    const stackRelease = byName('kube-prometheus-stack');
    expect(stackRelease).toMatchObject({
      repository: 'https://prometheus-community.github.io/helm-charts',
      version: '88.5.3',
      namespace: 'monitoring',
      lifecycle: { prevent_destroy: true },
    });
    const values = String(stackRelease['values']);
    expect(values).toContain('"externalLabels" = {"cluster" = "p-eu-west", "region" = "eu-west"}');
    expect(values).toContain('"retention" = "15d", "retentionSize" = "85GB"');
    expect(values).toContain('"storageClassName" = "monitoring-gp3-encrypted"');
    expect(values).toContain('"serviceMonitorSelectorNilUsesHelmValues" = false');
    expect(values).toContain('"ruleSelector" = {"matchExpressions" = [{"key" = "prometheus", "operator" = "NotIn", "values" = ["global"]}]}');
    expect(values).toContain('"grafana" = {"enabled" = false}');
    expect(String(byName('monitoring-storage')['values'])).toContain('"kmsKeyId" = "arn:aws:kms:eu-west-1:111111111111:key/data"');
  });

  it("sends every alert (but the chart's always-firing two) to the region's alarm topic, signed for its region, resolved ones too", () => {
    const config = alertmanagerConfig({
      region: 'eu-west',
      awsRegion: 'eu-west-1',
      alarmTopicArn: 'arn:aws:sns:eu-west-1:111111111111:p-eu-west-alarms',
    });
    expect(config.route).toMatchObject({
      receiver: 'alarm-topic',
      routes: [{ receiver: 'null', matchers: ['alertname =~ "InfoInhibitor|Watchdog"'] }],
    });
    expect(config.receivers).toEqual([
      { name: 'null' },
      {
        name: 'alarm-topic',
        sns_configs: [
          {
            topic_arn: 'arn:aws:sns:eu-west-1:111111111111:p-eu-west-alarms',
            sigv4: { region: 'eu-west-1' },
            subject: '[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} (eu-west)',
            send_resolved: true,
          },
        ],
      },
    ]);
    expect(String(byName('kube-prometheus-stack')['values'])).toContain('"topic_arn" = "arn:aws:sns:eu-west-1:111111111111:p-eu-west-alarms"');
  });

  it("registers the chart's Prometheus service in the region's federation target group, after the stack", () => {
    const binding = byName('prometheus-federation');
    expect(String(binding['values'])).toContain(
      '"serviceRef" = {"name" = "kube-prometheus-stack-prometheus", "port" = 9090}, "targetGroupARN" = "arn:aws:elasticloadbalancing:eu-west-1:111111111111:targetgroup/p-eu-west-prom/1"',
    );
    expect(binding['depends_on']).toEqual([expect.stringMatching(/^helm_release\.prometheus_stack_/)]);
    // The chart names its service `<fullnameOverride>-prometheus`.
    expect(MONITORING.prometheusService).toBe(`${MONITORING.stackName}-prometheus`);
  });
});

describe('global Prometheus', () => {
  const manifests = globalPrometheusManifests({
    regions: {
      'us-east': { address: 'kube-prometheus-stack-prometheus.monitoring.svc:9090', tls: false },
      'eu-west': { address: 'prometheus.eu-west.platform.example.com:9090', tls: true },
    },
    retentionDays: 15,
    storageGiB: 100,
    dependsOn: [],
  });
  const scrapes = manifests.filter((m) => m.kind === 'ScrapeConfig') as { metadata: { name: string }; spec: Record<string, unknown> }[];

  it('federates each region as its own job: /federate, honor_labels, recorded series only, TLS to other regions', () => {
    expect(FEDERATION_MATCH).toBe('{__name__=~"region:.*"}');
    expect(scrapes.map((s) => s.spec)).toEqual([
      {
        jobName: 'federate-us-east',
        metricsPath: '/federate',
        params: { 'match[]': [FEDERATION_MATCH] },
        honorLabels: true,
        scrapeInterval: '30s',
        scheme: 'HTTP',
        staticConfigs: [{ targets: ['kube-prometheus-stack-prometheus.monitoring.svc:9090'] }],
      },
      {
        jobName: 'federate-eu-west',
        metricsPath: '/federate',
        params: { 'match[]': [FEDERATION_MATCH] },
        honorLabels: true,
        scrapeInterval: '30s',
        scheme: 'HTTPS',
        staticConfigs: [{ targets: ['prometheus.eu-west.platform.example.com:9090'] }],
      },
    ]);
  });

  it('selects only its own scrape configs and rules, which the regional Prometheus excludes', () => {
    const prometheus = manifests.find((m) => m.kind === 'Prometheus') as { spec: Record<string, unknown> };
    expect(prometheus.spec).toMatchObject({
      scrapeConfigSelector: { matchLabels: { prometheus: 'global' } },
      ruleSelector: { matchLabels: { prometheus: 'global' } },
      retention: '15d',
    });
    for (const m of manifests.filter((x) => x.kind === 'ScrapeConfig' || x.kind === 'PrometheusRule'))
      expect((m.metadata as { labels?: object }).labels).toEqual({ prometheus: 'global' });
  });

  it('is valid for the operator and the API server', () => {
    const models: Record<string, new (data: never) => { validate(): void }> = { Prometheus, ScrapeConfig, PrometheusRule, Service };
    // The models package types the embedded claim as its own kind (apiVersion monitoring.coreos.com/v1,
    // kind EmbeddedPersistentVolumeClaim) and requires both; the operator's CRD does not. Add them for it only.
    const forModels = (m: (typeof manifests)[number]) =>
      m.kind === 'Prometheus'
        ? JSON.parse(
            JSON.stringify(m).replace(
              '"volumeClaimTemplate":{',
              '"volumeClaimTemplate":{"apiVersion":"monitoring.coreos.com/v1","kind":"EmbeddedPersistentVolumeClaim",',
            ),
          )
        : m;
    for (const m of manifests) expect(() => new models[m.kind]!(forModels(m) as never).validate()).not.toThrow();
  });
});

describe('Grafana and the global dashboard', () => {
  const dashboard = globalDashboard();
  const panels = (dashboard.panels ?? []) as { type: string; title?: string; datasource?: object; targets?: { expr: string }[] }[];

  it('is committed exactly as the code builds it, and is valid JSON', () => {
    const committed = readFileSync(DASHBOARD_FILES.global, 'utf8');
    expect(() => JSON.parse(committed)).not.toThrow();
    expect(committed).toBe(globalDashboardJson());
  });

  it("every graph reads the global datasource and only series the regions record (or federation's up)", () => {
    const recorded = recordsOf(recordingRules()).map((r) => r.record);
    const graphs = panels.filter((p) => p.type !== 'row');
    expect(graphs.length).toBe(8);
    for (const panel of graphs) {
      expect({ panel: panel.title, datasource: panel.datasource }).toEqual({ panel: panel.title, datasource: GLOBAL_DATASOURCE });
      for (const name of (panel.targets ?? []).flatMap((t) => metricNamesIn(t.expr)))
        expect({ panel: panel.title, name, produced: recorded.includes(name) || name === 'up' }).toEqual({
          panel: panel.title,
          name,
          produced: true,
        });
    }
  });

  it('provisions the global datasource under the uid the dashboard names, one per region, and the committed dashboard; refuses destroy', () => {
    const stack = new PlatformStack(Testing.app(), 'us-east-platform', testContext());
    new GrafanaRelease(stack, 'grafana', {
      regions: { 'eu-west': { address: 'prometheus.eu-west.platform.example.com:9090', tls: true } },
      storageGiB: 10,
      dependsOn: [],
    });
    const release = onlyResource(synthesizeStack(stack), 'helm_release');
    expect(release).toMatchObject({
      repository: 'https://grafana-community.github.io/helm-charts',
      chart: 'grafana',
      version: '12.11.1',
      lifecycle: { prevent_destroy: true },
    });
    const values = String(release['values']);
    expect(values).toContain(
      '{"name" = "Global", "type" = "prometheus", "uid" = "prometheus-global", "url" = "http://prometheus-global.monitoring.svc:9090", "access" = "proxy", "isDefault" = true}',
    );
    expect(values).toContain('"uid" = "prometheus-eu-west", "url" = "https://prometheus.eu-west.platform.example.com:9090"');
    expect(values).toContain('"auth.anonymous" = {"enabled" = false}');
    expect(values).toContain('\\"uid\\": \\"platform-global\\"');
  });
});

describe('AlertPublisherRole', () => {
  it("lets the chart's Alertmanager publish to the alarm topic only, using its key only through SNS in its region", () => {
    const stack = new PlatformStack(Testing.app(), 'eu-west-infra', testContext());
    new AlertPublisherRole(stack, 'alerts', {
      roleName: 'p-eu-west-alertmanager',
      accountId: '111111111111',
      clusterName: 'p-eu-west',
      awsRegion: 'eu-west-1',
      topicArn: 'arn:aws:sns:eu-west-1:111111111111:p-eu-west-alarms',
      topicKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/logs',
    });
    const json = synthesizeStack(stack);
    expect(onlyResource(json, 'aws_eks_pod_identity_association')).toMatchObject({
      namespace: 'monitoring',
      service_account: 'kube-prometheus-stack-alertmanager',
    });
    expect(ALERTMANAGER_SERVICE_ACCOUNT.name).toBe(`${MONITORING.stackName}-alertmanager`);
    expect(String(onlyResource(json, 'aws_iam_role_policy')['policy'])).toBe(
      '${jsonencode({"Version" = "2012-10-17", "Statement" = [{"Sid" = "PublishAlerts", "Effect" = "Allow", "Action" = "sns:Publish", "Resource" = "arn:aws:sns:eu-west-1:111111111111:p-eu-west-alarms"}, {"Sid" = "UseTopicKeyThroughSns", "Effect" = "Allow", "Action" = ["kms:GenerateDataKey*", "kms:Decrypt"], "Resource" = "arn:aws:kms:eu-west-1:111111111111:key/logs", "Condition" = {"StringEquals" = {"kms:ViaService" = "sns.eu-west-1.amazonaws.com"}}}]})}',
    );
  });
});
