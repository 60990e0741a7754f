/* eslint-disable @typescript-eslint/no-require-imports -- each variant loads only its own libraries, outside the timed part */
/**
 * One benchmark run, in its own process: `scenario.ts <paved|full|raw> <workloads>`.
 *
 * - `paved`: N golden-path workloads (web app with its own Postgres) of one
 *   tenant in a PROD environment whose cluster is imported;
 * - `full`: the whole product: the same workloads over up to 10 tenants, each
 *   with its WorkloadMonitoring (ServiceMonitor, SLO and golden-signal rules,
 *   dashboard), on a cluster paved creates, delivered by GitOps (a bootstrap
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
    Cluster, Environment, GitOps, MonitoringStack, Network, Platform, Portal, Profile, Resource, Size, Slo, SloConvention, TerraformState,
    Workload, WorkloadKind, WorkloadMonitoring,
  } = require(PAVED_LIB);
  const platform = new Platform({ outdir });
  const env = new Environment(platform, 'prod', { account: '123456789012', region: 'eu-central-1', profile: Profile.PROD, state: TerraformState.local() });
  new Network(env, 'Network', { cidr: '10.20.0.0/16' });
  new Cluster(env, 'Cluster', { adminRoleArns: ['arn:aws:iam::123456789012:role/platform-admin'] });
  new GitOps(platform, 'GitOps', { repoUrl: 'https://github.com/acme/platform.git' });
  const tenants = Math.min(10, count);
  const stack = new MonitoringStack({ requestConvention: SloConvention.openTelemetryHttp() });
  for (let i = 0; i < count; i++) {
    const name = `app${i}`;
    const tenant = `team${i % tenants}`;
    new Workload(env, name, {
      tenant,
      image: `ghcr.io/acme/${name}:1.0.0`,
      port: 8080,
      host: `${name}.acme.io`,
      size: Size.M,
      resources: { db: Resource.postgres() },
      env: { DATABASE_URL: 'postgres://${resources.db.username}:${resources.db.password}@${resources.db.host}:${resources.db.port}/${resources.db.database}' },
    });
    new WorkloadMonitoring(env.chart(name, tenant), 'Monitoring', {
      workload: name,
      tenant,
      kind: WorkloadKind.WEB,
      selectorLabels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': name },
      metricsPort: 'http',
      profile: env.profile,
      minReplicas: 2,
      maxReplicas: 6,
      slos: [Slo.availability({ name: 'availability', objective: 99.9 }), Slo.latency({ name: 'latency', objective: 99, thresholdSeconds: 0.5 })],
      stack,
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
  };
}

/** The same resources written directly with cdktf and cdk8s L1 classes, as a team without paved would. */
function raw(): { resources: number; manifests: number; objects: number } {
  const {
    App, TerraformStack, LocalBackend, Fn, cdk8s, k8s, AwsProvider, Vpc, Subnet, DbInstance, DbParameterGroup, DbSubnetGroup, SecurityGroup,
    VpcSecurityGroupIngressRule, KmsKey, KmsAlias, IamRole, IamRolePolicy, IamRolePolicyAttachment, SecretsmanagerSecret, SecretsmanagerSecretVersion,
    EksPodIdentityAssociation,
  } = rawModules();
  const app = new App({ outdir: path.join(outdir, 'cdktf.out') });
  const stack = new TerraformStack(app, 'prod');
  new LocalBackend(stack, { path: 'terraform.prod.tfstate' });
  new AwsProvider(stack, 'aws', { region: 'eu-central-1', allowedAccountIds: ['123456789012'] });
  const vpc = new Vpc(stack, 'vpc', { cidrBlock: '10.20.0.0/16', enableDnsHostnames: true, enableDnsSupport: true });
  const subnets = [0, 1, 2].map(i => new Subnet(stack, `isolated${i}`, { vpcId: vpc.id, cidrBlock: `10.20.${64 + i * 16}.0/20`, availabilityZone: `eu-central-1${'abc'[i]}` }));
  const k8sApp = new cdk8s.App({ outdir: path.join(outdir, 'k8s') });
  const trust = (service: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: ['sts:AssumeRole', 'sts:TagSession'] }] });

  for (let i = 0; i < count; i++) {
    const name = `app${i}`;
    const id = `prod-shop-${name}-db`;
    const key = new KmsKey(stack, `${name}-key`, { enableKeyRotation: true, deletionWindowInDays: 30, description: id });
    new KmsAlias(stack, `${name}-alias`, { name: `alias/${id}`, targetKeyId: key.keyId });
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
      masterUserSecretKmsKeyId: key.arn,
      storageEncrypted: true,
      kmsKeyId: key.arn,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [sg.id],
      parameterGroupName: params.name,
      multiAz: true,
      backupRetentionPeriod: 30,
      deletionProtection: true,
      iamDatabaseAuthenticationEnabled: true,
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: key.arn,
      monitoringInterval: 60,
      monitoringRoleArn: monitoring.arn,
      enabledCloudwatchLogsExports: ['postgresql', 'upgrade'],
      copyTagsToSnapshot: true,
      autoMinorVersionUpgrade: true,
      finalSnapshotIdentifier: `${id}-final`,
      lifecycle: { preventDestroy: true },
    });
    const secret = new SecretsmanagerSecret(stack, `${name}-secret`, { name: `paved/prod/shop/${name}/db` });
    new SecretsmanagerSecretVersion(stack, `${name}-secret-version`, { secretId: secret.id, secretString: Fn.jsonencode({ host: db.address, port: '5432', name: `${name}_db`, database: `${name}_db`, username: 'paved_admin' }) });
    const role = new IamRole(stack, `${name}-role`, { name: `prod-shop-${name}`, assumeRolePolicy: trust('pods.eks.amazonaws.com') });
    new IamRolePolicy(stack, `${name}-role-policy`, { role: role.name, policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'rds-db:connect', Resource: `arn:aws:rds-db:eu-central-1:123456789012:dbuser:${db.resourceId}/paved_admin` }] }) });
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
    new cdk8s.ApiObject(chart, 'external-secret', { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: { name: `${name}-db` }, spec: { secretStoreRef: { kind: 'SecretStore', name: 'paved' }, target: { name: `${name}-db` }, data: ['host', 'port'].map(k => ({ secretKey: k, remoteRef: { key: `paved/prod/shop/${name}/db`, property: k } })) } });
  }
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
