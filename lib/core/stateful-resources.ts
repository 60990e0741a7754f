/**
 * The Terraform resource types whose destruction loses data (or an identity
 * that cannot be recreated: a KMS key, a hosted zone's name servers), and for
 * each, the arguments whose change makes Terraform replace it (destroy, then
 * create) instead of updating it in place.
 *
 * Curated by hand from hashicorp/aws 6.x (`ForceNew: true` in the provider's
 * schema, "Forces new resource" in its documentation). `docs` is the page to
 * check when the provider is upgraded. Arguments that only force replacement
 * under a condition (e.g. `aws_elasticache_replication_group.engine`, only when
 * changed back from valkey to redis) are left out: the guard reports what
 * always replaces.
 *
 * @internal
 */
export interface StatefulType {
  /** Terraform resource type, e.g. `aws_db_instance`. */
  readonly type: string;
  /** What is lost when it is destroyed, for the report. */
  readonly holds: string;
  /** The provider documentation page of the type (hashicorp/aws 6.25.0). */
  readonly docs: string;
  /**
   * Arguments (dotted paths through nested blocks) whose change forces replacement.
   */
  readonly forcesReplacement: string[];
}

const DOCS = 'https://registry.terraform.io/providers/hashicorp/aws/6.25.0/docs/resources';

function entry(type: string, holds: string, forcesReplacement: string[]): StatefulType {
  return { type, holds, docs: `${DOCS}/${type.replace(/^aws_/, '')}`, forcesReplacement };
}

/**
 * Every stateful type the upgrade guard knows, by type.
 *
 * `aws_db_instance.db_subnet_group_name` is not listed: provider 5.x and later
 * move an instance to another subnet group in place (ModifyDBInstance).
 * `aws_eks_cluster.vpc_config.subnet_ids` is updated in place too
 * (UpdateClusterConfig).
 *
 * @internal
 */
export const STATEFUL_TYPES: ReadonlyMap<string, StatefulType> = new Map([
  entry('aws_db_instance', 'an RDS database and its automated backups', [
    'identifier', 'identifier_prefix', 'engine', 'availability_zone', 'storage_encrypted', 'kms_key_id',
    'username', 'db_name', 'character_set_name', 'nchar_character_set_name', 'timezone',
    'snapshot_identifier', 'restore_to_point_in_time', 'custom_iam_instance_profile',
  ]),
  entry('aws_rds_cluster', 'an Aurora/RDS cluster volume and its backups', [
    'cluster_identifier', 'cluster_identifier_prefix', 'engine', 'engine_mode', 'database_name',
    'master_username', 'storage_encrypted', 'kms_key_id', 'db_subnet_group_name', 'availability_zones',
    'snapshot_identifier', 'source_region', 'restore_to_point_in_time', 's3_import',
  ]),
  entry('aws_elasticache_replication_group', 'a Redis/Valkey data set', [
    'replication_group_id', 'at_rest_encryption_enabled', 'kms_key_id', 'subnet_group_name', 'port',
    'data_tiering_enabled', 'network_type', 'global_replication_group_id', 'snapshot_arns', 'snapshot_name',
    'security_group_names',
  ]),
  entry('aws_elasticache_cluster', 'a Memcached/Redis node and its data', [
    'cluster_id', 'engine', 'availability_zone', 'subnet_group_name', 'port', 'snapshot_arns', 'snapshot_name',
    'network_type', 'outpost_mode', 'preferred_outpost_arn', 'security_group_names',
  ]),
  entry('aws_elasticache_serverless_cache', 'a serverless Redis/Valkey/Memcached data set', ['name']),
  entry('aws_docdb_cluster', 'a DocumentDB cluster volume and its backups', [
    'cluster_identifier', 'cluster_identifier_prefix', 'engine', 'master_username', 'storage_encrypted',
    'kms_key_id', 'db_subnet_group_name', 'availability_zones', 'snapshot_identifier',
  ]),
  entry('aws_neptune_cluster', 'a Neptune graph and its backups', [
    'cluster_identifier', 'cluster_identifier_prefix', 'engine', 'storage_encrypted', 'kms_key_arn',
    'neptune_subnet_group_name', 'availability_zones', 'snapshot_identifier',
  ]),
  entry('aws_dynamodb_table', 'a DynamoDB table and its items', ['name', 'hash_key', 'range_key', 'local_secondary_index']),
  entry('aws_mq_broker', 'an Amazon MQ broker and its queued messages', [
    'broker_name', 'engine_type', 'deployment_mode', 'encryption_options', 'publicly_accessible', 'storage_type',
    'subnet_ids',
  ]),
  entry('aws_msk_cluster', 'a Kafka cluster and its topics', [
    'cluster_name', 'encryption_info.encryption_at_rest_kms_key_arn', 'broker_node_group_info.client_subnets',
    'broker_node_group_info.az_distribution',
  ]),
  // MSK Serverless has no UpdateCluster: every argument but tags replaces the cluster and its topics.
  entry('aws_msk_serverless_cluster', 'a serverless Kafka cluster and its topics', [
    'cluster_name', 'client_authentication', 'vpc_config',
  ]),
  entry('aws_kinesis_stream', 'a Kinesis stream and its records', ['name']),
  entry('aws_s3_bucket', 'an S3 bucket and its objects (and its globally unique name)', [
    'bucket', 'bucket_prefix', 'object_lock_enabled',
  ]),
  entry('aws_efs_file_system', 'an EFS file system and its files', [
    'creation_token', 'encrypted', 'kms_key_id', 'performance_mode', 'availability_zone_name',
  ]),
  entry('aws_ebs_volume', 'an EBS volume and its blocks', [
    'availability_zone', 'encrypted', 'kms_key_id', 'snapshot_id', 'outpost_arn',
  ]),
  entry('aws_kms_key', 'a KMS key: everything encrypted with it becomes unreadable once its deletion completes', [
    'customer_master_key_spec', 'key_usage', 'multi_region', 'custom_key_store_id', 'xks_key_id',
  ]),
  entry('aws_route53_zone', 'a hosted zone, its records and its name servers (registrar delegations point at them)', [
    'name', 'delegation_set_id',
  ]),
  entry('aws_eks_cluster', 'a Kubernetes cluster and every object in it', [
    'name', 'role_arn', 'bootstrap_self_managed_addons', 'access_config.bootstrap_cluster_creator_admin_permissions',
    'kubernetes_network_config.service_ipv4_cidr', 'kubernetes_network_config.ip_family', 'outpost_config',
    'remote_network_config',
  ]),
  entry('aws_sqs_queue', 'an SQS queue and its messages', ['name', 'name_prefix', 'fifo_queue']),
  entry('aws_secretsmanager_secret', 'a secret and its versions (a new secret gets a new ARN suffix)', ['name', 'name_prefix']),
  entry('aws_cloudwatch_log_group', 'a log group and its log events', ['name', 'name_prefix', 'log_group_class']),
  entry('aws_ecr_repository', 'a container repository and its images', ['name', 'encryption_configuration']),
  entry('aws_backup_vault', 'a backup vault and its recovery points', ['name', 'kms_key_arn']),
  entry('aws_opensearch_domain', 'an OpenSearch domain and its indices', ['domain_name']),
].map(t => [t.type, t]));
