import { Construct } from 'constructs';
import { Kind, WorkerScaling } from './kind';
import { parsePlaceholders } from './placeholders';
import { BoundResource, checkProvisionResult } from './provisioner';
import { Provisioners } from './provisioners';
import { Resource } from './resource';
import { checkSecretLiterals } from './secret-literals';
import { LinkedWorkload, declareLinkTarget, linkService } from './service-links';
import { SHARED_WORKLOAD, bindSharedResource } from './shared-resource';
import { TenantSecretAccess } from './tenant-secret-access';
import { WorkloadObservabilityProps, containerPortsOf, observeWorkload, resourceScopesOf } from './workload-observability';
import { Cluster } from '../aws/cluster';
import { ICluster, requireNetworkPolicyEnforcement } from '../aws/imported-cluster';
import { INetwork, Network } from '../aws/network';
import { WorkloadIdentity } from '../aws/workload-identity';
import { checkArguments, checkedScope } from '../core/api-guard';
import { Environment } from '../core/environment';
import { invalid } from '../core/errors';
import { LookupKey } from '../core/lookup';
import { Naming } from '../core/naming';
import { Platform } from '../core/platform';
import { IScalingQueue } from '../core/scaling-queue';
import { Size } from '../core/size';
import { StackLayout } from '../core/stack-layout';
import { isDnsLabel, validateDnsLabel } from '../core/validation';
import { ConfigFile, ContainerResources, ContainerSpec } from '../k8s/container';
import { CronJob } from '../k8s/cron-job';
import { EgressRule } from '../k8s/egress-rule';
import { escapeEnvExpansion } from '../k8s/env';
import { ExternalSecret } from '../k8s/external-secret';
import { IngressRule } from '../k8s/ingress-rule';
import { Job } from '../k8s/job';
import { NetworkedWorkload } from '../k8s/networked-workload';
import { PodProps } from '../k8s/pod-props';
import { Probe } from '../k8s/probe';
import { WorkloadFootprint } from '../k8s/quota-footprint';
import { SecretKeyRef } from '../k8s/secret-key-ref';
import { ServicePort } from '../k8s/service-port';
import { Volume, VolumeMount } from '../k8s/volume';
import { WebApp } from '../k8s/web-app';
import { Worker } from '../k8s/worker';
import { WorkloadKind } from '../ops/golden-signals';
import { WorkloadMonitoring } from '../ops/workload-monitoring';

