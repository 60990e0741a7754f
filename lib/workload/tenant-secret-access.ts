import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import type { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Lazy, TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { EnvironmentSecretsKey } from './environment-secrets-key';
import { TenantAlerting, monitorTenant } from './tenant-monitoring';
import { Cluster } from '../aws/cluster';
import { ICluster, requireNetworkPolicyEnforcement } from '../aws/imported-cluster';
import { IAM_ROLE_NAMES } from '../aws/workload-identity';
import { checkArguments } from '../core/api-guard';
import { formatEntityRef, parseEntityRef } from '../core/entity-ref';
import { Environment } from '../core/environment';
import { invalid } from '../core/errors';
import { lazyModule } from '../core/lazy-module';
import { LookupKey } from '../core/lookup';
import { Naming } from '../core/naming';
import { Size } from '../core/size';
import { IQuotaConsumer } from '../k8s/quota-footprint';
import { Tenant, TenantAppProject, TenantQuota } from '../k8s/tenant';
import { TenantAlertRouting } from '../ops/alert-routing';
import { TenantDashboard } from '../ops/tenant-dashboard';

const iamRoleLib = lazyModule<typeof import('@cdktf/provider-aws/lib/iam-role')>('@cdktf/provider-aws/lib/iam-role');
const iamRolePolicyLib = lazyModule<typeof import('@cdktf/provider-aws/lib/iam-role-policy')>('@cdktf/provider-aws/lib/iam-role-policy');

/** How a tenant's boundary is set up, beyond paved's defaults. */
export interface TenantOptions {
  /**
   * Size of a typical workload of the tenant: the LimitRange's defaults for
   * containers without requests or limits; the quota always holds one more
   * pod of it.
   * @default Size.M
   */
  readonly size?: Size;
  /**
   * Totals the namespace may consume. Missing fields are derived from the
   * tenant's workloads (their peak: maximum replicas plus rollout surge,
   * parallel job runs; plus 25% headroom); fields given are checked at
   * synth, and a quota the workloads do not fit in is refused, naming them.
   * @default - derived from the tenant's workloads
   */
  readonly quota?: TenantQuota;
  /**
   * Groups that may read the tenant's workloads (never Secrets or `pods/exec`).
   * @default - none
   */
  readonly readOnlyGroups?: string[];
  /**
   * Groups that may deploy the tenant's workloads.
   * @default - none
   */
  readonly deployerGroups?: string[];
  /**
   * An Argo CD AppProject limited to the tenant's namespace and these
   * repositories, written into the tenant's manifest. Not with the GitOps
   * construct, which writes every tenant's AppProject itself.
   * @default - no AppProject
   */
  readonly appProject?: TenantAppProject;
  /**
   * The clusters of the environment the tenant runs on. Its workloads run
   * on all of them (a workload's identity is associated on each), unless a
   * workload names one of them as its `cluster`; the GitOps construct
   * delivers the tenant's boundary, AppProject and workloads to each and to
   * no other cluster.
   * @default - the clusters its workloads name, else the environment's one cluster
   */
  readonly clusters?: ICluster[];
  /**
   * The team that owns the tenant, as a Backstage entity reference to a
   * Group (`group:default/shop-team`, `shop-team`): the owner of the
   * tenant's System, Components and Resources in the catalog.
   * @default - `group:default/<tenant>`, a group named after the tenant
   */
  readonly owner?: string;
  /**
   * The tenant's own alert receivers: an AlertmanagerConfig in its
   * namespace routes every alert of the namespace to them (critical ones
   * to `pageReceiver` too), their credentials read from Secrets Manager
   * under `paved/<env>/<tenant>/` through the tenant's SecretStore.
   * @default - none: the tenant's alerts go to the platform's default receiver (`PlatformMonitoring` `receivers`)
   */
  readonly alerting?: TenantAlerting;
}

/** The tenants of an environment, by name. */
const TENANTS = new LookupKey<TenantSecretAccess>('tenants');
/** The container of the tenants' constructs (`Tenants`), one per tenant scope. */
const TENANT_CONTAINERS = new LookupKey<Construct>('tenant-containers');

/**
 * A tenant's place in one environment: the IAM role the External Secrets
 * Operator assumes for the tenant (it can read only `paved/<env>/<tenant>/*`,
 * never a data store's master secret: those are read in the database admin
 * namespace only, through the tenant's `<env>-<tenant>-db-admin` role) and the tenant's
 * Kubernetes boundary (`k8s/<env>/<tenant>/tenant.k8s.yaml`: Namespace with
 * restricted Pod Security, quota, default-deny network policies, RBAC and
 * the `SecretStore` that uses the role). Created with paved's defaults by
 * the first workload of the tenant, or declared before it with
 * `TenantSecretAccess.declare()` to set groups, quota and an AppProject.
 *
 * The operator's own role is expected to be named
 * `paved-<env>-external-secrets` (the Cluster construct creates it).
 */
export class TenantSecretAccess extends Construct {
  /** The access of `tenant` in `env`, created with paved's defaults on first use. */
  public static of(env: Environment, tenant: string): TenantSecretAccess {
    checkArguments('TenantSecretAccess.of', arguments);
    return env._lookup.singleton(TENANTS, tenant, () => new TenantSecretAccess(TenantSecretAccess.tenantsOf(env, tenant), tenant, env, {}));
  }

  /**
   * Declares tenant `tenant` of `env` with its groups, quota and AppProject.
   * Call it before the tenant's first workload, which would otherwise create
   * the tenant with paved's defaults.
   */
  public static declare(env: Environment, tenant: string, options: TenantOptions = {}): TenantSecretAccess {
    checkArguments('TenantSecretAccess.declare', arguments);
    const existing = env._lookup.get(TENANTS, tenant);
    if (existing) {
      throw invalid(existing.node.path, 'tenant', tenant,
        'a tenant not declared yet: declare it once, before its first workload (which creates it with defaults)');
    }
    return env._lookup.singleton(TENANTS, tenant, () => new TenantSecretAccess(TenantSecretAccess.tenantsOf(env, tenant), tenant, env, options));
  }

  /** Every tenant of `env` declared or created so far, in that order. */
  public static allOf(env: Environment): TenantSecretAccess[] {
    checkArguments('TenantSecretAccess.allOf', arguments);
    return env._lookup.entries(TENANTS);
  }

  /**
   * The clusters `tenant` of `env` was declared with, without creating the
   * tenant; undefined when it is not declared or declared without clusters.
   * @internal
   */
  public static _declaredClusters(env: Environment, tenant: string): ICluster[] | undefined {
    return env._lookup.get(TENANTS, tenant)?.declaredClusters;
  }

  /** The container `Tenants` of the tenant's scope (its stack, or the environment), created on first use. */
  private static tenantsOf(env: Environment, tenant: string): Construct {
    if (tenant === Naming.DATABASE_ADMIN_NAMESPACE) {
      throw invalid(`${env.node.path}/${tenant}`, 'tenant', tenant,
        `a tenant name other than ${Naming.DATABASE_ADMIN_NAMESPACE}, the namespace of paved's database admin jobs`);
    }
    const scope = env.tenantScope(tenant);
    return env._lookup.singleton(TENANT_CONTAINERS, scope.node.path, () => new Construct(scope, 'Tenants'));
  }

  /** The tenant's name (and namespace). */
  public readonly name: string;

  /** The team that owns the tenant: a Backstage Group reference, `group:<namespace>/<name>`. */
  public readonly owner: string;
  /** Whether `owner` was declared (`TenantOptions.owner`) rather than defaulted to the tenant's name. */
  public readonly ownerDeclared: boolean;

  /** @internal */
  public readonly _role: IamRole;
  /** The role the operator assumes for this tenant. */
  public get role(): TerraformResource {
    return this._role;
  }
  /** @internal */
  public readonly _policy: IamRolePolicy;
  /** Its permissions. */
  public get policy(): TerraformResource {
    return this._policy;
  }
  /** The tenant's Kubernetes boundary, including its SecretStore. */
  public readonly tenant: Tenant;
  /** The tenant's alert routing; undefined without `alerting` (the platform routes its alerts). */
  public readonly alertRouting?: TenantAlertRouting;
  /** The tenant's dashboard (alerts, SLOs and resources of all its workloads), in its Grafana folder. */
  public readonly dashboard: TenantDashboard;

  private readonly keyArns: string[] = [];
  private readonly declaredClusters?: ICluster[];
  private readonly workloadClusters: ICluster[] = [];

  private constructor(scope: Construct, tenant: string, env: Environment, options: TenantOptions) {
    super(scope, tenant);
    this.name = tenant;
    this.ownerDeclared = options.owner !== undefined;
    this.owner = formatEntityRef(parseEntityRef(this.node.path, 'owner', options.owner ?? tenant, 'group'));
    env.platform.recordDefault(this, 'owner', this.owner, this.ownerDeclared ? 'tenant' : 'paved default (the tenant\'s name)');
    this.declaredClusters = options.clusters === undefined ? undefined : this.validateClusters(env, options.clusters);
    const arn = (service: string, resource: string) => `arn:${env.partition}:${service}:${env.region}:${env.account}:${resource}`;
    const operatorRole = `arn:${env.partition}:iam::${env.account}:role/${Naming.externalSecretsOperatorRole(env.name)}`;
    this.keyArns.push(EnvironmentSecretsKey.of(env).keyArn);
    // Known at synth time, so the SecretStore can name the role before Terraform runs.
    const roleName = Naming.tenantSecretsRole(env.name, tenant);
    const taken = env._lookup.claim(IAM_ROLE_NAMES, roleName, this);
    if (taken) {
      throw invalid(this, 'tenant', tenant, `a tenant whose secrets role name ${JSON.stringify(roleName)} is not taken by ${taken.node.path}`);
    }

    this._role = new iamRoleLib.IamRole(this, 'Role', {
      name: roleName,
      description: `External Secrets Operator access to the secrets of tenant ${tenant} in ${env.name}`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Principal: { AWS: operatorRole },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
        }],
      }),
    });
    this._policy = new iamRolePolicyLib.IamRolePolicy(this, 'Policy', {
      role: this._role.name,
      name: 'read-tenant-secrets',
      policy: Lazy.stringValue({ produce: () => this.renderPolicy(env, tenant, arn) }),
    });

    const boundary = env.chart('tenant', tenant);
    this.tenant = new Tenant(boundary, 'Tenant', {
      size: options.size,
      quota: options.quota,
      readOnlyGroups: options.readOnlyGroups,
      deployerGroups: options.deployerGroups,
      appProject: options.appProject,
      name: tenant,
      secretStore: { region: env.region, roleArn: `arn:${env.partition}:iam::${env.account}:role/${roleName}` },
    });
    // Delivered with the boundary: the tenant's routing and dashboard, beside its SecretStore.
    const observed = monitorTenant(this, env, tenant, boundary, options.alerting);
    this.alertRouting = observed.routing;
    this.dashboard = observed.dashboard;
  }

  /**
   * The clusters the tenant runs on: those it was declared with, else the
   * clusters its workloads run on; when it has neither, the environment's
   * one cluster (an environment with several fails: declare the clusters).
   */
  public get clusters(): ICluster[] {
    if (this.declaredClusters) { return [...this.declaredClusters]; }
    if (this.workloadClusters.length > 0) { return [...this.workloadClusters]; }
    return [Cluster.of(this)];
  }

  /**
   * Records the clusters a workload of the tenant runs on.
   * @internal
   */
  public _addWorkloadClusters(clusters: ICluster[]): void {
    const added = clusters.filter((cluster, i) => !this.workloadClusters.includes(cluster) && clusters.indexOf(cluster) === i);
    this.workloadClusters.push(...added);
    // A workload rolled back (a Score workload) no longer places the tenant on its clusters.
    Environment.containing(this)._lookup.onRollback(() => { this.workloadClusters.splice(this.workloadClusters.length - added.length); });
  }

  /**
   * Counts a workload of the tenant in its quota (`Tenant.addWorkload`);
   * a workload rolled back (a Score workload) is taken out again. Every
   * workload kind of the golden path reports its pods here.
   * @internal
   */
  public _addQuotaConsumer(workload: IQuotaConsumer): void {
    Environment.containing(this)._lookup.onRollback(this.tenant._addWorkload(workload));
  }

  private validateClusters(env: Environment, clusters: ICluster[]): ICluster[] {
    const available = Cluster.allOf(env);
    const names = available.map(c => c.node.path).join(', ') || 'none';
    if (!Array.isArray(clusters) || clusters.length === 0) {
      throw invalid(this, 'clusters', clusters, `one or more clusters of environment ${env.name} (${names})`);
    }
    clusters.forEach((cluster, i) => {
      if (!available.includes(cluster)) {
        throw invalid(this, `clusters[${i}]`, (cluster as any)?.node?.path ?? cluster,
          `a cluster of environment ${env.name} (${names}); a tenant runs only where its environment has a cluster`);
      }
      if (clusters.indexOf(cluster) !== i) {
        throw invalid(this, `clusters[${i}]`, cluster.node.path, 'each cluster listed once');
      }
      requireNetworkPolicyEnforcement(this, `clusters[${i}]`, cluster);
    });
    return [...clusters];
  }

  private renderPolicy(env: Environment, tenant: string, arn: (service: string, resource: string) => string): string {
    const statements = [
      {
        Sid: 'ReadTenantSecrets',
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        Resource: arn('secretsmanager', `secret:${Naming.tenantSecretPrefix(env.name, tenant)}*`),
      },
      {
        Sid: 'DecryptThroughSecretsManager',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: this.keyArns,
        Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${env.region}.amazonaws.com` } },
      },
    ];
    return JSON.stringify({ Version: '2012-10-17', Statement: statements });
  }
}
