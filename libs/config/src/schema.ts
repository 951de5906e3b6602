import { z } from 'zod';
import { WEEKDAYS } from './maintenance-window';

/**
 * The shape of an environment config. This schema checks types and formats only; rules that
 * relate fields to each other or to AWS (overlaps, primaries, versions) live in `rules.ts`.
 * Every object is strict so a misspelt key fails instead of being silently ignored.
 */

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a 24-hour clock time "HH:MM"');
const count = z.number().int('expected a whole number').min(0, 'expected zero or more');

export const nodeGroupSchema = z
  .object({
    /** Short name, unique in the region: becomes part of the EKS node group name. */
    name: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, 'expected lowercase letters, digits and dashes, starting with a letter'),
    /** EC2 instance types, most preferred first. */
    instanceTypes: z
      .array(z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9-]+$/, 'expected an EC2 instance type such as m6i.2xlarge'))
      .min(1, 'expected at least one instance type'),
    /** GPU nodes run the AL2023 NVIDIA AMI and carry the nvidia.com/gpu taint. @default false */
    gpu: z.boolean().default(false),
    /** @default 'ON_DEMAND' */
    capacityType: z.enum(['ON_DEMAND', 'SPOT']).default('ON_DEMAND'),
    minSize: count,
    /** Initial size only: after creation the autoscaler owns it. */
    desiredSize: count,
    maxSize: count,
    /** Root volume, gp3, encrypted with the region's key. @default 100 */
    diskSizeGiB: z.number().int().min(20).max(16384).default(100),
    /** Minimum during the off-peak window (kubernetes.offPeak); unset keeps minSize all day. @default minSize */
    offPeakMinSize: count.optional(),
  })
  .strict();

export const regionSchema = z
  .object({
    /** Short name used for app folders, stack names and Kubernetes contexts, e.g. `us-east`. */
    name: z.string().regex(/^[a-z][a-z0-9-]{1,20}$/, 'expected a short lowercase name such as us-east'),
    awsRegion: z.string(),
    /** Exactly one region is primary: it holds the Aurora writer and the Redis primary. @default false */
    primary: z.boolean().default(false),
    vpcCidr: z.string(),
    /** Static AZ names (no data source, so plans work offline). Three, in the region. */
    availabilityZones: z.array(z.string()).length(3, 'expected exactly three availability zones'),
    /** IANA zone whose standard time the local windows below are written in, e.g. `America/New_York`. */
    timeZone: z.string(),
    /** Weekly maintenance window in local standard time; converted to the UTC form AWS takes. */
    maintenance: z.object({ day: z.enum(WEEKDAYS), start: clockTime, end: clockTime }).strict(),
    /** Daily backup window in local standard time; must not touch the maintenance window. */
    backupWindow: z.object({ start: clockTime, end: clockTime }).strict(),
    nodeGroups: z.array(nodeGroupSchema).min(1, 'expected at least one node group'),
    /**
     * User traffic this region takes (the seed's phased rollout). `weightPercent` 0 keeps the region
     * out of Route 53 and CloudFront (built, not live); 1-99 sends that share of the users nearest to
     * it there and the rest to the home region (gradual migration); 100 is fully live.
     * `geoproximityBias` grows (+) or shrinks (-) the area the geoproximity record set sends here.
     * @default { weightPercent: 100, geoproximityBias: 0 }
     */
    traffic: z
      .object({
        weightPercent: z.number().int('expected a whole percentage').min(0, 'expected 0 to 100').max(100, 'expected 0 to 100').default(100),
        // Route 53 API GeoProximityLocation.Bias: -99..99 (API reference, read 2026-11-25).
        geoproximityBias: z
          .number()
          .int('expected a whole number')
          .min(-99, 'Route 53 takes a bias from -99 to 99')
          .max(99, 'Route 53 takes a bias from -99 to 99')
          .default(0),
      })
      .strict()
      .default({ weightPercent: 100, geoproximityBias: 0 }),
  })
  .strict();

