import { ApiObject, ApiObjectProps, Lazy } from 'cdk8s';
import {
  KubeLimitRange,
  KubeNamespace,
  KubeNetworkPolicy,
  KubeRole,
  KubeRoleBinding,
  KubeServiceAccount,
  PolicyRule,
  Quantity,
} from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { tenantAppProjectSpec } from './app-project';
import { recordDecision, recordDerivedDecision } from './decisions';
import { kubeDnsEgressRule } from './egress';
import { validateIamRoleArn } from './iam-role-arn';
import { appLabels } from './labels';
import { validateLiteral } from './literal';
import { mebibytes, millicores } from './quantities';
import { IQuotaConsumer, WorkloadFootprint } from './quota-footprint';
import { SyncWave, syncWaveAnnotation } from './sync-wave';
import { checkedScope } from '../core/api-guard';
import { invalid } from '../core/errors';
import { Naming } from '../core/naming';
import { AWS_REGIONS, partitionOf } from '../core/regions';
import { Size } from '../core/size';
import { SpanMemo } from '../core/span-memo';
import { validateDnsLabel, validateInteger } from '../core/validation';

/**
 * What a tenant's namespace may consume in all, summed over its pods. Every
 * field is optional; a missing one is derived from the tenant's workloads
 * (see {@link Tenant}): their peak (every workload at its maximum replicas
 * plus its rollout surge, or its parallel runs) plus 25% headroom, and at
 * least one more pod of the tenant's size. A field given is checked at
 * synth against that peak (without headroom): a quota the workloads do not
 * fit in is refused, naming them.
 */
export interface TenantQuota {
  /**
   * Sum of the cpu requests, millicores.
   * @default - the workloads' peak plus 25% headroom, and at least one more pod of the tenant's size
   */
  readonly cpuRequestMillis?: number;
  /**
   * Sum of the cpu limits, millicores; at least `cpuRequestMillis`.
   * @default - the workloads' peak plus 25% headroom, and at least one more pod of the tenant's size
   */
  readonly cpuLimitMillis?: number;
  /**
   * Sum of the memory requests, MiB.
   * @default - the workloads' peak plus 25% headroom, and at least one more pod of the tenant's size
   */
  readonly memoryRequestMiB?: number;
  /**
   * Sum of the memory limits, MiB; at least `memoryRequestMiB`.
   * @default - the workloads' peak plus 25% headroom, and at least one more pod of the tenant's size
   */
  readonly memoryLimitMiB?: number;
  /**
   * Sum of the ephemeral-storage requests, MiB.
   * @default - the workloads' peak plus 25% headroom, and at least one more pod of the tenant's size
   */
  readonly ephemeralStorageRequestMiB?: number;
  /**
   * Sum of the ephemeral-storage limits, MiB; at least `ephemeralStorageRequestMiB`.
   * @default - the workloads' peak plus 25% headroom, and at least one more pod of the tenant's size
   */
  readonly ephemeralStorageLimitMiB?: number;
  /**
   * Pods at once, in any phase but finished (1-10000).
   * @default - the workloads' pods at their peak plus 25% headroom, and at least one more
   */
  readonly pods?: number;
  /**
   * Services (0-10000).
   * @default - the workloads' Services plus 25% headroom
   */
  readonly services?: number;
  /**
   * PersistentVolumeClaims (0-10000).
   * @default - the claims the workloads create plus 25% headroom
   */
  readonly persistentVolumeClaims?: number;
  /**
   * Services of type LoadBalancer (0-100). Each opens a cloud load balancer
   * outside the platform's ingress, so none beyond what the workloads make.
   * @default - the workloads' LoadBalancer Services (paved's make none), no headroom
   */
  readonly loadBalancers?: number;
  /**
   * Node ports (0-100). Each opens a port on every node, so none beyond
   * what the workloads' Services allocate.
   * @default - the workloads' node ports (paved's allocate none), no headroom
   */
  readonly nodePorts?: number;
}

/** Where a tenant's `SecretStore` reads secrets: AWS Secrets Manager through an IAM role. */
export interface TenantSecretStore {
  /** AWS region of the secrets, e.g. `eu-central-1`. */
  readonly region: string;
  /**
   * ARN of the IAM role the External Secrets Operator assumes for the
   * tenant; it should read only `paved/<env>/<tenant>/*`. Must be a literal
   * (Kubernetes YAML cannot hold a Terraform reference).
   */
  readonly roleArn: string;
}