/** Properties of a {@link Workload}. */
export interface WorkloadProps extends WorkloadObservabilityProps {
  /** The team that owns the workload; also its Kubernetes namespace. A DNS label of at most 30 characters. */
  readonly tenant: string;
  /**
   * Container image: a tag other than `latest`, or a digest, unless the
   * environment's profile lets unpinned images pass with a warning
   * (`imagePolicy`, DEV's default).
   */
  readonly image: string;
  /**
   * What the workload runs as: `Kind.web()`, `Kind.worker({ scaling })`,
   * `Kind.cron({ schedule })` or `Kind.job({ hook })`. Props that do not apply to
   * the kind fail: `port`, `host`, `path`, `servicePort` and
   * `servicePorts` are a web workload's; `additionalPorts`, probes and
   * sidecars (`containers`) a web or worker workload's.
   * @default Kind.web()
   */
  readonly kind?: Kind;
  /**
   * Port the container serves HTTP on; required for a web workload, and
   * only for one.
   * @default - none: required for a web workload
   */
  readonly port?: number;
  /**
   * Public host name; an Ingress with TLS is made when given. May be a
   * placeholder to an output known at synth, e.g. `${resources.dns.host}`.
   *
   * The Ingress is of class `alb`: the AWS Load Balancer Controller (a
   * GitOps addon) serves it from an internet-facing Application Load
   * Balancer that sends to the pods' IPs, redirects HTTP to HTTPS, takes the
   * ACM certificate that covers the host (e.g. a {@link Certificate}),
   * and checks the pods' health on `/readyz` (unless `readinessProbe`
   * replaces it; then on `/`). The NetworkPolicy admits the load balancer
   * from the network's public subnets (for an imported network, which has
   * no subnet ranges, from the whole VPC).
   * @default - no Ingress: reachable only inside the cluster
   */
  readonly host?: string;
  /**
   * Capacity of the workload and, unless a resource asks for its own, of its resources.
   * @default Size.M
   */
  readonly size?: Size;
  /**
   * Resources the workload needs, by the name placeholders use (`db` in
   * `${resources.db.host}`). Requests of one type with the same `id` (in
   * one tenant) share one resource, made once under
   * `SharedResources/<type>-<id>` of the tenant's stack. Type `service` is another
   * workload's Service (`params.workload`, default the resource name;
   * `params.port`, a port name or number, default its only port), with
   * outputs `name`, `host`, `hostname`, `port` and `url`; both
   * NetworkPolicies admit the connection. A workload declared later can be
   * named when `params.port` is its port number; it must be declared by
   * synth.
   * @default - none
   */
  readonly resources?: { [name: string]: Resource };
  /**
   * Environment variables. Values may contain `${metadata.name}`,
   * `${metadata.annotations.<key>}` and `${resources.<name>.<output>}`;
   * `$$` is a literal `$` (so `$${` is a literal `${`), as in Score. Secret
   * outputs become `secretKeyRef`s. Kubernetes' own `$(VAR)` expansion
   * does not apply: the container sees `$(VAR)` as written.
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * Annotations, readable through `${metadata.annotations.<key>}` and set
   * on the pods. `paved.dev/not-secret` (comma-separated variable names,
   * file paths, `command` or `args`) acknowledges values the secret-literal
   * check flags wrongly: env values, file contents, `command` and `args`
   * that look like secrets are warnings, or errors where the profile says
   * `failOnSecretLiterals` (STAGING, PROD).
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
  /**
   * The cluster the workload runs on; one of its tenant's clusters when the
   * tenant was declared with `clusters`.
   * @default - the clusters its tenant was declared with, else the environment's one cluster (`Cluster.of(env)`)
   */
  readonly cluster?: ICluster;
  /**
   * The network its resources live in.
   * @default - the network of the environment (`Network.of(env)`)
   */
  readonly network?: INetwork;
  /**
   * URL path prefix the Ingress routes to the app; only with `host`.
   * @default '/'
   */
  readonly path?: string;
  /**
   * Port the Service listens on, when other than the container's `port`
   * (Score's `port` next to its `targetPort`). Other workloads reach the
   * app on it; the Ingress and NetworkPolicy use the container's port.
   * @default - `port`
   */
  readonly servicePort?: number;
  /**
   * Further ports of the Service, besides the main one, e.g. a gRPC or UDP
   * port. Only other workloads reach them (through `service` resources,
   * which admit the connection in both NetworkPolicies).
   * @default - none
   */
  readonly servicePorts?: ServicePort[];
  /**
   * Further container ports of the main container that are not on the
   * Service, by port name, e.g. `{ management: 8081 }` for probes; for a
   * worker, the ports its probes call. Web and worker workloads only.
   * @default - none
   */
  readonly additionalPorts?: { [name: string]: number };
  /**
   * Entrypoint of the main container, replacing the image's `ENTRYPOINT`.
   * @default - the image's entrypoint
   */
  readonly command?: string[];
  /**
   * Arguments of the main container's entrypoint, replacing the image's `CMD`.
   * @default - the image's arguments
   */
  readonly args?: string[];
  /**
   * Requests and limits of the main container overriding the size's.
   * @default - the size's
   */
  readonly containerResources?: ContainerResources;
  /**
   * Configuration files of the main container, kept in a ConfigMap. Text
   * content may contain the placeholders `env` accepts, unless `noExpand`
   * is set; only outputs known at synth may be used (a ConfigMap is no
   * place for a secret), others fail.
   * @default - none
   */
  readonly files?: WorkloadFile[];
  /**
   * Volumes of the pod, mounted through `volumeMounts`.
   * @default - none
   */
  readonly volumes?: Volume[];
  /**
   * Volumes the main container mounts; each one of `volumes`.
   * @default - none
   */
  readonly volumeMounts?: VolumeMount[];
  /**
   * Liveness probe of the main container. Web and worker workloads only.
   * @default - web: HTTP GET `/livez` on `port`; worker: none
   */
  readonly livenessProbe?: Probe;
  /**
   * Readiness probe of the main container. Web and worker workloads only.
   * @default - web: HTTP GET `/readyz` on `port`; worker: none
   */
  readonly readinessProbe?: Probe;
  /**
   * Sidecars, running next to the main container for the life of the pod.
   * Each needs a liveness probe. Web and worker workloads only (a sidecar
   * would keep a job's pod running after its main container finished).
   * @default - none
   */
  readonly containers?: WorkloadContainer[];
  /**
   * Init containers, run one after the other to completion before the
   * main container starts.
   * @default - none
   */
  readonly initContainers?: WorkloadContainer[];
}

/** A configuration file of a workload's container, whose content may hold placeholders. */
export interface WorkloadFile extends ConfigFile {
  /**
   * Take `content` literally: no placeholder is expanded and `$$` stays as written.
   * @default false
   */
  readonly noExpand?: boolean;
}

/**
 * A further container of a workload's pod (a sidecar or an init
 * container). Its `env` values and file contents may hold the same
 * placeholders as the workload's `env`.
 */
