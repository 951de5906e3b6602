import type { SynthesizedStack } from '@platform/terraform-check';

/** One resource or data source of a synthesized stack, with the AWS region it is created in. */
export interface StackResource {
  readonly stack: SynthesizedStack;
  readonly kind: 'resource' | 'data';
  readonly type: string;
  readonly id: string;
  /** `aws_s3_bucket.x`, or `data.aws_iam_policy_document.x`: the Terraform address. */
  readonly address: string;
  readonly body: Readonly<Record<string, unknown>>;
  /** AWS region of the resource's provider, when it has one. */
  readonly awsRegion?: string;
}

/** Region of each AWS provider of a stack: `aws` for the default one, `aws.<alias>` for the others. */
export function providerRegions(stack: SynthesizedStack): ReadonlyMap<string, string> {
  return new Map((stack.json.provider?.['aws'] ?? []).map((p) => [p['alias'] ? `aws.${String(p['alias'])}` : 'aws', String(p['region'])]));
}

export function resourcesOf(stack: SynthesizedStack): StackResource[] {
  const regions = providerRegions(stack);
  const list = (kind: 'resource' | 'data', byType: Record<string, Record<string, Record<string, unknown>>> | undefined) =>
    Object.entries(byType ?? {}).flatMap(([type, byId]) =>
      Object.entries(byId).map(([id, body]) => ({
        stack,
        kind,
        type,
        id,
        address: `${kind === 'data' ? 'data.' : ''}${type}.${id}`,
        body,
        awsRegion: type.startsWith('aws_') ? regions.get(String(body['provider'] ?? 'aws')) : undefined,
      })),
    );
  return [...list('resource', stack.json.resource), ...list('data', stack.json.data)];
}

/** `${aws_s3_bucket.x.id}` → `aws_s3_bucket.x`. */
export function referencedAddress(value: unknown): string | undefined {
  return /^\$\{((?:data\.)?[a-z0-9_]+\.[^.}]+)\.[a-z_]+\}$/.exec(String(value))?.[1];
}
