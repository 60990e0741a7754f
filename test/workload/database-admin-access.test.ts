import { Construct } from 'constructs';
import { Resource, Workload } from '../../lib';
import { IAM_ROLE_NAMES } from '../../lib/aws/workload-identity';
import { DatabaseAdminAccess } from '../../lib/workload/database-admin-access';
import { resourcesOf, synthStack, workloadEnvironment } from '../support/synth';

const ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:';

describe('DatabaseAdminAccess', () => {
  test('reads only its data stores\' master secrets (by tag) and connection secrets, writes only their credentials secrets, '
    + 'and decrypts and encrypts through Secrets Manager only', () => {
    // GIVEN
    const env = workloadEnvironment();
    // WHEN
    new Workload(env, 'orders', {
      tenant: 'shop',
      image: 'ghcr.io/acme/orders:1.4.2',
      port: 8080,
      resources: { db: Resource.postgres(), audit: Resource.mysql({ params: { auth: 'iam' } }) },
    });
    // THEN
    const stack = synthStack(env.tenantScope('shop'));
    const policy = JSON.parse(resourcesOf(stack, 'aws_iam_role_policy').find(p => p.name === 'administer-data-stores').policy);
    expect(policy.Statement).toEqual([
      {
        Sid: 'ReadInstanceMasterSecrets',
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        Resource: `${ARN}rds!db-*`,
        Condition: {
          StringEquals: {
            'secretsmanager:ResourceTag/aws:rds:primaryDBInstanceArn': [
              'arn:aws:rds:eu-central-1:123456789012:db:dev-shop-orders-db', 'arn:aws:rds:eu-central-1:123456789012:db:dev-shop-orders-audit',
            ],
          },
        },
      },
      { Sid: 'FindMasterSecretsByTag', Effect: 'Allow', Action: 'secretsmanager:ListSecrets', Resource: '*' },
      {
        Sid: 'ReadConnectionDetails',
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        Resource: [`${ARN}paved/dev/shop/orders/db-??????`, `${ARN}paved/dev/shop/orders/audit-??????`],
      },
      {
        Sid: 'WriteGeneratedCredentials',
        Effect: 'Allow',
        Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'],
        Resource: [`${ARN}paved/dev/shop/orders/db/credentials-??????`],
      },
      {
        Sid: 'DecryptThroughSecretsManager',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: [
          '${aws_kms_key.orders_db_Postgres_Key_A35F9EC1.arn}', '${aws_kms_key.orders_audit_Mysql_Key_012D627B.arn}',
          expect.stringMatching(/cross-stack-output-aws_kms_keySecretsKey_[0-9A-F]{8}arn\}$/),
        ],
        Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-central-1.amazonaws.com' } },
      },
      {
        Sid: 'EncryptThroughSecretsManager',
        Effect: 'Allow',
        Action: 'kms:GenerateDataKey',
        Resource: expect.stringMatching(/cross-stack-output-aws_kms_keySecretsKey_[0-9A-F]{8}arn\}$/),
        Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-central-1.amazonaws.com' } },
      },
    ]);
    expect(DatabaseAdminAccess.allOf(env).map(a => [a.tenant, a.roleName, a.roleArn])).toEqual([
      ['shop', 'dev-shop-db-admin', 'arn:aws:iam::123456789012:role/dev-shop-db-admin'],
    ]);
  });

  test('reads the master secrets of DocumentDB and Aurora clusters by their cluster tag', () => {
    // GIVEN
    const env = workloadEnvironment();
    const access = DatabaseAdminAccess.of(env, 'shop');
    // WHEN
    access._allow({
      masterSecret: { key: 'aws:rds:primaryDBClusterArn', value: 'arn:aws:rds:eu-central-1:123456789012:cluster:dev-shop-orders-docs' },
      masterSecretKeyArn: 'arn:aws:kms:eu-central-1:123456789012:key/1',
      connectionSecret: 'paved/dev/shop/orders/docs',
    });
    // THEN
    const policy = JSON.parse(resourcesOf(synthStack(env.tenantScope('shop')), 'aws_iam_role_policy')[0].policy);
    expect(policy.Statement[0]).toMatchObject({
      Sid: 'ReadClusterMasterSecrets',
      Resource: `${ARN}rds!cluster-*`,
      Condition: { StringEquals: { 'secretsmanager:ResourceTag/aws:rds:primaryDBClusterArn': ['arn:aws:rds:eu-central-1:123456789012:cluster:dev-shop-orders-docs'] } },
    });
    expect(policy.Statement.map((s: any) => s.Sid)).not.toContain('WriteGeneratedCredentials');
  });

  describe('fails when', () => {
    test('the role name is taken', () => {
      const env = workloadEnvironment();
      // A cluster dev-shop's addon db-admin would have that role name (`<cluster>-<addon>`).
      env._lookup.claim(IAM_ROLE_NAMES, 'dev-shop-db-admin', new Construct(env, 'Odder'));
      expect(() => DatabaseAdminAccess.of(env, 'shop')).toThrow(
        'dev-shop/Tenants/shop/DatabaseAdmin: tenant: got "shop"; expected a tenant whose database admin role name "dev-shop-db-admin" is not taken by dev/Odder');
    });

    test('a master secret is found by a tag RDS does not set', () => {
      const env = workloadEnvironment();
      expect(() => DatabaseAdminAccess.of(env, 'shop')._allow({
        masterSecret: { key: 'Name', value: 'x' }, masterSecretKeyArn: 'k', connectionSecret: 'paved/dev/shop/x/y',
      })).toThrow('dev-shop/Tenants/shop/DatabaseAdmin: masterSecret.key: got "Name"; expected one of aws:rds:primaryDBInstanceArn, aws:rds:primaryDBClusterArn');
    });
  });
});