/** The Argo CD AppProject of a tenant. */
export interface TenantAppProject {
  /**
   * Git, Helm or OCI repositories the tenant's Applications may deploy from,
   * each a full URL (`https://`, `ssh://`, `git@host:path` or `oci://`),
   * at least one. No `*` patterns: every repository is named.
   */
  readonly sourceRepos: string[];
  /**
   * Namespace Argo CD runs in; the AppProject is created there.
   * @default 'argocd'
   */
  readonly namespace?: string;
  /**
   * API server URL of the cluster the tenant deploys to, as Argo CD knows it.
   * @default 'https://kubernetes.default.svc' — the cluster Argo CD runs in
   */
  readonly server?: string;
}

/** Properties of a {@link Tenant}. */
export interface TenantProps {
  /**
   * Name of the tenant and of its namespace: a DNS label, not `default` or
   * starting with `kube-`.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Size of a typical workload of the tenant: the LimitRange gives
   * containers without requests or limits this size's values, and the
   * quota always holds one more pod of it (a debug pod, a pod still
   * terminating during a rollout).
   * @default Size.M
   */
  readonly size?: Size;
  /**
   * Totals the namespace may consume; missing fields are derived from the
   * workloads added with `addWorkload`, given ones are checked against them.
   * @default - derived from the workloads: their peak plus 25% headroom (see TenantQuota)
   */
  readonly quota?: TenantQuota;
  /**
   * Groups (as the cluster's authenticator names them) that may read the
   * tenant's workloads: get, list and watch on pods and their logs,
   * Deployments, Jobs, Services, ConfigMaps, Ingresses, autoscalers and
   * the like. Never Secrets, `pods/exec`, `pods/portforward` or `pods/attach`.
   * @default - none: the read-only Role is not bound
   */
  readonly readOnlyGroups?: string[];
  /**
   * Groups that may deploy: everything `readOnlyGroups` may, plus create,
   * update, patch and delete on Deployments (and their scale), Services,
   * ConfigMaps, Ingresses, HorizontalPodAutoscalers, PodDisruptionBudgets,
   * Jobs, CronJobs and ExternalSecrets. Never Secrets, `pods/exec` or `pods/portforward`.
   * @default - none: the deployer Role is not bound
   */
  readonly deployerGroups?: string[];
  /**
   * The tenant's External Secrets `SecretStore` named `paved`, reading AWS
   * Secrets Manager through the given role.
   * @default - no SecretStore
   */
  readonly secretStore?: TenantSecretStore;
  /**
   * An Argo CD AppProject that lets the tenant's Applications deploy only
   * into its namespace, from the named repositories, no cluster-scoped
   * objects, and not the objects that fence the tenant in (ResourceQuota,
   * LimitRange, Role, RoleBinding, SecretStore); objects no Application
   * manages are reported as orphaned. With the GitOps construct, which
   * writes each tenant's AppProject itself, leave this out.
   * @default - no AppProject
   */
  readonly appProject?: TenantAppProject;
}

const DEFAULT_ARGOCD_NAMESPACE = 'argocd';
const DEFAULT_SERVER = 'https://kubernetes.default.svc';
/** Room a derived quota leaves above the workloads' peak, percent (besides one more pod of the tenant's size). */
const HEADROOM_PERCENT = 25;
/** Most workloads a quota error names; the rest are counted. */
const MAX_NAMED = 8;
const COMPONENT = 'tenant';
const READ = ['get', 'list', 'watch'];
const MANAGE = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
const SOURCE_REPO = /^(https:\/\/|ssh:\/\/|oci:\/\/|git@)[^\s*!]+$/;
const SERVER = /^https:\/\/[^\s*]+$/;

/**
 * What the read-only groups see: the usual workload kinds. Secrets are left
 * out (reading one is reading the credential), and so are the pod
 * subresources that run code or open tunnels (`exec`, `attach`, `portforward`).
 */
const READ_RULES: PolicyRule[] = [
  {
    apiGroups: [''],
    resources: ['pods', 'services', 'endpoints', 'configmaps', 'events', 'persistentvolumeclaims',
      'serviceaccounts', 'resourcequotas', 'limitranges', 'replicationcontrollers'],
    verbs: READ,
  },
  { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
  { apiGroups: ['apps'], resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'], verbs: READ },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: READ },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: READ },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: READ },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses', 'networkpolicies'], verbs: READ },
  { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: READ },
  { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: READ },
  { apiGroups: ['external-secrets.io'], resources: ['externalsecrets', 'secretstores'], verbs: READ },
  { apiGroups: ['keda.sh'], resources: ['scaledobjects', 'scaledjobs', 'triggerauthentications'], verbs: READ },
  { apiGroups: ['monitoring.coreos.com'], resources: ['servicemonitors', 'podmonitors', 'prometheusrules'], verbs: READ },
];

/**
 * What deployers change besides reading. Not Secrets (ExternalSecrets
 * write them), not RBAC, quotas or NetworkPolicies (the tenant's fence),
 * not TriggerAuthentications (they name IAM roles KEDA assumes).
 */
