import type { MskServerlessCluster } from '@cdktf/provider-aws/lib/msk-serverless-cluster';
import type { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import type { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Fn, TerraformResource, Token } from 'cdktf';
import { Construct } from 'constructs';
import { Grant, GrantPolicy, IGrantable, validateGrantee } from './grant';
import { INetwork } from './network';
import { PolicyStatement } from './policy-statement';
import { RdsIngress, addRdsIngress, lowercasePathBelowStack, validateAllowFrom, validateRdsNetwork, validateRuleDescription } from './rds-common';
import { checkedScope } from '../core/api-guard';
import { Environment } from '../core/environment';
import { invalid } from '../core/errors';
import { lazyModule } from '../core/lazy-module';
import { Naming } from '../core/naming';
import { Platform } from '../core/platform';

const mskServerlessClusterLib = lazyModule<typeof import('@cdktf/provider-aws/lib/msk-serverless-cluster')>('@cdktf/provider-aws/lib/msk-serverless-cluster');
const securityGroupLib = lazyModule<typeof import('@cdktf/provider-aws/lib/security-group')>('@cdktf/provider-aws/lib/security-group');

/** Properties of a {@link KafkaServerless}. */
export interface KafkaServerlessProps {
  /** The network whose isolated subnets the cluster's endpoints are placed in (at least two, in different AZs). */
  readonly network: INetwork;
  /**
   * Security groups allowed to connect on 9098 (IAM over TLS), typically
   * the cluster's node security group. More with `allowFrom()`.
   * @default [] - no client can reach the cluster until one is allowed
   */
  readonly allowFrom?: string[];
  /**
   * The cluster name: 1-64 letters, digits and hyphens, starting with a letter.
   * @default - `<env>-<construct path below the environment>`
   */
  readonly clusterName?: string;
  /**
   * Set Terraform's `lifecycle.prevent_destroy` on the cluster: its topics
   * and their records live only in it (MSK Serverless has no backups or
   * deletion protection to turn on).
   * @default - the environment profile's `preventDestroy` (DEV and STAGING false, PROD true)
   */
  readonly preventDestroy?: boolean;
}

const PORT = 9098;
const CLUSTER_NAME = /^[a-zA-Z][a-zA-Z0-9-]{0,63}$/;
/** Kafka topic names, as MSK allows them in IAM resources. */
const TOPIC = /^[a-zA-Z0-9._-]{1,249}$/;

/** Which data rights a topic grant gives. */
export enum KafkaTopicAccess {
  /** Write records (and create the topic). */
  PRODUCE = 'produce',
  /** Read records, in consumer groups whose names start with the topic's name. */
  CONSUME = 'consume',
  /** Both. */
  PRODUCE_AND_CONSUME = 'produce-and-consume',
}

/**
 * An Amazon MSK Serverless cluster: Kafka with IAM access control and no
 * password at all (clients sign with their AWS credentials, SASL/IAM over
 * TLS on 9098), encrypted at rest and in transit by MSK, in the network's
 * isolated subnets, behind a security group of its own that admits 9098
 * only from `allowFrom`. MSK Serverless has no broker settings, storage or
 * backups to choose; topics are created by clients allowed to
 * (`grantTopic`), and their data lives as long as the cluster.
 */
export class KafkaServerless extends Construct {
  /** The cluster name. */
  public readonly clusterName: string;
  /** ARN of the cluster (a reference resolved at apply time). */
  public readonly clusterArn: string;
  /** The bootstrap endpoint's host name (a reference resolved at apply time). */
  public readonly host: string;
  /** The port, 9098 (IAM over TLS). */
  public readonly port: number;
  /** @internal */
  public readonly _cluster: MskServerlessCluster;
  /** The cluster, for escape hatches. */
  public get cluster(): TerraformResource {
    return this._cluster;
  }
  /** @internal */
  public readonly _securityGroup: SecurityGroup;
  /** The security group, for escape hatches. */
  public get securityGroup(): TerraformResource {
    return this._securityGroup;
  }
  /** @internal */
  public readonly _ingressRules: VpcSecurityGroupIngressRule[] = [];
  /** The ingress rules, in the order allowed. */
  public get ingressRules(): TerraformResource[] {
    return this._ingressRules;
  }

  private readonly ingress: RdsIngress;

  constructor(scope: Construct, id: string, props: KafkaServerlessProps) {
    super(checkedScope(scope, 'KafkaServerless', arguments), id);
    const env = Environment.containing(this);
    const network = validateRdsNetwork(this, props?.network);
    const clusterName = props.clusterName ?? Naming.name([env.name, ...lowercasePathBelowStack(this)], { maxLength: 64, startWithLetter: true });
    if (typeof clusterName !== 'string' || !CLUSTER_NAME.test(clusterName)) {
      throw invalid(this, 'clusterName', clusterName, '1-64 letters, digits and hyphens, starting with a letter');
    }
    const allowFrom = validateAllowFrom(this, props.allowFrom);
    const preventDestroy = props.preventDestroy ?? env.profile.preventDestroy;
    if (typeof preventDestroy !== 'boolean') {
      throw invalid(this, 'preventDestroy', preventDestroy, 'true or false');
    }
    const platform = Platform.of(this);
    platform.recordDefault(this, 'authentication', 'IAM only (no password exists)', 'paved default');
    platform.recordDefault(this, 'preventDestroy', String(preventDestroy),
      props.preventDestroy === undefined ? `profile ${env.profile.name}` : 'override');
    this.clusterName = clusterName;
    this.port = PORT;
    this._securityGroup = new securityGroupLib.SecurityGroup(this, 'SecurityGroup', {
      name: `msk-${clusterName}`,
      description: `MSK Serverless cluster ${clusterName}: 9098 from allowed security groups only`,
      vpcId: network.vpcId,
      tags: { Name: `msk-${clusterName}` },
    });
    this._cluster = new mskServerlessClusterLib.MskServerlessCluster(this, 'Resource', {
      clusterName,
      clientAuthentication: { sasl: { iam: { enabled: true } } },
      vpcConfig: [{ subnetIds: network.isolatedSubnetIds, securityGroupIds: [this._securityGroup.id] }],
      lifecycle: preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.clusterArn = this._cluster.arn;
    // One endpoint, "<host>:9098".
    this.host = Fn.element(Fn.split(':', this._cluster.bootstrapBrokersSaslIam), 0);
    this.ingress = { scope: this, securityGroup: this._securityGroup, port: PORT, rules: this._ingressRules, allowed: new Set() };
    allowFrom.forEach((securityGroupId, i) => addRdsIngress(this.ingress, `allowFrom[${i}]`, securityGroupId, `Kafka from ${securityGroupId}`));
  }

  /**
   * Admits 9098/tcp from the security group `securityGroupId`.
   * @param securityGroupId `sg-` followed by 8 or 17 lowercase hex digits, or a reference
   * @param description why the group is allowed
   */
  public allowFrom(securityGroupId: string, description: string): void {
    validateRuleDescription(this, description);
    addRdsIngress(this.ingress, 'securityGroupId', securityGroupId, description);
  }

  /**
   * Admits `securityGroupId` unless it is admitted already; a rollback of
   * the environment's lookup (a Score workload that failed) takes the rule back.
   * @internal
   */
  public _allowFromOnce(securityGroupId: string, description: string): void {
    if (this.ingress.allowed.has(securityGroupId)) { return; }
    this.allowFrom(securityGroupId, description);
    const rule = this._ingressRules[this._ingressRules.length - 1];
    const lookup = Environment.containing(this)._lookup;
    lookup.removeOnRollback(rule);
    lookup.onRollback(() => {
      this._ingressRules.splice(this._ingressRules.indexOf(rule), 1);
      this.ingress.allowed.delete(securityGroupId);
    });
  }

  /**
   * Lets `grantee` use the topic `topic` of this cluster and nothing else:
   * `kafka-cluster:Connect` on the cluster; `DescribeTopic` and, by
   * `access`, `CreateTopic` and `WriteData` (produce) or `ReadData` with
   * `DescribeGroup` and `AlterGroup` on the consumer groups whose names
   * start with the topic's name (consume).
   */
  public grantTopic(grantee: IGrantable, topic: string, access: KafkaTopicAccess): Grant {
    validateGrantee(this, grantee);
    if (typeof topic !== 'string' || (!Token.isUnresolved(topic) && !TOPIC.test(topic))) {
      throw invalid(this, 'topic', topic, 'a topic name of 1-249 letters, digits, ".", "_" and "-"');
    }
    if (!Object.values(KafkaTopicAccess).includes(access)) {
      throw invalid(this, 'access', access, `one of ${Object.values(KafkaTopicAccess).map(a => JSON.stringify(a)).join(', ')} (KafkaTopicAccess)`);
    }
    const env = Environment.containing(this);
    // Topic and group ARNs hold the cluster's UUID, known after apply; the name is unique in the account and region.
    const arn = (kind: string, name: string) => `arn:${env.partition}:kafka:${env.region}:${env.account}:${kind}/${this.clusterName}/*/${name}`;
    const produce = access !== KafkaTopicAccess.CONSUME;
    const consume = access !== KafkaTopicAccess.PRODUCE;
    const statements: PolicyStatement[] = [
      { actions: ['kafka-cluster:Connect'], resources: [this.clusterArn] },
      {
        actions: ['kafka-cluster:DescribeTopic', ...(produce ? ['kafka-cluster:CreateTopic', 'kafka-cluster:WriteData'] : []),
          ...(consume ? ['kafka-cluster:ReadData'] : [])],
        resources: [arn('topic', topic)],
      },
      ...(consume ? [{ actions: ['kafka-cluster:DescribeGroup', 'kafka-cluster:AlterGroup'], resources: [arn('group', `${topic}*`)] }] : []),
    ];
    statements.forEach(statement => grantee.addToPolicy(statement));
    return Grant._of(grantee, GrantPolicy.IDENTITY, statements);
  }
}
