import { Environment, Profile, Resource, Size, Workload, WorkloadProps } from '../../lib';
import { MysqlProvisioner } from '../../lib/workload/mysql-provisioner';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { onlyResource, resourcesOf, statefulAddresses, synthChart, synthStack, testPlatform, workloadEnvironment } from '../support/synth';
import { expectNoDanglingReferences } from '../support/tf-references';

const DATABASE_URL = 'mysql://${resources.db.username}:${resources.db.password}@${resources.db.host}:${resources.db.port}/${resources.db.database}';
const INSTANCE_ARN = 'arn:aws:rds:eu-central-1:123456789012:db:dev-shop-orders-db';

function orders(env: Environment, props: Partial<WorkloadProps> = {}): Workload {
  return new Workload(env, 'orders', {
    tenant: 'shop',
    image: 'ghcr.io/acme/orders:1.4.2',
    port: 8080,
    resources: { db: Resource.mysql() },
    env: { DATABASE_URL },
    ...props,
  });
}

function objects(workload: Workload): { [kind: string]: any } {
  const all = synthChart(workload.environment.chart(workload.name, workload.tenant));
  expectValidKubernetesObjects(all);
  return Object.fromEntries(all.map(o => [o.kind, o]));
}

describe('MysqlProvisioner', () => {
  test('handles the resource type mysql, with Score\'s outputs host, port, name, database, username and password', () => {
    // GIVEN
    const provisioner = new MysqlProvisioner();
    // THEN
    expect(provisioner.type).toBe('mysql');
    expect(provisioner.outputNames).toEqual(['host', 'port', 'name', 'database', 'username', 'password']);
  });

  describe('Terraform side', () => {
    test('creates a MySQL 8.4 instance named after env, tenant, workload and resource, with the database <workload>_<resource>', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      orders(env);
      // THEN
      const stack = synthStack(env.tenantScope('shop'));
      expect(onlyResource(stack, 'aws_db_instance')).toEqual(expect.objectContaining({
        identifier: 'dev-shop-orders-db',
        engine: 'mysql',
        engine_version: '8.4.7',
        db_name: 'orders_db',
        username: 'paved_admin',
        port: 3306,
        manage_master_user_password: true,
        instance_class: 'db.t4g.medium',
      }));
      expect(Object.keys(stack.resource.aws_db_instance)).toEqual(['orders_db_Mysql_019519C0']);
      expectNoDanglingReferences(stack);
    });

    test('opens 3306 on the database from the cluster nodes only', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      orders(env);
      // THEN
      const rule = onlyResource(synthStack(env.tenantScope('shop')), 'aws_vpc_security_group_ingress_rule');
      expect(rule).toMatchObject({
        referenced_security_group_id: 'sg-0123456789abcdef0',
        from_port: 3306,
        to_port: 3306,
        ip_protocol: 'tcp',
        description: 'MySQL from sg-0123456789abcdef0',
      });
    });

    test('writes the connection secret paved/<env>/<tenant>/<workload>/<resource> without a password', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      orders(env);
      // THEN
      const stack = synthStack(env.tenantScope('shop'));
      const secret = resourcesOf(stack, 'aws_secretsmanager_secret').find(s => s.name === 'paved/dev/shop/orders/db');
      // The environment's secrets key lives in the foundation stack: read through its remote state.
      expect(secret.kms_key_id).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-dev\.outputs\.cross-stack-output-aws_kms_keySecretsKey_[0-9A-F]{8}arn\}$/);
      const version = onlyResource(stack, 'aws_secretsmanager_secret_version');
      expect(version.secret_string).toMatch(new RegExp('^\\$\\{jsonencode\\(\\{"host" = aws_db_instance\\..*\\.address, "port" = "3306", '
        + '"name" = "orders_db", "database" = "orders_db", "username" = "orders_db"\\}\\)\\}$'));
      expect(version.secret_string).not.toMatch(/password/);
    });

    test('grants no rds-db:connect with password authentication, and rds-db:connect as the application user with auth: iam', () => {
      // GIVEN
      const env = workloadEnvironment();
      const iamEnv = workloadEnvironment();
      // WHEN
      orders(env);
      orders(iamEnv, { resources: { db: Resource.mysql({ params: { auth: 'iam' } }) }, env: {} });
      // THEN
      expect(resourcesOf(synthStack(env.tenantScope('shop')), 'aws_iam_role_policy').find(p => p.name === 'paved-grants')).toBeUndefined();
      const policy = JSON.parse(resourcesOf(synthStack(iamEnv.tenantScope('shop')), 'aws_iam_role_policy').find(p => p.name === 'paved-grants').policy);
      expect(policy.Statement).toEqual([{
        Effect: 'Allow',
        Action: 'rds-db:connect',
        Resource: 'arn:aws:rds-db:eu-central-1:123456789012:dbuser:${aws_db_instance.orders_db_Mysql_019519C0.resource_id}/orders_db',
      }]);
    });

    test('lets the tenant\'s database admin role, not its secrets role, read the RDS-managed secret of its instance, found by tag', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      orders(env);
      // THEN
      const stack = synthStack(env.tenantScope('shop'));
      const policies = resourcesOf(stack, 'aws_iam_role_policy');
      expect(policies.find(p => p.name === 'read-tenant-secrets').policy).not.toMatch(/rds!|aws:rds:/);
      const admin = JSON.parse(policies.find(p => p.name === 'administer-data-stores').policy);
      const bySid = Object.fromEntries(admin.Statement.map((s: any) => [s.Sid, s]));
      expect(bySid.ReadInstanceMasterSecrets).toEqual({
        Sid: 'ReadInstanceMasterSecrets',
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        Resource: 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:rds!db-*',
        Condition: { StringEquals: { 'secretsmanager:ResourceTag/aws:rds:primaryDBInstanceArn': [INSTANCE_ARN] } },
      });
      expect(bySid.DecryptThroughSecretsManager.Resource).toContain('${aws_kms_key.orders_db_Mysql_Key_1397357E.arn}');
    });

    test('takes the size of the request, and multi-AZ and deletion protection from the PROD profile', () => {
      // GIVEN
      const env = workloadEnvironment(testPlatform(), Profile.PROD);
      // WHEN
      orders(env, { resources: { db: Resource.mysql({ size: Size.L }) } });
      // THEN
      const db = onlyResource(synthStack(env.tenantScope('shop')), 'aws_db_instance');
      expect(db).toEqual(expect.objectContaining({ instance_class: 'db.r6g.large', multi_az: true, deletion_protection: true }));
      expect(db.lifecycle.prevent_destroy).toBe(true);
    });

    test('param databaseName names the database', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      orders(env, { resources: { db: Resource.mysql({ params: { databaseName: 'shop' } }) } });
      // THEN
      expect(onlyResource(synthStack(env.tenantScope('shop')), 'aws_db_instance').db_name).toBe('shop');
    });
  });

  describe('Kubernetes side', () => {
    test('composes DATABASE_URL from secret outputs with $(VAR) and literals, never writing the password into YAML', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      const { Deployment } = objects(orders(env));
      // THEN
      expect(Deployment.spec.template.spec.containers[0].env).toEqual([
        { name: 'PAVED_ORDERS_DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'orders-db', key: 'password' } } },
        { name: 'PAVED_ORDERS_DB_HOST', valueFrom: { secretKeyRef: { name: 'orders-db', key: 'host' } } },
        { name: 'DATABASE_URL', value: 'mysql://orders_db:$(PAVED_ORDERS_DB_PASSWORD)@$(PAVED_ORDERS_DB_HOST):3306/orders_db' },
      ]);
    });

    test('writes the outputs known at synth time as literals', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      const { Deployment } = objects(orders(env, {
        env: { DB_PORT: '${resources.db.port}', DB_NAME: '${resources.db.name}', DB_DATABASE: '${resources.db.database}', DB_USER: '${resources.db.username}' },
      }));
      // THEN
      expect(Deployment.spec.template.spec.containers[0].env).toEqual([
        { name: 'DB_PORT', value: '3306' },
        { name: 'DB_NAME', value: 'orders_db' },
        { name: 'DB_DATABASE', value: 'orders_db' },
        { name: 'DB_USER', value: 'orders_db' },
      ]);
    });

    test('materializes the connection details and the generated password through the tenant SecretStore, never the master secret', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      const { ExternalSecret } = objects(orders(env));
      // THEN
      expect(ExternalSecret.metadata).toMatchObject({ name: 'orders-db', namespace: 'shop' });
      expect(ExternalSecret.spec.secretStoreRef).toEqual({ kind: 'SecretStore', name: 'paved' });
      expect(ExternalSecret.spec.data.map((d: any) => [d.secretKey, d.remoteRef.key, d.remoteRef.property])).toEqual([
        ...['host', 'port', 'name', 'database', 'username'].map(k => [k, 'paved/dev/shop/orders/db', k]),
        ['password', 'paved/dev/shop/orders/db/credentials', 'password'],
      ]);
      expect(ExternalSecret.spec.dataFrom).toBeUndefined();
    });

    test('the database admin job creates the user with every privilege on its database, TLS verified, REQUIRE SSL', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      orders(env);
      // THEN
      const job = synthChart(env.chart('user-shop-orders-db', 'paved-db-admin')).find(o => o.kind === 'Job');
      const script: string = job.spec.template.spec.containers[0].command[2];
      expect(job.spec.template.spec.containers[0].image).toBe(MysqlProvisioner.DEFAULT_CLIENT_IMAGE);
      expect(script).toContain('--ssl-mode=VERIFY_IDENTITY --ssl-ca="$CA_FILE"');
      expect(script).toContain("CREATE USER IF NOT EXISTS 'orders_db'@'%' IDENTIFIED BY '$APP_PASSWORD' REQUIRE SSL;");
      expect(script).toContain('GRANT ALL PRIVILEGES ON \\`orders_db\\`.* TO \'orders_db\'@\'%\';');
    });

    test('allows egress to port 3306 in the VPC', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      const { NetworkPolicy } = objects(orders(env));
      // THEN
      const egress = NetworkPolicy.spec.egress.map((e: any) => [e.to?.[0]?.ipBlock?.cidr, e.ports.map((p: any) => p.port)]);
      expect(egress).toContainEqual(['10.10.0.0/16', [3306]]);
    });
  });

  test('pins the Terraform addresses of its stateful resources (a rename would replace them on upgrade)', () => {
    // GIVEN
    const env = workloadEnvironment(testPlatform(), Profile.PROD);
    // WHEN
    orders(env);
    // THEN
    expect(statefulAddresses(synthStack(env.tenantScope('shop')))).toEqual([
      'aws_db_instance.orders_db_Mysql_019519C0',
      // The key of the tenant's alarm topic, which the instance's CloudWatch alarms notify.
      'aws_kms_key.Alarms_shop_Key_D113D5C7',
      'aws_kms_key.orders_db_Mysql_Key_1397357E',
      'aws_secretsmanager_secret.orders_db_ConnectionSecret_3DD1B342',
      'aws_secretsmanager_secret.orders_db_Credentials_577F43EC',
    ]);
  });

  describe('fails when', () => {
    test('the request has params mysql does not know', () => {
      // GIVEN
      const env = workloadEnvironment();
      // THEN
      expect(() => orders(env, { resources: { db: Resource.mysql({ params: { engine: 'mariadb', databaseName: 'shop' } }) } }))
        .toThrow('dev-shop/orders/db: resources.db.params: got ["engine"]; expected only the params mysql accepts: databaseName, auth');
    });

    test('the databaseName param is not a MySQL database name', () => {
      // GIVEN
      const env = workloadEnvironment();
      // THEN
      expect(() => orders(env, { resources: { db: Resource.mysql({ params: { databaseName: 'mysql' } }) } }))
        .toThrow('dev-shop/orders/db/Mysql: databaseName: got "mysql"; expected a MySQL database name');
    });

    test('a placeholder names an output mysql does not have', () => {
      // GIVEN
      const env = workloadEnvironment();
      // THEN
      expect(() => orders(env, { env: { DB_HOST: '${resources.db.hostname}' } })).toThrow(
        'dev-shop/orders: env.DB_HOST: got "${resources.db.hostname}"; expected an output of db: host, port, name, database, username, password; '
        + '"hostname" is not one');
    });
  });
});
