import { loadEnvironment } from '@platform/config';
import { ALB_TLS_POLICY, CLOUDFRONT_VIEWER_TLS, outsideWindowSchedule, parseCidr, rangesOverlap, type Ipv4Range } from '@platform/config';
import { CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS, HEALTH_CHECKER_CIDRS } from '@platform/edge';
import { regionalContracts, singletonContracts, stackNames } from '@platform/stack-contracts';
import { STATEFUL_HELM_RELEASES, loadSuppressions, runPolicyGate } from '@platform/plan-review';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { allSynthesizedStacks, appNames, resourcesIn, workspaceRoot } from './synthesized-apps';

/**
 * Invariants over the whole synthesized output of every app: what Terraform will actually see.
 * Each failure names the stack and resource so the fix is obvious.
 */
const config = loadEnvironment(process.env['PLATFORM_ENV'] ?? 'prod');
const stacks = allSynthesizedStacks(config.environment);

/** The AWS region a resource is created in: its provider's region (aliased or default). */
function regionOf(stack: (typeof stacks)[number], body: Record<string, unknown>): string {
  const alias = typeof body['provider'] === 'string' && body['provider'] !== 'aws' ? String(body['provider']).replace(/^aws\./, '') : undefined;
  const provider = (stack.json.provider?.['aws'] ?? []).find((p) => (alias ? p['alias'] === alias : !p['alias']));
  return String(provider?.['region']);
}

describe('every app', () => {
  it('is synthesized: bootstrap, global and one app per configured region', () => {
    // npm run sync:regions keeps apps/ in step with the config; the seed's regions are checked below ("the seed, written once").
    expect(appNames()).toEqual(['bootstrap', 'global', ...config.regions.map((r) => r.name)].sort());
    expect(new Set(stacks.map((s) => s.app))).toEqual(new Set(appNames()));
    for (const region of config.regions) {
      expect(stacks.map((s) => s.name)).toEqual(
        expect.arrayContaining([stackNames.regionInfra(region.name), stackNames.regionData(region.name), stackNames.regionPlatform(region.name)]),
      );
    }
  });
});

