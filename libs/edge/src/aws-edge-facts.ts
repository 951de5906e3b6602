/**
 * Static AWS facts the edge needs, kept here instead of data sources so every AWS-only stack still
 * plans offline (an `aws_ec2_managed_prefix_list` lookup fails under placeholder credentials).
 * Each value names where it was read; confirm with the command beside it before adding a region.
 */

/**
 * `com.amazonaws.global.cloudfront.origin-facing` has a different id in each region. Seen in public
 * infrastructure code (Terraform, CDK) read 2026-11-25, not in an AWS document; confirm with
 * `aws ec2 describe-managed-prefix-lists --region <r> --filters Name=prefix-list-name,Values=com.amazonaws.global.cloudfront.origin-facing`.
 * The list weighs 55 rules against a security group's quota of 60 (VPC user guide, "AWS-managed
 * prefix list weight"), so nothing else shares the group that references it.
 */
export const CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS: Readonly<Record<string, string>> = {
  'us-east-1': 'pl-3b927c52',
  'us-east-2': 'pl-b6a144df',
  'us-west-1': 'pl-4ea04527',
  'us-west-2': 'pl-82a045eb',
  'eu-west-1': 'pl-4fa04526',
  'eu-west-2': 'pl-93a247fa',
  'eu-central-1': 'pl-a3a144ca',
  'ap-southeast-1': 'pl-31a34658',
  'ap-southeast-2': 'pl-b8a742d1',
  'ap-northeast-1': 'pl-58a04531',
  // Added 2026-12-04 from the same kind of source (AWS sample mappings in several public repositories agree):
  'ap-northeast-2': 'pl-22a6434b',
  'ap-south-1': 'pl-9aa247f3',
  'ca-central-1': 'pl-38a64351',
  'eu-north-1': 'pl-fab65393',
  'eu-west-3': 'pl-75b1541c',
  'sa-east-1': 'pl-5da64334',
};

/**
 * The account Elastic Load Balancing writes access logs from, in regions opened before August 2022
 * (later regions use the `logdelivery.elasticloadbalancing.amazonaws.com` principal instead). ELB
 * user guide, "Enable access logs for your Application Load Balancer"; ids as published there and
 * seen in public code, read 2026-11-25.
 */
export const ELB_LOG_DELIVERY_ACCOUNTS: Readonly<Record<string, string>> = {
  'us-east-1': '127311923021',
  'us-east-2': '033677994240',
  'us-west-1': '027434742980',
  'us-west-2': '797873946194',
  'eu-west-1': '156460612806',
  'eu-west-2': '652711504416',
  'eu-central-1': '054676820928',
  'ap-southeast-1': '114774131450',
  'ap-southeast-2': '783225319266',
  'ap-northeast-1': '582318560864',
  // Added 2026-12-04 (a public CloudFormation mapping of the ELB guide's table, read that day):
  'ap-northeast-2': '600734575887',
  'ap-south-1': '718504428378',
  'ca-central-1': '985666609251',
  'eu-north-1': '897822967062',
  'eu-west-3': '009996457667',
  'sa-east-1': '507241528517',
};

/**
 * Route 53 health checkers the platform's health checks use, and their IPv4 ranges
 * (ip-ranges.json, service ROUTE53_HEALTHCHECKS; the Route 53 developer guide, "IP address ranges
 * of Amazon Route 53 servers", says they rarely change; ranges as listed in public code and AWS's
 * GetCheckerIpRanges example, read 2026-11-25). Checking from these three regions only (AWS's
 * minimum) keeps the allow-list to seven ranges. GLOBAL (15.177.0.0/18) is the newer checker fleet.
 */
export const HEALTH_CHECKER_REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-1'] as const;
export const HEALTH_CHECKER_CIDRS: readonly string[] = [
  '15.177.0.0/18',
  '107.23.255.0/26',
  '54.243.31.192/26',
  '176.34.159.192/26',
  '54.228.16.0/26',
  '54.251.31.128/26',
  '54.255.254.192/26',
];

/** The region CloudFront takes its ACM certificate and CLOUDFRONT-scope web ACL from (CloudFront developer guide). */
export const CLOUDFRONT_CONTROL_REGION = 'us-east-1';

/** Route 53's fixed hosted zone id for every CloudFront alias target (Route 53 API, AliasTarget). */
export const CLOUDFRONT_HOSTED_ZONE_ID = 'Z2FDTNDATAQYW2';

function lookup(table: Readonly<Record<string, string>>, awsRegion: string, what: string): string {
  const value = table[awsRegion];
  if (!value)
    throw new Error(`no ${what} is recorded for ${awsRegion}; fix: look it up as libs/edge/src/aws-edge-facts.ts describes and add it there`);
  return value;
}

export function cloudFrontOriginPrefixList(awsRegion: string): string {
  return lookup(CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS, awsRegion, 'CloudFront origin-facing prefix list id');
}

export function elbLogDeliveryAccount(awsRegion: string): string {
  return lookup(ELB_LOG_DELIVERY_ACCOUNTS, awsRegion, 'Elastic Load Balancing log delivery account');
}
