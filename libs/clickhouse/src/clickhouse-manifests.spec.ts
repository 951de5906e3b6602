import { DATA_PORTS } from '@platform/network';
import {
  CLICKHOUSE,
  CLICKHOUSE_SERVICE_HOST,
  clickhouseManifests,
  dailyCronAt,
  type ClickhouseManifestsInput,
  type Manifest,
} from './clickhouse-manifests';
import { validateManifest } from './validate-manifests.testing';

const input: ClickhouseManifestsInput = {
  shards: 2,
  replicasPerShard: 2,
  storageGiB: 200,
  serverResources: { cpu: 4, memoryGiB: 16 },
  volumeKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/data-eu',
  backup: { bucket: 'p-clickhouse-backup-eu-west-111111111111', awsRegion: 'eu-west-1', retentionDays: 30, windowUtc: '00:00-01:00' },
  issuer: 'platform-ca',
  clientNamespaces: ['market-intelligence'],
  operatorNamespace: 'clickhouse-operator',
};

const manifests = clickhouseManifests(input);
const find = (kind: string, name?: string) => manifests.find((m) => m.kind === kind && (!name || m.metadata.name === name))!;
type Obj = Record<string, unknown>;
const spec = (m: Manifest) => m['spec'] as Obj;
const chi = spec(find('ClickHouseInstallation'));
const podTemplate = (m: Manifest) => (spec(m)['templates'] as { podTemplates: { spec: Obj }[] }).podTemplates[0]!.spec;
const containers = (m: Manifest) => podTemplate(m)['containers'] as { name: string; image: string; env?: { name: string; value: string }[] }[];
const backupEnv = Object.fromEntries(
  containers(find('ClickHouseInstallation'))
    .find((c) => c.name === 'clickhouse-backup')!
    .env!.map((e) => [e.name, e.value]),
);

