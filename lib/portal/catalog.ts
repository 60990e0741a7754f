import { createHash } from 'crypto';
import { CostEstimate } from './cost-model';
import { ModelEnvironment, ModelResource, ModelWorkload, PlatformModel } from './platform-model';

/*
 * The Backstage catalog of a platform model: one file per environment and
 * tenant plus the groups, all listed by a Location (catalog-info.yaml).
 * Entities of an environment live in a catalog namespace named after it
 * (component:prod/orders), so the same workload in two environments is two
 * components, each with its lifecycle from its environment's profile.
 */

/** How the catalog is laid out: options of {@link catalogFiles}. @internal */
export interface CatalogSettings {
  /** Owner of the foundation (clusters, zones, registries): a group reference. */
  readonly platformOwner: string;
  /** `environment`: a Domain per environment; `single`: one Domain `domainName`; `none`. */
  readonly domains: 'environment' | 'single' | 'none';
  /** Name of the one Domain. */
  readonly domainName?: string;
  /** Grafana base URL, `{environment}` replaced; links to dashboards. */
  readonly grafanaUrl?: string;
  /** Argo CD URL per environment and cluster (from the GitOps bootstrap), for links. */
  readonly argoCdUrls: { [envAndCluster: string]: string };
  /** The cost estimate, for the `paved.dev/monthly-cost-usd` annotations. */
  readonly cost?: CostEstimate;
}

/** One file of the catalog: its path below `catalog/` and its entities. @internal */
export interface CatalogFile {
  readonly path: string;
  readonly entities: any[];
}

const API_VERSION = 'backstage.io/v1alpha1';
/** Backstage's resource types for the model's resource types; others keep their own. */
const RESOURCE_TYPES: { [type: string]: string } = {
  'postgres': 'database',
  'mysql': 'database',
  'redis': 'cache',
  'queue': 'queue',
  's3': 'bucket',
  'dns': 'dns-record',
  'dns-zone': 'dns-zone',
  'cluster': 'kubernetes-cluster',
  'container-registry': 'container-registry',
  'network': 'network',
  'certificate': 'certificate',
  'kms-key': 'encryption-key',
};

/**
 * The catalog's files. Every reference between the entities written
 * resolves within them.
 * @internal
 */
export function catalogFiles(model: PlatformModel, settings: CatalogSettings): CatalogFile[] {
  const files: CatalogFile[] = [];
  const groups = new Map<string, any>();
  const addGroup = (ref: string, description: string) => {
    if (groups.has(ref)) { return; }
    const { namespace, name } = parseRef(ref);
    groups.set(ref, {
      apiVersion: API_VERSION,
      kind: 'Group',
      metadata: { name, namespace, description },
      spec: { type: 'team', children: [] },
    });
  };
  addGroup(settings.platformOwner, 'The platform team: owns the environments\' foundations');
  if (settings.domains === 'single') {
    files.push({ path: 'domain.yaml', entities: [domainEntity('default', settings.domainName!, 'The platform', settings.platformOwner)] });
  }
  for (const env of model.environments) {
    env.tenants.forEach(t => addGroup(t.owner, `Owners of tenant ${t.name}`));
    files.push(...environmentFiles(env, settings));
  }
  files.unshift({ path: 'groups.yaml', entities: [...groups.values()] });
  return files;
}

/** `kind:namespace/name` -> parts (the model holds full references). */
function parseRef(ref: string): { kind: string; namespace: string; name: string } {
  const [kind, rest] = ref.split(':');
  const [namespace, name] = rest.split('/');
  return { kind, namespace, name };
}

function domainEntity(namespace: string, name: string, description: string, owner: string): any {
  return { apiVersion: API_VERSION, kind: 'Domain', metadata: { name, namespace, description }, spec: { owner } };
}