describe('state', () => {
  it('has one unique stack name (and so one state key) per stack across all apps', () => {
    const names = stacks.map((s) => s.name);
    expect(names.length).toBe(new Set(names).size);
  });

  it('is kept in the S3 bucket, encrypted with the state key and locked, except the bootstrap', () => {
    for (const stack of stacks) {
      const backend = stack.json.terraform?.backend ?? {};
      if (stack.name === stackNames.bootstrap) {
        expect({ stack: stack.name, backends: Object.keys(backend) }).toEqual({ stack: stack.name, backends: ['local'] });
        continue;
      }
      expect({ stack: stack.name, s3: backend['s3'] }).toEqual({
        stack: stack.name,
        s3: expect.objectContaining({
          key: `${config.environment}/${stack.name}/terraform.tfstate`,
          encrypt: true,
          use_lockfile: true,
          kms_key_id: expect.stringMatching(/^arn:aws:kms:[a-z0-9-]+:\d{12}:alias\//),
        }),
      });
    }
  });
});

describe('providers', () => {
  it('pin exact versions', () => {
    for (const stack of stacks) {
      for (const [provider, version] of Object.entries(stack.providerVersions)) {
        expect({ stack: stack.name, provider, version }).toEqual({ stack: stack.name, provider, version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
      }
    }
  });

  it('every AWS provider is pinned to the environment account and tags what it creates', () => {
    for (const stack of stacks) {
      for (const provider of stack.json.provider?.['aws'] ?? []) {
        expect({ stack: stack.name, accounts: provider['allowed_account_ids'] }).toEqual({ stack: stack.name, accounts: [config.accountId] });
        const tags = (provider['default_tags'] as { tags: Record<string, string> }[])[0]?.tags;
        expect({ stack: stack.name, tags }).toEqual({
          stack: stack.name,
          tags: expect.objectContaining({ project: config.project, environment: config.environment, owner: config.owner, stack: stack.name }),
        });
      }
    }
  });

  it('each region infra stack talks to its own region', () => {
    for (const region of config.regions) {
      const infra = stacks.find((s) => s.name === stackNames.regionInfra(region.name))!;
      expect(infra.providers).toEqual(['aws']);
      expect((infra.json.provider?.['aws'] ?? []).map((p) => p['region'])).toEqual([region.awsRegion]);
    }
  });
});

describe('the policy gate', () => {
  // Encryption, TLS, private data stores, WAF, the single trail, IMDSv2, open ports, deletion
  // protection and bucket hardening are the gate's rules (packages/plan-review): the whole output
  // passes them, with only the committed, reasoned suppressions.
  it('passes over every synthesized stack', () => {
    const result = runPolicyGate(stacks, config, loadSuppressions(resolve(workspaceRoot, 'packages/plan-review/data/suppressions.json')));
    expect(result.findings).toEqual([]);
    expect(result.unusedSuppressions).toEqual([]);
  });
});

describe('stack contracts', () => {
  it('each producer publishes exactly what its contract declares', () => {
    for (const contract of singletonContracts) {
      const producer = stacks.find((s) => s.name === contract.stackName());
      expect({ contract: contract.name, outputs: Object.keys(producer?.json.output ?? {}).sort() }).toEqual({
        contract: contract.name,
        outputs: Object.keys(contract.outputs).sort(),
      });
    }
  });

  it('each region publishes its regional contracts exactly', () => {
    for (const contract of regionalContracts) {
      for (const region of config.regions) {
        const producer = stacks.find((s) => s.name === contract.stackName(region.name));
        expect({ producer: producer?.name, outputs: Object.keys(producer?.json.output ?? {}).sort() }).toEqual({
          producer: contract.stackName(region.name),
          outputs: Object.keys(contract.outputs).sort(),
        });
      }
    }
  });

  it('no stack publishes an output that no contract declares', () => {
    const producers = new Set<string>([
      ...singletonContracts.map((c) => c.stackName()),
      ...regionalContracts.flatMap((c) => config.regions.map((r) => c.stackName(r.name))),
    ]);
    const stray = stacks.filter((s) => !producers.has(s.name) && Object.keys(s.json.output ?? {}).length > 0).map((s) => s.name);
    expect(stray).toEqual([]);
  });
});

describe('network', () => {
  const vpcs = stacks.flatMap((stack) =>
    resourcesIn(stack)
      .filter(([type]) => type === 'aws_vpc')
      .map(([, id, body]) => ({ where: `${stack.name}: aws_vpc.${id}`, range: parseCidr(body['cidr_block'] as string) as Ipv4Range })),
  );

  it('has one VPC per region, and no two VPC ranges overlap', () => {
    expect(vpcs).toHaveLength(config.regions.length);
    vpcs.forEach((a, i) =>
      vpcs
        .slice(i + 1)
        .forEach((b) =>
          expect({ a: a.where, b: b.where, overlap: rangesOverlap(a.range, b.range) }).toEqual({ a: a.where, b: b.where, overlap: false }),
        ),
    );
  });

  it('data subnets sit in data route tables that have no route to an internet or NAT gateway', () => {
    for (const stack of stacks) {
      const resources = resourcesIn(stack);
      const tierOf = (type: string, id: string) =>
        ((resources.find(([t, i]) => t === type && i === id)?.[2]['tags'] as Record<string, string> | undefined) ?? {})['tier'];
      const ref = /^\$\{aws_[a-z_]+\.([^.]+)\.id\}$/;
      for (const [, id, association] of resources.filter(([t]) => t === 'aws_route_table_association')) {
        const subnet = ref.exec(association['subnet_id'] as string)?.[1] ?? '';
        const table = ref.exec(association['route_table_id'] as string)?.[1] ?? '';
        if (tierOf('aws_subnet', subnet) === 'data')
          expect({ association: `${stack.name}: ${id}`, table: tierOf('aws_route_table', table) }).toEqual({
            association: `${stack.name}: ${id}`,
            table: 'data',
          });
      }
      const dataTables = resources.filter(([t, , body]) => t === 'aws_route_table' && (body['tags'] as Record<string, string>)['tier'] === 'data');
      for (const [, id, table] of dataTables) {
        expect({ table: id, inline: table['route'] }).toEqual({ table: id, inline: undefined });
        const egress = resources.filter(
          ([t, , r]) =>
            t === 'aws_route' &&
            r['route_table_id'] === `\${aws_route_table.${id}.id}` &&
            (r['gateway_id'] || r['nat_gateway_id'] || r['egress_only_gateway_id']),
        );
        expect({ table: `${stack.name}: ${id}`, egress: egress.map(([, routeId]) => routeId) }).toEqual({
          table: `${stack.name}: ${id}`,
          egress: [],
        });
      }
    }
  });

  it('the peering mesh is complete: every pair connected, accepted, DNS on, routes both ways in private and data tables', () => {
    const peering = stacks.find((s) => s.name === stackNames.globalPeering)!;
    const resources = resourcesIn(peering);
    const infraRef = (region: string) => `\${data.terraform_remote_state.${stackNames.regionInfra(region)}.outputs.vpcId}`;
    const providerOf = (region: string) => (region === config.primaryRegion.name ? 'aws' : `aws.${region}`);
    const connections = resources.filter(([t]) => t === 'aws_vpc_peering_connection').map(([, , b]) => b);
    expect(resources.filter(([t]) => t === 'aws_vpc_peering_connection_accepter')).toHaveLength(connections.length);
    expect(resources.filter(([t]) => t === 'aws_vpc_peering_connection_options')).toHaveLength(2 * connections.length);
    const regions = config.regions;
    expect(connections).toHaveLength((regions.length * (regions.length - 1)) / 2);
    regions.forEach((a, i) =>
      regions.slice(i + 1).forEach((b) => {
        const pair = connections.filter((c) => [c['vpc_id'], c['peer_vpc_id']].sort().join() === [infraRef(a.name), infraRef(b.name)].sort().join());
        expect({ pair: `${a.name}<->${b.name}`, connections: pair.length }).toEqual({ pair: `${a.name}<->${b.name}`, connections: 1 });
        for (const [from, to] of [
          [a, b],
          [b, a],
        ] as const) {
          const routes = resources
            .filter(([t, , r]) => t === 'aws_route' && r['provider'] === providerOf(from.name) && r['destination_cidr_block'] === to.vpcCidr)
            .map(([, , r]) => r['route_table_id'] as string);
          const tables = [...Array(2 * from.availabilityZones.length).keys()].map(
            (k) =>
              `\${element(concat(data.terraform_remote_state.${stackNames.regionInfra(from.name)}.outputs.privateRouteTableIds, data.terraform_remote_state.${stackNames.regionInfra(from.name)}.outputs.dataRouteTableIds), ${k})}`,
          );
          expect({ from: from.name, to: to.name, tables: routes.sort() }).toEqual({ from: from.name, to: to.name, tables: tables.sort() });
        }
      }),
    );
  });
});

describe('keys', () => {
  const foundation = stacks.find((s) => s.name === stackNames.globalFoundation)!;
  const resources = resourcesIn(foundation);
  const aliasRegion = new Map((foundation.json.provider?.['aws'] ?? []).map((p) => [p['alias'] ? `aws.${p['alias']}` : 'aws', p['region']]));

  it('every multi-region primary rotates and has a rotating replica in every other region', () => {
    const primaries = resources.filter(([t]) => t === 'aws_kms_key');
    expect(primaries.length).toBeGreaterThan(0);
    for (const [, id, key] of primaries) {
      expect({ key: id, multiRegion: key['multi_region'], rotation: key['enable_key_rotation'] }).toEqual({
        key: id,
        multiRegion: true,
        rotation: true,
      });
      const replicaRegions = resources
        .filter(([t, , r]) => t === 'aws_kms_replica_key' && r['primary_key_arn'] === `\${aws_kms_key.${id}.arn}`)
        .map(([, , r]) => aliasRegion.get(r['provider'] as string));
      expect({ key: id, replicas: replicaRegions.sort() }).toEqual({
        key: id,
        replicas: config.regions
          .filter((r) => !r.primary)
          .map((r) => r.awsRegion)
          .sort(),
      });
    }
  });

  it('each region infra stack encrypts only with its own region key', () => {
    for (const region of config.regions) {
      const infra = stacks.find((s) => s.name === stackNames.regionInfra(region.name))!;
      const keyRefs = JSON.stringify(infra.json.resource).match(/outputs\.[a-z]+KeyArns(\.[a-z-]+|\[\\"[a-z-]+\\"\])/g) ?? [];
      expect(keyRefs.length).toBeGreaterThan(0);
      for (const ref of keyRefs)
        expect({ stack: infra.name, ref }).toEqual({
          stack: infra.name,
          ref: expect.stringMatching(new RegExp(`(\\.${region.name}|\\[\\\\"${region.name}\\\\"\\])$`)),
        });
    }
  });
});

describe('access', () => {
  it('no IAM or key policy allows every action', () => {
    for (const stack of stacks) {
      for (const [type, id, body] of resourcesIn(stack)) {
        for (const attribute of ['policy', 'assume_role_policy']) {
          const text = body[attribute];
          if (typeof text !== 'string' || !text.startsWith('{')) continue;
          const statements = [(JSON.parse(text) as { Statement: unknown }).Statement].flat() as { Effect: string; Action?: string | string[] }[];
          const everything = statements.filter((st) => st.Effect === 'Allow' && [st.Action].flat().includes('*'));
          expect({ where: `${stack.name}: ${type}.${id}.${attribute}`, everything }).toEqual({
            where: `${stack.name}: ${type}.${id}.${attribute}`,
            everything: [],
          });
        }
      }
    }
  });
});

describe('data stores', () => {
  const named = (name: string) => stacks.find((s) => s.name === name)!;
  const ofType = (type: string) =>
    stacks.flatMap((stack) =>
      resourcesIn(stack)
        .filter(([t]) => t === type)
        .map(([, id, body]) => ({ stack: stack.name, id, body })),
    );

  it('one Aurora global cluster (in the foundation), one regional cluster per region in its data stack', () => {
    expect(
      ofType('aws_rds_global_cluster').map((g) => [g.stack, g.body['engine'], g.body['storage_encrypted'], g.body['deletion_protection']]),
    ).toEqual([[stackNames.globalFoundation, 'aurora-postgresql', true, true]]);
    expect(
      ofType('aws_rds_cluster')
        .map((c) => c.stack)
        .sort(),
    ).toEqual(config.regions.map((r) => stackNames.regionData(r.name)).sort());
    for (const cluster of ofType('aws_rds_cluster'))
      expect({ stack: cluster.stack, global: cluster.body['global_cluster_identifier'] }).toEqual({
        stack: cluster.stack,
        global: '${data.terraform_remote_state.global-foundation.outputs.auroraGlobalClusterId}',
      });
  });

  it("only the home region's cluster holds credentials and the database; secondaries carry none", () => {
    for (const cluster of ofType('aws_rds_cluster')) {
      const isHome = cluster.stack === stackNames.regionData(config.homeRegion.name);
      const credentials = ['master_username', 'master_password', 'database_name'].filter((a) => cluster.body[a] !== undefined);
      expect({ stack: cluster.stack, credentials }).toEqual({
        stack: cluster.stack,
        credentials: isHome ? ['master_username', 'master_password', 'database_name'] : [],
      });
      if (isHome) expect(String(cluster.body['master_password'])).toMatch(/^\$\{data\.aws_secretsmanager_random_password\./);
    }
  });

  it('one Global Datastore, created by the home region; a member in the home region and each configured secondary', () => {
    expect(ofType('aws_elasticache_global_replication_group').map((g) => g.stack)).toEqual([stackNames.regionData(config.homeRegion.name)]);
    const members = ofType('aws_elasticache_replication_group');
    expect(members.map((m) => m.stack).sort()).toEqual([config.homeRegion.name, ...config.redis.secondaryRegions].map(stackNames.regionData).sort());
    for (const member of members.filter((m) => m.stack !== stackNames.regionData(config.homeRegion.name))) {
      expect({ stack: member.stack, joins: member.body['global_replication_group_id'], engine: member.body['engine'] }).toEqual({
        stack: member.stack,
        joins: `\${data.terraform_remote_state.home-data.outputs.redisGlobalReplicationGroupId}`,
        engine: undefined,
      });
    }
  });

  it("every data store sits in its region's data subnets and is encrypted with its own region's data key", () => {
    for (const region of config.regions) {
      const data = named(stackNames.regionData(region.name));
      const resources = resourcesIn(data);
      for (const [type, id, body] of resources.filter(([t]) => t === 'aws_db_subnet_group' || t === 'aws_elasticache_subnet_group')) {
        expect({ where: `${data.name}: ${type}.${id}`, subnets: body['subnet_ids'] }).toEqual({
          where: `${data.name}: ${type}.${id}`,
          subnets: '${data.terraform_remote_state.infra.outputs.dataSubnetIds}',
        });
      }
      const ownKey = new RegExp(`outputs\\.dataKeyArns(\\.${region.name}|\\["${region.name}"\\])\\}$`);
      for (const [type, id, body] of resources.filter(([t]) => t === 'aws_rds_cluster' || t === 'aws_elasticache_replication_group')) {
        expect({ where: `${data.name}: ${type}.${id}`, key: body['kms_key_id'] }).toEqual({
          where: `${data.name}: ${type}.${id}`,
          key: expect.stringMatching(ownKey),
        });
      }
    }
  });

  it("every region's backup bucket replicates, KMS objects included, to a bucket in another region", () => {
    const replication = named(stackNames.globalData);
    const regionOf = new Map(
      (replication.json.provider?.['aws'] ?? []).map((p) => [p['alias'] ? `aws.${String(p['alias'])}` : 'aws', String(p['region'])]),
    );
    const rules = resourcesIn(replication).filter(([t]) => t === 'aws_s3_bucket_replication_configuration');
    expect(rules).toHaveLength(config.regions.length);
    for (const region of config.regions) {
      const [, id, body] = rules.find(([, , b]) => String(b['bucket']).includes(`-clickhouse-backup-${region.name}-`))!;
      const rule = (
        body['rule'] as {
          source_selection_criteria: { sse_kms_encrypted_objects: { status: string } };
          destination: { bucket: string; encryption_configuration: { replica_kms_key_id: string } };
        }[]
      )[0]!;
      const target = config.regions.find((r) => rule.destination.bucket.includes(`-clickhouse-backup-${r.name}-`))!;
      expect({
        id,
        source: regionOf.get(String(body['provider'] ?? 'aws')),
        kms: rule.source_selection_criteria.sse_kms_encrypted_objects.status,
      }).toEqual({ id, source: region.awsRegion, kms: 'Enabled' });
      expect({ id, sameRegion: target.name === region.name, replicaKey: rule.destination.encryption_configuration.replica_kms_key_id }).toEqual({
        id,
        sameRegion: false,
        replicaKey: expect.stringMatching(new RegExp(`dataKeyArns(\\.${target.name}|\\["${target.name}"\\])\\}$`)),
      });
    }
  });

  it('keeps the logical ids of the stateful data resources (a rename replaces a database)', () => {
    for (const region of config.regions) {
      const ids = (type: string) => Object.keys(named(stackNames.regionData(region.name)).json.resource?.[type] ?? {}).sort();
      expect({ region: region.name, aurora: ids('aws_rds_cluster'), bucket: ids('aws_s3_bucket') }).toEqual({
        region: region.name,
        aurora: ['aurora_cluster_059EF40F'],
        bucket: ['clickhouse-backups_bucket_ACE5204F'],
      });
      // Only the Global Datastore's members (the home region and redis.secondaryRegions, at most three) have a cache.
      const member = region.name === config.homeRegion.name || config.redis.secondaryRegions.includes(region.name);
      expect({ region: region.name, redis: ids('aws_elasticache_replication_group') }).toEqual({
        region: region.name,
        redis: member ? ['redis_replication-group_5BD9E6FB'] : [],
      });
    }
    expect(
      Object.keys(named(stackNames.regionData(config.homeRegion.name)).json.resource?.['aws_elasticache_global_replication_group'] ?? {}),
    ).toEqual(['redis_global_DC68F5D7']);
    expect(Object.keys(named(stackNames.regionData(config.homeRegion.name)).json.resource?.['aws_secretsmanager_secret'] ?? {}).sort()).toEqual([
      'aurora_master_secret_81E9E684',
      'redis_auth_secret_CE7C59D6',
    ]);
    expect(Object.keys(named(stackNames.globalFoundation).json.resource?.['aws_rds_global_cluster'] ?? {})).toEqual([
      'aurora_global-cluster_8288691D',
    ]);
  });
});

describe('alarms', () => {
  const alarms = stacks.flatMap((stack) =>
    resourcesIn(stack)
      .filter(([t]) => t === 'aws_cloudwatch_metric_alarm')
      .map(([, id, body]) => ({ stack, id, body })),
  );

  it('every alarm notifies the alarm topic of its own region on ALARM and OK, and every topic is encrypted', () => {
    expect(alarms.length).toBeGreaterThan(0);
    /** The region of the topic an action names: a region's published topic, or a topic of the same stack. */
    const topicRegion = (stack: (typeof stacks)[number], ref: string): string | undefined => {
      const remoteId = /terraform_remote_state\.([A-Za-z0-9_-]+)\.outputs\.alarmTopicArn/.exec(ref)?.[1];
      if (remoteId) {
        // The state it reads names the producing stack: `<env>/<region>-infra/terraform.tfstate`.
        const key = String((stack.json.data?.['terraform_remote_state']?.[remoteId]?.['config'] as { key?: string } | undefined)?.key);
        return config.regions.find((r) => key.includes(`/${stackNames.regionInfra(r.name)}/`))?.awsRegion;
      }
      const local = /^\$\{aws_sns_topic\.([A-Za-z0-9_-]+)\.arn\}$/.exec(ref)?.[1];
      const topic = local ? stack.json.resource?.['aws_sns_topic']?.[local] : undefined;
      return topic ? regionOf(stack, topic) : undefined;
    };
    const composites = stacks.flatMap((stack) =>
      resourcesIn(stack)
        .filter(([t]) => t === 'aws_cloudwatch_composite_alarm')
        .map(([, id, body]) => ({ stack, id, body })),
    );
    for (const { stack, id, body } of [...alarms, ...composites]) {
      if (body['actions_enabled'] === false) {
        // A silent alarm must feed a composite alarm of its stack, which notifies (checked in this loop too).
        const feeds = composites.filter(
          (c) => c.stack === stack && String(c.body['alarm_rule']).includes(`aws_cloudwatch_metric_alarm.${id}.alarm_name`),
        );
        expect({ alarm: `${stack.name}: ${id}`, feedsComposite: feeds.length > 0 }).toEqual({ alarm: `${stack.name}: ${id}`, feedsComposite: true });
        continue;
      }
      const region = regionOf(stack, body);
      const actions = [body['alarm_actions'], body['ok_actions']].map((a) =>
        ((a as string[] | undefined) ?? []).map((ref) => topicRegion(stack, ref)),
      );
      expect({ alarm: `${stack.name}: ${id}`, actions }).toEqual({ alarm: `${stack.name}: ${id}`, actions: [[region], [region]] });
    }
    for (const stack of stacks)
      for (const [, id, topic] of resourcesIn(stack).filter(([t]) => t === 'aws_sns_topic'))
        expect({ topic: `${stack.name}: ${id}`, key: topic['kms_master_key_id'] }).toEqual({
          topic: `${stack.name}: ${id}`,
          key: expect.stringMatching(/logsKeyArns/),
        });
  });

  it('every alarm tells the person paged where its runbook is, and that runbook exists in the repo', () => {
    const composites = stacks.flatMap((stack) =>
      resourcesIn(stack)
        .filter(([t]) => t === 'aws_cloudwatch_composite_alarm')
        .map(([, id, body]) => ({ stack, id, body })),
    );
    for (const { stack, id, body } of [...alarms, ...composites]) {
      const runbook = /Runbook: (docs\/runbooks\/[a-z0-9-]+\.md)$/.exec(String(body['alarm_description']))?.[1];
      expect({ alarm: `${stack.name}: ${id}`, runbook, exists: runbook !== undefined && existsSync(resolve(workspaceRoot, runbook)) }).toEqual({
        alarm: `${stack.name}: ${id}`,
        runbook: expect.any(String),
        exists: true,
      });
    }
  });

  it("the seed's replication target (lag under 1 s) is alarmed on every secondary, in the metric's own unit", () => {
    const named = (metric: string) =>
      alarms
        .filter((a) => a.body['metric_name'] === metric)
        .map((a) => [a.stack.name, a.body['threshold']])
        .sort();
    const secondaries = config.regions.filter((r) => r.name !== config.homeRegion.name);
    expect(named('AuroraGlobalDBReplicationLag')).toEqual(
      secondaries.map((r) => [stackNames.regionData(r.name), config.monitoring.replicationLagSeconds * 1000]).sort(),
    );
    expect(named('GlobalDatastoreReplicationLag')).toEqual(
      secondaries
        .filter((r) => config.redis.secondaryRegions.includes(r.name))
        .map((r) => [stackNames.regionData(r.name), config.monitoring.replicationLagSeconds])
        .sort(),
    );
    expect(named('ReplicationLatency')).toEqual(config.regions.map(() => [stackNames.globalData, config.monitoring.s3ReplicationLatencySeconds]));
  });

  it("the seed's 99.99 % uptime is an SLO in every region: fast (14.4x) and slow (6x) budget burn, each over a long and a short window", () => {
    // 0.01 % is the budget of the seed's 99.99 %, a literal here so that a config relaxing it fails.
    const burn = alarms
      .filter((a) => /-availability-burn-/.test(String(a.body['alarm_name'])))
      .map((a) => [a.stack.name, String(a.body['alarm_name']).replace(/^.*-burn-/, ''), a.body['threshold']])
      .sort();
    expect(burn).toEqual(
      config.regions
        .flatMap((r) => [
          [stackNames.regionInfra(r.name), 'fast-5m', 0.144],
          [stackNames.regionInfra(r.name), 'fast-60m', 0.144],
          [stackNames.regionInfra(r.name), 'slow-30m', 0.06],
          [stackNames.regionInfra(r.name), 'slow-360m', 0.06],
        ])
        .sort(),
    );
  });

  it("the seed's regional latency target (p95 < 50 ms) is alarmed at every region's load balancer, and every region's health in us-east-1", () => {
    // 0.05 s is the seed's number, a literal here so that a config relaxing it fails.
    const latency = alarms
      .filter((a) => a.body['metric_name'] === 'TargetResponseTime')
      .map((a) => [a.stack.name, a.body['extended_statistic'], a.body['threshold'], regionOf(a.stack, a.body)])
      .sort();
    expect(latency).toEqual(config.regions.map((r) => [stackNames.regionInfra(r.name), 'p95', 0.05, r.awsRegion]).sort());
    const health = alarms
      .filter((a) => a.body['metric_name'] === 'HealthCheckStatus')
      .map((a) => [a.stack.name, a.body['comparison_operator'], a.body['threshold'], regionOf(a.stack, a.body)]);
    expect(health).toEqual(config.regions.map(() => [stackNames.globalEdge, 'LessThanThreshold', 1, 'us-east-1']));
  });
});

describe('dashboards', () => {
  /**
   * Metrics AWS publishes that the dashboards may show (AWS documentation of each namespace:
   * ELB "CloudWatch metrics for your Application Load Balancer", RDS "Amazon CloudWatch metrics for
   * Aurora", ElastiCache "Metrics for Valkey and Redis OSS", Route 53 "Monitoring health checks",
   * CloudFront "default and additional distribution metrics"; read 2026-11-25). A typo is a blank graph.
   */
  const PUBLISHED: Readonly<Record<string, readonly string[]>> = {
    'AWS/ApplicationELB': ['RequestCount', 'TargetResponseTime', 'HTTPCode_Target_5XX_Count', 'HTTPCode_ELB_5XX_Count'],
    'AWS/RDS': ['AuroraGlobalDBReplicationLag'],
    'AWS/ElastiCache': ['GlobalDatastoreReplicationLag'],
    'AWS/Route53': ['HealthCheckStatus'],
    'AWS/CloudFront': ['Requests', '5xxErrorRate', 'CacheHitRate', 'OriginLatency'],
  };
  const dashboards = stacks.flatMap((stack) =>
    resourcesIn(stack)
      .filter(([t]) => t === 'aws_cloudwatch_dashboard')
      .map(([, id, body]) => ({ stack, id, body })),
  );

  it('one per region and a global one', () => {
    expect(dashboards.map((d) => d.body['dashboard_name']).sort()).toEqual(
      [...config.regions.map((r) => `254carbon-${config.environment}-${r.name}`), `254carbon-${config.environment}-global`].sort(),
    );
  });

  it('every graph is valid JSON and shows a metric AWS publishes, in a configured region, of a resource this output defines', () => {
    const regions = new Set(config.regions.map((r) => r.awsRegion));
    for (const { stack, id, body } of dashboards) {
      const parsed = JSON.parse(String(body['dashboard_body'])) as { widgets: { properties: { metrics: unknown[][] } }[] };
      expect(parsed.widgets.length).toBeGreaterThan(0);
      for (const metric of parsed.widgets.flatMap((w) => w.properties.metrics)) {
        const [namespace, name, ...rest] = metric as [string, string, ...unknown[]];
        const options = rest.pop() as { region: string };
        const values = rest.filter((_, i) => i % 2 === 1).map(String);
        // Each dimension value is a literal identifier or a reference to this stack or a published output.
        const resolvable = values.every(
          (v) =>
            !v.includes('${') ||
            /^\$\{(aws_[a-z0-9_]+\.[A-Za-z0-9_-]+\.[a-z_]+|data\.terraform_remote_state\.[a-z0-9-]+\.outputs\.[A-Za-z]+)\}$/.test(v),
        );
        expect({
          dashboard: `${stack.name}: ${id}`,
          metric: `${namespace} ${name}`,
          published: PUBLISHED[namespace]?.includes(name) ?? false,
          region: regions.has(options.region),
          resolvable,
        }).toEqual({ dashboard: `${stack.name}: ${id}`, metric: `${namespace} ${name}`, published: true, region: true, resolvable: true });
      }
    }
  });
});

describe('kubernetes', () => {
  const infraOf = (region: string) => stacks.find((s) => s.name === stackNames.regionInfra(region))!;
  const platformOf = (region: string) => stacks.find((s) => s.name === stackNames.regionPlatform(region))!;

  it('node groups match the config in every region (prod: the seed, us-east 3 general + 2 GPU, eu-west 3, apac 2)', () => {
    for (const region of config.regions) {
      const groups = resourcesIn(infraOf(region.name))
        .filter(([t]) => t === 'aws_eks_node_group')
        .map(
          ([, , g]) =>
            `${String(g['node_group_name']).split('-').pop()} ${(g['scaling_config'] as { desired_size: number }).desired_size} ${g['ami_type']}`,
        );
      const expected = region.nodeGroups.map((g) => `${g.name} ${g.desiredSize} ${g.gpu ? 'AL2023_x86_64_NVIDIA' : 'AL2023_x86_64_STANDARD'}`);
      expect({ region: region.name, groups: groups.sort() }).toEqual({ region: region.name, groups: expected.sort() });
    }
  });

  it('every node group runs AL2023 from a launch template requiring IMDSv2 with hop limit 1 and encrypted volumes', () => {
    for (const stack of stacks) {
      const resources = resourcesIn(stack);
      for (const [, id, group] of resources.filter(([t]) => t === 'aws_eks_node_group')) {
        expect({ group: id, ami: group['ami_type'] }).toEqual({ group: id, ami: expect.stringMatching(/^AL2023_x86_64_(STANDARD|NVIDIA)$/) });
        const templateId = /^\$\{aws_launch_template\.([^.]+)\.id\}$/.exec((group['launch_template'] as { id: string }).id)?.[1];
        const template = resources.find(([t, i]) => t === 'aws_launch_template' && i === templateId)?.[2];
        expect({ group: id, imds: template?.['metadata_options'] }).toEqual({
          group: id,
          imds: expect.objectContaining({ http_tokens: 'required', http_put_response_hop_limit: 1 }),
        });
        expect({ group: id, encrypted: JSON.stringify(template?.['block_device_mappings']) }).toEqual({
          group: id,
          encrypted: expect.stringContaining('"encrypted":"true"'),
        });
      }
    }
  });

  it('GPU node groups are tainted, and the NVIDIA device plugin is released exactly where GPU nodes exist', () => {
    for (const region of config.regions) {
      const gpuGroups = resourcesIn(infraOf(region.name)).filter(
        ([t, , g]) => t === 'aws_eks_node_group' && g['ami_type'] === 'AL2023_x86_64_NVIDIA',
      );
      for (const [, id, group] of gpuGroups)
        expect({ group: id, taint: group['taint'] }).toEqual({ group: id, taint: [{ key: 'nvidia.com/gpu', value: 'true', effect: 'NO_SCHEDULE' }] });
      const plugin = resourcesIn(platformOf(region.name)).filter(([t, , r]) => t === 'helm_release' && r['name'] === 'nvidia-device-plugin');
      expect({ region: region.name, gpuGroups: gpuGroups.length > 0, devicePlugin: plugin.length > 0 }).toEqual({
        region: region.name,
        gpuGroups: gpuGroups.length > 0,
        devicePlugin: gpuGroups.length > 0,
      });
    }
  });

  it("Karpenter replaces drifted nodes only inside each region's own maintenance window", () => {
    for (const region of config.regions) {
      const pools = resourcesIn(platformOf(region.name)).find(([t, , r]) => t === 'helm_release' && r['name'] === 'karpenter-pools')![2];
      const { schedule, duration } = outsideWindowSchedule(region.maintenanceWindow);
      const values = String(pools['values']);
      const budgets = values.match(/"reasons" = \["Drifted"\], "schedule" = "[^"]+", "duration" = "[^"]+"/g) ?? [];
      expect({ region: region.name, budgets: [...new Set(budgets)] }).toEqual({
        region: region.name,
        budgets: [`"reasons" = ["Drifted"], "schedule" = "${schedule}", "duration" = "${duration}"`],
      });
    }
  });

  it('every helm release pins its chart: an exact version from a repository, or a chart shipped in the synth output', () => {
    for (const stack of stacks) {
      for (const [, id, release] of resourcesIn(stack).filter(([t]) => t === 'helm_release')) {
        const pinned = release['repository']
          ? /^\d+\.\d+\.\d+$|^v\d+\.\d+\.\d+$/.test(String(release['version']))
          : String(release['chart']).startsWith('assets/') && /^\d+\.\d+\.\d+$/.test(String(release['version']));
        expect({ release: `${stack.name}: ${id}`, chart: release['chart'], version: release['version'], pinned }).toEqual({
          release: `${stack.name}: ${id}`,
          chart: release['chart'],
          version: release['version'],
          pinned: true,
        });
      }
    }
  });

  it("a release that holds data refuses destroy, and the plan review's destroy guard knows it by name (and no other)", () => {
    const protectedReleases = stacks.flatMap((stack) =>
      resourcesIn(stack)
        .filter(([t, , r]) => t === 'helm_release' && (r['lifecycle'] as { prevent_destroy?: boolean } | undefined)?.prevent_destroy)
        .map(([, , r]) => String(r['name'])),
    );
    expect([...new Set(protectedReleases)].sort()).toEqual(['clickhouse', 'grafana', 'kube-prometheus-stack']);
    for (const name of protectedReleases) expect(STATEFUL_HELM_RELEASES).toContain(name);
    const releaseNames = new Set(
      stacks.flatMap((stack) =>
        resourcesIn(stack)
          .filter(([t]) => t === 'helm_release')
          .map(([, , r]) => String(r['name'])),
      ),
    );
    // Names the guard watches that exist must be protected here as well.
    for (const name of STATEFUL_HELM_RELEASES.filter((n) => releaseNames.has(n))) expect(protectedReleases).toContain(name);
  });

  it("CI's plan role can read Helm's release state (Secrets) in every namespace that holds a release", () => {
    for (const region of config.regions) {
      const readable = resourcesIn(infraOf(region.name))
        .filter(
          ([t, id, r]) =>
            t === 'aws_eks_access_policy_association' &&
            id.includes('-ci-plan-admin-view') &&
            String(r['policy_arn']).endsWith('/AmazonEKSAdminViewPolicy'),
        )
        .flatMap(([, , r]) => (r['access_scope'] as { namespaces?: string[] }).namespaces ?? []);
      const releaseNamespaces = resourcesIn(platformOf(region.name))
        .filter(([t]) => t === 'helm_release')
        .map(([, , r]) => String(r['namespace']));
      expect({ region: region.name, unreadable: [...new Set(releaseNamespaces.filter((ns) => !readable.includes(ns)))] }).toEqual({
        region: region.name,
        unreadable: [],
      });
    }
  });

  it('the market-intelligence release, wherever present, carries its region and global.multiRegion=true', () => {
    const releases = stacks.flatMap((stack) =>
      resourcesIn(stack)
        .filter(([t, , r]) => t === 'helm_release' && r['name'] === 'market-intelligence')
        .map(([, , r]) => ({ stack: stack.name, values: String(r['values']) })),
    );
    expect(releases.length > 0).toBe(config.workloads.marketIntelligence.enabled);
    for (const { stack, values } of releases) {
      const region = stack.replace(/-platform$/, '');
      expect({ stack, values }).toEqual({ stack, values: expect.stringMatching(new RegExp(`"region" = "${region}"[\\s\\S]*"multiRegion" = true`)) });
    }
  });
});

describe('edge', () => {
  type Body = Record<string, unknown>;
  const edgeStacks = stacks.filter((s) => resourcesIn(s).some(([type]) => type === 'aws_cloudfront_distribution' || type === 'aws_lb'));
  const byRef = (stack: (typeof stacks)[number], ref: unknown): [string, Body] | undefined => {
    const match = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\./.exec(String(ref));
    const body = match ? stack.json.resource?.[match[1]!]?.[match[2]!] : undefined;
    return match && body ? [match[1]!, body] : undefined;
  };
  // The seed: failover in under 2 minutes. A literal here, not config, so a config that relaxes it fails.
  const SEED_FAILOVER_SECONDS = 120;
  // Alias records to a load balancer answer with the ELB's TTL (60 s; Route 53 "alias records" documentation).
  const ELB_ALIAS_TTL_SECONDS = 60;

  it("is synthesized: a distribution in global-edge and a load balancer in every region's infra", () => {
    expect(edgeStacks.map((s) => s.name).sort()).toEqual(
      [stackNames.globalEdge, ...config.regions.map((r) => stackNames.regionInfra(r.name))].sort(),
    );
  });

  it('routes every live region by latency with its own health check and evaluate-target-health; none of a region at weight 0', () => {
    const edge = stacks.find((s) => s.name === stackNames.globalEdge)!;
    const latency = resourcesIn(edge)
      .filter(([type, , body]) => type === 'aws_route53_record' && body['latency_routing_policy'])
      .map(([, , body]) => body);
    expect(latency.map((r) => r['set_identifier']).sort()).toEqual(
      config.regions
        .filter((r) => r.traffic.weightPercent > 0)
        .map((r) => r.name)
        .sort(),
    );
    for (const record of latency) {
      const check = byRef(edge, record['health_check_id']);
      expect({
        record: record['set_identifier'],
        check: check?.[0],
        healthCheckedName: check?.[1]['fqdn'] !== undefined,
        evaluateTargetHealth: (record['alias'] as Body)['evaluate_target_health'],
      }).toEqual({ record: record['set_identifier'], check: 'aws_route53_health_check', healthCheckedName: true, evaluateTargetHealth: true });
    }
  });

  it("takes a failed region out of DNS within the seed's 2 minutes: interval x threshold + the alias TTL", () => {
    const edge = stacks.find((s) => s.name === stackNames.globalEdge)!;
    const checks = resourcesIn(edge)
      .filter(([type]) => type === 'aws_route53_health_check')
      .map(([, id, body]) => ({ id, seconds: Number(body['request_interval']) * Number(body['failure_threshold']) + ELB_ALIAS_TTL_SECONDS }));
    expect(checks).toHaveLength(config.regions.length);
    for (const check of checks) expect({ ...check, within: check.seconds <= SEED_FAILOVER_SECONDS }).toEqual({ ...check, within: true });
  });

  it("takes CloudFront's certificate and CLOUDFRONT-scope web ACL from us-east-1, both attached", () => {
    for (const stack of stacks) {
      for (const [, id, body] of resourcesIn(stack).filter(([type]) => type === 'aws_cloudfront_distribution')) {
        const certificate = byRef(stack, (body['viewer_certificate'] as Body)['acm_certificate_arn']);
        const acl = byRef(stack, body['web_acl_id']);
        expect({
          id,
          certificate: certificate?.[0],
          certificateRegion: certificate && regionOf(stack, certificate[1]),
          acl: acl?.[0],
          aclScope: acl?.[1]['scope'],
          aclRegion: acl && regionOf(stack, acl[1]),
        }).toEqual({
          id,
          certificate: 'aws_acm_certificate_validation',
          certificateRegion: 'us-east-1',
          acl: 'aws_wafv2_web_acl',
          aclScope: 'CLOUDFRONT',
          aclRegion: 'us-east-1',
        });
      }
    }
  });

  it('uses the strongest viewer TLS the provider accepts and the TLS 1.3-only policy on every listener (HTTPS on an ALB, TLS on an NLB); no plaintext listener', () => {
    for (const stack of stacks) {
      const resources = resourcesIn(stack);
      for (const [type, id, body] of resources) {
        if (type === 'aws_cloudfront_distribution')
          expect({ id, tls: (body['viewer_certificate'] as Body)['minimum_protocol_version'] }).toEqual({ id, tls: CLOUDFRONT_VIEWER_TLS });
        if (type === 'aws_lb_listener') {
          const lbId = /^\$\{aws_lb\.([^.]+)\.arn\}$/.exec(String(body['load_balancer_arn']))?.[1];
          const lbType = resources.find(([t, i]) => t === 'aws_lb' && i === lbId)?.[2]['load_balancer_type'];
          expect({ id, protocol: body['protocol'], policy: body['ssl_policy'] }).toEqual({
            id,
            protocol: lbType === 'network' ? 'TLS' : 'HTTPS',
            policy: ALB_TLS_POLICY,
          });
        }
      }
    }
  });

  it('never lets an origin group serve a behavior that allows writes', () => {
    for (const stack of stacks) {
      for (const [, id, body] of resourcesIn(stack).filter(([type]) => type === 'aws_cloudfront_distribution')) {
        const groups = new Set(((body['origin_group'] as Body[] | undefined) ?? []).map((g) => g['origin_id']));
        const behaviors = [body['default_cache_behavior'] as Body, ...((body['ordered_cache_behavior'] as Body[] | undefined) ?? [])];
        for (const behavior of behaviors.filter((b) => groups.has(b['target_origin_id']))) {
          expect({
            id,
            path: behavior['path_pattern'],
            writes: (behavior['allowed_methods'] as string[]).filter((m) => !['GET', 'HEAD', 'OPTIONS'].includes(m)),
          }).toEqual({ id, path: behavior['path_pattern'], writes: [] });
        }
        expect({ id, defaultToGroup: groups.has((body['default_cache_behavior'] as Body)['target_origin_id']) }).toEqual({
          id,
          defaultToGroup: false,
        });
      }
    }
  });

  it("lets only CloudFront's prefix list and the Route 53 checkers reach an internet-facing load balancer, on 443 only", () => {
    for (const stack of stacks) {
      for (const [, id, lb] of resourcesIn(stack).filter(([type, , body]) => type === 'aws_lb' && body['internal'] === false)) {
        const groups = (lb['security_groups'] as string[]).map((ref) => byRef(stack, ref)?.[1] && /\.([A-Za-z0-9_-]+)\.id\}$/.exec(ref)![1]);
        const rules = resourcesIn(stack)
          .filter(
            ([type, , body]) =>
              type === 'aws_vpc_security_group_ingress_rule' && groups.some((g) => String(body['security_group_id']).includes(`.${g}.id`)),
          )
          .map(([, , body]) => body);
        expect(rules.length).toBeGreaterThan(0);
        for (const rule of rules) {
          const source = rule['prefix_list_id'] ?? rule['cidr_ipv4'];
          expect({
            id,
            source,
            port: [rule['from_port'], rule['to_port']],
            allowed: source === CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS[regionOf(stack, lb)] || HEALTH_CHECKER_CIDRS.includes(String(source)),
          }).toEqual({ id, source, port: [443, 443], allowed: true });
        }
      }
    }
  });
});

/**
 * The seed's numbers and the brief's facts, written once here and compared with the output, so a
 * wrong config cannot pass by being compared with itself. Prod only: other environments are
 * smaller on purpose (the describe says so in its name, so a skip is never silent).
 */
const describeProd = config.environment === 'prod' ? describe : describe.skip;
describeProd('the seed, written once (prod)', () => {
  const SEED = {
    regions: { 'us-east': 'us-east-1', 'eu-west': 'eu-west-1', apac: 'ap-southeast-1' },
    // Seed "Node Groups": us-east 3 general + 2 GPU; eu-west 3; apac 2.
    nodeGroups: {
      'us-east': ['general 3 AL2023_x86_64_STANDARD', 'gpu 2 AL2023_x86_64_NVIDIA'],
      'eu-west': ['general 3 AL2023_x86_64_STANDARD'],
      apac: ['general 2 AL2023_x86_64_STANDARD'],
    },
    // Brief: Sunday 02:00-06:00 local in UTC (standard time, no daylight saving).
    maintenanceUtc: { 'us-east': 'sun:07:00-sun:11:00', 'eu-west': 'sun:02:00-sun:06:00', apac: 'sat:18:00-sat:22:00' },
  } as const;
  const stackOf = (name: string) => stacks.find((s) => s.name === name)!;

  it("runs in the seed's three regions, each region's stacks against its own AWS region", () => {
    for (const [region, awsRegion] of Object.entries(SEED.regions)) {
      for (const name of [stackNames.regionInfra(region), stackNames.regionData(region)]) {
        expect({ stack: name, regions: (stackOf(name).json.provider?.['aws'] ?? []).map((p) => p['region']) }).toEqual({
          stack: name,
          regions: [awsRegion],
        });
      }
    }
  });

  it("has the seed's node groups in each region", () => {
    for (const [region, groups] of Object.entries(SEED.nodeGroups)) {
      const actual = resourcesIn(stackOf(stackNames.regionInfra(region)))
        .filter(([t]) => t === 'aws_eks_node_group')
        .map(
          ([, , g]) =>
            `${String(g['node_group_name']).split('-').pop()} ${(g['scaling_config'] as { desired_size: number }).desired_size} ${g['ami_type']}`,
        )
        .sort();
      expect({ region, groups: actual }).toEqual({ region, groups: [...groups] });
    }
  });

  it("maintains every database and cache in its region's Sunday 02:00-06:00 local, in UTC", () => {
    for (const [region, window] of Object.entries(SEED.maintenanceUtc)) {
      const data = resourcesIn(stackOf(stackNames.regionData(region)));
      const windows = data
        .filter(([t]) => t === 'aws_rds_cluster' || t === 'aws_elasticache_replication_group')
        .map(([t, , r]) => [t, r['preferred_maintenance_window'] ?? r['maintenance_window']]);
      expect({ region, windows }).toEqual({
        region,
        windows: [
          ['aws_elasticache_replication_group', window],
          ['aws_rds_cluster', window],
        ].sort(),
      });
    }
  });
});

describe('placement and tiers', () => {
  it("every key a region's stack names, in resources and in Helm values alike, is that region's", () => {
    for (const region of config.regions) {
      for (const name of [stackNames.regionInfra(region.name), stackNames.regionData(region.name), stackNames.regionPlatform(region.name)]) {
        // A secret's replica lives in another region and takes that region's key: the one exception.
        const text = JSON.stringify(stacks.find((s) => s.name === name)!.json, (key, value: unknown) => (key === 'replica' ? undefined : value));
        // Keys reach region stacks only through the foundation's per-region maps.
        const regionsNamed = [...text.matchAll(/KeyArns(?:\[\\"([a-z0-9-]+)\\"\]|\.([a-z0-9-]+))/g)].map((m) => m[1] ?? m[2]);
        expect({ stack: name, keys: [...new Set(regionsNamed)] }).toEqual({ stack: name, keys: [region.name] });
      }
    }
  });

  it("every subnet is in a zone of its provider's region", () => {
    for (const stack of stacks) {
      for (const [, id, subnet] of resourcesIn(stack).filter(([t]) => t === 'aws_subnet')) {
        const region = regionOf(stack, subnet);
        expect({ subnet: `${stack.name}: ${id}`, zone: subnet['availability_zone'] }).toEqual({
          subnet: `${stack.name}: ${id}`,
          zone: expect.stringMatching(new RegExp(`^${region}[a-z]$`)),
        });
      }
    }
  });

  it('each published subnet list holds subnets of its tier: public ones route to the internet gateway, private and data ones do not', () => {
    for (const stack of stacks.filter((s) => s.json.output?.['publicSubnetIds'])) {
      const resources = resourcesIn(stack);
      const body = (type: string, ref: string) => resources.find(([t, id]) => t === type && ref === `\${${type}.${id}.id}`)?.[2];
      const routesToInternet = (subnetRef: string) => {
        const association = resources.find(([t, , a]) => t === 'aws_route_table_association' && a['subnet_id'] === subnetRef)?.[2];
        return resources.some(
          ([t, , r]) =>
            t === 'aws_route' &&
            r['route_table_id'] === association?.['route_table_id'] &&
            String(r['gateway_id'] ?? '').startsWith('${aws_internet_gateway.'),
        );
      };
      for (const [output, tier, internet] of [
        ['publicSubnetIds', 'public', true],
        ['privateSubnetIds', 'private', false],
        ['dataSubnetIds', 'data', false],
      ] as const) {
        for (const ref of stack.json.output![output]!.value as string[]) {
          const subnet = body('aws_subnet', ref);
          expect({
            stack: stack.name,
            output,
            ref,
            tier: (subnet?.['tags'] as Record<string, string> | undefined)?.['tier'],
            internet: routesToInternet(ref),
          }).toEqual({ stack: stack.name, output, ref, tier, internet });
        }
      }
    }
  });
});
