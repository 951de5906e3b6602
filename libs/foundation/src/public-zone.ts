import { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone';
import { preventDestroy } from '@platform/stack-kit';
import { Construct } from 'constructs';

export interface PublicZoneProps {
  /** The platform's public domain, e.g. app.example.com. */
  readonly domain: string;
}

/**
 * The public Route 53 zone of the platform. Protected from destroy: deleting it changes the name
 * servers, which breaks the delegation from the parent domain until someone updates it by hand.
 */
export class PublicZone extends Construct {
  readonly zone: Route53Zone;

  constructor(scope: Construct, id: string, props: PublicZoneProps) {
    super(scope, id);
    this.zone = preventDestroy(
      new Route53Zone(this, 'zone', { name: props.domain, comment: `Public zone of ${props.domain}, managed by cdktf`, forceDestroy: false }),
    );
  }
}
