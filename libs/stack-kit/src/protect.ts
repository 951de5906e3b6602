import type { TerraformResource } from 'cdktf';

/**
 * Marks a stateful resource (database, bucket, key, zone, state) so Terraform refuses any plan
 * that destroys it. Removing the protection is a reviewed code change, never a flag.
 */
export function preventDestroy<T extends TerraformResource>(resource: T): T {
  resource.lifecycle = { ...resource.lifecycle, preventDestroy: true };
  return resource;
}
