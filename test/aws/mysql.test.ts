import * as fs from 'fs';
import * as path from 'path';
import { TerraformOutput, Token } from 'cdktf';
import { Construct } from 'constructs';
import { Environment, Platform, Size } from '../../lib';
import { Cluster } from '../../lib/aws/cluster';
import { Mysql, MysqlProps } from '../../lib/aws/mysql';
import { INetwork, Network } from '../../lib/aws/network';
import { Postgres } from '../../lib/aws/postgres';
import { WorkloadIdentity } from '../../lib/aws/workload-identity';
import { devEnvironment, onlyResource, prodEnvironment, resourcesOf, synthStack, testPlatform, withoutAlarmTopics } from '../support/synth';
import { expectNoDanglingReferences } from '../support/tf-references';

const NODE_SG = 'sg-0123456789abcdef0';
const OTHER_SG = 'sg-0fedcba9876543210';
const DB = 'OrdersDb_889E652A';
const KEY = 'OrdersDb_Key_E72F9F19';

function network(env: Environment): INetwork {
  return Network.fromAttributes(env, 'Network', {
    vpcId: 'vpc-0123456789abcdef0',
    vpcCidr: '10.30.0.0/16',
    availabilityZones: ['eu-central-1a', 'eu-central-1b'],
    privateSubnetIds: ['subnet-0b000000000000001', 'subnet-0b000000000000002'],
    isolatedSubnetIds: ['subnet-0c000000000000001', 'subnet-0c000000000000002'],
  });
}

function mysql(env: Environment, props: Partial<MysqlProps> = {}): Mysql {
  return new Mysql(env, 'OrdersDb', { network: network(env), ...props });
}

function identity(env: Environment): WorkloadIdentity {
  const cluster = Cluster.fromAttributes(env, 'Cluster', { clusterName: 'main', nodeSecurityGroupId: NODE_SG });
  return new WorkloadIdentity(env, 'Identity', { cluster, namespace: 'shop', serviceAccount: 'orders' });
}

function instance(env: Environment): any {
  return onlyResource(withoutAlarmTopics(synthStack(env)), 'aws_db_instance');
}

function report(platform: Platform): string {
  platform.synth();
  return fs.readFileSync(path.join(platform.outdir, 'report.md'), 'utf8');
}

