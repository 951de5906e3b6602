import type { SynthesizedStack, TerraformJson } from '@platform/terraform-check';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

/** A synthesized stack built by hand, for rule tests: one AWS provider per region given. */
export function fixtureStack(
  name: string,
  resource: Resources,
  extra: { data?: Resources; regions?: Record<string, string> } = {},
): SynthesizedStack {
  const regions = extra.regions ?? { aws: 'us-east-1' };
  const json: TerraformJson = {
    terraform: { required_providers: { aws: { source: 'aws', version: '5.100.0' } } },
    provider: { aws: Object.entries(regions).map(([ref, region]) => (ref === 'aws' ? { region } : { region, alias: ref.replace(/^aws\./, '') })) },
    resource,
    data: extra.data,
  };
  return { app: 'fixture', name, dir: '/nonexistent', json, providers: ['aws'], providerVersions: { aws: '5.100.0' }, readsRemoteState: false };
}

/** A hardened bucket as SecureBucket synthesizes it, with knobs to break one part. */
export function bucketResources(
  id: string,
  options: { sse?: object; publicAccess?: Record<string, boolean>; tlsDeny?: boolean; protected?: boolean; versioned?: boolean } = {},
): { resource: Resources; data: Resources } {
  const ref = `\${aws_s3_bucket.${id}.id}`;
  return {
    resource: {
      aws_s3_bucket: { [id]: { bucket: `${id}-name`, ...(options.protected === false ? {} : { lifecycle: { prevent_destroy: true } }) } },
      aws_s3_bucket_server_side_encryption_configuration: {
        [`${id}-sse`]: {
          bucket: ref,
          rule: [
            {
              apply_server_side_encryption_by_default: options.sse ?? {
                sse_algorithm: 'aws:kms',
                kms_master_key_id: 'arn:aws:kms:us-east-1:111111111111:key/k',
              },
            },
          ],
        },
      },
      aws_s3_bucket_versioning: {
        [`${id}-versioning`]: { bucket: ref, versioning_configuration: { status: options.versioned === false ? 'Suspended' : 'Enabled' } },
      },
      aws_s3_bucket_public_access_block: {
        [`${id}-pab`]: {
          bucket: ref,
          block_public_acls: true,
          block_public_policy: true,
          ignore_public_acls: true,
          restrict_public_buckets: true,
          ...options.publicAccess,
        },
      },
      aws_s3_bucket_policy: { [`${id}-policy`]: { bucket: ref, policy: `\${data.aws_iam_policy_document.${id}-doc.json}` } },
    },
    data: {
      aws_iam_policy_document: {
        [`${id}-doc`]: {
          statement:
            options.tlsDeny === false ? [] : [{ effect: 'Deny', condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }] }],
        },
      },
    },
  };
}
