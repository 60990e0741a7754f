import * as fs from 'fs';
import * as path from 'path';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { Environment, Platform, Profile, TerraformState } from '../../lib';
import { Cluster } from '../../lib/aws/cluster';
import { Key } from '../../lib/aws/key';
import { Queue, QueueProps } from '../../lib/aws/queue';
import { WorkloadIdentity } from '../../lib/aws/workload-identity';
import { Worker } from '../../lib/k8s/worker';
import { devEnvironment, prodEnvironment, resourcesOf, synthChart, synthStack, testPlatform } from '../support/synth';
import { expectNoDanglingReferences } from '../support/tf-references';

const QUEUE = 'Jobs_DF1CC2D4';
const DLQ = 'Jobs_DeadLetterQueue_FA298334';
const ARN = 'arn:aws:sqs:eu-central-1:123456789012:dev-jobs';
const DLQ_ARN = 'arn:aws:sqs:eu-central-1:123456789012:dev-jobs-dlq';
const TOPIC = 'arn:aws:sns:eu-central-1:123456789012:alerts';

function queue(scope: Construct, props: QueueProps = {}, id: string = 'Jobs'): Queue {
  return new Queue(scope, id, props);
}

function identity(env: Environment): WorkloadIdentity {
  const cluster = Cluster.fromAttributes(env, 'Cluster', { clusterName: 'main', nodeSecurityGroupId: 'sg-0123456789abcdef0' });
  return new WorkloadIdentity(env, 'Identity', { cluster, namespace: 'shop', serviceAccount: 'orders' });
}

/** The synthesized queue and dead-letter queue. */
function queues(env: Environment): { main: any; dlq: any } {
  const all = synthStack(env).resource.aws_sqs_queue;
  const main = Object.entries(all).find(([k]) => !k.includes('DeadLetterQueue'))![1];
  const dlq = Object.entries(all).find(([k]) => k.includes('DeadLetterQueue'))![1];
  return { main, dlq };
}

/** The alarms, by construct id. */
function alarms(env: Environment): { deadLetter: any; age: any } {
  const all = synthStack(env).resource.aws_cloudwatch_metric_alarm;
  return {
    deadLetter: Object.entries(all).find(([k]) => k.includes('DeadLetterAlarm'))![1],
    age: Object.entries(all).find(([k]) => k.includes('MessageAgeAlarm'))![1],
  };
}

function grantedPolicy(env: Environment): any {
  return JSON.parse(resourcesOf(synthStack(env), 'aws_iam_role_policy')[0].policy);
}

function report(platform: Platform): string {
  platform.synth();
  return fs.readFileSync(path.join(platform.outdir, 'report.md'), 'utf8');
}

