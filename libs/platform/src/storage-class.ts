/**
 * A StorageClass for data that must outlive its pods: EBS gp3 through the EBS CSI driver (an EKS
 * add-on of the infra stack, whose role may use the region's data key), encrypted with that key,
 * volumes kept when their claim is deleted (Retain), created in the zone of the pod that first
 * mounts them (WaitForFirstConsumer), expandable in place.
 */
export function encryptedGp3StorageClass(name: string, volumeKeyArn: string) {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name },
    provisioner: 'ebs.csi.aws.com',
    parameters: { type: 'gp3', encrypted: 'true', kmsKeyId: volumeKeyArn },
    reclaimPolicy: 'Retain',
    volumeBindingMode: 'WaitForFirstConsumer',
    allowVolumeExpansion: true,
  };
}
