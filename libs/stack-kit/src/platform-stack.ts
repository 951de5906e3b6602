import type { PlatformConfig } from '@platform/config';
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { configureBackend, type BackendMode } from './backend';

export interface PlatformStackProps {
  readonly config: PlatformConfig;
  readonly backend: BackendMode;
}

/**
 * Base of every stack: the stack name is also its state key and its folder in the synth output,
 * so it never changes once deployed.
 */
export class PlatformStack extends TerraformStack {
  readonly config: PlatformConfig;
  readonly backendMode: BackendMode;

  constructor(scope: Construct, readonly stackName: string, props: PlatformStackProps) {
    super(scope, stackName);
    this.config = props.config;
    this.backendMode = props.backend;
    configureBackend(this, props.config, props.backend, stackName);
  }
}
