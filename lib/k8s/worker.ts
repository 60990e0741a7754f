import { ApiObject, Chart } from 'cdk8s';
import {
  ContainerPort,
  IntOrString,
  KubeDeployment,
  KubeServiceAccount,
  NetworkPolicyIngressRule,
} from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { ContainerSpec } from './container';
import { DEFAULT_RUN_AS_ID, validateRunAsId } from './container-security';
import { recordDecision } from './decisions';
import { renderEnv } from './env';
import { validateIamRoleArn } from './iam-role-arn';
import { validateImage } from './image';
import { appLabels, isLabelValue, selectorLabels, validateDns1035Label, validateDnsSubdomain } from './labels';
import { validateLiteral } from './literal';
import { WorkloadNetworkPolicy, recordEgressDecisions, workloadEgress } from './network-policy';
import { NetworkedWorkload } from './networked-workload';
import { claimObjectNames } from './object-names';
import { ContainerResourcesResult, PodPorts } from './pod-containers';
import { PodProps } from './pod-props';
import { ProbeTiming, httpProbe, timedProbe, validateCommand, validateProbePath } from './pod-template';
import { Probe } from './probe';
import { validateScalingQueue } from './queue-scaling';
import { WorkloadFootprint, deploymentFootprint } from './quota-footprint';
import {
  ReplicaBounds,
  cpuAutoscaler,
  disruptionBudget,
  minReplicasSource,
  recordResourceDecisions,
  replicaBounds,
} from './replicas';
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
import { IScalingQueue } from '../core/scaling-queue';
import { Size } from '../core/size';
import { validateDnsLabel, validateInteger } from '../core/validation';