function environmentFiles(env: ModelEnvironment, settings: CatalogSettings): CatalogFile[] {
  const ns = env.name;
  const lifecycle = env.profile === 'prod' ? 'production' : 'experimental';
  const domain = settings.domains === 'environment' ? `domain:${ns}/${ns}` : settings.domains === 'single' ? `domain:default/${settings.domainName}` : undefined;
  const envCost = settings.cost?.environments.find(e => e.name === env.name);
  const costOf = (key: string) => envCost?.resources.find(r => r.key === key)?.monthlyUsd;
  const foundationSystem = env.tenants.some(t => t.name === 'platform') ? 'platform-foundation' : 'platform';
  const systemOf = (tenant?: string) => (tenant === undefined ? foundationSystem : tenant);
  const common = (extra: { [key: string]: string } = {}) => ({ 'paved.dev/environment': env.name, ...extra });

  const platformEntities: any[] = [];
  if (domain && settings.domains === 'environment') {
    platformEntities.push(domainEntity(ns, ns, `Environment ${env.name}: account ${env.account}, ${env.region}, profile ${env.profile}`, settings.platformOwner));
  }
  platformEntities.push({
    apiVersion: API_VERSION,
    kind: 'System',
    metadata: {
      name: foundationSystem,
      namespace: ns,
      title: `${env.name} platform`,
      description: `What every tenant of ${env.name} runs on: network, clusters, DNS, registries`,
      annotations: common(envCost ? { 'paved.dev/monthly-cost-usd': envCost.foundationMonthlyUsd.toFixed(2) } : {}),
    },
    spec: { owner: settings.platformOwner, ...(domain ? { domain } : {}) },
  });
  const resourceName = (r: ModelResource) => entityName(r.tenant === undefined ? r.name : `${r.tenant}-${r.key.split('/').slice(2).join('-')}`);
  for (const r of env.resources.filter(res => res.tenant === undefined)) {
    platformEntities.push(resourceEntity(r, ns, resourceName(r), settings.platformOwner, foundationSystem, costOf(r.key), common()));
  }

  const files: CatalogFile[] = [{ path: `${ns}/platform.yaml`, entities: platformEntities }];
  for (const tenant of env.tenants) {
    const entities: any[] = [];
    const tenantCost = envCost?.tenants.find(t => t.name === tenant.name);
    entities.push({
      apiVersion: API_VERSION,
      kind: 'System',
      metadata: {
        name: systemOf(tenant.name),
        namespace: ns,
        title: `${tenant.name} (${env.name})`,
        description: `Tenant ${tenant.name} of ${env.name}: namespace ${tenant.name} on ${tenant.clusters.join(', ') || 'no cluster'}, Terraform stack ${tenant.stack}`,
        annotations: common(tenantCost ? { 'paved.dev/monthly-cost-usd': tenantCost.monthlyUsd.toFixed(2) } : {}),
      },
      spec: { owner: tenant.owner, ...(domain ? { domain } : {}) },
    });
    const tenantResources = env.resources.filter(r => r.tenant === tenant.name);
    for (const r of tenantResources) {
      entities.push(resourceEntity(r, ns, resourceName(r), tenant.owner, systemOf(tenant.name), costOf(r.key), common()));
    }
    // An API per served port that another workload calls.
    const called = new Set(env.tenants.flatMap(t => t.workloads).flatMap(w => w.dependsOn.map(d => `${d.tenant}/${d.workload}/${d.port}`)));
    for (const w of tenant.workloads) {
      for (const port of w.ports.filter(p => called.has(`${w.tenant}/${w.name}/${p.port}`))) {
        entities.push(apiEntity(env, w, port.name, port.port, tenant.owner, systemOf(tenant.name), common()));
      }
      const cost = envCost?.workloads.find(c => c.tenant === w.tenant && c.name === w.name);
      entities.push(componentEntity(env, w, {
        owner: tenant.owner,
        system: systemOf(tenant.name),
        lifecycle,
        resources: w.resources.map(key => env.resources.find(r => r.key === key)).filter((r): r is ModelResource => r !== undefined)
          .map(r => `resource:${ns}/${resourceName(r)}`),
        cost: cost?.monthlyUsd,
        settings,
        annotations: common(),
      }));
    }
    files.push({ path: `${ns}/${tenant.name}.yaml`, entities });
  }
  return files;
}

function resourceEntity(r: ModelResource, ns: string, name: string, owner: string, system: string, cost: number | undefined,
  annotations: { [key: string]: string }): any {
  const details = [
    r.size ? `size ${r.size}` : undefined,
    r.id ? `shared id ${r.id}` : undefined,
    r.usedBy.length > 0 ? `used by ${r.usedBy.join(', ')}` : undefined,
    r.secretName ? `connection secret ${r.secretName}` : undefined,
  ].filter(Boolean);
  return {
    apiVersion: API_VERSION,
    kind: 'Resource',
    metadata: {
      name,
      namespace: ns,
      title: r.tenant ? `${r.tenant}/${r.key.split('/').slice(2).join('/')}` : r.name,
      description: `${r.type}${details.length > 0 ? `: ${details.join('; ')}` : ''}`,
      annotations: {
        ...annotations,
        'paved.dev/resource-type': r.type,
        ...(r.secretName ? { 'paved.dev/connection-secret': r.secretName } : {}),
        ...(cost !== undefined ? { 'paved.dev/monthly-cost-usd': cost.toFixed(2) } : {}),
      },
      tags: [tag(r.type)],
    },
    spec: { type: RESOURCE_TYPES[r.type] ?? r.type, owner, system },
  };
}

function apiName(w: ModelWorkload, portName: string): string {
  return entityName(`${w.tenant}-${w.name}-${portName}`);
}

