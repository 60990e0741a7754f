import type { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import type { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { TerraformResource } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { Key } from './key';
import { checkArguments } from '../core/api-guard';
import { Environment } from '../core/environment';
import { invalid } from '../core/errors';
import { lazyModule } from '../core/lazy-module';
import { LookupKey } from '../core/lookup';
import { Naming } from '../core/naming';
import { isDnsLabel } from '../core/validation';

const snsTopicLib = lazyModule<typeof import('@cdktf/provider-aws/lib/sns-topic')>('@cdktf/provider-aws/lib/sns-topic');
const snsTopicPolicyLib = lazyModule<typeof import('@cdktf/provider-aws/lib/sns-topic-policy')>('@cdktf/provider-aws/lib/sns-topic-policy');

/** An SNS topic CloudWatch alarms notify. */
export interface IAlarmTopic extends IConstruct {
  /** Name of the topic. */
  readonly topicName: string;
  /** ARN of the topic, `arn:<partition>:sns:<region>:<account>:<name>`, known at synth time. */
  readonly topicArn: string;
}

/** The alarm topics of an environment, by owner (a tenant, or the platform). */
const TOPICS = new LookupKey<AlarmTopic>('alarm-topics');
/** The container of the alarm topics of one stack. */
const CONTAINERS = new LookupKey<Construct>('alarm-topic-containers');
/** SNS topic names taken in an environment. */
const TOPIC_NAMES = new LookupKey<IConstruct>('sns-topic-names');
/** The id of the platform's topic: no tenant (a DNS label) can have it. */
const PLATFORM_ID = 'Platform';

/**
 * The SNS topic the CloudWatch alarms of one owner notify: one per tenant,
 * in the tenant's scope (its stack `<env>-<tenant>`), which the resources
 * a workload's provisioners make notify, and one for the platform, in the
 * environment's foundation stack, which every other paved resource
 * notifies unless given a topic (`alarms.topic`; the same in either stack
 * layout). Made on first use.
 *
 * Secure defaults:
 * - encrypted with a customer managed KMS key of its own (rotation on),
 *   whose key policy lets CloudWatch encrypt the notifications it
 *   publishes (`kms:GenerateDataKey*`, `kms:Decrypt`) for this account
 *   only — the AWS managed SNS key does not allow CloudWatch alarms;
 * - a topic policy that lets CloudWatch publish only for alarms of this
 *   account, and denies every request not made over TLS.
 *
 * Nothing subscribes by default: subscribe an email, a chat integration
 * (AWS Chatbot) or an incident tool to `resource`, or see the same
 * conditions reach Alertmanager through the CloudWatch exporter (README,
 * "CloudWatch alarms").
 */
export class AlarmTopic extends Construct implements IAlarmTopic {
  /** The topic of tenant `tenant` of `env`, in the tenant's scope (`env.tenantScope(tenant)`), made on first use. */
  public static forTenant(env: Environment, tenant: string): AlarmTopic {
    checkArguments('AlarmTopic.forTenant', arguments);
    if (typeof tenant !== 'string' || !isDnsLabel(tenant)) {
      throw invalid(env, 'tenant', tenant, 'a tenant name (a DNS label)');
    }
    return AlarmTopic.topic(env, tenant, env.tenantScope(tenant), tenant, tenant);
  }

  /** The platform team's topic of `env`, in its foundation stack, made on first use. */
  public static forPlatform(env: Environment): AlarmTopic {
    checkArguments('AlarmTopic.forPlatform', arguments);
    return AlarmTopic.topic(env, PLATFORM_ID, env, Naming.PLATFORM, undefined);
  }

  /**
   * The tenant of `env` whose topic has the ARN `topicArn`; undefined for
   * the platform's topic and any other.
   * @internal
   */
  public static _tenantOf(env: Environment, topicArn: string): string | undefined {
    return env._lookup.entries(TOPICS).find(t => t.topicArn === topicArn)?.tenant;
  }

  private static topic(env: Environment, id: string, scope: Construct, owner: string, tenant: string | undefined): AlarmTopic {
    return env._lookup.singleton(TOPICS, id, () => {
      const container = env._lookup.singleton(CONTAINERS, scope.node.path, () => new Construct(scope, 'Alarms'));
      return new AlarmTopic(container, id, env, owner, tenant);
    });
  }

  /** Name of the topic: `paved-<env>-<tenant>-alarms`, or `paved-<env>-platform-alarms`. */
  public readonly topicName: string;
  /** The tenant whose alarms it gets; undefined for the platform's topic. */
  public readonly tenant?: string;
  /** ARN of the topic, known at synth time. */
  public readonly topicArn: string;
  /** The key the notifications are encrypted with. */
  public readonly key: Key;
  /** @internal */
  public readonly _resource: SnsTopic;
  /** The topic, for subscriptions and escape hatches. */
  public get resource(): TerraformResource {
    return this._resource;
  }
  /** @internal */
  public readonly _policy: SnsTopicPolicy;
  /** Its policy, for escape hatches. */
  public get policy(): TerraformResource {
    return this._policy;
  }

  private constructor(scope: Construct, id: string, env: Environment, owner: string, tenant: string | undefined) {
    super(scope, id);
    this.tenant = tenant;
    this.topicName = Naming.alarmTopic(env.name, owner);
    const taken = env._lookup.claim(TOPIC_NAMES, this.topicName, this);
    if (taken) {
      throw invalid(this, 'topicName', this.topicName, `a topic name not used by ${taken.node.path} (a tenant named "${Naming.PLATFORM}" takes the platform's)`);
    }
    this.topicArn = `arn:${env.partition}:sns:${env.region}:${env.account}:${this.topicName}`;
    const sourceAccount = [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [env.account] }];
    this.key = new Key(this, 'Key', {
      description: `Encrypts the CloudWatch alarm notifications of SNS topic ${this.topicName}`,
      alias: `sns/${this.topicName}`,
      servicePrincipals: [{ service: 'cloudwatch.amazonaws.com', actions: ['kms:Decrypt', 'kms:GenerateDataKey*'], conditions: sourceAccount }],
    });
    this._resource = new snsTopicLib.SnsTopic(this, 'Resource', {
      name: this.topicName,
      displayName: `paved ${env.name} ${owner} alarms`,
      kmsMasterKeyId: this.key.keyArn,
    });
    this._policy = new snsTopicPolicyLib.SnsTopicPolicy(this, 'Policy', {
      arn: this._resource.arn,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AccountManagesTheTopic',
            Effect: 'Allow',
            Principal: { AWS: `arn:${env.partition}:iam::${env.account}:root` },
            Action: ['sns:GetTopicAttributes', 'sns:SetTopicAttributes', 'sns:Subscribe', 'sns:ListSubscriptionsByTopic', 'sns:Publish'],
            Resource: this.topicArn,
          },
          {
            Sid: 'CloudWatchAlarmsOfThisAccount',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: this.topicArn,
            Condition: { StringEquals: { 'aws:SourceAccount': env.account } },
          },
          {
            Sid: 'DenyInsecureTransport',
            Effect: 'Deny',
            Principal: '*',
            Action: 'sns:*',
            Resource: this.topicArn,
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      }),
    });
  }
}