export interface WorkloadContainer {
  /** Name of the container, a DNS label unique in the pod and other than the workload's name. */
  readonly name: string;
  /** Container image, pinned by a tag other than `latest` or by a digest. */
  readonly image: string;
  /**
   * Entrypoint, replacing the image's `ENTRYPOINT`.
   * @default - the image's entrypoint
   */
  readonly command?: string[];
  /**
   * Arguments of the entrypoint, replacing the image's `CMD`.
   * @default - the image's arguments
   */
  readonly args?: string[];
  /**
   * Environment variables, with placeholders as in the workload's `env`.
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * TCP ports the container listens on, by port name. Not on an init container.
   * @default - none
   */
  readonly ports?: { [name: string]: number };
  /**
   * Requests and limits overriding the size's.
   * @default - the workload's size
   */
  readonly containerResources?: ContainerResources;
  /**
   * Probe that restarts the container when it fails; required for a sidecar, not allowed on an init container.
   * @default - none
   */
  readonly livenessProbe?: Probe;
  /**
   * Probe that takes the pod out of the Service while it fails; not on an init container.
   * @default - the liveness probe
   */
  readonly readinessProbe?: Probe;
  /**
   * Configuration files, with placeholders as in the workload's `files`.
   * @default - none
   */
  readonly files?: WorkloadFile[];
  /**
   * Volumes of the workload the container mounts.
   * @default - none
   */
  readonly volumeMounts?: VolumeMount[];
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The EKS Pod Identity agent on each node, where the AWS SDKs get the workload's credentials. */
const POD_IDENTITY_AGENT = { cidr: '169.254.170.23/32', ports: [80], description: 'EKS Pod Identity agent (AWS credentials)' };
/**
 * Names a workload cannot have: `tenant` names the tenant's own manifest,
 * `secrets` the tenant's secrets role (`<env>-<tenant>-secrets`, which the
 * workload's role `<env>-<tenant>-<workload>` would take).
 */
const RESERVED_NAMES = ['tenant', 'secrets'];
/** Resource type of another workload's Service, resolved by the workload layer itself. */
const SERVICE_TYPE = 'service';
const SERVICE_PARAMS = ['workload', 'port'];
/** The workloads of an environment, by name (see `workloadKey`). */
const WORKLOAD_NAMES = new LookupKey<Workload>('workload-names');
/** The IngressClass of the AWS Load Balancer Controller, which serves every workload's host. */
const LOAD_BALANCER_INGRESS_CLASS = 'alb';

/**
 * A developer's workload, of any kind (a web service, a worker, a scheduled
 * or a one-off job, see {@link WorkloadKind}), and what it needs, in both
 * outputs.
 *
 * Terraform side, in the tenant's stack (`env.tenantScope(tenant)`: the
 * stack `<env>-<tenant>`, or the environment's in the single-stack
 * layout): each requested resource (through its provisioner), its
 * connection secret `paved/<env>/<tenant>/<workload>/<resource>`, and an IAM
 * role bound by EKS Pod Identity to the workload's ServiceAccount with only
 * the runtime permissions its resources need. Kubernetes side: the
 * objects of its kind, a {@link WebApp} (Deployment, Service, Ingress,
 * autoscaling, disruption budget, network policy), a {@link Worker}, a
 * {@link CronJob} or a {@link Job}, and one ExternalSecret per resource
 * with secret outputs that materializes its connection details through the
 * tenant's SecretStore.
 *
 * The name (the construct id) is unique per tenant in the per-tenant
 * layout, per environment in the single-stack one.
 *
 * Resources shared through an `id` are provisioned once for all workloads
 * that ask (see `resources`); each still gets the grants and its own
 * ExternalSecret. Score files become workloads with {@link ScoreWorkloads}.
 */
export class Workload extends Construct implements LinkedWorkload {
  /** Every workload of `env` declared so far, in that order, whichever stack its tenant's resources are in. */
  public static allOf(env: Environment): Workload[] {
    checkArguments('Workload.allOf', arguments);
    return env._lookup.entries(WORKLOAD_NAMES);
  }

  /**
   * The construct holding the name `name` for a workload of `tenant` in
   * `env`, if any: names are unique per tenant (per-tenant layout) or per
   * environment (single stack).
   * @internal
   */
  public static _nameTaken(env: Environment, tenant: string, name: string): Construct | undefined {
    return env._lookup.get(WORKLOAD_NAMES, workloadKey(env, tenant, name))
      ?? (env._existingTenantScope(tenant)?.node.tryFindChild(name) as Construct | undefined);
  }

  /** Workload name (the construct id). */
  public readonly name: string;
  /** Tenant and namespace. */
  public readonly tenant: string;
  /** The environment. */
  public readonly environment: Environment;
  /** The IAM role and pod identity association of the workload's ServiceAccount. */
  public readonly identity: WorkloadIdentity;
  /** The clusters the workload runs on (its identity is associated on each). */
  public readonly clusters: ICluster[];
  /** What the workload runs as. */
  public readonly kind: Kind;
  /** The Kubernetes objects of a web workload; undefined for the other kinds. */
  public readonly app?: WebApp;
  /** The Kubernetes objects of a worker; undefined for the other kinds. */
  public readonly worker?: Worker;
  /** The Kubernetes objects of a cron workload; undefined for the other kinds. */
  public readonly cronJob?: CronJob;
  /** The Kubernetes objects of a one-off job; undefined for the other kinds. */
  public readonly job?: Job;
  /** The Kubernetes objects of the workload, whatever its kind: the one of `app`, `worker`, `cronJob` and `job` that is set. */
  public readonly objects: NetworkedWorkload;
  /** Labels that select the workload's pods (name and instance). */
  public readonly selectorLabels: { [key: string]: string };
  /** Capacity of the workload: its `size`, else `Size.M`. */
  public readonly size: Size;
  /** The resources it asked for, by name (its `resources`). */
  public readonly resources: { [name: string]: Resource };
  /** One ExternalSecret per resource with connection details, by resource name. */
  public readonly externalSecrets: { [resource: string]: ExternalSecret } = {};
  /**
   * What observes the workload: its scrape object, SLO and golden-signal
   * rules (add alerts with `addAlert`) and its dashboard (add rows to `dashboard`).
   */
  public readonly monitoring: WorkloadMonitoring;

  private readonly bound = new Map<string, BoundResource>();
  /** `service` resources linked to every port of a Service with several, which have no `port` or `url` output. */
  private readonly portlessLinks = new Map<string, string>();
  /** Egress rules of `service` resources given before the app exists, with their undo once added. */
  private readonly pendingEgress: { rule: EgressRule; undo?: () => void }[] = [];

