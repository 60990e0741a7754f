import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { parsePlaceholders } from './placeholders';
import { IProvisioner, ProvisionResult } from './provisioner';
import { Provisioners } from './provisioners';
import { Resource } from './resource';
import { checkSecretLiterals } from './secret-literals';
import { TenantSecretAccess } from './tenant-secret-access';
import { Cluster, ICluster } from '../aws/cluster';
import { INetwork, Network } from '../aws/network';
import { PolicyStatement } from '../aws/policy-statement';
import { IWorkloadIdentity, WorkloadIdentity } from '../aws/workload-identity';
import { Environment } from '../core/environment';
import { invalid } from '../core/errors';
import { Naming } from '../core/naming';
import { Platform } from '../core/platform';
import { Size } from '../core/size';
import { isDnsLabel, validateDnsLabel } from '../core/validation';
import { ConfigFile, ContainerResources, ContainerSpec } from '../k8s/container';
import { escapeEnvExpansion } from '../k8s/env';
import { selectorLabels } from '../k8s/labels';
import { Probe } from '../k8s/probe';
import { SecretKeyRef } from '../k8s/secret-key-ref';
import { SyncWave, syncWaveAnnotation } from '../k8s/sync-wave';
import { Tenant } from '../k8s/tenant';
import { Volume, VolumeMount } from '../k8s/volume';
import { WebApp } from '../k8s/web-app';

/** Properties of a {@link Workload}. */
export interface WorkloadProps {
  /** The team that owns the workload; also its Kubernetes namespace. A DNS label of at most 30 characters. */
  readonly tenant: string;
  /** Container image with a tag other than `latest`, or a digest. */
  readonly image: string;
  /** Port the container serves HTTP on. */
  readonly port: number;
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
   * `<env>/SharedResources/<type>-<id>`. Type `service` is another
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
  readonly servicePorts?: WorkloadPort[];
  /**
   * Further container ports of the main container that are not on the
   * Service, by port name, e.g. `{ management: 8081 }` for probes.
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
   * Liveness probe of the main container.
   * @default - HTTP GET `/livez` on `port`
   */
  readonly livenessProbe?: Probe;
  /**
   * Readiness probe of the main container.
   * @default - HTTP GET `/readyz` on `port`
   */
  readonly readinessProbe?: Probe;
  /**
   * Sidecars, running next to the main container for the life of the pod.
   * Each needs a liveness probe.
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
  readonly resources?: ContainerResources;
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

/** A port of a workload's Kubernetes Service. */
export interface WorkloadPort {
  /**
   * Port name: 1-15 lowercase letters, digits and single dashes, with at
   * least one letter (it also names the container port).
   */
  readonly name: string;
  /** Port the Service listens on. */
  readonly port: number;
  /**
   * Port of the container the Service forwards to.
   * @default - `port`
   */
  readonly targetPort?: number;
  /**
   * `TCP` or `UDP`.
   * @default 'TCP'
   */
  readonly protocol?: string;
}

/** Resource outputs of a workload, as placeholders see them. */
interface BoundResource {
  readonly result: ProvisionResult;
  /** The Secrets Manager secret with the connection details; none for another workload's Service. */
  readonly secretName?: string;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** IANA service name: what Kubernetes accepts as a container port name. */
const PORT_NAME = /^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*$/;

/** The EKS Pod Identity agent on each node, where the AWS SDKs get the workload's credentials. */
const POD_IDENTITY_AGENT = { cidr: '169.254.170.23/32', ports: [80], description: 'EKS Pod Identity agent (AWS credentials)' };
const RESERVED_NAMES = ['tenant'];
/** Resource type of another workload's Service, resolved by the workload layer itself. */
const SERVICE_TYPE = 'service';
const SERVICE_PARAMS = ['workload', 'port'];
/** The `workload` part of the names of shared resources (`paved/<env>/<tenant>/shared/<type>-<id>`). */
const SHARED_WORKLOAD = 'shared';
/** The IngressClass of the AWS Load Balancer Controller, which serves every workload's host. */
const LOAD_BALANCER_INGRESS_CLASS = 'alb';

/**
 * A developer's workload: a web app and what it needs, in both outputs.
 *
 * Terraform side: each requested resource (through its provisioner), its
 * connection secret `paved/<env>/<tenant>/<workload>/<resource>`, and an IAM
 * role bound by EKS Pod Identity to the workload's ServiceAccount with only
 * the runtime permissions its resources need. Kubernetes side: a WebApp
 * (Deployment, Service, Ingress, autoscaling, disruption budget, network
 * policy), and one ExternalSecret per resource with secret outputs that
 * materializes its connection details through the tenant's SecretStore.
 *
 * Resources shared through an `id` are provisioned once for all workloads
 * that ask (see `resources`); each still gets the grants and its own
 * ExternalSecret. Score files become workloads with {@link ScoreWorkloads}.
 */
export class Workload extends Construct {
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
  /** The Kubernetes objects of the app. */
  public readonly app: WebApp;
  /** One ExternalSecret per resource, by resource name. */
  public readonly externalSecrets: { [resource: string]: ApiObject } = {};

