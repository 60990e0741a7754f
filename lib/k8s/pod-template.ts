import {
  Container,
  ContainerPort,
  EnvVar,
  IntOrString,
  Lifecycle,
  PodTemplateSpec,
  Probe,
  ResourceRequirements,
  Volume,
  VolumeMount,
} from 'cdk8s-plus-28/lib/imports/k8s';
import { IConstruct } from 'constructs';
import {
  restrictedContainerSecurityContext,
  restrictedPodSecurityContext,
  tmpVolume,
  tmpVolumeMount,
} from './container-security';
import { isQualifiedName } from './labels';
import { validateLiteral } from './literal';
import { invalid } from '../core/errors';

/** An absolute HTTP path with an optional query, no spaces. */
const PROBE_PATH = /^\/[\x21-\x7e]*$/;

/**
 * What the pod template of a paved workload (web app, worker, job) is made
 * of: its one container (named `containerName`) and the pod around it.
 * @internal
 */
export interface PodTemplateOptions extends Omit<ContainerOptions, 'name'> {
  /** Name of the one container. */
  readonly containerName: string;
  /** Labels of the pods. */
  readonly labels: { [key: string]: string };
  /** Labels that select the workload's pods, for spreading. */
  readonly selectorLabels: { [key: string]: string };
  /** Pod annotations; none when undefined. */
  readonly annotations?: { [key: string]: string };
  readonly serviceAccountName: string;
  readonly automountServiceAccountToken: boolean;
  /**
   * Spread the pods softly over zones and hosts: for long-running replicated
   * workloads, not for jobs.
   */
  readonly spread: boolean;
  /** The pod's restart policy; Kubernetes' default (`Always`) when undefined. */
  readonly restartPolicy?: string;
  /** Seconds between SIGTERM and SIGKILL; Kubernetes' default (30) when undefined. */
  readonly terminationGracePeriodSeconds?: number;
  /** Containers after the one container (sidecars), built with {@link restrictedContainer}. */
  readonly sidecars?: Container[];
  /** Init containers, built with {@link restrictedContainer}; none when undefined or empty. */
  readonly initContainers?: Container[];
  /** Volumes besides `/tmp`; none when undefined. */
  readonly volumes?: Volume[];
  /** The pod's PriorityClass; the cluster's default when undefined. */
  readonly priorityClassName?: string;
  /**
   * Let the kubelet skip the recursive `fsGroup` ownership change of a
   * volume whose root already has it (`OnRootMismatch`): for persistent
   * volumes, where a recursive change on every start can take minutes.
   */
  readonly fsGroupOnRootMismatch?: boolean;
}

/**
 * What one container of a paved pod is made of.
 * @internal
 */
export interface ContainerOptions {
  readonly name: string;
  /** Validated image reference. */
  readonly image: string;
  readonly runAsUser: number;
  readonly runAsGroup: number;
  readonly resources: ResourceRequirements;
  readonly env?: EnvVar[];
  readonly ports?: ContainerPort[];
  readonly command?: string[];
  readonly args?: string[];
  readonly readinessProbe?: Probe;
  readonly livenessProbe?: Probe;
  readonly startupProbe?: Probe;
  /** Mounts besides `/tmp`; none when undefined. */
  readonly volumeMounts?: VolumeMount[];
  readonly lifecycle?: Lifecycle;
}

/**
 * One container under the "restricted" Pod Security Standard, with a
 * read-only root filesystem, the pod's writable `/tmp` and the image pulled
 * on every start.
 * @internal
 */
export function restrictedContainer(options: ContainerOptions): Container {
  return {
    name: options.name,
    image: options.image,
    // Checks the registry (and the pod's pull credentials) on every start, instead of running whatever copy
    // another pod left in the node's cache.
    imagePullPolicy: 'Always',
    command: options.command ? [...options.command] : undefined,
    args: options.args ? [...options.args] : undefined,
    ports: options.ports,
    env: options.env,
    resources: options.resources,
    securityContext: restrictedContainerSecurityContext(options.runAsUser, options.runAsGroup),
    readinessProbe: options.readinessProbe,
    livenessProbe: options.livenessProbe,
    startupProbe: options.startupProbe,
    lifecycle: options.lifecycle,
    volumeMounts: [tmpVolumeMount(), ...(options.volumeMounts ?? [])],
  };
}

/**
 * The pod template every paved workload shares: its containers (the main
 * one first, then any sidecars and init containers) under the "restricted"
 * Pod Security Standard with a read-only root filesystem and a writable
 * `/tmp`, no service links, images pulled on every start.
 * @internal
 */