  constructor(env: Environment, id: string, props: WorkloadProps) {
    super(preflight(checkedScope(env, 'Workload', arguments), id, props.tenant), id);
    env._lookup.removeOnRollback(this);
    this.name = id;
    this.environment = env;
    this.tenant = props.tenant;
    validateDnsLabel(this, 'name', id, 30);
    if (RESERVED_NAMES.includes(id)) {
      throw invalid(this, 'name', id, `a name other than ${RESERVED_NAMES.join(', ')} (reserved for the tenant's own manifest and secrets role)`);
    }
    if (id === SHARED_WORKLOAD) {
      throw invalid(this, 'name', id, `a name other than "${SHARED_WORKLOAD}" (reserved for resources shared through an id)`);
    }
    // Checked before the name is taken: props that do not fit the kind leave nothing behind.
    this.kind = props.kind ?? Kind.web();
    checkKindProps(this, this.kind, props);
    env._lookup.set(WORKLOAD_NAMES, workloadKey(env, props.tenant, id), this);
    checkSecretLiterals(this, env, props);
    const platform = Platform.of(this);
    const size = props.size ?? Size.M;
    this.size = size;
    this.resources = { ...props.resources };
    platform.recordDefault(this, 'size', size.name, props.size ? 'workload' : 'paved default');
    this.clusters = this.resolveClusters(env, props);
    const cluster = this.clusters[0];
    const network = props.network ?? Network.of(env);

    this.identity = new WorkloadIdentity(this, 'Identity', { cluster, namespace: props.tenant, serviceAccount: id });
    this.clusters.slice(1).forEach(c => this.identity.addCluster(c));

    for (const [name, resource] of Object.entries(props.resources ?? {})) {
      validateDnsLabel(this, `resources.${name}`, name, 30);
      if (resource.type === SERVICE_TYPE) {
        this.bound.set(name, this.bindService(name, resource));
        continue;
      }
      const provisioner = Provisioners.find(platform, resource.type, `${this.node.path}/resources.${name}`);
      const context = { environment: env, tenant: props.tenant, resource, size: resource.size ?? size, network, cluster, clusters: this.clusters };
      if (resource.id !== undefined) {
        this.bound.set(name, bindSharedResource(this, env.tenantScope(props.tenant), name, provisioner, context));
        continue;
      }
      const secretName = Naming.connectionSecret(env.name, props.tenant, id, name);
      const result = provisioner.provision({
        ...context,
        scope: new Construct(this, name),
        workload: id,
        resourceName: name,
        identity: this.identity,
        secretName,
      });
      checkProvisionResult(this, name, provisioner, result);
      this.bound.set(name, { result, secretName });
    }

    const chart = env.chart(id, props.tenant);
    const annotations = props.annotations ?? {};
    const { literal, fromSecret } = this.renderEnv('env', props.env ?? {}, annotations);
    const pod: PodProps & { image: string; command?: string[]; args?: string[] } = {
      image: props.image,
      imagePolicy: env.profile.imagePolicy,
      size,
      env: literal,
      secretEnv: fromSecret,
      podAnnotations: props.annotations,
      command: props.command,
      args: props.args,
      containerResources: props.containerResources,
      files: this.withProvisionedFiles(this.renderFiles('files', props.files, annotations)),
      volumes: props.volumes,
      volumeMounts: props.volumeMounts,
      initContainers: props.initContainers?.map((c, i) => this.renderContainer(`initContainers[${i}]`, c, annotations)),
      egress: [
        ...uniqueEgress([
          POD_IDENTITY_AGENT,
          ...[...this.bound.values()].flatMap(b => b.result.egress ?? [])
            .map(e => ({ cidr: e.cidr, ports: [e.port], description: e.description })),
        ]),
        ...[...this.bound.values()].flatMap(b => b.result.egressRules ?? []),
      ],
    };
    const sidecars = props.containers?.map((c, i) => this.renderContainer(`containers[${i}]`, c, annotations));
    let workerScaling: { queue?: IScalingQueue; queueLengthTarget?: number; scaleToZero?: boolean } = {};
    switch (this.kind.name) {
      case WorkloadKind.WEB:
        this.app = new WebApp(chart, 'WebApp', {
          ...pod,
          name: id,
          profile: env.profile,
          port: props.port,
          servicePort: props.servicePort,
          servicePorts: props.servicePorts,
          host: props.host !== undefined ? this.resolveText('host', props.host, annotations) : undefined,
          ...(props.host !== undefined ? loadBalancerIngress(network, props) : {}),
          path: props.path,
          additionalPorts: props.additionalPorts,
          livenessProbe: props.livenessProbe,
          readinessProbe: props.readinessProbe,
          containers: sidecars,
        });
        this.objects = this.app;
        break;
      case WorkloadKind.WORKER:
        workerScaling = this.queueScaling(env);
        this.worker = new Worker(chart, 'Worker', {
          ...pod,
          name: id,
          profile: env.profile,
          ports: props.additionalPorts ?? {},
          livenessProbe: props.livenessProbe,
          readinessProbe: props.readinessProbe,
          // Probes only where declared: a worker need not serve anything a probe could call.
          withoutProbes: props.livenessProbe === undefined && props.readinessProbe === undefined ? true : undefined,
          containers: sidecars,
          ...workerScaling,
        });
        this.objects = this.worker;
        break;
      case WorkloadKind.CRON_JOB: {
        const o = this.kind._options;
        this.cronJob = new CronJob(chart, 'CronJob', {
          ...pod,
          name: id,
          schedule: o.schedule!,
          timeZone: o.timeZone,
          concurrencyPolicy: o.concurrencyPolicy,
          activeDeadlineSeconds: o.activeDeadlineSeconds,
          backoffLimit: o.backoffLimit,
          startingDeadlineSeconds: o.startingDeadlineSeconds,
          suspend: o.suspend,
        });
        this.objects = this.cronJob;
        break;
      }
      default: {
        const { hook, backoffLimit, activeDeadlineSeconds, ttlSecondsAfterFinished } = this.kind._options;
        this.job = new Job(chart, 'Job', { ...pod, name: id, hook, backoffLimit, activeDeadlineSeconds, ttlSecondsAfterFinished });
        this.objects = this.job;
      }
    }
    const made = (this.app ?? this.worker ?? this.cronJob ?? this.job)!;
    this.selectorLabels = { ...made.selectorLabels };
    for (const pending of this.pendingEgress) { pending.undo = this.objects._allowEgressTo(pending.rule); }
    // Resources whose outputs are all known at synth (another workload's Service) need no Secret.
    const withSecrets = [...this.bound].filter(([, b]) => b.result.remoteKeys.length > 0 || (b.result.remoteByTags ?? []).length > 0);
    const deployment = this.app?.deployment ?? this.worker?.deployment;
    const otherSecrets = [...this.bound.values()].flatMap(b => b.result.outputs.flatMap(o => o.secretKeyRef ? [o.secretKeyRef.secretName] : []));
    const watched = [...new Set([...withSecrets.map(([name]) => this.secretNameOf(name)), ...otherSecrets])];
    if (watched.length > 0 && deployment) {
      // Env vars are read once at start; RDS rotates the master password every 7 days. Stakater
      // Reloader (when installed) restarts the pods when a Secret they read changes. A job's
      // pods read the Secrets afresh on every run.
      deployment.metadata.addAnnotation('secret.reloader.stakater.com/reload', watched.join(','));
    }
    for (const [name, bound] of withSecrets) {
      this.externalSecrets[name] = this.externalSecret(chart, name, bound);
    }
    // Every kind makes this one call with its own description (kind, ports, replicas, queue, schedule).
    const replicas = this.app ?? this.worker;
    this.monitoring = observeWorkload({
      scope: this,
      environment: env,
      chart,
      name: id,
      tenant: props.tenant,
      kind: this.kind.name,
      selectorLabels: this.selectorLabels,
      servicePorts: this.app?.servicePorts ?? [],
      containerPorts: containerPortsOf(props),
      minReplicas: replicas?.minReplicas,
      maxReplicas: replicas?.maxReplicas,
      queue: workerScaling.queue,
      queueLengthTarget: workerScaling.queueLengthTarget,
      startingDeadlineSeconds: this.cronJob ? this.kind._options.startingDeadlineSeconds : undefined,
      resourceScopes: resourceScopesOf(this, env, props.tenant, props.resources ?? {}),
      allowIngressFrom: rule => this.objects.allowIngressFrom(rule),
    }, props).monitoring;
    const tenant = TenantSecretAccess.of(env, props.tenant);
    tenant._addWorkloadClusters(this.clusters);
    tenant._addQuotaConsumer(this.objects);
    declareLinkTarget(env, this);
  }