const cachedPathSchema = z
  .object({
    /** CloudFront path pattern, e.g. `/static/*`. */
    pattern: z.string().regex(/^\/[A-Za-z0-9_\-.*$/~"'@:+?&=]*$/, 'expected a CloudFront path pattern starting with /, such as /static/*'),
    /** `static`: cached for a day, no cookies or query strings. `api-read`: cached briefly, keyed on the query string. */
    cache: z.enum(['static', 'api-read']),
    /** Methods CloudFront accepts on this path. Only read methods may use the origin group (failover works for GET/HEAD/OPTIONS only). @default ['GET', 'HEAD', 'OPTIONS'] */
    allowedMethods: z.array(z.enum(['GET', 'HEAD', 'OPTIONS', 'PUT', 'POST', 'PATCH', 'DELETE'])).default(['GET', 'HEAD', 'OPTIONS']),
  })
  .strict();

export const platformConfigSchema = z
  .object({
    environment: z.string().regex(/^[a-z][a-z0-9-]{1,15}$/, 'expected a short lowercase name such as prod'),
    /** Prefix of every resource name. */
    project: z.string().regex(/^[a-z0-9][a-z0-9-]{1,20}$/, 'expected lowercase letters, digits and dashes'),
    /** The AWS account every stack deploys to; providers refuse any other account. */
    accountId: z.string().regex(/^\d{12}$/, 'expected a 12-digit AWS account id'),
    /** Public DNS zone the edge serves. */
    domain: z
      .string()
      .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'expected a lowercase DNS name such as app.example.com'),
    /** Team tag on every resource. */
    owner: z.string().min(1, 'expected a team name'),
    /** Where Terraform state lives (the bootstrap app creates the bucket there). */
    state: z.object({ region: z.string() }).strict(),
    regions: z.array(regionSchema).min(1, 'expected at least one region'),
    network: z
      .object({
        /** `per-az`: a NAT gateway in each zone (a zone failure cuts nothing). `single`: one per region, cheaper, one zone is then a single point of failure for egress. */
        natGateways: z.enum(['per-az', 'single']),
        flowLogRetentionDays: z.number().int().min(1).max(3653),
      })
      .strict(),
    audit: z
      .object({
        /** CloudTrail files in the audit bucket are deleted after this many days. */
        trailRetentionDays: z.number().int().min(90).max(3653),
        /** CloudWatch Logs copy of the trail, for alarms and queries. */
        trailLogRetentionDays: z.number().int().min(1).max(3653),
      })
      .strict(),
    access: z
      .object({
        /** `owner/name` of the repository whose GitHub Actions deploy this environment (OIDC `sub`). */
        githubRepository: z.string().regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'expected owner/name of a GitHub repository'),
        /**
         * Prefix of the GitHub environments whose jobs may assume the apply role: one per rollout
         * step, `<prefix>-bootstrap`, `<prefix>-global` and `<prefix>-<region>`, each with required
         * reviewers. @default the environment name
         */
        githubEnvironment: z.string().min(1).optional(),
        /**
         * Services whose service-linked role this account already has (e.g. `autoscaling.amazonaws.com`
         * where Auto Scaling was used before): global-foundation creates the others, and creating one
         * that exists fails the apply. @default [] (a fresh account)
         */
        serviceLinkedRolesInAccount: z
          .array(z.string().regex(/^[a-z0-9.-]+\.amazonaws\.com$/, 'expected a service principal such as autoscaling.amazonaws.com'))
          .default([]),
      })
      .strict(),
    kubernetes: z
      .object({
        /** EKS minor version, e.g. "1.35"; must be in standard support (kubernetes-versions.ts). */
        version: z.string(),
        /** CIDRs allowed to reach the public API endpoint; empty turns the public endpoint off. @default [] */
        publicAccessCidrs: z.array(z.string()).default([]),
        /** Daily window, in each region's local time, when node groups drop to their offPeakMinSize. */
        offPeak: z.object({ scaleDownAt: clockTime, scaleUpAt: clockTime }).strict(),
        /** Upper bounds on what Karpenter may add per region (vCPUs; GPUs for the GPU pool). */
        karpenter: z
          .object({ generalCpuLimit: z.number().int().min(1), batchSpotCpuLimit: z.number().int().min(0), gpuLimit: z.number().int().min(0) })
          .strict(),
        controlPlaneLogRetentionDays: z.number().int().min(1).max(3653),
        /** AL2023 release Karpenter's nodes run, pinned so an AMI release never rolls every node unreviewed. */
        nodeAmiAlias: z.string().regex(/^al2023@v\d{8}$/, 'expected a dated AL2023 release such as al2023@v20260903 (not @latest)'),
      })
      .strict(),
    workloads: z
      .object({
        /**
         * Release market-intelligence in every region, with the Aurora, Redis and ClickHouse
         * endpoints the data contracts and libs/clickhouse publish (after ClickHouse).
         */
        marketIntelligence: z
          .object({
            enabled: z.boolean(),
            image: z.string().regex(/^[a-z0-9./_-]+(:[A-Za-z0-9._-]+|@sha256:[a-f0-9]{64})$/, 'expected an image reference with a tag or digest'),
          })
          .strict(),
      })
      .strict(),
    data: z
      .object({
        /**
         * The region whose data stack created the global data stores: Aurora's first writer (it
         * holds the master credentials and the database name) and Redis's first primary with the
         * Global Datastore. It never changes: after a switchover `primary: true` moves (where
         * writes go), not this, so no cluster, replication group or bucket is ever replaced.
         */
        homeRegion: z.string(),
      })
      .strict(),
    aurora: z
      .object({
        engineVersion: z.string(),
        /** Database the application uses (created in the home region's cluster). @default 'market' */
        databaseName: z
          .string()
          .regex(/^[a-z][a-z0-9_]{0,62}$/, 'expected a PostgreSQL identifier: lowercase letters, digits, underscores')
          .default('market'),
        /** Apply minor versions in the maintenance window. @default true */
        autoMinorVersionUpgrade: z.boolean().default(true),
        instanceClass: z.string().regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, 'expected an RDS instance class such as db.r7g.xlarge'),
        /** Writer plus readers in the primary region; readers only elsewhere. */
        instancesPerRegion: z.number().int().min(1).max(16),
        /** Automated backups; at least 7 (rules.ts). */
        backupRetentionDays: z.number().int().min(1).max(35),
      })
      .strict(),
    redis: z
      .object({
        /** @default 'valkey' */
        engine: z.enum(['valkey', 'redis']).default('valkey'),
        /** Major.minor; must be one a Global Datastore takes (cache-versions.ts). @default '8.1' */
        engineVersion: z.string().default('8.1'),
        /** Daily snapshots kept; at least 7 (rules.ts). @default 7 */
        snapshotRetentionDays: z.number().int().min(0).max(35).default(7),
        nodeType: z.string(),
        /** Read-only members of the global datastore. @default every region that is not primary */
        secondaryRegions: z.array(z.string()).optional(),
        shards: z.number().int().min(1).max(500),
        replicasPerShard: z.number().int().min(0).max(5),
      })
      .strict(),
    monitoring: z
      .object({
        /** Seed target: replication lag under 1 s (Aurora's and the Global Datastore's). @default 1 */
        replicationLagSeconds: z.number().positive('expected a positive number of seconds').default(1),
        /**
         * S3 replication of the backups: Replication Time Control promises 15 minutes for 99.99 % of
         * objects, so a 1-second target would alarm all day. @default 900
         */
        s3ReplicationLatencySeconds: z.number().positive('expected a positive number of seconds').default(900),
        /** Seed target: regional API latency p95 under 50 ms (the load balancer's TargetResponseTime). @default 50 */
        regionalLatencyP95Ms: z.number().positive('expected a positive number of milliseconds').default(50),
        /**
         * Share of requests answered 5xx (load balancer and CloudFront) that pages. A choice, not a seed
         * figure: 1 % spends a 99.99 % month's error budget (0.01 % of requests) in about 7 hours. @default 1
         */
        error5xxRatePercent: z.number().positive().max(100).default(1),
        /**
         * CloudFront cache hit rate under which the edge pages. A choice, not a seed figure: writes and
         * dynamic requests are never cached, so tune it to the traffic's cacheable share. @default 50
         */
        cacheHitRatePercent: z.number().positive().max(100).default(50),
        /**
         * Valkey hit rate (hits over lookups, all nodes of a region's group) under which it pages. A
         * choice, not a seed figure: a read-through cache under 80 % sends most reads to Aurora. @default 80
         */
        redisHitRatePercent: z.number().positive().max(100).default(80),
        /** Seed target: 99.99 % uptime, as an availability SLO with error-budget burn alarms (5xx share of requests). @default 99.99 */
        availabilitySloPercent: z
          .number()
          .gt(90, 'expected an objective above 90 %')
          .lt(100, 'expected an objective below 100 % (100 % leaves no error budget)')
          .default(99.99),
        /** Seed target: global API latency p95 under 150 ms, measured by a canary in each region through the public domain. @default 150 */
        globalLatencyP95Ms: z.number().positive('expected a positive number of milliseconds').default(150),
        /**
         * Minutes between canary runs. AWS takes rate(1 minute) to rate(1 hour) (CloudWatch Synthetics API
         * reference, CanaryScheduleInput, read 2026-12-04); the latency alarm reads a 15-minute p95, so at
         * most 5 (three runs a period). @default 1
         */
        canaryIntervalMinutes: z
          .number()
          .int('expected whole minutes: Synthetics schedules take rate(<n> minutes)')
          .min(1, 'Synthetics runs a canary at most once a minute (rate(1 minute))')
          .max(5, "the latency alarm's 15-minute p95 needs at least three runs per period: use 1 to 5 minutes")
          .default(1),
        /** Days each regional Prometheus keeps (and the global one, which holds only recorded series). A choice. @default 15 */
        prometheusRetentionDays: z.number().int('expected whole days').min(1).max(365).default(15),
        /** Size of each Prometheus volume (gp3, the region's data key); retention by size stops at 85 % of it. A choice. @default 100 */
        prometheusStorageGiB: z.number().int('expected whole GiB').min(10).max(16_384).default(100),
        /** Size of Grafana's volume (its SQLite database: users, annotations). A choice. @default 10 */
        grafanaStorageGiB: z.number().int('expected whole GiB').min(1).max(1024).default(10),
      })
      .strict()
      .default({
        replicationLagSeconds: 1,
        s3ReplicationLatencySeconds: 900,
        regionalLatencyP95Ms: 50,
        error5xxRatePercent: 1,
        cacheHitRatePercent: 50,
        redisHitRatePercent: 80,
        availabilitySloPercent: 99.99,
        globalLatencyP95Ms: 150,
        canaryIntervalMinutes: 1,
        prometheusRetentionDays: 15,
        prometheusStorageGiB: 100,
        grafanaStorageGiB: 10,
      }),
    recovery: z
      .object({
        /**
         * Route 53 health checks of each region's endpoint: seconds between checks. AWS takes 10 or 30
         * and fixes it at creation (Route 53 developer guide, "How Route 53 determines whether a health
         * check is healthy", read 2026-11-25). @default 10
         */
        healthCheckIntervalSeconds: z
          .union([z.literal(10), z.literal(30)], { error: 'Route 53 health checks take an interval of 10 or 30 seconds' })
          .default(10),
        /** Consecutive failed checks before a region counts as unhealthy; AWS takes 1-10 (HealthCheckConfig.FailureThreshold). @default 3 */
        healthCheckFailureThreshold: z.number().int().min(1).max(10).default(3),
        /** TTL of the public DNS records the edge publishes (seed: 60 s). @default 60 */
        dnsTtlSeconds: z.number().int().min(0).max(86400).default(60),
        /** Seed: failover in under 2 minutes. Traffic failover must fit it (rules.ts). @default 120 */
        failoverTargetSeconds: z.number().int().positive('expected a positive number of seconds').default(120),
        /**
         * How long promoting an Aurora secondary takes. An ESTIMATE, not a measured or documented
         * figure (AWS says only that the database is unavailable "for a short time"): replace it
         * with the time of your own drill. @default 60
         */
        databasePromotionSeconds: z.number().int().positive('expected a positive number of seconds').default(60),
        /** From the page to an operator running the failover CLI: an on-call policy, not an AWS figure. @default 300 */
        operatorResponseSeconds: z.number().int().min(0).default(300),
      })
      .strict()
      .default({
        healthCheckIntervalSeconds: 10,
        healthCheckFailureThreshold: 3,
        dnsTtlSeconds: 60,
        failoverTargetSeconds: 120,
        databasePromotionSeconds: 60,
        operatorResponseSeconds: 300,
      }),
    edge: z
      .object({
        /** The application's health path: the ALB target group and the Route 53 health checks request it over HTTPS. @default '/healthz' (the market-intelligence chart's probes) */
        healthCheckPath: z
          .string()
          .regex(/^\/[A-Za-z0-9_\-./]*$/, 'expected an absolute path such as /healthz')
          .default('/healthz'),
        /** WAF rate-based rule on CloudFront: requests per client IP per 5 minutes before it is blocked (WAF takes 10 to 2,000,000,000). @default 2000 */
        rateLimitPerFiveMinutes: z.number().int().min(10, 'WAF takes a rate limit of at least 10').max(2_000_000_000).default(2000),
        /**
         * Read-only paths served from the cache and, on a 5xx or timeout of the first origin, from the
         * second (CloudFront origin-group failover). Everything else, writes included, goes to the
         * latency-routed origin. @default static assets and the market-data read API
         */
        cachedPaths: z.array(cachedPathSchema).default([
          { pattern: '/static/*', cache: 'static', allowedMethods: ['GET', 'HEAD', 'OPTIONS'] },
          { pattern: '/api/v1/market-data/*', cache: 'api-read', allowedMethods: ['GET', 'HEAD', 'OPTIONS'] },
        ]),
        /** The two regions (by name) the origin group of the cached paths fails over between, first preferred. @default the home region, then the next live region */
        failoverOrigins: z.array(z.string()).length(2, 'expected two region names: the preferred origin and the one it fails over to').optional(),
        /** CloudFront price class. @default 'PriceClass_All' (users in every continent; the seed serves APAC) */
        priceClass: z.enum(['PriceClass_All', 'PriceClass_200', 'PriceClass_100']).default('PriceClass_All'),
        /** Days CloudFront's access logs (CloudWatch Logs) and the load balancers' (S3) are kept. @default 90 */
        accessLogRetentionDays: z.number().int().min(1).max(3653).default(90),
      })
      .strict()
      .default({
        healthCheckPath: '/healthz',
        rateLimitPerFiveMinutes: 2000,
        cachedPaths: [
          { pattern: '/static/*', cache: 'static', allowedMethods: ['GET', 'HEAD', 'OPTIONS'] },
          { pattern: '/api/v1/market-data/*', cache: 'api-read', allowedMethods: ['GET', 'HEAD', 'OPTIONS'] },
        ],
        priceClass: 'PriceClass_All',
        accessLogRetentionDays: 90,
      }),
    clickhouse: z
      .object({
        /** Each region's backup bucket replicates to this region's, by region name. @default the next region in the list */
        backupReplicaRegions: z.record(z.string(), z.string()).optional(),
        /** Backups kept in the bucket (and its replica); at least 7 (rules.ts). @default 30 */
        backupRetentionDays: z.number().int().min(1).max(3650).default(30),
        /** @default 1 */
        shards: z.number().int().min(1).max(64).default(1),
        /** Replicas per shard, spread over the zones. @default 2 */
        replicasPerShard: z.number().int().min(1).max(3).default(2),
        /** Data volume per replica, gp3, encrypted with the region's data key. @default 200 */
        storageGiB: z.number().int().min(10).max(16384).default(200),
        /**
         * CPU and memory each ClickHouse server requests (memory is also its limit: ClickHouse sizes its
         * caches from it). Sized to fit the seed's general nodes with room for the add-ons. @default { cpu: 4, memoryGiB: 16 }
         */
        serverResources: z
          .object({ cpu: z.number().min(0.5).max(64), memoryGiB: z.number().int().min(2).max(512) })
          .strict()
          .default({ cpu: 4, memoryGiB: 16 }),
      })
      .strict()
      .default({ backupRetentionDays: 30, shards: 1, replicasPerShard: 2, storageGiB: 200, serverResources: { cpu: 4, memoryGiB: 16 } }),
  })
  .strict();

export type PlatformConfigInput = z.input<typeof platformConfigSchema>;
export type ParsedPlatformConfig = z.output<typeof platformConfigSchema>;
export type ParsedRegion = z.output<typeof regionSchema>;
export type NodeGroupConfig = z.output<typeof nodeGroupSchema>;
