import { ConnectionSecret } from './connection-secret';
import { IProvisioner, ProvisionContext, ProvisionResult } from './provisioner';
import { Bucket } from '../aws/bucket';
import { invalid } from '../core/errors';
import { Naming } from '../core/naming';

const OUTPUTS = ['bucket', 'region', 'arn', 'endpoint'];

/**
 * Provisions `s3` resources: a private, KMS-encrypted, versioned S3 bucket
 * per request ({@link Bucket}), named
 * `<env>-<tenant>-<workload>-<resource>-<hash of account and region>`, its
 * connection secret, and read-write access to its objects for the workload.
 *
 * Outputs follow Score's s3 outputs where they apply: bucket, region, arn,
 * endpoint (no access keys: the workload's pods authenticate with EKS Pod
 * Identity). None is secret and all are known at synth time. No params.
 */
export class S3Provisioner implements IProvisioner {
  public readonly type = 's3';
  public readonly outputNames = OUTPUTS;

  public provision(context: ProvisionContext): ProvisionResult {
    const unknown = Object.keys(context.resource.params);
    if (unknown.length > 0) {
      throw invalid(context.scope, `resources.${context.resourceName}.params`, unknown, 'no params (s3 accepts none)');
    }
    const env = context.environment;
    const bucket = new Bucket(context.scope, 'Bucket', {
      bucketName: Naming.bucketName([env.name, context.tenant, context.workload, context.resourceName], env.account, env.region),
    });
    const values: { [key: string]: string } = {
      bucket: bucket.bucketName,
      region: bucket.region,
      arn: bucket.bucketArn,
      endpoint: bucket.endpoint,
    };
    new ConnectionSecret(context.scope, 'ConnectionSecret', { secretName: context.secretName, values });
    bucket.grantReadWrite(context.identity);

    return {
      outputs: OUTPUTS.map(name => ({ name, secret: false, value: values[name] })),
      remoteKeys: OUTPUTS.map(key => ({ secretKey: key, remoteKey: context.secretName, property: key })),
      // S3 is reached through the VPC's gateway endpoint, whose addresses are S3's public ranges.
      egress: [{ cidr: '0.0.0.0/0', port: 443, description: `S3 API (bucket ${context.resourceName})` }],
    };
  }
}
