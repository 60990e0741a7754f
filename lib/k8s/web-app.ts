import { ApiObject, Chart } from 'cdk8s';
import {
  ContainerPort,
  IntOrString,
  KubeDeployment,
  KubeIngress,
  KubeService,
  KubeServiceAccount,
  Lifecycle,
  NetworkPolicyIngressRule,
} from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { ContainerSpec } from './container';
import { DEFAULT_RUN_AS_ID, validateRunAsId } from './container-security';
import { recordDecision } from './decisions';
import { isCidr } from './egress';
import { renderEnv } from './env';
import { httpRoute } from './http-route';
import { validateImage } from './image';
import {
  appLabels,
  isLabelValue,
  selectorLabels,
  validateDns1035Label,
  validateDnsSubdomain,
} from './labels';
import { validateLiteral } from './literal';
import { WorkloadNetworkPolicy, recordEgressDecisions, workloadEgress } from './network-policy';
import { NetworkedWorkload } from './networked-workload';
import { claimObjectNames } from './object-names';
import { ContainerResourcesResult, PodPorts } from './pod-containers';
import { PodProps } from './pod-props';
import {
  ProbeTiming,
  httpProbe,
  timedProbe,
  validateAnnotations,
  validateCommand,
  validateProbePath,
} from './pod-template';
import { Probe } from './probe';
import { WorkloadFootprint, deploymentFootprint } from './quota-footprint';
import {
  cpuAutoscaler,
  disruptionBudget,
  minReplicasSource,
  recordResourceDecisions,
  replicaBounds,
} from './replicas';
import { RolloutStrategy } from './rollout-strategy';
import { Routing } from './routing';
import { ServicePort } from './service-port';
import {
  ContainerProbes,
  LIVENESS_TIMING,
  READINESS_TIMING,
  WorkloadPod,
  probeAction,
  startupTiming,
} from './workload-pod';
import { checkedScope } from '../core/api-guard';
import { invalid } from '../core/errors';
import { Profile } from '../core/profile';
import { Size } from '../core/size';
import { validateDnsLabel, validateInteger } from '../core/validation';