  private readonly bound = new Map<string, BoundResource>();
  private servicePorts: Required<WorkloadPort>[] = [];
  /** Egress rules of `service` resources, patched in once the app exists. */
  private readonly pendingEgress: { to: any[]; ports: { protocol: string; port: number }[] }[] = [];

  constructor(env: Environment, id: string, props: WorkloadProps) {
    super(preflight(env, id), id);
    this.name = id;
    this.environment = env;
    this.tenant = props.tenant;
    validateDnsLabel(this, 'name', id, 30);
    if (RESERVED_NAMES.includes(id)) {
      throw invalid(this, 'name', id, `a name other than ${RESERVED_NAMES.join(', ')} (reserved for the tenant's own manifest)`);
    }
    if (id === SHARED_WORKLOAD) {
      throw invalid(this, 'name', id, `a name other than "${SHARED_WORKLOAD}" (reserved for resources shared through an id)`);
    }
    validateDnsLabel(this, 'tenant', props.tenant, 30);
    checkSecretLiterals(this, env, props);
    const platform = Platform.of(this);
    const size = props.size ?? Size.M;
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
        this.bound.set(name, SharedResource.bind(this, name, provisioner, context));
        continue;
      }
      const secretName = `paved/${env.name}/${props.tenant}/${id}/${name}`;
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
    const servicePorts = this.validateServicePorts(props);
    this.app = new WebApp(chart, 'WebApp', {
      name: id,
      image: props.image,
      port: props.port,
      host: props.host !== undefined ? this.resolveText('host', props.host, annotations) : undefined,
      ...(props.host !== undefined ? loadBalancerIngress(network, props) : {}),
      path: props.path,
      size,
      profile: env.profile,
      env: literal,
      secretEnv: fromSecret,
      podAnnotations: props.annotations,
      command: props.command,
      args: props.args,
      additionalPorts: {
        ...props.additionalPorts,
        ...Object.fromEntries(servicePorts.filter(p => p.protocol === 'TCP').map(p => [p.name, p.targetPort])),
      },
      resources: props.containerResources,
      files: this.renderFiles('files', props.files, annotations),
      volumes: props.volumes,
      volumeMounts: props.volumeMounts,
      livenessProbe: props.livenessProbe,
      readinessProbe: props.readinessProbe,
      containers: props.containers?.map((c, i) => this.renderContainer(`containers[${i}]`, c, annotations)),
      initContainers: props.initContainers?.map((c, i) => this.renderContainer(`initContainers[${i}]`, c, annotations)),
      egress: uniqueEgress([
        POD_IDENTITY_AGENT,
        ...[...this.bound.values()].flatMap(b => b.result.egress ?? [])
          .map(e => ({ cidr: e.cidr, ports: [e.port], description: e.description })),
      ]),
    });
    this.servicePorts = [
      { name: 'http', port: props.servicePort ?? this.app.port, targetPort: this.app.port, protocol: 'TCP' },
      ...servicePorts,
    ];
    if (props.servicePort !== undefined && props.servicePort !== this.app.port) {
      // The Ingress names the Service port ('http'), so only the Service changes.
      this.app.service.addJsonPatch(JsonPatch.replace('/spec/ports/0/port', props.servicePort));
    }
    for (const port of servicePorts) {
      this.app.service.addJsonPatch(JsonPatch.add('/spec/ports/-', {
        name: port.name,
        port: port.port,
        // TCP ports are declared on the container under their name; UDP ones are not (WebApp declares TCP only).
        targetPort: port.protocol === 'TCP' ? port.name : port.targetPort,
        protocol: port.protocol,
      }));
    }
    this.pendingEgress.splice(0).forEach(rule => this._allowEgressTo(rule));
    // Resources whose outputs are all known at synth (another workload's Service) need no Secret.
    const withSecrets = [...this.bound].filter(([, b]) => b.result.remoteKeys.length > 0 || (b.result.remoteByTags ?? []).length > 0);
    if (withSecrets.length > 0) {
      // Env vars are read once at start; RDS rotates the master password every 7 days. Stakater
      // Reloader (when installed) restarts the pods when a connection Secret changes.
      this.app.deployment.metadata.addAnnotation('secret.reloader.stakater.com/reload',
        withSecrets.map(([name]) => this.secretNameOf(name)).join(','));
    }
    for (const [name, bound] of withSecrets) {
      this.externalSecrets[name] = this.externalSecret(chart, name, bound);
    }
    TenantSecretAccess.of(env, props.tenant)._addWorkloadClusters(this.clusters);
    ServiceLinks.of(env).declared(this);
  }