const DEPLOY_RULES: PolicyRule[] = [
  { apiGroups: ['apps'], resources: ['deployments'], verbs: MANAGE },
  { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['get', 'update', 'patch'] },
  { apiGroups: [''], resources: ['services', 'configmaps'], verbs: MANAGE },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: MANAGE },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: MANAGE },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: MANAGE },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: MANAGE },
  { apiGroups: ['external-secrets.io'], resources: ['externalsecrets'], verbs: MANAGE },
];

/** A Namespace is cluster-scoped: it must not carry the namespace of the chart it is written to. */
class ClusterScopedApiObject extends ApiObject {
  constructor(scope: Construct, id: string, props: ApiObjectProps) {
    super(scope, id, props);
  }

  public toJson(): any {
    const json = super.toJson();
    delete json.metadata.namespace;
    return json;
  }
}

/**
 * A team's slice of a cluster: a namespace fenced in by quotas, default
 * resource limits, network isolation, Pod Security and RBAC.
 *
 * Makes the Namespace (Pod Security Standard `restricted` enforced, audited
 * and warned, at the latest version), a ResourceQuota derived from the
 * workloads added with `addWorkload` (see {@link TenantQuota}) and a
 * LimitRange from the tenant's Size, a NetworkPolicy denying all ingress and egress plus
 * one allowing DNS, the `default` ServiceAccount without an API token, a
 * read-only and a deployer Role (no wildcards, no Secrets, no `pods/exec`),
 * each bound to its groups; optionally the External Secrets `SecretStore`
 * `paved` and an Argo CD AppProject limited to the tenant's namespace.
 *
 * Argo CD ordering: the Namespace is in sync wave `SyncWave.NAMESPACES`
 * and is never pruned or deleted by Argo CD (a person deletes a tenant's
 * namespace); every other object is in `SyncWave.TENANT_BOUNDARIES`.
 *
 * Namespaced objects are written to the tenant's namespace whatever the
 * chart's namespace; the Namespace itself carries none. Every object is a
 * public plain `ApiObject` for escape hatches (`addJsonPatch`).
 */
export class Tenant extends Construct {
  /** Name of the SecretStore a tenant namespace gets; ExternalSecrets refer to it (`Naming.SECRET_STORE`). */
  public static readonly SECRET_STORE_NAME: string = Naming.SECRET_STORE;

  /** Name of the tenant and of its namespace. */
  public readonly name: string;

  /** The Namespace (v1), labelled for the `restricted` Pod Security Standard. */
  public readonly namespace: ApiObject;
  /** The ResourceQuota (v1) named after the tenant. */
  public readonly resourceQuota: ApiObject;
  /** The LimitRange (v1) named after the tenant: default container requests and limits. */
  public readonly limitRange: ApiObject;
  /** The NetworkPolicy `default-deny` (networking.k8s.io/v1): no ingress, no egress for any pod. */
  public readonly defaultDenyPolicy: ApiObject;
  /** The NetworkPolicy `allow-dns` (networking.k8s.io/v1): every pod may query the cluster DNS. */
  public readonly allowDnsPolicy: ApiObject;
  /** The `default` ServiceAccount (v1), without an API token. */
  public readonly defaultServiceAccount: ApiObject;
  /** The Role `read-only` (rbac.authorization.k8s.io/v1). */
  public readonly readOnlyRole: ApiObject;
  /** The Role `deployer` (rbac.authorization.k8s.io/v1). */
  public readonly deployerRole: ApiObject;
  /** The RoleBinding `read-only`; undefined without `readOnlyGroups`. */
  public readonly readOnlyRoleBinding?: ApiObject;
  /** The RoleBinding `deployer`; undefined without `deployerGroups`. */
  public readonly deployerRoleBinding?: ApiObject;
  /** The SecretStore `paved` (external-secrets.io/v1); undefined without `secretStore`. */
  public readonly secretStore?: ApiObject;
  /** The AppProject (argoproj.io/v1alpha1) named after the tenant; undefined without `appProject`. */
  public readonly appProject?: ApiObject;

  private readonly size: Size;
  private readonly givenQuota: TenantQuota;
  private readonly consumers: IQuotaConsumer[] = [];
  /** The peak, kept for the rest of a span of validation or synthesis (see `peak()`). */
  private readonly keptPeak = new SpanMemo<Peak>(this);