/** Properties of a {@link WebApp}. */
export interface WebAppProps extends PodProps {
  /**
   * Container image, pinned by a tag other than `latest` or by a digest,
   * e.g. `registry.example.com/shop/orders:1.4.2` or `...@sha256:<64 hex digits>`.
   * The tag becomes the `app.kubernetes.io/version` label.
   */
  readonly image: string;
  /**
   * TCP port the container listens on for HTTP. The Service exposes the same
   * port. Ports below 1024 need root or a capability, which the restricted
   * security context drops, so pick 1024 or above.
   * @default 8080
   */
  readonly port?: number;
  /**
   * Name of every object (Deployment, Service, ServiceAccount, ...), and the
   * `app.kubernetes.io/name` and `instance` labels. A DNS-1035 label:
   * lowercase letters, digits and dashes, starting with a letter, at most 63.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Host name the app is served at over HTTPS, e.g. `orders.example.com`.
   * An Ingress (or the HTTPRoute of `routing`) is created only when a host is given.
   * @default - no Ingress: the app is reachable only inside the cluster
   */
  readonly host?: string;
  /**
   * URL path prefix routed to the app (Ingress `pathType: Prefix`, HTTPRoute
   * `PathPrefix`: matched segment by segment).
   * @default '/'
   */
  readonly path?: string;
  /**
   * How traffic reaches `host`: `Routing.ingress({...})` or, with the
   * Gateway API, `Routing.httpRoute({ gatewayName, gatewayNamespace })`.
   * Requires `host`; excludes `ingressClassName`, `tlsSecretName`,
   * `ingressAnnotations`, `ingressControllerNamespace` and
   * `ingressSourceCidrs`, which `Routing.ingress()` takes instead.
   * @default - an Ingress built from `ingressClassName`, `tlsSecretName` and `ingressAnnotations`
   */
  readonly routing?: Routing;
  /**
   * IngressClass that serves the Ingress. Not with `routing`. paved's
   * golden path ({@link Workload}) uses `alb`, the class of the AWS Load
   * Balancer Controller addon; an in-cluster controller has a class of its own.
   * @default 'nginx'
   */
  readonly ingressClassName?: string;
  /**
   * Secret in the app's namespace holding the TLS certificate for `host`
   * (written by cert-manager or an ExternalSecret). Not with `routing`.
   * @default '<name>-tls'
   */
  readonly tlsSecretName?: string;
  /**
   * Annotations of the Ingress, e.g. `{ 'cert-manager.io/cluster-issuer': 'letsencrypt' }`.
   * Not with `routing`.
   * @default - none
   */
  readonly ingressAnnotations?: { [key: string]: string };
  /**
   * Namespace of the ingress controller's pods. The NetworkPolicy admits
   * traffic on `port` from this namespace only (plus `allowedNamespaces`).
   * Not with `routing`, which names the namespace to admit itself, or with
   * `ingressSourceCidrs`.
   * @default 'ingress-nginx'
   */
  readonly ingressControllerNamespace?: string;
  /**
   * Address ranges the Ingress traffic comes from, admitted on `port`
   * instead of `ingressControllerNamespace`: for a load balancer that sends
   * straight to pod IPs, e.g. an AWS Application Load Balancer (class
   * `alb`, IP targets) in the network's public subnets. Not with `routing`.
   * @default - none: traffic is admitted from `ingressControllerNamespace`
   */
  readonly ingressSourceCidrs?: string[];
  /**
   * Further namespaces whose pods may call the app on `port`, for
   * in-cluster clients. Name the app's own namespace to admit its neighbours.
   * @default - none: only the ingress controller reaches the app
   */
  readonly allowedNamespaces?: string[];
  /**
   * Environment defaults; the workload layer passes its environment's
   * profile. In a production profile the app runs at least 2 replicas.
   * @default Profile.PROD
   */
  readonly profile?: Profile;
  /**
   * Fewest replicas the autoscaler keeps. At least 2 in a production
   * profile. A PodDisruptionBudget is added from 2 replicas on.
   * @default - the larger of the size's `app.minReplicas` and the profile's `minReplicas`
   */
  readonly minReplicas?: number;
  /**
   * Most replicas the autoscaler starts. At least `minReplicas`; above it in a production profile.
   * @default - the size's `app.maxReplicas`
   */
  readonly maxReplicas?: number;
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
   * Port the Service listens on, when other than the container's `port`.
   * In-cluster callers reach the app on it; the Ingress names the Service
   * port (`http`) and the NetworkPolicy admits the container's `port`.
   * @default - `port`
   */
  readonly servicePort?: number;
  /**
   * Further ports of the Service, besides `http`, e.g. a gRPC or UDP port.
   * TCP ones are declared on the main container under their name. Only
   * in-cluster callers reach them, each admitted with `allowIngressFrom`.
   * @default - none
   */
  readonly servicePorts?: ServicePort[];
  /**
   * Further TCP ports of the main container by port name, e.g.
   * `{ management: 8081 }` for probes on a separate port. They are not on
   * the Service and the NetworkPolicy does not admit them.
   * @default - none
   */
  readonly additionalPorts?: { [name: string]: number };
  /**
   * Sidecars: further containers running next to the main one for the
   * life of the pod (a proxy, a log shipper). Each needs a `livenessProbe`.
   * @default - none
   */
  readonly containers?: ContainerSpec[];
  /**
   * HTTP path of the readiness probe: answers 2xx while the app can serve
   * requests (dependencies reachable). Failing it takes the pod out of the
   * Service; it is never restarted for it. Not with `readinessProbe`.
   * @default '/readyz'
   */
  readonly readinessPath?: string;
  /**
   * HTTP path of the liveness probe: answers 2xx while the process is not
   * stuck. Failing it restarts the container, so it must not check
   * dependencies. Must differ from `readinessPath`. Not with `livenessProbe`.
   * @default '/livez'
   */
  readonly livenessPath?: string;
  /**
   * Readiness probe of the main container, replacing the HTTP GET of
   * `readinessPath` on `port`: another port, HTTPS, headers or a command.
   * @default - HTTP GET `readinessPath` on `port`
   */
  readonly readinessProbe?: Probe;
  /**
   * Liveness probe of the main container, replacing the HTTP GET of
   * `livenessPath` on `port`. The startup probe does the same check.
   * @default - HTTP GET `livenessPath` on `port`
   */
  readonly livenessProbe?: Probe;
  /**
   * Longest time the app may take to start, in seconds (5-3600). Until the
   * liveness path first answers within this time, liveness is not checked,
   * so a slow start does not end in a restart loop.
   * @default 60
   */
  readonly startupTimeoutSeconds?: number;
  /**
   * Seconds a stopping pod gets between SIGTERM and SIGKILL to finish the
   * requests it is serving (1-3600), counted from the start of the preStop sleep.
   * @default 30
   */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * Seconds each container sleeps (`preStop` hook running `sleep`) before
   * it gets SIGTERM, so Services and the ingress controller stop sending
   * traffic to the stopping pod first (endpoint updates take a few
   * seconds to spread). Less than `terminationGracePeriodSeconds`; 0 for
   * no hook. The image needs a `sleep` binary: in one without (distroless,
   * scratch) the hook fails with a `FailedPreStopHook` event and the
   * container is stopped at once, as with 0.
   * @default 5
   */
  readonly preStopSleepSeconds?: number;
  /**
   * How a new version replaces the pods.
   * @default RolloutStrategy.rollingUpdate() — surge 25%, never below the current count
   */
  readonly strategy?: RolloutStrategy;
}

