import { CHARTS, HelmChartRelease } from '@platform/platform';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { CLICKHOUSE, clickhouseManifests, type ClickhouseManifestsInput } from './clickhouse-manifests';

export const CLICKHOUSE_OPERATOR_NAMESPACE = 'clickhouse-operator';

export interface ClickhouseClusterProps extends Omit<ClickhouseManifestsInput, 'operatorNamespace'> {
  /** The in-cluster CA's release: the server certificate is asked from it. */
  readonly dependsOn: ITerraformDependable[];
}

/**
 * One region's ClickHouse in its EKS cluster: Altinity's operator (chart altinity-clickhouse-operator,
 * not Bitnami's), then the installation, Keeper, backups and policies it reconciles
 * (`clickhouseManifests`), as a second release so the CRDs exist before any object of theirs.
 */
export class ClickhouseCluster extends Construct {
  readonly operator: HelmChartRelease;
  readonly installation: HelmChartRelease;

  constructor(scope: Construct, id: string, props: ClickhouseClusterProps) {
    super(scope, id);
    this.operator = new HelmChartRelease(this, 'operator', {
      releaseName: 'clickhouse-operator',
      namespace: CLICKHOUSE_OPERATOR_NAMESPACE,
      chart: CHARTS.clickhouseOperator,
      values: {
        // The CRD hook runs bitnami/kubectl:latest (values.yaml at 0.25.6), an image Bitnami stopped
        // publishing in 2025-08. Off: Helm installs the chart's crds/ on first install; an operator
        // upgrade applies the new CRDs first (README, "ClickHouse").
        crdHook: { enabled: false },
        operator: { resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } } },
        metrics: { enabled: true, resources: { requests: { cpu: '50m', memory: '128Mi' }, limits: { memory: '256Mi' } } },
        nodeSelector: { 'node-group': 'general' },
      },
    });
    const { dependsOn, ...input } = props;
    this.installation = new HelmChartRelease(this, 'installation', {
      releaseName: 'clickhouse',
      namespace: CLICKHOUSE.namespace,
      chart: { local: 'cluster-manifests' },
      values: { manifests: clickhouseManifests({ ...input, operatorNamespace: CLICKHOUSE_OPERATOR_NAMESPACE }) },
      dependsOn: [this.operator.release, ...dependsOn],
      // Uninstalling it deletes the installation (the volumes stay: Retain): the plan review's destroy
      // guard lists `clickhouse` as stateful too.
      preventDestroy: true,
    });
  }
}
