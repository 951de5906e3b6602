/** The ClusterIssuer every in-cluster TLS certificate (ClickHouse, later Prometheus federation) comes from. */
export const IN_CLUSTER_CA_ISSUER = 'platform-ca';
const CERT_MANAGER_NAMESPACE = 'cert-manager';

type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; spec: Record<string, unknown> };

/**
 * A private CA for traffic inside the cluster, run by cert-manager: a self-signed issuer makes
 * the CA certificate (ECDSA P-256, ten years, renewed a year before), and a CA issuer signs
 * service certificates with it. Clients trust `ca.crt` from each issued secret. Plain objects:
 * validated against cert-manager's schemas in tests.
 */
export function inClusterCaManifests(clusterName: string): Manifest[] {
  return [
    { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'platform-self-signed' }, spec: { selfSigned: {} } },
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'platform-ca', namespace: CERT_MANAGER_NAMESPACE },
      spec: {
        isCA: true,
        commonName: `${clusterName} in-cluster CA`,
        secretName: 'platform-ca',
        duration: '87600h',
        renewBefore: '8760h',
        privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
        issuerRef: { name: 'platform-self-signed', kind: 'ClusterIssuer', group: 'cert-manager.io' },
      },
    },
    // A ClusterIssuer reads its CA secret from cert-manager's own namespace.
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'ClusterIssuer',
      metadata: { name: IN_CLUSTER_CA_ISSUER },
      spec: { ca: { secretName: 'platform-ca' } },
    },
  ];
}

export const CERT_MANAGER = { namespace: CERT_MANAGER_NAMESPACE } as const;