const DEFAULT_PORT = 8080;
const DEFAULT_INGRESS_CLASS = 'nginx';
const DEFAULT_INGRESS_CONTROLLER_NAMESPACE = 'ingress-nginx';
const DEFAULT_READINESS_PATH = '/readyz';
const DEFAULT_LIVENESS_PATH = '/livez';
const DEFAULT_STARTUP_TIMEOUT_SECONDS = 60;
const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;
const DEFAULT_PRE_STOP_SLEEP_SECONDS = 5;
const PORT_NAME = 'http';
/** IANA service name: what Kubernetes accepts as a port name. */
const SERVICE_PORT_NAME = /^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*$/;
const HTTP_PORT = IntOrString.fromString(PORT_NAME);
const COMPONENT = 'web';
/** A DNS name with at least two labels; wildcards are left out because the TLS secret covers one host. */
const HOST = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** What ingress-nginx accepts for Prefix paths with strict path validation (the default since 1.8). */
const INGRESS_PATH = /^\/[A-Za-z0-9\-._~/]*$/;
/** Empty, `.` and `..` segments, which the Gateway API rejects and proxies normalize away. */
const DOT_SEGMENTS = /\/\/|\/\.\.?(\/|$)/;

/**
 * An HTTP service: Deployment, Service, ServiceAccount, autoscaler,
 * disruption budget, NetworkPolicy and, for a host, an Ingress with TLS or
 * a Gateway API HTTPRoute.
 *
 * The pod runs one main container (`image`, `port`, `env`, ...) and
 * optionally sidecars (`containers`) and init containers
 * (`initContainers`), with configuration files from a ConfigMap (`files`)
 * and volumes (`volumes`: emptyDir, PersistentVolumeClaim).
 *
 * Secure by default: every container meets the "restricted" Pod Security
 * Standard (non-root user 10001, no privilege escalation, all capabilities
 * dropped, RuntimeDefault seccomp, read-only root filesystem with a
 * writable `/tmp`), no Kubernetes API token is mounted, Service links are
 * off, and the NetworkPolicy admits traffic only from the ingress
 * controller's (or Gateway's) namespace on the app's port and lets the app
 * reach only DNS and the `egress` it declares.
 *
 * Reliable by default: every container has cpu, memory and
 * ephemeral-storage requests and limits from the Size; the
 * HorizontalPodAutoscaler owns the replica count (the Deployment has no
 * `spec.replicas`, so a GitOps sync never fights the autoscaler); at least
 * 2 replicas in production, spread over zones and hosts, with a
 * PodDisruptionBudget of one unavailable pod; distinct readiness, liveness
 * and startup probes; rolling updates that never go below the current
 * replica count; a graceful shutdown that waits for traffic to drain
 * (preStop sleep of 5 s within a 30 s grace period).
 *
 * Every object is named after the app (no hashes) and carries the
 * `app.kubernetes.io/*` labels. The objects take the namespace of the chart
 * they are in. Each object is a public property for escape hatches: it is a
 * plain `ApiObject` holding the final Kubernetes JSON, so `addJsonPatch`
 * paths and values are exactly those of the written YAML (e.g.
 * `JsonPatch.add('/spec/template/spec/containers/0/resources/limits/nvidia.com~1gpu', '1')`).
 */
