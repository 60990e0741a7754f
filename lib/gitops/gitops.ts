import { ApiObject, Chart } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { Addon } from './addon';
import { AddonContext } from './addon-spec';
import { ApplicationSource, ARGOCD_NAMESPACE, application, podSecurityLabels, tenantProject, tenantProjectName } from './applications';
import { ArgoCdOptions, resolveArgoCd } from './argo-cd';
import { ClusterBootstrap } from './cluster-bootstrap';
import { RepositoryCredentials } from './repository-credentials';
import { DeliveredFile, unservedObjects } from './requirements';
import { Cluster } from '../aws/cluster';
import { Dns } from '../aws/dns';
import { ICluster } from '../aws/imported-cluster';
import { checkedScope } from '../core/api-guard';
import { Environment } from '../core/environment';
import { Errors, describe, invalid, show } from '../core/errors';
import { Naming } from '../core/naming';
import { Platform } from '../core/platform';
import { SyncWave } from '../k8s/sync-wave';
import { Tenant } from '../k8s/tenant';
import { databaseAdminFiles } from '../workload/database-user';
import { TenantSecretAccess } from '../workload/tenant-secret-access';
import { Workload } from '../workload/workload';

/** Properties of {@link GitOps}. */
export interface GitOpsProps {
  /**
   * The platform's Git repository, where the pipeline commits paved's
   * output: `https://host/path` or `ssh://user@host/path` (or the
   * `git@host:path` form). No credentials in the URL: see `credentials`.
   */
  readonly repoUrl: string;
  /**
   * The branch, tag or commit every cluster follows.
   * @default 'main'
   */
  readonly revision?: string;
  /**
   * The folder of the repository that holds paved's output (what `paved
   * synth` writes: `k8s/`, `argocd/`, ...), relative to the repository's
   * root; `''` for the root itself.
   * @default 'out'
   */
  readonly path?: string;
  /**
   * How Argo CD authenticates to the repository.
   * @default RepositoryCredentials.none() — a public repository
   */
  readonly credentials?: RepositoryCredentials;
  /**
   * The addons every cluster gets. Leave one out to disable it: paved then
   * refuses any object only it would serve.
   * @default Addon.defaults()
   */
  readonly addons?: Addon[];
  /**
   * How Argo CD is installed in each cluster.
   * @default - admin account off, no SSO, highly available in production profiles
   */
  readonly argoCd?: ArgoCdOptions;
  /**
   * The environments whose clusters are bootstrapped and delivered to.
   * Declare them, with their clusters, before the GitOps construct.
   * @default - every environment of the platform declared so far
   */
  readonly environments?: Environment[];
}

/** A problem found across the outputs: reported at construction, or at synth for what was declared later. */
interface Problem {
  readonly property: string;
  readonly value: unknown;
  readonly allowed: string;
}

const DEFAULT_REVISION = 'main';
const DEFAULT_PATH = 'out';
const HTTPS_REPO = /^https:\/\/[A-Za-z0-9.-]+(:\d+)?\/[^\s@]+$/;
const SSH_REPO = /^ssh:\/\/([A-Za-z0-9._-]+@)?[A-Za-z0-9.-]+(:\d+)?\/[^\s]+$/;
const SCP_REPO = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^\s/][^\s]*$/;
const REVISION = /^(?!-)(?!.*\.\.)[A-Za-z0-9._/-]{1,255}$/;
const PATH_SEGMENT = /^[A-Za-z0-9._-]+$/;
/** The file of a tenant's boundary in its folder (see TenantSecretAccess). */
const BOUNDARY_FILE = 'tenant.k8s.yaml';