  /**
   * The most the workload takes from its tenant's quota at once: pods at
   * their peak (most replicas plus the rollout's surge, or parallel job
   * runs), each pod's requests and limits, its Services.
   */
  public footprint(): WorkloadFootprint {
    return this.objects.quotaFootprint();
  }

  /** Its `cluster`, checked against its tenant's clusters, else the tenant's clusters, else the environment's one. */
  private resolveClusters(env: Environment, props: WorkloadProps): ICluster[] {
    const declared = TenantSecretAccess._declaredClusters(env, props.tenant);
    if (props.cluster === undefined) {
      if (declared) { return declared; }
      const cluster = Cluster.of(this);
      requireNetworkPolicyEnforcement(this, 'cluster', cluster);
      return [cluster];
    }
    if (declared && !declared.includes(props.cluster)) {
      throw invalid(this, 'cluster', (props.cluster as any)?.node?.path ?? props.cluster,
        `one of the clusters tenant ${props.tenant} runs on (${declared.map(c => c.node.path).join(', ')})`);
    }
    requireNetworkPolicyEnforcement(this, 'cluster', props.cluster);
    return [props.cluster];
  }

  /**
   * The ports of the workload's Kubernetes Service, which `service`
   * resources of other workloads connect to: `http` (the app's port) first.
   */
  public get ports(): ServicePort[] {
    return this.app ? this.app.servicePorts.map(p => ({ ...p })) : [];
  }

  /** The KEDA scaling of a worker on a queue resource, checked: the resource, its queue, KEDA's permission to read it. */
  private queueScaling(env: Environment): { queue?: IScalingQueue; queueLengthTarget?: number; scaleToZero?: boolean } {
    const scaling = this.kind._options.scaling ?? WorkerScaling.cpu();
    if (!(scaling instanceof WorkerScaling)) {
      throw invalid(this, 'kind.scaling', scaling, 'WorkerScaling.cpu() or WorkerScaling.queue(<queue resource>)');
    }
    const name = scaling.queueResource;
    if (name === undefined) { return {}; }
    const property = 'kind.scaling.queue';
    const bound = this.bound.get(name);
    if (!bound) {
      throw invalid(this, property, name, `the name of a queue resource of the workload (resources: ${[...this.bound.keys()].join(', ') || 'none'})`);
    }
    const queue = bound.result.scalingQueue;
    if (!queue) {
      throw invalid(this, property, name, 'a queue resource, whose provisioner offers a queue KEDA can read (e.g. Resource.queue())');
    }
    // KEDA reads the depth with its environment role, which paved binds on the clusters it creates and
    // which may read the environment's queues only: without both, the scaler could never read the queue.
    const prefix = Naming.queuePrefix(env.name);
    if (typeof queue.queueName !== 'string' || !queue.queueName.startsWith(prefix)) {
      throw invalid(this, property, name, `a queue whose name starts with "${prefix}": KEDA's role ${Naming.kedaOperatorRole(env.name)} `
        + `may read the depth of those queues only, and queue ${JSON.stringify(queue.queueName)} is not one`);
    }
    const imported = this.clusters.find(c => !(c instanceof Cluster));
    if (imported) {
      throw invalid(this, property, name, `workloads on clusters paved creates, whose KEDA role may read the queue: cluster ${imported.node.path} is imported, `
        + 'so KEDA there has no permission paved can vouch for (scale a hand-made Worker with queueScalerRoleArn instead)');
    }
    const options = scaling._options;
    return { queue, queueLengthTarget: options.messagesPerReplica, scaleToZero: options.scaleToZero };
  }