describe('Queue', () => {
  describe('defaults', () => {
    test('is a standard queue named after environment and construct path, with a dead-letter queue named after it', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const q = queue(env);
      // THEN
      const { main, dlq } = queues(env);
      expect(main.name).toBe('dev-jobs');
      expect(dlq.name).toBe('dev-jobs-dlq');
      expect(main.fifo_queue).toBeUndefined();
      expect(main.content_based_deduplication).toBeUndefined();
      expect(q.fifo).toBe(false);
    });

    test('exposes name, ARN, URL and region as literals known at synth time', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const q = queue(env);
      // THEN
      expect(q.queueName).toBe('dev-jobs');
      expect(q.queueArn).toBe(ARN);
      expect(q.queueUrl).toBe('https://sqs.eu-central-1.amazonaws.com/123456789012/dev-jobs');
      expect(q.region).toBe('eu-central-1');
      expect(q.isPavedQueue).toBe(true);
      expect(q.deadLetterQueueName).toBe('dev-jobs-dlq');
      expect(q.deadLetterQueueArn).toBe(DLQ_ARN);
      expect(q.deadLetterQueueUrl).toBe('https://sqs.eu-central-1.amazonaws.com/123456789012/dev-jobs-dlq');
      for (const value of [q.queueName, q.queueArn, q.queueUrl, q.region]) {
        expect(Token.isUnresolved(value)).toBe(false);
      }
      expect([q.resource, q.deadLetterResource, q.policy, q.deadLetterPolicy, q.deadLetterAlarm, q.messageAgeAlarm]).not.toContain(undefined);
    });

    test('builds URL and ARN with the partition\'s domain in China', () => {
      // GIVEN
      const env = new Environment(testPlatform(), 'cn', {
        account: '123456789012', region: 'cn-north-1', profile: Profile.DEV, state: TerraformState.local(),
      });
      // WHEN
      const q = queue(env);
      // THEN
      expect(q.queueUrl).toBe('https://sqs.cn-north-1.amazonaws.com.cn/123456789012/cn-jobs');
      expect(q.queueArn).toBe('arn:aws-cn:sqs:cn-north-1:123456789012:cn-jobs');
    });

    test('moves a message to the dead-letter queue after 5 failed receives', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      queue(env);
      // THEN
      expect(JSON.parse(queues(env).main.redrive_policy)).toEqual({
        deadLetterTargetArn: `\${aws_sqs_queue.${DLQ}.arn}`,
        maxReceiveCount: 5,
      });
    });

    test('lets only this queue move messages to the dead-letter queue', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      queue(env);
      // THEN
      const { main, dlq } = queues(env);
      expect(JSON.parse(dlq.redrive_allow_policy)).toEqual({ redrivePermission: 'byQueue', sourceQueueArns: [ARN] });
      expect(main.redrive_allow_policy).toBeUndefined();
      expect(dlq.redrive_policy).toBeUndefined();
    });

    test('encrypts both queues with SSE-SQS', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const q = queue(env);
      // THEN
      for (const resource of Object.values(queues(env))) {
        expect(resource.sqs_managed_sse_enabled).toBe(true);
        expect(resource.kms_master_key_id).toBeUndefined();
      }
      expect(q.encryptionKey).toBeUndefined();
    });

    test('denies every request without TLS to either queue', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      queue(env);
      // THEN
      const policies = synthStack(env).resource.aws_sqs_queue_policy;
      const tlsOnly = (arn: string) => ({
        Version: '2012-10-17',
        Statement: [{
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 'sqs:*',
          Resource: arn,
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }],
      });
      expect(policies.Jobs_Policy_768D4C43.queue_url).toBe(`\${aws_sqs_queue.${QUEUE}.url}`);
      expect(JSON.parse(policies.Jobs_Policy_768D4C43.policy)).toEqual(tlsOnly(ARN));
      expect(policies.Jobs_DeadLetterQueuePolicy_DEC851ED.queue_url).toBe(`\${aws_sqs_queue.${DLQ}.url}`);
      expect(JSON.parse(policies.Jobs_DeadLetterQueuePolicy_DEC851ED.policy)).toEqual(tlsOnly(DLQ_ARN));
    });

    test('keeps messages 4 days, and 14 days in the dead-letter queue', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      queue(env);
      // THEN
      const { main, dlq } = queues(env);
      expect(main.message_retention_seconds).toBe(345600);
      expect(dlq.message_retention_seconds).toBe(1209600);
    });

    test('hides a received message for 30 s', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      queue(env);
      // THEN
      const { main, dlq } = queues(env);
      expect(main.visibility_timeout_seconds).toBe(30);
      expect(dlq.visibility_timeout_seconds).toBe(30);
    });

    test('alarms as soon as a message waits in the dead-letter queue', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      queue(env);
      // THEN
      expect(alarms(env).deadLetter).toEqual(expect.objectContaining({
        alarm_name: 'dev-jobs-dlq-messages-visible',
        namespace: 'AWS/SQS',
        metric_name: 'ApproximateNumberOfMessagesVisible',
        dimensions: { QueueName: 'dev-jobs-dlq' },
        statistic: 'Maximum',
        period: 60,
        evaluation_periods: 1,
        comparison_operator: 'GreaterThanThreshold',
        threshold: 0,
        treat_missing_data: 'notBreaching',
        depends_on: [`aws_sqs_queue.${DLQ}`],
      }));
    });

    test('alarms when the oldest message has waited more than 15 minutes', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      queue(env);
      // THEN
      expect(alarms(env).age).toEqual(expect.objectContaining({
        alarm_name: 'dev-jobs-oldest-message-age',
        namespace: 'AWS/SQS',
        metric_name: 'ApproximateAgeOfOldestMessage',
        dimensions: { QueueName: 'dev-jobs' },
        statistic: 'Maximum',
        period: 60,
        evaluation_periods: 1,
        comparison_operator: 'GreaterThanThreshold',
        threshold: 900,
        treat_missing_data: 'notBreaching',
      }));
    });

    test('its alarms notify the environment\'s platform alarm topic, in either stack', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const q = queue(env);
      queue(env.tenantScope('shop'), { queueName: 'dev-shop-jobs' });
      // THEN
      const topic = 'arn:aws:sns:eu-central-1:123456789012:paved-dev-platform-alarms';
      const all = [...Object.values<any>(alarms(env)), ...Object.values<any>(synthStack(env.tenantScope('shop')).resource.aws_cloudwatch_metric_alarm)];
      expect(all).toHaveLength(4);
      for (const alarm of all) {
        expect(alarm).toMatchObject({ alarm_actions: [topic], ok_actions: [topic], actions_enabled: true });
      }
      expect(q.alarmDefinitions.map(d => [d.metricName, d.dimensions.QueueName, d.threshold]))
        .toEqual([['ApproximateNumberOfMessagesVisible', 'dev-jobs-dlq', 0], ['ApproximateAgeOfOldestMessage', 'dev-jobs', 900]]);
    });

    test('alarmActions: [] notifies nobody', () => {
      const env = devEnvironment();
      queue(env, { alarmActions: [] });
      for (const alarm of Object.values(alarms(env))) {
        expect(alarm.alarm_actions).toBeUndefined();
        expect(alarm.ok_actions).toBeUndefined();
      }
    });

    test('keeps its Terraform addresses (construct ids are API)', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      queue(env);
      // THEN
      const stack = synthStack(env);
      expect(Object.keys(stack.resource.aws_sqs_queue).sort()).toEqual([QUEUE, DLQ]);
      expect(Object.keys(stack.resource.aws_sqs_queue_policy).sort())
        .toEqual(['Jobs_DeadLetterQueuePolicy_DEC851ED', 'Jobs_Policy_768D4C43']);
      expect(Object.keys(stack.resource.aws_cloudwatch_metric_alarm).sort())
        .toEqual(['Jobs_DeadLetterAlarm_8359BC2D', 'Jobs_MessageAgeAlarm_ED19AD89']);
    });

    test('references only what the stack declares', () => {
      // GIVEN
      const env = devEnvironment();
      const key = new Key(env, 'QueueKey', { description: 'Queue messages' });
      // WHEN
      const q = queue(env, { encryptionKey: key, fifo: true });
      q.grantSend(identity(env));
      // THEN
      expectNoDanglingReferences(synthStack(env));
    });

    test('is a queue a Worker can scale on', () => {
      // GIVEN
      const env = devEnvironment();
      const q = queue(env);
      // WHEN
      const worker = new Worker(env.chart('billing', 'shop'), 'billing', { image: 'registry.example.com/shop/billing:2.0.1', queue: q });
      // THEN
      const scaled = synthChart(env.chart('billing', 'shop')).find(o => o.kind === 'ScaledObject');
      expect(scaled.spec.triggers[0].metadata).toEqual(expect.objectContaining({ queueURL: q.queueUrl, awsRegion: 'eu-central-1' }));
      expect(worker).toBeDefined();
    });
  });

  describe('DEV vs PROD', () => {
    test('DEV: both queues can be destroyed', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      queue(env);
      // THEN
      for (const resource of Object.values(queues(env))) {
        expect(resource.lifecycle).toBeUndefined();
      }
    });

    test('PROD: Terraform refuses to destroy either queue', () => {
      // GIVEN
      const env = prodEnvironment();
      // WHEN
      queue(env);
      // THEN
      for (const resource of Object.values(queues(env))) {
        expect(resource.lifecycle).toEqual({ prevent_destroy: true });
      }
    });

    test('records what paved and the profile chose', () => {
      // GIVEN
      const platform = testPlatform();
      // WHEN
      queue(prodEnvironment(platform));
      // THEN
      const text = report(platform);
      for (const row of [
        '| prod/Jobs | maxReceiveCount | 5 | paved default |',
        '| prod/Jobs | retentionSeconds | 345600 | paved default |',
        '| prod/Jobs | visibilityTimeoutSeconds | 30 | paved default |',
        '| prod/Jobs | encryption | SSE-SQS | paved default |',
        '| prod/Jobs | maxMessageAgeSeconds | 900 | paved default |',
        '| prod/Jobs | preventDestroy | true | profile prod |',
      ]) {
        expect(text).toContain(row);
      }
    });
  });

  describe('overrides', () => {
    test('fifo: both queues FIFO with content-based deduplication, names ending in .fifo', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const q = queue(env, { fifo: true });
      // THEN
      const { main, dlq } = queues(env);
      expect(main).toEqual(expect.objectContaining({ name: 'dev-jobs.fifo', fifo_queue: true, content_based_deduplication: true }));
      expect(dlq).toEqual(expect.objectContaining({ name: 'dev-jobs-dlq.fifo', fifo_queue: true, content_based_deduplication: true }));
      expect(q.queueUrl).toBe('https://sqs.eu-central-1.amazonaws.com/123456789012/dev-jobs.fifo');
      expect(q.fifo).toBe(true);
    });

    test('contentBasedDeduplication false on a FIFO queue', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      queue(env, { fifo: true, contentBasedDeduplication: false });
      // THEN
      const { main, dlq } = queues(env);
      expect(main.content_based_deduplication).toBe(false);
      expect(dlq.content_based_deduplication).toBe(false);
    });

    test.each([
      [false, 'orders_Jobs-1', 'orders_Jobs-1-dlq'],
      [true, 'orders.fifo', 'orders-dlq.fifo'],
    ])('queueName (fifo: %j) %j names the dead-letter queue %j', (fifo, queueName, deadLetter) => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const q = queue(env, { fifo, queueName });
      // THEN
      expect(queues(env).main.name).toBe(queueName);
      expect(queues(env).dlq.name).toBe(deadLetter);
      expect(q.deadLetterQueueName).toBe(deadLetter);
    });

    test.each([[false, 'q'.repeat(80)], [true, `${'q'.repeat(75)}.fifo`]])(
      'a queueName (fifo: %j) too long for "-dlq" gives a hashed dead-letter queue name within 80 characters', (fifo, queueName) => {
        // GIVEN
        const env = devEnvironment();
        // WHEN
        const q = queue(env, { fifo, queueName });
        // THEN
        expect(q.deadLetterQueueName.length).toBeLessThanOrEqual(80);
        expect(q.deadLetterQueueName).toMatch(fifo ? /^q+-[0-9a-f]{8}\.fifo$/ : /^q+-[0-9a-f]{8}$/);
        expect(q.deadLetterQueueName).not.toBe(queueName);
      });

    test('maxReceiveCount, retentionSeconds, visibilityTimeoutSeconds and maxMessageAgeSeconds, recorded as overrides', () => {
      // GIVEN
      const platform = testPlatform();
      const env = devEnvironment(platform);
      // WHEN
      queue(env, { maxReceiveCount: 3, retentionSeconds: 86400, visibilityTimeoutSeconds: 300, maxMessageAgeSeconds: 3600 });
      // THEN
      const { main, dlq } = queues(env);
      expect(JSON.parse(main.redrive_policy).maxReceiveCount).toBe(3);
      expect(main.message_retention_seconds).toBe(86400);
      expect(dlq.message_retention_seconds).toBe(1209600);
      expect(main.visibility_timeout_seconds).toBe(300);
      expect(alarms(env).age.threshold).toBe(3600);
      const text = report(platform);
      expect(text).toContain('| dev/Jobs | maxReceiveCount | 3 | **override** |');
      expect(text).toContain('| dev/Jobs | retentionSeconds | 86400 | **override** |');
      expect(text).toContain('| dev/Jobs | visibilityTimeoutSeconds | 300 | **override** |');
      expect(text).toContain('| dev/Jobs | maxMessageAgeSeconds | 3600 | **override** |');
    });

    test.each([[60, 0], [1209600, 43200]])('retentionSeconds %j and visibilityTimeoutSeconds %j at the ends of SQS\'s ranges', (retentionSeconds, visibilityTimeoutSeconds) => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      queue(env, { retentionSeconds, visibilityTimeoutSeconds, maxMessageAgeSeconds: 60 });
      // THEN
      expect(queues(env).main).toEqual(expect.objectContaining({
        message_retention_seconds: retentionSeconds, visibility_timeout_seconds: visibilityTimeoutSeconds,
      }));
    });

    test('encryptionKey: both queues encrypted with the key, data keys reused 5 minutes', () => {
      // GIVEN
      const env = devEnvironment();
      const key = new Key(env, 'QueueKey', { description: 'Queue messages' });
      // WHEN
      const q = queue(env, { encryptionKey: key });
      // THEN
      for (const resource of Object.values(queues(env))) {
        expect(resource.kms_master_key_id).toBe('${aws_kms_key.QueueKey_8E59F72C.arn}');
        expect(resource.kms_data_key_reuse_period_seconds).toBe(300);
        expect(resource.sqs_managed_sse_enabled).toBeUndefined();
      }
      expect(q.encryptionKey).toBe(key);
    });

    test('alarmActions: both alarms notify the topics when they go off and when they recover', () => {
      // GIVEN
      const env = devEnvironment();
      const other = 'arn:aws:sns:eu-central-1:123456789012:oncall.fifo';
      // WHEN
      queue(env, { alarmActions: [TOPIC, other] });
      // THEN
      for (const alarm of Object.values(alarms(env))) {
        expect(alarm.alarm_actions).toEqual([TOPIC, other]);
        expect(alarm.ok_actions).toEqual([TOPIC, other]);
      }
    });

    test('preventDestroy false in PROD', () => {
      // GIVEN
      const env = prodEnvironment();
      // WHEN
      queue(env, { preventDestroy: false });
      // THEN
      for (const resource of Object.values(queues(env))) {
        expect(resource.lifecycle).toBeUndefined();
      }
    });
  });

  describe('grants', () => {
    test('grantSend: send, attributes and URL on this queue only', () => {
      // GIVEN
      const env = devEnvironment();
      const q = queue(env);
      // WHEN
      q.grantSend(identity(env));
      // THEN
      expect(grantedPolicy(env)).toEqual({
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
          Resource: ARN,
        }],
      });
    });

    test('grantConsume: receive, delete, change visibility, attributes and URL on this queue only', () => {
      // GIVEN
      const env = devEnvironment();
      const q = queue(env);
      // WHEN
      q.grantConsume(identity(env));
      // THEN
      expect(grantedPolicy(env)).toEqual({
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
          Resource: ARN,
        }],
      });
    });

    test('with a customer managed key: grantSend adds kms:GenerateDataKey and kms:Decrypt, grantConsume kms:Decrypt, on that key', () => {
      // GIVEN
      const env = devEnvironment();
      const key = new Key(env, 'QueueKey', { description: 'Queue messages' });
      const q = queue(env, { encryptionKey: key });
      const id = identity(env);
      // WHEN
      q.grantSend(id);
      q.grantConsume(id);
      // THEN
      const keyArn = '${aws_kms_key.QueueKey_8E59F72C.arn}';
      expect(grantedPolicy(env).Statement).toEqual([
        { Effect: 'Allow', Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], Resource: ARN },
        { Effect: 'Allow', Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: keyArn },
        {
          Effect: 'Allow',
          Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
          Resource: ARN,
        },
        { Effect: 'Allow', Action: 'kms:Decrypt', Resource: keyArn },
      ]);
    });
  });

  test('matches the snapshot of a PROD FIFO queue with a key, alarm actions and grants', () => {
    // GIVEN
    const env = prodEnvironment();
    const key = new Key(env, 'QueueKey', { description: 'Queue messages' });
    const q = queue(env, { fifo: true, encryptionKey: key, alarmActions: [TOPIC] });
    const id = identity(env);
    // WHEN
    q.grantSend(id);
    q.grantConsume(id);
    // THEN
    expect(synthStack(env)).toMatchSnapshot();
  });

  describe('fails when', () => {
    test.each([[0], [1001], [2.5]])('maxReceiveCount is %j', (maxReceiveCount) => {
      expect(() => queue(devEnvironment(), { maxReceiveCount }))
        .toThrow(`dev/Jobs: maxReceiveCount: got ${maxReceiveCount}; expected an integer from 1 to 1000`);
    });

    test.each([[59], [1209601], [3600.5]])('retentionSeconds is %j', (retentionSeconds) => {
      expect(() => queue(devEnvironment(), { retentionSeconds, maxMessageAgeSeconds: 60 }))
        .toThrow(`dev/Jobs: retentionSeconds: got ${retentionSeconds}; expected whole seconds from 60 to 1209600 (60 s to 14 days)`);
    });

    test.each([[-1], [43201], [1.5]])('visibilityTimeoutSeconds is %j', (visibilityTimeoutSeconds) => {
      expect(() => queue(devEnvironment(), { visibilityTimeoutSeconds }))
        .toThrow(`dev/Jobs: visibilityTimeoutSeconds: got ${visibilityTimeoutSeconds}; expected whole seconds from 0 to 43200 (0 s to 12 hours)`);
    });

    test.each([[59, undefined, 345600], [3601, 3600, 3600]])('maxMessageAgeSeconds is %j with retentionSeconds %j', (maxMessageAgeSeconds, retentionSeconds, max) => {
      expect(() => queue(devEnvironment(), { maxMessageAgeSeconds, retentionSeconds })).toThrow(
        `dev/Jobs: maxMessageAgeSeconds: got ${maxMessageAgeSeconds}; expected whole seconds from 60 to ${max} `
        + '(at least a minute, at most the retention: older messages are dropped, so the alarm could never go off)');
    });

    test('the default retention is shorter than maxMessageAgeSeconds', () => {
      expect(() => queue(devEnvironment(), { maxMessageAgeSeconds: 345601 }))
        .toThrow('dev/Jobs: maxMessageAgeSeconds: got 345601; expected whole seconds from 60 to 345600');
    });

    test.each([['orders'], ['orders.FIFO'], [`${'q'.repeat(76)}.fifo`], ['.fifo'], ['or ders.fifo']])(
      'a FIFO queue is given the name %j (FIFO queue name without .fifo handling)', (queueName) => {
        expect(() => queue(devEnvironment(), { fifo: true, queueName })).toThrow(
          `dev/Jobs: queueName: got ${JSON.stringify(queueName)}; expected a FIFO queue name: 1-75 letters, digits, "-" and "_" `
          + 'followed by ".fifo" (SQS requires the suffix on FIFO queues)');
      });

    test('a standard queue is given a name ending in .fifo', () => {
      expect(() => queue(devEnvironment(), { queueName: 'orders.fifo' })).toThrow(
        'dev/Jobs: queueName: got "orders.fifo"; expected a standard queue name: 1-80 letters, digits, "-" and "_"; a name ending in ".fifo" needs fifo: true');
    });

    test.each([[''], ['orders/jobs'], ['q'.repeat(81)], ['orders.jobs']])('a standard queue is given the name %j', (queueName) => {
      expect(() => queue(devEnvironment(), { queueName })).toThrow(
        `dev/Jobs: queueName: got ${JSON.stringify(queueName)}; expected a standard queue name: 1-80 letters, digits, "-" and "_"`);
    });

    test('the queue name is a token', () => {
      const name = Token.asString({ Ref: 'name' });
      expect(() => queue(devEnvironment(), { queueName: name }))
        .toThrow('dev/Jobs: queueName: got "${TfToken[TOKEN.');
      expect(() => queue(devEnvironment(), { queueName: name }))
        .toThrow('expected a literal name (URL and ARN are built from it at synth time)');
    });

    test('contentBasedDeduplication is set on a standard queue', () => {
      expect(() => queue(devEnvironment(), { contentBasedDeduplication: true })).toThrow(
        'dev/Jobs: contentBasedDeduplication: got true; expected no value for a standard queue '
        + '(content-based deduplication exists only for FIFO queues: set fifo: true)');
    });

    test('fifo is not a boolean', () => {
      expect(() => queue(devEnvironment(), { fifo: 'yes' as any }))
        .toThrow('dev/Jobs: fifo: got "yes"; expected true or false');
    });

    test('the name is used by another queue of the environment, or by its dead-letter queue', () => {
      // GIVEN
      const env = devEnvironment();
      queue(env, { queueName: 'orders' });
      // THEN
      expect(() => queue(env, { queueName: 'orders' }, 'Other')).toThrow(
        'dev/Other: queueName: got "orders"; expected a name whose queues are not used by queue dev/Jobs of the same environment (orders is)');
      expect(() => queue(env, { queueName: 'orders-dlq' }, 'Third')).toThrow(
        'dev/Third: queueName: got "orders-dlq"; expected a name whose queues are not used by queue dev/Jobs of the same environment (orders-dlq is)');
    });

    test.each([['arn:aws:sqs:eu-central-1:123456789012:alerts'], ['alerts'], ['arn:aws:sns:eu-central-1:1234:alerts']])(
      'alarmActions holds %j', (arn) => {
        expect(() => queue(devEnvironment(), { alarmActions: [TOPIC, arn] })).toThrow(
          `dev/Jobs: alarmActions[1]: got ${JSON.stringify(arn)}; expected an SNS topic ARN such as "arn:aws:sns:eu-central-1:123456789012:alerts"`);
      });

    test('alarmActions is not a list', () => {
      expect(() => queue(devEnvironment(), { alarmActions: TOPIC as any }))
        .toThrow(`dev/Jobs: alarmActions: got "${TOPIC}"; expected a list, each item a string`);
    });

    test('encryptionKey is not a Key', () => {
      expect(() => queue(devEnvironment(), { encryptionKey: 'alias/aws/sqs' as any }))
        .toThrow('dev/Jobs: encryptionKey: got "alias/aws/sqs"; expected a Key (EnvironmentSecretsKey.of(...) or new Key(...))');
    });

    test('encryptionKey belongs to another environment', () => {
      // GIVEN
      const platform = testPlatform();
      const key = new Key(prodEnvironment(platform), 'QueueKey', { description: 'Queue messages' });
      // THEN
      expect(() => queue(devEnvironment(platform), { encryptionKey: key }))
        .toThrow('dev/Jobs: encryptionKey: got "prod/QueueKey"; expected a construct of environment dev, not of environment prod: constructs of one environment never refer to another\'s (each environment is its own account, state and blast radius)');
    });

    test.each([['grantSend'], ['grantConsume']] as const)('grant target is not a workload identity (%s)', (method) => {
      // GIVEN
      const q = queue(devEnvironment());
      // THEN
      expect(() => q[method]({ roleArn: 'arn:aws:iam::123456789012:role/x' } as any)).toThrow(
        'dev/Jobs: grantee: got {"roleArn":"arn:aws:iam::123456789012:role/x"}; expected an IGrantable to grant to (a WorkloadIdentity, cluster.nodeIdentity or Grantee.fromRoleArn(...))');
    });

    test('grant target belongs to another environment', () => {
      // GIVEN
      const platform = testPlatform();
      const q = queue(devEnvironment(platform));
      const prodIdentity = identity(prodEnvironment(platform));
      // THEN
      expect(() => q.grantSend(prodIdentity)).toThrow(
        'dev/Jobs: grantee: got "construct prod/Identity"; expected a grantee of environment "dev", not of "prod"');
    });

    test('tokens are accepted where references are allowed', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => queue(env, {
        maxReceiveCount: Token.asNumber({ Ref: 'count' }),
        retentionSeconds: Token.asNumber({ Ref: 'retention' }),
        visibilityTimeoutSeconds: Token.asNumber({ Ref: 'visibility' }),
        alarmActions: [Token.asString({ Ref: 'topic' })],
      })).not.toThrow();
    });
  });
});

