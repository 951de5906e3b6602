import { DATA_PORTS } from '@platform/network';
import { encryptedGp3StorageClass } from '@platform/platform';
import { CLICKHOUSE_BACKUP_SERVICE_ACCOUNT } from './clickhouse-backup-store';

/**
 * Names, ports and images of the in-cluster ClickHouse, in one place: the manifests, the network
 * policies, the app's endpoint and the tests read them from here.
 *
 * Images: the server is Altinity's stable build the operator 0.25.6 tests against
 * (tests/e2e/manifests at tag release-0.25.6); Keeper is the tag the operator's own Keeper examples
 * use (docs/chk-examples at the same tag: a floating 25.3 patch tag, the only one seen there);
 * clickhouse-backup v2.6.44 (Altinity/clickhouse-backup tag, 2026-05-14; its AWS SDK v2 reads Pod
 * Identity credentials). curl is the Docker Official curl image's tag of curl 8.11.1 (from memory,
 * not confirmed offline: check `docker manifest inspect` before the first apply).
 */
export const CLICKHOUSE = {
  namespace: CLICKHOUSE_BACKUP_SERVICE_ACCOUNT.namespace,
  /** ClickHouseInstallation name: pods `chi-analytics-main-<shard>-<replica>`, service `clickhouse-analytics`. */
  installation: 'analytics',
  cluster: 'main',
  /** ClickHouseKeeperInstallation name: the operator names its client service `keeper-<name>`. */
  keeper: 'analytics',
  keeperReplicas: 3,
  storageClass: 'clickhouse-gp3-encrypted',
  serverTlsSecret: 'clickhouse-server-tls',
  ports: {
    /** TLS, for clients (the app's NetworkPolicy and the data tier's security group say the same). */
    https: DATA_PORTS.clickhouseHttps,
    nativeTls: DATA_PORTS.clickhouseNativeTls,
    /**
     * Plain ports stay for the operator (it connects on 8123), localhost and replica-to-replica part
     * fetches (9009), fenced by NetworkPolicy to the installation's own pods. Keeper's are the
     * operator's defaults (pkg/apis/clickhouse.altinity.com/v1/type_host.go at release-0.25.6).
     */
    http: 8123,
    native: 9000,
    interserverHttp: 9009,
    keeper: 2181,
    keeperRaft: 9444,
    backupApi: 7171,
  },
  images: {
    server: 'altinity/clickhouse-server:25.3.6.10034.altinitystable',
    keeper: 'clickhouse/clickhouse-keeper:25.3',
    backup: 'altinity/clickhouse-backup:2.6.44',
    curl: 'curlimages/curl:8.11.1',
  },
} as const;

/** The address clients use (TLS ports only), e.g. `clickhouse-analytics.clickhouse.svc.cluster.local`. */
export const CLICKHOUSE_SERVICE_HOST = `clickhouse-${CLICKHOUSE.installation}.${CLICKHOUSE.namespace}.svc.cluster.local`;

export interface ClickhouseManifestsInput {
  readonly shards: number;
  readonly replicasPerShard: number;
  readonly storageGiB: number;
  readonly serverResources: { readonly cpu: number; readonly memoryGiB: number };
  /** The region's data key: the StorageClass encrypts every ClickHouse and Keeper volume with it. */
  readonly volumeKeyArn: string;
  readonly backup: {
    readonly bucket: string;
    readonly awsRegion: string;
    /** Daily full backups kept by clickhouse-backup (the bucket's lifecycle is the backstop). */
    readonly retentionDays: number;
    /** The region's daily backup window in UTC, `HH:MM-HH:MM` (the form RDS takes). */
    readonly windowUtc: string;
  };
  /** ClusterIssuer of the in-cluster CA (cert-manager). */
  readonly issuer: string;
  /** Namespaces whose pods may query ClickHouse on its TLS ports. */
  readonly clientNamespaces: readonly string[];
  /** Namespace the operator runs in: it queries every server on the plain HTTP port. */
  readonly operatorNamespace: string;
}

export type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> } } & Record<
  string,
  unknown
>;

const CHI_LABEL = { 'clickhouse.altinity.com/chi': CLICKHOUSE.installation };
const CHK_LABEL = { 'clickhouse-keeper.altinity.com/chk': CLICKHOUSE.keeper };
const BACKUP_TRIGGER_LABEL = { 'app.kubernetes.io/name': 'clickhouse-backup-trigger' };
const ZONE = 'topology.kubernetes.io/zone';
const ON_MANAGED_NODES = { 'node-group': 'general' };
/** Secrets the operator mounts are found at /etc/clickhouse-server/secrets.d/<file>/<secret>/<key>. */
const mounted = (file: string, key: string) => `/etc/clickhouse-server/secrets.d/${file}/${CLICKHOUSE.serverTlsSecret}/${key}`;

