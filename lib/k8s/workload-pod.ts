import { ApiObject } from 'cdk8s';
import {
  Container,
  ContainerPort,
  EnvVar,
  KubeConfigMap,
  Lifecycle,
  PodTemplateSpec,
  Probe as KubeProbe,
} from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { ContainerSpec } from './container';
import { renderEnv } from './env';
import { validateImage } from './image';
import { validateDnsSubdomain } from './labels';
import { ContainerResourcesResult, PodPorts, PodStorage, containerResources, listOf } from './pod-containers';
import { PodProps } from './pod-props';
import { ProbeTiming, podTemplate, restrictedContainer, timedProbe, validateAnnotations, validateCommand } from './pod-template';
import { Probe, ProbeAction } from './probe';
import { invalid } from '../core/errors';
import { Size } from '../core/size';
import { validateDnsLabel, validateInteger } from '../core/validation';

/** Pod annotation holding a hash of the configuration files, so a changed file rolls the pods. */
const FILES_CHECKSUM_ANNOTATION = 'checksum/files';
/**
 * Readiness and liveness timing of every paved container.
 * @internal
 */
export const READINESS_TIMING: ProbeTiming = { periodSeconds: 5, failureThreshold: 3 };
/** @internal */
export const LIVENESS_TIMING: ProbeTiming = { periodSeconds: 10, failureThreshold: 3 };
/** Seconds between the startup probe's checks; the startup timeout is a multiple of it. @internal */
export const STARTUP_PERIOD_SECONDS = 5;

/**
 * The readiness, liveness and startup probes of one container; a probe
 * left out is not run.
 * @internal
 */
export interface ContainerProbes {
  readonly readinessProbe?: KubeProbe;
  readonly livenessProbe?: KubeProbe;
  readonly startupProbe?: KubeProbe;
}

/**
 * What a paved workload construct (WebApp, Worker, CronJob, Job) hands to
 * {@link WorkloadPod}: its validated main container and the rules of its
 * kind; the rest comes from the user's props.
 * @internal
 */
export interface WorkloadPodOptions {
  /** Name of the workload: of the main container, and the `<name>-files` ConfigMap. */
  readonly name: string;
  /** The user's props. */
  readonly props: PodProps & { readonly image: string; readonly command?: string[]; readonly args?: string[] };
  readonly size: Size;
  readonly labels: { [key: string]: string };
  readonly selectorLabels: { [key: string]: string };
  readonly serviceAccountName: string;
  readonly automountServiceAccountToken: boolean;
  readonly runAsUser: number;
  readonly runAsGroup: number;
  /** The main container's environment, rendered. */
  readonly env?: EnvVar[];
  /** The pod's ports, with the main container's reserved. */
  readonly ports: PodPorts;
  /** The main container's ports. */
  readonly mainPorts: ContainerPort[];
  /** The main container's probes. */
  readonly probes: ContainerProbes;
  /** Timing of a sidecar's startup probe. */
  readonly startupTiming: ProbeTiming;
  /** Lifecycle hooks of the main container and sidecars (a preStop sleep). */
  readonly lifecycle?: Lifecycle;
  /** Sidecars; undefined for none. */
  readonly sidecars?: ContainerSpec[];
  readonly restartPolicy?: string;
  readonly terminationGracePeriodSeconds?: number;
  /** Spread the pods over zones and hosts (replicated long-running workloads). */
  readonly spread: boolean;
}

/**
 * The pod of a paved workload, shared by every kind: the main container
 * with its resources, files and mounts; sidecars and init containers under
 * the same restricted security context; the volumes; the ConfigMap of the
 * files. The constructor validates everything; {@link render} adds the
 * ConfigMap (id `Files`) to the construct and returns the pod template, so
 * the owner can place its other objects before it.
 * @internal
 */
export class WorkloadPod {
  /** Requests and limits of the main container, and how they were chosen. */
  public readonly resources: ContainerResourcesResult;
  private readonly storage: PodStorage;
  private readonly mainMounts: ReturnType<PodStorage['mounts']>;
  private readonly sidecars: Container[];
  private readonly initContainers: Container[];

