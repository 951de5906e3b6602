import { Route53HealthCheck } from '@cdktf/provider-aws/lib/route53-health-check';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { HEALTH_CHECKER_REGIONS } from './aws-edge-facts';

export interface RoutedRegion {
  /** Short region name, e.g. `us-east`: set identifier of its records. */
  readonly name: string;
  readonly awsRegion: string;
  /** The region's own origin name (`<region>.origin.<domain>`), published by its infra stack. */
  readonly originDomainName: string;
  readonly loadBalancerDnsName: string;
  readonly loadBalancerZoneId: string;
  /** 0: not live (health-checked, no records); 1-99: that share of its nearest users, the rest to the fallback; 100: live. */
  readonly weightPercent: number;
  /** Route 53 geoproximity bias, -99..99. */
  readonly geoproximityBias: number;
}

export interface OriginRoutingProps {
  readonly hostedZoneId: string;
  /** The latency-routed name every region answers to, e.g. `origin.example.com`. */
  readonly latencyDomainName: string;
  /** The geoproximity-routed name, e.g. `geo.origin.example.com`. */
  readonly geoproximityDomainName: string;
  readonly regions: readonly RoutedRegion[];
  /** The region that takes the rest of a partial weight (the home region); must be fully live. */
  readonly fallbackRegion: string;
  readonly healthCheckPath: string;
  /** 10 or 30 (the only intervals Route 53 takes). */
  readonly healthCheckIntervalSeconds: number;
  /** 1-10 consecutive failures. */
  readonly healthCheckFailureThreshold: number;
  /** @default the stack's default provider */
  readonly provider?: TerraformProvider;
}

/**
 * How a request finds a region. Every region gets an HTTPS health check of its own origin name on
 * the application's health path. Each live region gets a latency record under the shared origin
 * name with that health check and evaluate-target-health on, so an unhealthy region leaves the
 * answers after `interval x threshold` seconds plus the record's TTL (the ALB's alias TTL, 60 s). A
 * region being migrated (weight 1-99) points its latency record at a weighted pair of its own:
 * `weight` % to itself, the rest to the fallback region. The geoproximity set is its own name
 * (Route 53 allows one routing policy per record).
 */
export class OriginRouting extends Construct {
  readonly healthChecks: ReadonlyMap<string, Route53HealthCheck>;

  constructor(scope: Construct, id: string, props: OriginRoutingProps) {
    super(scope, id);
    const provider = props.provider;
    const problems = validate(props);
    if (problems.length) throw new Error(`origin routing: ${problems.join('; ')}`);
    const live = props.regions.filter((r) => r.weightPercent > 0);
    const fallback = props.regions.find((r) => r.name === props.fallbackRegion)!;
    const aliasOf = (region: RoutedRegion) => ({ name: region.loadBalancerDnsName, zoneId: region.loadBalancerZoneId, evaluateTargetHealth: true });

    const checks = new Map<string, Route53HealthCheck>();
    for (const region of props.regions) {
      checks.set(
        region.name,
        new Route53HealthCheck(this, `health-${region.name}`, {
          type: 'HTTPS',
          fqdn: region.originDomainName,
          port: 443,
          resourcePath: props.healthCheckPath,
          enableSni: true,
          requestInterval: props.healthCheckIntervalSeconds,
          failureThreshold: props.healthCheckFailureThreshold,
          regions: [...HEALTH_CHECKER_REGIONS],
          measureLatency: true,
          tags: { Name: `${region.name}-origin` },
          // `npm run failover -- drain` inverts the check to take a region out of routing at once; an
          // apply must not undo that (restore does). The lasting way is traffic.weightPercent: 0.
          lifecycle: { ignoreChanges: ['invert_healthcheck'] },
          provider,
        }),
      );
    }
    this.healthChecks = checks;

    for (const region of live) {
      const check = checks.get(region.name)!;
      let target = aliasOf(region);
      if (region.weightPercent < 100) {
        // Gradual migration: a weighted pair under a name of its own, which the latency record aliases.
        const migrationName = `${region.name}.migrating.${props.latencyDomainName}`;
        const shares: [RoutedRegion, number][] = [
          [region, region.weightPercent],
          [fallback, 100 - region.weightPercent],
        ];
        for (const [member, weight] of shares) {
          new Route53Record(this, `migrating-${region.name}-to-${member.name}`, {
            zoneId: props.hostedZoneId,
            name: migrationName,
            type: 'A',
            setIdentifier: member.name,
            weightedRoutingPolicy: { weight },
            healthCheckId: checks.get(member.name)!.id,
            alias: aliasOf(member),
            provider,
          });
        }
        target = { name: migrationName, zoneId: props.hostedZoneId, evaluateTargetHealth: true };
      }
      new Route53Record(this, `latency-${region.name}`, {
        zoneId: props.hostedZoneId,
        name: props.latencyDomainName,
        type: 'A',
        setIdentifier: region.name,
        latencyRoutingPolicy: { region: region.awsRegion },
        healthCheckId: check.id,
        alias: target,
        provider,
      });
      new Route53Record(this, `geoproximity-${region.name}`, {
        zoneId: props.hostedZoneId,
        name: props.geoproximityDomainName,
        type: 'A',
        setIdentifier: region.name,
        geoproximityRoutingPolicy: { awsRegion: region.awsRegion, bias: region.geoproximityBias },
        healthCheckId: check.id,
        alias: aliasOf(region),
        provider,
      });
    }
  }
}

/** AWS's limits and the platform's own rules, each naming the region and the fix. */
function validate(props: OriginRoutingProps): string[] {
  const problems: string[] = [];
  if (![10, 30].includes(props.healthCheckIntervalSeconds))
    problems.push(`healthCheckIntervalSeconds = ${props.healthCheckIntervalSeconds}; fix: use 10 or 30 (Route 53 takes no other interval)`);
  if (!Number.isInteger(props.healthCheckFailureThreshold) || props.healthCheckFailureThreshold < 1 || props.healthCheckFailureThreshold > 10)
    problems.push(`healthCheckFailureThreshold = ${props.healthCheckFailureThreshold}; fix: use 1 to 10`);
  for (const r of props.regions) {
    if (!Number.isInteger(r.weightPercent) || r.weightPercent < 0 || r.weightPercent > 100)
      problems.push(`region ${r.name} weightPercent = ${r.weightPercent}; fix: use 0 to 100`);
    if (!Number.isInteger(r.geoproximityBias) || r.geoproximityBias < -99 || r.geoproximityBias > 99)
      problems.push(`region ${r.name} geoproximityBias = ${r.geoproximityBias}; fix: use -99 to 99 (Route 53's range)`);
  }
  if (!props.regions.some((r) => r.weightPercent > 0)) problems.push(`every region has weight 0; fix: give at least one region weight 100`);
  const fallback = props.regions.find((r) => r.name === props.fallbackRegion);
  if (!fallback) problems.push(`fallbackRegion = ${props.fallbackRegion} is not among the routed regions; fix: pass the home region`);
  else if (fallback.weightPercent !== 100 && props.regions.some((r) => r.weightPercent > 0 && r.weightPercent < 100))
    problems.push(
      `fallback region ${fallback.name} has weight ${fallback.weightPercent} while another region is being migrated; fix: make the fallback fully live (100) first`,
    );
  return problems;
}