/** Per-host service names the operator creates: `chi-<chi>-<cluster>-<shard>-<replica>`. */
export function clickhouseHostNames(shards: number, replicasPerShard: number): string[] {
  const hosts: string[] = [];
  for (let shard = 0; shard < shards; shard++)
    for (let replica = 0; replica < replicasPerShard; replica++)
      hosts.push(`chi-${CLICKHOUSE.installation}-${CLICKHOUSE.cluster}-${shard}-${replica}`);
  return hosts;
}

/** `HH:MM-HH:MM` (UTC) to the cron expression of its start, daily. */
export function dailyCronAt(windowUtc: string): string {
  const match = /^(\d{2}):(\d{2})-\d{2}:\d{2}$/.exec(windowUtc);
  if (!match) throw new Error(`backup window ${windowUtc}: expected HH:MM-HH:MM in UTC`);
  return `${Number(match[2])} ${Number(match[1])} * * *`;
}

/** The certificate, key and CA every TLS endpoint of a server uses: one certificate for both directions (it carries both usages). */
const TLS_FILES = `<certificateFile>${mounted('server.crt', 'tls.crt')}</certificateFile>
      <privateKeyFile>${mounted('server.key', 'tls.key')}</privateKeyFile>
      <caConfig>${mounted('ca.crt', 'ca.crt')}</caConfig>
      <loadDefaultCAFile>false</loadDefaultCAFile>
      <disableProtocols>sslv2,sslv3,tlsv1,tlsv1_1</disableProtocols>`;
/**
 * Server and inter-server TLS (ClickHouse's openSSL section): TLS 1.2 at least; servers verify a
 * client certificate when one is presented, and verify each other strictly against the in-cluster CA.
 */
const OPENSSL_XML = `<clickhouse>
  <openSSL>
    <server>
      ${TLS_FILES}
      <verificationMode>relaxed</verificationMode>
      <preferServerCiphers>true</preferServerCiphers>
      <cacheSessions>true</cacheSessions>
    </server>
    <client>
      ${TLS_FILES}
      <verificationMode>strict</verificationMode>
      <invalidCertificateHandler><name>RejectCertificateHandler</name></invalidCertificateHandler>
    </client>
  </openSSL>
</clickhouse>
`;

const secretFile = (key: string) => ({ valueFrom: { secretKeyRef: { name: CLICKHOUSE.serverTlsSecret, key } } });

/**
 * Backs up shard by shard, from the first replica of each (replicas hold the same data): asks the
 * clickhouse-backup sidecar's API for a full `create_remote` and waits for it, failing the Job (and
 * so the CronJob's status, which alerting can watch) if any shard fails.
 */
function backupScript(hosts: readonly string[]): string {
  const port = CLICKHOUSE.ports.backupApi;
  return [
    'set -eu',
    'stamp=$(date -u +%Y%m%dT%H%M%SZ)',
    `for host in ${hosts.join(' ')}; do`,
    `  api="http://$host.${CLICKHOUSE.namespace}.svc.cluster.local:${port}"`,
    '  id=$(curl -fsS -X POST "$api/backup/create_remote?name=$host-$stamp" | sed -n \'s/.*"operation_id":"\\([^"]*\\)".*/\\1/p\')',
    '  [ -n "$id" ] || { echo "$host: no operation id"; exit 1; }',
    '  while :; do',
    '    status=$(curl -fsS "$api/backup/status?operationid=$id")',
    '    case "$status" in *\'"status":"success"\'*) echo "$host: $id done"; break ;; *\'"status":"error"\'*) echo "$host: $status"; exit 1 ;; esac',
    '    sleep 30',
    '  done',
    'done',
  ].join('\n');
}

/**
 * The objects of one region's ClickHouse, for the operator to reconcile (plain objects, validated
 * against the operator's CRD schemas and the Kubernetes API schemas in tests):
 * - a StorageClass: gp3 encrypted with the region's data key, volumes kept when a claim goes (Retain);
 * - Keeper (3 replicas, one per zone) instead of ZooKeeper, for replication and distributed DDL;
 * - the installation: shards x replicas from config, replicas of a shard in different zones, TLS
 *   only for clients (8443 HTTPS, 9440 native) with a cert-manager certificate, an auto-generated
 *   inter-server secret (no `default` password on the wire), a ClusterIP service (the operator's
 *   default is a LoadBalancer), and clickhouse-backup as a sidecar (it must read the data volume),
 *   which reaches S3 through Pod Identity (service account clickhouse/clickhouse-backup);
 * - a daily CronJob in the region's backup window that triggers the backups;
 * - NetworkPolicies: servers take client ports from the listed namespaces only, the plain ports from
 *   their own pods and the operator, the backup API from the trigger only; Keeper from the servers.
 */
