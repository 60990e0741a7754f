import { Probe } from './probe';
import { SecretKeyRef } from './secret-key-ref';
import { VolumeMount } from './volume';

/**
 * Requests and limits of one container, as Kubernetes quantities: cpu in
 * cores (`'0.5'`) or millicores (`'500m'`); memory and ephemeral storage in
 * bytes with an optional suffix (`'256Mi'`, `'1Gi'`, `'128M'`; Score's `K`
 * is written as Kubernetes' `k`). Each value left out comes from the
 * workload's Size. A request may not exceed its limit.
 */
export interface ContainerResources {
  /**
   * CPU the scheduler reserves for the container.
   * @default - the size's `app.cpuRequestMillis`
   */
  readonly cpuRequest?: string;
  /**
   * CPU above which the container is throttled.
   * @default - the size's `app.cpuLimitMillis`
   */
  readonly cpuLimit?: string;
  /**
   * Memory the scheduler reserves for the container.
   * @default - the size's `app.memoryRequestMiB`
   */
  readonly memoryRequest?: string;
  /**
   * Memory above which the container is killed (OOMKilled).
   * @default - the size's `app.memoryLimitMiB`
   */
  readonly memoryLimit?: string;
  /**
   * Node disk (logs, `/tmp`, emptyDir volumes) the scheduler reserves.
   * @default - the size's `app.ephemeralStorageRequestMiB`
   */
  readonly ephemeralStorageRequest?: string;
  /**
   * Node disk above which the pod is evicted.
   * @default - the size's `app.ephemeralStorageLimitMiB`
   */
  readonly ephemeralStorageLimit?: string;
}

/**
 * A configuration file mounted read-only into a container. The files of a
 * workload are kept in one ConfigMap (`<name>-files`), each mounted at its
 * path alone (`subPath`), so the rest of the directory stays the image's.
 * A change to a file rolls the pods (a checksum of the files is a pod
 * annotation), since files mounted this way are never updated in place.
 * Put nothing secret in a file: ConfigMaps are not encrypted and readable
 * by anyone who may read the namespace's configuration.
 */
export interface ConfigFile {
  /** Absolute path of the file in the container, e.g. `/etc/app/config.yaml`. */
  readonly path: string;
  /**
   * Text content of the file. Exactly one of `content` and `binaryContentBase64`.
   * @default - none; then `binaryContentBase64` is required
   */
  readonly content?: string;
  /**
   * Binary content of the file, base64-encoded (Score's `binaryContent`).
   * @default - none; then `content` is required
   */
  readonly binaryContentBase64?: string;
  /**
   * Permissions of the file, in octal, e.g. `'0644'` or `'0755'` for a script.
   * @default '0644'
   */
  readonly mode?: string;
}

/**
 * A further container of a workload's pod: a sidecar running next to the
 * main container, or an init container running to completion before it.
 *
 * It runs under the same "restricted" security context as the main
 * container (non-root, read-only root filesystem with a writable `/tmp`,
 * no capabilities), with requests and limits from the workload's Size
 * unless `containerResources` overrides them.
 */
export interface ContainerSpec {
  /**
   * Name of the container, a DNS label unique in the pod and other than the
   * workload's name (which the main container has).
   */
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
   * Environment variables with literal values; nothing secret. A value may
   * compose `secretEnv` variables with `$(VAR)`.
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * Environment variables read from keys of Secrets in the workload's
   * namespace, by variable name. A name may not also be in `env`.
   * @default - none
   */
  readonly secretEnv?: { [name: string]: SecretKeyRef };
  /**
   * TCP ports the container listens on, by port name (at most 15 lowercase
   * letters, digits and dashes), e.g. `{ metrics: 9090 }`. Names and numbers
   * are unique in the pod, whose containers share one network namespace
   * (`http` and the app's `port` are the main container's).
   * The ports are for probes and in-pod calls: the Service and the
   * NetworkPolicy admit the main container's port only. Not allowed on an
   * init container.
   * @default - none
   */
  readonly ports?: { [name: string]: number };
  /**
   * Requests and limits overriding the Size's.
   * @default - the workload's Size
   */
  readonly containerResources?: ContainerResources;
  /**
   * Probe that restarts the container when it fails. Required for a
   * sidecar (a stuck sidecar is otherwise never restarted); not allowed on
   * an init container. Also guards the sidecar's start, for the workload's
   * `startupTimeoutSeconds`.
   * @default - none: required for a sidecar
   */
  readonly livenessProbe?: Probe;
  /**
   * Probe that takes the pod out of the Service while it fails. Not allowed
   * on an init container.
   * @default - the `livenessProbe`, with readiness timing
   */
  readonly readinessProbe?: Probe;
  /**
   * Configuration files mounted read-only into the container.
   * @default - none
   */
  readonly files?: ConfigFile[];
  /**
   * Volumes of the workload the container mounts.
   * @default - none (besides the writable `/tmp` every container gets)
   */
  readonly volumeMounts?: VolumeMount[];
}
