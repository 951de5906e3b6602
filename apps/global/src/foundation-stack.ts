import { auditTrailName, dataStoreIdentifier, namePrefix } from '@platform/config';
import { ServiceLinkedRoles } from '@platform/access';
import { AuditTrail } from '@platform/audit';
import { AuroraGlobalCluster } from '@platform/aurora-global';
import { PublicZone } from '@platform/foundation';
import { RegionalKeys } from '@platform/kms';
import { OriginVerifySecret } from '@platform/edge';
import { globalFoundationContract, publishOutputs, stackNames } from '@platform/stack-contracts';
import { awsProvidersByRegion, PlatformStack, type AppContext } from '@platform/stack-kit';
import type { Construct } from 'constructs';

/**
 * What every region refers to: the public zone, the multi-region keys (primary in the primary
 * region, a replica in each other) and the account's single multi-region CloudTrail trail.
 */
export class FoundationStack extends PlatformStack {
  constructor(scope: Construct, context: AppContext) {
    super(scope, stackNames.globalFoundation, context);
    const { config } = context;
    const providers = awsProvidersByRegion(this, config, this.stackName);
    const zone = new PublicZone(this, 'public-zone', { domain: config.domain });
    // IAM is global: the foundation (applied before any region) makes the service-linked roles the
    // regions' node groups and Karpenter's spot pool launch with.
    new ServiceLinkedRoles(this, 'service-linked-roles', {
      accountId: config.accountId,
      alreadyInAccount: config.access.serviceLinkedRolesInAccount,
    });
    const { keys } = new RegionalKeys(this, 'keys', { config, providers });
    const audit = new AuditTrail(this, 'audit', {
      name: auditTrailName(config),
      accountId: config.accountId,
      awsRegion: config.homeRegion.awsRegion,
      logsKeyArn: keys.logs.primaryKey.arn,
      trailRetentionDays: config.audit.trailRetentionDays,
      trailLogRetentionDays: config.audit.trailLogRetentionDays,
    });
    // The global database lives here, not in a region's data stack: a switchover changes the
    // writer region inside AWS and must not move this resource between stacks.
    const aurora = new AuroraGlobalCluster(this, 'aurora', {
      identifier: dataStoreIdentifier(config, 'aurora'),
      engineVersion: config.aurora.engineVersion,
      autoMinorVersionUpgrade: config.aurora.autoMinorVersionUpgrade,
    });
    // The header CloudFront sends and every regional load balancer requires. Here, not in the edge
    // stack: the regions' listeners (applied before the edge) need it first. To rotate, write
    // {"current": NEW, "previous": OLD} into the secret, apply each region's infra (accepts both),
    // then global-edge (sends NEW); the README's rotation steps say the same.
    const originVerify = new OriginVerifySecret(this, 'origin-verify', {
      name: `${namePrefix(config)}/edge/origin-verify`,
      kmsKeyArn: keys.secrets.primaryKey.arn,
    });
    publishOutputs(this, globalFoundationContract, {
      hostedZoneId: zone.zone.zoneId,
      hostedZoneName: zone.zone.name,
      hostedZoneNameServers: zone.zone.nameServers,
      dataKeyArns: keys.data.arnByRegion,
      logsKeyArns: keys.logs.arnByRegion,
      secretsKeyArns: keys.secrets.arnByRegion,
      auditBucketName: audit.auditBucket.bucket.bucket,
      trailArn: audit.trail.arn,
      // The identifier, not the id attribute: equal in AWS, but known at plan, so consumers' plans show it.
      auroraGlobalClusterId: aurora.globalCluster.globalClusterIdentifier,
      auroraWriterEndpoint: aurora.globalCluster.endpoint,
      originVerifySecretArn: originVerify.secret.arn,
      originVerifyValues: originVerify.acceptedValues,
    });
  }
}