/** Properties of a {@link Worker}. */
export interface WorkerProps extends PodProps {
  /**
   * Container image, pinned by a tag other than `latest` or by a digest,
   * e.g. `registry.example.com/shop/billing-worker:2.0.1`. The tag becomes
   * the `app.kubernetes.io/version` label.
   */
  readonly image: string;
  /**
   * Name of every object (Deployment, ServiceAccount, ...), and the
   * `app.kubernetes.io/name` and `instance` labels. A DNS-1035 label.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Entrypoint of the container, replacing the image's `ENTRYPOINT`.
   * @default - the image's entrypoint
   */
  readonly command?: string[];
  /**
   * Arguments of the entrypoint, replacing the image's `CMD`.
   * @default - the image's arguments
   */
  readonly args?: string[];
  /**
   * TCP ports the container listens on, by port name (at most 15 lowercase
   * letters, digits and dashes, e.g. `{ http: 8080, metrics: 9090 }`). The
   * worker has no Service: the ports are declared for its probes and for
   * scrapers admitted by `allowedNamespaces`. Pass `{}` for a worker that
   * listens on nothing, together with `probeCommand`.
   * @default { http: 8080 }
   */
  readonly ports?: { [name: string]: number };
  /**
   * Container port the HTTP liveness, readiness and startup probes call;
   * one of `ports`.
   * @default - the port named `http`, else the first of `ports`
   */
  readonly probePort?: number;
  /**
   * HTTP path of the readiness probe. A worker has no Service, but a
   * rollout waits for new pods to be ready before it stops old ones.
   * @default '/readyz'
   */
  readonly readinessPath?: string;
  /**
   * HTTP path of the liveness probe: answers 2xx while the process is not
   * stuck. Failing it restarts the container. Must differ from `readinessPath`.
   * @default '/livez'
   */
  readonly livenessPath?: string;
  /**
   * Command whose exit code 0 means healthy, run in the container for the
   * liveness, readiness and startup probes instead of HTTP calls; for
   * workers that serve no HTTP. Excludes `probePort`, `readinessPath` and
   * `livenessPath`.
   * @default - HTTP probes on `probePort`
   */
  readonly probeCommand?: string[];
  /**
   * Liveness probe of the main container, replacing the HTTP GET of
   * `livenessPath`: another port, HTTPS, headers or a command. With it (or
   * `readinessProbe`) the worker runs exactly the probes given; the
   * startup probe does the liveness check. Excludes `probePort`,
   * `readinessPath`, `livenessPath`, `probeCommand` and `withoutProbes`.
   * @default - HTTP GET `livenessPath` on `probePort`
   */
  readonly livenessProbe?: Probe;
  /**
   * Readiness probe of the main container, replacing the HTTP GET of
   * `readinessPath`; see `livenessProbe`.
   * @default - HTTP GET `readinessPath` on `probePort`
   */
  readonly readinessProbe?: Probe;
  /**
   * Run the main container without liveness, readiness or startup probes,
   * for a worker that offers no health check: Kubernetes then restarts it
   * only when its process exits, and a rollout counts a started pod as
   * ready. Recorded in the synth report. Excludes every other probe property.
   * @default false
   */
  readonly withoutProbes?: boolean;
  /**
   * Sidecars, running next to the main container for the life of the pod.
   * Each needs a liveness probe.
   * @default - none
   */
  readonly containers?: ContainerSpec[];
  /**
   * Longest time the worker may take to start, in seconds (5-3600). Until
   * the liveness probe first succeeds within this time, liveness is not checked.
   * @default 60
   */
  readonly startupTimeoutSeconds?: number;
  /**
   * Seconds a stopping pod gets between SIGTERM and SIGKILL to finish the
   * message it is working on (1-3600). Keep it below the queue's visibility
   * timeout, or a message may be handled twice.
   * @default 30
   */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * Environment defaults. In a production profile the worker runs at least
   * 2 replicas and may not scale to zero.
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
   * The paved Queue the worker consumes. With a queue, KEDA scales the
   * worker on the queue's depth (a `ScaledObject` with the `aws-sqs-queue`
   * scaler and a `TriggerAuthentication`), and no HorizontalPodAutoscaler
   * is written: KEDA creates its own. KEDA must be installed in the cluster.
   * The worker's pods still need egress to SQS and to the EKS Pod Identity
   * agent: declare them in `egress`.
   * @default - no queue: the worker scales on CPU
   */
  readonly queue?: IScalingQueue;
  /**
   * Visible messages per replica KEDA aims for (1-100000); only with `queue`.
   * @default 5
   */
  readonly queueLengthTarget?: number;
  /**
   * Let KEDA stop every replica while the queue is empty (`minReplicaCount: 0`);
   * only with `queue`, and never in a production profile, where the first
   * message would wait for a pod to be scheduled and started. Excludes `minReplicas`.
   * @default false
   */
  readonly scaleToZero?: boolean;
  /**
   * IAM role KEDA assumes to read the queue's depth (`podIdentity.roleArn`);
   * only with `queue`; the role must trust KEDA's own role. Without it KEDA
   * reads the queue with its own identity (`podIdentity.provider: aws`,
   * identity owner `keda`): a paved `Cluster` binds the role
   * `paved-<env>-keda` to KEDA's `keda/keda-operator` service account through
   * EKS Pod Identity, allowed `sqs:GetQueueAttributes` on the environment's
   * queues only. (KEDA's `identityOwner: workload` needs the IRSA annotation,
   * which EKS Pod Identity does not write.)
   * @default - KEDA's own identity
   */
  readonly queueScalerRoleArn?: string;
  /**
   * Namespaces whose pods may connect to the worker's `ports`, e.g. the
   * monitoring namespace that scrapes metrics.
   * @default - none: all ingress is denied
   */
  readonly allowedNamespaces?: string[];
}

