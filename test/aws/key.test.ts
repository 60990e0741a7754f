import * as fs from 'fs';
import * as path from 'path';
import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import { Environment, Platform } from '../../lib';
import { Cluster } from '../../lib/aws/cluster';
import { Key, KeyProps } from '../../lib/aws/key';
import { WorkloadIdentity } from '../../lib/aws/workload-identity';
import { devEnvironment, onlyResource, prodEnvironment, synthStack, testPlatform } from '../support/synth';
import { expectNoDanglingReferences } from '../support/tf-references';

const ROOT_STATEMENT = {
  Sid: 'AccountAdministersAndDelegatesToIam',
  Effect: 'Allow',
  Principal: { AWS: 'arn:aws:iam::123456789012:root' },
  Action: 'kms:*',
  Resource: '*',
};

function key(scope: Construct, props: Partial<KeyProps> = {}, id: string = 'OrdersKey'): Key {
  return new Key(scope, id, { description: 'Orders data', ...props });
}

function identity(env: Environment): WorkloadIdentity {
  const cluster = Cluster.fromAttributes(env, 'Cluster', { clusterName: 'main', nodeSecurityGroupId: 'sg-0123456789abcdef0' });
  return new WorkloadIdentity(env, 'Identity', { cluster, namespace: 'shop', serviceAccount: 'orders' });
}

function keyPolicy(env: Environment): any {
  return JSON.parse(onlyResource(synthStack(env), 'aws_kms_key').policy);
}

function report(platform: Platform): string {
  platform.synth();
  return fs.readFileSync(path.join(platform.outdir, 'report.md'), 'utf8');
}

