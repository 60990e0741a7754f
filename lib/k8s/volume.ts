import { Quantity, Volume as KubeVolume } from 'cdk8s-plus-28/lib/imports/k8s';
import { IConstruct } from 'constructs';
import { validateDnsSubdomain } from './labels';
import { validateLiteral } from './literal';
import { mebibytes } from './quantities';
import { checkArguments } from '../core/api-guard';
import { invalid } from '../core/errors';
import { validateInteger } from '../core/validation';

/** Where an emptyDir volume keeps its files. */
export enum EmptyDirMedium {
  /** The node's disk; usage counts against the pod's ephemeral-storage limits. */
  DISK = 'Disk',
  /** A RAM-backed tmpfs; usage counts against the containers' memory limits. */
  MEMORY = 'Memory',
}

/** Options of {@link Volume.emptyDir}. */
export interface EmptyDirOptions {
  /**
   * Most MiB the volume may hold (1-1048576); the kubelet evicts the pod above it.
   * @default - no limit of its own: the pod's ephemeral-storage (disk) or memory (RAM) limits bound it
   */
  readonly sizeLimitMiB?: number;
  /**
   * Where the files are kept.
   * @default EmptyDirMedium.DISK
   */
  readonly medium?: EmptyDirMedium;
}

/** Options of {@link Volume.persistentVolumeClaim}. */
export interface PersistentVolumeClaimOptions {
  /**
   * Open the claim read-only: every mount of it is read-only.
   * @default false
   */
  readonly readOnly?: boolean;
}

/** Lowercase DNS-1123 label, what a pod's volume names must be. */
const VOLUME_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MAX_SIZE_LIMIT_MIB = 1048576;

/**
 * A volume of the pod, which containers mount with a {@link VolumeMount}.
 * Declare it in the workload's `volumes`, then mount it by passing the same
 * object in a container's `volumeMounts`.
 */
export class Volume {
  /**
   * A scratch directory that lives as long as the pod and is shared by its
   * containers: caches, files an init container prepares for the app.
   *
   * @param name the volume's name in the pod, a DNS label (not `tmp` or `config-files`, which paved uses)
   */
  public static emptyDir(name: string, options: EmptyDirOptions = {}): Volume {
    checkArguments('Volume.emptyDir', arguments);
    return new Volume(name, { emptyDir: options ?? {} });
  }

  /**
   * An existing PersistentVolumeClaim in the workload's namespace. Every
   * replica mounts the same claim: with a `ReadWriteOnce` claim (EBS), the
   * replicas must share one node, so run one replica and use
   * `RolloutStrategy.recreate()` (a rolling update would start the new pod
   * while the old one still holds the volume); shared storage (EFS,
   * `ReadWriteMany`) has no such limit.
   *
   * @param name the volume's name in the pod, a DNS label (not `tmp` or `config-files`, which paved uses)
   * @param claimName name of the PersistentVolumeClaim
   */
  public static persistentVolumeClaim(name: string, claimName: string, options: PersistentVolumeClaimOptions = {}): Volume {
    checkArguments('Volume.persistentVolumeClaim', arguments);
    return new Volume(name, { claimName, claim: options ?? {} });
  }

  /** The volume's name in the pod. */
  public readonly name: string;

  private constructor(name: string, private readonly source: VolumeSource) {
    this.name = name;
  }

  /**
   * Whether the volume is a claim opened read-only.
   * @internal
   */
  public get _readOnly(): boolean {
    return this.source.claim?.readOnly === true;
  }

  /**
   * Whether the volume is a PersistentVolumeClaim.
   * @internal
   */
  public get _isClaim(): boolean {
    return this.source.claimName !== undefined;
  }

  /**
   * The pod's volume, validated.
   *
   * @param property where the volume sits in the props, e.g. `volumes[1]`
   * @param reserved names paved's own volumes use
   * @internal
   */
  public _render(scope: IConstruct, property: string, reserved: string[]): KubeVolume {
    if (typeof this.name !== 'string' || this.name.length > 63 || !VOLUME_NAME.test(this.name)) {
      throw invalid(scope, `${property}.name`, this.name,
        'a DNS-1123 label: 1-63 lowercase letters, digits and dashes, starting and ending with a letter or digit');
    }
    if (reserved.includes(this.name)) {
      throw invalid(scope, `${property}.name`, this.name, `a name other than ${reserved.map(r => JSON.stringify(r)).join(' and ')} (paved's own volumes)`);
    }
    if (this.source.claimName !== undefined) {
      validateLiteral(scope, `${property}.claimName`, this.source.claimName);
      validateDnsSubdomain(scope, `${property}.claimName`, this.source.claimName);
      return {
        name: this.name,
        persistentVolumeClaim: { claimName: this.source.claimName, readOnly: this._readOnly ? true : undefined },
      };
    }
    const options = this.source.emptyDir ?? {};
    validateLiteral(scope, `${property}.sizeLimitMiB`, options.sizeLimitMiB);
    validateInteger(scope, `${property}.sizeLimitMiB`, options.sizeLimitMiB, 1, MAX_SIZE_LIMIT_MIB);
    const medium = options.medium ?? EmptyDirMedium.DISK;
    if (!Object.values(EmptyDirMedium).includes(medium)) {
      throw invalid(scope, `${property}.medium`, medium, 'EmptyDirMedium.DISK or EmptyDirMedium.MEMORY');
    }
    return {
      name: this.name,
      emptyDir: {
        // The API's name for the disk medium is the empty string; leaving it out says the same.
        medium: medium === EmptyDirMedium.MEMORY ? 'Memory' : undefined,
        sizeLimit: options.sizeLimitMiB !== undefined ? Quantity.fromString(mebibytes(options.sizeLimitMiB)) : undefined,
      },
    };
  }
}

interface VolumeSource {
  readonly emptyDir?: EmptyDirOptions;
  readonly claimName?: string;
  readonly claim?: PersistentVolumeClaimOptions;
}

/** Where a container sees a {@link Volume}. */
export interface VolumeMount {
  /** The volume; one of the workload's `volumes`. */
  readonly volume: Volume;
  /**
   * Absolute path in the container, e.g. `/var/cache/app`. No other volume
   * or file of the container may be mounted at the same path.
   */
  readonly path: string;
  /**
   * Mount a directory inside the volume instead of its root, e.g. `orders`.
   * A leading `/` is ignored (Score writes sub paths that way).
   * @default - the volume's root
   */
  readonly subPath?: string;
  /**
   * Mount read-only.
   * @default - false, or true for a claim opened read-only
   */
  readonly readOnly?: boolean;
}
