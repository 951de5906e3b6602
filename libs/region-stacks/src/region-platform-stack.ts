import { clusterName } from '@platform/config';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { stackNames } from '@platform/stack-contracts';
import { PlatformStack } from '@platform/stack-kit';
import type { Construct } from 'constructs';
import type { RegionStackProps } from './region-infra-stack';

/**
 * `<region>-platform`: what runs inside the region's cluster, through the kubernetes and helm
 * providers. Kept apart from `<region>-infra` so provider configuration never depends on a cluster
 * created in the same plan.
 */
export class RegionPlatformStack extends PlatformStack {
  constructor(scope: Construct, props: RegionStackProps) {
    super(scope, stackNames.regionPlatform(props.region.name), props);
    // Short-lived tokens from the caller's AWS identity; no static credentials in state or code.
    // The API endpoint and CA join these once the region-infra contract publishes the cluster.
    const exec = {
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      command: 'aws',
      args: ['eks', 'get-token', '--cluster-name', clusterName(props.config, props.region.name), '--region', props.region.awsRegion],
    };
    new KubernetesProvider(this, 'kubernetes', { exec: [exec] });
    new HelmProvider(this, 'helm', { kubernetes: { exec } });
  }
}
