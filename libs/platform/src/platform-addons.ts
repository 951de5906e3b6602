import { Construct } from 'constructs';
import { CHARTS } from './charts';
import { HelmChartRelease } from './helm-chart-release';
import { CERT_MANAGER, inClusterCaManifests } from './in-cluster-ca';
import { karpenterManifests } from './karpenter-pools';

/** Service accounts with Pod Identity roles; must match the associations the infra stack made. */
export interface AddonServiceAccounts {
  readonly karpenter: { readonly namespace: string; readonly name: string };
  readonly loadBalancerController: { readonly namespace: string; readonly name: string };
  readonly externalDns: { readonly namespace: string; readonly name: string };
}

export interface PlatformAddonsProps {
  readonly clusterName: string;
  readonly awsRegion: string;
  readonly vpcId: string;
  readonly domain: string;
  readonly karpenterNodeRoleName: string;
  readonly karpenterInterruptionQueueName: string;
  readonly volumeKeyArn: string;
  /** Pinned AL2023 release of Karpenter's nodes, e.g. `al2023@v20260903`. */
  readonly nodeAmiAlias: string;
  /** The region's maintenance window as the rest of the week (outsideWindowSchedule): drift replacements wait for the window. */
  readonly outsideMaintenance: { readonly schedule: string; readonly duration: string };
  readonly karpenterLimits: { readonly generalCpuLimit: number; readonly batchSpotCpuLimit: number; readonly gpuLimit: number };
  /** The region runs GPU nodes: install the NVIDIA device plugin and a GPU pool. */
  readonly hasGpuNodes: boolean;
  readonly serviceAccounts: AddonServiceAccounts;
}

/** Run on the managed (seed) nodes, never on spot or GPU capacity. */
const ON_MANAGED_NODES = { nodeSelector: { 'node-group': 'general' } };

/**
 * The cluster add-ons of one region, each a pinned Helm release: node autoscaling (Karpenter and
 * its pools), the load balancer controller (TargetGroupBinding only), metrics-server (HPA on CPU
 * and memory), external-dns (its own TXT owner per cluster), the NVIDIA device plugin where GPUs are.
 * The nodes' credentials are out of reach of pods (IMDSv2, hop limit 1), so region and VPC are passed
 * explicitly and every AWS call goes through Pod Identity.
 */
export class PlatformAddons extends Construct {
  readonly releases: HelmChartRelease[] = [];
  /** The in-cluster CA's issuers: releases that ask it for certificates depend on this. */
  readonly inClusterCa: HelmChartRelease;

  constructor(scope: Construct, id: string, props: PlatformAddonsProps) {
    super(scope, id);
    const sa = props.serviceAccounts;
    const karpenterCrds = this.add('karpenter-crd', {
      releaseName: 'karpenter-crd',
      namespace: sa.karpenter.namespace,
      chart: CHARTS.karpenterCrd,
      values: {},
    });
    const karpenter = this.add('karpenter', {
      releaseName: 'karpenter',
      namespace: sa.karpenter.namespace,
      chart: CHARTS.karpenter,
      values: {
        settings: { clusterName: props.clusterName, interruptionQueue: props.karpenterInterruptionQueueName },
        serviceAccount: { create: true, name: sa.karpenter.name },
        replicas: 2,
        controller: { resources: { requests: { cpu: '500m', memory: '512Mi' }, limits: { memory: '1Gi' } } },
        ...ON_MANAGED_NODES,
      },
      skipCrds: true, // karpenter-crd owns them
      dependsOn: [karpenterCrds.release],
    });
    this.add('karpenter-pools', {
      releaseName: 'karpenter-pools',
      namespace: sa.karpenter.namespace,
      chart: { local: 'cluster-manifests' },
      values: {
        manifests: karpenterManifests({
          clusterName: props.clusterName,
          nodeRoleName: props.karpenterNodeRoleName,
          volumeKeyArn: props.volumeKeyArn,
          amiAlias: props.nodeAmiAlias,
          outsideMaintenance: props.outsideMaintenance,
          ...props.karpenterLimits,
          withGpuPool: props.hasGpuNodes,
        }),
      },
      dependsOn: [karpenter.release], // the CRDs (karpenter-crd) and the controller's webhooks first
    });
    this.add('aws-load-balancer-controller', {
      releaseName: 'aws-load-balancer-controller',
      namespace: sa.loadBalancerController.namespace,
      chart: CHARTS.awsLoadBalancerController,
      values: {
        clusterName: props.clusterName,
        region: props.awsRegion,
        vpcId: props.vpcId,
        serviceAccount: { create: true, name: sa.loadBalancerController.name },
        replicaCount: 2,
        // Load balancers are Terraform's; the controller only binds pods to their target groups.
        createIngressClassResource: false,
        enableServiceMutatorWebhook: false,
        ...ON_MANAGED_NODES,
      },
    });
    this.add('metrics-server', {
      releaseName: 'metrics-server',
      namespace: 'kube-system',
      chart: CHARTS.metricsServer,
      values: { replicas: 2, podDisruptionBudget: { enabled: true, minAvailable: 1 }, ...ON_MANAGED_NODES },
    });
    this.add('external-dns', {
      releaseName: 'external-dns',
      namespace: sa.externalDns.namespace,
      chart: CHARTS.externalDns,
      values: {
        provider: { name: 'aws' },
        env: [{ name: 'AWS_DEFAULT_REGION', value: props.awsRegion }],
        serviceAccount: { create: true, name: sa.externalDns.name },
        domainFilters: [props.domain],
        // One owner id per cluster: three clusters share the zone without fighting over records.
        txtOwnerId: props.clusterName,
        policy: 'upsert-only',
        sources: ['service', 'ingress'],
        ...ON_MANAGED_NODES,
      },
    });
    // cert-manager and the in-cluster CA: TLS between workloads (ClickHouse) without certificates by hand.
    const certManager = this.add('cert-manager', {
      releaseName: 'cert-manager',
      namespace: CERT_MANAGER.namespace,
      chart: CHARTS.certManager,
      values: {
        crds: { enabled: true, keep: true },
        replicaCount: 2,
        podDisruptionBudget: { enabled: true, minAvailable: 1 },
        ...ON_MANAGED_NODES,
        webhook: { replicaCount: 2, ...ON_MANAGED_NODES },
        cainjector: { ...ON_MANAGED_NODES },
      },
    });
    this.inClusterCa = this.add('in-cluster-ca', {
      releaseName: 'in-cluster-ca',
      namespace: CERT_MANAGER.namespace,
      chart: { local: 'cluster-manifests' },
      values: { manifests: inClusterCaManifests(props.clusterName) },
      dependsOn: [certManager.release],
    });
    if (props.hasGpuNodes) {
      this.add('nvidia-device-plugin', {
        releaseName: 'nvidia-device-plugin',
        namespace: 'kube-system',
        chart: CHARTS.nvidiaDevicePlugin,
        values: {
          nodeSelector: { 'nvidia.com/gpu.present': 'true' },
          tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
        },
      });
    }
  }

  private add(id: string, props: ConstructorParameters<typeof HelmChartRelease>[2]): HelmChartRelease {
    const release = new HelmChartRelease(this, id, props);
    this.releases.push(release);
    return release;
  }
}
