import { ApiObject, Chart } from 'cdk8s';
import {
  IntOrString,
  KubeDeployment,
  KubeIngress,
  KubeService,
  KubeServiceAccount,
  NetworkPolicyIngressRule,
} from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { DEFAULT_RUN_AS_ID, validateRunAsId } from './container-security';
import { recordDecision } from './decisions';
import { EgressRule } from './egress-rule';
import { renderEnv } from './env';
import { validateImage } from './image';
import {
  appLabels,
  isLabelValue,
  selectorLabels,
  validateDns1035Label,
  validateDnsSubdomain,
} from './labels';
import { validateLiteral } from './literal';
import { recordEgressDecisions, workloadEgress, workloadNetworkPolicy } from './network-policy';
import { httpProbe, podTemplate, validateAnnotations, validateProbePath } from './pod-template';
import { resourceRequirements } from './quantities';
import {
  cpuAutoscaler,
  disruptionBudget,
  minReplicasSource,
  recordResourceDecisions,
  replicaBounds,
} from './replicas';
import { SecretKeyRef } from './secret-key-ref';
import { invalid } from '../core/errors';
import { Profile } from '../core/profile';
import { Size } from '../core/size';
import { validateDnsLabel, validateInteger } from '../core/validation';

/** Properties of a {@link WebApp}. */
export interface WebAppProps {
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
   * An Ingress is created only when a host is given.
   * @default - no Ingress: the app is reachable only inside the cluster
   */
  readonly host?: string;
  /**
   * URL path prefix the Ingress routes to the app (`pathType: Prefix`).
   * @default '/'
   */
  readonly path?: string;
  /**
   * IngressClass that serves the Ingress.
   * @default 'nginx'
   */
  readonly ingressClassName?: string;
  /**
   * Secret in the app's namespace holding the TLS certificate for `host`
   * (written by cert-manager or an ExternalSecret).
   * @default '<name>-tls'
   */
  readonly tlsSecretName?: string;
  /**
   * Annotations of the Ingress, e.g. `{ 'cert-manager.io/cluster-issuer': 'letsencrypt' }`.
   * @default - none
   */
  readonly ingressAnnotations?: { [key: string]: string };
  /**
   * Namespace of the ingress controller's pods. The NetworkPolicy admits
   * traffic on `port` from this namespace only (plus `allowedNamespaces`).
   * @default 'ingress-nginx'
   */
  readonly ingressControllerNamespace?: string;
  /**
   * Further namespaces whose pods may call the app on `port`, for
   * in-cluster clients. Name the app's own namespace to admit its neighbours.
   * @default - none: only the ingress controller reaches the app
   */
  readonly allowedNamespaces?: string[];
  /**
   * Capacity: cpu, memory and ephemeral-storage requests and limits,
   * autoscaling bounds and CPU target.
   * @default Size.M
   */
  readonly size?: Size;
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
   * Name of the ServiceAccount the pods run as. EKS Pod Identity
   * associations bind an IAM role to this name in the app's namespace.
   * @default - the app's name
   */
  readonly serviceAccountName?: string;
  /**
   * Mount a Kubernetes API token into the pods. Only apps that call the
   * Kubernetes API need it; EKS Pod Identity works without it.
   * @default false
   */
  readonly automountServiceAccountToken?: boolean;
  /**
   * Annotations of the pods, e.g. for a service mesh or log shipper.
   * @default - none
   */
  readonly podAnnotations?: { [key: string]: string };
  /**
   * Environment variables with literal values. Names are letters, digits
   * and `_`, not starting with a digit. Put nothing secret here; a value may
   * compose `secretEnv` variables with `$(VAR)`, which Kubernetes expands
   * (they are listed first for that reason).
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * Environment variables read from keys of Secrets in the app's namespace,
   * by variable name. A name may not also be in `env`.
   * @default - none
   */
  readonly secretEnv?: { [name: string]: SecretKeyRef };
  /**
   * HTTP path of the readiness probe: answers 2xx while the app can serve
   * requests (dependencies reachable). Failing it takes the pod out of the
   * Service; it is never restarted for it.
   * @default '/readyz'
   */
  readonly readinessPath?: string;
  /**
   * HTTP path of the liveness probe: answers 2xx while the process is not
   * stuck. Failing it restarts the container, so it must not check
   * dependencies. Must differ from `readinessPath`.
   * @default '/livez'
   */
  readonly livenessPath?: string;
  /**
   * Longest time the app may take to start, in seconds (5-3600). Until the
   * liveness path first answers within this time, liveness is not checked,
   * so a slow start does not end in a restart loop.
   * @default 60
   */
  readonly startupTimeoutSeconds?: number;
  /**
   * Destinations the app may connect to, besides DNS. Everything else is
   * denied by the NetworkPolicy.
   * @default - DNS only
   */
  readonly egress?: EgressRule[];
  /**
   * User id the container runs as (10000 or above, so it matches no user of the node).
   * @default 10001
   */
  readonly runAsUser?: number;
  /**
   * Group id the container runs as, also the pod's `fsGroup` (10000 or above).
   * @default 10001
   */
  readonly runAsGroup?: number;
  /**
   * The `app.kubernetes.io/part-of` label: the larger application or tenant.
   * @default - the chart's namespace; no label without one
   */
  readonly partOf?: string;
}

