/**
 * Resource types whose deletion loses data or takes hand work to undo (new name servers, new key
 * material, an empty cluster). The destroy guard and the policy gate share this list.
 */
export const STATEFUL_RESOURCE_TYPES: readonly string[] = [
  'aws_rds_global_cluster',
  'aws_rds_cluster', // instances are not listed: the data lives in the cluster volume
  'aws_db_instance',
  'aws_elasticache_global_replication_group',
  'aws_elasticache_replication_group',
  'aws_elasticache_cluster',
  'aws_s3_bucket',
  'aws_kms_key',
  'aws_kms_replica_key',
  'aws_eks_cluster',
  'aws_route53_zone',
  'aws_cloudtrail',
  'aws_dynamodb_table',
  'aws_efs_file_system',
  'aws_secretsmanager_secret',
  'aws_cloudwatch_log_group', // flow logs, the trail's copy, the EKS audit log: evidence that a replacement loses
];

/** Helm releases that own data (their PVCs go with them). */
export const STATEFUL_HELM_RELEASES: readonly string[] = ['clickhouse', 'kube-prometheus-stack', 'grafana'];