  /** Its `cluster`, checked against its tenant's clusters, else the tenant's clusters, else the environment's one. */
  private resolveClusters(env: Environment, props: WorkloadProps): ICluster[] {
    const declared = TenantSecretAccess._declaredClusters(env, props.tenant);
    if (props.cluster === undefined) {
      return declared ?? [Cluster.of(this)];
    }
    if (declared && !declared.includes(props.cluster)) {
      throw invalid(this, 'cluster', (props.cluster as any)?.node?.path ?? props.cluster,
        `one of the clusters tenant ${props.tenant} runs on (${declared.map(c => c.node.path).join(', ')})`);
    }
    return [props.cluster];
  }

  /**
   * The ports of the workload's Kubernetes Service, which `service`
   * resources of other workloads connect to: `http` (the app's port) first.
   */
  public get ports(): WorkloadPort[] {
    return this.servicePorts.map(p => ({ ...p }));
  }

  private validateServicePorts(props: WorkloadProps): Required<WorkloadPort>[] {
    const ports = props.servicePorts ?? [];
    if (!Array.isArray(ports)) {
      throw invalid(this, 'servicePorts', ports, 'a list of { name, port, targetPort?, protocol? }');
    }
    if (props.servicePort !== undefined && !(Number.isInteger(props.servicePort) && props.servicePort >= 1 && props.servicePort <= 65535)) {
      throw invalid(this, 'servicePort', props.servicePort, 'a port number from 1 to 65535');
    }
    const names = new Set(['http']);
    const numbers = new Set([props.servicePort ?? props.port]);
    return ports.map((p, i) => {
      const at = `servicePorts[${i}]`;
      if (typeof p?.name !== 'string' || !PORT_NAME.test(p.name) || names.has(p.name)) {
        throw invalid(this, `${at}.name`, p?.name,
          'a port name not used by another port ("http" is the main one): 1-15 lowercase letters, digits and single dashes, with a letter');
      }
      for (const key of ['port', 'targetPort'] as const) {
        const value = p[key];
        if ((value !== undefined || key === 'port') && !(Number.isInteger(value) && value! >= 1 && value! <= 65535)) {
          throw invalid(this, `${at}.${key}`, value, 'a port number from 1 to 65535');
        }
      }
      if (numbers.has(p.port)) {
        throw invalid(this, `${at}.port`, p.port, 'a Service port number not used by another port');
      }
      const protocol = p.protocol ?? 'TCP';
      if (protocol !== 'TCP' && protocol !== 'UDP') {
        throw invalid(this, `${at}.protocol`, protocol, '"TCP" or "UDP"');
      }
      names.add(p.name);
      numbers.add(p.port);
      return { name: p.name, port: p.port, targetPort: p.targetPort ?? p.port, protocol };
    });
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
    const link = ServiceLinks.of(this.environment).link(this, name, targetName, requested);
    const host = `${targetName}.${link.tenant}.svc.cluster.local`;
    const values: { [output: string]: string } = {
      name: targetName,
      host,
      hostname: host,
      port: String(link.port),
      url: `http://${host}:${link.port}`,
    };
    return {
      result: {
        outputs: Object.entries(values).map(([output, value]) => ({ name: output, secret: false, value })),
        remoteKeys: [],
      },
    };
  }

  /**
   * Admits traffic from this workload to another's pods (NetworkPolicy egress), now or once the app exists.
   * @internal
   */
  public _allowEgressTo(rule: { to: any[]; ports: { protocol: string; port: number }[] }): void {
    if (this.app) {
      this.app.networkPolicy.addJsonPatch(JsonPatch.add('/spec/egress/-', rule));
    } else {
      this.pendingEgress.push(rule);
    }
  }

