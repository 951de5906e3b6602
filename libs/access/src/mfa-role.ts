import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Construct } from 'constructs';

export interface MfaRoleProps {
  readonly roleName: string;
  readonly accountId: string;
  /** AWS managed policy names attached to the role, e.g. ReadOnlyAccess. */
  readonly managedPolicies: readonly string[];
  /** How old the MFA sign-in may be when the role is assumed. @default 3600 */
  readonly maxMfaAgeSeconds?: number;
}

/**
 * A role for people: assumable only by principals of this account that signed in with MFA
 * (`aws:MultiFactorAuthPresent`), and only for an hour.
 */
export class MfaRole extends Construct {
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: MfaRoleProps) {
    super(scope, id);
    const maxAge = props.maxMfaAgeSeconds ?? 3600;
    this.role = new IamRole(this, 'role', {
      name: props.roleName,
      maxSessionDuration: 3600,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AccountPrincipalsWithMfa',
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${props.accountId}:root` },
            Action: 'sts:AssumeRole',
            Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, NumericLessThan: { 'aws:MultiFactorAuthAge': String(maxAge) } },
          },
        ],
      }),
    });
    for (const policy of props.managedPolicies) {
      new IamRolePolicyAttachment(this, `policy-${policy}`, { role: this.role.name, policyArn: `arn:aws:iam::aws:policy/${policy}` });
    }
  }
}