/**
 * Delivery of the whole platform through Argo CD, from the platform's Git
 * repository: one Argo CD per cluster, bootstrapped once by Terraform, then
 * everything else synced from git.
 *
 * For every cluster of its environments (clusters paved creates; declare
 * them before this construct) it makes:
 * - a Terraform stack `bootstrap-<cluster>` ({@link ClusterBootstrap}):
 *   Argo CD, the cluster's registration with its addons' IAM roles, the
 *   `platform` project and the root Application;
 * - `argocd/<env>/<cluster>/`, the root Application's folder:
 *   `addons.k8s.yaml`, one Application per addon (pinned chart and values;
 *   the objects an addon ships besides its chart, such as Grafana's admin
 *   password generator, in `addon-resources/<addon>.k8s.yaml`);
 *   `tenant-<tenant>.k8s.yaml` per tenant that runs on the cluster: the
 *   tenant's AppProject `tenant-<tenant>` (its namespace only, nothing
 *   cluster-scoped, no quota, RBAC or SecretStore, orphaned objects
 *   reported), the Application `boundary-<tenant>` of its boundary
 *   (`k8s/<env>/<tenant>/tenant.k8s.yaml`, platform project) and the
 *   Application `tenant-<tenant>` of its workloads on this cluster (tenant
 *   project); `platform-objects.k8s.yaml` for the environment's
 *   platform-wide objects (`k8s/<env>/*.k8s.yaml`).
 *
 * Order (sync waves, see {@link SyncWave}): addons, then tenant projects
 * and boundaries, then each tenant's workloads (inside: connection
 * secrets, workloads, monitoring), then platform-wide objects. Every
 * Application syncs automatically with pruning and self-heal, retries with
 * backoff, ignores the replica counts autoscalers own, and applies addons
 * server-side (their CRDs are too big for client-side apply); tenant
 * Applications never create namespaces and refuse objects another
 * Application owns.
 *
 * At construction and again at synth, every object delivered to a cluster
 * is checked against the cluster's addons: an object of a kind, Ingress
 * class or annotation no enabled addon serves fails with the addon to enable.
 */
export class GitOps extends Construct {
  /** The platform repository. */
  public readonly repoUrl: string;
  /** The revision every cluster follows. */
  public readonly revision: string;
  /** The folder of paved's output in the repository (`''` for its root). */
  public readonly path: string;
  /** The addons of every cluster. */
  public readonly addons: Addon[];
  /** The environments delivered to. */
  public readonly environments: Environment[];
  /** The bootstrap stacks, one per cluster. */
  public readonly bootstraps: ClusterBootstrap[] = [];

  private readonly platform: Platform;
  private readonly clusters = new Map<Cluster, ClusterBootstrap>();
  private prepared?: string[];

  constructor(platform: Platform, id: string, props: GitOpsProps) {
    super(preflight(checkedScope(platform, 'GitOps', arguments), id), id);
    this.platform = platform;
    this.repoUrl = this.validateRepoUrl(props.repoUrl);
    this.revision = props.revision ?? DEFAULT_REVISION;
    if (typeof this.revision !== 'string' || !REVISION.test(this.revision)) {
      throw invalid(this, 'revision', this.revision, 'a branch, tag or commit: letters, digits, ".", "_", "/" and "-", not starting with "-", no ".."');
    }
    this.path = this.validatePath(props.path ?? DEFAULT_PATH);
    this.addons = this.validateAddons(props.addons ?? Addon.defaults());
    const argoCd = props.argoCd ?? {};
    resolveArgoCd(this, argoCd);
    this.environments = this.validateEnvironments(props.environments);
    this.recordDecisions(props);

    for (const env of this.environments) {
      for (const cluster of this.clustersOf(env)) {
        const stackName = ClusterBootstrap.stackName(cluster);
        // Claimed here to name the cluster in the error; the bootstrap stack claims it again as the same holder.
        platform._claimStackName(stackName, ClusterBootstrap._holder(cluster), this, 'environments', cluster.name, 'clusters');
        const bootstrap = new ClusterBootstrap(platform.terraform, stackName, {
          cluster,
          repoUrl: this.repoUrl,
          revision: this.revision,
          rootPath: this.repoPath('argocd', env.name, cluster.name),
          credentials: props.credentials,
          argoCd,
          addons: this.addons,
        });
        this.bootstraps.push(bootstrap);
        this.clusters.set(cluster, bootstrap);
        this.addonApplications(env, bootstrap);
      }
    }

    const first = this.problems()[0];
    if (first) { throw invalid(this, first.property, first.value, first.allowed); }
    // Tenants and workloads may still be declared: their Applications are made at synth.
    this.node.addValidation({ validate: () => this.prepare() });
  }