  constructor(private readonly scope: Construct, private readonly options: WorkloadPodOptions) {
    const { props, size, name } = options;
    validateAnnotations(scope, 'podAnnotations', props.podAnnotations);
    if (props.podAnnotations && FILES_CHECKSUM_ANNOTATION in props.podAnnotations) {
      throw invalid(scope, 'podAnnotations key', FILES_CHECKSUM_ANNOTATION, 'a key other than paved\'s own (a hash of the files)');
    }
    if (props.priorityClassName !== undefined) {
      validateDnsSubdomain(scope, 'priorityClassName', props.priorityClassName);
    }
    this.resources = containerResources(scope, 'containerResources', size.app, size.name, props.containerResources);
    this.storage = new PodStorage(scope, props.volumes, `${name}-files`);
    this.mainMounts = this.storage.mounts('', name, props.files, props.volumeMounts);

    const names = new Map<string, string>([[name, 'the main container (named after the workload)']]);
    const context = { names, ports: options.ports, storage: this.storage, size, startupTiming: options.startupTiming };
    this.sidecars = listOf(scope, 'containers', options.sidecars).map((spec, i) =>
      this.container(`containers[${i}]`, spec, { ...context, kind: 'sidecar', lifecycle: options.lifecycle }));
    this.initContainers = listOf(scope, 'initContainers', props.initContainers).map((spec, i) =>
      this.container(`initContainers[${i}]`, spec, { ...context, kind: 'init' }));
  }

  /** Whether a PersistentVolumeClaim is among the volumes. */
  public get hasClaims(): boolean {
    return this.storage.hasClaims;
  }

  /** Names of the PersistentVolumeClaims the pod mounts. */
  public get claimNames(): string[] {
    return this.storage.volumes.flatMap(v => v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : []);
  }

  /**
   * Adds the ConfigMap of the files (id `Files`, labelled `labels`), if
   * any, and returns the pod template and the ConfigMap.
   */
  public render(): { template: PodTemplateSpec; configMap?: ApiObject } {
    const { options, storage } = this;
    const props = options.props;
    const filesVolume = storage.filesVolume();
    let configMap: ApiObject | undefined;
    if (filesVolume) {
      configMap = new ApiObject(this.scope, 'Files', KubeConfigMap.manifest({
        metadata: { name: filesVolume.configMap!.name!, labels: { ...options.labels } },
        ...storage.configMapContent(),
      }));
    }
    const template = podTemplate({
      containerName: options.name,
      image: props.image,
      labels: options.labels,
      selectorLabels: options.selectorLabels,
      annotations: filesVolume
        ? { ...props.podAnnotations, [FILES_CHECKSUM_ANNOTATION]: storage.filesChecksum() }
        : props.podAnnotations,
      serviceAccountName: options.serviceAccountName,
      automountServiceAccountToken: options.automountServiceAccountToken,
      runAsUser: options.runAsUser,
      runAsGroup: options.runAsGroup,
      command: props.command,
      args: props.args,
      ports: options.mainPorts.length > 0 ? options.mainPorts : undefined,
      env: options.env,
      resources: this.resources.requirements,
      ...options.probes,
      volumeMounts: this.mainMounts,
      lifecycle: options.lifecycle,
      sidecars: this.sidecars,
      initContainers: this.initContainers,
      volumes: [...storage.volumes, ...(filesVolume ? [filesVolume] : [])],
      priorityClassName: props.priorityClassName,
      fsGroupOnRootMismatch: storage.hasClaims,
      restartPolicy: options.restartPolicy,
      terminationGracePeriodSeconds: options.terminationGracePeriodSeconds,
      spread: options.spread,
    });
    return { template, configMap };
  }