  /**
   * Binds a `service` resource: the Service of another workload of the
   * environment, by name (`params.workload`, default: the resource name).
   * Outputs: `name`, `host` and `hostname` (the in-cluster DNS name),
   * `port` and `url`, all known at synth. Both NetworkPolicies admit the
   * connection: the caller's egress and the target's ingress.
   */
  private bindService(name: string, resource: Resource): BoundResource {
    const property = `resources.${name}.params`;
    const unknown = Object.keys(resource.params).filter(p => !SERVICE_PARAMS.includes(p));
    if (unknown.length > 0) {
      throw invalid(this, property, unknown, `only the params service accepts: ${SERVICE_PARAMS.join(', ')}`);
    }
    if (resource.id !== undefined) {
      throw invalid(this, `resources.${name}.id`, resource.id, 'no id: a service resource names its workload in params.workload');
    }
    const targetName = resource.params.workload ?? name;
    if (typeof targetName !== 'string' || !isDnsLabel(targetName, 30) || targetName === this.name) {
      throw invalid(this, `${property}.workload`, targetName, 'the name of another workload of this environment');
    }
    const requested = resource.params.port;
    if (requested !== undefined && typeof requested !== 'string' && !(Number.isInteger(requested) && requested >= 1 && requested <= 65535)) {
      throw invalid(this, `${property}.port`, requested, 'a port name or number of the workload\'s Service');
    }
    const link = linkService(this.environment, this, name, targetName, requested);
    const host = `${targetName}.${link.tenant}.svc.cluster.local`;
    const values: { [output: string]: string } = { name: targetName, host, hostname: host };
    if (link.port !== undefined) {
      values.port = String(link.port);
      values.url = `http://${host}:${link.port}`;
    }
    if (link.port === undefined) { this.portlessLinks.set(name, targetName); }
    return {
      result: {
        outputs: Object.entries(values).map(([output, value]) => ({ name: output, secret: false, value })),
        remoteKeys: [],
      },
    };
  }

  /**
   * Lets the workload's pods reach `rule`'s destination (NetworkPolicy
   * egress), now or once the app exists; returns how to undo it.
   * @internal
   */
  public _allowEgressTo(rule: EgressRule): () => void {
    if (this.objects) { return this.objects._allowEgressTo(rule); }
    const pending: { rule: EgressRule; undo?: () => void } = { rule };
    this.pendingEgress.push(pending);
    return () => {
      pending.undo?.();
      this.pendingEgress.splice(this.pendingEgress.indexOf(pending), 1);
    };
  }

  /**
   * Admits `rule`'s callers to the workload's pods (NetworkPolicy ingress); returns how to undo it.
   * @internal
   */
  public _allowIngressFrom(rule: IngressRule): () => void {
    return this.objects._allowIngressFrom(rule);
  }

  /** Name of the Kubernetes Secret holding the connection details of resource `name`. */
  public secretNameOf(name: string): string {
    return Naming.kubernetesSecret(this.name, name);
  }

  private externalSecret(chart: Construct, name: string, bound: BoundResource): ExternalSecret {
    const target = this.secretNameOf(name);
    return new ExternalSecret(chart, `ExternalSecret-${name}`, {
      name: target,
      labels: {
        'app.kubernetes.io/name': this.name,
        'app.kubernetes.io/instance': target,
        'app.kubernetes.io/component': 'connection-secret',
        'app.kubernetes.io/part-of': this.tenant,
        'app.kubernetes.io/managed-by': 'paved',
      },
      data: bound.result.remoteKeys.map(k => ({ secretKey: k.secretKey, remoteKey: k.remoteKey, property: k.property })),
      find: (bound.result.remoteByTags ?? []).map(f => ({ tags: f.tags, properties: f.properties })),
      templates: Object.fromEntries((bound.result.templates ?? []).map(t => [t.secretKey, t.template])),
    });
  }

  /** The main container's files and those its resources' provisioners give it (a data store's CA certificates), each path once. */
  private withProvisionedFiles(files: ConfigFile[] | undefined): ConfigFile[] | undefined {
    const provisioned = [...this.bound].flatMap(([name, b]) => (b.result.files ?? []).map(file => ({ name, file })));
    if (provisioned.length === 0) { return files; }
    const all: ConfigFile[] = [...(files ?? [])];
    for (const { name, file } of provisioned) {
      const same = all.find(f => f.path === file.path);
      if (same && same.content !== file.content) {
        throw invalid(this, `resources.${name}`, file.path, 'a file path no other file of the main container has (a declared file or another resource\'s)');
      }
      if (!same) { all.push({ path: file.path, content: file.content }); }
    }
    return all;
  }