  /** The bootstrap stack of `cluster`. */
  public bootstrapOf(cluster: ICluster): ClusterBootstrap {
    const bootstrap = this.clusters.get(cluster as Cluster);
    if (!bootstrap) {
      throw invalid(this, 'cluster', cluster?.node?.path ?? cluster,
        `a cluster of the GitOps environments (${[...this.clusters.keys()].map(c => c.node.path).join(', ') || 'none'})`);
    }
    return bootstrap;
  }

  /**
   * The Argo CD objects of the tenants, made once all of them are declared
   * (Platform.synth validates the platform's own tree first, then the
   * Kubernetes tree these objects join). Returns the problems left.
   */
  private prepare(): string[] {
    if (this.prepared) { return this.prepared; }
    const problems = this.problems();
    if (problems.length === 0) {
      for (const env of this.environments) {
        for (const bootstrap of this.bootstrapsOf(env)) { this.tenantApplications(env, bootstrap); }
      }
    }
    this.prepared = problems.map(p => `${p.property}: got ${show(p.value)}; expected ${p.allowed}`);
    return this.prepared;
  }

  /** One Application per addon, and the objects addons ship besides their charts. */
  private addonApplications(env: Environment, bootstrap: ClusterBootstrap): void {
    const cluster = bootstrap.cluster;
    const chart = this.platform.chart([env.name, cluster.name, 'addons'], ARGOCD_NAMESPACE, 'argocd');
    for (const addon of this.addons) {
      const context: AddonContext = { environment: env, cluster, highAvailability: env.profile.isProduction };
      const sources: ApplicationSource[] = [{
        repoURL: addon.repoUrl,
        chart: addon.chart,
        targetRevision: addon.version,
        helm: { releaseName: addon.releaseName, valuesObject: addon._values(context) },
      }];
      if (addon._spec.manifests) {
        const resources = this.platform.chart([env.name, cluster.name, 'addon-resources', addon.name], addon.namespace, 'argocd');
        addon._spec.manifests(context, resources);
        sources.push({
          repoURL: this.repoUrl,
          targetRevision: this.revision,
          path: this.repoPath('argocd', env.name, cluster.name, 'addon-resources'),
          directory: { include: `${addon.name}.k8s.yaml` },
        });
      }
      const createsNamespace = addon.podSecurity !== undefined;
      application(chart, `Addon-${addon.name}`, {
        name: `addon-${addon.name}`,
        project: 'platform',
        wave: addon.syncWave,
        component: 'addon',
        sources,
        namespace: addon.namespace,
        syncOptions: [...(createsNamespace ? ['CreateNamespace=true'] : []), 'ServerSideApply=true', 'PruneLast=true'],
        namespaceLabels: createsNamespace ? { ...podSecurityLabels(addon.podSecurity!), 'app.kubernetes.io/managed-by': 'paved' } : undefined,
      });
    }
  }