  /**
   * Admits traffic from another workload's pods to this one's (NetworkPolicy ingress).
   * @internal
   */
  public _allowIngressFrom(rule: { from: any[]; ports: { protocol: string; port: number }[] }): void {
    this.app.networkPolicy.addJsonPatch(JsonPatch.add('/spec/ingress/-', rule));
  }

  /** Name of the Kubernetes Secret holding the connection details of resource `name`. */
  public secretNameOf(name: string): string {
    return Naming.name([this.name, name], Naming.K8S_LABEL);
  }

  private externalSecret(chart: Construct, name: string, bound: BoundResource): ApiObject {
    const target = this.secretNameOf(name);
    const byTags = bound.result.remoteByTags ?? [];
    const template: { [key: string]: string } = {};
    byTags.forEach((find, i) => {
      for (const [key, property] of Object.entries(find.properties)) {
        template[key] = `{{ (index . "found-${i}" | fromJson).${property} }}`;
      }
    });
    return new ApiObject(chart, `ExternalSecret-${name}`, {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: {
        name: target,
        labels: {
          'app.kubernetes.io/name': this.name,
          'app.kubernetes.io/instance': target,
          'app.kubernetes.io/component': 'connection-secret',
          'app.kubernetes.io/part-of': this.tenant,
          'app.kubernetes.io/managed-by': 'paved',
        },
        // Argo CD waits for the Secret before it starts the pods that read it.
        annotations: syncWaveAnnotation(SyncWave.SECRETS),
      },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: 'SecretStore', name: Tenant.SECRET_STORE_NAME },
        target: {
          name: target,
          creationPolicy: 'Owner',
          ...(byTags.length > 0 ? { template: { engineVersion: 'v2', mergePolicy: 'Merge', data: template } } : {}),
        },
        data: bound.result.remoteKeys.map(k => ({
          secretKey: k.secretKey,
          remoteRef: { key: k.remoteKey, property: k.property },
        })),
        ...(byTags.length > 0 ? {
          dataFrom: byTags.map((find, i) => ({
            find: { tags: find.tags },
            rewrite: [{ regexp: { source: '^.*$', target: `found-${i}` } }],
          })),
        } : {}),
      },
    });
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
      if (!out) {
        throw invalid(this, property, value, `an output of ${resource}: ${bound.result.outputs.map(o => o.name).join(', ')}; "${output}" is not one`);
      }
      if (!out.secret && out.value !== undefined) { return { text: out.value }; }
      return { secretName: this.secretNameOf(resource), key: output };
    }
    throw invalid(this, property, value, 'placeholders of the form ${metadata.name}, ${metadata.annotations.<key>} or ${resources.<name>.<output>}');
  }
}

function preflight(env: Environment, id: string): Environment {
  if (env.node.tryFindChild(id)) {
    throw invalid(`${env.node.path}/${id}`, 'name', id, `a name not used by another workload or construct of environment ${env.name}`);
  }
  return env;
}

/** What the workload layer passes to a provisioner, besides the parts that depend on who asks. */
interface SharedContext {
  readonly environment: Environment;
  readonly tenant: string;
  readonly resource: Resource;
  readonly size: Size;
  readonly network: INetwork;
  readonly cluster: ICluster;
}

const SHARED_RESOURCES = new WeakMap<Environment, Map<string, SharedResource>>();

/**
 * One resource that several workloads of a tenant request with the same
 * type and id (Score's `id`). It is provisioned once, under
 * `<env>/SharedResources/<type>-<id>`, with names and secret
 * (`paved/<env>/<tenant>/shared/<type>-<id>`) that do not depend on which
 * workload asked first, so adding or removing a workload never replaces it.
 * Every workload gets the outputs, the grants (through a
 * {@link SharedIdentity}) and its own ExternalSecret.
 */
class SharedResource {
  public static bind(workload: Workload, name: string, provisioner: IProvisioner, context: SharedContext): BoundResource {
    const { environment: env, resource } = context;
    if (typeof resource.id !== 'string' || !isDnsLabel(resource.id, 30)) {
      throw invalid(workload, `resources.${name}.id`, resource.id,
        'a DNS label of 1-30 lowercase letters, digits and dashes (paved names the shared resource after it)');
    }
    let registry = SHARED_RESOURCES.get(env);
    if (!registry) {
      registry = new Map();
      SHARED_RESOURCES.set(env, registry);
    }
    const key = `${resource.type}-${resource.id}`;
    let shared = registry.get(key);
    if (shared) {
      shared.check(workload, name, context);
    } else {
      shared = new SharedResource(workload, name, key, provisioner, context);
      registry.set(key, shared);
    }
    shared.identity.addMember(workload.identity);
    return { result: shared.result, secretName: shared.secretName };
  }