  constructor(scope: Construct, id: string, props: TenantProps = {}) {
    super(checkedScope(scope, 'Tenant', arguments), id);
    const size = props.size ?? Size.M;
    this.name = props.name ?? id;
    validateDnsLabel(this, 'name', this.name);
    if (this.name === 'default' || this.name.startsWith('kube-')) {
      throw invalid(this, 'name', this.name, 'a name other than "default" and not starting with "kube-" (those namespaces belong to the cluster)');
    }
    this.size = size;
    this.givenQuota = this.validateQuota(props.quota ?? {}, size);
    const readOnlyGroups = this.validateGroups('readOnlyGroups', props.readOnlyGroups);
    const deployerGroups = this.validateGroups('deployerGroups', props.deployerGroups);
    if (props.secretStore !== undefined) { this.validateSecretStore(props.secretStore); }
    const appProject = props.appProject !== undefined ? this.validateAppProject(props.appProject) : undefined;

    const namespace = this.name;
    const metadata = (name: string, extraLabels: { [key: string]: string } = {}) => ({
      name,
      namespace,
      labels: { ...appLabels({ name, component: COMPONENT, partOf: this.name }), ...extraLabels },
      annotations: syncWaveAnnotation(SyncWave.TENANT_BOUNDARIES),
    });

    const namespaceManifest = KubeNamespace.manifest({
      metadata: {
        name: this.name,
        labels: {
          ...appLabels({ name: this.name, component: COMPONENT, partOf: this.name }),
          // `latest`: new restrictions of future Kubernetes versions apply at once, rather than when someone bumps a pin.
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/audit-version': 'latest',
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/warn-version': 'latest',
        },
        annotations: {
          ...syncWaveAnnotation(SyncWave.NAMESPACES),
          // Deleting a namespace deletes everything in it: removing the tenant from the code, or its
          // Application, leaves the namespace for a person to delete.
          'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
        },
      },
    });
    this.namespace = new ClusterScopedApiObject(this, 'Resource', namespaceManifest);

    this.resourceQuota = new ApiObject(this, 'ResourceQuota', {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: metadata(this.name),
      // Derived from the workloads, which may be added until synth.
      spec: Lazy.any({ produce: () => ({ hard: hardLimits(this.quota) }) }),
    });

    const app = size.app;
    this.limitRange = new ApiObject(this, 'LimitRange', KubeLimitRange.manifest({
      metadata: metadata(this.name),
      spec: {
        // A quota on requests and limits rejects every pod that leaves one out; these defaults fill them in.
        limits: [{
          type: 'Container',
          defaultRequest: {
            'cpu': Quantity.fromString(millicores(app.cpuRequestMillis)),
            'memory': Quantity.fromString(mebibytes(app.memoryRequestMiB)),
            'ephemeral-storage': Quantity.fromString(mebibytes(app.ephemeralStorageRequestMiB)),
          },
          default: {
            'cpu': Quantity.fromString(millicores(app.cpuLimitMillis)),
            'memory': Quantity.fromString(mebibytes(app.memoryLimitMiB)),
            'ephemeral-storage': Quantity.fromString(mebibytes(app.ephemeralStorageLimitMiB)),
          },
        }],
      },
    }));

    this.defaultDenyPolicy = new ApiObject(this, 'DefaultDenyNetworkPolicy', KubeNetworkPolicy.manifest({
      metadata: metadata('default-deny'),
      // Selects every pod; with no rules both directions are closed until a workload's own policy opens them.
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    }));
    this.allowDnsPolicy = new ApiObject(this, 'AllowDnsNetworkPolicy', KubeNetworkPolicy.manifest({
      metadata: metadata('allow-dns'),
      spec: { podSelector: {}, policyTypes: ['Egress'], egress: [kubeDnsEgressRule()] },
    }));

    this.defaultServiceAccount = new ApiObject(this, 'DefaultServiceAccount', KubeServiceAccount.manifest({
      metadata: metadata('default'),
      // Pods that name no ServiceAccount run as `default`; they get no API token.
      automountServiceAccountToken: false,
    }));

    this.readOnlyRole = new ApiObject(this, 'ReadOnlyRole', KubeRole.manifest({
      metadata: metadata('read-only'),
      rules: copyRules(READ_RULES),
    }));
    this.deployerRole = new ApiObject(this, 'DeployerRole', KubeRole.manifest({
      metadata: metadata('deployer'),
      rules: mergeRules([...READ_RULES, ...DEPLOY_RULES]),
    }));
    if (readOnlyGroups.length > 0) {
      this.readOnlyRoleBinding = this.roleBinding('ReadOnlyRoleBinding', metadata('read-only'), readOnlyGroups);
    }
    if (deployerGroups.length > 0) {
      this.deployerRoleBinding = this.roleBinding('DeployerRoleBinding', metadata('deployer'), deployerGroups);
    }

    if (props.secretStore !== undefined) {
      this.secretStore = new ApiObject(this, 'SecretStore', {
        apiVersion: 'external-secrets.io/v1',
        kind: 'SecretStore',
        metadata: metadata(Tenant.SECRET_STORE_NAME),
        spec: {
          provider: {
            aws: { service: 'SecretsManager', region: props.secretStore.region, role: props.secretStore.roleArn },
          },
        },
      });
    }

    if (appProject !== undefined) {
      this.appProject = new ApiObject(this, 'AppProject', {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'AppProject',
        metadata: { ...metadata(this.name), namespace: appProject.namespace },
        spec: tenantAppProjectSpec(this.name, appProject.sourceRepos, [{ server: appProject.server, namespace: this.name }]),
      });
    }

    this.recordDecisions(props, size);
    this.node.addValidation({ validate: () => this.quotaProblems() });
  }