  /** Per tenant on the cluster: its project, its boundary and its workloads; and the environment's platform-wide objects. */
  private tenantApplications(env: Environment, bootstrap: ClusterBootstrap): void {
    const cluster = bootstrap.cluster;
    const layout = this.layoutOf(env);
    for (const tenant of layout.tenants) {
      if (!tenant.clusters.includes(cluster)) { continue; }
      const chart = this.platform.chart([env.name, cluster.name, `tenant-${tenant.name}`], ARGOCD_NAMESPACE, 'argocd');
      const path = this.repoPath('k8s', env.name, tenant.name);
      tenantProject(chart, 'AppProject', tenant.name, this.repoUrl, SyncWave.NAMESPACES);
      application(chart, 'Boundary', {
        name: `boundary-${tenant.name}`,
        project: 'platform',
        wave: SyncWave.NAMESPACES,
        component: 'tenant-boundary',
        sources: [{ repoURL: this.repoUrl, targetRevision: this.revision, path, directory: { include: BOUNDARY_FILE } }],
        namespace: tenant.name,
        syncOptions: ['CreateNamespace=false', 'PruneLast=true', 'FailOnSharedResource=true'],
      });
      const here = tenant.files.filter(f => f.clusters.includes(cluster));
      if (here.length === 0) { continue; }
      const excluded = [BOUNDARY_FILE, ...tenant.files.filter(f => !f.clusters.includes(cluster)).map(f => f.name)];
      application(chart, 'Workloads', {
        name: `tenant-${tenant.name}`,
        project: tenantProjectName(tenant.name),
        wave: SyncWave.WORKLOADS,
        component: 'tenant',
        sources: [{ repoURL: this.repoUrl, targetRevision: this.revision, path, directory: { exclude: glob(excluded) } }],
        namespace: tenant.name,
        syncOptions: ['CreateNamespace=false', 'PruneLast=true', 'RespectIgnoreDifferences=true', 'FailOnSharedResource=true'],
        cascade: true,
        ignoreScaledReplicas: true,
      });
    }
    const adminFiles = layout.databaseAdminFiles.filter(f => f.clusters.includes(cluster));
    if (adminFiles.length > 0) {
      const chart = this.platform.chart([env.name, cluster.name, 'database-admin'], ARGOCD_NAMESPACE, 'argocd');
      application(chart, 'DatabaseAdmin', {
        name: 'database-admin',
        project: 'platform',
        // Before the tenants' workloads, which read the credentials its jobs make.
        wave: SyncWave.SECRETS,
        component: 'database-admin',
        sources: [{
          repoURL: this.repoUrl,
          targetRevision: this.revision,
          path: this.repoPath('k8s', env.name, Naming.DATABASE_ADMIN_NAMESPACE),
          directory: { include: glob(adminFiles.map(f => f.name)) },
        }],
        namespace: Naming.DATABASE_ADMIN_NAMESPACE,
        syncOptions: ['CreateNamespace=false', 'PruneLast=true', 'FailOnSharedResource=true'],
      });
    }
    if (layout.platformFiles.length > 0) {
      const chart = this.platform.chart([env.name, cluster.name, 'platform-objects'], ARGOCD_NAMESPACE, 'argocd');
      application(chart, 'PlatformObjects', {
        name: 'platform-objects',
        project: 'platform',
        wave: SyncWave.MONITORING,
        component: 'platform',
        sources: [{ repoURL: this.repoUrl, targetRevision: this.revision, path: this.repoPath('k8s', env.name), directory: { recurse: false } }],
        namespace: 'default',
        syncOptions: ['ServerSideApply=true', 'PruneLast=true'],
      });
    }
  }

  /** Every problem of the platform as declared so far. */
  private problems(): Problem[] {
    const problems: Problem[] = [];
    for (const env of this.environments) {
      const added = Cluster.allOf(env).filter(c => !this.clusters.has(c as Cluster));
      for (const cluster of added) {
        problems.push({
          property: 'environments',
          value: cluster.node.path,
          allowed: `clusters declared before the GitOps construct (${cluster.node.path} was declared after it and has no bootstrap)`,
        });
      }
      let layout: Layout;
      try {
        layout = this.layoutOf(env);
      } catch (e) {
        if (!Errors.isPavedError(e)) { throw e; }
        problems.push({ property: 'tenants', value: (e as any).constructPath, allowed: (e as Error).message });
        continue;
      }
      problems.push(...layout.problems);
      for (const bootstrap of this.bootstrapsOf(env)) {
        const cluster = bootstrap.cluster;
        const files: { file: string; chart: Chart }[] = [
          ...layout.tenants.filter(t => t.clusters.includes(cluster)).flatMap(t => [
            t.boundary,
            ...t.files.filter(f => f.clusters.includes(cluster)),
          ]),
          ...layout.platformFiles,
          ...layout.databaseAdminFiles.filter(f => f.clusters.includes(cluster)),
          ...this.platform._charts()
            .filter(c => c.output === 'argocd' && c.segments[0] === env.name && c.segments[1] === cluster.name && c.segments[2] === 'addon-resources'),
        ];
        const rendered = this.platform._render(files.map(f => f.chart));
        const delivered: DeliveredFile[] = files.map((f, i) => ({ file: f.file, objects: rendered[i] }));
        if (delivered.length === 0 && this.addons.length === 0) {
          problems.push({ property: 'addons', value: [], allowed: `addons or tenants for cluster ${cluster.name} (its root Application would sync an empty folder)` });
        }
        for (const unserved of unservedObjects(delivered, this.addons, Addon._catalogue())) {
          const hint = unserved.suggestion
            ? `: ${unserved.suggestion.name} is not among them (add Addon.${factoryOf(unserved.suggestion)}())`
            : ' (add one with Addon.helm({ ..., capabilities: [...] }))';
          problems.push({
            property: 'addons',
            value: `${unserved.object} on cluster ${cluster.name}`,
            allowed: `an addon that serves ${unserved.need.description}${hint}`,
          });
        }
      }
    }
    return problems;
  }