  private readonly identity: SharedIdentity;
  private readonly result: ProvisionResult;
  private readonly secretName: string;
  private readonly tenant: string;
  private readonly sizeName: string;
  private readonly params: string;
  private readonly firstRequest: string;

  private constructor(workload: Workload, name: string, key: string, provisioner: IProvisioner, context: SharedContext) {
    const env = context.environment;
    const container = (env.node.tryFindChild('SharedResources') as Construct | undefined) ?? new Construct(env, 'SharedResources');
    const scope = new Construct(container, key);
    this.identity = new SharedIdentity(scope, 'Identity');
    this.secretName = `paved/${env.name}/${context.tenant}/${SHARED_WORKLOAD}/${key}`;
    this.tenant = context.tenant;
    this.sizeName = context.size.name;
    this.params = canonicalJson(context.resource.params);
    this.firstRequest = `${workload.name} (resources.${name})`;
    this.result = provisioner.provision({
      ...context,
      scope,
      workload: SHARED_WORKLOAD,
      resourceName: key,
      identity: this.identity,
      secretName: this.secretName,
    });
    checkProvisionResult(workload, name, provisioner, this.result);
  }

  private check(workload: Workload, name: string, context: SharedContext): void {
    const what = `${context.resource.type} "${context.resource.id}", first requested by ${this.firstRequest},`;
    if (context.tenant !== this.tenant) {
      throw invalid(workload, `resources.${name}.id`, context.resource.id,
        `an id not taken by another tenant: ${what} belongs to tenant "${this.tenant}" (tenants never share resources)`);
    }
    if (context.size.name !== this.sizeName) {
      throw invalid(workload, `resources.${name}.size`, context.size.name,
        `size "${this.sizeName}": ${what} has that size (every request of a shared resource asks for the same size)`);
    }
    if (canonicalJson(context.resource.params) !== this.params) {
      throw invalid(workload, `resources.${name}.params`, context.resource.params,
        `the params ${this.params}: ${what} has them (every request of a shared resource passes the same params)`);
    }
  }
}

/**
 * The identity a shared resource's provisioner grants to: every permission
 * goes to each workload that shares the resource, including workloads that
 * join later. Its `roleArn` and `roleName` are those of the first workload.
 */
class SharedIdentity extends Construct implements IWorkloadIdentity {
  private readonly members: IWorkloadIdentity[] = [];
  private readonly grants: PolicyStatement[] = [];

  public get roleArn(): string {
    return this.members[0]?.roleArn ?? '';
  }

  public get roleName(): string {
    return this.members[0]?.roleName ?? '';
  }

  public addMember(identity: IWorkloadIdentity): void {
    this.members.push(identity);
    this.grants.forEach(statement => identity.addToPolicy(statement));
  }

  public addToPolicy(statement: PolicyStatement): void {
    this.grants.push(statement);
    this.members.forEach(identity => identity.addToPolicy(statement));
  }
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => v !== null && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.keys(v).sort().map(k => [k, v[k]]))
    : v);
}

/** A `service` resource: one workload calling another's Service. */
interface ServiceLink {
  readonly caller: Workload;
  readonly resourceName: string;
  readonly target: string;
  /** Port as requested: name, number or undefined (the only port). */
  readonly requested?: string | number;
  /** Tenant and port assumed when the target was not declared yet. */
  readonly tenant: string;
  readonly port: number;
  resolved: boolean;
}

const SERVICE_LINKS = new WeakMap<Environment, ServiceLinks>();

/**
 * The `service` resources of an environment. A link to a workload declared
 * earlier resolves at once; one to a workload declared later assumes the
 * caller's tenant and needs a port number, and resolves when that workload
 * is declared. Links still unresolved at synth fail validation.
 */
class ServiceLinks {
  public static of(env: Environment): ServiceLinks {
    let links = SERVICE_LINKS.get(env);
    if (!links) {
      links = new ServiceLinks(env);
      SERVICE_LINKS.set(env, links);
    }
    return links;
  }

  private readonly links: ServiceLink[] = [];

  private constructor(private readonly env: Environment) {}

