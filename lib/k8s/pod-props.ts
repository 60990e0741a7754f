import { ConfigFile, ContainerResources, ContainerSpec } from './container';
import { EgressRule } from './egress-rule';
import { SecretKeyRef } from './secret-key-ref';
import { Volume, VolumeMount } from './volume';
import { ImagePolicy } from '../core/profile';
import { Size } from '../core/size';

/** What every paved pod workload (WebApp, Worker, CronJob, Job) accepts. */
export interface PodProps {
  /**
   * Capacity: cpu, memory and ephemeral-storage requests and limits of the
   * containers, and the replica and autoscaling bounds where they apply.
   * @default Size.M
   */
  readonly size?: Size;
  /**
   * Name of the ServiceAccount the pods run as. EKS Pod Identity binds an IAM
   * role to this name in the pods' namespace.
   * @default - the workload's name
   */
  readonly serviceAccountName?: string;
  /**
   * Mount a Kubernetes API token into the pods. Only workloads that call the
   * Kubernetes API need one.
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
   * Environment variables read from keys of Secrets in the pods' namespace,
   * by variable name. A name may not also be in `env`.
   * @default - none
   */
  readonly secretEnv?: { [name: string]: SecretKeyRef };
  /**
   * Destinations the pods may connect to, besides DNS. Everything else is
   * denied by the workload's NetworkPolicy.
   * @default - DNS only
   */
  readonly egress?: EgressRule[];
  /**
   * User id the containers run as (10000 or above).
   * @default 10001
   */
  readonly runAsUser?: number;
  /**
   * Group id the containers run as, also the pod's `fsGroup` (10000 or above).
   * @default 10001
   */
  readonly runAsGroup?: number;
  /**
   * The `app.kubernetes.io/part-of` label: the larger application or tenant.
   * @default - the chart's namespace; no label without one
   */
  readonly partOf?: string;
  /**
   * Requests and limits of the main container overriding the Size's, as
   * Kubernetes quantities, e.g. `{ memoryLimit: '1Gi' }`.
   * @default - the Size's
   */
  readonly containerResources?: ContainerResources;
  /**
   * Configuration files mounted read-only into the main container, kept in
   * the ConfigMap `<name>-files`. A change to a file rolls the pods.
   * @default - none
   */
  readonly files?: ConfigFile[];
  /**
   * Volumes of the pod (`Volume.emptyDir()`, `Volume.persistentVolumeClaim()`),
   * mounted through the containers' `volumeMounts`.
   * @default - none (besides the writable `/tmp` every container gets)
   */
  readonly volumes?: Volume[];
  /**
   * Volumes the main container mounts; each one of `volumes`.
   * @default - none
   */
  readonly volumeMounts?: VolumeMount[];
  /**
   * Init containers, run one after the other to completion before the
   * main container starts (preparing files in an emptyDir, waiting for a
   * dependency). They have no ports or probes.
   * @default - none
   */
  readonly initContainers?: ContainerSpec[];
  /**
   * PriorityClass of the pods: decides which pods the scheduler evicts
   * first when the cluster is full.
   * @default - the cluster's default PriorityClass
   */
  readonly priorityClassName?: string;
  /**
   * Which images the containers may run; the golden path passes its
   * environment profile's `imagePolicy`.
   * @default ImagePolicy.REQUIRE_PINNED
   */
  readonly imagePolicy?: ImagePolicy;
}