const DEFAULT_PORT = 8080;
const DEFAULT_INGRESS_CLASS = 'nginx';
const DEFAULT_INGRESS_CONTROLLER_NAMESPACE = 'ingress-nginx';
const DEFAULT_READINESS_PATH = '/readyz';
const DEFAULT_LIVENESS_PATH = '/livez';
const DEFAULT_STARTUP_TIMEOUT_SECONDS = 60;
const STARTUP_PERIOD_SECONDS = 5;
const PORT_NAME = 'http';
const HTTP_PORT = IntOrString.fromString(PORT_NAME);
const COMPONENT = 'web';
/** A DNS name with at least two labels; wildcards are left out because the TLS secret covers one host. */
const HOST = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** What ingress-nginx accepts for Prefix paths with strict path validation (the default since 1.8). */
const INGRESS_PATH = /^\/[A-Za-z0-9\-._~/]*$/;

/**
 * An HTTP service: Deployment, Service, ServiceAccount, autoscaler,
 * disruption budget, NetworkPolicy and, for a host, an Ingress with TLS.
 *
 * Secure by default: pods meet the "restricted" Pod Security Standard
 * (non-root user 10001, no privilege escalation, all capabilities dropped,
 * RuntimeDefault seccomp, read-only root filesystem with a writable `/tmp`),
 * no Kubernetes API token is mounted, Service links are off, and the
 * NetworkPolicy admits traffic only from the ingress controller's namespace
 * on the app's port and lets the app reach only DNS and the `egress` it
 * declares.
 *
 * Reliable by default: cpu, memory and ephemeral-storage requests and limits
 * come from the Size; the HorizontalPodAutoscaler owns the replica count
 * (the Deployment has no `spec.replicas`, so a GitOps sync never fights the
 * autoscaler); at least 2 replicas in production, spread over zones and
 * hosts, with a PodDisruptionBudget of one unavailable pod; distinct
 * readiness, liveness and startup probes; rolling updates that never go
 * below the current replica count.
 *
 * Every object is named after the app (no hashes) and carries the
 * `app.kubernetes.io/*` labels. The objects take the namespace of the chart
 * they are in. Each object is a public property for escape hatches: it is a
 * plain `ApiObject` holding the final Kubernetes JSON, so `addJsonPatch`
 * paths and values are exactly those of the written YAML (e.g.
 * `JsonPatch.add('/spec/template/spec/containers/0/resources/limits/nvidia.com~1gpu', '1')`).
 */
export class WebApp extends Construct {
  /** Name of the app and of each of its objects. */
  public readonly name: string;
  /** Port the container and the Service listen on. */
  public readonly port: number;
  /** Host the Ingress serves; undefined without an Ingress. */
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
  /** The Ingress (networking.k8s.io/v1); undefined without a `host`. */
  public readonly ingress?: ApiObject;
  /** The ServiceAccount (v1). */
  public readonly serviceAccount: ApiObject;
  /** The HorizontalPodAutoscaler (autoscaling/v2), scaling on CPU. */
  public readonly hpa: ApiObject;
  /** The PodDisruptionBudget (policy/v1); undefined below 2 replicas. */
  public readonly pdb?: ApiObject;
  /** The NetworkPolicy (networking.k8s.io/v1) for ingress and egress. */
  public readonly networkPolicy: ApiObject;