  /**
   * The quota in force, every field resolved: the fields given, and the
   * others derived from the workloads added so far.
   */
  public get quota(): TenantQuota {
    const given = this.givenQuota;
    const derived = this.derivedQuota();
    const quota: { -readonly [K in keyof TenantQuota]: number } = { ...derived };
    for (const field of Object.keys(given) as (keyof TenantQuota)[]) {
      if (given[field] !== undefined) { quota[field] = given[field]!; }
    }
    // A limit derived below a request given would make the quota refuse what its requests allow.
    for (const [request, limit] of LIMIT_PAIRS) {
      if (given[limit] === undefined) { quota[limit] = Math.max(quota[limit]!, quota[request]!); }
    }
    return quota;
  }

  /**
   * Counts `workload` in the tenant's quota: the quota's missing fields are
   * derived from the workloads added, and the fields given must hold them
   * at their peak (checked at synth). The golden path ({@link Workload})
   * adds its workloads itself; add hand-made WebApps, Workers and CronJobs
   * of the namespace here.
   */
  public addWorkload(workload: IQuotaConsumer): void {
    this._addWorkload(workload);
  }

  /**
   * `addWorkload`, returning how to take the workload out again.
   * @internal
   */
  public _addWorkload(workload: IQuotaConsumer): () => void {
    if (workload === null || typeof workload !== 'object' || typeof (workload as any).quotaFootprint !== 'function') {
      throw invalid(this, 'addWorkload', workload, 'a workload with a quota footprint (a WebApp, Worker or CronJob)');
    }
    if (this.consumers.includes(workload)) {
      throw invalid(this, 'addWorkload', (workload as any).node?.path ?? workload, 'a workload not added already');
    }
    this.consumers.push(workload);
    return () => { this.consumers.splice(this.consumers.lastIndexOf(workload), 1); };
  }

  /**
   * The footprints of the workloads added, and their sums at the peak. Kept
   * for the rest of a span of validation or synthesis (a footprint renders
   * the workload's objects, and the quota, its check and the report's 8
   * decisions each ask for the peak) while the workloads are the same.
   */
  private peak(): Peak {
    return this.keptPeak.get(() => this.computePeak(), this.consumers);
  }

  private computePeak(): Peak {
    const footprints = this.consumers.map(c => c.quotaFootprint());
    const totals = {} as { -readonly [K in keyof TenantQuota]-?: number };
    for (const [field, measure] of MEASURES) {
      totals[field] = Math.ceil(footprints.reduce((sum, f) => sum + measure.amount(f), 0) - 1e-9);
    }
    return { footprints, totals };
  }

  /** The quota the workloads need: their peak plus headroom, and one more pod of the tenant's size. */
  private derivedQuota(): TenantQuota {
    const { totals } = this.peak();
    const app = this.size.app;
    const headroom = (need: number) => Math.ceil(need * HEADROOM_PERCENT / 100);
    const withPod = (need: number, onePod: number) => need + Math.max(headroom(need), onePod);
    return {
      cpuRequestMillis: withPod(totals.cpuRequestMillis, app.cpuRequestMillis),
      cpuLimitMillis: withPod(totals.cpuLimitMillis, app.cpuLimitMillis),
      memoryRequestMiB: withPod(totals.memoryRequestMiB, app.memoryRequestMiB),
      memoryLimitMiB: withPod(totals.memoryLimitMiB, app.memoryLimitMiB),
      ephemeralStorageRequestMiB: withPod(totals.ephemeralStorageRequestMiB, app.ephemeralStorageRequestMiB),
      ephemeralStorageLimitMiB: withPod(totals.ephemeralStorageLimitMiB, app.ephemeralStorageLimitMiB),
      pods: withPod(totals.pods, 1),
      services: totals.services + headroom(totals.services),
      persistentVolumeClaims: totals.persistentVolumeClaims + headroom(totals.persistentVolumeClaims),
      // Each opens the tenant to outside traffic: exactly what the workloads make.
      loadBalancers: totals.loadBalancers,
      nodePorts: totals.nodePorts,
    };
  }

