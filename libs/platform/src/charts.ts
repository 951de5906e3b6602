import { resolve } from 'node:path';

/** A chart from a repository, pinned to an exact version. */
export interface ChartSource {
  readonly repository: string;
  readonly chart: string;
  readonly version: string;
}

/**
 * Every third-party chart the platform installs, in one place (versions seen 2026-08; bump here
 * and nowhere else). Grafana's chart moved to grafana-community; the Bitnami ClickHouse chart is
 * avoided (its images stopped getting updates in 2025-08).
 */
export const CHARTS = {
  karpenter: { repository: 'oci://public.ecr.aws/karpenter', chart: 'karpenter', version: '1.14.1' },
  // Helm installs a chart's crds/ only on first install and never upgrades them; Karpenter ships
  // its CRDs as this separate chart so they move with every Karpenter upgrade. Same version, always.
  karpenterCrd: { repository: 'oci://public.ecr.aws/karpenter', chart: 'karpenter-crd', version: '1.14.1' },
  awsLoadBalancerController: { repository: 'https://aws.github.io/eks-charts', chart: 'aws-load-balancer-controller', version: '3.5.0' },
  metricsServer: { repository: 'https://kubernetes-sigs.github.io/metrics-server/', chart: 'metrics-server', version: '3.13.1' },
  externalDns: { repository: 'https://kubernetes-sigs.github.io/external-dns/', chart: 'external-dns', version: '1.21.1' },
  nvidiaDevicePlugin: { repository: 'https://nvidia.github.io/k8s-device-plugin', chart: 'nvidia-device-plugin', version: '0.20.0' },
  certManager: { repository: 'https://charts.jetstack.io', chart: 'cert-manager', version: 'v1.21.1' },
  // Repository from the operator's docs (docs/operator_installation_details.md at release-0.25.6).
  clickhouseOperator: { repository: 'https://helm.altinity.com', chart: 'altinity-clickhouse-operator', version: '0.25.6' },
  kubePrometheusStack: { repository: 'https://prometheus-community.github.io/helm-charts', chart: 'kube-prometheus-stack', version: '88.5.3' },
  // The community charts left grafana.github.io for grafana-community.github.io in 2026
  // (grafana-community/helm-charts#2, as quoted in renovatebot/renovate discussion #40427).
  grafana: { repository: 'https://grafana-community.github.io/helm-charts', chart: 'grafana', version: '12.11.1' },
} as const satisfies Record<string, ChartSource>;

/** Charts kept in this repository (`charts/`), copied into the synth output as assets. */
export const LOCAL_CHARTS_DIR = resolve(__dirname, '../../../charts');