  constructor(scope: Construct, id: string, props: WebAppProps) {
    super(scope, id);
    const size = props.size ?? Size.M;
    const profile = props.profile ?? Profile.PROD;

    this.name = props.name ?? id;
    validateDns1035Label(this, 'name', this.name);
    const image = validateImage(this, 'image', props.image);
    this.port = props.port ?? DEFAULT_PORT;
    validateLiteral(this, 'port', this.port);
    validateInteger(this, 'port', this.port, 1, 65535);

    const { minReplicas, maxReplicas } = replicaBounds(this, props, size, profile);
    this.minReplicas = minReplicas;
    this.maxReplicas = maxReplicas;

    const readinessPath = props.readinessPath ?? DEFAULT_READINESS_PATH;
    const livenessPath = props.livenessPath ?? DEFAULT_LIVENESS_PATH;
    validateProbePath(this, 'readinessPath', readinessPath);
    validateProbePath(this, 'livenessPath', livenessPath);
    if (livenessPath === readinessPath) {
      throw invalid(this, 'livenessPath', livenessPath,
        `a path other than readinessPath ${JSON.stringify(readinessPath)} (liveness restarts the container, so it must not fail when only a dependency is down)`);
    }
    const startupTimeoutSeconds = props.startupTimeoutSeconds ?? DEFAULT_STARTUP_TIMEOUT_SECONDS;
    validateInteger(this, 'startupTimeoutSeconds', startupTimeoutSeconds, STARTUP_PERIOD_SECONDS, 3600);

    const runAsUser = props.runAsUser ?? DEFAULT_RUN_AS_ID;
    const runAsGroup = props.runAsGroup ?? DEFAULT_RUN_AS_ID;
    validateRunAsId(this, 'runAsUser', runAsUser);
    validateRunAsId(this, 'runAsGroup', runAsGroup);

    this.serviceAccountName = props.serviceAccountName ?? this.name;
    validateDnsSubdomain(this, 'serviceAccountName', this.serviceAccountName);
    const automountToken = props.automountServiceAccountToken ?? false;

    const ingressControllerNamespace = props.ingressControllerNamespace ?? DEFAULT_INGRESS_CONTROLLER_NAMESPACE;
    validateDnsLabel(this, 'ingressControllerNamespace', ingressControllerNamespace);
    const allowedNamespaces = props.allowedNamespaces ?? [];
    allowedNamespaces.forEach((ns, i) => validateDnsLabel(this, `allowedNamespaces[${i}]`, ns));
    const egress = workloadEgress(this, props.egress);
    const ingress = props.host !== undefined ? this.ingressSettings(props.host, props) : undefined;

    const partOf = props.partOf ?? Chart.of(this).namespace;
    if (partOf !== undefined && !isLabelValue(partOf)) {
      throw invalid(this, 'partOf', partOf, 'a label value: at most 63 letters, digits, "-", "_" or ".", alphanumeric at both ends');
    }
    this.selectorLabels = selectorLabels(this.name);
    this.labels = appLabels({ name: this.name, component: COMPONENT, version: image.tag, partOf });
    const env = renderEnv(this, props.env, props.secretEnv);
    validateAnnotations(this, 'podAnnotations', props.podAnnotations);

    this.serviceAccount = new ApiObject(this, 'ServiceAccount', KubeServiceAccount.manifest({
      metadata: { name: this.serviceAccountName, labels: { ...this.labels } },
      automountServiceAccountToken: automountToken,
    }));

    this.deployment = new ApiObject(this, 'Resource', KubeDeployment.manifest({
      metadata: { name: this.name, labels: { ...this.labels } },
      spec: {
        // No `replicas`: the autoscaler owns the count; a value here would reset it on every sync.
        selector: { matchLabels: { ...this.selectorLabels } },
        strategy: {
          type: 'RollingUpdate',
          // Surge first, never drop below the current count: a rollout costs no capacity.
          rollingUpdate: { maxSurge: IntOrString.fromString('25%'), maxUnavailable: IntOrString.fromNumber(0) },
        },
        template: podTemplate({
          containerName: this.name,
          image: props.image,
          labels: this.labels,
          selectorLabels: this.selectorLabels,
          annotations: props.podAnnotations,
          serviceAccountName: this.serviceAccountName,
          automountServiceAccountToken: automountToken,
          runAsUser,
          runAsGroup,
          ports: [{ name: PORT_NAME, containerPort: this.port, protocol: 'TCP' }],
          env,
          resources: resourceRequirements(size.app),
          readinessProbe: httpProbe(readinessPath, HTTP_PORT, { periodSeconds: 5, failureThreshold: 3 }),
          livenessProbe: httpProbe(livenessPath, HTTP_PORT, { periodSeconds: 10, failureThreshold: 3 }),
          startupProbe: httpProbe(livenessPath, HTTP_PORT, {
            periodSeconds: STARTUP_PERIOD_SECONDS,
            failureThreshold: Math.ceil(startupTimeoutSeconds / STARTUP_PERIOD_SECONDS),
          }),
          spread: true,
        }),
      },
    }));

    this.service = new ApiObject(this, 'Service', KubeService.manifest({
      metadata: { name: this.name, labels: { ...this.labels } },
      spec: {
        type: 'ClusterIP',
        selector: { ...this.selectorLabels },
        ports: [{ name: PORT_NAME, port: this.port, targetPort: IntOrString.fromString(PORT_NAME), protocol: 'TCP' }],
      },
    }));

    this.hpa = cpuAutoscaler(this, this.name, this.labels, { minReplicas, maxReplicas }, size.app.targetCpuUtilization);

    if (minReplicas >= 2) {
      this.pdb = disruptionBudget(this, this.name, this.labels, this.selectorLabels);
    }

    const callers = [ingressControllerNamespace, ...allowedNamespaces.filter(ns => ns !== ingressControllerNamespace)];
    const ingressRule: NetworkPolicyIngressRule = {
      from: callers.map(ns => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } })),
      ports: [{ protocol: 'TCP', port: IntOrString.fromNumber(this.port) }],
    };
    this.networkPolicy = workloadNetworkPolicy(this, {
      name: this.name, labels: this.labels, selectorLabels: this.selectorLabels, ingress: [ingressRule], egress,
    });

    if (ingress) {
      this.host = ingress.host;
      this.ingress = new ApiObject(this, 'Ingress', KubeIngress.manifest({
        metadata: { name: this.name, labels: { ...this.labels }, annotations: ingress.annotations },
        spec: {
          ingressClassName: ingress.ingressClassName,
          tls: [{ hosts: [ingress.host], secretName: ingress.tlsSecretName }],
          rules: [{
            host: ingress.host,
            http: {
              paths: [{
                path: ingress.path,
                pathType: 'Prefix',
                backend: { service: { name: this.name, port: { name: PORT_NAME } } },
              }],
            },
          }],
        },
      }));
    }

    this.recordDecisions(props, size, profile);
  }

  private ingressSettings(host: string, props: WebAppProps): IngressSettings {
    validateLiteral(this, 'host', host);
    if (!HOST.test(host)) {
      throw invalid(this, 'host', host, 'a lowercase DNS name with at least two labels, e.g. "orders.example.com"');
    }
    const path = props.path ?? '/';
    if (!INGRESS_PATH.test(path)) {
      throw invalid(this, 'path', path, 'a URL path starting with "/" made of letters, digits, "-", ".", "_", "~" and "/"');
    }
    const ingressClassName = props.ingressClassName ?? DEFAULT_INGRESS_CLASS;
    validateDnsSubdomain(this, 'ingressClassName', ingressClassName);
    const tlsSecretName = props.tlsSecretName ?? `${this.name}-tls`;
    validateDnsSubdomain(this, 'tlsSecretName', tlsSecretName);
    const annotations = props.ingressAnnotations;
    validateAnnotations(this, 'ingressAnnotations', annotations);
    return { host, path, ingressClassName, tlsSecretName, annotations: annotations ? { ...annotations } : undefined };
  }

  private recordDecisions(props: WebAppProps, size: Size, profile: Profile): void {
    const bySize = `size ${size.name}`;
    const minSource = minReplicasSource(props, size, profile);
    recordDecision(this, 'minReplicas', String(this.minReplicas), minSource);
    recordDecision(this, 'maxReplicas', String(this.maxReplicas), props.maxReplicas !== undefined ? 'override' : bySize);
    recordDecision(this, 'disruptionBudget', this.pdb ? 'maxUnavailable 1' : 'none (fewer than 2 replicas)', minSource);
    recordResourceDecisions(this, size);
    recordDecision(this, 'targetCpuUtilization', `${size.app.targetCpuUtilization}%`, bySize);
    recordEgressDecisions(this, props.egress);
  }
}

interface IngressSettings {
  readonly host: string;
  readonly path: string;
  readonly ingressClassName: string;
  readonly tlsSecretName: string;
  readonly annotations?: { [key: string]: string };
}
