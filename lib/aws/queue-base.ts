import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { Grant, GrantPolicy, IGrantable, validateGrantee } from './grant';
import { PolicyStatement } from './policy-statement';
import { invalid } from '../core/errors';
import { partitionOf, dnsSuffixOf } from '../core/regions';
import { IScalingQueue } from '../core/scaling-queue';

/**
 * An SQS queue that workloads can be granted access to: a {@link Queue}
 * paved created, or an existing one imported with {@link Queue.fromAttributes}.
 */
export interface IQueue extends IScalingQueue {
  /** ARN of the queue, `arn:<partition>:sqs:<region>:<account>:<name>`. */
  readonly queueArn: string;
  /**
   * ARN of the customer managed KMS key messages are encrypted with;
   * grants include the KMS actions on it.
   * @default - none: SSE-SQS, no KMS permissions needed
   */
  readonly encryptionKeyArn?: string;

  /**
   * Lets `grantee` send messages: `sqs:SendMessage`, `sqs:GetQueueAttributes`
   * and `sqs:GetQueueUrl` on this queue only; with a customer managed key
   * also `kms:GenerateDataKey` and `kms:Decrypt` on that key.
   */
  grantSend(grantee: IGrantable): Grant;

  /**
   * Lets `grantee` receive and process messages: `sqs:ReceiveMessage`,
   * `sqs:DeleteMessage`, `sqs:ChangeMessageVisibility`,
   * `sqs:GetQueueAttributes` and `sqs:GetQueueUrl` on this queue only; with
   * a customer managed key also `kms:Decrypt` on that key.
   */
  grantConsume(grantee: IGrantable): Grant;
}

/** Attributes of an existing SQS queue, for {@link Queue.fromAttributes}. */
export interface QueueAttributes {
  /** ARN of the queue, `arn:<partition>:sqs:<region>:<account>:<name>` (a literal: URL and name are built from it). */
  readonly queueArn: string;
  /**
   * ARN of the customer managed KMS key the queue encrypts messages with.
   * @default - none: the queue uses SSE-SQS (or grants leave KMS to you)
   */
  readonly encryptionKeyArn?: string;
}

/** What grants on a created or an imported queue share. */
export abstract class QueueBase extends Construct implements IQueue {
  public abstract readonly queueArn: string;
  public abstract readonly queueUrl: string;
  public abstract readonly queueName: string;
  public abstract readonly region: string;
  public abstract readonly isPavedQueue: boolean;
  public abstract readonly encryptionKeyArn?: string;

  /**
   * Lets `grantee` send messages: `sqs:SendMessage`, `sqs:GetQueueAttributes`
   * and `sqs:GetQueueUrl` on this queue only; with a customer managed key
   * also `kms:GenerateDataKey` and `kms:Decrypt` on that key (SQS needs both
   * to encrypt a message for the sender).
   */
  public grantSend(grantee: IGrantable): Grant {
    return this.grant(grantee,
      ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
      ['kms:GenerateDataKey', 'kms:Decrypt']);
  }

  /**
   * Lets `grantee` receive and process messages: `sqs:ReceiveMessage`,
   * `sqs:DeleteMessage`, `sqs:ChangeMessageVisibility`,
   * `sqs:GetQueueAttributes` and `sqs:GetQueueUrl` on this queue only (not
   * a dead-letter queue); with a customer managed key also `kms:Decrypt`
   * on that key.
   */
  public grantConsume(grantee: IGrantable): Grant {
    return this.grant(grantee,
      ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
      ['kms:Decrypt']);
  }

  private grant(grantee: IGrantable, queueActions: string[], keyActions: string[]): Grant {
    validateGrantee(this, grantee);
    const statements: PolicyStatement[] = [{ actions: queueActions, resources: [this.queueArn] }];
    if (this.encryptionKeyArn !== undefined) {
      statements.push({ actions: keyActions, resources: [this.encryptionKeyArn] });
    }
    statements.forEach(s => grantee.addToPolicy(s));
    return Grant._of(grantee, GrantPolicy.IDENTITY, statements);
  }
}

const QUEUE_ARN = /^arn:(aws[a-z-]*):sqs:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,75}\.fifo|[A-Za-z0-9_-]{1,80})$/;
const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[A-Za-z0-9/_-]+$/;

/**
 * An existing queue, by ARN. Not a paved queue: a Worker does not scale on it.
 * @internal
 */
export class ImportedQueue extends QueueBase {
  public readonly queueArn: string;
  public readonly queueUrl: string;
  public readonly queueName: string;
  public readonly region: string;
  public readonly isPavedQueue: boolean = false;
  public readonly encryptionKeyArn?: string;

  constructor(scope: Construct, id: string, attrs: QueueAttributes) {
    super(scope, id);
    const match = typeof attrs.queueArn === 'string' && !Token.isUnresolved(attrs.queueArn) ? QUEUE_ARN.exec(attrs.queueArn) : null;
    if (!match || partitionOf(match[2]) !== match[1]) {
      throw invalid(this, 'queueArn', attrs.queueArn,
        'a literal SQS queue ARN: "arn:<partition>:sqs:<region>:<12-digit account>:<name>" (URL and name are built from it)');
    }
    if (attrs.encryptionKeyArn !== undefined && (typeof attrs.encryptionKeyArn !== 'string'
      || (!Token.isUnresolved(attrs.encryptionKeyArn) && !KEY_ARN.test(attrs.encryptionKeyArn)))) {
      throw invalid(this, 'encryptionKeyArn', attrs.encryptionKeyArn, 'a KMS key ARN: "arn:<partition>:kms:<region>:<account>:key/<id>"');
    }
    const [, partition, region, account, name] = match;
    this.queueArn = attrs.queueArn;
    this.queueName = name;
    this.region = region;
    this.queueUrl = `https://sqs.${region}.${dnsSuffixOf(partition)}/${account}/${name}`;
    this.encryptionKeyArn = attrs.encryptionKeyArn;
  }
}