  /** Quota fields given that the workloads do not fit in at their peak, each naming the workloads and the numbers. */
  private quotaProblems(): string[] {
    const given = this.givenQuota;
    const { footprints, totals } = this.peak();
    const problems: string[] = [];
    for (const [field, measure] of MEASURES) {
      const limit = given[field];
      if (limit === undefined || totals[field] <= limit) { continue; }
      const parts = footprints.map(f => ({ value: measure.amount(f), text: measure.describe(f) })).filter(p => p.value > 0)
        .sort((a, b) => b.value - a.value);
      const named = parts.slice(0, MAX_NAMED).map(p => p.text).join(', ') + (parts.length > MAX_NAMED ? `, and ${parts.length - MAX_NAMED} more` : '');
      problems.push(`quota.${field}: got ${limit}; expected at least ${totals[field]}: tenant ${this.name}: ${measure.label} `
        + `${measure.format(totals[field])} at max replicas + surge (${named}) exceed quota ${measure.format(limit)}; `
        + 'pods and objects beyond it are refused and rollouts stall (raise the quota, or leave the field out to derive it)');
    }
    return problems;
  }

  /** The quota fields given, validated: counts in range, limits not below requests, room for one container of the size. */
  private validateQuota(given: TenantQuota, size: Size): TenantQuota {
    if (given === null || typeof given !== 'object' || Array.isArray(given)) {
      throw invalid(this, 'quota', given, 'a TenantQuota: { cpuRequestMillis?, memoryRequestMiB?, pods?, services?, ... }');
    }
    const app = size.app;
    const counts: [keyof TenantQuota, number, number][] = [
      ['pods', 1, 10000], ['services', 0, 10000], ['persistentVolumeClaims', 0, 10000], ['loadBalancers', 0, 100], ['nodePorts', 0, 100],
    ];
    for (const [field, min, max] of counts) {
      validateLiteral(this, `quota.${field}`, given[field]);
      validateInteger(this, `quota.${field}`, given[field], min, max);
    }
    const pairs: [keyof TenantQuota, keyof TenantQuota, keyof typeof app, string][] = [
      ['cpuRequestMillis', 'cpuLimitMillis', 'cpuRequestMillis', 'm'],
      ['memoryRequestMiB', 'memoryLimitMiB', 'memoryRequestMiB', 'Mi'],
      ['ephemeralStorageRequestMiB', 'ephemeralStorageLimitMiB', 'ephemeralStorageRequestMiB', 'Mi'],
    ];
    for (const [request, limit, sizeRequest, unit] of pairs) {
      validateLiteral(this, `quota.${request}`, given[request]);
      validateLiteral(this, `quota.${limit}`, given[limit]);
      validateInteger(this, `quota.${request}`, given[request], 1, 1e9);
      validateInteger(this, `quota.${limit}`, given[limit], 1, 1e9);
      if (given[limit] !== undefined && given[request] !== undefined && given[limit]! < given[request]!) {
        throw invalid(this, `quota.${limit}`, given[limit],
          `at least quota.${request} (${given[request]}${unit}): the limits of the namespace's pods are never below their requests`);
      }
      // One container with the LimitRange defaults must fit, or nothing without explicit resources starts.
      const sizeLimit = sizeRequest.replace('Request', 'Limit') as keyof typeof app;
      for (const [property, needed] of [[request, app[sizeRequest]], [limit, app[sizeLimit]]] as [keyof TenantQuota, number][]) {
        if (given[property] !== undefined && given[property]! < needed) {
          throw invalid(this, `quota.${property}`, given[property],
            `at least ${needed}${unit}, the default of one container of size ${size.name} (set by the LimitRange)`);
        }
      }
    }
    return { ...given };
  }

  private validateGroups(property: string, groups: string[] | undefined): string[] {
    if (groups === undefined) { return []; }
    if (!Array.isArray(groups)) {
      throw invalid(this, property, groups, 'a list of group names');
    }
    groups.forEach((group, i) => {
      validateLiteral(this, `${property}[${i}]`, group);
      if (typeof group !== 'string' || group.trim() === '' || group !== group.trim() || group.length > 256) {
        throw invalid(this, `${property}[${i}]`, group, 'a group name of 1-256 characters without surrounding spaces');
      }
      if (group.startsWith('system:')) {
        throw invalid(this, `${property}[${i}]`, group,
          'a group of people, not a "system:" group (those hold every authenticated user, node or service account)');
      }
      if (groups.indexOf(group) !== i) {
        throw invalid(this, `${property}[${i}]`, group, 'each group listed once');
      }
    });
    return [...groups];
  }