export function podTemplate(options: PodTemplateOptions): PodTemplateSpec {
  const selector = options.selectorLabels;
  return {
    metadata: {
      labels: { ...options.labels },
      annotations: options.annotations ? { ...options.annotations } : undefined,
    },
    spec: {
      serviceAccountName: options.serviceAccountName,
      automountServiceAccountToken: options.automountServiceAccountToken,
      // Service links inject every Service of the namespace as env vars: noise, and a startup cost in large namespaces.
      enableServiceLinks: false,
      restartPolicy: options.restartPolicy,
      terminationGracePeriodSeconds: options.terminationGracePeriodSeconds,
      priorityClassName: options.priorityClassName,
      securityContext: {
        ...restrictedPodSecurityContext(options.runAsUser, options.runAsGroup),
        fsGroupChangePolicy: options.fsGroupOnRootMismatch ? 'OnRootMismatch' : undefined,
      },
      initContainers: options.initContainers && options.initContainers.length > 0 ? options.initContainers : undefined,
      containers: [
        restrictedContainer({
          name: options.containerName,
          image: options.image,
          runAsUser: options.runAsUser,
          runAsGroup: options.runAsGroup,
          resources: options.resources,
          env: options.env,
          ports: options.ports,
          command: options.command,
          args: options.args,
          readinessProbe: options.readinessProbe,
          livenessProbe: options.livenessProbe,
          startupProbe: options.startupProbe,
          volumeMounts: options.volumeMounts,
          lifecycle: options.lifecycle,
        }),
        ...(options.sidecars ?? []),
      ],
      volumes: [tmpVolume(), ...(options.volumes ?? [])],
      ...(options.spread ? {
        // ScheduleAnyway for both zones and hosts: a hard constraint leaves pods Pending whenever a
        // zone or node lacks room (small node groups, spot reclaims, a node cordoned for an upgrade),
        // turning a placement preference into an outage. The soft spread, the anti-affinity below and
        // the disruption budget keep replicas apart under normal conditions.
        topologySpreadConstraints: ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map(topologyKey => ({
          topologyKey,
          maxSkew: 1,
          whenUnsatisfiable: 'ScheduleAnyway',
          labelSelector: { matchLabels: { ...selector } },
          // Spread each rollout revision on its own, not old and new pods together.
          matchLabelKeys: ['pod-template-hash'],
        })),
        affinity: {
          podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [{
              weight: 100,
              podAffinityTerm: {
                topologyKey: 'kubernetes.io/hostname',
                labelSelector: { matchLabels: { ...selector } },
              },
            }],
          },
        },
      } : {}),
    },
  };
}

/**
 * An HTTP GET probe on a named or numbered container port.
 * @internal
 */
export function httpProbe(path: string, port: IntOrString, timing: ProbeTiming): Probe {
  return timedProbe({ httpGet: { path, port, scheme: 'HTTP' } }, timing);
}

/**
 * How often a probe runs and how many failures in a row make it act.
 * @internal
 */
export interface ProbeTiming {
  readonly periodSeconds: number;
  readonly failureThreshold: number;
}

/**
 * A probe doing `action` (an `httpGet`, `exec` or `tcpSocket`) with paved's timing: 2 s per call, one success to recover.
 * @internal
 */
export function timedProbe(action: Pick<Probe, 'httpGet' | 'exec' | 'tcpSocket'>, timing: ProbeTiming): Probe {
  return {
    ...action,
    periodSeconds: timing.periodSeconds,
    failureThreshold: timing.failureThreshold,
    timeoutSeconds: 2,
    successThreshold: 1,
  };
}

/**
 * Fails unless `path` is an absolute HTTP path without spaces.
 * @internal
 */
export function validateProbePath(scope: IConstruct, property: string, path: string): void {
  if (typeof path !== 'string' || path.length > 2048 || !PROBE_PATH.test(path)) {
    throw invalid(scope, property, path, 'an absolute HTTP path such as "/readyz" (starting with "/", no spaces)');
  }
}

/**
 * Fails unless every key is an annotation key and every value a string.
 * @internal
 */
export function validateAnnotations(scope: IConstruct, property: string, annotations: { [key: string]: string } | undefined): void {
  for (const [key, value] of Object.entries(annotations ?? {})) {
    if (!isQualifiedName(key)) {
      throw invalid(scope, `${property} key`, key,
        'an annotation key: an optional DNS subdomain and "/", then 1-63 letters, digits, "-", "_" or ".", alphanumeric at both ends');
    }
    if (typeof value !== 'string') {
      throw invalid(scope, `${property}.${key}`, value, 'a string');
    }
  }
}

/**
 * Fails unless `args` (a command or its arguments) is a non-empty list of
 * literal strings. Undefined passes.
 * @internal
 */
export function validateCommand(scope: IConstruct, property: string, args: string[] | undefined): void {
  if (args === undefined) { return; }
  if (!Array.isArray(args) || args.length === 0 || args.some(a => typeof a !== 'string')) {
    throw invalid(scope, property, args, 'a non-empty list of strings');
  }
  args.forEach((arg, i) => validateLiteral(scope, `${property}[${i}]`, arg));
}
