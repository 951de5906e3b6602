import { CHARTS, encryptedGp3StorageClass, HelmChartRelease } from '@platform/platform';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { PROMETHEUS_PORT } from './federation-endpoint';
import { recordingRules, sloAlertRules, type SloAlertInput } from './prometheus-rules';

/** Where the in-cluster monitoring runs and what its objects are called (Grafana's datasources and the runbooks use these). */
export const MONITORING = {
  namespace: 'monitoring',
  storageClass: 'monitoring-gp3-encrypted',
  /** `fullnameOverride` of kube-prometheus-stack: its Prometheus service is `<this>-prometheus`. */
  stackName: 'kube-prometheus-stack',
  prometheusService: 'kube-prometheus-stack-prometheus',
  /** TargetGroupBinding registering the Prometheus pod in the region's federation target group. */
  federationBinding: 'prometheus-federation',
} as const;

/** In-cluster `host:port` of this region's Prometheus (the global one and Grafana read it here when co-located). */
export const REGIONAL_PROMETHEUS_ADDRESS = `${MONITORING.prometheusService}.${MONITORING.namespace}.svc:${PROMETHEUS_PORT}`;

export interface RegionalPrometheusProps {
  /** Short region name (`us-east`), the `region` label every federated series carries. */
  readonly region: string;
  readonly clusterName: string;
  /** The region's data key: Prometheus's volume is encrypted with it. */
  readonly volumeKeyArn: string;
  readonly retentionDays: number;
  readonly storageGiB: number;
  /** The region's federation target group (infra): the Prometheus pod is registered in it. */
  readonly federationTargetGroupArn: string;
  readonly slo: SloAlertInput;
  /** AWS region of the cluster (Alertmanager signs its SNS calls for it). */
  readonly awsRegion: string;
  /** The region's alarm topic (infra): Alertmanager sends every alert there, through Pod Identity. */
  readonly alarmTopicArn: string;
  /** The load balancer controller (TargetGroupBinding CRD) and anything else that must come first. */
  readonly dependsOn: ITerraformDependable[];
}

/**
 * Alertmanager's configuration: every alert to the region's SNS topic (the one the CloudWatch alarms
 * page through), signed with SigV4 from the pod's Pod Identity credentials (AlertPublisherRole);
 * the chart's always-firing Watchdog and InfoInhibitor go nowhere, as in the chart's default.
 */
export function alertmanagerConfig(props: Pick<RegionalPrometheusProps, 'region' | 'awsRegion' | 'alarmTopicArn'>) {
  return {
    route: {
      receiver: 'alarm-topic',
      group_by: ['alertname', 'severity'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
      routes: [{ receiver: 'null', matchers: ['alertname =~ "InfoInhibitor|Watchdog"'] }],
    },
    receivers: [
      { name: 'null' },
      {
        name: 'alarm-topic',
        sns_configs: [
          {
            topic_arn: props.alarmTopicArn,
            sigv4: { region: props.awsRegion },
            subject: `[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }} (${props.region})`,
            send_resolved: true,
          },
        ],
      },
    ],
  };
}

/**
 * A region's Prometheus: kube-prometheus-stack (operator, Prometheus, Alertmanager, node-exporter,
 * kube-state-metrics; its bundled Grafana off, Grafana is its own release in the primary region)
 * with `externalLabels` (cluster, region) so federated series say where they come from, retention
 * and an encrypted volume from config, every ServiceMonitor and rule in the cluster selected (not only
 * the chart's own), the recording rules the global view reads and the SLO alerts. A second release
 * holds the StorageClass and the TargetGroupBinding that puts Prometheus behind the region's
 * internal federation load balancer. The stack keeps the region's metrics history: `prevent_destroy`.
 */
export class RegionalPrometheus extends Construct {
  readonly stack: HelmChartRelease;
  readonly federation: HelmChartRelease;

  constructor(scope: Construct, id: string, props: RegionalPrometheusProps) {
    super(scope, id);
    if (!Number.isInteger(props.retentionDays) || props.retentionDays < 1)
      throw new Error(`prometheus ${props.region}: retentionDays = ${props.retentionDays}; fix: a whole number of days >= 1`);
    // Prometheus's size-based retention below the volume, so a full disk never stops ingestion.
    const retentionSizeGiB = Math.floor(props.storageGiB * 0.85);
    const storage = new HelmChartRelease(this, 'storage', {
      releaseName: 'monitoring-storage',
      namespace: MONITORING.namespace,
      chart: { local: 'cluster-manifests' },
      values: { manifests: [encryptedGp3StorageClass(MONITORING.storageClass, props.volumeKeyArn)] },
    });
    const onManagedNodes = { 'node-group': 'general' };
    this.stack = new HelmChartRelease(this, 'stack', {
      releaseName: MONITORING.stackName,
      namespace: MONITORING.namespace,
      chart: CHARTS.kubePrometheusStack,
      values: {
        fullnameOverride: MONITORING.stackName,
        grafana: { enabled: false },
        prometheus: {
          prometheusSpec: {
            externalLabels: { cluster: props.clusterName, region: props.region },
            retention: `${props.retentionDays}d`,
            retentionSize: `${retentionSizeGiB}GB`,
            serviceMonitorSelectorNilUsesHelmValues: false,
            podMonitorSelectorNilUsesHelmValues: false,
            ruleSelectorNilUsesHelmValues: false,
            // Every rule in the cluster except the global Prometheus's own (GlobalPrometheus labels them).
            ruleSelector: { matchExpressions: [{ key: 'prometheus', operator: 'NotIn', values: ['global'] }] },
            nodeSelector: onManagedNodes,
            storageSpec: {
              volumeClaimTemplate: {
                spec: {
                  storageClassName: MONITORING.storageClass,
                  accessModes: ['ReadWriteOnce'],
                  resources: { requests: { storage: `${props.storageGiB}Gi` } },
                },
              },
            },
          },
        },
        prometheusOperator: { nodeSelector: onManagedNodes },
        alertmanager: { alertmanagerSpec: { nodeSelector: onManagedNodes }, config: alertmanagerConfig(props) },
        additionalPrometheusRulesMap: { 'region-slo': { groups: [recordingRules(), sloAlertRules(props.slo)] } },
      },
      dependsOn: [storage.release, ...props.dependsOn],
      preventDestroy: true,
    });
    this.federation = new HelmChartRelease(this, 'federation', {
      releaseName: MONITORING.federationBinding,
      namespace: MONITORING.namespace,
      chart: { local: 'cluster-manifests' },
      values: {
        manifests: [
          {
            apiVersion: 'elbv2.k8s.aws/v1beta1',
            kind: 'TargetGroupBinding',
            metadata: { name: MONITORING.federationBinding, namespace: MONITORING.namespace },
            spec: {
              serviceRef: { name: MONITORING.prometheusService, port: PROMETHEUS_PORT },
              targetGroupARN: props.federationTargetGroupArn,
              targetType: 'ip',
            },
          },
        ],
      },
      dependsOn: [this.stack.release],
    });
  }
}
