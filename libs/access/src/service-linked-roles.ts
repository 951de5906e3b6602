import { IamServiceLinkedRole } from '@cdktf/provider-aws/lib/iam-service-linked-role';
import { preventDestroy } from '@platform/stack-kit';
import { Construct } from 'constructs';

/**
 * Service-linked roles the platform needs before its first regional apply, by service principal,
 * with the role name AWS gives each (IAM "Services that work with IAM", read 2026-11-25):
 * - Auto Scaling launches the EKS managed node groups' instances.
 * - EC2 Spot launches Karpenter's `batch-spot` pool; Karpenter's controller may not create it
 *   (no iam:CreateServiceLinkedRole), and CreateFleet fails for spot until it exists.
 * EKS, EKS node groups, ELB, RDS and ElastiCache create their own on first use (the CI apply role
 * may call iam:CreateServiceLinkedRole), and nothing names them before that.
 */
export const PLATFORM_SERVICE_LINKED_ROLES: Readonly<Record<string, string>> = {
  'autoscaling.amazonaws.com': 'AWSServiceRoleForAutoScaling',
  'spot.amazonaws.com': 'AWSServiceRoleForEC2Spot',
};

export interface ServiceLinkedRolesProps {
  /** Service principals whose role this account already has (creating one that exists fails). @default [] */
  readonly alreadyInAccount?: readonly string[];
}

/**
 * Creates the platform's service-linked roles that the account does not have yet. An account that
 * already has one lists it in config (`access.serviceLinkedRolesInAccount`) or imports it:
 * `terraform import 'aws_iam_service_linked_role.<id>' arn:aws:iam::<account>:role/aws-service-role/<service>/<name>`.
 */
export class ServiceLinkedRoles extends Construct {
  /** Role ARN by service principal, for every role the platform relies on (created here or not). */
  readonly roleArns: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: ServiceLinkedRolesProps & { readonly accountId: string }) {
    super(scope, id);
    const existing = props.alreadyInAccount ?? [];
    const unknown = existing.filter((service) => !(service in PLATFORM_SERVICE_LINKED_ROLES));
    if (unknown.length)
      throw new Error(
        `service-linked roles: ${unknown.join(', ')} is not one the platform creates; fix: list only ${Object.keys(PLATFORM_SERVICE_LINKED_ROLES).join(', ')}`,
      );
    const arns: Record<string, string> = {};
    for (const [service, roleName] of Object.entries(PLATFORM_SERVICE_LINKED_ROLES)) {
      arns[service] = `arn:aws:iam::${props.accountId}:role/aws-service-role/${service}/${roleName}`;
      if (existing.includes(service)) continue;
      // Deleting one while instances use it fails, and re-creating it is a manual step: protect it.
      preventDestroy(new IamServiceLinkedRole(this, service.split('.')[0]!, { awsServiceName: service }));
    }
    this.roleArns = arns;
  }
}
