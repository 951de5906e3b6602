import { Fn } from 'cdktf';

/**
 * The ARN of a Secrets Manager replica: the same name and suffix as the primary secret, in another
 * region (Secrets Manager "Replicate an AWS Secrets Manager secret to other Regions").
 */
export function replicaSecretArn(primaryArn: string, primaryAwsRegion: string, awsRegion: string): string {
  return awsRegion === primaryAwsRegion ? primaryArn : Fn.replace(primaryArn, `:${primaryAwsRegion}:`, `:${awsRegion}:`);
}