export function clickhouseManifests(input: ClickhouseManifestsInput): Manifest[] {
  const ns = CLICKHOUSE.namespace;
  const hosts = clickhouseHostNames(input.shards, input.replicasPerShard);
  const firstReplicas = hosts.filter((h) => h.endsWith('-0'));
  const { ports } = CLICKHOUSE;
  const memory = `${input.serverResources.memoryGiB}Gi`;
  const tcp = (port: number) => ({ port, protocol: 'TCP' });
  const fromPods = (labels: Record<string, string>) => ({ podSelector: { matchLabels: labels } });
  const fromNamespace = (name: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });
  const ingressPolicy = (name: string, labels: Record<string, string>, ingress: object[]): Manifest => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: ns },
    spec: { podSelector: { matchLabels: labels }, policyTypes: ['Ingress'], ingress },
  });
  const spreadOverZones = (labels: Record<string, string>) => [
    { maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: labels } },
  ];

  return [
    encryptedGp3StorageClass(CLICKHOUSE.storageClass, input.volumeKeyArn),
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: CLICKHOUSE_BACKUP_SERVICE_ACCOUNT.name, namespace: ns } },
    {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'clickhouse-server', namespace: ns },
      spec: {
        secretName: CLICKHOUSE.serverTlsSecret,
        commonName: CLICKHOUSE_SERVICE_HOST,
        // The service name clients use, and each host's name (inter-server traffic verifies them strictly).
        dnsNames: [
          CLICKHOUSE_SERVICE_HOST,
          `clickhouse-${CLICKHOUSE.installation}.${ns}.svc`,
          ...hosts.flatMap((h) => [h, `${h}.${ns}.svc`, `${h}.${ns}.svc.cluster.local`]),
        ],
        duration: '2160h',
        renewBefore: '720h',
        privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
        usages: ['server auth', 'client auth', 'digital signature'],
        issuerRef: { name: input.issuer, kind: 'ClusterIssuer', group: 'cert-manager.io' },
      },
    },
    {
      apiVersion: 'clickhouse-keeper.altinity.com/v1',
      kind: 'ClickHouseKeeperInstallation',
      metadata: { name: CLICKHOUSE.keeper, namespace: ns },
      spec: {
        defaults: { templates: { podTemplate: 'keeper', dataVolumeClaimTemplate: 'keeper-data' } },
        configuration: { clusters: [{ name: 'keeper', layout: { replicasCount: CLICKHOUSE.keeperReplicas } }] },
        templates: {
          podTemplates: [
            {
              name: 'keeper',
              metadata: { labels: CHK_LABEL },
              spec: {
                nodeSelector: ON_MANAGED_NODES,
                topologySpreadConstraints: spreadOverZones(CHK_LABEL),
                securityContext: { runAsUser: 101, runAsGroup: 101, fsGroup: 101, runAsNonRoot: true },
                containers: [
                  {
                    name: 'clickhouse-keeper',
                    image: CLICKHOUSE.images.keeper,
                    resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '2Gi' } },
                  },
                ],
              },
            },
          ],
          volumeClaimTemplates: [
            {
              name: 'keeper-data',
              spec: { storageClassName: CLICKHOUSE.storageClass, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '20Gi' } } },
            },
          ],
        },
      },
    },
    {
      apiVersion: 'clickhouse.altinity.com/v1',
      kind: 'ClickHouseInstallation',
      metadata: { name: CLICKHOUSE.installation, namespace: ns },
      spec: {
        defaults: { templates: { podTemplate: 'server', dataVolumeClaimTemplate: 'data', serviceTemplate: 'cluster-ip' } },
        configuration: {
          zookeeper: { nodes: [{ host: `keeper-${CLICKHOUSE.keeper}.${ns}.svc.cluster.local`, port: ports.keeper }] },
          clusters: [
            {
              name: CLICKHOUSE.cluster,
              layout: { shardsCount: input.shards, replicasCount: input.replicasPerShard },
              // Distributed queries authenticate with a generated cluster secret, over TLS.
              secret: { auto: 'true' },
              secure: 'yes',
            },
          ],
          settings: { https_port: ports.https, tcp_port_secure: ports.nativeTls },
          files: {
            'config.d/openssl.xml': OPENSSL_XML,
            'server.crt': secretFile('tls.crt'),
            'server.key': secretFile('tls.key'),
            'ca.crt': secretFile('ca.crt'),
          },
        },
        templates: {
          serviceTemplates: [
            {
              name: 'cluster-ip',
              spec: {
                type: 'ClusterIP',
                ports: [
                  { name: 'https', port: ports.https, targetPort: ports.https },
                  { name: 'secure-native', port: ports.nativeTls, targetPort: ports.nativeTls },
                ],
              },
            },
          ],
          podTemplates: [
            {
              name: 'server',
              metadata: { labels: CHI_LABEL },
              spec: {
                serviceAccountName: CLICKHOUSE_BACKUP_SERVICE_ACCOUNT.name,
                nodeSelector: ON_MANAGED_NODES,
                topologySpreadConstraints: spreadOverZones(CHI_LABEL),
                securityContext: { runAsUser: 101, runAsGroup: 101, fsGroup: 101, runAsNonRoot: true },
                containers: [
                  {
                    name: 'clickhouse',
                    image: CLICKHOUSE.images.server,
                    resources: { requests: { cpu: String(input.serverResources.cpu), memory }, limits: { memory } },
                  },
                  {
                    name: 'clickhouse-backup',
                    image: CLICKHOUSE.images.backup,
                    args: ['server'],
                    ports: [{ name: 'backup-api', containerPort: ports.backupApi }],
                    env: [
                      // The operator lets `default` in from localhost only, without a password.
                      { name: 'CLICKHOUSE_USERNAME', value: 'default' },
                      { name: 'API_LISTEN', value: `0.0.0.0:${ports.backupApi}` },
                      { name: 'REMOTE_STORAGE', value: 's3' },
                      { name: 'S3_BUCKET', value: input.backup.bucket },
                      { name: 'S3_REGION', value: input.backup.awsRegion },
                      { name: 'S3_PATH', value: 'shard-{shard}' },
                      { name: 'S3_SSE', value: 'aws:kms' },
                      { name: 'S3_SSE_KMS_KEY_ID', value: input.volumeKeyArn },
                      { name: 'BACKUPS_TO_KEEP_REMOTE', value: String(input.backup.retentionDays) },
                      // -1: the local copy is deleted once uploaded (create_remote), so backups never fill the data volume.
                      { name: 'BACKUPS_TO_KEEP_LOCAL', value: '-1' },
                    ],
                    resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '1Gi' } },
                  },
                ],
              },
            },
          ],
          volumeClaimTemplates: [
            {
              name: 'data',
              // The operator deletes PVCs with the installation unless told to keep them.
              reclaimPolicy: 'Retain',
              spec: {
                storageClassName: CLICKHOUSE.storageClass,
                accessModes: ['ReadWriteOnce'],
                resources: { requests: { storage: `${input.storageGiB}Gi` } },
              },
            },
          ],
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'clickhouse-backup-trigger', namespace: ns },
      automountServiceAccountToken: false,
    },
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'clickhouse-backup', namespace: ns },
      spec: {
        schedule: dailyCronAt(input.backup.windowUtc),
        timeZone: 'Etc/UTC',
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 3600,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: 1,
            activeDeadlineSeconds: 6 * 3600,
            template: {
              metadata: { labels: BACKUP_TRIGGER_LABEL },
              spec: {
                serviceAccountName: 'clickhouse-backup-trigger',
                restartPolicy: 'Never',
                nodeSelector: ON_MANAGED_NODES,
                securityContext: { runAsNonRoot: true, runAsUser: 100 },
                containers: [
                  {
                    name: 'trigger',
                    image: CLICKHOUSE.images.curl,
                    command: ['/bin/sh', '-c', backupScript(firstReplicas)],
                    resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '64Mi' } },
                    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
                  },
                ],
              },
            },
          },
        },
      },
    },
    ingressPolicy('clickhouse-server', CHI_LABEL, [
      { from: input.clientNamespaces.map(fromNamespace), ports: [tcp(ports.https), tcp(ports.nativeTls)] },
      { from: [fromPods(CHI_LABEL)], ports: [tcp(ports.nativeTls), tcp(ports.interserverHttp), tcp(ports.http), tcp(ports.native)] },
      { from: [fromNamespace(input.operatorNamespace)], ports: [tcp(ports.http)] },
      { from: [fromPods(BACKUP_TRIGGER_LABEL)], ports: [tcp(ports.backupApi)] },
    ]),
    ingressPolicy('clickhouse-keeper', CHK_LABEL, [
      { from: [fromPods(CHI_LABEL), fromNamespace(input.operatorNamespace)], ports: [tcp(ports.keeper)] },
      { from: [fromPods(CHK_LABEL)], ports: [tcp(ports.keeperRaft)] },
    ]),
  ];
}