export class WebApp extends NetworkedWorkload {
  /** Name of the app and of each of its objects. */
  public readonly name: string;
  /** Port the container listens on. */
  public readonly port: number;
  /** The ports of the Service, `http` (the app's) first, each with its target port and protocol. */
  public readonly servicePorts: ServicePort[];
  /** Host the Ingress or HTTPRoute serves; undefined without one. */
  public readonly host?: string;
  /** Fewest replicas the autoscaler keeps. */
  public readonly minReplicas: number;
  /** Most replicas the autoscaler starts. */
  public readonly maxReplicas: number;
  /** Name of the ServiceAccount the pods run as. */
  public readonly serviceAccountName: string;
  /** Labels on every object and pod. */
  public readonly labels: { [key: string]: string };
  /** Labels that select the app's pods (name and instance); use them in selectors of other objects, e.g. a ServiceMonitor. */
  public readonly selectorLabels: { [key: string]: string };
  /** The Deployment (apps/v1), without `spec.replicas`. */
  public readonly deployment: ApiObject;
  /** The ClusterIP Service (v1). */
  public readonly service: ApiObject;
  /** The Ingress (networking.k8s.io/v1); undefined without a `host` or with an HTTPRoute. */
  public readonly ingress?: ApiObject;
  /** The HTTPRoute (gateway.networking.k8s.io/v1); undefined unless `routing` is `Routing.httpRoute()`. */
  public readonly httpRoute?: ApiObject;
  /** The ConfigMap (v1) `<name>-files` holding the configuration files; undefined without `files`. */
  public readonly configMap?: ApiObject;
  /** The ServiceAccount (v1). */
  public readonly serviceAccount: ApiObject;
  /** The HorizontalPodAutoscaler (autoscaling/v2), scaling on CPU. */
  public readonly hpa: ApiObject;
  /** The PodDisruptionBudget (policy/v1); undefined below 2 replicas. */
  public readonly pdb?: ApiObject;
  /** The NetworkPolicy (networking.k8s.io/v1) for ingress and egress. */
  public readonly networkPolicy: ApiObject;