function apiEntity(env: ModelEnvironment, w: ModelWorkload, portName: string, port: number, owner: string, system: string,
  annotations: { [key: string]: string }): any {
  const host = `${w.name}.${w.tenant}.svc.cluster.local`;
  return {
    apiVersion: API_VERSION,
    kind: 'API',
    metadata: {
      name: apiName(w, portName),
      namespace: env.name,
      title: `${w.name} ${portName} (${env.name})`,
      description: `Port ${portName} (${port}) of ${w.name}, inside the cluster at ${host}:${port}`,
      annotations,
    },
    spec: {
      type: 'http',
      lifecycle: env.profile === 'prod' ? 'production' : 'experimental',
      owner,
      system,
      definition: `# ${w.name} ${portName}\n\nServed at http://${host}:${port} inside the cluster. paved knows the port, not the API's description:\n`
        + 'register an OpenAPI, AsyncAPI or gRPC definition in the workload\'s own catalog file to replace this text.\n',
    },
  };
}

interface ComponentOptions {
  readonly owner: string;
  readonly system: string;
  readonly lifecycle: string;
  readonly resources: string[];
  readonly cost?: number;
  readonly settings: CatalogSettings;
  readonly annotations: { [key: string]: string };
}

function componentEntity(env: ModelEnvironment, w: ModelWorkload, options: ComponentOptions): any {
  const selector = Object.entries(w.selectorLabels).map(([k, v]) => `${k}=${v}`).join(',');
  const app = w.argoCdApps[0];
  const links: any[] = [];
  for (const a of w.argoCdApps) {
    const base = options.settings.argoCdUrls[`${env.name}/${a.cluster}`];
    if (base) { links.push({ url: `${base.replace(/\/+$/, '')}/applications/argocd/${a.name}`, title: `Argo CD: ${a.name} on ${a.cluster}`, icon: 'dashboard' }); }
  }
  if (options.settings.grafanaUrl) {
    const grafana = options.settings.grafanaUrl.replace(/\{environment\}/g, env.name).replace(/\/+$/, '');
    for (const d of w.dashboards) { links.push({ url: `${grafana}/d/${d.uid}`, title: `Grafana: ${d.title}`, icon: 'dashboard' }); }
  }
  w.hosts.forEach(h => links.push({ url: `https://${h}`, title: h, icon: 'web' }));
  const consumes = w.dependsOn.map(d => {
    const target = env.tenants.flatMap(t => t.workloads).find(x => x.name === d.workload && x.tenant === d.tenant);
    const port = target?.ports.find(p => p.port === d.port);
    return target && port ? `api:${env.name}/${apiName(target, port.name)}` : undefined;
  }).filter((r): r is string => r !== undefined);
  const provides = w.ports.filter(p => env.tenants.flatMap(t => t.workloads)
    .some(x => x.dependsOn.some(d => d.workload === w.name && d.tenant === w.tenant && d.port === p.port)))
    .map(p => `api:${env.name}/${apiName(w, p.name)}`);
  const dependsOn = [
    ...options.resources,
    ...w.dependsOn.map(d => `component:${env.name}/${componentName(env, d.tenant, d.workload)}`),
  ];
  return {
    apiVersion: API_VERSION,
    kind: 'Component',
    metadata: {
      name: componentName(env, w.tenant, w.name),
      namespace: env.name,
      title: `${w.name} (${env.name})`,
      description: `${w.kind} workload of tenant ${w.tenant} in ${env.name}: ${w.containers.map(c => c.image).join(', ')}`,
      annotations: {
        ...options.annotations,
        'backstage.io/kubernetes-id': w.name,
        'backstage.io/kubernetes-namespace': w.tenant,
        ...(selector ? { 'backstage.io/kubernetes-label-selector': selector } : {}),
        ...(app ? { 'argocd/app-name': app.name } : {}),
        'paved.dev/kind': w.kind,
        ...(w.size ? { 'paved.dev/size': w.size } : {}),
        'paved.dev/manifest': w.manifest,
        ...(options.cost !== undefined ? { 'paved.dev/monthly-cost-usd': options.cost.toFixed(2) } : {}),
      },
      tags: [tag(w.kind), ...(w.size ? [tag(`size-${w.size}`)] : [])],
      ...(links.length > 0 ? { links } : {}),
    },
    spec: {
      type: w.kind === 'web' ? 'service' : w.kind,
      lifecycle: options.lifecycle,
      owner: options.owner,
      system: options.system,
      ...(dependsOn.length > 0 ? { dependsOn } : {}),
      ...(provides.length > 0 ? { providesApis: provides } : {}),
      ...(consumes.length > 0 ? { consumesApis: consumes } : {}),
    },
  };
}

/** A workload's component: named after it, with its tenant when another tenant of the environment has a workload of that name. */
function componentName(env: ModelEnvironment, tenant: string, name: string): string {
  const clash = env.tenants.some(t => t.name !== tenant && t.workloads.some(w => w.name === name));
  return entityName(clash ? `${tenant}-${name}` : name);
}

/** A Backstage entity name: 1-63 of [A-Za-z0-9] with single [-_.] between. */
export function entityName(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return cleaned.length <= 63 ? cleaned : `${cleaned.slice(0, 54).replace(/-+$/, '')}-${hash(cleaned)}`;
}

/** A Backstage tag: lowercase letters, digits and `-`, `+`, `#`, at most 63. */
function tag(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9+#]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63) || 'other';
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}
