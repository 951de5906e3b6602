import { workloadBoundaryArn, type PlatformConfig } from '@platform/config';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { Aspects, TerraformStack, type IAspect } from 'cdktf';
import type { Construct, IConstruct } from 'constructs';
import { configureBackend, type BackendMode } from './backend';

export interface PlatformStackProps {
  readonly config: PlatformConfig;
  readonly backend: BackendMode;
  /**
   * Who applies the IAM of this stack. `ci` (every stack but global-access): each role gets the
   * workload permissions boundary, the only kind of role the CI apply role may create. `mfa-admin`:
   * the access roles themselves, applied by a person. @default 'ci'
   */
  readonly iamManagedBy?: 'ci' | 'mfa-admin';
}

/** Puts the workload boundary on every IAM role of a stack that CI applies. */
class WorkloadBoundaryAspect implements IAspect {
  constructor(private readonly boundaryArn: string) {}

  visit(node: IConstruct): void {
    if (node instanceof IamRole && node.permissionsBoundaryInput === undefined) node.permissionsBoundary = this.boundaryArn;
  }
}

/**
 * Base of every stack: the stack name is also its state key and its folder in the synth output,
 * so it never changes once deployed.
 */
export class PlatformStack extends TerraformStack {
  readonly config: PlatformConfig;
  readonly backendMode: BackendMode;

  constructor(
    scope: Construct,
    readonly stackName: string,
    props: PlatformStackProps,
  ) {
    super(scope, stackName);
    this.config = props.config;
    this.backendMode = props.backend;
    configureBackend(this, props.config, props.backend, stackName);
    if ((props.iamManagedBy ?? 'ci') === 'ci') Aspects.of(this).add(new WorkloadBoundaryAspect(workloadBoundaryArn(props.config)));
  }
}