  /** What is delivered from an environment's k8s folder, and where. */
  private layoutOf(env: Environment): Layout {
    const problems: Problem[] = [];
    const charts = this.platform._charts().filter(c => c.output === 'k8s' && c.segments[0] === env.name && hasObjects(c.chart));
    const workloads = new Map(Workload.allOf(env).map(w => [`${w.tenant}/${w.name}`, w]));
    const declared = new Map(TenantSecretAccess.allOf(env).map(access => [access.name, access]));
    // The database admin folder is the platform's, not a tenant's (no tenant has its name).
    const tenantCharts = charts.filter(c => c.segments.length === 3 && c.segments[1] !== Naming.DATABASE_ADMIN_NAMESPACE);
    const names = [...new Set([...declared.keys(), ...tenantCharts.map(c => c.segments[1])])];
    const tenants: TenantLayout[] = [];
    for (const name of names) {
      const folder = tenantCharts.filter(c => c.segments[1] === name);
      const boundary = folder.find(c => `${c.segments[2]}.k8s.yaml` === BOUNDARY_FILE);
      const access = declared.get(name);
      // A Tenant declared by hand (for apps built from WebApp, Worker or CronJob) is a boundary too.
      const tenant = access?.tenant ?? boundary?.chart.node.findAll().find((c): c is Tenant => c instanceof Tenant);
      if (!boundary || !tenant) {
        problems.push({
          property: 'tenants',
          value: folder[0].file,
          allowed: `manifests of a tenant with a boundary: tenant "${name}" has none (declare it with TenantSecretAccess.declare(env, '${name}') `
            + `or new Tenant(env.chart('tenant', '${name}'), ...), or give it a Workload)`,
        });
        continue;
      }
      if (tenant.appProject) {
        problems.push({
          property: 'tenants',
          value: `${name} (appProject)`,
          allowed: `no AppProject of the tenant's own: GitOps writes the AppProject ${tenantProjectName(name)} of every tenant (remove appProject)`,
        });
      }
      const clusters = (access ? access.clusters : Cluster.allOf(env)) as Cluster[];
      if (!access && clusters.length !== 1) {
        problems.push({
          property: 'tenants',
          value: boundary.file,
          allowed: `a tenant placed on clusters: a Tenant declared by hand runs on the environment's one cluster, and ${env.name} has `
            + `${clusters.length}; declare it with TenantSecretAccess.declare(env, '${name}', { clusters }) instead`,
        });
        continue;
      }
      tenants.push({
        name,
        clusters,
        boundary,
        files: folder.filter(c => c !== boundary).map(c => ({
          name: `${c.segments[2]}.k8s.yaml`,
          file: c.file,
          chart: c.chart,
          clusters: (workloads.get(`${name}/${c.segments[2]}`)?.clusters as Cluster[] | undefined) ?? clusters,
        })),
      });
    }
    for (const c of charts.filter(chart => chart.segments.length > 3)) {
      problems.push({ property: 'tenants', value: c.file, allowed: 'manifests at k8s/<env>/<name>.k8s.yaml or k8s/<env>/<tenant>/<name>.k8s.yaml, which GitOps delivers' });
    }
    const platformFiles = charts.filter(c => c.segments.length === 2).map(c => ({ file: c.file, chart: c.chart }));
    const adminCharts = new Set(databaseAdminFiles(env).map(f => f.chart));
    for (const c of charts.filter(chart => chart.segments.length === 3 && chart.segments[1] === Naming.DATABASE_ADMIN_NAMESPACE)) {
      if (!adminCharts.has(c.chart)) {
        problems.push({
          property: 'tenants',
          value: c.file,
          allowed: `manifests outside k8s/${env.name}/${Naming.DATABASE_ADMIN_NAMESPACE}/, the folder of paved's database admin namespace (no tenant can have its name)`,
        });
      }
    }
    return { tenants, platformFiles, databaseAdminFiles: this.databaseAdminLayout(env), problems };
  }