const DEFAULT_PORTS: { [name: string]: number } = { http: 8080 };
const DEFAULT_READINESS_PATH = '/readyz';
const DEFAULT_LIVENESS_PATH = '/livez';
const DEFAULT_STARTUP_TIMEOUT_SECONDS = 60;
const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;
const DEFAULT_QUEUE_LENGTH_TARGET = 5;
/** Pods a rollout starts above the current count. */
const MAX_SURGE = '25%';
/** The probe properties, each of which excludes `withoutProbes`. */
const PROBE_PROPERTIES = ['withoutProbes', 'livenessProbe', 'readinessProbe', 'probeCommand', 'probePort', 'readinessPath', 'livenessPath'] as const;
const COMPONENT = 'worker';
/** IANA service name: what Kubernetes accepts as a container port name. */
const PORT_NAME = /^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * A background worker: a Deployment without Service or Ingress, with its
 * ServiceAccount, autoscaling, disruption budget and NetworkPolicy.
 *
 * Autoscaling is on CPU (a HorizontalPodAutoscaler) unless the worker
 * consumes a paved Queue: then KEDA scales it on the queue's depth, aiming
 * for `queueLengthTarget` visible messages per replica, through a
 * `ScaledObject` (keda.sh/v1alpha1, `aws-sqs-queue` scaler) and a
 * `TriggerAuthentication` using AWS pod identity.
 *
 * Secure by default, like {@link WebApp}: pods meet the "restricted" Pod
 * Security Standard (non-root user 10001, no privilege escalation, all
 * capabilities dropped, RuntimeDefault seccomp, read-only root filesystem
 * with a writable `/tmp`), no Kubernetes API token is mounted, and the
 * NetworkPolicy denies all ingress (unless `allowedNamespaces` are given)
 * and all egress but DNS and the declared `egress`.
 *
 * Reliable by default: requests and limits from the Size; at least 2
 * replicas in production, spread over zones and hosts, with a
 * PodDisruptionBudget of one unavailable pod; liveness, readiness and
 * startup probes (HTTP on a declared port, or a command); rolling updates
 * that never go below the current replica count.
 *
 * Every object is a public plain `ApiObject` holding the final Kubernetes
 * JSON, for escape hatches (`addJsonPatch`).
 */
export class Worker extends NetworkedWorkload {
  /** Name of the worker and of each of its objects. */
  public readonly name: string;
  /** Fewest replicas: the autoscaler's lower bound (0 when scaling to zero). */
  public readonly minReplicas: number;
  /** Most replicas the autoscaler starts. */
  public readonly maxReplicas: number;
  /** Name of the ServiceAccount the pods run as. */
  public readonly serviceAccountName: string;
  /** Labels on every object and pod. */
  public readonly labels: { [key: string]: string };
  /** Labels that select the worker's pods (name and instance). */
  public readonly selectorLabels: { [key: string]: string };
  /** The Deployment (apps/v1), without `spec.replicas`: the autoscaler owns the count. */
  public readonly deployment: ApiObject;
  /** The ServiceAccount (v1). */
  public readonly serviceAccount: ApiObject;
  /** The HorizontalPodAutoscaler (autoscaling/v2) scaling on CPU; undefined when KEDA scales on a queue. */
  public readonly hpa?: ApiObject;
  /** The KEDA ScaledObject (keda.sh/v1alpha1) scaling on the queue's depth; undefined without a queue. */
  public readonly scaledObject?: ApiObject;
  /** The KEDA TriggerAuthentication (keda.sh/v1alpha1) the scaler reads the queue with; undefined without a queue. */
  public readonly triggerAuthentication?: ApiObject;
  /** The PodDisruptionBudget (policy/v1); undefined below 2 replicas. */
  public readonly pdb?: ApiObject;
  /** The NetworkPolicy (networking.k8s.io/v1) for ingress and egress. */
  public readonly networkPolicy: ApiObject;
  /** The ConfigMap (v1) `<name>-files` holding the configuration files; undefined without `files`. */
  public readonly configMap?: ApiObject;