describe('Mysql', () => {
  describe('defaults', () => {
    test('runs MySQL created at 8.4.7 with automatic minor version upgrades, no major ones', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      mysql(env);
      // THEN
      const db = instance(env);
      expect(db.engine).toBe('mysql');
      expect(db.engine_version).toBe('8.4.7');
      expect(db.auto_minor_version_upgrade).toBe(true);
      expect(db.allow_major_version_upgrade).toBe(false);
    });

    test('leaves the minor version to RDS after creation, so an automatic upgrade never plans a downgrade', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      mysql(env);
      // THEN
      expect(instance(env).lifecycle.ignore_changes).toEqual(['engine_version']);
    });

    test('takes instance class, storage and maximum storage from size M', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const db = mysql(env);
      // THEN
      expect(instance(env)).toEqual(expect.objectContaining({
        instance_class: 'db.t4g.medium', allocated_storage: 50, max_allocated_storage: 200, storage_type: 'gp3',
      }));
      expect(db.size).toBe(Size.M);
    });

    test('places the instance in the network\'s isolated subnets, through a subnet group of its own', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      mysql(env);
      // THEN
      const stack = withoutAlarmTopics(synthStack(env));
      const subnetGroup = onlyResource(stack, 'aws_db_subnet_group');
      expect(subnetGroup.name).toBe('dev-ordersdb');
      expect(subnetGroup.subnet_ids).toEqual(['subnet-0c000000000000001', 'subnet-0c000000000000002']);
      expect(onlyResource(stack, 'aws_db_instance').db_subnet_group_name).toBe('${aws_db_subnet_group.OrdersDb_SubnetGroup_C6216362.name}');
      expect(onlyResource(stack, 'aws_db_instance').publicly_accessible).toBe(false);
    });

    test('has a security group of its own in the VPC, without any rule until a client is allowed', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      mysql(env);
      // THEN
      const stack = withoutAlarmTopics(synthStack(env));
      const group = onlyResource(stack, 'aws_security_group');
      expect(group).toEqual(expect.objectContaining({
        name: 'rds-dev-ordersdb',
        vpc_id: 'vpc-0123456789abcdef0',
        description: 'RDS instance dev-ordersdb: MySQL from allowed security groups only',
      }));
      expect(group.ingress).toBeUndefined();
      expect(group.egress).toBeUndefined();
      expect(resourcesOf(stack, 'aws_vpc_security_group_ingress_rule')).toEqual([]);
      expect(resourcesOf(stack, 'aws_vpc_security_group_egress_rule')).toEqual([]);
      expect(onlyResource(stack, 'aws_db_instance').vpc_security_group_ids).toEqual(['${aws_security_group.OrdersDb_SecurityGroup_FA439A23.id}']);
    });

    test('requires TLS and logs queries slower than a second to a file, through its own parameter group', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      mysql(env);
      // THEN
      const stack = withoutAlarmTopics(synthStack(env));
      const group = onlyResource(stack, 'aws_db_parameter_group');
      expect(group.family).toBe('mysql8.4');
      expect(group.name).toBe('dev-ordersdb-mysql84');
      expect(group.parameter).toEqual([
        { name: 'require_secure_transport', value: '1' },
        { name: 'slow_query_log', value: '1' },
        { name: 'long_query_time', value: '1' },
        { name: 'log_output', value: 'FILE' },
      ]);
      expect(onlyResource(stack, 'aws_db_instance').parameter_group_name).toBe('${aws_db_parameter_group.OrdersDb_ParameterGroup_8FCDEC0A.name}');
    });

    test('encrypts storage with a key of its own that rotates', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      mysql(env);
      // THEN
      const stack = withoutAlarmTopics(synthStack(env));
      const db = onlyResource(stack, 'aws_db_instance');
      expect(db.storage_encrypted).toBe(true);
      expect(db.kms_key_id).toBe(`\${aws_kms_key.${KEY}.arn}`);
      expect(onlyResource(stack, 'aws_kms_key').enable_key_rotation).toBe(true);
      expect(onlyResource(stack, 'aws_kms_alias').name).toBe('alias/paved/dev/rds/dev-ordersdb');
    });

    test('lets RDS manage the master password in Secrets Manager, encrypted with the key: no password in the configuration', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      mysql(env);
      // THEN
      const stack = withoutAlarmTopics(synthStack(env));
      const db = onlyResource(stack, 'aws_db_instance');
      expect(db.manage_master_user_password).toBe(true);
      expect(db.master_user_secret_kms_key_id).toBe(`\${aws_kms_key.${KEY}.arn}`);
      expect(db.username).toBe('paved_admin');
      expect(db.password).toBeUndefined();
      expect(db.password_wo).toBeUndefined();
      expect(resourcesOf(stack, 'random_password')).toEqual([]);
      expect(JSON.stringify(stack)).not.toMatch(/"password(_wo)?"/);
    });

    test('turns IAM database authentication on', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      mysql(env);
      // THEN
      expect(instance(env).iam_database_authentication_enabled).toBe(true);
    });

    test('turns Performance Insights on for the free 7 days, encrypted with the key', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const db = mysql(env);
      // THEN
      expect(instance(env)).toEqual(expect.objectContaining({
        performance_insights_enabled: true,
        performance_insights_kms_key_id: `\${aws_kms_key.${KEY}.arn}`,
        performance_insights_retention_period: 7,
      }));
      expect(db.performanceInsights).toBe(true);
    });

    test('exports the error and slow query logs, not the general log', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      mysql(env);
      // THEN
      expect(instance(env).enabled_cloudwatch_logs_exports).toEqual(['error', 'slowquery']);
    });

    test('monitors every 60 s with a role only RDS monitoring of this instance can assume', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      mysql(env);
      // THEN
      const stack = withoutAlarmTopics(synthStack(env));
      const db = onlyResource(stack, 'aws_db_instance');
      const role = onlyResource(stack, 'aws_iam_role');
      expect(db.monitoring_interval).toBe(60);
      expect(db.monitoring_role_arn).toBe('${aws_iam_role.OrdersDb_MonitoringRole_F903FEF3.arn}');
      expect(db.depends_on).toEqual(['aws_iam_role_policy_attachment.OrdersDb_MonitoringRolePolicy_090EEBD4']);
      expect(JSON.parse(role.assume_role_policy)).toEqual({
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Principal: { Service: 'monitoring.rds.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: {
            StringEquals: { 'aws:SourceAccount': '123456789012' },
            ArnLike: { 'aws:SourceArn': 'arn:aws:rds:eu-central-1:123456789012:db:dev-ordersdb' },
          },
        }],
      });
      expect(onlyResource(stack, 'aws_iam_role_policy_attachment')).toEqual(expect.objectContaining({
        role: '${aws_iam_role.OrdersDb_MonitoringRole_F903FEF3.name}',
        policy_arn: 'arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole',
      }));
    });

    test('copies tags to snapshots', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      mysql(env);
      // THEN
      expect(instance(env).copy_tags_to_snapshot).toBe(true);
    });

    test('derives the identifier from environment and construct path', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const db = new Mysql(new Construct(env, 'orders'), 'db', { network: network(env) });
      // THEN
      expect(db.identifier).toBe('dev-orders-db');
      expect(instance(env).identifier).toBe('dev-orders-db');
    });

    test('derives the database name from the construct path', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const db = new Mysql(new Construct(env, 'orders'), 'main-db', { network: network(env) });
      // THEN
      expect(db.databaseName).toBe('orders_main_db');
      expect(instance(env).db_name).toBe('orders_main_db');
    });

    test('derives a database name that is not reserved, starts with a letter and has at most 64 characters', () => {
      // GIVEN
      const env = devEnvironment();
      const vpc = network(env);
      // WHEN
      const reserved = new Mysql(env, 'Mysql', { network: vpc });
      const digit = new Mysql(env, '1st', { network: vpc });
      const long = new Mysql(env, 'x'.repeat(70), { network: vpc });
      // THEN
      expect(reserved.databaseName).toBe('mysql_db');
      expect(digit.databaseName).toBe('db_1st');
      expect(long.databaseName).toBe('x'.repeat(64));
    });

    test('listens on 3306', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const db = mysql(env);
      // THEN
      expect(db.port).toBe(3306);
      expect(instance(env).port).toBe(3306);
    });

    test('exposes its connection details and resources as references', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      const db = mysql(env);
      for (const [name, value] of Object.entries({
        host: db.host, secret: db.masterUserSecretArn, resourceId: db.resourceId, arn: db.instanceArn, sg: db.securityGroupId,
      })) {
        new TerraformOutput(env, name, { value });
      }
      // THEN
      const outputs = withoutAlarmTopics(synthStack(env)).output;
      expect(outputs.host.value).toBe(`\${aws_db_instance.${DB}.address}`);
      expect(outputs.secret.value).toBe(`\${aws_db_instance.${DB}.master_user_secret[0].secret_arn}`);
      expect(outputs.resourceId.value).toBe(`\${aws_db_instance.${DB}.resource_id}`);
      expect(outputs.arn.value).toBe('arn:aws:rds:eu-central-1:123456789012:db:dev-ordersdb');
      expect(outputs.sg.value).toBe('${aws_security_group.OrdersDb_SecurityGroup_FA439A23.id}');
      expect(db.username).toBe('paved_admin');
      expect([db.instance, db.subnetGroup, db.parameterGroup, db.securityGroup, db.monitoringRole, db.key]).not.toContain(undefined);
    });

    test('keeps its Terraform addresses (construct ids are API)', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      mysql(env, { allowFrom: [NODE_SG] });
      // THEN
      const stack = withoutAlarmTopics(synthStack(env));
      expect(Object.keys(stack.resource.aws_db_instance)).toEqual([DB]);
      expect(Object.keys(stack.resource.aws_kms_key)).toEqual([KEY]);
      expect(Object.keys(stack.resource.aws_db_subnet_group)).toEqual(['OrdersDb_SubnetGroup_C6216362']);
      expect(Object.keys(stack.resource.aws_db_parameter_group)).toEqual(['OrdersDb_ParameterGroup_8FCDEC0A']);
      expect(Object.keys(stack.resource.aws_security_group)).toEqual(['OrdersDb_SecurityGroup_FA439A23']);
      expect(Object.keys(stack.resource.aws_iam_role)).toEqual(['OrdersDb_MonitoringRole_F903FEF3']);
      expect(Object.keys(stack.resource.aws_vpc_security_group_ingress_rule)).toEqual(['OrdersDb_Ingress1_ACC1BDCB']);
    });

    test('references only what the stack declares, in a network paved creates', () => {
      // GIVEN
      const env = devEnvironment();
      const vpc = new Network(env, 'Network', { cidr: '10.20.0.0/16' });
      // WHEN
      const db = new Mysql(env, 'OrdersDb', { network: vpc, allowFrom: [NODE_SG] });
      db.grantConnect(identity(env), 'orders');
      // THEN
      const stack = withoutAlarmTopics(synthStack(env));
      expect(onlyResource(stack, 'aws_db_subnet_group').subnet_ids).toEqual([
        '${aws_subnet.Network_IsolatedSubnet1_0FC35D3B.id}', '${aws_subnet.Network_IsolatedSubnet2_46361735.id}',
      ]);
      expectNoDanglingReferences(stack);
    });
  });

  describe('Performance Insights by instance class', () => {
    test.each([['db.t4g.small'], ['db.t4g.micro'], ['db.t3.small'], ['db.t3.micro'], ['db.t2.small']])(
      'is off on %s, where RDS offers none for MySQL, and so are its key and retention', (instanceClass) => {
        // GIVEN
        const env = devEnvironment();
        const size = Size.M.extend('tiny', { database: { instanceClass, storageGiB: 20, maxStorageGiB: 100 } });
        // WHEN
        const db = mysql(env, { size });
        // THEN
        const row = instance(env);
        expect(row.performance_insights_enabled).toBe(false);
        expect(row.performance_insights_kms_key_id).toBeUndefined();
        expect(row.performance_insights_retention_period).toBeUndefined();
        expect(db.performanceInsights).toBe(false);
      });

    test.each([['db.t4g.medium'], ['db.t3.medium'], ['db.m6g.large'], ['db.r6g.large']])('is on on %s', (instanceClass) => {
      // GIVEN
      const env = devEnvironment();
      const size = Size.M.extend('other', { database: { instanceClass, storageGiB: 20, maxStorageGiB: 100 } });
      // WHEN
      mysql(env, { size });
      // THEN
      expect(instance(env).performance_insights_enabled).toBe(true);
    });

    test('size S turns it off, recorded as the size\'s choice', () => {
      // GIVEN
      const platform = testPlatform();
      // WHEN
      mysql(devEnvironment(platform), { size: Size.S });
      // THEN
      expect(report(platform)).toContain('| dev/OrdersDb | performanceInsights | false | size S |');
    });
  });

  describe('DEV vs PROD', () => {
    test('DEV: single-AZ, 1-day backups, no deletion protection, no final snapshot, destroyable', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      mysql(env);
      // THEN
      const stack = withoutAlarmTopics(synthStack(env));
      const db = onlyResource(stack, 'aws_db_instance');
      expect(db.multi_az).toBe(false);
      expect(db.backup_retention_period).toBe(1);
      expect(db.deletion_protection).toBe(false);
      expect(db.skip_final_snapshot).toBe(true);
      expect(db.final_snapshot_identifier).toBeUndefined();
      expect(db.delete_automated_backups).toBe(true);
      expect(db.lifecycle.prevent_destroy).toBeUndefined();
      expect(onlyResource(stack, 'aws_kms_key').lifecycle).toBeUndefined();
    });

    test('PROD: multi-AZ, 30-day backups, deletion protection, a final snapshot, prevent_destroy on instance and key', () => {
      // GIVEN
      const env = prodEnvironment();
      // WHEN
      mysql(env);
      // THEN
      const stack = withoutAlarmTopics(synthStack(env));
      const db = onlyResource(stack, 'aws_db_instance');
      expect(db.multi_az).toBe(true);
      expect(db.backup_retention_period).toBe(30);
      expect(db.deletion_protection).toBe(true);
      expect(db.skip_final_snapshot).toBe(false);
      expect(db.final_snapshot_identifier).toBe('prod-ordersdb-final');
      expect(db.delete_automated_backups).toBe(false);
      expect(db.lifecycle).toEqual({ prevent_destroy: true, ignore_changes: ['engine_version'] });
      expect(onlyResource(stack, 'aws_kms_key').lifecycle).toEqual({ prevent_destroy: true });
    });

    test('records what the profile and the size chose', () => {
      // GIVEN
      const platform = testPlatform();
      // WHEN
      mysql(prodEnvironment(platform));
      // THEN
      const text = report(platform);
      for (const row of [
        '| prod/OrdersDb | size | M | paved default |',
        '| prod/OrdersDb | instanceClass | db.t4g.medium | size M |',
        '| prod/OrdersDb | storageGiB | 50 | size M |',
        '| prod/OrdersDb | maxStorageGiB | 200 | size M |',
        '| prod/OrdersDb | engineVersion | 8.4.7 | paved default |',
        '| prod/OrdersDb | multiAz | true | profile prod |',
        '| prod/OrdersDb | backupRetentionDays | 30 | profile prod |',
        '| prod/OrdersDb | deletionProtection | true | profile prod |',
        '| prod/OrdersDb | preventDestroy | true | profile prod |',
        '| prod/OrdersDb | performanceInsights | true | size M |',
      ]) {
        expect(text).toContain(row);
      }
    });
  });

  describe('overrides', () => {
    test('size', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      mysql(env, { size: Size.L });
      // THEN
      expect(instance(env)).toEqual(expect.objectContaining({
        instance_class: 'db.r6g.large', allocated_storage: 100, max_allocated_storage: 500,
      }));
    });

    test('multiAz, backupRetentionDays and deletionProtection in DEV, recorded as overrides', () => {
      // GIVEN
      const platform = testPlatform();
      const env = devEnvironment(platform);
      // WHEN
      mysql(env, { multiAz: true, backupRetentionDays: 35, deletionProtection: true });
      // THEN
      const db = instance(env);
      expect(db.multi_az).toBe(true);
      expect(db.backup_retention_period).toBe(35);
      expect(db.deletion_protection).toBe(true);
      expect(db.final_snapshot_identifier).toBe('dev-ordersdb-final');
      expect(db.lifecycle.prevent_destroy).toBeUndefined();
      const text = report(platform);
      expect(text).toContain('| dev/OrdersDb | multiAz | true | **override** |');
      expect(text).toContain('| dev/OrdersDb | backupRetentionDays | 35 | **override** |');
      expect(text).toContain('| dev/OrdersDb | deletionProtection | true | **override** |');
    });

    test('preventDestroy false in PROD keeps deletion protection', () => {
      // GIVEN
      const env = prodEnvironment();
      // WHEN
      mysql(env, { preventDestroy: false });
      // THEN
      const db = instance(env);
      expect(db.lifecycle.prevent_destroy).toBeUndefined();
      expect(db.deletion_protection).toBe(true);
    });

    test('identifier, databaseName, masterUsername and engineVersion', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      mysql(env, { identifier: 'orders', databaseName: 'orders', masterUsername: 'owner', engineVersion: '8.4.8' });
      // THEN
      const stack = withoutAlarmTopics(synthStack(env));
      const db = onlyResource(stack, 'aws_db_instance');
      expect(db).toEqual(expect.objectContaining({ identifier: 'orders', db_name: 'orders', username: 'owner', engine_version: '8.4.8' }));
      expect(onlyResource(stack, 'aws_db_subnet_group').name).toBe('orders');
      expect(onlyResource(stack, 'aws_db_parameter_group').name).toBe('orders-mysql84');
    });
  });

  describe('allowFrom', () => {
    test('admits 3306/tcp from each security group in props, with a description', () => {
      // GIVEN
      const env = devEnvironment();
      // WHEN
      mysql(env, { allowFrom: [NODE_SG, OTHER_SG] });
      // THEN
      const rules = resourcesOf(withoutAlarmTopics(synthStack(env)), 'aws_vpc_security_group_ingress_rule');
      expect(rules).toEqual([NODE_SG, OTHER_SG].map(sg => expect.objectContaining({
        security_group_id: '${aws_security_group.OrdersDb_SecurityGroup_FA439A23.id}',
        referenced_security_group_id: sg,
        ip_protocol: 'tcp',
        from_port: 3306,
        to_port: 3306,
        description: `MySQL from ${sg}`,
      })));
    });

    test('adds a rule with the description given, numbered after those of props', () => {
      // GIVEN
      const env = devEnvironment();
      const db = mysql(env, { allowFrom: [NODE_SG] });
      // WHEN
      db.allowFrom(OTHER_SG, 'Reporting jobs (cron)');
      // THEN
      const stack = withoutAlarmTopics(synthStack(env));
      expect(Object.keys(stack.resource.aws_vpc_security_group_ingress_rule)).toEqual(['OrdersDb_Ingress1_ACC1BDCB', 'OrdersDb_Ingress2_530B8F42']);
      expect(stack.resource.aws_vpc_security_group_ingress_rule.OrdersDb_Ingress2_530B8F42).toEqual(expect.objectContaining({
        referenced_security_group_id: OTHER_SG, from_port: 3306, to_port: 3306, description: 'Reporting jobs (cron)',
      }));
      expect(db.ingressRules).toHaveLength(2);
    });

    test('accepts a reference to a security group', () => {
      // GIVEN
      const env = devEnvironment();
      const db = mysql(env);
      // WHEN
      db.allowFrom(db.securityGroupId, 'Itself, for replication tools');
      // THEN
      expect(onlyResource(withoutAlarmTopics(synthStack(env)), 'aws_vpc_security_group_ingress_rule').referenced_security_group_id)
        .toBe('${aws_security_group.OrdersDb_SecurityGroup_FA439A23.id}');
    });
  });

  describe('grantConnect', () => {
    test('grants rds-db:connect as the given user on this instance only', () => {
      // GIVEN
      const env = devEnvironment();
      const db = mysql(env);
      const id = identity(env);
      // WHEN
      db.grantConnect(id, 'orders_app');
      // THEN
      expect(JSON.parse(onlyResource(withoutAlarmTopics(synthStack(env)), 'aws_iam_role_policy').policy)).toEqual({
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Action: 'rds-db:connect',
          Resource: `arn:aws:rds-db:eu-central-1:123456789012:dbuser:\${aws_db_instance.${DB}.resource_id}/orders_app`,
        }],
      });
    });

    test('grants each user separately', () => {
      // GIVEN
      const env = prodEnvironment();
      const db = mysql(env);
      const id = identity(env);
      // WHEN
      db.grantConnect(id, 'reader');
      db.grantConnect(id, 'writer');
      // THEN
      const resources = JSON.parse(onlyResource(withoutAlarmTopics(synthStack(env)), 'aws_iam_role_policy').policy).Statement.map((s: any) => s.Resource);
      expect(resources).toEqual([
        `arn:aws:rds-db:eu-central-1:123456789012:dbuser:\${aws_db_instance.${DB}.resource_id}/reader`,
        `arn:aws:rds-db:eu-central-1:123456789012:dbuser:\${aws_db_instance.${DB}.resource_id}/writer`,
      ]);
    });
  });

  test('matches the snapshot of a PROD instance with a client and a grant', () => {
    // GIVEN
    const env = prodEnvironment();
    const db = mysql(env, { allowFrom: [NODE_SG] });
    // WHEN
    db.grantConnect(identity(env), 'orders');
    // THEN
    expect(withoutAlarmTopics(synthStack(env))).toMatchSnapshot();
  });

  describe('fails when', () => {
    test.each([['sg-123'], ['subnet-0c000000000000001'], ['']])('allowFrom holds %j', (sg) => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => mysql(env, { allowFrom: [NODE_SG, sg] })).toThrow(
        `dev/OrdersDb: allowFrom[1]: got ${JSON.stringify(sg)}; expected a security group id: "sg-" followed by 8 or 17 lowercase hex digits`);
    });

    test('allowFrom names a security group twice', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => mysql(env, { allowFrom: [NODE_SG, NODE_SG] }))
        .toThrow(`dev/OrdersDb: allowFrom[1]: got "${NODE_SG}"; expected a security group not allowed already`);
    });

    test('allowFrom is not a list', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => mysql(env, { allowFrom: NODE_SG as any }))
        .toThrow(`dev/OrdersDb: allowFrom: got "${NODE_SG}"; expected a list, each item a string`);
    });

    test('allowFrom() is given an invalid or already allowed security group', () => {
      // GIVEN
      const db = mysql(devEnvironment(), { allowFrom: [NODE_SG] });
      // THEN
      expect(() => db.allowFrom('sg-xyz', 'Jobs')).toThrow(
        'dev/OrdersDb: securityGroupId: got "sg-xyz"; expected a security group id: "sg-" followed by 8 or 17 lowercase hex digits');
      expect(() => db.allowFrom(NODE_SG, 'Nodes again'))
        .toThrow(`dev/OrdersDb: securityGroupId: got "${NODE_SG}"; expected a security group not allowed already`);
    });

    test.each([[''], ['Jobs <cron>'], ['é'], ['x'.repeat(256)]])('allowFrom() is given the description %j', (description) => {
      // GIVEN
      const db = mysql(devEnvironment());
      // THEN
      expect(() => db.allowFrom(OTHER_SG, description)).toThrow(
        `dev/OrdersDb: description: got ${JSON.stringify(description)}; expected 1-255 letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*`);
    });

    test.each([['Orders'], ['orders-db'], ['1orders'], ['x'.repeat(65)], ['mysql'], ['sys'], ['information_schema'], ['performance_schema']])(
      'the database name is %j', (databaseName) => {
        // GIVEN
        const env = devEnvironment();
        // THEN
        expect(() => mysql(env, { databaseName })).toThrow(
          `dev/OrdersDb: databaseName: got ${JSON.stringify(databaseName)}; expected a MySQL database name: `
          + '1-64 lowercase letters, digits and underscores, starting with a letter, not information_schema, mysql, performance_schema, sys');
      });

    test.each([['Orders'], ['1-orders'], ['orders--db'], ['orders-'], ['orders_db'], ['o'.repeat(64)], ['']])(
      'the identifier is %j', (identifier) => {
        // GIVEN
        const env = devEnvironment();
        // THEN
        expect(() => mysql(env, { identifier })).toThrow(
          `dev/OrdersDb: identifier: got ${JSON.stringify(identifier)}; expected an RDS identifier: 1-63 lowercase letters, `
          + 'digits and hyphens, starting with a letter, no "--", not ending with "-"');
      });

    test('the identifier is used by another database of the environment', () => {
      // GIVEN
      const env = devEnvironment();
      const vpc = network(env);
      new Mysql(env, 'OrdersDb', { network: vpc, identifier: 'orders' });
      // THEN
      expect(() => new Mysql(env, 'BillingDb', { network: vpc, identifier: 'orders' }))
        .toThrow('dev/BillingDb: identifier: got "orders"; expected an identifier not used by dev/OrdersDb of the same environment');
    });

    test('the identifier is used by a Postgres of the environment, or a Postgres takes one a Mysql uses', () => {
      // GIVEN
      const env = devEnvironment();
      const vpc = network(env);
      new Postgres(env, 'OrdersDb', { network: vpc, identifier: 'orders' });
      new Mysql(env, 'BillingDb', { network: vpc, identifier: 'billing' });
      // THEN
      expect(() => new Mysql(env, 'LegacyDb', { network: vpc, identifier: 'orders' }))
        .toThrow('dev/LegacyDb: identifier: got "orders"; expected an identifier not used by dev/OrdersDb of the same environment');
      expect(() => new Postgres(env, 'ReportsDb', { network: vpc, identifier: 'billing' }))
        .toThrow('dev/ReportsDb: identifier: got "billing"; expected an identifier not used by dev/BillingDb of the same environment');
    });

    test('the same identifier in another environment is fine', () => {
      // GIVEN
      const platform = testPlatform();
      const dev = devEnvironment(platform);
      const staging = devEnvironment(platform, 'staging');
      new Mysql(dev, 'OrdersDb', { network: network(dev), identifier: 'orders' });
      // THEN
      expect(() => new Mysql(staging, 'OrdersDb', { network: network(staging), identifier: 'orders' })).not.toThrow();
    });

    test.each([['rdsadmin'], ['rdsrepladmin'], ['Admin'], ['1admin'], ['orders-admin'], ['a'.repeat(17)], ['']])(
      'the master username is %j', (masterUsername) => {
        // GIVEN
        const env = devEnvironment();
        // THEN
        expect(() => mysql(env, { masterUsername })).toThrow(
          `dev/OrdersDb: masterUsername: got ${JSON.stringify(masterUsername)}; expected a MySQL master user name: `
          + '1-16 lowercase letters, digits and underscores, starting with a letter, not rdsadmin, rdsrepladmin');
      });

    test.each([['8.4'], ['8.0.43'], ['8.4.7.1'], ['9.1.0'], ['latest']])('the engine version is %j', (engineVersion) => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => mysql(env, { engineVersion }))
        .toThrow(`dev/OrdersDb: engineVersion: got ${JSON.stringify(engineVersion)}; expected a MySQL 8.4 minor version such as "8.4.7"`);
    });

    test.each([[0], [36], [7.5]])('the backup retention is %j days', (backupRetentionDays) => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => mysql(env, { backupRetentionDays }))
        .toThrow(`dev/OrdersDb: backupRetentionDays: got ${backupRetentionDays}; expected an integer from 1 to 35`);
    });

    test('preventDestroy is on while deletion protection is off', () => {
      // GIVEN
      const env = prodEnvironment();
      // THEN
      expect(() => mysql(env, { deletionProtection: false })).toThrow(
        'prod/OrdersDb: deletionProtection: got false; expected true while preventDestroy is true (set preventDestroy: false too, or keep deletion protection)');
    });

    test('the network has fewer than two isolated subnets', () => {
      // GIVEN
      const env = devEnvironment();
      const single = Network.fromAttributes(env, 'Single', {
        vpcId: 'vpc-0123456789abcdef0',
        vpcCidr: '10.30.0.0/16',
        availabilityZones: ['eu-central-1a'],
        privateSubnetIds: ['subnet-0b000000000000001'],
        isolatedSubnetIds: ['subnet-0c000000000000001'],
      });
      // THEN
      expect(() => new Mysql(env, 'OrdersDb', { network: single })).toThrow(
        'dev/OrdersDb: network: got "dev/Single"; expected a network with at least 2 isolated subnets in different availability zones '
        + '(RDS subnet groups need two); it has 1');
    });

    test('the network is missing', () => {
      // GIVEN
      const env = devEnvironment();
      // THEN
      expect(() => new Mysql(env, 'OrdersDb', {} as any)).toThrow(
        'dev/OrdersDb: network: got undefined; expected an INetwork (new Network(...), Network.of(...) or Network.fromAttributes(...))');
    });

    test.each([['orders-app'], ['1app'], ['a'.repeat(33)], ['']])('grantConnect is given the database user %j', (dbUser) => {
      // GIVEN
      const env = devEnvironment();
      const db = mysql(env);
      const id = identity(env);
      // THEN
      expect(() => db.grantConnect(id, dbUser)).toThrow(
        `dev/OrdersDb: dbUser: got ${JSON.stringify(dbUser)}; expected a MySQL user name: 1-32 letters, digits and underscores, not starting with a digit`);
    });

    test('grant target is not a workload identity', () => {
      // GIVEN
      const env = devEnvironment();
      const db = mysql(env);
      // THEN
      expect(() => db.grantConnect({ roleArn: 'arn:aws:iam::123456789012:role/x' } as any, 'orders')).toThrow(
        'dev/OrdersDb: grantee: got {"roleArn":"arn:aws:iam::123456789012:role/x"}; expected an IGrantable to grant to (a WorkloadIdentity, cluster.nodeIdentity or Grantee.fromRoleArn(...))');
    });

    test('grant target belongs to another environment', () => {
      // GIVEN
      const platform = testPlatform();
      const db = mysql(devEnvironment(platform));
      const prodIdentity = identity(prodEnvironment(platform));
      // THEN
      expect(() => db.grantConnect(prodIdentity, 'orders')).toThrow(
        'dev/OrdersDb: grantee: got "construct prod/Identity"; expected a grantee of environment "dev", not of "prod"');
    });

    test('tokens are accepted where references are allowed', () => {
      // GIVEN
      const env = devEnvironment();
      const sg = Token.asString({ Ref: 'sg' });
      // THEN
      expect(() => mysql(env, { allowFrom: [sg] }).grantConnect(identity(env), Token.asString({ Ref: 'user' }))).not.toThrow();
    });
  });
});