  /**
   * Splits env vars into literal values and values read from the resources'
   * Kubernetes Secrets. A value that mixes text and secret outputs is
   * composed by Kubernetes from helper variables (`$(VAR)` expansion), so no
   * secret is ever written into the YAML.
   */
  private renderEnv(property: string, env: { [name: string]: string }, annotations: { [key: string]: string }):
  { literal: { [name: string]: string }; fromSecret: { [name: string]: SecretKeyRef } } {
    const literal: { [name: string]: string } = {};
    const fromSecret: { [name: string]: SecretKeyRef } = {};
    for (const [name, value] of Object.entries(env)) {
      if (!ENV_NAME.test(name)) {
        throw invalid(this, `${property}.${name}`, name, 'an environment variable name: letters, digits and underscores, not starting with a digit');
      }
      if (typeof value !== 'string') {
        throw invalid(this, `${property}.${name}`, value, 'a string');
      }
      const parsed = parsePlaceholders(value);
      if (parsed.error) {
        throw invalid(this, `${property}.${name}`, value, `a value with well-formed placeholders (${parsed.error})`);
      }
      const pieces: ({ text: string } | { secretName: string; key: string })[] = parsed.segments.map(segment => {
        if (segment.literal !== undefined) { return { text: segment.literal }; }
        return this.resolve(`${property}.${name}`, value, segment.reference!, annotations);
      });
      const refs = pieces.filter((p): p is { secretName: string; key: string } => 'key' in p);
      if (refs.length === 0) {
        literal[name] = escapeEnvExpansion(pieces.map(p => (p as { text: string }).text).join(''));
      } else if (refs.length === 1 && pieces.length === 1) {
        fromSecret[name] = refs[0];
      } else {
        const composed = pieces.map((p, i) => {
          if ('text' in p) { return escapeEnvExpansion(p.text, i + 1 < pieces.length); }
          const helper = `PAVED_${p.secretName}_${p.key}`.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
          fromSecret[helper] = p;
          return `$(${helper})`;
        });
        literal[name] = composed.join('');
      }
    }
    return { literal, fromSecret };
  }

  /**
   * A value whose placeholders all resolve to text known at synth: a host
   * name, a file that goes into a ConfigMap. A secret output, or one known
   * only after `terraform apply`, fails.
   */
  private resolveText(property: string, value: string, annotations: { [key: string]: string }): string {
    if (typeof value !== 'string') {
      throw invalid(this, property, value, 'a string');
    }
    const parsed = parsePlaceholders(value);
    if (parsed.error) {
      throw invalid(this, property, value, `a value with well-formed placeholders (${parsed.error})`);
    }
    return parsed.segments.map(segment => {
      if (segment.literal !== undefined) { return segment.literal; }
      const resolved = this.resolve(property, value, segment.reference!, annotations);
      if ('text' in resolved) { return resolved.text; }
      const [, resource, output] = segment.reference!;
      const out = this.bound.get(resource)!.result.outputs.find(o => o.name === output)!;
      throw invalid(this, property, `\${${segment.reference!.join('.')}}`,
        `placeholders to outputs known at synth: ${resource}.${output} is ${out.secret ? 'secret' : 'known only after deployment'}, `
        + 'and this value is written into the manifests as text (a file is kept in a ConfigMap, which is no place for secrets); '
        + 'read it from an environment variable instead');
    }).join('');
  }

  private renderFiles(property: string, files: WorkloadFile[] | undefined, annotations: { [key: string]: string }): ConfigFile[] | undefined {
    if (files === undefined) { return undefined; }
    if (!Array.isArray(files)) {
      throw invalid(this, property, files, 'a list of files');
    }
    return files.map((file, i) => {
      const { noExpand, ...config } = file;
      if (noExpand === true || file.content === undefined) { return config; }
      return { ...config, content: this.resolveText(`${property}[${i}].content`, file.content, annotations) };
    });
  }

  private renderContainer(property: string, container: WorkloadContainer, annotations: { [key: string]: string }): ContainerSpec {
    if (container === null || typeof container !== 'object') {
      throw invalid(this, property, container, 'a container: { name, image, ... }');
    }
    const { literal, fromSecret } = this.renderEnv(`${property}.env`, container.env ?? {}, annotations);
    return {
      ...container,
      env: literal,
      secretEnv: fromSecret,
      files: this.renderFiles(`${property}.files`, container.files, annotations),
    };
  }

