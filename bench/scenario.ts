/* eslint-disable @typescript-eslint/no-require-imports -- each variant loads only its own libraries, outside the timed part */
/**
 * One benchmark run, in its own process: `scenario.ts <paved|full|raw> <workloads>`.
 *
 * - `paved`: N golden-path workloads (web app with its own Postgres) of one
 *   tenant in a PROD environment whose cluster is imported;
 * - `full`: the whole product: the same workloads over up to 10 tenants, each
 *   scraped, with two SLOs (recording rules, burn-rate alerts) on top of the
 *   monitoring every workload gets, on a cluster paved creates, delivered by GitOps (a bootstrap
 *   stack, the Argo CD applications) and described by a Portal (catalog,
 *   platform page, cost estimate);
 * - `raw`: the resources of `paved` written as raw cdktf/cdk8s L1 code.
 *
 * Prints one JSON line: seconds (construction + synth, wall clock), cpuSeconds
 * (the same span in CPU time: steadier on a shared machine), peak RSS,
 * counts; for paved also the part of the synth spent publishing into the
 * empty output folder, and publishing the same output again (a pipeline's
 * next run: every file compared, none rewritten), which is not part of
 * `seconds`. `PAVED_LIB` names another build of paved to load (the sources
 * of another revision, for before/after comparisons: bench/tools/compare.sh).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const [variant, countText] = process.argv.slice(2);
const count = Number(countText);
const PAVED_LIB = process.env.PAVED_LIB ?? path.join(__dirname, '..', 'lib');
if (!['paved', 'full', 'raw'].includes(variant) || !(count > 0)) {
  throw new Error(`usage: scenario.ts <paved|full|raw> <workloads>; got ${process.argv.slice(2).join(' ')}`);
}
/** `BENCH_OUTDIR` keeps the output there (bench/tools/golden.sh compares outputs); by default a scratch folder, removed. */
const outdir = process.env.BENCH_OUTDIR ?? fs.mkdtempSync(path.join(os.tmpdir(), `paved-bench-${variant}-`));

