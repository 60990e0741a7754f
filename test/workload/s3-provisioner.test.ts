import { Construct } from 'constructs';
import { Environment, NetworkPolicyEnforcement, Size } from '../../lib';
import { Cluster } from '../../lib/aws/cluster';
import { Network } from '../../lib/aws/network';
import { WorkloadIdentity } from '../../lib/aws/workload-identity';
import { Provisioners } from '../../lib/workload/provisioners';
import { Resource, ResourceOptions } from '../../lib/workload/resource';
import { S3Provisioner } from '../../lib/workload/s3-provisioner';
import { Workload } from '../../lib/workload/workload';
import { devEnvironment, prodEnvironment, resourcesOf, synthChart, synthStack, testPlatform } from '../support/synth';
import { expectNoDanglingReferences } from '../support/tf-references';

const NAME = 'dev-shop-orders-files-1ff32a';
const ARN = `arn:aws:s3:::${NAME}`;
const ENDPOINT = 'https://s3.eu-central-1.amazonaws.com';
const BUCKET = 'orders_files_Bucket_8F01E7C4';

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
    resources: { files: Resource.of('s3', options) },
    env: vars,
  });
}

describe('S3Provisioner', () => {
  test('is a built-in provisioner of type s3', () => {
    // GIVEN
    const platform = testPlatform();
    // THEN
    expect(Provisioners.types(platform)).toContain('s3');
    expect(Provisioners.find(platform, 's3', 'test')).toBeInstanceOf(S3Provisioner);
    expect(new S3Provisioner().outputNames).toEqual(['bucket', 'region', 'arn', 'endpoint']);
  });

  describe('in a Workload', () => {
    test('makes a bucket named after environment, tenant, workload and resource, logging to the environment\'s log bucket', () => {
      // GIVEN
      const env = withCluster(devEnvironment());
      // WHEN
      orders(env);
      // THEN
      const stack = synthStack(env.tenantScope('shop'));
      expect(stack.resource.aws_s3_bucket[BUCKET].bucket).toBe(NAME);
      // The log bucket is the environment's, in its foundation stack.
      expect(synthStack(env).resource.aws_s3_bucket.AccessLogs_8B620ECA.bucket).toBe('dev-access-logs-1ff32a');
      expectNoDanglingReferences(stack);
    });

    test('writes bucket, region, arn and endpoint to the connection secret', () => {
      // GIVEN
      const env = withCluster(devEnvironment());
      // WHEN
      orders(env);
      // THEN
      const stack = synthStack(env.tenantScope('shop'));
      expect(stack.resource.aws_secretsmanager_secret.orders_files_ConnectionSecret_7229D2AC.name).toBe('paved/dev/shop/orders/files');
      expect(stack.resource.aws_secretsmanager_secret_version.orders_files_ConnectionSecret_Version_63CB9028.secret_string).toBe(
        `\${jsonencode({"bucket" = "${NAME}", "region" = "eu-central-1", "arn" = "${ARN}", "endpoint" = "${ENDPOINT}"})}`);
    });

    test('grants the workload\'s identity read-write on the bucket\'s objects and key only', () => {
      // GIVEN
      const env = withCluster(devEnvironment());
      // WHEN
      orders(env);
      // THEN
      expect(JSON.parse(resourcesOf(synthStack(env.tenantScope('shop')), 'aws_iam_role_policy').find(p => p.name === 'paved-grants').policy)).toEqual({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'], Resource: `${ARN}/*` },
          { Effect: 'Allow', Action: 's3:ListBucket', Resource: ARN },
          { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: '${aws_kms_key.orders_files_Bucket_Key_003D113C.arn}' },
        ],
      });
    });

    test('turns ${resources.files.*} placeholders into literals', () => {
      // GIVEN
      const env = withCluster(devEnvironment());
      // WHEN
      orders(env, {}, {
        BUCKET: '${resources.files.bucket}',
        S3: '${resources.files.endpoint}/${resources.files.bucket}',
        AWS_REGION: '${resources.files.region}',
        BUCKET_ARN: '${resources.files.arn}',
      });
      // THEN
      const deployment = synthChart(env.chart('orders', 'shop')).find(o => o.kind === 'Deployment');
      const vars = deployment.spec.template.spec.containers[0].env;
      expect(vars).toEqual(expect.arrayContaining([
        { name: 'BUCKET', value: NAME },
        { name: 'S3', value: `${ENDPOINT}/${NAME}` },
        { name: 'AWS_REGION', value: 'eu-central-1' },
        { name: 'BUCKET_ARN', value: ARN },
      ]));
      expect(JSON.stringify(vars)).not.toContain('secretKeyRef');
    });

    test('reads every output into the workload\'s Kubernetes Secret', () => {
      // GIVEN
      const env = withCluster(devEnvironment());
      // WHEN
      const workload = orders(env);
      // THEN
      expect(workload.externalSecrets.files.toJson().spec.data).toEqual(['bucket', 'region', 'arn', 'endpoint'].map(key => ({
        secretKey: key, remoteRef: { key: 'paved/dev/shop/orders/files', property: key },
      })));
    });

    test('lets the pods reach the S3 API over HTTPS', () => {
      // GIVEN
      const env = withCluster(devEnvironment());
      // WHEN
      orders(env);
      // THEN
      const policy = synthChart(env.chart('orders', 'shop')).find(o => o.kind === 'NetworkPolicy');
      expect(policy.spec.egress).toContainEqual({ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443, protocol: 'TCP' }] });
    });

    test('PROD: Terraform refuses to destroy bucket and key', () => {
      // GIVEN
      const env = withCluster(prodEnvironment());
      // WHEN
      orders(env);
      // THEN
      const stack = synthStack(env.tenantScope('shop'));
      expect(stack.resource.aws_s3_bucket[BUCKET].lifecycle).toEqual({ prevent_destroy: true });
      expect(stack.resource.aws_kms_key.orders_files_Bucket_Key_003D113C.lifecycle).toEqual({ prevent_destroy: true });
    });

    test('DEV: bucket and key can be destroyed', () => {
      // GIVEN
      const env = withCluster(devEnvironment());
      // WHEN
      orders(env);
      // THEN
      const stack = synthStack(env.tenantScope('shop'));
      expect(stack.resource.aws_s3_bucket[BUCKET].lifecycle).toBeUndefined();
      expect(stack.resource.aws_kms_key.orders_files_Bucket_Key_003D113C.lifecycle).toBeUndefined();
    });

    test('two workloads\' buckets share the one log bucket of the environment', () => {
      // GIVEN
      const env = withCluster(devEnvironment());
      orders(env);
      // WHEN
      new Workload(env, 'billing', {
        tenant: 'shop', image: 'registry.example.com/shop/billing:1.0.0', port: 8080, resources: { files: Resource.of('s3') },
      });
      // THEN
      const stack = synthStack(env.tenantScope('shop'));
      expect(resourcesOf(stack, 'aws_s3_bucket').map(b => b.bucket).sort()).toEqual(['dev-shop-billing-files-1ff32a', NAME]);
      expect(resourcesOf(synthStack(env), 'aws_s3_bucket').map(b => b.bucket)).toEqual(['dev-access-logs-1ff32a']);
      expect(new Set(resourcesOf(stack, 'aws_s3_bucket_logging').map(l => l.target_bucket)).size).toBe(1);
    });
  });

  test('returns literal outputs, the remote keys and the egress', () => {
    // GIVEN
    const env = withCluster(devEnvironment());
    const cluster = Cluster.of(env);
    // WHEN
    const result = new S3Provisioner().provision({
      scope: new Construct(env, 'files'),
      environment: env,
      tenant: 'shop',
      workload: 'orders',
      resourceName: 'files',
      resource: Resource.of('s3'),
      size: Size.M,
      network: Network.of(env),
      cluster,
      identity: new WorkloadIdentity(env, 'Identity', { cluster, namespace: 'shop', serviceAccount: 'orders' }),
      secretName: 'paved/dev/shop/orders/files',
    });
    // THEN
    expect(result.outputs).toEqual([
      { name: 'bucket', secret: false, value: NAME },
      { name: 'region', secret: false, value: 'eu-central-1' },
      { name: 'arn', secret: false, value: ARN },
      { name: 'endpoint', secret: false, value: ENDPOINT },
    ]);
    expect(result.remoteKeys.map(k => k.secretKey)).toEqual(['bucket', 'region', 'arn', 'endpoint']);
    expect(result.egress).toEqual([{ cidr: '0.0.0.0/0', port: 443, description: 'S3 API (bucket files)' }]);
  });

  describe('fails when', () => {
    test('a param is given (s3 accepts none)', () => {
      // GIVEN
      const env = withCluster(devEnvironment());
      // THEN
      expect(() => orders(env, { params: { versioning: false } }))
        .toThrow('dev-shop/orders/files: resources.files.params: got ["versioning"]; expected no params (s3 accepts none)');
    });

    test('a placeholder names an output buckets do not have', () => {
      // GIVEN
      const env = withCluster(devEnvironment());
      // THEN
      expect(() => orders(env, {}, { KEY: '${resources.files.aws_access_key_id}' }))
        .toThrow('expected an output of files: bucket, region, arn, endpoint; "aws_access_key_id" is not one');
    });
  });
});