describe('ClickHouse manifests', () => {
  it('match the operator CRD schemas (0.25.6) and the Kubernetes API schemas', () => {
    for (const manifest of manifests) expect(() => validateManifest(manifest)).not.toThrow();
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual([
      'StorageClass/clickhouse-gp3-encrypted',
      'ServiceAccount/clickhouse-backup',
      'Certificate/clickhouse-server',
      'ClickHouseKeeperInstallation/analytics',
      'ClickHouseInstallation/analytics',
      'ServiceAccount/clickhouse-backup-trigger',
      'CronJob/clickhouse-backup',
      'NetworkPolicy/clickhouse-server',
      'NetworkPolicy/clickhouse-keeper',
    ]);
  });

  it('a misspelt or misplaced field fails the same schemas (the check can fail)', () => {
    const misspelt = structuredClone(find('ClickHouseInstallation'));
    ((spec(misspelt)['configuration'] as Obj)['clusters'] as Obj[])[0]!['layout'] = { shardCount: 2 };
    expect(() => validateManifest(misspelt)).toThrow(/ClickHouseInstallation\/analytics: .*additionalProperty.*shardCount/);
    const badPod = structuredClone(find('ClickHouseKeeperInstallation'));
    (podTemplate(badPod)['containers'] as Obj[])[0]!['ports'] = [{ containerPort: '2181' }];
    expect(() => validateManifest(badPod)).toThrow(/containerPort/);
    const badCron = structuredClone(find('CronJob'));
    spec(badCron)['concurrencyPolicy'] = 7;
    expect(() => validateManifest(badCron)).toThrow(/CronJob\/clickhouse-backup/);
  });

  it("keeps every volume on gp3 encrypted with the region's data key, and keeps it when its claim goes", () => {
    expect(find('StorageClass')).toMatchObject({
      provisioner: 'ebs.csi.aws.com',
      parameters: { type: 'gp3', encrypted: 'true', kmsKeyId: input.volumeKeyArn },
      reclaimPolicy: 'Retain',
      volumeBindingMode: 'WaitForFirstConsumer',
    });
    const claims = [find('ClickHouseInstallation'), find('ClickHouseKeeperInstallation')].flatMap(
      (m) => (spec(m)['templates'] as { volumeClaimTemplates: { spec: { storageClassName: string } }[] }).volumeClaimTemplates,
    );
    expect(claims.map((c) => c.spec.storageClassName)).toEqual([CLICKHOUSE.storageClass, CLICKHOUSE.storageClass]);
    expect((chi['templates'] as { volumeClaimTemplates: Obj[] }).volumeClaimTemplates[0]).toMatchObject({
      reclaimPolicy: 'Retain',
      spec: { resources: { requests: { storage: '200Gi' } } },
    });
  });

  it('lays out shards x replicas from config, spread over zones, replicated through the 3-node Keeper', () => {
    expect((chi['configuration'] as Obj)['clusters']).toEqual([
      { name: 'main', layout: { shardsCount: 2, replicasCount: 2 }, secret: { auto: 'true' }, secure: 'yes' },
    ]);
    expect((chi['configuration'] as Obj)['zookeeper']).toEqual({ nodes: [{ host: 'keeper-analytics.clickhouse.svc.cluster.local', port: 2181 }] });
    expect(spec(find('ClickHouseKeeperInstallation'))['configuration']).toEqual({ clusters: [{ name: 'keeper', layout: { replicasCount: 3 } }] });
    for (const m of [find('ClickHouseInstallation'), find('ClickHouseKeeperInstallation')])
      expect(podTemplate(m)['topologySpreadConstraints']).toEqual([
        expect.objectContaining({ topologyKey: 'topology.kubernetes.io/zone', maxSkew: 1, whenUnsatisfiable: 'DoNotSchedule' }),
      ]);
    expect(containers(find('ClickHouseInstallation'))[0]).toMatchObject({
      image: 'altinity/clickhouse-server:25.3.6.10034.altinitystable',
      resources: { requests: { cpu: '4', memory: '16Gi' }, limits: { memory: '16Gi' } },
    });
  });

  it('serves clients on the TLS ports the data tier and the app expect, behind a ClusterIP service, with a CA certificate for every host', () => {
    expect((chi['configuration'] as Obj)['settings']).toEqual({
      https_port: DATA_PORTS.clickhouseHttps,
      tcp_port_secure: DATA_PORTS.clickhouseNativeTls,
    });
    expect([DATA_PORTS.clickhouseHttps, DATA_PORTS.clickhouseNativeTls]).toEqual([8443, 9440]);
    const service = (chi['templates'] as { serviceTemplates: { name: string; spec: { type: string; ports: { port: number }[] } }[] })
      .serviceTemplates[0]!;
    expect((chi['defaults'] as { templates: Obj }).templates['serviceTemplate']).toBe(service.name);
    expect(service.spec.type).toBe('ClusterIP');
    expect(service.spec.ports.map((p) => p.port)).toEqual([8443, 9440]);
    const certificate = spec(find('Certificate'));
    expect(certificate).toMatchObject({
      secretName: CLICKHOUSE.serverTlsSecret,
      issuerRef: { name: 'platform-ca', kind: 'ClusterIssuer' },
      usages: ['server auth', 'client auth', 'digital signature'],
    });
    expect(certificate['dnsNames']).toEqual(
      expect.arrayContaining([CLICKHOUSE_SERVICE_HOST, 'chi-analytics-main-1-1', 'chi-analytics-main-1-1.clickhouse.svc.cluster.local']),
    );
    const files = (chi['configuration'] as { files: Record<string, unknown> }).files;
    expect(files['server.key']).toEqual({ valueFrom: { secretKeyRef: { name: CLICKHOUSE.serverTlsSecret, key: 'tls.key' } } });
    expect(files['config.d/openssl.xml']).toContain(
      '<certificateFile>/etc/clickhouse-server/secrets.d/server.crt/clickhouse-server-tls/tls.crt</certificateFile>',
    );
    expect(files['config.d/openssl.xml']).toContain('<disableProtocols>sslv2,sslv3,tlsv1,tlsv1_1</disableProtocols>');
  });

  it("backs up to the region's bucket with its key, through Pod Identity, daily at the start of the backup window", () => {
    expect(podTemplate(find('ClickHouseInstallation'))['serviceAccountName']).toBe('clickhouse-backup');
    expect(backupEnv).toMatchObject({
      REMOTE_STORAGE: 's3',
      S3_BUCKET: input.backup.bucket,
      S3_REGION: 'eu-west-1',
      S3_SSE: 'aws:kms',
      S3_SSE_KMS_KEY_ID: input.volumeKeyArn,
      S3_PATH: 'shard-{shard}',
      BACKUPS_TO_KEEP_REMOTE: '30',
      BACKUPS_TO_KEEP_LOCAL: '-1',
      CLICKHOUSE_USERNAME: 'default',
    });
    expect(Object.keys(backupEnv).filter((k) => /KEY$|SECRET|PASSWORD/.test(k) && k !== 'S3_SSE_KMS_KEY_ID')).toEqual([]); // no static credentials
    const cron = spec(find('CronJob'));
    expect(cron).toMatchObject({ schedule: '0 0 * * *', timeZone: 'Etc/UTC', concurrencyPolicy: 'Forbid' });
    const script = JSON.stringify(cron['jobTemplate']);
    // One backup per shard, from its first replica.
    expect(script).toContain('for host in chi-analytics-main-0-0 chi-analytics-main-1-0; do');
    expect(script).toContain('/backup/create_remote?name=$host-$stamp');
    expect(dailyCronAt('22:30-23:30')).toBe('30 22 * * *');
    expect(() => dailyCronAt('10pm')).toThrow(/expected HH:MM-HH:MM/);
  });

  it('fences every port: clients on TLS only from their namespaces, plain ports from the installation and the operator, the backup API from its trigger', () => {
    const server = spec(find('NetworkPolicy', 'clickhouse-server'));
    const rules = server['ingress'] as { from: Obj[]; ports: { port: number }[] }[];
    const portsFrom = (selector: Obj) =>
      rules.filter((r) => r.from.some((f) => JSON.stringify(f) === JSON.stringify(selector))).flatMap((r) => r.ports.map((p) => p.port));
    const namespace = (name: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });
    expect(server['podSelector']).toEqual({ matchLabels: { 'clickhouse.altinity.com/chi': 'analytics' } });
    expect(portsFrom(namespace('market-intelligence'))).toEqual([8443, 9440]);
    expect(portsFrom(namespace('clickhouse-operator'))).toEqual([8123]);
    expect(portsFrom({ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'clickhouse-backup-trigger' } } })).toEqual([7171]);
    expect(portsFrom({ podSelector: { matchLabels: { 'clickhouse.altinity.com/chi': 'analytics' } } }).sort()).toEqual([8123, 9000, 9009, 9440]);
    expect(rules.every((r) => r.from.length > 0)).toBe(true); // an empty `from` admits everyone
    const keeper = spec(find('NetworkPolicy', 'clickhouse-keeper'));
    expect(keeper['ingress']).toEqual([
      {
        from: [{ podSelector: { matchLabels: { 'clickhouse.altinity.com/chi': 'analytics' } } }, namespace('clickhouse-operator')],
        ports: [{ port: 2181, protocol: 'TCP' }],
      },
      { from: [{ podSelector: { matchLabels: { 'clickhouse-keeper.altinity.com/chk': 'analytics' } } }], ports: [{ port: 9444, protocol: 'TCP' }] },
    ]);
  });
});