  public link(caller: Workload, resourceName: string, target: string, requested: string | number | undefined): ServiceLink {
    const property = `resources.${resourceName}.params`;
    const existing = this.env.node.tryFindChild(target);
    let link: ServiceLink;
    if (existing instanceof Workload) {
      const port = findPort(caller, property, existing, requested);
      link = { caller, resourceName, target, requested, tenant: existing.tenant, port: port.port, resolved: false };
      this.links.push(link);
      this.resolve(link, existing);
    } else {
      if (existing) {
        throw invalid(caller, `${property}.workload`, target, `the name of a workload; ${existing.node.path} is another kind of construct`);
      }
      if (typeof requested !== 'number') {
        throw invalid(caller, `${property}.port`, requested,
          `a port number: workload "${target}" is not declared yet, so its ports are unknown (declare it first, or give the port number)`);
      }
      link = { caller, resourceName, target, requested, tenant: caller.tenant, port: requested, resolved: false };
      this.links.push(link);
    }
    caller.node.addValidation({ validate: () => this.problems(link) });
    return link;
  }

  /** Resolves the links to `target`, declared just now. */
  public declared(target: Workload): void {
    for (const link of this.links) {
      if (link.target === target.name && !link.resolved && this.problems(link).length === 0) {
        this.resolve(link, target);
      }
    }
  }

  private problems(link: ServiceLink): string[] {
    const target = this.env.node.tryFindChild(link.target);
    const where = `resources.${link.resourceName}`;
    if (!(target instanceof Workload)) {
      const workloads = this.env.node.children.filter(c => c instanceof Workload).map(c => c.node.id);
      return [`${where}: service "${link.target}" is not a workload of this synth (workloads of ${this.env.name}: ${workloads.join(', ') || 'none'})`];
    }
    if (target.tenant !== link.tenant) {
      return [`${where}: workload "${link.target}" is in tenant "${target.tenant}", not "${link.tenant}" as assumed when "${link.caller.name}" `
        + `was declared before it; declare "${link.target}" first`];
    }
    if (!target.ports.some(p => p.port === link.port)) {
      return [`${where}: workload "${link.target}" has no Service port ${link.port} (ports: ${target.ports.map(p => `${p.name} ${p.port}`).join(', ')})`];
    }
    return [];
  }

  private resolve(link: ServiceLink, target: Workload): void {
    const port = target.ports.find(p => p.port === link.port)!;
    // Plain JSON: these rules are JSON patches of the written objects, not typed props.
    const ports = [{ protocol: port.protocol ?? 'TCP', port: port.targetPort ?? port.port }];
    link.caller._allowEgressTo({
      to: [{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': target.tenant } },
        podSelector: { matchLabels: selectorLabels(target.name) },
      }],
      ports,
    });
    target._allowIngressFrom({
      from: [{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': link.caller.tenant } },
        podSelector: { matchLabels: selectorLabels(link.caller.name) },
      }],
      ports,
    });
    link.resolved = true;
  }
}

function findPort(caller: Workload, property: string, target: Workload, requested: string | number | undefined): WorkloadPort {
  const ports = target.ports;
  const listed = ports.map(p => `${p.name} (${p.port})`).join(', ');
  const port = requested === undefined
    ? (ports.length === 1 ? ports[0] : undefined)
    : ports.find(p => p.name === requested || p.port === requested);
  if (!port) {
    throw invalid(caller, `${property}.port`, requested,
      requested === undefined ? `a port of workload "${target.name}", which has several: ${listed}` : `a port of workload "${target.name}": ${listed}`);
  }
  return port;
}

/**
 * Fails when a provisioner's result cannot be bound: every output must be
 * one the type declares, and an output without a literal value must be a key
 * of the Kubernetes Secret (read by name or found by tags), or the pod would
 * wait forever in CreateContainerConfigError.
 */
function checkProvisionResult(workload: Workload, name: string, provisioner: IProvisioner, result: ProvisionResult): void {
  const secretKeys = new Set([
    ...result.remoteKeys.map(k => k.secretKey),
    ...(result.remoteByTags ?? []).flatMap(find => Object.keys(find.properties)),
  ]);
  for (const output of result.outputs) {
    if (!provisioner.outputNames.includes(output.name)) {
      throw invalid(workload, `resources.${name}`, output.name,
        `an output the ${provisioner.type} provisioner declares (${provisioner.outputNames.join(', ')})`);
    }
    if (output.value === undefined && !secretKeys.has(output.name)) {
      throw invalid(workload, `resources.${name}`, output.name,
        `an output with a literal value or a remote secret key of the same name: the ${provisioner.type} provisioner returned neither`);
    }
  }
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
