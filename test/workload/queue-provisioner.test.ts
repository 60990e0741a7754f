import { Construct } from 'constructs';
import { Environment, NetworkPolicyEnforcement, Size } from '../../lib';
import { Cluster } from '../../lib/aws/cluster';
import { Network } from '../../lib/aws/network';
import { WorkloadIdentity } from '../../lib/aws/workload-identity';
import { Provisioners } from '../../lib/workload/provisioners';
import { QueueProvisioner } from '../../lib/workload/queue-provisioner';
import { Resource, ResourceOptions } from '../../lib/workload/resource';
import { Workload } from '../../lib/workload/workload';
import { devEnvironment, prodEnvironment, resourcesOf, synthChart, synthStack, testPlatform } from '../support/synth';
import { expectNoDanglingReferences } from '../support/tf-references';

const URL = 'https://sqs.eu-central-1.amazonaws.com/123456789012/dev-shop-orders-jobs';
const ARN = 'arn:aws:sqs:eu-central-1:123456789012:dev-shop-orders-jobs';

/** An environment with a network and a cluster, as a Workload needs. */
function withCluster(env: Environment): Environment {
  Network.fromAttributes(env, 'Network', {
    vpcId: 'vpc-0123456789abcdef0',
    vpcCidr: '10.30.0.0/16',
    availabilityZones: ['eu-central-1a', 'eu-central-1b'],
    privateSubnetIds: ['subnet-0b000000000000001', 'subnet-0b000000000000002'],
    isolatedSubnetIds: ['subnet-0c000000000000001', 'subnet-0c000000000000002'],
  });
  Cluster.fromAttributes(env, 'Cluster', { clusterName: 'main', nodeSecurityGroupId: 'sg-0123456789abcdef0', networkPolicyEnforcement: NetworkPolicyEnforcement.vpcCni() });
  return env;
}

function orders(env: Environment, options: ResourceOptions = {}, vars: { [name: string]: string } = {}): Workload {
  return new Workload(env, 'orders', {
    tenant: 'shop',
    image: 'registry.example.com/shop/orders:1.2.3',
    port: 8080,
    resources: { jobs: Resource.of('queue', options) },
    env: vars,
  });
}

function containerEnv(env: Environment): any[] {
  const deployment = synthChart(env.chart('orders', 'shop')).find(o => o.kind === 'Deployment');
  return deployment.spec.template.spec.containers[0].env;
}