  private validateSecretStore(store: TenantSecretStore): void {
    validateLiteral(this, 'secretStore.region', store.region);
    if (!AWS_REGIONS.includes(store.region)) {
      throw invalid(this, 'secretStore.region', store.region, `an AWS region: ${AWS_REGIONS.join(', ')}`);
    }
    validateIamRoleArn(this, 'secretStore.roleArn', store.roleArn);
    const partition = partitionOf(store.region);
    if (!store.roleArn.startsWith(`arn:${partition}:`)) {
      throw invalid(this, 'secretStore.roleArn', store.roleArn, `a role in partition ${partition}, the partition of region ${store.region}`);
    }
  }

  private validateAppProject(project: TenantAppProject): { sourceRepos: string[]; namespace: string; server: string } {
    const repos = project.sourceRepos;
    if (!Array.isArray(repos) || repos.length === 0) {
      throw invalid(this, 'appProject.sourceRepos', repos, 'at least one repository URL (Argo CD deploys nothing from an empty list)');
    }
    repos.forEach((repo, i) => {
      validateLiteral(this, `appProject.sourceRepos[${i}]`, repo);
      if (typeof repo !== 'string' || repo.length > 2048 || !SOURCE_REPO.test(repo)) {
        throw invalid(this, `appProject.sourceRepos[${i}]`, repo,
          'a repository URL starting with "https://", "ssh://", "oci://" or "git@", without "*" patterns, "!" or spaces');
      }
    });
    const namespace = project.namespace ?? DEFAULT_ARGOCD_NAMESPACE;
    validateDnsLabel(this, 'appProject.namespace', namespace);
    const server = project.server ?? DEFAULT_SERVER;
    validateLiteral(this, 'appProject.server', server);
    if (typeof server !== 'string' || !SERVER.test(server)) {
      throw invalid(this, 'appProject.server', server, 'an https:// API server URL such as "https://kubernetes.default.svc"');
    }
    return { sourceRepos: [...repos], namespace, server };
  }

  private roleBinding(id: string, metadata: { name: string; namespace: string; labels: { [key: string]: string } }, groups: string[]): ApiObject {
    return new ApiObject(this, id, KubeRoleBinding.manifest({
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: metadata.name },
      subjects: groups.map(name => ({ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name })),
    }));
  }

  private recordDecisions(props: TenantProps, size: Size): void {
    const given = props.quota ?? {};
    const derived = `${HEADROOM_PERCENT}% above the workloads' peak, +1 pod of size ${size.name}`;
    const source = (fields: (keyof TenantQuota)[], fallback: string = derived) => () =>
      fields.some(field => given[field] !== undefined) ? 'override' : `${fallback} (${this.consumers.length} workload${this.consumers.length === 1 ? '' : 's'})`;
    const pair = (request: keyof TenantQuota, limit: keyof TenantQuota, unit: (n: number) => string) => () => {
      const q = this.quota;
      return `requests ${unit(q[request]!)}, limits ${unit(q[limit]!)}`;
    };
    recordDerivedDecision(this, 'quota.cpu', pair('cpuRequestMillis', 'cpuLimitMillis', millicores), source(['cpuRequestMillis', 'cpuLimitMillis']));
    recordDerivedDecision(this, 'quota.memory', pair('memoryRequestMiB', 'memoryLimitMiB', mebibytes), source(['memoryRequestMiB', 'memoryLimitMiB']));
    recordDerivedDecision(this, 'quota.ephemeralStorage', pair('ephemeralStorageRequestMiB', 'ephemeralStorageLimitMiB', mebibytes),
      source(['ephemeralStorageRequestMiB', 'ephemeralStorageLimitMiB']));
    recordDerivedDecision(this, 'quota.pods', () => String(this.quota.pods), source(['pods']));
    recordDerivedDecision(this, 'quota.services', () => String(this.quota.services), source(['services'], `${HEADROOM_PERCENT}% above the workloads' Services`));
    recordDerivedDecision(this, 'quota.persistentVolumeClaims', () => String(this.quota.persistentVolumeClaims),
      source(['persistentVolumeClaims'], `${HEADROOM_PERCENT}% above the workloads' claims`));
    recordDerivedDecision(this, 'quota.loadBalancers', () => String(this.quota.loadBalancers), source(['loadBalancers'], 'the workloads\' LoadBalancer Services'));
    recordDerivedDecision(this, 'quota.nodePorts', () => String(this.quota.nodePorts), source(['nodePorts'], 'the workloads\' node ports'));
    recordDecision(this, 'limitRange', `container defaults of size ${size.name}`, `size ${size.name}`);
    recordDecision(this, 'podSecurity', 'restricted (enforce, audit, warn; latest)', 'paved default');
  }
}