  /** A sidecar or init container, validated. */
  private container(property: string, spec: ContainerSpec, context: ContainerContext): Container {
    const scope = this.scope;
    if (spec === null || typeof spec !== 'object') {
      throw invalid(scope, property, spec, 'a container: { name, image, ... }');
    }
    validateDnsLabel(scope, `${property}.name`, spec.name);
    const other = context.names.get(spec.name);
    if (other !== undefined) {
      throw invalid(scope, `${property}.name`, spec.name, `a name no other container of the pod has (${other} has it)`);
    }
    context.names.set(spec.name, property);
    validateImage(scope, `${property}.image`, spec.image, this.options.props.imagePolicy);
    validateCommand(scope, `${property}.command`, spec.command);
    validateCommand(scope, `${property}.args`, spec.args);
    const env = renderEnv(scope, spec.env, spec.secretEnv, `${property}.env`, `${property}.secretEnv`);
    const resources = containerResources(scope, `${property}.containerResources`, context.size.app, context.size.name, spec.containerResources);
    const volumeMounts = context.storage.mounts(property, spec.name, spec.files, spec.volumeMounts);

    let ports: ContainerPort[] = [];
    let probes: ContainerProbes | undefined;
    if (context.kind === 'init') {
      // An init container runs to completion: nothing can call it, and the kubelet rejects probes on it.
      for (const key of ['ports', 'livenessProbe', 'readinessProbe'] as const) {
        if (spec[key] !== undefined) {
          throw invalid(scope, `${property}.${key}`, key === 'ports' ? spec.ports : 'a Probe',
            'no value on an init container (it runs to completion before the app starts)');
        }
      }
    } else {
      ports = context.ports.declare(scope, `${property}.ports`, spec.ports);
      if (spec.livenessProbe === undefined) {
        throw invalid(scope, `${property}.livenessProbe`, undefined,
          'a Probe for a sidecar (a stuck sidecar is otherwise never restarted); Probe.exec([...]) for one without HTTP');
      }
      // The pod's `http` port is the main container's, so a sidecar's probes default to its first port.
      const defaultPort = ports[0]?.name;
      const liveness = probeAction(scope, `${property}.livenessProbe`, spec.livenessProbe, ports, defaultPort);
      const readiness = spec.readinessProbe !== undefined
        ? probeAction(scope, `${property}.readinessProbe`, spec.readinessProbe, ports, defaultPort)
        : liveness;
      probes = {
        readinessProbe: timedProbe(readiness, READINESS_TIMING),
        livenessProbe: timedProbe(liveness, LIVENESS_TIMING),
        startupProbe: timedProbe(liveness, context.startupTiming),
      };
    }

    return restrictedContainer({
      name: spec.name,
      image: spec.image,
      runAsUser: this.options.runAsUser,
      runAsGroup: this.options.runAsGroup,
      resources: resources.requirements,
      env,
      ports: ports.length > 0 ? ports : undefined,
      command: spec.command,
      args: spec.args,
      ...probes,
      volumeMounts,
      lifecycle: context.lifecycle,
    });
  }
}

/**
 * The probe action of `probe`, validated against the container's ports.
 * @internal
 */
export function probeAction(scope: Construct, property: string, probe: Probe, ports: ContainerPort[], defaultPort?: string): ProbeAction {
  if (!(probe instanceof Probe)) {
    throw invalid(scope, property, probe, 'a Probe made with Probe.httpGet({...}) or Probe.exec([...])');
  }
  return probe._action(scope, property, ports, defaultPort);
}

/**
 * The startup probe's timing for a startup timeout of `seconds`, validated (5-3600).
 * @internal
 */
export function startupTiming(scope: Construct, seconds: number): ProbeTiming {
  validateInteger(scope, 'startupTimeoutSeconds', seconds, STARTUP_PERIOD_SECONDS, 3600);
  return { periodSeconds: STARTUP_PERIOD_SECONDS, failureThreshold: Math.ceil(seconds / STARTUP_PERIOD_SECONDS) };
}

interface ContainerContext {
  readonly kind: 'sidecar' | 'init';
  /** Container names taken so far, with the property that took each. */
  readonly names: Map<string, string>;
  readonly ports: PodPorts;
  readonly storage: PodStorage;
  readonly size: Size;
  readonly startupTiming: ProbeTiming;
  readonly lifecycle?: Lifecycle;
}