  constructor(scope: Construct, id: string, props: WebAppProps) {
    super(checkedScope(scope, 'WebApp', arguments), id);
    const size = props.size ?? Size.M;
    const profile = props.profile ?? Profile.PROD;

    this.name = props.name ?? id;
    validateDns1035Label(this, 'name', this.name);
    const image = validateImage(this, 'image', props.image, props.imagePolicy);
    validateCommand(this, 'command', props.command);
    validateCommand(this, 'args', props.args);
    this.port = props.port ?? DEFAULT_PORT;
    validateLiteral(this, 'port', this.port);
    validateInteger(this, 'port', this.port, 1, 65535);

    const { minReplicas, maxReplicas } = replicaBounds(this, props, size, profile);
    this.minReplicas = minReplicas;
    this.maxReplicas = maxReplicas;

    const timing = startupTiming(this, props.startupTimeoutSeconds ?? DEFAULT_STARTUP_TIMEOUT_SECONDS);
    const shutdown = this.shutdown(props);
    const strategy = props.strategy ?? RolloutStrategy.rollingUpdate();
    if (!(strategy instanceof RolloutStrategy)) {
      throw invalid(this, 'strategy', strategy, 'RolloutStrategy.rollingUpdate() or RolloutStrategy.recreate()');
    }
    const deploymentStrategy = strategy._render(this, 'strategy');

    const runAsUser = props.runAsUser ?? DEFAULT_RUN_AS_ID;
    const runAsGroup = props.runAsGroup ?? DEFAULT_RUN_AS_ID;
    validateRunAsId(this, 'runAsUser', runAsUser);
    validateRunAsId(this, 'runAsGroup', runAsGroup);

    this.serviceAccountName = props.serviceAccountName ?? this.name;
    validateDnsSubdomain(this, 'serviceAccountName', this.serviceAccountName);
    const automountToken = props.automountServiceAccountToken ?? false;

    const allowedNamespaces = props.allowedNamespaces ?? [];
    allowedNamespaces.forEach((ns, i) => validateDnsLabel(this, `allowedNamespaces[${i}]`, ns));
    const egress = workloadEgress(this, props.egress);
    const route = this.route(props);

    const partOf = props.partOf ?? Chart.of(this).namespace;
    if (partOf !== undefined && !isLabelValue(partOf)) {
      throw invalid(this, 'partOf', partOf, 'a label value: at most 63 letters, digits, "-", "_" or ".", alphanumeric at both ends');
    }
    this.selectorLabels = selectorLabels(this.name);
    this.labels = appLabels({ name: this.name, component: COMPONENT, version: image.tag, partOf });
    const env = renderEnv(this, props.env, props.secretEnv);

    const servicePorts = this.validateServicePorts(props);
    this.servicePorts = servicePorts;

    // The main container: port, probes, resources, files and volumes.
    const ports = new PodPorts();
    const mainPorts = [
      ports.reserve(PORT_NAME, this.port, 'port'),
      ...ports.declare(this, 'additionalPorts', {
        ...props.additionalPorts,
        // TCP Service ports target the container port by name; UDP ones by number (a container port is TCP here).
        ...Object.fromEntries(servicePorts.slice(1).filter(p => p.protocol === 'TCP').map(p => [p.name, p.targetPort!])),
      }),
    ];
    const pod = new WorkloadPod(this, {
      name: this.name,
      props,
      size,
      labels: this.labels,
      selectorLabels: this.selectorLabels,
      serviceAccountName: this.serviceAccountName,
      automountServiceAccountToken: automountToken,
      runAsUser,
      runAsGroup,
      env,
      ports,
      mainPorts,
      probes: this.mainProbes(props, mainPorts, timing),
      startupTiming: timing,
      lifecycle: shutdown.lifecycle,
      sidecars: props.containers,
      terminationGracePeriodSeconds: shutdown.terminationGracePeriodSeconds,
      spread: true,
    });

    this.serviceAccount = new ApiObject(this, 'ServiceAccount', KubeServiceAccount.manifest({
      metadata: { name: this.serviceAccountName, labels: { ...this.labels } },
      automountServiceAccountToken: automountToken,
    }));
    const { template, configMap } = pod.render();
    this.configMap = configMap;

    this.deployment = new ApiObject(this, 'Resource', KubeDeployment.manifest({
      metadata: { name: this.name, labels: { ...this.labels } },
      spec: {
        // No `replicas`: the autoscaler owns the count; a value here would reset it on every sync.
        selector: { matchLabels: { ...this.selectorLabels } },
        strategy: deploymentStrategy,
        template,
      },
    }));

    this.service = new ApiObject(this, 'Service', KubeService.manifest({
      metadata: { name: this.name, labels: { ...this.labels } },
      spec: {
        type: 'ClusterIP',
        selector: { ...this.selectorLabels },
        ports: servicePorts.map(p => ({
          name: p.name,
          port: p.port,
          targetPort: p.protocol === 'TCP' ? IntOrString.fromString(p.name) : IntOrString.fromNumber(p.targetPort!),
          protocol: p.protocol,
        })),
      },
    }));

    this.hpa = cpuAutoscaler(this, this.name, this.labels, { minReplicas, maxReplicas }, size.app.targetCpuUtilization);

    if (minReplicas >= 2) {
      this.pdb = disruptionBudget(this, this.name, this.labels, this.selectorLabels);
    }

    const callers = route.callerCidrs
      ? allowedNamespaces
      : [route.callerNamespace!, ...allowedNamespaces.filter(ns => ns !== route.callerNamespace)];
    const ingressRule: NetworkPolicyIngressRule = {
      from: [
        ...(route.callerCidrs ?? []).map(cidr => ({ ipBlock: { cidr } })),
        ...callers.map(ns => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } })),
      ],
      ports: [{ protocol: 'TCP', port: IntOrString.fromNumber(this.port) }],
    };
    this._policyRules = new WorkloadNetworkPolicy(this, {
      name: this.name, labels: this.labels, selectorLabels: this.selectorLabels, ingress: [ingressRule], egress,
    });
    this.networkPolicy = this._policyRules.resource;

    if (route.ingress) {
      const ingress = route.ingress;
      this.host = route.host;
      this.ingress = new ApiObject(this, 'Ingress', KubeIngress.manifest({
        metadata: { name: this.name, labels: { ...this.labels }, annotations: ingress.annotations },
        spec: {
          ingressClassName: ingress.ingressClassName,
          tls: [{ hosts: [route.host!], secretName: ingress.tlsSecretName }],
          rules: [{
            host: route.host,
            http: {
              paths: [{
                path: route.path,
                pathType: 'Prefix',
                backend: { service: { name: this.name, port: { name: PORT_NAME } } },
              }],
            },
          }],
        },
      }));
    } else if (route.gateway) {
      this.host = route.host;
      this.httpRoute = httpRoute(this, {
        name: this.name,
        labels: this.labels,
        ...route.gateway,
        host: route.host!,
        path: route.path!,
        port: this.port,
      });
    }

    claimObjectNames(this);
    this.recordDecisions(props, size, profile, pod.resources.decisions, shutdown, strategy);
  }

  /** The Service's ports: `http` first, then `servicePorts`, validated and completed. */
  private validateServicePorts(props: WebAppProps): ServicePort[] {
    const extra = props.servicePorts ?? [];
    if (!Array.isArray(extra)) {
      throw invalid(this, 'servicePorts', extra, 'a list of { name, port, targetPort?, protocol? }');
    }
    const main = props.servicePort ?? this.port;
    validateLiteral(this, 'servicePort', main);
    if (!(Number.isInteger(main) && main >= 1 && main <= 65535)) {
      throw invalid(this, 'servicePort', main, 'a port number from 1 to 65535');
    }
    // Container ports of `additionalPorts` share the names of TCP Service ports.
    const names = new Set([PORT_NAME, ...Object.keys(props.additionalPorts ?? {})]);
    const numbers = new Set([main]);
    return [
      { name: PORT_NAME, port: main, targetPort: this.port, protocol: 'TCP' },
      ...extra.map((p, i) => {
        const at = `servicePorts[${i}]`;
        if (typeof p?.name !== 'string' || !SERVICE_PORT_NAME.test(p.name) || names.has(p.name)) {
          throw invalid(this, `${at}.name`, p?.name,
            `a port name not used by another port ("${PORT_NAME}" is the main one) nor by additionalPorts: 1-15 lowercase letters, digits and single dashes, with a letter`);
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
      }),
    ];
  }

  /**
   * What the app holds of its namespace's quota at its peak: the autoscaler's
   * `maxReplicas` plus the rollout's surge, each pod with its containers'
   * requests and limits, and its Service.
   */
  public quotaFootprint(): WorkloadFootprint {
    return deploymentFootprint(this.name, this.deployment.toJson(), this.hpa.toJson().spec?.maxReplicas ?? this.maxReplicas,
      [this.service.toJson()]);
  }

  /** The readiness, liveness and startup probes of the main container. */
  private mainProbes(props: WebAppProps, ports: ContainerPort[], timing: ProbeTiming): ContainerProbes {
    const readinessPath = this.probePath(props, 'readinessPath', 'readinessProbe', DEFAULT_READINESS_PATH);
    const livenessPath = this.probePath(props, 'livenessPath', 'livenessProbe', DEFAULT_LIVENESS_PATH);
    if (readinessPath !== undefined && livenessPath !== undefined && livenessPath === readinessPath) {
      throw invalid(this, 'livenessPath', livenessPath,
        `a path other than readinessPath ${JSON.stringify(readinessPath)} (liveness restarts the container, so it must not fail when only a dependency is down)`);
    }
    const readiness = props.readinessProbe !== undefined
      ? probeAction(this, 'readinessProbe', props.readinessProbe, ports, PORT_NAME)
      : { httpGet: httpProbe(readinessPath!, HTTP_PORT, READINESS_TIMING).httpGet };
    const liveness = props.livenessProbe !== undefined
      ? probeAction(this, 'livenessProbe', props.livenessProbe, ports, PORT_NAME)
      : { httpGet: httpProbe(livenessPath!, HTTP_PORT, LIVENESS_TIMING).httpGet };
    return {
      readinessProbe: timedProbe(readiness, READINESS_TIMING),
      livenessProbe: timedProbe(liveness, LIVENESS_TIMING),
      startupProbe: timedProbe(liveness, timing),
    };
  }

  /** The HTTP path of a main-container probe, or undefined when a Probe replaces it. */
  private probePath(props: WebAppProps, pathProperty: 'readinessPath' | 'livenessPath',
    probeProperty: 'readinessProbe' | 'livenessProbe', fallback: string): string | undefined {
    if (props[probeProperty] !== undefined) {
      if (props[pathProperty] !== undefined) {
        throw invalid(this, pathProperty, props[pathProperty], `no value with ${probeProperty}, which replaces it`);
      }
      return undefined;
    }
    const path = props[pathProperty] ?? fallback;
    validateProbePath(this, pathProperty, path);
    return path;
  }

  /** Grace period and preStop hook. */
  private shutdown(props: WebAppProps): Shutdown {
    const terminationGracePeriodSeconds = props.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS;
    validateLiteral(this, 'terminationGracePeriodSeconds', terminationGracePeriodSeconds);
    validateInteger(this, 'terminationGracePeriodSeconds', terminationGracePeriodSeconds, 1, 3600);
    const preStopSleepSeconds = props.preStopSleepSeconds ?? DEFAULT_PRE_STOP_SLEEP_SECONDS;
    validateLiteral(this, 'preStopSleepSeconds', preStopSleepSeconds);
    validateInteger(this, 'preStopSleepSeconds', preStopSleepSeconds, 0, 3600);
    if (preStopSleepSeconds >= terminationGracePeriodSeconds) {
      throw invalid(this, 'preStopSleepSeconds', preStopSleepSeconds,
        `less than terminationGracePeriodSeconds (${terminationGracePeriodSeconds}), which includes the sleep: the app needs time left to shut down`);
    }
    return {
      terminationGracePeriodSeconds,
      preStopSleepSeconds,
      lifecycle: preStopSleepSeconds > 0
        ? { preStop: { exec: { command: ['sleep', String(preStopSleepSeconds)] } } }
        : undefined,
    };
  }

  /** Where the host is routed, and which namespace may call the app. */
  private route(props: WebAppProps): Route {
    const routing = props.routing;
    if (routing === undefined) {
      const callers = this.callers(props.ingressControllerNamespace, props.ingressSourceCidrs,
        'ingressControllerNamespace', 'ingressSourceCidrs');
      if (props.host === undefined) {
        return callers;
      }
      const { host, path } = this.hostAndPath(props);
      return {
        ...callers,
        host,
        path,
        ingress: this.ingressSettings(
          { className: props.ingressClassName, tlsSecretName: props.tlsSecretName, annotations: props.ingressAnnotations },
          { className: 'ingressClassName', tlsSecretName: 'tlsSecretName', annotations: 'ingressAnnotations' }),
      };
    }
    if (!(routing instanceof Routing)) {
      throw invalid(this, 'routing', routing, 'Routing.ingress({...}) or Routing.httpRoute({...})');
    }
    for (const property of ['ingressClassName', 'tlsSecretName', 'ingressAnnotations', 'ingressControllerNamespace', 'ingressSourceCidrs'] as const) {
      if (props[property] !== undefined) {
        throw invalid(this, property, props[property], 'no value with routing (Routing.ingress() takes the Ingress settings)');
      }
    }
    if (props.host === undefined) {
      throw invalid(this, 'host', undefined, 'a host name with routing (routing sends the host\'s traffic to the app)');
    }
    const { host, path } = this.hostAndPath(props);
    if (routing._ingress) {
      const options = routing._ingress;
      return {
        ...this.callers(options.controllerNamespace, options.sourceCidrs, 'routing.controllerNamespace', 'routing.sourceCidrs'),
        host,
        path,
        ingress: this.ingressSettings(options,
          { className: 'routing.className', tlsSecretName: 'routing.tlsSecretName', annotations: 'routing.annotations' }),
      };
    }
    const options = routing._httpRoute!;
    validateLiteral(this, 'routing.gatewayName', options.gatewayName);
    validateDnsSubdomain(this, 'routing.gatewayName', options.gatewayName);
    validateLiteral(this, 'routing.gatewayNamespace', options.gatewayNamespace);
    validateDnsLabel(this, 'routing.gatewayNamespace', options.gatewayNamespace);
    if (options.sectionName !== undefined) {
      validateDnsSubdomain(this, 'routing.sectionName', options.sectionName);
    }
    const callerNamespace = options.proxyNamespace ?? options.gatewayNamespace;
    validateDnsLabel(this, 'routing.proxyNamespace', callerNamespace);
    return {
      callerNamespace,
      host,
      path,
      gateway: { gatewayName: options.gatewayName, gatewayNamespace: options.gatewayNamespace, sectionName: options.sectionName },
    };
  }

  /** Who sends the Ingress traffic: the controller's namespace, or the address ranges of a load balancer. */
  private callers(namespace: string | undefined, cidrs: string[] | undefined, namespaceProperty: string, cidrsProperty: string):
  { callerNamespace?: string; callerCidrs?: string[] } {
    if (cidrs === undefined) {
      const callerNamespace = namespace ?? DEFAULT_INGRESS_CONTROLLER_NAMESPACE;
      validateDnsLabel(this, namespaceProperty, callerNamespace);
      return { callerNamespace };
    }
    if (namespace !== undefined) {
      throw invalid(this, namespaceProperty, namespace, `no value with ${cidrsProperty} (the traffic comes from those addresses, not from pods)`);
    }
    if (!Array.isArray(cidrs) || cidrs.length === 0) {
      throw invalid(this, cidrsProperty, cidrs, 'one or more address ranges in CIDR notation');
    }
    cidrs.forEach((cidr, i) => {
      validateLiteral(this, `${cidrsProperty}[${i}]`, cidr);
      if (typeof cidr !== 'string' || !isCidr(cidr)) {
        throw invalid(this, `${cidrsProperty}[${i}]`, cidr, 'an IPv4 or IPv6 range in CIDR notation, e.g. "10.0.0.0/24"');
      }
    });
    return { callerCidrs: [...cidrs] };
  }

  private hostAndPath(props: WebAppProps): { host: string; path: string } {
    const host = props.host!;
    validateLiteral(this, 'host', host);
    if (typeof host !== 'string' || !HOST.test(host)) {
      throw invalid(this, 'host', host, 'a lowercase DNS name with at least two labels, e.g. "orders.example.com"');
    }
    const path = props.path ?? '/';
    if (typeof path !== 'string' || !INGRESS_PATH.test(path) || DOT_SEGMENTS.test(path)) {
      throw invalid(this, 'path', path,
        'a URL path starting with "/" made of letters, digits, "-", ".", "_", "~" and "/", without "//", "/./" or "/../"');
    }
    return { host, path };
  }

  private ingressSettings(options: { className?: string; tlsSecretName?: string; annotations?: { [key: string]: string } },
    properties: { className: string; tlsSecretName: string; annotations: string }): IngressSettings {
    const ingressClassName = options.className ?? DEFAULT_INGRESS_CLASS;
    validateDnsSubdomain(this, properties.className, ingressClassName);
    const tlsSecretName = options.tlsSecretName ?? `${this.name}-tls`;
    validateDnsSubdomain(this, properties.tlsSecretName, tlsSecretName);
    const annotations = options.annotations;
    validateAnnotations(this, properties.annotations, annotations);
    return { ingressClassName, tlsSecretName, annotations: annotations ? { ...annotations } : undefined };
  }

  private recordDecisions(props: WebAppProps, size: Size, profile: Profile, resources: ContainerResourcesResult['decisions'],
    shutdown: Shutdown, strategy: RolloutStrategy): void {
    const bySize = `size ${size.name}`;
    const minSource = minReplicasSource(props, size, profile);
    const source = (value: unknown) => value !== undefined ? 'override' : 'paved default';
    recordDecision(this, 'minReplicas', String(this.minReplicas), minSource);
    recordDecision(this, 'maxReplicas', String(this.maxReplicas), props.maxReplicas !== undefined ? 'override' : bySize);
    recordDecision(this, 'disruptionBudget', this.pdb ? 'maxUnavailable 1' : 'none (fewer than 2 replicas)', minSource);
    recordResourceDecisions(this, size, resources);
    recordDecision(this, 'targetCpuUtilization', `${size.app.targetCpuUtilization}%`, bySize);
    recordDecision(this, 'terminationGracePeriodSeconds', String(shutdown.terminationGracePeriodSeconds),
      source(props.terminationGracePeriodSeconds));
    recordDecision(this, 'preStopSleepSeconds', String(shutdown.preStopSleepSeconds), source(props.preStopSleepSeconds));
    recordDecision(this, 'strategy', strategy._describe(), source(props.strategy));
    recordEgressDecisions(this, props.egress);
  }
}

interface Shutdown {
  readonly terminationGracePeriodSeconds: number;
  readonly preStopSleepSeconds: number;
  readonly lifecycle?: Lifecycle;
}

interface Route {
  /** Namespace whose pods carry the routed traffic (ingress controller or gateway proxies); undefined with `callerCidrs`. */
  readonly callerNamespace?: string;
  /** Address ranges that carry the routed traffic (a load balancer sending to pod IPs). */
  readonly callerCidrs?: string[];
  readonly host?: string;
  readonly path?: string;
  readonly ingress?: IngressSettings;
  readonly gateway?: { readonly gatewayName: string; readonly gatewayNamespace: string; readonly sectionName?: string };
}

interface IngressSettings {
  readonly ingressClassName: string;
  readonly tlsSecretName: string;
  readonly annotations?: { [key: string]: string };
}
