import { stateBucketName, stateKeyAliasArn, type PlatformConfig } from '@platform/config';
import {
  DataTerraformRemoteStateLocal,
  DataTerraformRemoteStateS3,
  LocalBackend,
  S3Backend,
  type TerraformRemoteState,
  type TerraformStack,
} from 'cdktf';
import type { Construct } from 'constructs';

/**
 * Where a stack keeps its state. `s3` is the real thing; `local` is for offline work (plans on a
 * laptop, tests), chosen only by an app entrypoint (PLATFORM_BACKEND=local).
 */
export type BackendMode = 's3' | 'local';
export const BACKEND_MODES: readonly BackendMode[] = ['s3', 'local'];

/**
 * Local state lives in `.state/<env>/` at the workspace root. Terraform runs inside
 * `dist/<env>/<app>/stacks/<stack>/`, five levels below the root, and resolves this path from
 * there; keeping it relative keeps the synthesized JSON the same on every machine.
 */
export const LOCAL_STATE_FROM_STACK_DIR = '../../../../../.state';

/** One S3 object per stack and environment: `<env>/<stack>/terraform.tfstate`. */
export function stateKey(environment: string, stackName: string): string {
  return `${environment}/${stackName}/terraform.tfstate`;
}

export function localStatePath(environment: string, stackName: string): string {
  return `${LOCAL_STATE_FROM_STACK_DIR}/${environment}/${stackName}.tfstate`;
}

function s3Settings(config: PlatformConfig, stackName: string) {
  return {
    bucket: stateBucketName(config),
    key: stateKey(config.environment, stackName),
    region: config.state.region,
    encrypt: true,
    kmsKeyId: stateKeyAliasArn(config),
  };
}

/** Configures the stack's backend. S3 state is KMS-encrypted and locked with S3 native lockfiles. */
export function configureBackend(stack: TerraformStack, config: PlatformConfig, mode: BackendMode, stackName: string): void {
  if (mode === 'local') {
    new LocalBackend(stack, { path: localStatePath(config.environment, stackName) });
    return;
  }
  const backend = new S3Backend(stack, { ...s3Settings(config, stackName), allowedAccountIds: [config.accountId] });
  // Terraform >= 1.10 locks with an S3 object; cdktf 0.21's S3Backend predates the field.
  backend.addOverride('use_lockfile', true);
}

/** Reads another stack's state through the same kind of backend the stacks are configured with. */
export function remoteStateOf(scope: Construct, id: string, config: PlatformConfig, mode: BackendMode, stackName: string): TerraformRemoteState {
  if (mode === 'local') return new DataTerraformRemoteStateLocal(scope, id, { path: localStatePath(config.environment, stackName) });
  return new DataTerraformRemoteStateS3(scope, id, s3Settings(config, stackName));
}