  private resolve(property: string, value: string, path: string[], annotations: { [key: string]: string }):
  { text: string } | { secretName: string; key: string } {
    const [root, ...rest] = path;
    if (root === 'metadata' && rest.length === 1 && rest[0] === 'name') {
      return { text: this.name };
    }
    if (root === 'metadata' && rest[0] === 'annotations' && rest.length === 2) {
      if (!(rest[1] in annotations)) {
        throw invalid(this, property, value, `a placeholder to a declared annotation (${Object.keys(annotations).join(', ') || 'none declared'}); "${rest[1]}" is not one`);
      }
      return { text: annotations[rest[1]] };
    }
    if (root === 'resources' && rest.length === 2) {
      const [resource, output] = rest;
      const bound = this.bound.get(resource);
      if (!bound) {
        throw invalid(this, property, value, `a placeholder to a declared resource (${[...this.bound.keys()].join(', ') || 'none declared'}); "${resource}" is not one`);
      }
      const out = bound.result.outputs.find(o => o.name === output);
      if (!out && this.portlessLinks.has(resource) && (output === 'port' || output === 'url')) {
        throw invalid(this, property, value, `a port of workload ${JSON.stringify(this.portlessLinks.get(resource))} named in resources.${resource}.params.port, `
          + `for its ${output}: its Service has several ports, and without one the link admits them all but has no single ${output}`);
      }
      if (!out) {
        const withheld = bound.result.withheldOutputs?.[output];
        throw invalid(this, property, value, `an output of ${resource}: ${bound.result.outputs.map(o => o.name).join(', ')}; "${output}" is not one`
          + (withheld !== undefined ? ` (${withheld})` : ''));
      }
      if (!out.secret && out.value !== undefined) { return { text: out.value }; }
      if (out.secretKeyRef !== undefined) { return { secretName: out.secretKeyRef.secretName, key: out.secretKeyRef.key }; }
      return { secretName: this.secretNameOf(resource), key: output };
    }
    throw invalid(this, property, value, 'placeholders of the form ${metadata.name}, ${metadata.annotations.<key>} or ${resources.<name>.<output>}');
  }
}

/** Props that apply to some kinds only, with the kinds and why. */
const KIND_PROPS: { readonly props: readonly (keyof WorkloadProps)[]; readonly kinds: readonly string[]; readonly why: string }[] = [
  { props: ['host', 'path', 'servicePort', 'servicePorts'], kinds: [WorkloadKind.WEB], why: 'only a web workload has a Service' },
  {
    props: ['additionalPorts', 'livenessProbe', 'readinessProbe', 'containers'],
    kinds: [WorkloadKind.WEB, WorkloadKind.WORKER],
    why: 'a job runs once and ends: no ports, probes or sidecars (a sidecar would keep its pod running)',
  },
];

/** Fails when `kind` is not a WorkloadKind, or a prop does not apply to it. */
function checkKindProps(scope: Construct, kind: Kind, props: WorkloadProps): void {
  if (!(kind instanceof Kind)) {
    throw invalid(scope, 'kind', kind, 'Kind.web(), Kind.worker({...}), Kind.cron({ schedule }) or Kind.job({...})');
  }
  if (kind.name === WorkloadKind.WEB && props.port === undefined) {
    throw invalid(scope, 'port', undefined, 'the port the container serves HTTP on, for a web workload (or another kind: '
      + 'Kind.worker() for a workload that serves nothing, Kind.cron({ schedule }), Kind.job())');
  }
  if (kind.name !== WorkloadKind.WEB && props.port !== undefined) {
    throw invalid(scope, 'port', props.port, `no value for a ${kind.name} workload: only a web workload has a Service `
      + (kind.isLongRunning ? '(additionalPorts declares ports for probes and scrapers)' : '(a job serves nothing)'));
  }
  for (const rule of KIND_PROPS) {
    if (rule.kinds.includes(kind.name)) { continue; }
    const given = rule.props.find(p => props[p] !== undefined);
    if (given !== undefined) {
      throw invalid(scope, given, props[given], `no value for a ${kind.name} workload: ${rule.why}`);
    }
  }
}

/** The workload's scope (its tenant's), once its name and tenant are known to be free and valid. */
function preflight(env: Environment, id: string, tenant: string): Construct {
  validateDnsLabel(`${env.node.path}/${id}`, 'tenant', tenant, 30);
  // A construct id already taken below the scope would make the constructs library throw.
  if (Workload._nameTaken(env, tenant, id)) {
    throw invalid(`${env.node.path}/${id}`, 'name', id, env.stackLayout === StackLayout.PER_TENANT
      ? `a name not used by another workload or construct of tenant ${tenant} of environment ${env.name}`
      : `a name not used by another workload or construct of environment ${env.name}`);
  }
  return env.tenantScope(tenant);
}

/** Workload names are unique per tenant in the per-tenant layout (each tenant has a stack), else per environment. */
function workloadKey(env: Environment, tenant: string, name: string): string {
  return env.stackLayout === StackLayout.PER_TENANT ? `${tenant}/${name}` : name;
}

/**
 * How a workload's host is served: by the AWS Load Balancer Controller's
 * Application Load Balancer (class `alb`, IP targets), which reaches the
 * pods from the public subnets it runs in.
 */
function loadBalancerIngress(network: INetwork, props: WorkloadProps):
{ ingressClassName: string; ingressSourceCidrs: string[]; ingressAnnotations: { [key: string]: string } } {
  return {
    ingressClassName: LOAD_BALANCER_INGRESS_CLASS,
    ingressSourceCidrs: network instanceof Network ? network.publicSubnetCidrs : [network.vpcCidr],
    ingressAnnotations: {
      'alb.ingress.kubernetes.io/target-type': 'ip',
      'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP":80},{"HTTPS":443}]',
      'alb.ingress.kubernetes.io/ssl-redirect': '443',
      // The load balancer's own health check; a replaced readiness probe may not answer on this path.
      ...(props.readinessProbe === undefined ? { 'alb.ingress.kubernetes.io/healthcheck-path': '/readyz' } : {}),
    },
  };
}

/** Egress rules without repeats: two resources behind the same endpoint need one rule. */
function uniqueEgress<T extends { cidr: string; ports: number[] }>(rules: T[]): T[] {
  const seen = new Set<string>();
  return rules.filter(rule => {
    const key = `${rule.cidr}:${rule.ports.join(',')}`;
    if (seen.has(key)) { return false; }
    seen.add(key);
    return true;
  });
}
