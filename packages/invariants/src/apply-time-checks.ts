import { evaluatePolicy, keyPolicyAllows, PLATFORM_SERVICE_LINKED_ROLES, type PolicyDocument, type PolicyRequest } from '@platform/access';
import { accessRoleNames, auditTrailArn, clusterName, type PlatformConfig } from '@platform/config';
import { rolloutSteps, stackNames } from '@platform/stack-contracts';
import type { SynthesizedStack } from '@platform/terraform-check';
import { resourcesIn } from './synthesized-apps';

/**
 * Checks over the whole synthesized output for what `terraform validate` cannot see and AWS refuses
 * at apply time (README, "Apply-time checks"). Each returns findings, one line each, naming the
 * stack and resource; an empty list passes. Tests also feed them deliberately broken copies.
 */
export type Findings = string[];

/** The policy document in a synthesized attribute: plain JSON, or cdktf's `${jsonencode({...})}` form. */
export function policyDocumentOf(value: unknown): PolicyDocument | undefined {
  if (typeof value !== 'string') return undefined;
  if (value.startsWith('{')) return JSON.parse(value) as PolicyDocument;
  const inner = /^\$\{jsonencode\(([\s\S]*)\)\}$/.exec(value)?.[1];
  if (!inner) return undefined;
  // HCL object syntax as cdktf writes it: `"key" = value`, references as bare expressions.
  const reference = /(?<=[:[,]\s*)((?:data\.)?[a-z][a-z0-9_]*(?:\.[A-Za-z0-9_-]+|\["[^"]*"\]|\[\d+\])+)(?=\s*[,\]}])/g;
  const json = inner.replace(/"((?:[^"\\]|\\.)*)" = /g, '"$1": ').replace(reference, (ref) => JSON.stringify(`\${${ref}}`));
  return JSON.parse(json) as PolicyDocument;
}

/** Stack name → position in the rollout (rollout.ts): what has been applied before a stack. */
function rolloutPosition(config: PlatformConfig): Map<string, number> {
  return new Map(rolloutSteps(config).flatMap((step, i) => step.stacks.map((stack) => [stack, i] as [string, number])));
}

const ROLE_ARN = /^arn:aws:iam::\d{12}:role\/[A-Za-z0-9+=,.@_/*-]+$/;

/**
 * Role ARNs a resource names as a principal: in the Principal of a policy document (key, bucket,
 * queue and trust policies) or in a principal_arn attribute (EKS access entries). ARNs in an
 * identity policy's Resource or Condition need not exist, so they are not collected.
 */
function principalRoleArns(body: Record<string, unknown>): string[] {
  const found: string[] = [];
  for (const [attribute, value] of Object.entries(body)) {
    if (attribute === 'principal_arn' && typeof value === 'string' && ROLE_ARN.test(value)) found.push(value);
    let document: PolicyDocument | undefined;
    try {
      document = policyDocumentOf(value);
    } catch {
      document = undefined;
    }
    const statements = document ? [document.Statement].flat().filter(Boolean) : [];
    for (const statement of statements) {
      const principal = statement.Principal;
      if (principal && principal !== '*') for (const arn of [principal['AWS'] ?? []].flat()) if (ROLE_ARN.test(arn)) found.push(arn);
    }
  }
  return found;
}

/**
 * Every IAM role a policy or principal field names by literal ARN, and every permissions boundary
 * a role carries, must exist before the resource that names it is created: made by a stack earlier
 * in the rollout, or in the same stack with the ordering expressed (a reference or depends_on).
 * CreateKey, PutBucketPolicy, CreateAccessEntry and friends refuse principals that do not exist;
 * CreateRole refuses a boundary policy that does not exist.
 */
export function principalsThatMayNotExist(stacks: readonly SynthesizedStack[], config: PlatformConfig): Findings {
  const order = rolloutPosition(config);
  const madeBy = new Map<string, { stack: string; address: string }>();
  for (const stack of stacks) {
    for (const [type, id, body] of resourcesIn(stack)) {
      if (type === 'aws_iam_policy' && typeof body['name'] === 'string')
        madeBy.set(`arn:aws:iam::${config.accountId}:policy${String(body['path'] ?? '/')}${body['name']}`, {
          stack: stack.name,
          address: `${type}.${id}`,
        });
      if (type === 'aws_iam_role' && typeof body['name'] === 'string')
        madeBy.set(`arn:aws:iam::${config.accountId}:role${String(body['path'] ?? '/')}${body['name']}`, {
          stack: stack.name,
          address: `${type}.${id}`,
        });
      if (type === 'aws_iam_service_linked_role') {
        const service = String(body['aws_service_name']);
        const name = PLATFORM_SERVICE_LINKED_ROLES[service];
        if (name)
          madeBy.set(`arn:aws:iam::${config.accountId}:role/aws-service-role/${service}/${name}`, { stack: stack.name, address: `${type}.${id}` });
      }
    }
  }
  const findings: Findings = [];
  for (const stack of stacks) {
    for (const [type, id, body] of resourcesIn(stack)) {
      // A permissions boundary must exist when the role is created, like a principal.
      const boundary =
        typeof body['permissions_boundary'] === 'string' && body['permissions_boundary'].startsWith('arn:') ? [body['permissions_boundary']] : [];
      const named = new Set([...principalRoleArns(body), ...boundary]);
      for (const arn of named) {
        if (arn.includes('*')) continue;
        const maker = madeBy.get(arn);
        const where = `${stack.name}: ${type}.${id}`;
        if (!maker) {
          findings.push(
            `${where} names ${arn}, which no stack creates (a service-linked role nobody made?); fix: create it in a stack applied earlier, or do without naming it`,
          );
        } else if (maker.stack === stack.name) {
          if (!(body['depends_on'] as string[] | undefined)?.includes(maker.address))
            findings.push(
              `${where} names ${arn} by literal while ${maker.address} creates it in the same stack; fix: refer to the role's arn, or add depends_on`,
            );
        } else if ((order.get(maker.stack) ?? Infinity) >= (order.get(stack.name) ?? -1)) {
          findings.push(
            `${where} names ${arn}, created by ${maker.stack}, which is not applied before ${stack.name} (rollout.ts); fix: move the role earlier or the reference later`,
          );
        }
      }
    }
  }
  return findings;
}

/** IAM service prefix of a Terraform resource type; undefined for a type nobody has mapped yet. */
const SERVICE_OF_TYPE: readonly [RegExp, string][] = [
  // `route(?!53)`: aws_route53_* is Route 53's, not EC2's (found when the unused-service check read route53 as unused).
  [
    /^aws_(vpc|subnet|route(?!53)|internet_gateway|nat_gateway|eip|security_group|default_|flow_log|launch_template|ec2_|network_acl|egress_only)/,
    'ec2',
  ],
  [/^aws_eks_/, 'eks'],
  [/^aws_kms_/, 'kms'],
  [/^aws_s3_/, 's3'],
  [/^aws_cloudtrail/, 'cloudtrail'],
  [/^aws_cloudwatch_log_/, 'logs'],
  [/^aws_cloudwatch_event_/, 'events'],
  [/^aws_cloudwatch_(metric_alarm|composite_alarm|dashboard)/, 'cloudwatch'],
  [/^aws_sqs_/, 'sqs'],
  [/^aws_sns_/, 'sns'],
  [/^aws_route53_/, 'route53'],
  [/^aws_autoscaling_/, 'autoscaling'],
  [/^aws_(rds_|db_)/, 'rds'],
  [/^aws_elasticache_/, 'elasticache'],
  [/^aws_(lb|alb)(_|$)/, 'elasticloadbalancing'],
  [/^aws_acm_/, 'acm'],
  [/^aws_wafv2_/, 'wafv2'],
  [/^aws_cloudfront_/, 'cloudfront'],
  [/^aws_secretsmanager_/, 'secretsmanager'],
  [/^aws_iam_/, 'iam'],
  // CreateCanary makes the canary's Lambda function and layer in the caller's name (the
  // CloudWatchSyntheticsFullAccess policy grants lambda:CreateFunction, PublishLayerVersion and so on).
  [/^aws_synthetics_/, 'synthetics+lambda'],
];

/**
 * The calls the apply role must be allowed for an IAM resource, on that resource's own name: a
 * role named outside the platform's prefix fails CreateRole whatever the service list says.
 * Other types need `<service>:*` (see typesTheApplyRoleCannotManage).
 */
function applyRequests(type: string, body: Record<string, unknown>, config: PlatformConfig, boundaryArn: string): PolicyRequest[] {
  const bounded = { 'iam:PermissionsBoundary': boundaryArn };
  const roleArn = (name: unknown) =>
    `arn:aws:iam::${config.accountId}:role/${/^[\w+=,.@-]+$/.test(String(name)) ? String(name) : `${config.project}-${config.environment}-(by-reference)`}`;
  // Attachments and inline policies name their role by reference: the role's own check covers the name.
  const anyPlatformRole = `arn:aws:iam::${config.accountId}:role/${config.project}-${config.environment}-x`;
  switch (type) {
    case 'aws_iam_role':
      return [
        { action: 'iam:CreateRole', resource: roleArn(body['name']), context: bounded },
        { action: 'iam:PassRole', resource: roleArn(body['name']) },
      ];
    case 'aws_iam_role_policy':
      return [{ action: 'iam:PutRolePolicy', resource: anyPlatformRole, context: bounded }];
    case 'aws_iam_role_policy_attachment':
      return [{ action: 'iam:AttachRolePolicy', resource: anyPlatformRole, context: bounded }];
    case 'aws_iam_service_linked_role':
      return [
        {
          action: 'iam:CreateServiceLinkedRole',
          resource: `arn:aws:iam::${config.accountId}:role/aws-service-role/${String(body['aws_service_name'])}/x`,
          context: { 'iam:AWSServiceName': String(body['aws_service_name']) },
        },
      ];
    case 'aws_iam_policy':
      return [{ action: 'iam:CreatePolicy', resource: `arn:aws:iam::${config.accountId}:policy/${String(body['name'])}` }];
    default:
      return [];
  }
}

/**
 * The CI apply role must be able to manage every resource type of every stack it applies (all but
 * global-access, which the MFA admin applies). A type whose service the role lacks fails the apply
 * half-way; a type nobody mapped to a service fails here first.
 */
export function typesTheApplyRoleCannotManage(
  stacks: readonly SynthesizedStack[],
  config: PlatformConfig,
  applyPolicy: PolicyDocument,
  boundaryArn: string,
): Findings {
  const findings: Findings = [];
  // Every IAM resource is checked on its own name; other types once per type (the service decides).
  const checked = new Set<string>();
  for (const stack of stacks.filter((s) => s.name !== stackNames.globalAccess)) {
    for (const [type, id, body] of resourcesIn(stack)) {
      if (!type.startsWith('aws_')) continue;
      const service = SERVICE_OF_TYPE.find(([pattern]) => pattern.test(type))?.[1];
      if (service !== 'iam' && checked.has(type)) continue;
      checked.add(type);
      if (!service) {
        findings.push(
          `${stack.name}: ${type} belongs to no known IAM service; fix: add it to SERVICE_OF_TYPE in packages/invariants/src/apply-time-checks.ts (and the apply role if needed)`,
        );
        continue;
      }
      const requests =
        service === 'iam'
          ? applyRequests(type, body, config, boundaryArn)
          : service.split('+').map((name) => ({ action: `${name}:CreateOrUpdate`, resource: '*' }));
      if (requests.length === 0) findings.push(`${stack.name}: ${type} is an IAM type this check does not know; fix: add its call to applyRequests`);
      for (const request of requests) {
        if (evaluatePolicy(applyPolicy, request) !== 'allow') {
          const what = service === 'iam' ? `${type}.${id} needs ${request.action} on ${request.resource}` : `${type} needs ${request.action}`;
          findings.push(
            `${stack.name}: ${what}, which the CI apply role may not call; fix: ${service === 'iam' ? `name it inside ${config.project}-${config.environment}-* (the role may manage only those)` : `add "${request.action.split(':')[0]}" to PLATFORM_SERVICES (libs/access)`}`,
          );
        }
      }
    }
  }
  return findings;
}

/**
 * The other half of the apply role's service list: a service no stack CI applies uses is a grant
 * nobody needs (`<service>:*` on every resource), so it fails here until it is removed from
 * PLATFORM_SERVICES (libs/access).
 */
export function applyRoleServicesNoStackUses(stacks: readonly SynthesizedStack[], platformServices: readonly string[]): Findings {
  const used = new Set<string>();
  for (const stack of stacks.filter((s) => s.name !== stackNames.globalAccess))
    for (const [type] of resourcesIn(stack))
      for (const service of SERVICE_OF_TYPE.find(([pattern]) => pattern.test(type))?.[1].split('+') ?? []) used.add(service);
  return platformServices
    .filter((service) => !used.has(service))
    .map(
      (service) =>
        `the CI apply role grants ${service}:* but no stack it applies has a resource of that service; fix: remove "${service}" from PLATFORM_SERVICES (libs/access)`,
    );
}

/** EKS allows one Pod Identity association per (cluster, namespace, service account), add-on-made ones included. */
export function duplicatePodIdentityAssociations(stacks: readonly SynthesizedStack[]): Findings {
  const seen = new Map<string, string[]>();
  const note = (key: string, where: string) => seen.set(key, [...(seen.get(key) ?? []), where]);
  for (const stack of stacks) {
    for (const [type, id, body] of resourcesIn(stack)) {
      if (type === 'aws_eks_pod_identity_association')
        note(`${stack.name} ${String(body['cluster_name'])} ${String(body['namespace'])}/${String(body['service_account'])}`, `${type}.${id}`);
      if (type === 'aws_eks_addon') {
        // EKS add-ons run in kube-system.
        for (const association of (body['pod_identity_association'] as { service_account: string }[] | undefined) ?? [])
          note(`${stack.name} ${String(body['cluster_name'])} kube-system/${association.service_account}`, `${type}.${id}`);
      }
    }
  }
  return [...seen.entries()]
    .filter(([, makers]) => makers.length > 1)
    .map(
      ([key, makers]) =>
        `${key}: ${makers.length} Pod Identity associations (${makers.join(', ')}); EKS allows one; fix: keep the add-on's or the standalone one`,
    );
}

interface KeyUse {
  readonly where: string;
  readonly keyRef: string;
  readonly awsRegion: string;
  readonly who: string;
  readonly requests: readonly PolicyRequest[];
  /** The principal's own IAM policies (for principals of this account). */
  readonly identityPolicies?: readonly PolicyDocument[];
}

/** The key policy a synthesized key reference resolves to: `${...outputs.<purpose>KeyArns["<region>"]}` or `${aws_kms_key.<id>.arn}`. */
function keyPolicyFor(ref: string, awsRegion: string, foundation: SynthesizedStack): PolicyDocument | undefined {
  const direct = /^\$\{aws_kms_key\.([^.]+)\.arn\}$/.exec(ref)?.[1];
  if (direct) return policyDocumentOf(foundation.json.resource?.['aws_kms_key']?.[direct]?.['policy']);
  const purpose = /outputs\.([a-z]+)KeyArns/.exec(ref)?.[1];
  if (!purpose) return undefined;
  const providerRegion = new Map(
    (foundation.json.provider?.['aws'] ?? []).map((p) => [p['alias'] ? `aws.${String(p['alias'])}` : 'aws', String(p['region'])]),
  );
  for (const type of ['aws_kms_key', 'aws_kms_replica_key']) {
    for (const key of Object.values(foundation.json.resource?.[type] ?? {})) {
      if (String(key['description']).startsWith(`${purpose} key`) && providerRegion.get(String(key['provider'] ?? 'aws')) === awsRegion)
        return policyDocumentOf(key['policy']);
    }
  }
  return undefined;
}

/**
 * Every user of a customer-managed key gets what it calls from the key policy (directly, or
 * through the account root statement and its own IAM policy): CloudWatch Logs for log groups,
 * CloudTrail for the trail, and every launcher of encrypted node volumes (Auto Scaling for the
 * managed groups; Karpenter's controller and the Spot service for Karpenter's pools).
 */
export function keyUsersWithoutGrants(stacks: readonly SynthesizedStack[], config: PlatformConfig): Findings {
  const foundation = stacks.find((s) => s.name === stackNames.globalFoundation);
  if (!foundation) return ['global-foundation is not synthesized: no key policy to check against'];
  const account = config.accountId;
  const ebsCalls = (region: string) =>
    ['kms:CreateGrant', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:Decrypt', 'kms:DescribeKey'].map((action) => ({
      action,
      resource: '*',
      context: { 'kms:ViaService': `ec2.${region}.amazonaws.com`, 'kms:CallerAccount': account, 'kms:GrantIsForAWSResource': 'true' },
    }));
  const uses: KeyUse[] = [];
  for (const stack of stacks) {
    const regionOf = new Map(
      (stack.json.provider?.['aws'] ?? []).map((p) => [p['alias'] ? `aws.${String(p['alias'])}` : 'aws', String(p['region'])]),
    );
    const resources = resourcesIn(stack);
    for (const [type, id, body] of resources) {
      const where = `${stack.name}: ${type}.${id}`;
      const awsRegion = regionOf.get(String(body['provider'] ?? 'aws')) ?? '';
      if (type === 'aws_cloudwatch_log_group' && body['kms_key_id']) {
        const logGroup = `arn:aws:logs:${awsRegion}:${account}:log-group:${String(body['name'])}`;
        uses.push({
          where,
          keyRef: String(body['kms_key_id']),
          awsRegion,
          who: `logs.${awsRegion}.amazonaws.com`,
          requests: ['kms:GenerateDataKey', 'kms:Encrypt', 'kms:Decrypt'].map((action) => ({
            action,
            resource: '*',
            principal: { service: `logs.${awsRegion}.amazonaws.com` },
            context: { 'kms:EncryptionContext:aws:logs:arn': logGroup },
          })),
        });
      }
      if (type === 'aws_cloudtrail' && body['kms_key_id']) {
        const trail = { 'aws:SourceArn': auditTrailArn(config) };
        const principal = { service: 'cloudtrail.amazonaws.com' };
        uses.push({
          where,
          keyRef: String(body['kms_key_id']),
          awsRegion,
          who: 'cloudtrail.amazonaws.com',
          requests: [
            {
              action: 'kms:GenerateDataKey',
              resource: '*',
              principal,
              context: { ...trail, 'kms:EncryptionContext:aws:cloudtrail:arn': auditTrailArn(config) },
            },
            { action: 'kms:DescribeKey', resource: '*', principal, context: trail }, // DescribeKey carries no encryption context
            { action: 'kms:Decrypt', resource: '*', principal, context: trail }, // S3 Bucket Key on the audit bucket
          ],
        });
      }
      if (type === 'aws_sns_topic' && body['kms_master_key_id']) {
        // CloudWatch alarms publish to encrypted topics; without the key they fire into nothing.
        const principal = { service: 'cloudwatch.amazonaws.com' };
        const context = {
          'aws:SourceAccount': account,
          'aws:SourceArn': `arn:aws:cloudwatch:${awsRegion}:${account}:alarm:${String(body['name'])}-example`,
        };
        uses.push({
          where,
          keyRef: String(body['kms_master_key_id']),
          awsRegion,
          who: 'cloudwatch.amazonaws.com',
          requests: ['kms:GenerateDataKey', 'kms:Decrypt'].map((action) => ({ action, resource: '*', principal, context })),
        });
      }
      if (type === 'aws_launch_template') {
        for (const mapping of (body['block_device_mappings'] as { ebs?: { kms_key_id?: string } }[] | undefined) ?? []) {
          if (!mapping.ebs?.kms_key_id) continue;
          const autoscaling = `arn:aws:iam::${account}:role/aws-service-role/autoscaling.amazonaws.com/${PLATFORM_SERVICE_LINKED_ROLES['autoscaling.amazonaws.com']}`;
          uses.push({
            where,
            keyRef: mapping.ebs.kms_key_id,
            awsRegion,
            who: autoscaling,
            requests: ebsCalls(awsRegion).map((r) => ({ ...r, principal: { aws: autoscaling } })),
          });
        }
      }
    }
    // Karpenter's EC2NodeClass (in <region>-platform) encrypts with the region's data key; the
    // launchers are Karpenter's controller role (infra) and, for spot, the Spot service-linked role.
    const region = config.regions.find((r) => stack.name === stackNames.regionInfra(r.name));
    if (region) {
      const controllerName = `${clusterName(config, region.name)}-karpenter`;
      const controllerPolicies = resources
        .filter(([t, , b]) => t === 'aws_iam_role_policy' && b['name'] === controllerName)
        .map(([, , b]) => policyDocumentOf(b['policy'])!);
      const platform = stacks.find((s) => s.name === stackNames.regionPlatform(region.name));
      const usesDataKey =
        JSON.stringify(platform?.json ?? {}).includes(`dataKeyArns[\\"${region.name}\\"]`) ||
        JSON.stringify(platform?.json ?? {}).includes(`dataKeyArns.${region.name}`);
      if (usesDataKey) {
        // cdktf writes map access as `.name` when the name is an identifier, else `["name"]`.
        const index = /^[a-z_][a-z0-9_]*$/.test(region.name) ? `.${region.name}` : `["${region.name}"]`;
        const keyRef = `\${data.terraform_remote_state.global-foundation.outputs.dataKeyArns${index}}`;
        const controller = `arn:aws:iam::${account}:role/${controllerName}`;
        const spot = `arn:aws:iam::${account}:role/aws-service-role/spot.amazonaws.com/${PLATFORM_SERVICE_LINKED_ROLES['spot.amazonaws.com']}`;
        uses.push({
          where: `${stack.name}: Karpenter controller ${controllerName}`,
          keyRef,
          awsRegion: region.awsRegion,
          who: controller,
          requests: ebsCalls(region.awsRegion).map((r) => ({ ...r, principal: { aws: controller } })),
          identityPolicies: controllerPolicies,
        });
        uses.push({
          where: `${stack.name}: Karpenter spot launches`,
          keyRef,
          awsRegion: region.awsRegion,
          who: spot,
          requests: ebsCalls(region.awsRegion).map((r) => ({ ...r, principal: { aws: spot } })),
        });
      }
    }
  }
  uses.push(...s3KeyUses(stacks, account));
  const findings: Findings = [];
  for (const use of uses) {
    const policy = keyPolicyFor(use.keyRef, use.awsRegion, foundation);
    if (!policy) {
      findings.push(
        `${use.where}: key ${use.keyRef} resolves to no key policy in global-foundation; fix: use a key the foundation publishes for ${use.awsRegion}`,
      );
      continue;
    }
    for (const request of use.requests) {
      // The key is the resource: identity policies name it (by the same reference), key policies say `*`.
      if (!keyPolicyAllows(policy, { ...request, resource: use.keyRef, accountId: account }, use.identityPolicies))
        findings.push(
          `${use.where}: ${use.who} may not call ${request.action} on its key (${use.keyRef}); fix: grant it in the key policy (libs/kms/src/key-policy.ts) or in the principal's own policy`,
        );
    }
  }
  return findings;
}