describe('Queue.fromAttributes', () => {
  function worker(env: Environment): WorkloadIdentity {
    const cluster = Cluster.fromAttributes(env, 'Cluster', { clusterName: 'dev-main', nodeSecurityGroupId: 'sg-0123456789abcdef0' });
    return new WorkloadIdentity(env, 'WorkerIdentity', { cluster, namespace: 'shop', serviceAccount: 'worker' });
  }

  test('imports a queue by ARN: name, region and URL follow from it, nothing is created', () => {
    // GIVEN
    const env = devEnvironment();
    // WHEN
    const imported = Queue.fromAttributes(env, 'Legacy', { queueArn: 'arn:aws:sqs:eu-west-1:210987654321:legacy-orders.fifo' });
    // THEN
    expect(imported.queueName).toBe('legacy-orders.fifo');
    expect(imported.region).toBe('eu-west-1');
    expect(imported.queueUrl).toBe('https://sqs.eu-west-1.amazonaws.com/210987654321/legacy-orders.fifo');
    expect(imported.isPavedQueue).toBe(false);
    expect(imported.encryptionKeyArn).toBeUndefined();
    expect(synthStack(env).resource).toBeUndefined();
  });

  test('grants on an imported queue name it, and its key when given', () => {
    // GIVEN
    const env = devEnvironment();
    const grantee = worker(env);
    const keyArn = 'arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const imported = Queue.fromAttributes(env, 'Legacy', { queueArn: 'arn:aws:sqs:eu-central-1:123456789012:legacy', encryptionKeyArn: keyArn });
    // WHEN
    const grant = imported.grantConsume(grantee);
    // THEN
    expect(grant.statements).toEqual([
      {
        actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
        resources: ['arn:aws:sqs:eu-central-1:123456789012:legacy'],
      },
      { actions: ['kms:Decrypt'], resources: [keyArn] },
    ]);
  });

  test('a Worker does not scale on an imported queue: only a paved Queue brings what it relies on', () => {
    // GIVEN
    const env = devEnvironment();
    const imported = Queue.fromAttributes(env, 'Legacy', { queueArn: 'arn:aws:sqs:eu-central-1:123456789012:legacy' });
    // THEN
    expect(() => new Worker(env.chart('worker', 'shop'), 'Worker', { name: 'worker', image: 'ghcr.io/acme/worker:1.0.0', queue: imported }))
      .toThrow('expected a paved Queue (it brings the dead-letter queue, encryption and least-privilege access a worker relies on)');
  });

  test.each([
    ['arn:aws:sqs:eu-central-1:123456789012:'],
    ['arn:aws:sns:eu-central-1:123456789012:legacy'],
    ['arn:aws-cn:sqs:eu-central-1:123456789012:legacy'],
    ['legacy'],
  ])('fails when the ARN is %j', queueArn => {
    expect(() => Queue.fromAttributes(devEnvironment(), 'Legacy', { queueArn })).toThrow(
      `dev/Legacy: queueArn: got ${JSON.stringify(queueArn)}; expected a literal SQS queue ARN: "arn:<partition>:sqs:<region>:<12-digit account>:<name>"`);
  });

  test('fails when the key ARN is not a KMS key ARN', () => {
    expect(() => Queue.fromAttributes(devEnvironment(), 'Legacy', { queueArn: 'arn:aws:sqs:eu-central-1:123456789012:legacy', encryptionKeyArn: 'alias/x' }))
      .toThrow('dev/Legacy: encryptionKeyArn: got "alias/x"; expected a KMS key ARN');
  });
});