describe('QueueProvisioner', () => {
  test('is a built-in provisioner of type queue', () => {
    // GIVEN
    const platform = testPlatform();
    // THEN
    expect(Provisioners.types(platform)).toContain('queue');
    expect(Provisioners.find(platform, 'queue', 'test')).toBeInstanceOf(QueueProvisioner);
    expect(new QueueProvisioner().outputNames).toEqual(['url', 'arn', 'name', 'region']);
  });

  describe('in a Workload', () => {
    test('makes a queue with its dead-letter queue, named after environment, tenant, workload and resource', () => {
      // GIVEN
      const env = withCluster(devEnvironment());
      // WHEN
      orders(env);
      // THEN
      const stack = synthStack(env.tenantScope('shop'));
      expect(stack.resource.aws_sqs_queue.orders_jobs_Queue_264AA4ED.name).toBe('dev-shop-orders-jobs');
      expect(stack.resource.aws_sqs_queue.orders_jobs_Queue_DeadLetterQueue_C04AF595.name).toBe('dev-shop-orders-jobs-dlq');
      expectNoDanglingReferences(stack);
    });

    test('writes url, arn, name and region to the connection secret', () => {
      // GIVEN
      const env = withCluster(devEnvironment());
      // WHEN
      orders(env);
      // THEN
      const stack = synthStack(env.tenantScope('shop'));
      expect(stack.resource.aws_secretsmanager_secret.orders_jobs_ConnectionSecret_37033E58.name).toBe('paved/dev/shop/orders/jobs');
      expect(stack.resource.aws_secretsmanager_secret_version.orders_jobs_ConnectionSecret_Version_C313EF20.secret_string).toBe(
        `\${jsonencode({"url" = "${URL}", "arn" = "${ARN}", "name" = "dev-shop-orders-jobs", "region" = "eu-central-1"})}`);
    });

    test('grants the workload\'s identity send and consume on its queue only', () => {
      // GIVEN
      const env = withCluster(devEnvironment());
      // WHEN
      const workload = orders(env);
      // THEN
      expect(JSON.parse(resourcesOf(synthStack(env.tenantScope('shop')), 'aws_iam_role_policy').find(p => p.name === 'paved-grants').policy)).toEqual({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], Resource: ARN },
          {
            Effect: 'Allow',
            Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
            Resource: ARN,
          },
        ],
      });
      expect(workload.identity.statements).toHaveLength(2);
    });

    test('turns ${resources.jobs.*} placeholders into literals', () => {
      // GIVEN
      const env = withCluster(devEnvironment());
      // WHEN
      orders(env, {}, {
        JOBS_URL: '${resources.jobs.url}',
        JOBS: '${resources.jobs.name} in ${resources.jobs.region}',
        JOBS_ARN: '${resources.jobs.arn}',
      });
      // THEN
      const vars = containerEnv(env);
      expect(vars).toEqual(expect.arrayContaining([
        { name: 'JOBS_URL', value: URL },
        { name: 'JOBS', value: 'dev-shop-orders-jobs in eu-central-1' },
        { name: 'JOBS_ARN', value: ARN },
      ]));
      expect(JSON.stringify(vars)).not.toContain('secretKeyRef');
    });

    test('reads every output into the workload\'s Kubernetes Secret', () => {
      // GIVEN
      const env = withCluster(devEnvironment());
      // WHEN
      const workload = orders(env);
      // THEN
      expect(workload.externalSecrets.jobs.toJson().spec.data).toEqual(['url', 'arn', 'name', 'region'].map(key => ({
        secretKey: key, remoteRef: { key: 'paved/dev/shop/orders/jobs', property: key },
      })));
    });

    test('lets the pods reach the SQS API over HTTPS', () => {
      // GIVEN
      const env = withCluster(devEnvironment());
      // WHEN
      orders(env);
      // THEN
      const policy = synthChart(env.chart('orders', 'shop')).find(o => o.kind === 'NetworkPolicy');
      expect(policy.spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443, protocol: 'TCP' }] });
    });

    test('PROD: Terraform refuses to destroy the queues', () => {
      // GIVEN
      const env = withCluster(prodEnvironment());
      // WHEN
      orders(env);
      // THEN
      for (const queue of resourcesOf(synthStack(env.tenantScope('shop')), 'aws_sqs_queue')) {
        expect(queue.lifecycle).toEqual({ prevent_destroy: true });
      }
    });

    test('DEV: the queues can be destroyed', () => {
      // GIVEN
      const env = withCluster(devEnvironment());
      // WHEN
      orders(env);
      // THEN
      for (const queue of resourcesOf(synthStack(env.tenantScope('shop')), 'aws_sqs_queue')) {
        expect(queue.lifecycle).toBeUndefined();
      }
    });
  });

  describe('params', () => {
    test('fifo: FIFO queues whose names end in .fifo', () => {
      // GIVEN
      const env = withCluster(devEnvironment());
      // WHEN
      orders(env, { params: { fifo: true } }, { JOBS_URL: '${resources.jobs.url}' });
      // THEN
      const names = resourcesOf(synthStack(env.tenantScope('shop')), 'aws_sqs_queue').map(q => [q.name, q.fifo_queue]);
      expect(names.sort()).toEqual([['dev-shop-orders-jobs-dlq.fifo', true], ['dev-shop-orders-jobs.fifo', true]]);
      expect(containerEnv(env)).toContainEqual({ name: 'JOBS_URL', value: `${URL}.fifo` });
    });

    test('visibilityTimeoutSeconds and retentionSeconds', () => {
      // GIVEN
      const env = withCluster(devEnvironment());
      // WHEN
      orders(env, { params: { visibilityTimeoutSeconds: 600, retentionSeconds: 86400 } });
      // THEN
      const queue = synthStack(env.tenantScope('shop')).resource.aws_sqs_queue.orders_jobs_Queue_264AA4ED;
      expect(queue.visibility_timeout_seconds).toBe(600);
      expect(queue.message_retention_seconds).toBe(86400);
    });
  });

  test('returns literal outputs, the remote keys and the egress', () => {
    // GIVEN
    const env = withCluster(devEnvironment());
    const cluster = Cluster.of(env);
    const scope = new Construct(env, 'jobs');
    // WHEN
    const result = new QueueProvisioner().provision({
      scope,
      environment: env,
      tenant: 'shop',
      workload: 'orders',
      resourceName: 'jobs',
      resource: Resource.of('queue'),
      size: Size.M,
      network: Network.of(env),
      cluster,
      identity: new WorkloadIdentity(env, 'Identity', { cluster, namespace: 'shop', serviceAccount: 'orders' }),
      secretName: 'paved/dev/shop/orders/jobs',
    });
    // THEN
    expect(result.outputs).toEqual([
      { name: 'url', secret: false, value: URL },
      { name: 'arn', secret: false, value: ARN },
      { name: 'name', secret: false, value: 'dev-shop-orders-jobs' },
      { name: 'region', secret: false, value: 'eu-central-1' },
    ]);
    expect(result.remoteKeys.map(k => k.secretKey)).toEqual(['url', 'arn', 'name', 'region']);
    expect(result.egress).toEqual([{ cidr: '0.0.0.0/0', port: 443, description: 'SQS API (queue jobs)' }]);
    expect(result.remoteByTags).toBeUndefined();
    // A worker can scale on it.
    expect(result.scalingQueue).toMatchObject({ queueUrl: URL, queueName: 'dev-shop-orders-jobs', region: 'eu-central-1', isPavedQueue: true });
  });

  describe('fails when', () => {
    test('a param is unknown, listing the allowed ones', () => {
      // GIVEN
      const env = withCluster(devEnvironment());
      // THEN
      expect(() => orders(env, { params: { fifo: true, delaySeconds: 5, dlq: false } })).toThrow(
        'dev-shop/orders/jobs: resources.jobs.params: got ["delaySeconds","dlq"]; expected only the params queue accepts: fifo, visibilityTimeoutSeconds, retentionSeconds');
    });

    test('fifo is not a boolean', () => {
      // GIVEN
      const env = withCluster(devEnvironment());
      // THEN
      expect(() => orders(env, { params: { fifo: 'true' } }))
        .toThrow('dev-shop/orders/jobs: resources.jobs.params.fifo: got "true"; expected true or false');
    });

    test.each([['visibilityTimeoutSeconds'], ['retentionSeconds']])('%s is not a number', (param) => {
      // GIVEN
      const env = withCluster(devEnvironment());
      // THEN
      expect(() => orders(env, { params: { [param]: '60' } }))
        .toThrow(`dev-shop/orders/jobs: resources.jobs.params.${param}: got "60"; expected a number of seconds`);
    });

    test('visibilityTimeoutSeconds is outside SQS\'s range', () => {
      // GIVEN
      const env = withCluster(devEnvironment());
      // THEN
      expect(() => orders(env, { params: { visibilityTimeoutSeconds: 43201 } })).toThrow(
        'dev-shop/orders/jobs/Queue: visibilityTimeoutSeconds: got 43201; expected whole seconds from 0 to 43200 (0 s to 12 hours)');
    });

    test('retentionSeconds is outside SQS\'s range', () => {
      // GIVEN
      const env = withCluster(devEnvironment());
      // THEN
      expect(() => orders(env, { params: { retentionSeconds: 30 } })).toThrow(
        'dev-shop/orders/jobs/Queue: retentionSeconds: got 30; expected whole seconds from 60 to 1209600 (60 s to 14 days)');
    });

    test('a placeholder names an output queues do not have', () => {
      // GIVEN
      const env = withCluster(devEnvironment());
      // THEN
      expect(() => orders(env, {}, { JOBS: '${resources.jobs.host}' }))
        .toThrow('expected an output of jobs: url, arn, name, region; "host" is not one');
    });
  });
});