/** The ResourceQuota's `hard` of a resolved quota. */
function hardLimits(q: TenantQuota): { [resource: string]: string } {
  return {
    'requests.cpu': millicores(q.cpuRequestMillis!),
    'limits.cpu': millicores(q.cpuLimitMillis!),
    'requests.memory': mebibytes(q.memoryRequestMiB!),
    'limits.memory': mebibytes(q.memoryLimitMiB!),
    'requests.ephemeral-storage': mebibytes(q.ephemeralStorageRequestMiB!),
    'limits.ephemeral-storage': mebibytes(q.ephemeralStorageLimitMiB!),
    'pods': String(q.pods),
    'services': String(q.services),
    'persistentvolumeclaims': String(q.persistentVolumeClaims),
    'services.loadbalancers': String(q.loadBalancers),
    'services.nodeports': String(q.nodePorts),
  };
}

/** Request and limit fields of the quota, pairwise. */
const LIMIT_PAIRS: [keyof TenantQuota, keyof TenantQuota][] = [
  ['cpuRequestMillis', 'cpuLimitMillis'], ['memoryRequestMiB', 'memoryLimitMiB'], ['ephemeralStorageRequestMiB', 'ephemeralStorageLimitMiB'],
];

/** How a quota field is summed over the workloads' footprints, and how messages show it. */
/** The footprints of a tenant's workloads and their sums at the peak. */
interface Peak {
  readonly footprints: WorkloadFootprint[];
  readonly totals: { [K in keyof TenantQuota]-?: number };
}

interface Measure {
  readonly label: string;
  amount(footprint: WorkloadFootprint): number;
  describe(footprint: WorkloadFootprint): string;
  format(value: number): string;
}

function perPod(label: string, field: keyof WorkloadFootprint, unit: (n: number) => string): Measure {
  const rounded = (n: number) => unit(Math.round(n * 100) / 100);
  return {
    label,
    amount: f => f.maxPods * (f[field] as number),
    describe: f => `${f.workload} ${f.maxPods} x ${rounded(f[field] as number)}`,
    format: n => unit(n),
  };
}

function counted(label: string, field: keyof WorkloadFootprint): Measure {
  return { label, amount: f => f[field] as number, describe: f => `${f.workload} ${f[field]}`, format: n => String(n) };
}

const MEASURES: [keyof TenantQuota, Measure][] = [
  ['cpuRequestMillis', perPod('cpu requests', 'podCpuRequestMillis', millicores)],
  ['cpuLimitMillis', perPod('cpu limits', 'podCpuLimitMillis', millicores)],
  ['memoryRequestMiB', perPod('memory requests', 'podMemoryRequestMiB', mebibytes)],
  ['memoryLimitMiB', perPod('memory limits', 'podMemoryLimitMiB', mebibytes)],
  ['ephemeralStorageRequestMiB', perPod('ephemeral-storage requests', 'podEphemeralStorageRequestMiB', mebibytes)],
  ['ephemeralStorageLimitMiB', perPod('ephemeral-storage limits', 'podEphemeralStorageLimitMiB', mebibytes)],
  ['pods', {
    label: 'pods',
    amount: f => f.maxPods,
    describe: f => `${f.workload} ${f.maxPods} (${f.maxPodsReason})`,
    format: n => String(n),
  }],
  ['services', counted('Services', 'services')],
  ['persistentVolumeClaims', counted('PersistentVolumeClaims', 'persistentVolumeClaims')],
  ['loadBalancers', counted('LoadBalancer Services', 'loadBalancers')],
  ['nodePorts', counted('node ports', 'nodePorts')],
];

/**
 * The same grants as `rules`, each (API group, resource) in one rule only:
 * resources of a group with the same verbs share a rule, in order of first mention.
 */
function mergeRules(rules: PolicyRule[]): PolicyRule[] {
  const verbsOf = new Map<string, Map<string, Set<string>>>();
  for (const rule of rules) {
    for (const group of rule.apiGroups!) {
      const resources = verbsOf.get(group) ?? new Map<string, Set<string>>();
      verbsOf.set(group, resources);
      for (const resource of rule.resources!) {
        const verbs = resources.get(resource) ?? new Set<string>();
        resources.set(resource, verbs);
        rule.verbs.forEach(verb => verbs.add(verb));
      }
    }
  }
  const merged: PolicyRule[] = [];
  for (const [group, resources] of verbsOf) {
    const byVerbs = new Map<string, string[]>();
    for (const [resource, verbs] of resources) {
      const key = MANAGE.filter(verb => verbs.has(verb)).join(',');
      byVerbs.set(key, [...(byVerbs.get(key) ?? []), resource]);
    }
    for (const [verbs, resourceList] of byVerbs) {
      merged.push({ apiGroups: [group], resources: resourceList, verbs: verbs.split(',') });
    }
  }
  return merged;
}

function copyRules(rules: PolicyRule[]): PolicyRule[] {
  return rules.map(rule => ({ apiGroups: [...rule.apiGroups!], resources: [...rule.resources!], verbs: [...rule.verbs] }));
}
