import type { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import type { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { TerraformResource, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { AlarmTopic } from './alarm-topic';
import { AlarmComparison, AlarmDefinition, alarmResource, registerAlarms } from './cloudwatch-alarms';
import { Key } from './key';
import { IQueue, ImportedQueue, QueueAttributes, QueueBase } from './queue-base';
import { checkArguments, checkedScope } from '../core/api-guard';
import { Environment, pathBelowStack } from '../core/environment';
import { invalid } from '../core/errors';
import { lazyModule } from '../core/lazy-module';
import { LookupKey } from '../core/lookup';
import { Naming, NameRule } from '../core/naming';
import { Platform } from '../core/platform';
import { dnsSuffixOf } from '../core/regions';
import { validateInteger } from '../core/validation';

const sqsQueueLib = lazyModule<typeof import('@cdktf/provider-aws/lib/sqs-queue')>('@cdktf/provider-aws/lib/sqs-queue');
const sqsQueuePolicyLib = lazyModule<typeof import('@cdktf/provider-aws/lib/sqs-queue-policy')>('@cdktf/provider-aws/lib/sqs-queue-policy');

/** Queue names taken in an environment (queues and dead-letter queues). */
const QUEUE_NAMES = new LookupKey<IConstruct>('queue-names');

/** Properties of a {@link Queue}. */
export interface QueueProps {
  /**
   * Name of the queue: 1-80 letters, digits, `-` and `_`; a FIFO queue's
   * name must end in `.fifo` (1-75 characters before it). The dead-letter
   * queue is named after it (`<name>-dlq`, before `.fifo`). Changing it
   * replaces the queue. Keep the `<env>-` prefix if a Worker scales on the
   * queue: the Cluster's KEDA role reads only the environment's `<env>-*` queues.
   * @default - `<env>-<construct path below the environment>` (plus `.fifo` for FIFO), shortened with a hash beyond 80 characters
   */
  readonly queueName?: string;
  /**
   * Make a FIFO queue (exactly-once processing, order kept per message
   * group); the dead-letter queue is FIFO too.
   * @default false
   */
  readonly fifo?: boolean;
  /**
   * Deduplicate messages of a FIFO queue by a SHA-256 hash of their body,
   * so producers need not send a deduplication id. Only with `fifo`.
   * @default true for FIFO queues
   */
  readonly contentBasedDeduplication?: boolean;
  /**
   * Receives after which a message that was not deleted moves to the
   * dead-letter queue (1-1000).
   * @default 5
   */
  readonly maxReceiveCount?: number;
  /**
   * Seconds a message stays in the queue before SQS drops it (60 s to 14
   * days: 60-1209600). The dead-letter queue always keeps messages 14 days.
   * @default 345600 (4 days)
   */
  readonly retentionSeconds?: number;
  /**
   * Seconds a received message stays hidden from other consumers; a
   * consumer must delete it (or extend the timeout) within this time
   * (0-43200, i.e. up to 12 hours).
   * @default 30
   */
  readonly visibilityTimeoutSeconds?: number;
  /**
   * Customer managed KMS key to encrypt messages of both queues with.
   * Grants then include the KMS permissions producers and consumers need.
   * @default - SSE-SQS: encryption with keys owned and managed by SQS
   */
  readonly encryptionKey?: Key;
  /**
   * Alarm when the oldest message in the queue has waited longer than this
   * many seconds (60 up to `retentionSeconds`): consumers are down or too slow.
   * @default 900 (15 minutes)
   */
  readonly maxMessageAgeSeconds?: number;
  /**
   * SNS topic ARNs both alarms notify when they go off and when they
   * recover; `[]` for none (the alarms show in CloudWatch only).
   * @default - the environment's platform topic (`AlarmTopic.forPlatform(env)`); a workload's queue notifies its tenant's
   */
  readonly alarmActions?: string[];
  /**
   * Set Terraform's `lifecycle.prevent_destroy` on both queues: deleting a
   * queue loses the messages in it.
   * @default - the environment profile's `preventDestroy` (DEV false, PROD true)
   */
  readonly preventDestroy?: boolean;
}

const DEFAULT_MAX_RECEIVE_COUNT = 5;
const DEFAULT_RETENTION_SECONDS = 4 * 24 * 3600;
const DEFAULT_VISIBILITY_TIMEOUT_SECONDS = 30;
const DEFAULT_MAX_MESSAGE_AGE_SECONDS = 15 * 60;
const MIN_RETENTION_SECONDS = 60;
const MAX_RETENTION_SECONDS = 14 * 24 * 3600;
const MAX_VISIBILITY_TIMEOUT_SECONDS = 12 * 3600;
/** The dead-letter queue keeps messages as long as SQS allows: time to find out why they failed. */
const DEAD_LETTER_RETENTION_SECONDS = MAX_RETENTION_SECONDS;
const FIFO_SUFFIX = '.fifo';
const STANDARD_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const FIFO_NAME = /^[A-Za-z0-9_-]{1,75}\.fifo$/;
const SNS_TOPIC_ARN = /^arn:aws(-[a-z]+)*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;
/** CloudWatch publishes SQS metrics every minute. */
const ALARM_PERIOD_SECONDS = 60;

/**
 * An SQS queue with a dead-letter queue, encrypted, reachable only over TLS,
 * with alarms on failed and stuck messages.
 *
 * Secure and safe defaults:
 * - a dead-letter queue always: after `maxReceiveCount` (5) failed receives
 *   a message moves there and is kept 14 days; the dead-letter queue accepts
 *   messages from this queue only (redrive allow policy);
 * - encryption at rest with SSE-SQS, or with the customer managed key given;
 * - a queue policy on both queues that denies every request not made over TLS;
 * - retention 4 days and visibility timeout 30 s, validated against SQS's ranges;
 * - CloudWatch alarms when the dead-letter queue holds a message and when
 *   the oldest message has waited longer than `maxMessageAgeSeconds` (15 min);
 * - `prevent_destroy` on both queues from the profile (PROD);
 * - least-privilege grants: `grantSend` and `grantConsume` name every
 *   action and only this queue (and its key).
 *
 * Name, ARN and URL are literals known at synth time, so Kubernetes
 * manifests can use them (a Worker scales on the queue with KEDA).
 *
 * @example
 * const jobs = new Queue(env, 'Jobs', { visibilityTimeoutSeconds: 120 });
 * jobs.grantSend(apiIdentity);
 * jobs.grantConsume(workerIdentity);
 */
export class Queue extends QueueBase {
  /**
   * An existing queue, by ARN: for grants (`grantSend`, `grantConsume`).
   * Nothing is created. A Worker does not scale on it: only a paved Queue
   * guarantees the dead-letter queue, encryption and alarms it relies on.
   */
  public static fromAttributes(scope: Construct, id: string, attrs: QueueAttributes): IQueue {
    checkArguments('Queue.fromAttributes', arguments);
    return new ImportedQueue(scope, id, attrs);
  }

  /** Name of the queue (ends in `.fifo` for a FIFO queue). */
  public readonly queueName: string;
  /** ARN of the queue, `arn:<partition>:sqs:<region>:<account>:<name>`, known at synth time. */
  public readonly queueArn: string;
  /** URL of the queue, `https://sqs.<region>.<domain>/<account>/<name>`, known at synth time. */
  public readonly queueUrl: string;
  /** AWS region of the queue. */
  public readonly region: string;
  /** Always true: this is paved's queue, with the guarantees a Worker relies on. */
  public readonly isPavedQueue: boolean = true;
  /** Whether the queue (and its dead-letter queue) is FIFO. */
  public readonly fifo: boolean;
  /** Name of the dead-letter queue. */
  public readonly deadLetterQueueName: string;
  /** ARN of the dead-letter queue, known at synth time. */
  public readonly deadLetterQueueArn: string;
  /** URL of the dead-letter queue, known at synth time. */
  public readonly deadLetterQueueUrl: string;
  /** The customer managed key messages are encrypted with; undefined with SSE-SQS. */
  public readonly encryptionKey?: Key;
  /** ARN of `encryptionKey`; undefined with SSE-SQS. */
  public readonly encryptionKeyArn?: string;
  /** @internal */
  public readonly _resource: SqsQueue;
  /** The queue, for escape hatches. */
  public get resource(): TerraformResource {
    return this._resource;
  }
  /** @internal */
  public readonly _deadLetterResource: SqsQueue;
  /** The dead-letter queue, for escape hatches. */
  public get deadLetterResource(): TerraformResource {
    return this._deadLetterResource;
  }
  /** @internal */
  public readonly _policy: SqsQueuePolicy;
  /** The TLS-only policy of the queue, for escape hatches. */
  public get policy(): TerraformResource {
    return this._policy;
  }
  /** @internal */
  public readonly _deadLetterPolicy: SqsQueuePolicy;
  /** The TLS-only policy of the dead-letter queue, for escape hatches. */
  public get deadLetterPolicy(): TerraformResource {
    return this._deadLetterPolicy;
  }
  /** @internal */
  public readonly _deadLetterAlarm: CloudwatchMetricAlarm;
  /** The alarm on messages in the dead-letter queue, for escape hatches. */
  public get deadLetterAlarm(): TerraformResource {
    return this._deadLetterAlarm;
  }
  /** @internal */
  public readonly _messageAgeAlarm: CloudwatchMetricAlarm;
  /** The alarm on the age of the oldest message, for escape hatches. */
  public get messageAgeAlarm(): TerraformResource {
    return this._messageAgeAlarm;
  }
  /** What the two alarms watch and when they go off. */
  public readonly alarmDefinitions: AlarmDefinition[];

  constructor(scope: Construct, id: string, props: QueueProps = {}) {
    super(checkedScope(scope, 'Queue', arguments), id);
    const env = Environment.containing(this);
    const platform = Platform.of(this);

    const fifo = props.fifo ?? false;
    if (typeof fifo !== 'boolean') {
      throw invalid(this, 'fifo', fifo, 'true or false');
    }
    if (props.contentBasedDeduplication !== undefined && !fifo) {
      throw invalid(this, 'contentBasedDeduplication', props.contentBasedDeduplication,
        'no value for a standard queue (content-based deduplication exists only for FIFO queues: set fifo: true)');
    }
    const contentBasedDeduplication = fifo ? props.contentBasedDeduplication ?? true : undefined;
    const maxReceiveCount = props.maxReceiveCount ?? DEFAULT_MAX_RECEIVE_COUNT;
    validateInteger(this, 'maxReceiveCount', maxReceiveCount, 1, 1000);
    const retentionSeconds = props.retentionSeconds ?? DEFAULT_RETENTION_SECONDS;
    validateSeconds(this, 'retentionSeconds', retentionSeconds, MIN_RETENTION_SECONDS, MAX_RETENTION_SECONDS, '60 s to 14 days');
    const visibilityTimeoutSeconds = props.visibilityTimeoutSeconds ?? DEFAULT_VISIBILITY_TIMEOUT_SECONDS;
    validateSeconds(this, 'visibilityTimeoutSeconds', visibilityTimeoutSeconds, 0, MAX_VISIBILITY_TIMEOUT_SECONDS, '0 s to 12 hours');
    const maxMessageAgeSeconds = props.maxMessageAgeSeconds ?? DEFAULT_MAX_MESSAGE_AGE_SECONDS;
    const ageLimit = Token.isUnresolved(retentionSeconds) ? MAX_RETENTION_SECONDS : retentionSeconds;
    validateSeconds(this, 'maxMessageAgeSeconds', maxMessageAgeSeconds, ALARM_PERIOD_SECONDS, ageLimit,
      'at least a minute, at most the retention: older messages are dropped, so the alarm could never go off');
    const alarmActions = props.alarmActions === undefined ? [AlarmTopic.forPlatform(env).topicArn] : this.validateAlarmActions(props.alarmActions);
    const encryptionKey = this.validateKey(env, props.encryptionKey);
    const preventDestroy = props.preventDestroy ?? env.profile.preventDestroy;

    const rule = fifo ? Naming.SQS_FIFO : Naming.SQS;
    const relative = pathBelowStack(this).map(s => s.toLowerCase());
    const queueName = props.queueName ?? Naming.name([env.name, ...relative], rule);
    this.validateQueueName(queueName, fifo);
    const deadLetterQueueName = deadLetterNameOf(queueName, rule);
    for (const name of [queueName, deadLetterQueueName]) {
      const taken = env._lookup.get(QUEUE_NAMES, name);
      if (taken) {
        throw invalid(this, 'queueName', queueName, `a name whose queues are not used by queue ${taken.node.path} of the same environment (${name} is)`);
      }
    }
    env._lookup.set(QUEUE_NAMES, queueName, this);
    env._lookup.set(QUEUE_NAMES, deadLetterQueueName, this);

    const source = (given: unknown) => given === undefined ? 'paved default' : 'override';
    platform.recordDefault(this, 'maxReceiveCount', String(maxReceiveCount), source(props.maxReceiveCount));
    platform.recordDefault(this, 'retentionSeconds', String(retentionSeconds), source(props.retentionSeconds));
    platform.recordDefault(this, 'visibilityTimeoutSeconds', String(visibilityTimeoutSeconds), source(props.visibilityTimeoutSeconds));
    platform.recordDefault(this, 'encryption', encryptionKey ? `KMS key ${encryptionKey.node.path}` : 'SSE-SQS', source(props.encryptionKey));
    platform.recordDefault(this, 'maxMessageAgeSeconds', String(maxMessageAgeSeconds), source(props.maxMessageAgeSeconds));
    platform.recordDefault(this, 'preventDestroy', String(preventDestroy),
      props.preventDestroy === undefined ? `profile ${env.profile.name}` : 'override');

    const arnOf = (name: string) => `arn:${env.partition}:sqs:${env.region}:${env.account}:${name}`;
    const urlOf = (name: string) => `https://sqs.${env.region}.${dnsSuffixOf(env.partition)}/${env.account}/${name}`;
    this.fifo = fifo;
    this.region = env.region;
    this.encryptionKey = encryptionKey;
    this.encryptionKeyArn = encryptionKey?.keyArn;
    this.queueName = queueName;
    this.queueArn = arnOf(queueName);
    this.queueUrl = urlOf(queueName);
    this.deadLetterQueueName = deadLetterQueueName;
    this.deadLetterQueueArn = arnOf(deadLetterQueueName);
    this.deadLetterQueueUrl = urlOf(deadLetterQueueName);

    const encryption = encryptionKey
      ? { kmsMasterKeyId: encryptionKey.keyArn, kmsDataKeyReusePeriodSeconds: 300 }
      : { sqsManagedSseEnabled: true };
    const lifecycle = preventDestroy ? { preventDestroy: true } : undefined;

    this._deadLetterResource = new sqsQueueLib.SqsQueue(this, 'DeadLetterQueue', {
      name: deadLetterQueueName,
      fifoQueue: fifo ? true : undefined,
      contentBasedDeduplication,
      messageRetentionSeconds: DEAD_LETTER_RETENTION_SECONDS,
      visibilityTimeoutSeconds,
      ...encryption,
      // Only this queue may move messages here; the source ARN is a literal, so no cycle.
      redriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [this.queueArn] }),
      lifecycle,
    });

    this._resource = new sqsQueueLib.SqsQueue(this, 'Resource', {
      name: queueName,
      fifoQueue: fifo ? true : undefined,
      contentBasedDeduplication,
      messageRetentionSeconds: retentionSeconds,
      visibilityTimeoutSeconds,
      ...encryption,
      // A reference (not the literal ARN) so Terraform creates the dead-letter queue first.
      redrivePolicy: JSON.stringify({ deadLetterTargetArn: this._deadLetterResource.arn, maxReceiveCount }),
      lifecycle,
    });

    this._policy = new sqsQueuePolicyLib.SqsQueuePolicy(this, 'Policy', {
      queueUrl: this._resource.url,
      policy: tlsOnlyPolicy(this.queueArn),
    });
    this._deadLetterPolicy = new sqsQueuePolicyLib.SqsQueuePolicy(this, 'DeadLetterQueuePolicy', {
      queueUrl: this._deadLetterResource.url,
      policy: tlsOnlyPolicy(this.deadLetterQueueArn),
    });

    const [deadLetter, messageAge]: AlarmDefinition[] = [
      {
        id: 'DeadLetterAlarm',
        alarmName: `${deadLetterQueueName}-messages-visible`,
        resourceName: deadLetterQueueName,
        description: `Messages of SQS queue ${queueName} failed ${maxReceiveCount} times and wait in its dead-letter queue ${deadLetterQueueName}`,
        namespace: 'AWS/SQS',
        metricName: 'ApproximateNumberOfMessagesVisible',
        dimensions: { QueueName: deadLetterQueueName },
        statistic: 'Maximum',
        periodSeconds: ALARM_PERIOD_SECONDS,
        evaluationPeriods: 1,
        comparison: AlarmComparison.GREATER_THAN,
        threshold: 0,
        critical: false,
      },
      {
        id: 'MessageAgeAlarm',
        alarmName: `${queueName}-oldest-message-age`,
        resourceName: queueName,
        description: `The oldest message of SQS queue ${queueName} has waited more than ${maxMessageAgeSeconds} s: consumers are down or too slow`,
        namespace: 'AWS/SQS',
        metricName: 'ApproximateAgeOfOldestMessage',
        dimensions: { QueueName: queueName },
        statistic: 'Maximum',
        periodSeconds: ALARM_PERIOD_SECONDS,
        evaluationPeriods: 1,
        comparison: AlarmComparison.GREATER_THAN,
        threshold: maxMessageAgeSeconds,
        critical: false,
      },
    ];
    this.alarmDefinitions = [deadLetter, messageAge];
    registerAlarms(this, this.alarmDefinitions, alarmActions);
    // Each is created after the queue it watches and destroyed before it, so it never watches nothing.
    this._deadLetterAlarm = alarmResource(this, deadLetter.id, deadLetter, alarmActions, [this._deadLetterResource]);
    this._messageAgeAlarm = alarmResource(this, messageAge.id, messageAge, alarmActions, [this._resource]);
  }

  private validateQueueName(name: string, fifo: boolean): void {
    if (Token.isUnresolved(name)) {
      throw invalid(this, 'queueName', name, 'a literal name (URL and ARN are built from it at synth time)');
    }
    if (fifo && !(typeof name === 'string' && FIFO_NAME.test(name))) {
      throw invalid(this, 'queueName', name,
        'a FIFO queue name: 1-75 letters, digits, "-" and "_" followed by ".fifo" (SQS requires the suffix on FIFO queues)');
    }
    if (!fifo && !(typeof name === 'string' && STANDARD_NAME.test(name))) {
      const hint = typeof name === 'string' && name.endsWith(FIFO_SUFFIX) ? '; a name ending in ".fifo" needs fifo: true' : '';
      throw invalid(this, 'queueName', name, `a standard queue name: 1-80 letters, digits, "-" and "_"${hint}`);
    }
  }

  private validateAlarmActions(actions: string[]): string[] {
    if (!Array.isArray(actions)) {
      throw invalid(this, 'alarmActions', actions, 'a list of SNS topic ARNs');
    }
    actions.forEach((arn, i) => {
      if (typeof arn !== 'string' || (!Token.isUnresolved(arn) && !SNS_TOPIC_ARN.test(arn))) {
        throw invalid(this, `alarmActions[${i}]`, arn, 'an SNS topic ARN such as "arn:aws:sns:eu-central-1:123456789012:alerts"');
      }
    });
    return [...actions];
  }

  private validateKey(env: Environment, key: Key | undefined): Key | undefined {
    if (key === undefined) { return undefined; }
    if (key === null || typeof key !== 'object' || typeof key.keyArn !== 'string' || typeof key.node !== 'object') {
      throw invalid(this, 'encryptionKey', key, 'a paved Key (new Key(...))');
    }
    const theirs = Environment.containing(key);
    if (theirs !== env) {
      throw invalid(this, 'encryptionKey', `construct ${key.node.path}`, `a key of environment "${env.name}", not of "${theirs.name}"`);
    }
    return key;
  }
}

/** `<name>-dlq` (before `.fifo`), or a hashed name when that is too long. */
function deadLetterNameOf(queueName: string, rule: NameRule): string {
  const suffix = rule.suffix ?? '';
  const base = suffix && queueName.endsWith(suffix) ? queueName.slice(0, -suffix.length) : queueName;
  const name = `${base}-dlq${suffix}`;
  return name.length <= rule.maxLength ? name : Naming.name([base, 'dlq'], rule);
}

function validateSeconds(scope: Construct, property: string, value: number, min: number, max: number, range: string): void {
  if (Token.isUnresolved(value)) { return; }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(scope, property, value, `whole seconds from ${min} to ${max} (${range})`);
  }
}

/** A queue policy that denies every request not made over TLS. */
function tlsOnlyPolicy(queueArn: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{
      Sid: 'DenyInsecureTransport',
      Effect: 'Deny',
      Principal: '*',
      Action: 'sqs:*',
      Resource: queueArn,
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    }],
  });
}
