import { Certificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate';
import { ClusterIssuer } from '@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer';
import { IN_CLUSTER_CA_ISSUER, inClusterCaManifests } from './in-cluster-ca';

const validate = (m: ReturnType<typeof inClusterCaManifests>[number]) =>
  (m.kind === 'Certificate' ? new Certificate(m as never) : new ClusterIssuer(m as never)).validate();

describe('in-cluster CA', () => {
  const manifests = inClusterCaManifests('p-us-east');

  it("match cert-manager's v1 schemas; a wrong type fails them", () => {
    for (const m of manifests) expect(() => validate(m)).not.toThrow();
    const broken = structuredClone(manifests);
    (broken[1]!.spec as { isCA: unknown }).isCA = 'yes';
    expect(() => validate(broken[1]!)).toThrow(/isCA/);
  });

  it('a self-signed root makes the CA certificate; the issuer services ask for signs with it', () => {
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([
      'ClusterIssuer/platform-self-signed',
      'Certificate/platform-ca',
      'ClusterIssuer/platform-ca',
    ]);
    expect(manifests[1]).toMatchObject({
      metadata: { namespace: 'cert-manager' },
      spec: { isCA: true, secretName: 'platform-ca', issuerRef: { name: 'platform-self-signed', kind: 'ClusterIssuer' } },
    });
    // A ClusterIssuer finds its CA secret in cert-manager's namespace: the Certificate must be there.
    expect(manifests[2]).toEqual({
      apiVersion: 'cert-manager.io/v1',
      kind: 'ClusterIssuer',
      metadata: { name: IN_CLUSTER_CA_ISSUER },
      spec: { ca: { secretName: 'platform-ca' } },
    });
  });
});