  /**
   * The files of the database admin folder and their clusters: each user's
   * file goes to the cluster its job runs on (one, so one password is
   * generated), a tenant's store to the clusters of its users, the
   * namespace to every cluster with a user.
   */
  private databaseAdminLayout(env: Environment): AdminFile[] {
    const files = databaseAdminFiles(env);
    const users = files.filter(f => f.cluster !== undefined);
    const clustersOf = (tenant?: string) =>
      [...new Set(users.filter(u => tenant === undefined || u.tenant === tenant).map(u => u.cluster as Cluster))];
    return files.map(f => ({
      name: `${f.name}.k8s.yaml`,
      file: this.platform._charts().find(c => c.chart === f.chart)!.file,
      chart: f.chart,
      clusters: f.cluster !== undefined ? [f.cluster as Cluster] : clustersOf(f.tenant),
    })).filter(f => f.clusters.length > 0);
  }

  private bootstrapsOf(env: Environment): ClusterBootstrap[] {
    return this.bootstraps.filter(b => b.environment === env);
  }

  /** `segments` inside the output folder of the repository. */
  private repoPath(...segments: string[]): string {
    return [...(this.path ? [this.path] : []), ...segments].join('/');
  }

  private clustersOf(env: Environment): Cluster[] {
    return Cluster.allOf(env).map(cluster => {
      if (!(cluster instanceof Cluster)) {
        throw invalid(this, 'environments', cluster.node.path,
          `environments whose clusters paved creates: ${cluster.node.path} is imported (Cluster.fromAttributes), and its addon roles and associations are not paved's; leave environment ${env.name} out of environments`);
      }
      return cluster;
    });
  }

  private validateRepoUrl(url: string): string {
    if (typeof url !== 'string' || !(HTTPS_REPO.test(url) || SSH_REPO.test(url) || SCP_REPO.test(url))) {
      throw invalid(this, 'repoUrl', url,
        'a Git repository URL: "https://host/path", "ssh://user@host/path" or "git@host:path" (no credentials in the URL: use credentials)');
    }
    return url;
  }