function countOutputs(tfDir: string, k8sFiles: string[]): { resources: number; manifests: number; objects: number } {
  let resources = 0;
  for (const stack of fs.readdirSync(path.join(tfDir, 'stacks'))) {
    const json = JSON.parse(fs.readFileSync(path.join(tfDir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
    for (const instances of Object.values<any>(json.resource ?? {})) { resources += Object.keys(instances).length; }
  }
  const objects = k8sFiles.reduce((n, f) => n + fs.readFileSync(f, 'utf8').split(/^---$/m).filter(d => d.trim()).length, 0);
  return { resources, manifests: k8sFiles.length, objects };
}

interface Counts { resources: number; manifests: number; objects: number; files?: number; publishSeconds?: number; republishSeconds?: number }

/** The second synth, timed apart: not part of the measured construction + synth. */
let again: (() => number) | undefined;

function paved(): Counts {
  const { Cluster, Environment, Network, NetworkPolicyEnforcement, Platform, Profile, Resource, Size, TerraformState, Workload } = require(PAVED_LIB);
  const platform = new Platform({ outdir });
  const env = new Environment(platform, 'prod', { account: '123456789012', region: 'eu-central-1', profile: Profile.PROD, state: TerraformState.local() });
  new Network(env, 'Network', { cidr: '10.20.0.0/16' });
  Cluster.fromAttributes(env, 'Cluster', {
    clusterName: 'prod-main', nodeSecurityGroupId: 'sg-0123456789abcdef0', networkPolicyEnforcement: NetworkPolicyEnforcement.vpcCni(),
  });
  for (let i = 0; i < count; i++) {
    new Workload(env, `app${i}`, {
      tenant: 'shop',
      image: `ghcr.io/acme/app${i}:1.0.0`,
      port: 8080,
      host: `app${i}.acme.io`,
      size: Size.M,
      resources: { db: Resource.postgres() },
      env: { DATABASE_URL: 'postgres://${resources.db.username}:${resources.db.password}@${resources.db.host}:${resources.db.port}/${resources.db.database}' },
    });
  }
  const result = platform.synth();
  again = () => platform.synth().publishSeconds;
  return { ...countOutputs(path.join(outdir, 'cdktf.out'), result.manifests.map((m: string) => path.join(outdir, m))), publishSeconds: result.publishSeconds };
}

/** The whole product: GitOps, a Portal, monitoring per workload, workloads over up to 10 tenants. */
function full(): Counts {
  const {
    Cluster, Environment, GitOps, MonitoringStack, Network, Platform, PlatformMonitoring, Portal, Profile, Resource, Size, Slo, SloConvention,
    TerraformState, Workload,
  } = require(PAVED_LIB);
  const platform = new Platform({ outdir });
  const env = new Environment(platform, 'prod', { account: '123456789012', region: 'eu-central-1', profile: Profile.PROD, state: TerraformState.local() });
  new Network(env, 'Network', { cidr: '10.20.0.0/16' });
  // Before the cluster, tenants and workloads: they take the environment's monitoring stack.
  new PlatformMonitoring(env, 'Monitoring', { stack: new MonitoringStack({ requestConvention: SloConvention.openTelemetryHttp() }) });
  new Cluster(env, 'Cluster', { adminRoleArns: ['arn:aws:iam::123456789012:role/platform-admin'] });
  new GitOps(platform, 'GitOps', { repoUrl: 'https://github.com/acme/platform.git' });
  const tenants = Math.min(10, count);
  for (let i = 0; i < count; i++) {
    const name = `app${i}`;
    new Workload(env, name, {
      tenant: `team${i % tenants}`,
      image: `ghcr.io/acme/${name}:1.0.0`,
      port: 8080,
      host: `${name}.acme.io`,
      size: Size.M,
      resources: { db: Resource.postgres() },
      env: { DATABASE_URL: 'postgres://${resources.db.username}:${resources.db.password}@${resources.db.host}:${resources.db.port}/${resources.db.database}' },
      metrics: { port: 8080 },
      slos: [Slo.availability({ name: 'availability', objective: 99.9 }), Slo.latency({ name: 'latency', objective: 99, thresholdSeconds: 0.5 })],
    });
  }
  new Portal(platform, 'Portal', { title: 'bench platform' });
  const result = platform.synth();
  again = () => platform.synth().publishSeconds;
  return {
    ...countOutputs(path.join(outdir, 'cdktf.out'), result.manifests.map((m: string) => path.join(outdir, m))),
    files: result.files.length,
    publishSeconds: result.publishSeconds,
  };
}

function rawModules(): any {
  return {
    App: require('cdktf').App,
    TerraformStack: require('cdktf').TerraformStack,
    LocalBackend: require('cdktf').LocalBackend,
    Fn: require('cdktf').Fn,
    cdk8s: require('cdk8s'),
    k8s: require('cdk8s-plus-28/lib/imports/k8s'),
    AwsProvider: require('@cdktf/provider-aws/lib/provider').AwsProvider,
    Vpc: require('@cdktf/provider-aws/lib/vpc').Vpc,
    Subnet: require('@cdktf/provider-aws/lib/subnet').Subnet,
    DbInstance: require('@cdktf/provider-aws/lib/db-instance').DbInstance,
    DbParameterGroup: require('@cdktf/provider-aws/lib/db-parameter-group').DbParameterGroup,
    DbSubnetGroup: require('@cdktf/provider-aws/lib/db-subnet-group').DbSubnetGroup,
    SecurityGroup: require('@cdktf/provider-aws/lib/security-group').SecurityGroup,
    VpcSecurityGroupIngressRule: require('@cdktf/provider-aws/lib/vpc-security-group-ingress-rule').VpcSecurityGroupIngressRule,
    KmsKey: require('@cdktf/provider-aws/lib/kms-key').KmsKey,
    KmsAlias: require('@cdktf/provider-aws/lib/kms-alias').KmsAlias,
    IamRole: require('@cdktf/provider-aws/lib/iam-role').IamRole,
    IamRolePolicy: require('@cdktf/provider-aws/lib/iam-role-policy').IamRolePolicy,
    IamRolePolicyAttachment: require('@cdktf/provider-aws/lib/iam-role-policy-attachment').IamRolePolicyAttachment,
    SecretsmanagerSecret: require('@cdktf/provider-aws/lib/secretsmanager-secret').SecretsmanagerSecret,
    SecretsmanagerSecretVersion: require('@cdktf/provider-aws/lib/secretsmanager-secret-version').SecretsmanagerSecretVersion,
    EksPodIdentityAssociation: require('@cdktf/provider-aws/lib/eks-pod-identity-association').EksPodIdentityAssociation,
    CloudwatchMetricAlarm: require('@cdktf/provider-aws/lib/cloudwatch-metric-alarm').CloudwatchMetricAlarm,
    CloudwatchLogGroup: require('@cdktf/provider-aws/lib/cloudwatch-log-group').CloudwatchLogGroup,
    SnsTopic: require('@cdktf/provider-aws/lib/sns-topic').SnsTopic,
    SnsTopicPolicy: require('@cdktf/provider-aws/lib/sns-topic-policy').SnsTopicPolicy,
    InternetGateway: require('@cdktf/provider-aws/lib/internet-gateway').InternetGateway,
    Eip: require('@cdktf/provider-aws/lib/eip').Eip,
    NatGateway: require('@cdktf/provider-aws/lib/nat-gateway').NatGateway,
    RouteTable: require('@cdktf/provider-aws/lib/route-table').RouteTable,
    RouteTableAssociation: require('@cdktf/provider-aws/lib/route-table-association').RouteTableAssociation,
    Route: require('@cdktf/provider-aws/lib/route').Route,
    FlowLog: require('@cdktf/provider-aws/lib/flow-log').FlowLog,
    DefaultSecurityGroup: require('@cdktf/provider-aws/lib/default-security-group').DefaultSecurityGroup,
    VpcEndpoint: require('@cdktf/provider-aws/lib/vpc-endpoint').VpcEndpoint,
    /**
     * The manifests paved writes beyond the app's own (monitoring, database users, tenant and admin namespaces), as a
     * team keeps them: templates (paved's output for workload app0 of tenant shop, `{{name}}` for the workload's name).
     */
    manifests: JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'raw-manifests.json'), 'utf8')),
  };
}

