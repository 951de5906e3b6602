import type { AppContext } from '@platform/stack-kit';
import type { App } from 'cdktf';
import { AccessStack } from './access-stack';
import { FoundationStack } from './foundation-stack';
import { PeeringStack } from './peering-stack';

/**
 * The global app: foundation and access first (before any region), the peering mesh after the
 * region apps (it reads their VPCs). The edge joins in a later issue.
 */
export function buildGlobalApp(app: App, context: AppContext): { foundation: FoundationStack; access: AccessStack; peering: PeeringStack } {
  return { foundation: new FoundationStack(app, context), access: new AccessStack(app, context), peering: new PeeringStack(app, context) };
}