  constructor(scope: Construct, id: string, props: WorkerProps) {
    super(checkedScope(scope, 'Worker', arguments), id);
    const size = props.size ?? Size.M;
    const profile = props.profile ?? Profile.PROD;

    this.name = props.name ?? id;
    validateDns1035Label(this, 'name', this.name);
    const image = validateImage(this, 'image', props.image, props.imagePolicy);
    validateCommand(this, 'command', props.command);
    validateCommand(this, 'args', props.args);

    const ports = this.containerPorts(props.ports ?? DEFAULT_PORTS);
    const timing = startupTiming(this, props.startupTimeoutSeconds ?? DEFAULT_STARTUP_TIMEOUT_SECONDS);
    const probes = this.probes(props, ports, timing);

    const terminationGracePeriodSeconds = props.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS;
    validateInteger(this, 'terminationGracePeriodSeconds', terminationGracePeriodSeconds, 1, 3600);

    const scaling = this.scaling(props, size, profile);
    this.minReplicas = scaling.bounds.minReplicas;
    this.maxReplicas = scaling.bounds.maxReplicas;

    const runAsUser = props.runAsUser ?? DEFAULT_RUN_AS_ID;
    const runAsGroup = props.runAsGroup ?? DEFAULT_RUN_AS_ID;
    validateRunAsId(this, 'runAsUser', runAsUser);
    validateRunAsId(this, 'runAsGroup', runAsGroup);

    this.serviceAccountName = props.serviceAccountName ?? this.name;
    validateDnsSubdomain(this, 'serviceAccountName', this.serviceAccountName);
    const automountToken = props.automountServiceAccountToken ?? false;

    const allowedNamespaces = props.allowedNamespaces ?? [];
    allowedNamespaces.forEach((ns, i) => validateDnsLabel(this, `allowedNamespaces[${i}]`, ns));
    if (allowedNamespaces.length > 0 && ports.length === 0) {
      throw invalid(this, 'allowedNamespaces', allowedNamespaces, 'no namespaces when the container declares no ports');
    }
    const egress = workloadEgress(this, props.egress);

    const partOf = props.partOf ?? Chart.of(this).namespace;
    if (partOf !== undefined && !isLabelValue(partOf)) {
      throw invalid(this, 'partOf', partOf, 'a label value: at most 63 letters, digits, "-", "_" or ".", alphanumeric at both ends');
    }
    this.selectorLabels = selectorLabels(this.name);
    this.labels = appLabels({ name: this.name, component: COMPONENT, version: image.tag, partOf });
    const env = renderEnv(this, props.env, props.secretEnv);

    const podPorts = new PodPorts();
    ports.forEach(p => podPorts.reserve(p.name!, p.containerPort, `ports.${p.name}`));
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
      ports: podPorts,
      mainPorts: ports,
      probes,
      startupTiming: timing,
      sidecars: props.containers,
      terminationGracePeriodSeconds,
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
        strategy: {
          type: 'RollingUpdate',
          // Surge first, never drop below the current count: a rollout costs no throughput.
          rollingUpdate: { maxSurge: IntOrString.fromString(MAX_SURGE), maxUnavailable: IntOrString.fromNumber(0) },
        },
        template,
      },
    }));

    if (scaling.queue) {
      this.triggerAuthentication = new ApiObject(this, 'TriggerAuthentication', {
        apiVersion: 'keda.sh/v1alpha1',
        kind: 'TriggerAuthentication',
        metadata: { name: this.name, labels: { ...this.labels } },
        spec: {
          // Without roleArn KEDA uses its own Pod Identity role (identity owner "keda").
          podIdentity: props.queueScalerRoleArn !== undefined
            ? { provider: 'aws', roleArn: props.queueScalerRoleArn }
            : { provider: 'aws' },
        },
      });
      this.scaledObject = new ApiObject(this, 'ScaledObject', {
        apiVersion: 'keda.sh/v1alpha1',
        kind: 'ScaledObject',
        metadata: { name: this.name, labels: { ...this.labels } },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: this.name },
          minReplicaCount: this.minReplicas,
          maxReplicaCount: this.maxReplicas,
          // When KEDA cannot read the queue (credentials, throttling), keep consuming instead of
          // freezing at whatever count it had, which may be zero.
          fallback: { failureThreshold: 3, replicas: Math.max(this.minReplicas, 1) },
          triggers: [{
            type: 'aws-sqs-queue',
            authenticationRef: { name: this.name },
            metadata: {
              queueURL: scaling.queue.queueUrl,
              queueLength: String(scaling.queueLengthTarget),
              awsRegion: scaling.queue.region,
            },
          }],
        },
      });
    } else {
      this.hpa = cpuAutoscaler(this, this.name, this.labels, scaling.bounds, size.app.targetCpuUtilization);
    }

    if (this.minReplicas >= 2) {
      this.pdb = disruptionBudget(this, this.name, this.labels, this.selectorLabels);
    }

    const ingress: NetworkPolicyIngressRule[] | undefined = allowedNamespaces.length > 0 ? [{
      from: allowedNamespaces.map(ns => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': ns } } })),
      ports: ports.map(p => ({ protocol: 'TCP', port: IntOrString.fromNumber(p.containerPort) })),
    }] : undefined;
    this._policyRules = new WorkloadNetworkPolicy(this, {
      name: this.name, labels: this.labels, selectorLabels: this.selectorLabels, ingress, egress,
    });
    this.networkPolicy = this._policyRules.resource;

    claimObjectNames(this);
    this.recordDecisions(props, size, profile, scaling, pod.resources.decisions, probes);
  }

  /**
   * What the worker holds of its namespace's quota at its peak: the most
   * replicas its autoscaler (or KEDA) starts plus the rollout's surge.
   */
  public quotaFootprint(): WorkloadFootprint {
    const maxReplicas = this.scaledObject ? this.scaledObject.toJson().spec?.maxReplicaCount : this.hpa?.toJson().spec?.maxReplicas;
    return deploymentFootprint(this.name, this.deployment.toJson(), maxReplicas ?? this.maxReplicas);
  }

  private containerPorts(ports: { [name: string]: number }): ContainerPort[] {
    if (ports === null || typeof ports !== 'object' || Array.isArray(ports)) {
      throw invalid(this, 'ports', ports, 'a map of port name to port number, e.g. { http: 8080 }');
    }
    const seen = new Map<number, string>();
    return Object.entries(ports).map(([name, port]) => {
      if (!PORT_NAME.test(name)) {
        throw invalid(this, 'ports name', name,
          'a port name: 1-15 lowercase letters, digits and single dashes, with at least one letter, not starting or ending with a dash');
      }
      validateLiteral(this, `ports.${name}`, port);
      validateInteger(this, `ports.${name}`, port, 1, 65535);
      if (seen.has(port)) {
        throw invalid(this, `ports.${name}`, port, `a port not already declared as ${JSON.stringify(seen.get(port))}`);
      }
      seen.set(port, name);
      return { name, containerPort: port, protocol: 'TCP' };
    });
  }

  private probes(props: WorkerProps, ports: ContainerPort[], startup: ProbeTiming): ContainerProbes {
    const given = PROBE_PROPERTIES.filter(property => props[property] !== undefined && props[property] !== false);
    if (props.withoutProbes === true) {
      const other = given.find(property => property !== 'withoutProbes');
      if (other !== undefined) {
        throw invalid(this, other, other === 'livenessProbe' || other === 'readinessProbe' ? 'a Probe' : props[other],
          'no value with withoutProbes (the worker runs without probes)');
      }
      return {};
    }
    if (props.livenessProbe !== undefined || props.readinessProbe !== undefined) {
      for (const property of ['probePort', 'readinessPath', 'livenessPath', 'probeCommand'] as const) {
        if (props[property] !== undefined) {
          throw invalid(this, property, props[property], 'no value with livenessProbe or readinessProbe, which replace the HTTP probes');
        }
      }
      const defaultPort = ports.find(p => p.name === 'http')?.name ?? ports[0]?.name;
      const liveness = props.livenessProbe !== undefined ? probeAction(this, 'livenessProbe', props.livenessProbe, ports, defaultPort) : undefined;
      const readiness = props.readinessProbe !== undefined ? probeAction(this, 'readinessProbe', props.readinessProbe, ports, defaultPort) : undefined;
      return {
        readinessProbe: readiness ? timedProbe(readiness, READINESS_TIMING) : undefined,
        livenessProbe: liveness ? timedProbe(liveness, LIVENESS_TIMING) : undefined,
        startupProbe: liveness ? timedProbe(liveness, startup) : undefined,
      };
    }

    if (props.probeCommand !== undefined) {
      validateCommand(this, 'probeCommand', props.probeCommand);
      for (const property of ['probePort', 'readinessPath', 'livenessPath'] as const) {
        if (props[property] !== undefined) {
          throw invalid(this, property, props[property], 'no value with probeCommand (the probes run the command, not HTTP calls)');
        }
      }
      const exec = { exec: { command: [...props.probeCommand] } };
      return {
        readinessProbe: timedProbe(exec, READINESS_TIMING),
        livenessProbe: timedProbe(exec, LIVENESS_TIMING),
        startupProbe: timedProbe(exec, startup),
      };
    }

    const declared = ports.map(p => `${p.name} ${p.containerPort}`).join(', ');
    let port: ContainerPort | undefined;
    if (props.probePort !== undefined) {
      port = ports.find(p => p.containerPort === props.probePort);
      if (!port) {
        throw invalid(this, 'probePort', props.probePort,
          ports.length > 0 ? `one of the container's ports (${declared})` : 'a port the container declares in ports (it declares none)');
      }
    } else {
      port = ports.find(p => p.name === 'http') ?? ports[0];
      if (!port) {
        throw invalid(this, 'ports', {},
          'a port for the HTTP probes, or probeCommand, livenessProbe or withoutProbes (Kubernetes needs some way to tell the worker is alive, or to be told it cannot)');
      }
    }
    const readinessPath = props.readinessPath ?? DEFAULT_READINESS_PATH;
    const livenessPath = props.livenessPath ?? DEFAULT_LIVENESS_PATH;
    validateProbePath(this, 'readinessPath', readinessPath);
    validateProbePath(this, 'livenessPath', livenessPath);
    if (livenessPath === readinessPath) {
      throw invalid(this, 'livenessPath', livenessPath,
        `a path other than readinessPath ${JSON.stringify(readinessPath)} (liveness restarts the container, so it must not fail when only a dependency is down)`);
    }
    const target = IntOrString.fromString(port.name!);
    return {
      readinessProbe: httpProbe(readinessPath, target, READINESS_TIMING),
      livenessProbe: httpProbe(livenessPath, target, LIVENESS_TIMING),
      startupProbe: httpProbe(livenessPath, target, startup),
    };
  }

  private scaling(props: WorkerProps, size: Size, profile: Profile): Scaling {
    if (props.queue === undefined) {
      for (const property of ['queueLengthTarget', 'scaleToZero', 'queueScalerRoleArn'] as const) {
        if (props[property] !== undefined && props[property] !== false) {
          throw invalid(this, property, props[property], 'no value without a queue (the worker scales on CPU)');
        }
      }
      return { bounds: replicaBounds(this, props, size, profile) };
    }
    validateScalingQueue(this, 'queue', props.queue);
    const queueLengthTarget = props.queueLengthTarget ?? DEFAULT_QUEUE_LENGTH_TARGET;
    validateLiteral(this, 'queueLengthTarget', queueLengthTarget);
    validateInteger(this, 'queueLengthTarget', queueLengthTarget, 1, 100000);
    if (props.queueScalerRoleArn !== undefined) {
      validateIamRoleArn(this, 'queueScalerRoleArn', props.queueScalerRoleArn);
    }
    if (props.scaleToZero !== true) {
      return { bounds: replicaBounds(this, props, size, profile), queue: props.queue, queueLengthTarget };
    }
    if (profile.isProduction) {
      throw invalid(this, 'scaleToZero', true,
        `false in production profile ${JSON.stringify(profile.name)} (the first message would wait for a pod to be scheduled and started)`);
    }
    if (props.minReplicas !== undefined) {
      throw invalid(this, 'minReplicas', props.minReplicas, 'no value with scaleToZero (the worker scales from 0)');
    }
    const maxReplicas = props.maxReplicas ?? size.app.maxReplicas;
    validateInteger(this, 'maxReplicas', maxReplicas, 1, 1000);
    return { bounds: { minReplicas: 0, maxReplicas }, queue: props.queue, queueLengthTarget, scaleToZero: true };
  }

  private recordDecisions(props: WorkerProps, size: Size, profile: Profile, scaling: Scaling,
    resources: ContainerResourcesResult['decisions'], probes: ContainerProbes): void {
    const bySize = `size ${size.name}`;
    const minSource = scaling.scaleToZero ? 'override' : minReplicasSource(props, size, profile);
    recordDecision(this, 'minReplicas', String(this.minReplicas), minSource);
    recordDecision(this, 'maxReplicas', String(this.maxReplicas), props.maxReplicas !== undefined ? 'override' : bySize);
    recordDecision(this, 'disruptionBudget', this.pdb ? 'maxUnavailable 1' : 'none (fewer than 2 replicas)', minSource);
    recordResourceDecisions(this, size, resources);
    if (probes.livenessProbe === undefined && probes.readinessProbe === undefined) {
      recordDecision(this, 'probes', 'none: Kubernetes restarts the worker only when its process exits', 'override');
    }
    if (scaling.queue) {
      recordDecision(this, 'queueLengthTarget', `${scaling.queueLengthTarget} messages per replica`,
        props.queueLengthTarget !== undefined ? 'override' : 'paved default');
    } else {
      recordDecision(this, 'targetCpuUtilization', `${size.app.targetCpuUtilization}%`, bySize);
    }
    recordEgressDecisions(this, props.egress);
  }
}

interface Scaling {
  readonly bounds: ReplicaBounds;
  readonly queue?: IScalingQueue;
  readonly queueLengthTarget?: number;
  readonly scaleToZero?: boolean;
}