/**
 * The same resources written directly with cdktf and cdk8s L1 classes, as a team without paved would: the
 * network, the alarm topics, the tenant's secret-access roles, per workload the database with its alarms and
 * secrets, the Kubernetes objects of the app, its monitoring and its database user, so that the counts of
 * Terraform resources and Kubernetes objects equal paved's (the bench prints both).
 */
function raw(): { resources: number; manifests: number; objects: number } {
  const {
    App, TerraformStack, LocalBackend, Fn, cdk8s, k8s, AwsProvider, Vpc, Subnet, DbInstance, DbParameterGroup, DbSubnetGroup, SecurityGroup,
    VpcSecurityGroupIngressRule, KmsKey, KmsAlias, IamRole, IamRolePolicy, IamRolePolicyAttachment, SecretsmanagerSecret, SecretsmanagerSecretVersion,
    EksPodIdentityAssociation, CloudwatchMetricAlarm, CloudwatchLogGroup, SnsTopic, SnsTopicPolicy, InternetGateway, Eip, NatGateway, RouteTable,
    RouteTableAssociation, Route, FlowLog, DefaultSecurityGroup, VpcEndpoint, manifests,
  } = rawModules();
  const app = new App({ outdir: path.join(outdir, 'cdktf.out') });
  const stack = new TerraformStack(app, 'prod');
  new LocalBackend(stack, { path: 'terraform.prod.tfstate' });
  new AwsProvider(stack, 'aws', { region: 'eu-central-1', allowedAccountIds: ['123456789012'] });
  const account = '123456789012';
  const policy = (statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
  const trust = (service: string) => policy([{ Effect: 'Allow', Principal: { Service: service }, Action: ['sts:AssumeRole', 'sts:TagSession'] }]);
  const keyPolicy = (service: string) => policy([
    { Sid: 'AccountAdministers', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' },
    { Sid: 'Service', Effect: 'Allow', Principal: { Service: service }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*', Condition: { StringEquals: { 'aws:SourceAccount': account } } },
  ]);
  const key = (id: string, alias: string, service: string) => {
    const k = new KmsKey(stack, id, {
      enableKeyRotation: true, deletionWindowInDays: 30, description: alias, policy: keyPolicy(service), lifecycle: { preventDestroy: true },
    });
    new KmsAlias(stack, `${id}-alias`, { name: `alias/${alias}`, targetKeyId: k.keyId });
    return k;
  };
  const topic = (id: string, name: string) => {
    const t = new SnsTopic(stack, id, { name, displayName: name, kmsMasterKeyId: key(`${id}-key`, `paved/prod/sns/${name}`, 'cloudwatch.amazonaws.com').arn });
    const arn = `arn:aws:sns:eu-central-1:${account}:${name}`;
    new SnsTopicPolicy(stack, `${id}-policy`, {
      arn: t.arn,
      policy: policy([
        { Sid: 'AccountManagesTheTopic', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: ['sns:GetTopicAttributes', 'sns:SetTopicAttributes', 'sns:Subscribe', 'sns:Publish'], Resource: arn },
        { Sid: 'CloudWatchAlarms', Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: arn, Condition: { StringEquals: { 'aws:SourceAccount': account } } },
        { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 'sns:*', Resource: arn, Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
      ]),
    });
    return arn;
  };
  const alarm = (id: string, topicArn: string, props: object) => new CloudwatchMetricAlarm(stack, id, {
    actionsEnabled: true, alarmActions: [topicArn], okActions: [topicArn], evaluationPeriods: 3, period: 300, treatMissingData: 'notBreaching', ...props,
  });

  // The network: public, private and isolated subnets in 3 zones, NAT per zone, flow logs, an S3 endpoint.
  const vpc = new Vpc(stack, 'vpc', { cidrBlock: '10.20.0.0/16', enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: 'prod-network' } });
  new DefaultSecurityGroup(stack, 'default-sg', { vpcId: vpc.id, ingress: [], egress: [] });
  const igw = new InternetGateway(stack, 'igw', { vpcId: vpc.id });
  const platformTopic = topic('platform-alarms', 'paved-prod-platform-alarms');
  const zone = (i: number) => `eu-central-1${'abc'[i]}`;
  const publicTable = new RouteTable(stack, 'public-rt', { vpcId: vpc.id });
  new Route(stack, 'public-route', { routeTableId: publicTable.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.id });
  const isolatedTable = new RouteTable(stack, 'isolated-rt', { vpcId: vpc.id });
  const subnets: any[] = [];
  const routeTables = [isolatedTable];
  for (const i of [0, 1, 2]) {
    const pub = new Subnet(stack, `public${i}`, { vpcId: vpc.id, cidrBlock: `10.20.${i * 16}.0/20`, availabilityZone: zone(i), tags: { 'kubernetes.io/role/elb': '1' } });
    new RouteTableAssociation(stack, `public${i}-rta`, { routeTableId: publicTable.id, subnetId: pub.id });
    const eip = new Eip(stack, `nat${i}-eip`, { domain: 'vpc' });
    const nat = new NatGateway(stack, `nat${i}`, { allocationId: eip.allocationId, subnetId: pub.id, dependsOn: [igw] });
    alarm(`nat${i}-packets-dropped`, platformTopic, { alarmName: `prod-network-nat-${i + 1}-packets-dropped`, namespace: 'AWS/NATGateway', metricName: 'PacketsDropCount', statistic: 'Sum', comparisonOperator: 'GreaterThanThreshold', threshold: 0, dimensions: { NatGatewayId: nat.id } });
    alarm(`nat${i}-port-allocation`, platformTopic, { alarmName: `prod-network-nat-${i + 1}-port-allocation`, namespace: 'AWS/NATGateway', metricName: 'ErrorPortAllocation', statistic: 'Sum', comparisonOperator: 'GreaterThanThreshold', threshold: 0, dimensions: { NatGatewayId: nat.id } });
    const privateTable = new RouteTable(stack, `private${i}-rt`, { vpcId: vpc.id });
    routeTables.push(privateTable);
    new Route(stack, `private${i}-route`, { routeTableId: privateTable.id, destinationCidrBlock: '0.0.0.0/0', natGatewayId: nat.id });
    const priv = new Subnet(stack, `private${i}`, { vpcId: vpc.id, cidrBlock: `10.20.${128 + i * 32}.0/19`, availabilityZone: zone(i), tags: { 'kubernetes.io/role/internal-elb': '1' } });
    new RouteTableAssociation(stack, `private${i}-rta`, { routeTableId: privateTable.id, subnetId: priv.id });
    const isolated = new Subnet(stack, `isolated${i}`, { vpcId: vpc.id, cidrBlock: `10.20.${64 + i * 16}.0/20`, availabilityZone: zone(i) });
    new RouteTableAssociation(stack, `isolated${i}-rta`, { routeTableId: isolatedTable.id, subnetId: isolated.id });
    subnets.push(isolated);
  }
  new VpcEndpoint(stack, 's3-endpoint', { vpcId: vpc.id, serviceName: 'com.amazonaws.eu-central-1.s3', vpcEndpointType: 'Gateway', routeTableIds: routeTables.map(t => t.id) });
  const flowKey = key('flow-logs-key', 'paved/prod/network/flow-logs', 'logs.eu-central-1.amazonaws.com');
  const flowGroup = new CloudwatchLogGroup(stack, 'flow-logs', { name: '/paved/prod-network/vpc-flow-logs', retentionInDays: 365, kmsKeyId: flowKey.arn });
  const flowRole = new IamRole(stack, 'flow-logs-role', { name: 'prod-network-flow-logs', assumeRolePolicy: trust('vpc-flow-logs.amazonaws.com') });
  new IamRolePolicy(stack, 'flow-logs-policy', { role: flowRole.name, policy: policy([{ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], Resource: `arn:aws:logs:eu-central-1:${account}:log-group:/paved/prod-network/vpc-flow-logs:*` }]) });
  new FlowLog(stack, 'flow-log', { vpcId: vpc.id, trafficType: 'ALL', logDestinationType: 'cloud-watch-logs', logDestination: flowGroup.arn, iamRoleArn: flowRole.arn });
  const secretsKey = key('secrets-key', 'paved/prod/secrets', 'secretsmanager.amazonaws.com');

  // The tenant: its alarm topic, the roles External Secrets assumes for its secrets and for its database admin.
  const tenantTopic = topic('shop-alarms', 'paved-prod-shop-alarms');
  const esoTrust = policy([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:role/paved-prod-external-secrets` }, Action: ['sts:AssumeRole', 'sts:TagSession'] }]);
  const tenantRole = new IamRole(stack, 'shop-secrets', { name: 'prod-shop-secrets', assumeRolePolicy: esoTrust });
  new IamRolePolicy(stack, 'shop-secrets-policy', { role: tenantRole.name, name: 'read-tenant-secrets', policy: policy([{ Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: `arn:aws:secretsmanager:eu-central-1:${account}:secret:paved/prod/shop/*` }, { Effect: 'Allow', Action: 'kms:Decrypt', Resource: [secretsKey.arn] }]) });
  const adminRole = new IamRole(stack, 'shop-db-admin', { name: 'prod-shop-db-admin', assumeRolePolicy: esoTrust });
  const adminPolicy = new IamRolePolicy(stack, 'shop-db-admin-policy', { role: adminRole.name, name: 'administer-data-stores', policy: '' });
  const adminKeys: string[] = [secretsKey.arn];
  const adminDatabases: string[] = [];
  const adminSecrets: string[] = [];

  const k8sApp = new cdk8s.App({ outdir: path.join(outdir, 'k8s') });
  const fromTemplates = (chart: any, templates: object[], name?: string) => templates.forEach((template, index) => {
    const text = JSON.stringify(template);
    new cdk8s.ApiObject(chart, `object${index}`, JSON.parse(name === undefined ? text : text.replace(/\{\{name\}\}/g, name)));
  });
  fromTemplates(new cdk8s.Chart(k8sApp, 'paved-db-admin'), manifests.environment);
  fromTemplates(new cdk8s.Chart(k8sApp, 'tenant-shop'), manifests.tenant);

  for (let i = 0; i < count; i++) {
    const name = `app${i}`;
    const id = `prod-shop-${name}-db`;
    const dbKey = key(`${name}-key`, id, 'rds.amazonaws.com');
    const subnetGroup = new DbSubnetGroup(stack, `${name}-subnets`, { name: id, subnetIds: subnets.map(s => s.id) });
    const sg = new SecurityGroup(stack, `${name}-sg`, { name: `rds-${id}`, vpcId: vpc.id, description: 'postgres' });
    new VpcSecurityGroupIngressRule(stack, `${name}-ingress`, { securityGroupId: sg.id, referencedSecurityGroupId: 'sg-0123456789abcdef0', fromPort: 5432, toPort: 5432, ipProtocol: 'tcp', description: 'cluster' });
    const params = new DbParameterGroup(stack, `${name}-params`, { name: `${id}-postgres16`, family: 'postgres16', parameter: [{ name: 'rds.force_ssl', value: '1' }, { name: 'log_statement', value: 'ddl' }] });
    const monitoring = new IamRole(stack, `${name}-monitoring`, { name: `${id}-monitoring`, assumeRolePolicy: trust('monitoring.rds.amazonaws.com') });
    new IamRolePolicyAttachment(stack, `${name}-monitoring-policy`, { role: monitoring.name, policyArn: 'arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole' });
    const db = new DbInstance(stack, `${name}-db`, {
      identifier: id,
      engine: 'postgres',
      engineVersion: '16.11',
      instanceClass: 'db.t4g.medium',
      allocatedStorage: 50,
      maxAllocatedStorage: 200,
      dbName: `${name}_db`,
      username: 'paved_admin',
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: dbKey.arn,
      storageEncrypted: true,
      kmsKeyId: dbKey.arn,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [sg.id],
      parameterGroupName: params.name,
      multiAz: true,
      backupRetentionPeriod: 30,
      deletionProtection: true,
      iamDatabaseAuthenticationEnabled: true,
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: dbKey.arn,
      monitoringInterval: 60,
      monitoringRoleArn: monitoring.arn,
      enabledCloudwatchLogsExports: ['postgresql', 'upgrade'],
      copyTagsToSnapshot: true,
      autoMinorVersionUpgrade: true,
      finalSnapshotIdentifier: `${id}-final`,
      lifecycle: { preventDestroy: true },
    });
    for (const [metric, metricName, statistic, comparisonOperator, threshold] of [
      ['connections', 'DatabaseConnections', 'Maximum', 'GreaterThanThreshold', 360],
      ['cpu', 'CPUUtilization', 'Average', 'GreaterThanThreshold', 80],
      ['cpu-credits', 'CPUCreditBalance', 'Minimum', 'LessThanThreshold', 58],
      ['free-storage', 'FreeStorageSpace', 'Minimum', 'LessThanThreshold', 5368709120],
    ]) {
      alarm(`${name}-${metric}`, tenantTopic, { alarmName: `${id}-${metric}`, alarmDescription: `RDS instance ${id}: ${metric}`, namespace: 'AWS/RDS', metricName, statistic, comparisonOperator, threshold, dimensions: { DBInstanceIdentifier: id }, dependsOn: [db] });
    }
    const secret = new SecretsmanagerSecret(stack, `${name}-secret`, { name: `paved/prod/shop/${name}/db`, kmsKeyId: secretsKey.arn, recoveryWindowInDays: 30 });
    new SecretsmanagerSecret(stack, `${name}-credentials`, { name: `paved/prod/shop/${name}/db/credentials`, kmsKeyId: secretsKey.arn, recoveryWindowInDays: 30, tags: { 'managed-by': 'external-secrets' } });
    adminKeys.push(dbKey.arn);
    adminDatabases.push(`arn:aws:rds:eu-central-1:${account}:db:${id}`);
    adminSecrets.push(`arn:aws:secretsmanager:eu-central-1:${account}:secret:paved/prod/shop/${name}/db-??????`);
    new SecretsmanagerSecretVersion(stack, `${name}-secret-version`, { secretId: secret.id, secretString: Fn.jsonencode({ host: db.address, port: '5432', name: `${name}_db`, database: `${name}_db`, username: 'paved_admin' }) });
    const role = new IamRole(stack, `${name}-role`, { name: `prod-shop-${name}`, assumeRolePolicy: trust('pods.eks.amazonaws.com') });
    new EksPodIdentityAssociation(stack, `${name}-association`, { clusterName: 'prod-main', namespace: 'shop', serviceAccount: name, roleArn: role.arn });

    const chart = new cdk8s.Chart(k8sApp, name, { namespace: 'shop' });
    const labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name };
    new k8s.KubeServiceAccount(chart, 'sa', { metadata: { name }, automountServiceAccountToken: false });
    new k8s.KubeDeployment(chart, 'deployment', {
      metadata: { name, labels },
      spec: {
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: name,
            securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name,
              image: `ghcr.io/acme/${name}:1.0.0`,
              ports: [{ containerPort: 8080, name: 'http' }],
              env: [
                { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: `${name}-db`, key: 'password' } } },
                { name: 'HOST', valueFrom: { secretKeyRef: { name: `${name}-db`, key: 'host' } } },
                { name: 'DATABASE_URL', value: `postgres://paved_admin:$(PASSWORD)@$(HOST):5432/${name}_db` },
              ],
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
              resources: {
                requests: { cpu: k8s.Quantity.fromString('250m'), memory: k8s.Quantity.fromString('256Mi') },
                limits: { cpu: k8s.Quantity.fromString('1000m'), memory: k8s.Quantity.fromString('512Mi') },
              },
              readinessProbe: { httpGet: { path: '/readyz', port: k8s.IntOrString.fromString('http') } },
              livenessProbe: { httpGet: { path: '/livez', port: k8s.IntOrString.fromString('http') } },
            }],
          },
        },
      },
    });
    new k8s.KubeService(chart, 'service', { metadata: { name, labels }, spec: { selector: labels, ports: [{ port: 80, targetPort: k8s.IntOrString.fromString('http') }] } });
    new k8s.KubeIngress(chart, 'ingress', { metadata: { name }, spec: { ingressClassName: 'nginx', tls: [{ hosts: [`${name}.acme.io`], secretName: `${name}-tls` }], rules: [{ host: `${name}.acme.io`, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name, port: { number: 80 } } } }] } }] } });
    new k8s.KubeHorizontalPodAutoscalerV2(chart, 'hpa', { metadata: { name }, spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name }, minReplicas: 2, maxReplicas: 6, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }] } });
    new k8s.KubePodDisruptionBudget(chart, 'pdb', { metadata: { name }, spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: labels } } });
    new k8s.KubeNetworkPolicy(chart, 'netpol', { metadata: { name }, spec: { podSelector: { matchLabels: labels }, policyTypes: ['Ingress', 'Egress'], egress: [{ ports: [{ port: k8s.IntOrString.fromNumber(53), protocol: 'UDP' }] }] } });
    fromTemplates(chart, manifests.workload, name);
    fromTemplates(new cdk8s.Chart(k8sApp, `user-shop-${name}-db`), manifests.databaseUser, name);
    new cdk8s.ApiObject(chart, 'external-secret', { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: `${name}-db` }, spec: { secretStoreRef: { kind: 'SecretStore', name: 'paved' }, target: { name: `${name}-db` }, data: ['host', 'port'].map(k => ({ secretKey: k, remoteRef: { key: `paved/prod/shop/${name}/db`, property: k } })) } });
  }
  adminPolicy.policy = policy([
    { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: `arn:aws:secretsmanager:eu-central-1:${account}:secret:rds!db-*`, Condition: { StringEquals: { 'secretsmanager:ResourceTag/aws:rds:primaryDBInstanceArn': adminDatabases } } },
    { Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: adminSecrets },
    { Effect: 'Allow', Action: 'kms:Decrypt', Resource: adminKeys },
  ]);
  app.synth();
  k8sApp.synth();
  const k8sFiles = fs.readdirSync(path.join(outdir, 'k8s')).map(f => path.join(outdir, 'k8s', f));
  return countOutputs(path.join(outdir, 'cdktf.out'), k8sFiles);
}

// Load the libraries before timing: both variants pay their import cost outside the measurement.
if (variant === 'raw') { rawModules(); } else { require(PAVED_LIB); }
const started = process.hrtime.bigint();
const cpuStarted = process.cpuUsage();
const counts: Counts = variant === 'paved' ? paved() : variant === 'full' ? full() : raw();
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const cpu = process.cpuUsage(cpuStarted);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const rssMB = Math.round(process.resourceUsage().maxRSS / 1024);
if (again) { counts.republishSeconds = again(); }
if (process.env.BENCH_OUTDIR === undefined) { fs.rmSync(outdir, { recursive: true, force: true }); }
console.log(JSON.stringify({ seconds, cpuSeconds, rssMB, ...counts }));