describe('Key', () => {
  describe('defaults', () => {
    test('is a symmetric encryption key with the description given', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      key(env);
      // THEN
      const resource = onlyResource(synthStack(env), 'aws_kms_key');
      expect(resource.description).toBe('Orders data');
      expect(resource.key_usage).toBe('ENCRYPT_DECRYPT');
      expect(resource.customer_master_key_spec).toBe('SYMMETRIC_DEFAULT');
    });

    test('rotates its key material every 365 days', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      key(env);
      // THEN
      const resource = onlyResource(synthStack(env), 'aws_kms_key');
      expect(resource.enable_key_rotation).toBe(true);
      expect(resource.rotation_period_in_days).toBe(365);
    });

    test('waits 30 days before a scheduled deletion', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      key(env);
      // THEN
      expect(onlyResource(synthStack(env), 'aws_kms_key').deletion_window_in_days).toBe(30);
    });

    test('has an explicit key policy: the account administers the key and delegates to IAM, nothing else', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      key(env);
      // THEN
      expect(keyPolicy(env)).toEqual({ Version: '2012-10-17', Statement: [ROOT_STATEMENT] });
    });

    test('is aliased alias/paved/<env>/<construct path below the environment>', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const k = key(new Construct(env, 'Orders'), {}, 'Key');
      // THEN
      const stack = synthStack(env);
      const alias = onlyResource(stack, 'aws_kms_alias');
      expect(k.aliasName).toBe('alias/paved/dev/orders-key');
      expect(alias.name).toBe('alias/paved/dev/orders-key');
      expect(alias.target_key_id).toBe(`\${aws_kms_key.${Object.keys(stack.resource.aws_kms_key)[0]}.key_id}`);
    });

    test('exposes the key ARN and id as references to the key', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const k = key(env);
      new TerraformOutput(env, 'arn', { value: k.keyArn });
      new TerraformOutput(env, 'id', { value: k.keyId });
      // THEN
      const stack = synthStack(env);
      expect(stack.output.arn.value).toBe('${aws_kms_key.OrdersKey_AF24D47B.arn}');
      expect(stack.output.id.value).toBe('${aws_kms_key.OrdersKey_AF24D47B.key_id}');
      expect(k.resource).toBeDefined();
      expect(k.aliasResource).toBeDefined();
      expectNoDanglingReferences(stack);
    });

    test('keeps its Terraform addresses (construct ids are API)', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      key(env);
      // THEN
      const stack = synthStack(env);
      expect(Object.keys(stack.resource.aws_kms_key)).toEqual(['OrdersKey_AF24D47B']);
      expect(Object.keys(stack.resource.aws_kms_alias)).toEqual(['OrdersKey_Alias_E924857B']);
    });
  });

  describe('DEV vs PROD', () => {
    test('DEV lets Terraform destroy the key (after the 30-day window)', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      key(env);
      // THEN
      expect(onlyResource(synthStack(env), 'aws_kms_key').lifecycle).toBeUndefined();
    });

    test('PROD sets prevent_destroy: data encrypted with a deleted key is lost', () => {
      // GIVEN
      const env = prodEnvironment();
      // WHEN
      key(env);
      // THEN
      expect(onlyResource(synthStack(env), 'aws_kms_key').lifecycle).toEqual({ prevent_destroy: true });
    });

    test('records where preventDestroy and rotationPeriodDays came from', () => {
      // GIVEN
      const platform = testPlatform();
      // WHEN
      key(prodEnvironment(platform));
      // THEN
      const text = report(platform);
      expect(text).toContain('| prod/OrdersKey | preventDestroy | true | profile prod |');
      expect(text).toContain('| prod/OrdersKey | rotationPeriodDays | 365 | paved default |');
    });
  });

  describe('overrides', () => {
    test('preventDestroy false in PROD', () => {
      // GIVEN
      const platform = testPlatform();
      const env = prodEnvironment(platform);
      // WHEN
      key(env, { preventDestroy: false });
      // THEN
      expect(onlyResource(synthStack(env), 'aws_kms_key').lifecycle).toBeUndefined();
      expect(report(platform)).toContain('| prod/OrdersKey | preventDestroy | false | **override** |');
    });

    test('rotationPeriodDays', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      key(env, { rotationPeriodDays: 90 });
      // THEN
      expect(onlyResource(synthStack(env), 'aws_kms_key').rotation_period_in_days).toBe(90);
    });

    test('alias', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const k = key(env, { alias: 'rds/dev-orders_db' });
      // THEN
      expect(k.aliasName).toBe('alias/paved/dev/rds/dev-orders_db');
      expect(onlyResource(synthStack(env), 'aws_kms_alias').name).toBe('alias/paved/dev/rds/dev-orders_db');
    });

    test('service principals get their own statements, with their conditions', () => {
      // GIVEN
      const env = devEnvironment();
      const logGroupArn = 'arn:aws:logs:eu-central-1:123456789012:log-group:/paved/dev/orders';
      // WHEN
      key(env, {
        servicePrincipals: [
          {
            service: 'logs.eu-central-1.amazonaws.com',
            actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:GenerateDataKey*'],
            conditions: [{ test: 'ArnEquals', variable: 'kms:EncryptionContext:aws:logs:arn', values: [logGroupArn] }],
          },
          { service: 'sns.amazonaws.com', actions: ['kms:Decrypt'] },
        ],
      });
      // THEN
      expect(keyPolicy(env).Statement).toEqual([
        ROOT_STATEMENT,
        {
          Sid: 'ServicePrincipal1',
          Effect: 'Allow',
          Principal: { Service: 'logs.eu-central-1.amazonaws.com' },
          Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:GenerateDataKey*'],
          Resource: '*',
          Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn } },
        },
        {
          Sid: 'ServicePrincipal2',
          Effect: 'Allow',
          Principal: { Service: 'sns.amazonaws.com' },
          Action: 'kms:Decrypt',
          Resource: '*',
        },
      ]);
    });

    test('the root principal follows the partition of the region', () => {
      // GIVEN
      const env = new Environment(testPlatform(), 'gov', { account: '123456789012', region: 'us-gov-west-1' });
      // WHEN
      key(env);
      // THEN
      expect(keyPolicy(env).Statement[0].Principal).toEqual({ AWS: 'arn:aws-us-gov:iam::123456789012:root' });
    });
  });

  describe('grantEncryptDecrypt', () => {
    test('grants encrypt, decrypt, re-encrypt, data keys and describe on this key only', () => {
      // GIVEN
      const env = devEnvironment();
      const k = key(env);
      const id = identity(env);
      // WHEN
      k.grantEncryptDecrypt(id);
      // THEN
      const stack = synthStack(env);
      expect(JSON.parse(onlyResource(stack, 'aws_iam_role_policy').policy)).toEqual({
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
          Resource: '${aws_kms_key.OrdersKey_AF24D47B.arn}',
        }],
      });
      expectNoDanglingReferences(stack);
    });

    test('leaves the key policy unchanged (IAM carries the grant)', () => {
      // GIVEN
      const env = devEnvironment();
      const k = key(env);
      // WHEN
      k.grantEncryptDecrypt(identity(env));
      // THEN
      expect(keyPolicy(env).Statement).toEqual([ROOT_STATEMENT]);
    });
  });

  test('matches the snapshot of a PROD key with a service principal', () => {
    // GIVEN
    const env = prodEnvironment();
    // WHEN
    key(env, { alias: 'orders', servicePrincipals: [{ service: 'sns.amazonaws.com', actions: ['kms:Decrypt', 'kms:GenerateDataKey*'] }] });
    // THEN
    expect(synthStack(env)).toMatchSnapshot();
  });

  describe('fails when', () => {
    test('the description is empty', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => key(env, { description: '' })).toThrow('dev/OrdersKey: description: got ""; expected a description of 1-8192 characters');
    });

    test.each([[89], [2561], [365.5]])('the rotation period is %j days', (rotationPeriodDays) => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => key(env, { rotationPeriodDays }))
        .toThrow(`dev/OrdersKey: rotationPeriodDays: got ${rotationPeriodDays}; expected an integer from 90 to 2560`);
    });

    test.each([['a//b'], ['/orders'], ['orders/'], ['orders.db'], ['x'.repeat(201)], ['']])('the alias is %j', (alias) => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => key(env, { alias })).toThrow(
        `dev/OrdersKey: alias: got ${JSON.stringify(alias)}; expected 1-200 letters, digits, "_", "-" and "/" (not at either end, no "//")`);
    });

    test('the alias is taken by another key of the environment', () => {
      // GIVEN
      const env = devEnvironment();
      key(env, { alias: 'orders' });
      // THEN
      expect(() => key(env, { alias: 'orders' }, 'Other'))
        .toThrow('dev/Other: alias: got "orders"; expected an alias not used by key dev/OrdersKey of the same environment');
    });

    test.each([['logs.amazonaws'], ['*'], ['arn:aws:iam::123456789012:root']])('a service principal is %j', (service) => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => key(env, { servicePrincipals: [{ service, actions: ['kms:Decrypt'] }] })).toThrow(
        `dev/OrdersKey: servicePrincipals[0].service: got ${JSON.stringify(service)}; `
        + 'expected an AWS service principal such as "logs.eu-central-1.amazonaws.com"');
    });

    test.each([[[]], [['kms:*']], [['s3:GetObject']]])('a service principal\'s actions are %j', (actions) => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => key(env, { servicePrincipals: [{ service: 'sns.amazonaws.com', actions }] })).toThrow(
        `dev/OrdersKey: servicePrincipals[0].actions: got ${JSON.stringify(actions)}; expected one or more KMS actions such as `
        + '"kms:Decrypt" or "kms:GenerateDataKey*" (not "kms:*": services never need to administer the key)');
    });

    test('a service principal\'s condition has no values', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => key(env, {
        servicePrincipals: [{ service: 'sns.amazonaws.com', actions: ['kms:Decrypt'], conditions: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [] }] }],
      })).toThrow('dev/OrdersKey: servicePrincipals[0].conditions.values: got []; expected one or more values');
    });

    test('grant target is not a workload identity', () => {
      // GIVEN
      const env = devEnvironment();
      const k = key(env);
      // THEN
      expect(() => k.grantEncryptDecrypt(new Construct(env, 'Plain') as any)).toThrow(
        'dev/OrdersKey: grantee: got "construct dev/Plain"; expected an IGrantable to grant to (a WorkloadIdentity, cluster.nodeIdentity or Grantee.fromRoleArn(...))');
      expect(() => k.grantEncryptDecrypt(undefined as any)).toThrow('dev/OrdersKey: grantee: got undefined; expected an IGrantable');
    });

    test('grant target is a workload identity of another environment', () => {
      // GIVEN
      const platform = testPlatform();
      const k = key(devEnvironment(platform));
      const prodIdentity = identity(prodEnvironment(platform));
      // THEN
      expect(() => k.grantEncryptDecrypt(prodIdentity)).toThrow(
        'dev/OrdersKey: grantee: got "construct prod/Identity"; expected a grantee of environment "dev", not of "prod"');
    });

    test('the key is created outside an environment', () => {
      // GIVEN
      const platform = testPlatform();
      // THEN
      expect(() => key(platform)).toThrow('is not inside an Environment');
    });
  });
});
