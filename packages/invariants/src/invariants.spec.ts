import { loadEnvironment } from '@platform/config';
import { singletonContracts, stackNames } from '@platform/stack-contracts';
import { allSynthesizedStacks, appNames, resourcesIn } from './synthesized-apps';

/**
 * Invariants over the whole synthesized output of every app: what Terraform will actually see.
 * Each failure names the stack and resource so the fix is obvious.
 */
const config = loadEnvironment(process.env['PLATFORM_ENV'] ?? 'prod');
const stacks = allSynthesizedStacks();

/** Resource types whose loss is data loss or an outage that takes hand work to undo. */
const STATEFUL_TYPES = ['aws_s3_bucket', 'aws_kms_key', 'aws_kms_replica_key', 'aws_route53_zone', 'aws_rds_global_cluster', 'aws_rds_cluster', 'aws_elasticache_global_replication_group', 'aws_elasticache_replication_group', 'aws_eks_cluster', 'aws_cloudtrail', 'aws_dynamodb_table'];

describe('every app', () => {
  it('is synthesized: bootstrap, global and one app per configured region', () => {
    expect(appNames()).toEqual(['apac', 'bootstrap', 'eu-west', 'global', 'us-east']);
    expect(new Set(stacks.map((s) => s.app))).toEqual(new Set(appNames()));
    for (const region of config.regions) {
      expect(stacks.map((s) => s.name)).toEqual(expect.arrayContaining([stackNames.regionInfra(region.name), stackNames.regionPlatform(region.name)]));
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
        s3: expect.objectContaining({ key: `${config.environment}/${stack.name}/terraform.tfstate`, encrypt: true, use_lockfile: true, kms_key_id: expect.stringMatching(/^arn:aws:kms:[a-z0-9-]+:\d{12}:alias\//) }),
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
        expect({ stack: stack.name, tags }).toEqual({ stack: stack.name, tags: expect.objectContaining({ project: config.project, environment: config.environment, owner: config.owner, stack: stack.name }) });
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

describe('stateful resources', () => {
  it('are protected from destroy', () => {
    const unprotected = stacks.flatMap((stack) =>
      resourcesIn(stack)
        .filter(([type, , body]) => STATEFUL_TYPES.includes(type) && (body['lifecycle'] as { prevent_destroy?: boolean } | undefined)?.prevent_destroy !== true)
        .map(([type, id]) => `${stack.name}: ${type}.${id}`),
    );
    expect(unprotected).toEqual([]);
  });

  it('buckets are versioned, KMS-encrypted, closed to the public and TLS-only', () => {
    for (const stack of stacks) {
      const resources = resourcesIn(stack);
      for (const [, id] of resources.filter(([type]) => type === 'aws_s3_bucket')) {
        const ref = `\${aws_s3_bucket.${id}.id}`;
        const attached = (type: string) => resources.find(([t, , body]) => t === type && body['bucket'] === ref)?.[2];
        const where = `${stack.name}: aws_s3_bucket.${id}`;
        expect({ where, versioning: attached('aws_s3_bucket_versioning')?.['versioning_configuration'] }).toEqual({ where, versioning: { status: 'Enabled' } });
        expect({ where, sse: JSON.stringify(attached('aws_s3_bucket_server_side_encryption_configuration')?.['rule']) }).toEqual({ where, sse: expect.stringContaining('"sse_algorithm":"aws:kms"') });
        expect({ where, block: attached('aws_s3_bucket_public_access_block') }).toEqual({ where, block: expect.objectContaining({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true }) });
        expect({ where, policy: typeof attached('aws_s3_bucket_policy')?.['policy'] }).toEqual({ where, policy: 'string' });
      }
    }
  });

  it('KMS keys rotate', () => {
    for (const stack of stacks) {
      for (const [type, id, body] of resourcesIn(stack).filter(([t]) => t === 'aws_kms_key')) {
        expect({ key: `${stack.name}: ${type}.${id}`, rotation: body['enable_key_rotation'] }).toEqual({ key: `${stack.name}: ${type}.${id}`, rotation: true });
      }
    }
  });
});

describe('stack contracts', () => {
  it('each producer publishes exactly what its contract declares', () => {
    for (const contract of singletonContracts) {
      const producer = stacks.find((s) => s.name === contract.stackName());
      expect({ contract: contract.name, outputs: Object.keys(producer?.json.output ?? {}).sort() }).toEqual({ contract: contract.name, outputs: Object.keys(contract.outputs).sort() });
    }
  });

  it('no stack publishes an output that no contract declares', () => {
    const producers = new Set<string>(singletonContracts.map((c) => c.stackName()));
    const stray = stacks.filter((s) => !producers.has(s.name) && Object.keys(s.json.output ?? {}).length > 0).map((s) => s.name);
    expect(stray).toEqual([]);
  });
});
