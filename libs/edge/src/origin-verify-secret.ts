import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { preventDestroy } from '@platform/stack-kit';
import { Fn, Token } from 'cdktf';
import { Construct } from 'constructs';

export interface OriginVerifySecretProps {
  /** Secret name, e.g. `254carbon-prod/edge/origin-verify`. */
  readonly name: string;
  /** The secrets key of the secret's region. */
  readonly kmsKeyArn: string;
}

/**
 * The value CloudFront sends in X-Origin-Verify and the load balancers require, kept in Secrets
 * Manager as `{"current": ..., "previous": ...}`. Terraform writes it once, from two of its own
 * `uuid()` values (244 random bits; no AWS call, so the stack still plans offline, unlike the
 * GetRandomPassword data source), and then ignores it: a rotation is a new value written into the
 * secret (README, "Rotating the origin secret"), which the next plans read back.
 */
export class OriginVerifySecret extends Construct {
  readonly secret: SecretsmanagerSecret;
  /** The accepted values, current first; the previous one only while a rotation is under way. */
  readonly acceptedValues: string[];

  constructor(scope: Construct, id: string, props: OriginVerifySecretProps) {
    super(scope, id);
    this.secret = preventDestroy(
      new SecretsmanagerSecret(this, 'secret', {
        name: props.name,
        description: 'X-Origin-Verify: proves a request to a regional load balancer came through CloudFront',
        kmsKeyId: props.kmsKeyArn,
        recoveryWindowInDays: 30,
      }),
    );
    const version = new SecretsmanagerSecretVersion(this, 'value', {
      secretId: this.secret.id,
      secretString: Fn.jsonencode({ current: Fn.replace(Fn.join('', [Fn.uuid(), Fn.uuid()]), '-', '') }),
      lifecycle: { ignoreChanges: ['secret_string'] },
    });
    const stored = Fn.jsondecode(version.secretString);
    const current = Fn.lookup(stored, 'current');
    this.acceptedValues = Token.asList(Fn.distinct([current, Fn.lookup(stored, 'previous', current)]));
  }
}