  private validatePath(path: string): string {
    if (typeof path !== 'string') {
      throw invalid(this, 'path', path, 'a folder of the repository, relative to its root');
    }
    const trimmed = path.replace(/^\.\//, '').replace(/\/+$/, '');
    const segments = trimmed === '' || trimmed === '.' ? [] : trimmed.split('/');
    if (path.startsWith('/') || segments.some(s => !PATH_SEGMENT.test(s) || s === '.' || s === '..')) {
      throw invalid(this, 'path', path, 'a folder relative to the repository\'s root, such as "out" or "deploy/out" (letters, digits, ".", "_", "-"; no "..")');
    }
    return segments.join('/');
  }

  private validateAddons(addons: Addon[]): Addon[] {
    if (!Array.isArray(addons) || addons.some(a => !(a instanceof Addon))) {
      throw invalid(this, 'addons', addons, 'a list of Addon (Addon.defaults(), Addon.keda(), Addon.helm(...))');
    }
    addons.forEach((addon, i) => {
      if (addons.findIndex(a => a.name === addon.name) !== i) {
        throw invalid(this, `addons[${i}]`, addon.name, 'addons of distinct names (replace paved\'s addon rather than adding it twice)');
      }
      const neighbour = addons.find(a => a.namespace === addon.namespace && a.podSecurity !== addon.podSecurity);
      if (neighbour) {
        throw invalid(this, `addons[${i}].podSecurity`, addon.podSecurity,
          `the Pod Security level of ${neighbour.name} (${neighbour.podSecurity}), which shares namespace ${addon.namespace}`);
      }
    });
    return [...addons];
  }

  private validateEnvironments(given: Environment[] | undefined): Environment[] {
    const all = this.platform.terraform.node.children.filter((c): c is Environment => c instanceof Environment);
    const environments = given ?? all;
    if (!Array.isArray(environments) || environments.some(e => !all.includes(e))) {
      throw invalid(this, 'environments', Array.isArray(environments) ? environments.map(e => (e as IConstruct)?.node?.path ?? e) : environments,
        `environments of this platform (${all.map(e => e.name).join(', ') || 'none declared yet'})`);
    }
    const seen = new Map<string, Cluster>();
    for (const env of environments) {
      for (const cluster of this.clustersOf(env)) {
        const other = seen.get(cluster.name);
        if (other) {
          throw invalid(this, 'environments', cluster.name,
            `clusters of distinct names across the environments: ${describe(other)} and ${describe(cluster)} are both "${cluster.name}" (their bootstrap stacks would collide)`);
        }
        seen.set(cluster.name, cluster);
      }
      if (this.addons.some(a => a.name === 'external-dns')) {
        try {
          Dns.of(env);
        } catch (e) {
          if (!Errors.isPavedError(e)) { throw e; }
          throw invalid(this, 'addons', 'external-dns', `a Dns zone in environment ${env.name}, whose records ExternalDNS writes (${(e as Error).message})`);
        }
      }
    }
    return [...environments];
  }

  private recordDecisions(props: GitOpsProps): void {
    for (const addon of this.addons) {
      this.platform.recordDefault(this, `addons.${addon.name}`, `${addon.chart} ${addon.version}`, addon._source);
      if (addon.podSecurity !== undefined && addon.podSecurity !== 'restricted') {
        this.platform.recordDefault(this, `addons.${addon.name}.podSecurity`, `**${addon.podSecurity}**`, 'addon needs it');
      }
    }
    const names = new Set(this.addons.map(a => a.name));
    for (const addon of Addon._catalogue()) {
      if (!names.has(addon.name)) {
        this.platform.recordDefault(this, `addons.${addon.name}`, 'not installed', props.addons === undefined ? 'paved default' : 'platform engineer\'s list');
      }
    }
  }
}

interface ChartFile {
  readonly file: string;
  readonly chart: Chart;
}

interface TenantFile extends ChartFile {
  /** File name in the tenant's folder. */
  readonly name: string;
  readonly clusters: Cluster[];
}

interface TenantLayout {
  readonly name: string;
  readonly clusters: Cluster[];
  readonly boundary: ChartFile;
  readonly files: TenantFile[];
}

type AdminFile = TenantFile;

interface Layout {
  readonly tenants: TenantLayout[];
  readonly platformFiles: ChartFile[];
  /** The database admin folder's files. */
  readonly databaseAdminFiles: AdminFile[];
  readonly problems: Problem[];
}

function preflight(platform: Platform, id: string): Platform {
  if (!(platform instanceof Platform)) {
    throw invalid(id ?? 'GitOps', 'platform', (platform as any)?.node?.path ?? platform, 'the Platform (new GitOps(platform, \'GitOps\', {...}))');
  }
  return platform;
}

function hasObjects(chart: Chart): boolean {
  return chart.node.findAll().some(c => c instanceof ApiObject);
}

/** An Argo CD directory glob matching exactly these file names. */
function glob(names: string[]): string {
  return names.length === 1 ? names[0] : `{${names.join(',')}}`;
}

/** The factory method of a catalogue addon: `external-secrets` -> `externalSecrets`. */
function factoryOf(addon: Addon): string {
  return addon.name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}