describe('Mysql.fromAttributes', () => {
  const ATTRS = {
    identifier: 'legacy-catalog',
    resourceId: 'db-ABCDEFGHIJKLMNOPQRSTUVWXYZ',
    host: 'legacy-catalog.abc123.eu-central-1.rds.amazonaws.com',
    databaseName: 'catalog',
    username: 'admin',
    masterUserSecretKeyArn: 'arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  };

  test('imports an instance with MySQL\'s port and user rules', () => {
    // GIVEN
    const env = devEnvironment();
    const cluster = Cluster.fromAttributes(env, 'Cluster', { clusterName: 'dev-main', nodeSecurityGroupId: 'sg-0123456789abcdef0' });
    const grantee = new WorkloadIdentity(env, 'CatalogIdentity', { cluster, namespace: 'shop', serviceAccount: 'catalog' });
    // WHEN
    const db = Mysql.fromAttributes(env, 'Legacy', ATTRS);
    // THEN
    expect(db.engine).toBe('mysql');
    expect(db.port).toBe(3306);
    expect(db.masterUserSecretKeyArn).toBe(ATTRS.masterUserSecretKeyArn);
    expect(() => db.grantConnect(grantee, 'u'.repeat(33)))
      .toThrow(`dev/Legacy: dbUser: got "${'u'.repeat(33)}"; expected a MySQL user name: 1-32 letters, digits and underscores, not starting with a digit`);
    expect(db.grantConnect(grantee, 'catalog_app').resources)
      .toEqual(['arn:aws:rds-db:eu-central-1:123456789012:dbuser:db-ABCDEFGHIJKLMNOPQRSTUVWXYZ/catalog_app']);
  });

  test('fails when the user name is not one MySQL accepts', () => {
    expect(() => Mysql.fromAttributes(devEnvironment(), 'Legacy', { ...ATTRS, username: 'a'.repeat(33) }))
      .toThrow('dev/Legacy: username: got "' + 'a'.repeat(33) + '"; expected a MySQL user name');
  });
});