/**
 * S3 calls KMS as the caller: a role that writes into an SSE-KMS bucket needs GenerateDataKey on
 * the bucket's key, and a replication role needs Decrypt on the source's key and Encrypt on the key
 * the rule names for the destination. The keys come from the buckets' and rules' own settings, the
 * rights from the roles' policies, so a policy naming the wrong key (or none) is caught.
 */
function s3KeyUses(stacks: readonly SynthesizedStack[], account: string): KeyUse[] {
  const uses: KeyUse[] = [];
  for (const stack of stacks) {
    const resources = resourcesIn(stack);
    const regionOf = new Map(
      (stack.json.provider?.['aws'] ?? []).map((p) => [p['alias'] ? `aws.${String(p['alias'])}` : 'aws', String(p['region'])]),
    );
    const policiesOfRole = (roleAddress: string) =>
      resources
        .filter(([t, , b]) => t === 'aws_iam_role_policy' && String(b['role']).startsWith(`\${${roleAddress}.`))
        .map(([, , b]) => policyDocumentOf(b['policy'])!);
    const roleArnOf = (roleAddress: string) =>
      `arn:aws:iam::${account}:role/${String(resources.find(([t, i]) => `${t}.${i}` === roleAddress)?.[2]['name'])}`;
    const via = (awsRegion: string) => ({ 'kms:ViaService': `s3.${awsRegion}.amazonaws.com`, 'kms:CallerAccount': account });
    // Writers into this stack's SSE-KMS buckets.
    for (const [, , encryption] of resources.filter(([t]) => t === 'aws_s3_bucket_server_side_encryption_configuration')) {
      const key = (encryption['rule'] as { apply_server_side_encryption_by_default?: { kms_master_key_id?: string } }[])[0]
        ?.apply_server_side_encryption_by_default?.kms_master_key_id;
      const bucket = /^\$\{(aws_s3_bucket\.[^.]+)\.id\}$/.exec(String(encryption['bucket']))?.[1];
      if (!key || !bucket) continue;
      const awsRegion = regionOf.get(String(encryption['provider'] ?? 'aws')) ?? '';
      for (const [, id, body] of resources.filter(([t]) => t === 'aws_iam_role_policy')) {
        const document = policyDocumentOf(body['policy']);
        const writes = [document?.Statement ?? []]
          .flat()
          .some(
            (st) =>
              st.Effect === 'Allow' &&
              [st.Action ?? []].flat().includes('s3:PutObject') &&
              [st.Resource ?? []].flat().includes(`\${${bucket}.arn}/*`),
          );
        const role = /^\$\{(aws_iam_role\.[^.]+)\./.exec(String(body['role']))?.[1];
        if (!writes || !role) continue;
        uses.push({
          where: `${stack.name}: aws_iam_role_policy.${id} (writes ${bucket})`,
          keyRef: key,
          awsRegion,
          who: roleArnOf(role),
          requests: [{ action: 'kms:GenerateDataKey', resource: '*', principal: { aws: roleArnOf(role) }, context: via(awsRegion) }],
          identityPolicies: policiesOfRole(role),
        });
      }
    }
    // Replication roles: the source bucket's key (its region's data key) and the destination key of the rule.
    for (const [, id, configuration] of resources.filter(([t]) => t === 'aws_s3_bucket_replication_configuration')) {
      const role = /^\$\{(aws_iam_role\.[^.]+)\.arn\}$/.exec(String(configuration['role']))?.[1];
      const sourceRegion = regionOf.get(String(configuration['provider'] ?? 'aws')) ?? '';
      const rule = (configuration['rule'] as { destination: { bucket: string; encryption_configuration?: { replica_kms_key_id?: string } } }[])[0];
      if (!role || !rule) continue;
      const who = roleArnOf(role);
      const identityPolicies = policiesOfRole(role);
      const sourceName = regionNameOf(stacks, sourceRegion);
      const destinationKey = rule.destination.encryption_configuration?.replica_kms_key_id;
      const destinationName = /[a-z]+KeyArns(?:\.([a-z][a-z0-9_]*)|\["([^"]+)"\])/.exec(destinationKey ?? '');
      const destinationRegion = destinationName ? awsRegionNamed(stacks, destinationName[1] ?? destinationName[2]!) : '';
      const sourceKey = `\${data.terraform_remote_state.global-foundation.outputs.dataKeyArns${/^[a-z_][a-z0-9_]*$/.test(sourceName) ? `.${sourceName}` : `["${sourceName}"]`}}`;
      uses.push({
        where: `${stack.name}: aws_s3_bucket_replication_configuration.${id} (source objects)`,
        keyRef: sourceKey,
        awsRegion: sourceRegion,
        who,
        requests: [{ action: 'kms:Decrypt', resource: '*', principal: { aws: who }, context: via(sourceRegion) }],
        identityPolicies,
      });
      if (destinationKey)
        uses.push({
          where: `${stack.name}: aws_s3_bucket_replication_configuration.${id} (replicas)`,
          keyRef: destinationKey,
          awsRegion: destinationRegion,
          who,
          requests: [{ action: 'kms:Encrypt', resource: '*', principal: { aws: who }, context: via(destinationRegion) }],
          identityPolicies,
        });
    }
  }
  return uses;
}

/** Region name ↔ AWS region, from the region infra stacks' providers (the config's mapping, as synthesized). */
function regionNameOf(stacks: readonly SynthesizedStack[], awsRegion: string): string {
  const infra = stacks.find((s) => s.name.endsWith('-infra') && (s.json.provider?.['aws'] ?? []).some((p) => p['region'] === awsRegion));
  return infra ? infra.name.replace(/-infra$/, '') : '';
}

function awsRegionNamed(stacks: readonly SynthesizedStack[], regionName: string): string {
  return String(stacks.find((s) => s.name === `${regionName}-infra`)?.json.provider?.['aws']?.[0]?.['region'] ?? '');
}

/** A resource that names a bucket of its own stack by literal name gets no ordering from Terraform. */
export function literalBucketNames(stacks: readonly SynthesizedStack[]): Findings {
  const findings: Findings = [];
  for (const stack of stacks) {
    const resources = resourcesIn(stack);
    const buckets = new Map(
      resources
        .filter(([t, , b]) => t === 'aws_s3_bucket' && typeof b['bucket'] === 'string')
        .map(([, id, b]) => [String(b['bucket']), `aws_s3_bucket.${id}`]),
    );
    for (const [type, id, body] of resources) {
      if (type === 'aws_s3_bucket') continue;
      for (const [attribute, value] of Object.entries(body)) {
        const bucket = typeof value === 'string' ? buckets.get(value) : undefined;
        if (bucket && !(body['depends_on'] as string[] | undefined)?.includes(bucket))
          findings.push(
            `${stack.name}: ${type}.${id}.${attribute} names bucket "${String(value)}" by literal; fix: refer to ${bucket}.bucket so Terraform creates the bucket first`,
          );
      }
    }
  }
  return findings;
}

/** The apply role's permissions, read from global-access's synthesized output. */
export function applyRolePolicy(stacks: readonly SynthesizedStack[], config: PlatformConfig): PolicyDocument {
  const access = stacks.find((s) => s.name === stackNames.globalAccess);
  const roleName = accessRoleNames(config).ciApply;
  const role = resourcesIn(access!).find(([t, , b]) => t === 'aws_iam_role' && b['name'] === roleName);
  const policy = resourcesIn(access!).find(([t, , b]) => t === 'aws_iam_role_policy' && String(b['role']).includes(`aws_iam_role.${role?.[1]}.`));
  if (!policy) throw new Error(`global-access has no inline policy on ${roleName}`);
  return policyDocumentOf(policy[2]['policy'])!;
}
