import { ApiObject, Chart } from 'cdk8s';
import { TerraformElement, TerraformResource, TerraformStack, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import {
  ModelArgoCdApp, ModelCloudResource, ModelCluster, ModelContainer, ModelDashboard, ModelDependency, ModelEnvironment, ModelIdentity,
  ModelPort, ModelResource, ModelSecret, ModelTenant, ModelWorkload, PlatformModel,
} from './platform-model';
import { Cluster } from '../aws/cluster';
import { NodeGroup } from '../aws/node-group';
import { WorkloadIdentity } from '../aws/workload-identity';
import { Environment } from '../core/environment';
import { Naming } from '../core/naming';
import { Platform } from '../core/platform';
import { StackLayout } from '../core/stack-layout';
import { TenantStack } from '../core/tenant-stack';
import { ClusterBootstrap } from '../gitops/cluster-bootstrap';
import { Tenant } from '../k8s/tenant';
import { DashboardConfigMap } from '../ops/dashboard-config-map';
import { Provisioners } from '../workload/provisioners';
import { TenantSecretAccess } from '../workload/tenant-secret-access';
import { Workload } from '../workload/workload';

/*
 * Builds the PlatformModel from a platform's construct trees. It reads what
 * the lower layers produce (their lookups, their public properties, the
 * Kubernetes objects and Terraform resources they made) and never changes
 * them, so any construct that makes a workload's manifest or a resource's
 * Terraform shows up. Run it after validation: the GitOps construct makes
 * its Argo CD Applications then.
 */

/** Kubernetes kinds that run a workload's pods, with the workload kind they stand for. */
const POD_KINDS: { [kind: string]: string } = { Deployment: 'worker', StatefulSet: 'worker', CronJob: 'cron-job', Job: 'job' };
/** Construct classes of paved whose instances are resources of their own in the model, by the type the model gives them. */
const RESOURCE_CLASSES: [string, string][] = [
  ['Network', 'network'], ['Cluster', 'cluster'], ['Dns', 'dns-zone'], ['Certificate', 'certificate'],
  ['ContainerRegistry', 'container-registry'], ['Queue', 'queue'], ['Bucket', 's3'], ['Postgres', 'postgres'],
  ['Mysql', 'mysql'], ['Redis', 'redis'], ['Key', 'kms-key'],
];
/** Properties of paved constructs holding the ARNs grants name. */
const ARN_PROPERTIES = ['queueArn', 'bucketArn', 'repositoryArn', 'keyArn', 'instanceArn', 'clusterArn', 'arn'];
/** What the Terraform attributes of a resource are trimmed to: those a price or a diagram reads. */
const PRICED_ATTRIBUTES = [
  'instance_class', 'allocated_storage', 'storage_type', 'multi_az', 'engine', 'node_type', 'num_cache_clusters', 'num_node_groups',
  'replicas_per_node_group', 'instance_types', 'scaling_config', 'capacity_type', 'vpc_endpoint_type', 'customer_master_key_spec',
  'manage_master_user_password', 'connectivity_type', 'domain', 'name', 'identifier', 'replication_group_id', 'bucket', 'fifo_queue',
];

/**
 * The model of `platform` as declared so far.
 * @internal
 */
export function collectModel(platform: Platform): PlatformModel {
  const environments = platform.terraform.node.children.filter((c): c is Environment => c instanceof Environment);
  const charts = platform._charts();
  const applications = argoCdApplications(platform, charts);
  return {
    environments: environments.map(env => collectEnvironment(platform, env, charts, applications)),
    sizes: platform.sizes.all.map(size => ({
      name: size.name,
      databaseInstanceClass: size.database.instanceClass,
      databaseStorageGiB: size.database.storageGiB,
      cacheNodeType: size.cache.nodeType,
      cacheReplicas: size.cache.replicas,
      nodeInstanceTypes: [...size.nodeGroup.instanceTypes],
      nodeDesiredSize: size.nodeGroup.desiredSize,
      appMinReplicas: size.app.minReplicas,
      appMaxReplicas: size.app.maxReplicas,
      appCpuRequestMillis: size.app.cpuRequestMillis,
      appMemoryRequestMiB: size.app.memoryRequestMiB,
    })),
    resourceTypes: [...new Set([...Provisioners.types(platform), 'service'])].sort(),
    decisions: platform.decisions,
    warnings: platform.warnings,
  };
}

type ChartEntry = ReturnType<Platform['_charts']>[number];

/** An Argo CD Application of `argocd/<env>/<cluster>/...`, with the folder it syncs. */
interface ApplicationEntry {
  readonly env: string;
  readonly cluster: string;
  readonly app: ModelArgoCdApp;
  readonly path: string;
  readonly include?: string;
  readonly exclude?: string;
}

function argoCdApplications(platform: Platform, charts: ChartEntry[]): ApplicationEntry[] {
  const entries: ApplicationEntry[] = [];
  const argoCd = charts.filter(chart => chart.output === 'argocd' && chart.segments.length >= 3);
  const rendered = platform._render(argoCd.map(c => c.chart));
  for (const [i, c] of argoCd.entries()) {
    for (const o of rendered[i]) {
      if (o?.kind !== 'Application' || typeof o.apiVersion !== 'string' || !o.apiVersion.startsWith('argoproj.io/')) { continue; }
      for (const source of [o.spec?.source, ...(o.spec?.sources ?? [])].filter(s => typeof s?.path === 'string')) {
        entries.push({
          env: c.segments[0],
          cluster: c.segments[1],
          app: { name: o.metadata.name, cluster: c.segments[1], project: o.spec.project },
          path: source.path,
          include: source.directory?.include,
          exclude: source.directory?.exclude,
        });
      }
    }
  }
  return entries;
}

/** Whether an Argo CD directory glob (`name`, `{a,b}`, `*.yaml`) matches `file`. */
function globMatches(glob: string, file: string): boolean {
  const alternatives = glob.startsWith('{') && glob.endsWith('}') ? glob.slice(1, -1).split(',') : [glob];
  return alternatives.some(a => new RegExp(`^${a.split('*').map(p => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`).test(file));
}

/** The Applications that deliver `k8s/<env>/<tenant>/<file>` (any file of the folder when `file` is undefined). */
function applicationsOf(applications: ApplicationEntry[], env: string, tenant: string, file?: string): ModelArgoCdApp[] {
  const folder = `k8s/${env}/${tenant}`;
  return applications.filter(a => a.env === env && (a.path === folder || a.path.endsWith(`/${folder}`))
    && (file === undefined
      || ((a.include === undefined || globMatches(a.include, file)) && (a.exclude === undefined || !globMatches(a.exclude, file)))))
    .map(a => a.app);
}

function collectEnvironment(platform: Platform, env: Environment, charts: ChartEntry[], applications: ApplicationEntry[]): ModelEnvironment {
  const stacks = platform.terraform.node.children.filter((s): s is TerraformStack => TerraformStack.isStack(s)
    && (s === env || (s instanceof TenantStack && s.environment === env) || (s instanceof ClusterBootstrap && s.environment === env)));
  const resources: ModelResource[] = [];
  const claimed = new Set<IConstruct>();
  const claim = (resource: Omit<ModelResource, 'cloudResources'>, scopes: IConstruct[]): ModelResource => {
    const model = { ...resource, cloudResources: scopes.flatMap(scope => cloudResourcesBelow(scope, claimed)) };
    recordArns(model, scopes.flatMap(scope => scope.node.findAll()));
    resources.push(model);
    return model;
  };

  const workloads = Workload.allOf(env);
  const byKey = new Map<string, ModelResource>();
  // A workload's own and shared resources first, then what tenants and the foundation made by hand.
  for (const w of workloads) {
    for (const [name, request] of Object.entries(w.resources)) {
      if (request.type === 'service') { continue; }
      const scope = env.tenantScope(w.tenant);
      const shared = request.id !== undefined ? scope.node.tryFindChild('SharedResources')?.node.tryFindChild(`${request.type}-${request.id}`) : undefined;
      const key = shared ? `${env.name}/${w.tenant}/shared/${request.type}-${request.id}` : `${env.name}/${w.tenant}/${w.name}/${name}`;
      const existing = byKey.get(key);
      if (existing) {
        existing.usedBy.push(w.name);
        continue;
      }
      const own = shared ?? w.node.tryFindChild(name);
      const model = claim({
        key,
        name: shared ? `${request.type}-${request.id}` : name,
        type: request.type,
        tenant: w.tenant,
        usedBy: [w.name],
        id: request.id,
        size: (request.size ?? w.size).name,
        secretName: Naming.connectionSecret(env.name, w.tenant, shared ? 'shared' : w.name, shared ? `${request.type}-${request.id}` : name),
      }, own ? [own] : []);
      byKey.set(key, model);
    }
    claimed.add(w.identity);
  }
  const tenantNames = tenantsOf(env, charts);
  for (const stack of stacks) {
    const tenant = stack instanceof TenantStack ? stack.tenant : undefined;
    for (const child of stack.node.children) {
      const type = resourceType(child);
      if (type === undefined || claimed.has(child)) { continue; }
      const name = type === 'cluster' ? (child as Cluster).name : child.node.id;
      claim({ key: tenant ? `${env.name}/${tenant}/${child.node.id}` : `${env.name}/${name}`, name, type, tenant, usedBy: [] }, [child]);
    }
  }
  const otherCloudResources = stacks.flatMap(stack => cloudResourcesBelow(stack, claimed));

  const workloadModels = collectWorkloads(platform, env, charts, applications, resources, workloads);
  for (const r of resources.filter(res => res.tenant !== undefined)) {
    for (const w of workloadModels.filter(m => m.tenant === r.tenant && m.identity?.grantedResources.includes(r.key))) {
      if (!r.usedBy.includes(w.name)) { r.usedBy.push(w.name); }
    }
  }
  const accesses = new Map(TenantSecretAccess.allOf(env).map(a => [a.name, a]));
  const tenants: ModelTenant[] = tenantNames.map(name => {
    const access = accesses.get(name);
    const tenantWorkloads = workloadModels.filter(w => w.tenant === name);
    const dashboardCharts = charts.filter(c => c.output === 'k8s' && c.segments.length === 3 && c.segments[0] === env.name
      && c.segments[1] === name && !tenantWorkloads.some(w => w.manifest === c.file));
    return {
      name,
      owner: access?.owner ?? `group:default/${name}`,
      ownerDeclared: access?.ownerDeclared ?? false,
      stack: env.stackLayout === StackLayout.PER_TENANT ? `${env.name}-${name}` : env.name,
      clusters: access ? clusterNames(() => access.clusters) : Cluster.allOf(env).map(clusterName),
      workloads: tenantWorkloads,
      secretsRole: access ? access._role.name : undefined,
      argoCdApps: uniqueApps(applicationsOf(applications, env.name, name)),
      dashboards: dashboardCharts.flatMap(c => dashboardsIn(c.chart)),
    };
  });

  return {
    name: env.name,
    account: env.account,
    region: env.region,
    profile: env.profile.name,
    profileOverrides: env.profile.overrides.map(o => ({ ...o })),
    stackLayout: env.stackLayout,
    clusters: Cluster.allOf(env).map(collectCluster),
    tenants,
    resources,
    otherCloudResources,
  };
}

/**
 * Tenants: those declared (or made by a workload), then those with manifests only (a hand-made Tenant), in that order.
 * A folder of the environment without a Tenant (paved's own `paved-db-admin`, a platform team's namespace) is none.
 */
function tenantsOf(env: Environment, charts: ChartEntry[]): string[] {
  const names = TenantSecretAccess.allOf(env).map(a => a.name);
  const candidates = charts.filter(c => c.output === 'k8s' && c.segments.length === 3 && c.segments[0] === env.name && !names.includes(c.segments[1]));
  const withTenant = new Set(candidates.filter(c => c.chart.node.findAll().some(x => x instanceof Tenant)).map(c => c.segments[1]));
  for (const c of candidates) {
    if (withTenant.has(c.segments[1]) && !names.includes(c.segments[1]) && hasObjects(c.chart)) { names.push(c.segments[1]); }
  }
  return names;
}

function collectCluster(cluster: IConstruct): ModelCluster {
  if (!(cluster instanceof Cluster)) {
    return { name: clusterName(cluster), managed: false, nodeGroups: [] };
  }
  const groups = cluster.node.findAll().filter((c): c is NodeGroup => c instanceof NodeGroup);
  return {
    name: cluster.name,
    managed: true,
    version: cluster.version,
    nodeGroups: groups.map(g => ({
      name: g.node.id,
      instanceTypes: [...g.instanceTypes],
      minSize: g.minSize,
      maxSize: g.maxSize,
      desiredSize: g.desiredSize,
      capacityType: g.spot ? 'SPOT' : 'ON_DEMAND',
    })),
  };
}

function clusterName(cluster: IConstruct): string {
  const c = cluster as any;
  return typeof c.name === 'string' ? c.name : typeof c.clusterName === 'string' ? c.clusterName : cluster.node.id;
}

function clusterNames(clusters: () => IConstruct[]): string[] {
  try {
    return clusters().map(clusterName);
  } catch {
    // An environment with several clusters and a tenant placed on none: GitOps or the workload reports it.
    return [];
  }
}

/** The model's type of a construct made by hand, if it is a resource of its own. */
function resourceType(construct: IConstruct): string | undefined {
  for (let proto = Object.getPrototypeOf(construct); proto && proto !== Construct.prototype; proto = Object.getPrototypeOf(proto)) {
    const found = RESOURCE_CLASSES.find(([cls]) => proto.constructor?.name === cls);
    if (found) { return found[1]; }
  }
  return undefined;
}

/** The Terraform resources below `scope` not claimed yet; claims them. */
function cloudResourcesBelow(scope: IConstruct, claimed: Set<IConstruct>): ModelCloudResource[] {
  const found: ModelCloudResource[] = [];
  const visit = (c: IConstruct) => {
    if (claimed.has(c)) { return; }
    if (c instanceof TerraformResource) {
      claimed.add(c);
      found.push(cloudResource(c));
    }
    c.node.children.forEach(visit);
  };
  visit(scope);
  return found;
}

function cloudResource(resource: TerraformResource): ModelCloudResource {
  const type = resource.terraformResourceType;
  let config: any = {};
  try {
    config = Object.values<any>((resource as any).toTerraform().resource?.[type] ?? {})[0] ?? {};
  } catch {
    // A resource whose configuration cannot be rendered yet is described by its type alone.
  }
  const attributes: { [name: string]: any } = {};
  for (const name of PRICED_ATTRIBUTES) {
    const value = literal(config[name]);
    if (value !== undefined) { attributes[name] = value; }
  }
  // Node groups: the root volume of each node is in the launch template beside them.
  if (type === 'aws_eks_node_group') {
    const template = resource.node.scope?.node.children.find(c => c instanceof TerraformResource && c.terraformResourceType === 'aws_launch_template');
    if (template) {
      const mappings = literal(Object.values<any>((template as any).toTerraform().resource.aws_launch_template)[0]?.block_device_mappings);
      const size = Array.isArray(mappings) ? mappings[0]?.ebs?.volume_size : undefined;
      if (typeof size === 'number') { attributes.root_volume_gib = size; }
    }
  }
  return { terraformType: type, path: resource.node.path, stack: TerraformStack.of(resource).node.id, attributes };
}

/** `value` without any part known only after apply (tokens), or undefined when it is one. */
function literal(value: any): any {
  if (value === undefined || value === null) { return undefined; }
  if (typeof value === 'string') { return Token.isUnresolved(value) ? undefined : value; }
  if (typeof value === 'number') { return Token.isUnresolved(value) ? undefined : value; }
  if (typeof value === 'boolean') { return value; }
  if (Array.isArray(value)) {
    const items = value.map(literal).filter(v => v !== undefined);
    return items;
  }
  if (typeof value === 'object') {
    const result: { [key: string]: any } = {};
    for (const [k, v] of Object.entries(value)) {
      const l = literal(v);
      if (l !== undefined) { result[k] = l; }
    }
    return result;
  }
  return undefined;
}

function hasObjects(chart: Chart): boolean {
  return chart.node.findAll().some(c => c instanceof ApiObject);
}

function collectWorkloads(platform: Platform, env: Environment, charts: ChartEntry[], applications: ApplicationEntry[],
  resources: ModelResource[], workloads: Workload[]): ModelWorkload[] {
  const identities = env.node.findAll().concat(...platform.terraform.node.children
    .filter(s => s instanceof TenantStack && s.environment === env).map(s => s.node.findAll()))
    .filter((c): c is WorkloadIdentity => c instanceof WorkloadIdentity);
  const models: ModelWorkload[] = [];
  const workloadCharts = charts.filter(chart => chart.output === 'k8s' && chart.segments.length === 3 && chart.segments[0] === env.name);
  const rendered = platform._render(workloadCharts.map(c => c.chart));
  for (const [index, c] of workloadCharts.entries()) {
    const [, tenant, name] = c.segments;
    const objects = rendered[index];
    const podOwner = objects.find(o => POD_KINDS[o?.kind] !== undefined && typeof o.apiVersion === 'string' && !o.apiVersion.includes('.'));
    if (!podOwner) { continue; }
    const workload = workloads.find(w => w.tenant === tenant && w.name === name);
    const pod = podOwner.kind === 'CronJob' ? podOwner.spec?.jobTemplate?.spec?.template?.spec : podOwner.spec?.template?.spec;
    const service = objects.find(o => o?.kind === 'Service' && o.apiVersion === 'v1');
    const hpa = objects.find(o => o?.kind === 'HorizontalPodAutoscaler');
    const scaled = objects.find(o => o?.kind === 'ScaledObject');
    const containers: ModelContainer[] = (pod?.containers ?? []).map(containerModel);
    const serviceAccount = pod?.serviceAccountName ?? 'default';
    const identity = workload?.identity ?? identities.find(i => i.namespace === tenant && i.serviceAccount === serviceAccount);
    const inferredKind = service ? 'web' : POD_KINDS[podOwner.kind];
    const declaredKind = (workload as any)?.kind;
    const fixedReplicas = typeof podOwner.spec?.replicas === 'number' ? podOwner.spec.replicas : 1;
    const minReplicas = scaled?.spec?.minReplicaCount ?? hpa?.spec?.minReplicas ?? (podOwner.kind === 'CronJob' || podOwner.kind === 'Job' ? 1 : fixedReplicas);
    const ownResources = workload ? resources.filter(r => r.tenant === tenant && r.usedBy.includes(name)).map(r => r.key) : [];
    const identityModel = identity ? identityOf(identity, resources.filter(r => r.tenant === tenant || r.tenant === undefined)) : undefined;
    const allResources = [...new Set([...ownResources, ...(identityModel?.grantedResources ?? [])])];
    const file = `${name}.k8s.yaml`;
    models.push({
      name,
      tenant,
      environment: env.name,
      kind: typeof declaredKind === 'string' ? declaredKind : inferredKind,
      goldenPath: workload !== undefined,
      size: workload ? workload.size.name : inferSize(platform, containers[0]),
      containers,
      ports: servicePorts(service),
      hosts: hostsOf(objects),
      minReplicas,
      maxReplicas: scaled?.spec?.maxReplicaCount ?? hpa?.spec?.maxReplicas ?? minReplicas,
      schedule: podOwner.kind === 'CronJob' ? podOwner.spec?.schedule : undefined,
      selectorLabels: { ...(podOwner.spec?.selector?.matchLabels ?? podOwner.spec?.jobTemplate?.spec?.template?.metadata?.labels ?? {}) },
      manifest: c.file,
      clusters: workload ? workload.clusters.map(clusterName) : tenantClusters(env, tenant),
      identity: identityModel,
      resources: allResources,
      secrets: secretsOf(objects, pod, resources),
      dependsOn: workload ? dependenciesOf(workload, workloads) : [],
      argoCdApps: uniqueApps(applicationsOf(applications, env.name, tenant, file)),
      dashboards: dashboardsIn(c.chart),
      loadBalancers: loadBalancersOf(objects),
    });
  }
  return models;
}

function tenantClusters(env: Environment, tenant: string): string[] {
  const access = TenantSecretAccess.allOf(env).find(a => a.name === tenant);
  return access ? clusterNames(() => access.clusters) : Cluster.allOf(env).map(clusterName);
}

function containerModel(c: any): ModelContainer {
  return {
    name: c.name,
    image: c.image,
    cpuRequestMillis: cpuMillis(c.resources?.requests?.cpu),
    memoryRequestMiB: memoryMiB(c.resources?.requests?.memory),
    cpuLimitMillis: cpuMillis(c.resources?.limits?.cpu),
    memoryLimitMiB: memoryMiB(c.resources?.limits?.memory),
  };
}

/** Millicores of a Kubernetes CPU quantity (`250m`, `1`, `0.5`). */
export function cpuMillis(quantity: unknown): number | undefined {
  if (typeof quantity === 'number') { return quantity * 1000; }
  if (typeof quantity !== 'string') { return undefined; }
  const m = /^([0-9.]+)(m?)$/.exec(quantity);
  if (!m) { return undefined; }
  return m[2] === 'm' ? Number(m[1]) : Number(m[1]) * 1000;
}

/** MiB of a Kubernetes memory quantity (`256Mi`, `1Gi`, `512M`, bytes). */
export function memoryMiB(quantity: unknown): number | undefined {
  if (typeof quantity === 'number') { return quantity / 1048576; }
  if (typeof quantity !== 'string') { return undefined; }
  const m = /^([0-9.]+)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(quantity);
  if (!m) { return undefined; }
  const factors: { [unit: string]: number } = {
    'Ki': 1 / 1024, 'Mi': 1, 'Gi': 1024, 'Ti': 1048576, 'k': 1000 / 1048576, 'M': 1e6 / 1048576, 'G': 1e9 / 1048576, 'T': 1e12 / 1048576, '': 1 / 1048576,
  };
  return Number(m[1]) * factors[m[2] ?? ''];
}

/** The catalogue size whose requests a hand-made workload's main container has, if one matches exactly. */
function inferSize(platform: Platform, main: ModelContainer | undefined): string | undefined {
  if (!main) { return undefined; }
  return platform.sizes.all.find(s => s.app.cpuRequestMillis === main.cpuRequestMillis && s.app.memoryRequestMiB === main.memoryRequestMiB)?.name;
}

function servicePorts(service: any): ModelPort[] {
  if (service) {
    return (service.spec?.ports ?? []).map((p: any) => ({ name: p.name ?? String(p.port), port: p.port, protocol: p.protocol ?? 'TCP' }));
  }
  return [];
}

function hostsOf(objects: any[]): string[] {
  const hosts = new Set<string>();
  for (const o of objects) {
    if (o?.kind === 'Ingress') { (o.spec?.rules ?? []).forEach((r: any) => { if (r.host) { hosts.add(r.host); } }); }
    if (o?.kind === 'HTTPRoute') { (o.spec?.hostnames ?? []).forEach((h: string) => hosts.add(h)); }
  }
  return [...hosts].sort();
}

/** The load balancers the workload's Ingresses get from the AWS Load Balancer Controller: one per group, else one per Ingress. */
function loadBalancersOf(objects: any[]): string[] {
  return objects.filter(o => o?.kind === 'Ingress' && o.spec?.ingressClassName === 'alb').map(o => {
    const group = o.metadata?.annotations?.['alb.ingress.kubernetes.io/group.name'];
    return group ? `group:${group}` : `ingress:${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
  });
}

function identityOf(identity: WorkloadIdentity, candidates: ModelResource[]): ModelIdentity {
  const statements = identity.statements;
  const granted = new Set<string>();
  const actions = new Set<string>();
  for (const statement of statements) {
    (statement.actions ?? []).forEach(a => actions.add(a));
    for (const arn of statement.resources ?? []) {
      if (typeof arn !== 'string' || Token.isUnresolved(arn)) { continue; }
      for (const r of candidates) {
        if (arnsOfResource(r).some(known => arn === known || arn.startsWith(`${known}/`))) { granted.add(r.key); }
      }
    }
  }
  return {
    roleName: identity.roleName,
    namespace: identity.namespace,
    serviceAccount: identity.serviceAccount,
    grantedResources: [...granted].sort(),
    actions: [...actions].sort(),
  };
}

/** ARNs a grant may name for a resource made by hand: read from the paved constructs it was collected from. */
const RESOURCE_ARNS = new WeakMap<ModelResource, string[]>();
function arnsOfResource(resource: ModelResource): string[] {
  return RESOURCE_ARNS.get(resource) ?? [];
}

/**
 * Records the ARNs of the constructs a resource was collected from, for
 * matching grants (only literal ARNs, known at synth).
 */
function recordArns(resource: ModelResource, scopes: IConstruct[]): void {
  const arns: string[] = [];
  // paved's constructs only: a Terraform resource's attribute getters would each make a token.
  for (const scope of scopes.filter(c => !(c instanceof TerraformElement))) {
    for (const property of ARN_PROPERTIES) {
      const value = (scope as any)[property];
      if (typeof value === 'string' && !Token.isUnresolved(value) && value.startsWith('arn:')) { arns.push(value); }
    }
  }
  RESOURCE_ARNS.set(resource, arns);
}

function secretsOf(objects: any[], pod: any, resources: ModelResource[]): ModelSecret[] {
  const read = new Set<string>();
  for (const container of [...(pod?.containers ?? []), ...(pod?.initContainers ?? [])]) {
    for (const e of container.env ?? []) {
      if (e?.valueFrom?.secretKeyRef?.name) { read.add(e.valueFrom.secretKeyRef.name); }
    }
    for (const e of container.envFrom ?? []) {
      if (e?.secretRef?.name) { read.add(e.secretRef.name); }
    }
  }
  for (const v of pod?.volumes ?? []) {
    if (v?.secret?.secretName) { read.add(v.secret.secretName); }
  }
  const externalSecrets = objects.filter(o => o?.kind === 'ExternalSecret');
  return [...read].sort().map(name => {
    const es = externalSecrets.find(o => (o.spec?.target?.name ?? o.metadata?.name) === name);
    const remote = new Set<string>();
    for (const d of es?.spec?.data ?? []) { if (d?.remoteRef?.key) { remote.add(d.remoteRef.key); } }
    for (const d of es?.spec?.dataFrom ?? []) {
      const tags = d?.find?.tags;
      if (tags) { Object.entries(tags).forEach(([k, v]) => remote.add(`tags:${k}=${v}`)); }
    }
    const resource = resources.find(r => r.secretName !== undefined && remote.has(r.secretName));
    return { kubernetesName: name, remoteSecrets: [...remote].sort(), resource: resource?.key };
  });
}

function dependenciesOf(workload: Workload, workloads: Workload[]): ModelDependency[] {
  const deps: ModelDependency[] = [];
  for (const [name, request] of Object.entries(workload.resources)) {
    if (request.type !== 'service') { continue; }
    const targetName = request.params.workload ?? name;
    const target = workloads.find(w => w.name === targetName && w.tenant === workload.tenant) ?? workloads.find(w => w.name === targetName);
    if (!target) { continue; }
    const requested = request.params.port;
    const ports = target.ports;
    const port = ports.find(p => p.name === requested || p.port === requested) ?? ports[0];
    deps.push({ workload: target.name, tenant: target.tenant, port: port?.port ?? 0 });
  }
  return deps;
}

function dashboardsIn(chart: Chart): ModelDashboard[] {
  return chart.node.findAll().filter((c): c is DashboardConfigMap => c instanceof DashboardConfigMap)
    .map(d => ({ uid: d.uid, title: d.dashboard.title, folder: d.folder }));
}

function uniqueApps(apps: ModelArgoCdApp[]): ModelArgoCdApp[] {
  const seen = new Set<string>();
  return apps.filter(a => {
    const key = `${a.cluster}/${a.name}`;
    if (seen.has(key)) { return false; }
    seen.add(key);
    return true;
  });
}
