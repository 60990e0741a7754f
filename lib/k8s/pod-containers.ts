import { createHash } from 'crypto';
import {
  ContainerPort,
  KeyToPath,
  Quantity,
  ResourceRequirements,
  Volume as KubeVolume,
  VolumeMount as KubeVolumeMount,
} from 'cdk8s-plus-28/lib/imports/k8s';
import { IConstruct } from 'constructs';
import { ConfigFile, ContainerResources } from './container';
import { TMP_VOLUME_NAME } from './container-security';
import { validateLiteral } from './literal';
import { mebibytes, millicores, normalizeQuantity, parseQuantity } from './quantities';
import { Volume, VolumeMount } from './volume';
import { invalid } from '../core/errors';
import { AppSize } from '../core/size';
import { validateInteger } from '../core/validation';

/**
 * Name of the pod volume holding the workload's configuration files.
 * @internal
 */
export const FILES_VOLUME_NAME = 'config-files';

/** IANA service name: what Kubernetes accepts as a container port name. */
const PORT_NAME = /^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*$/;
/** An absolute path of visible ASCII characters, without empty, `.` or `..` segments or a trailing `/`. */
const ABSOLUTE_PATH = /^(\/(?!\.\.?(\/|$))[\x21-\x2e\x30-\x7e]+)+$/;
/** A relative path of the same characters. */
const RELATIVE_PATH = /^((?!\.\.?(\/|$))[\x21-\x2e\x30-\x7e]+)(\/(?!\.\.?(\/|$))[\x21-\x2e\x30-\x7e]+)*$/;
const MAX_PATH_LENGTH = 4096;
/** File mode in octal, as Score writes it: `0644` or `644`. */
const MODE = /^0?[0-7]{3}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** What the API server accepts for a ConfigMap's data and binaryData together. */
const MAX_CONFIG_MAP_BYTES = 1024 * 1024;
const DEFAULT_FILE_MODE = 0o644;

/**
 * Container port names and numbers of one pod, which its containers share
 * (one network namespace): each may be declared once.
 * @internal
 */
export class PodPorts {
  private readonly names = new Map<string, string>();
  private readonly numbers = new Map<number, string>();

  /**
   * Declares a port whose name and number are already validated (the main container's).
   *
   * @param owner the property that declares it, for messages
   */
  public reserve(name: string, port: number, owner: string): ContainerPort {
    this.names.set(name, owner);
    this.numbers.set(port, owner);
    return { name, containerPort: port, protocol: 'TCP' };
  }

  /**
   * Declares ports of one container and returns them; fails on a bad or taken name or number.
   *
   * @param property where the ports sit in the props, e.g. `containers[0].ports`
   */
  public declare(scope: IConstruct, property: string, ports: { [name: string]: number } | undefined): ContainerPort[] {
    if (ports === undefined) { return []; }
    if (ports === null || typeof ports !== 'object' || Array.isArray(ports)) {
      throw invalid(scope, property, ports, 'a map of port name to port number, e.g. { metrics: 9090 }');
    }
    return Object.entries(ports).map(([name, port]) => {
      if (!PORT_NAME.test(name)) {
        throw invalid(scope, `${property} name`, name,
          'a port name: 1-15 lowercase letters, digits and single dashes, with at least one letter, not starting or ending with a dash');
      }
      if (this.names.has(name)) {
        throw invalid(scope, `${property} name`, name, `a port name not already used in the pod (${this.names.get(name)} has it)`);
      }
      validateLiteral(scope, `${property}.${name}`, port);
      validateInteger(scope, `${property}.${name}`, port, 1, 65535);
      if (this.numbers.has(port)) {
        throw invalid(scope, `${property}.${name}`, port,
          `a port no other container of the pod listens on (${this.numbers.get(port)} has it; the containers share one network)`);
      }
      this.names.set(name, `${property}.${name}`);
      this.numbers.set(port, `${property}.${name}`);
      return { name, containerPort: port, protocol: 'TCP' };
    });
  }
}

/**
 * The volumes of one pod and the mounts of its containers: the workload's
 * declared volumes and one ConfigMap volume for every configuration file.
 * @internal
 */
export class PodStorage {
  /** The declared volumes, rendered; paved's `/tmp` and files volumes are not among them. */
  public readonly volumes: KubeVolume[];
  /** Whether a PersistentVolumeClaim is among the volumes. */
  public readonly hasClaims: boolean;
  private readonly declared: Volume[];
  private readonly data: { [key: string]: string } = {};
  private readonly binaryData: { [key: string]: string } = {};
  private readonly items: KeyToPath[] = [];
  private bytes = 0;

  /**
   * @param volumes the workload's `volumes`
   * @param configMapName name of the ConfigMap that will hold the files
   */
  constructor(private readonly scope: IConstruct, volumes: Volume[] | undefined, private readonly configMapName: string) {
    if (volumes !== undefined && !Array.isArray(volumes)) {
      throw invalid(scope, 'volumes', volumes, 'a list of volumes made with Volume.emptyDir() or Volume.persistentVolumeClaim()');
    }
    this.declared = volumes ?? [];
    const names = new Set<string>();
    this.volumes = this.declared.map((volume, i) => {
      if (!(volume instanceof Volume)) {
        throw invalid(scope, `volumes[${i}]`, volume, 'a volume made with Volume.emptyDir() or Volume.persistentVolumeClaim()');
      }
      const rendered = volume._render(scope, `volumes[${i}]`, [TMP_VOLUME_NAME, FILES_VOLUME_NAME]);
      if (names.has(volume.name)) {
        throw invalid(scope, `volumes[${i}].name`, volume.name, 'a name no other volume of the pod has');
      }
      names.add(volume.name);
      return rendered;
    });
    this.hasClaims = this.declared.some(v => v._isClaim);
  }

  /**
   * The mounts of one container besides `/tmp`: its files, then its
   * volumes. Fails on a bad path, a path mounted twice or an undeclared volume.
   *
   * @param property where the container sits in the props: `''` for the main container, else e.g. `containers[0]`
   */
  public mounts(property: string, containerName: string, files: ConfigFile[] | undefined,
    volumeMounts: VolumeMount[] | undefined): KubeVolumeMount[] {
    const at = (name: string) => property ? `${property}.${name}` : name;
    const mounted = new Map<string, string>([['/tmp', 'the writable /tmp']]);
    const claim = (p: string, path: string) => {
      const other = mounted.get(path);
      if (other !== undefined) {
        throw invalid(this.scope, p, path, `a path nothing else of the container is mounted at (${other} is)`);
      }
      mounted.set(path, p.replace(/\.path$/, ''));
    };
    const result: KubeVolumeMount[] = [];
    listOf(this.scope, at('files'), files).forEach((file, i) => {
      const p = at(`files[${i}]`);
      validatePath(this.scope, `${p}.path`, file?.path, ABSOLUTE_PATH, 'an absolute path such as "/etc/app/config.yaml"');
      claim(`${p}.path`, file.path);
      const key = this.addFile(p, containerName, file);
      result.push({ name: FILES_VOLUME_NAME, mountPath: file.path, subPath: key, readOnly: true });
    });
    listOf(this.scope, at('volumeMounts'), volumeMounts).forEach((mount, i) => {
      const p = at(`volumeMounts[${i}]`);
      validatePath(this.scope, `${p}.path`, mount?.path, ABSOLUTE_PATH, 'an absolute path such as "/var/cache/app"');
      if (!this.declared.includes(mount.volume)) {
        const names = this.declared.map(v => JSON.stringify(v.name)).join(', ');
        throw invalid(this.scope, `${p}.volume`, mount.volume instanceof Volume ? mount.volume.name : mount.volume,
          names ? `one of the volumes declared in volumes (${names})` : 'a volume declared in volumes (none are)');
      }
      claim(`${p}.path`, mount.path);
      let subPath = mount.subPath;
      if (subPath !== undefined) {
        subPath = typeof subPath === 'string' ? subPath.replace(/^\/+/, '') : subPath;
        if (subPath !== '') {
          validatePath(this.scope, `${p}.subPath`, subPath, RELATIVE_PATH, 'a path inside the volume such as "orders"');
        }
      }
      if (mount.readOnly === false && mount.volume._readOnly) {
        throw invalid(this.scope, `${p}.readOnly`, false,
          `true or no value: volume ${JSON.stringify(mount.volume.name)} is a claim opened read-only`);
      }
      result.push({
        name: mount.volume.name,
        mountPath: mount.path,
        subPath: subPath || undefined,
        readOnly: (mount.readOnly ?? mount.volume._readOnly) ? true : undefined,
      });
    });
    return result;
  }

  /** Whether any container has a configuration file. */
  public get hasFiles(): boolean {
    return this.items.length > 0;
  }

  /** The ConfigMap volume of the files; undefined without files. Fails when they exceed a ConfigMap's 1 MiB. */
  public filesVolume(): KubeVolume | undefined {
    if (!this.hasFiles) { return undefined; }
    if (this.bytes > MAX_CONFIG_MAP_BYTES) {
      throw invalid(this.scope, 'files', `${this.bytes} bytes`,
        `at most ${MAX_CONFIG_MAP_BYTES} bytes (1 MiB) of files in all containers together: the limit of the ConfigMap that holds them`);
    }
    return {
      name: FILES_VOLUME_NAME,
      configMap: { name: this.configMapName, defaultMode: DEFAULT_FILE_MODE, items: this.items.map(item => ({ ...item })) },
    };
  }

  /** The `data` and `binaryData` of the files' ConfigMap, each undefined when empty. */
  public configMapContent(): { data?: { [key: string]: string }; binaryData?: { [key: string]: string } } {
    return {
      data: Object.keys(this.data).length > 0 ? { ...this.data } : undefined,
      binaryData: Object.keys(this.binaryData).length > 0 ? { ...this.binaryData } : undefined,
    };
  }

  /** SHA-256 of the files, their keys and modes: changes whenever a file does. */
  public filesChecksum(): string {
    return createHash('sha256').update(JSON.stringify([this.items, this.data, this.binaryData])).digest('hex');
  }

  private addFile(property: string, containerName: string, file: ConfigFile): string {
    const hasText = file.content !== undefined;
    const hasBinary = file.binaryContentBase64 !== undefined;
    if (hasText === hasBinary) {
      throw invalid(this.scope, property, { path: file.path, content: hasText, binaryContentBase64: hasBinary },
        'exactly one of content and binaryContentBase64');
    }
    const key = fileKey(containerName, file.path);
    if (hasText) {
      validateLiteral(this.scope, `${property}.content`, file.content);
      if (typeof file.content !== 'string') {
        throw invalid(this.scope, `${property}.content`, file.content, 'a string');
      }
      this.data[key] = file.content;
      this.bytes += key.length + Buffer.byteLength(file.content, 'utf8');
    } else {
      const content = file.binaryContentBase64!;
      validateLiteral(this.scope, `${property}.binaryContentBase64`, content);
      if (typeof content !== 'string' || !BASE64.test(content)) {
        throw invalid(this.scope, `${property}.binaryContentBase64`, shorten(content),
          'standard base64 (A-Z, a-z, 0-9, "+", "/", padded with "=")');
      }
      this.binaryData[key] = content;
      this.bytes += key.length + Buffer.from(content, 'base64').length;
    }
    let mode: number | undefined;
    if (file.mode !== undefined) {
      if (typeof file.mode !== 'string' || !MODE.test(file.mode)) {
        throw invalid(this.scope, `${property}.mode`, file.mode, 'an octal file mode such as "0644" or "0755"');
      }
      mode = parseInt(file.mode, 8);
    }
    this.items.push({ key, path: key, mode: mode !== undefined && mode !== DEFAULT_FILE_MODE ? mode : undefined });
    return key;
  }
}

/**
 * Requests and limits of one container: the size's, with `overrides` on top.
 * @internal
 */
export interface ContainerResourcesResult {
  readonly requirements: ResourceRequirements;
  /** One line per resource for the synth report, e.g. `cpu: request 250m, limit 1000m`, and whether it was overridden. */
  readonly decisions: { readonly property: string; readonly value: string; readonly overridden: boolean }[];
}

const RESOURCE_KINDS = [
  {
    name: 'cpu',
    property: 'cpu',
    request: 'cpuRequest',
    limit: 'cpuLimit',
    unit: 'cores',
    fromSize: (app: AppSize) => [millicores(app.cpuRequestMillis), millicores(app.cpuLimitMillis)],
  },
  {
    name: 'memory',
    property: 'memory',
    request: 'memoryRequest',
    limit: 'memoryLimit',
    unit: 'bytes',
    fromSize: (app: AppSize) => [mebibytes(app.memoryRequestMiB), mebibytes(app.memoryLimitMiB)],
  },
  {
    name: 'ephemeral-storage',
    property: 'ephemeralStorage',
    request: 'ephemeralStorageRequest',
    limit: 'ephemeralStorageLimit',
    unit: 'bytes',
    fromSize: (app: AppSize) => [mebibytes(app.ephemeralStorageRequestMiB), mebibytes(app.ephemeralStorageLimitMiB)],
  },
] as const;

/**
 * The requests and limits of one container: cpu, memory and
 * ephemeral-storage from the size, each replaced by an override when given.
 *
 * @param property where the overrides sit in the props, e.g. `containers[0].containerResources`
 * @param sizeName the size's name, for messages
 * @internal
 */
export function containerResources(scope: IConstruct, property: string, app: AppSize, sizeName: string,
  overrides: ContainerResources | undefined): ContainerResourcesResult {
  const requests: { [key: string]: Quantity } = {};
  const limits: { [key: string]: Quantity } = {};
  const decisions: ContainerResourcesResult['decisions'][number][] = [];
  for (const kind of RESOURCE_KINDS) {
    const [sizeRequest, sizeLimit] = kind.fromSize(app);
    const request = quantity(scope, `${property}.${kind.request}`, overrides?.[kind.request]) ?? sizeRequest;
    const limit = quantity(scope, `${property}.${kind.limit}`, overrides?.[kind.limit]) ?? sizeLimit;
    if (parseQuantity(request)! > parseQuantity(limit)!) {
      const limitOverridden = overrides?.[kind.limit] !== undefined;
      const requestOverridden = overrides?.[kind.request] !== undefined;
      if (requestOverridden || !limitOverridden) {
        const source = limitOverridden ? '' : ` from size ${sizeName}; raise ${kind.limit} too`;
        throw invalid(scope, `${property}.${kind.request}`, request, `at most the ${kind.name} limit ${JSON.stringify(limit)}${source}`);
      }
      throw invalid(scope, `${property}.${kind.limit}`, limit,
        `at least the ${kind.name} request ${JSON.stringify(request)} from size ${sizeName}; lower ${kind.request} too`);
    }
    requests[kind.name] = Quantity.fromString(request);
    limits[kind.name] = Quantity.fromString(limit);
    decisions.push({
      property: kind.property,
      value: `request ${request}, limit ${limit}`,
      overridden: overrides?.[kind.request] !== undefined || overrides?.[kind.limit] !== undefined,
    });
  }
  return { requirements: { requests, limits }, decisions };
}

function quantity(scope: IConstruct, property: string, value: string | undefined): string | undefined {
  if (value === undefined) { return undefined; }
  validateLiteral(scope, property, value);
  const parsed = parseQuantity(value);
  if (parsed === undefined || parsed <= 0) {
    throw invalid(scope, property, value, 'a positive Kubernetes quantity such as "500m", "0.5", "256Mi" or "1Gi"');
  }
  return normalizeQuantity(value);
}

/**
 * ConfigMap key of a file: its name (readable in `kubectl describe`) and a
 * hash of container and path, so two files with one name never collide.
 */
function fileKey(containerName: string, path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1).replace(/[^-._a-zA-Z0-9]/g, '_').replace(/^\.+/, '').slice(0, 200) || 'file';
  const hash = createHash('sha256').update(`${containerName}\n${path}`).digest('hex').slice(0, 10);
  return `${base}-${hash}`;
}

function validatePath(scope: IConstruct, property: string, path: string | undefined, pattern: RegExp, example: string): void {
  validateLiteral(scope, property, path);
  if (typeof path !== 'string' || path.length > MAX_PATH_LENGTH || !pattern.test(path)) {
    throw invalid(scope, property, path,
      `${example}: visible ASCII characters, no empty, "." or ".." segments, no trailing "/"`);
  }
}

/**
 * `list`, or an empty list when undefined; fails when it is not a list.
 * @internal
 */
export function listOf<T>(scope: IConstruct, property: string, list: T[] | undefined): T[] {
  if (list === undefined) { return []; }
  if (!Array.isArray(list)) {
    throw invalid(scope, property, list, 'a list');
  }
  return list;
}

function shorten(value: unknown): unknown {
  return typeof value === 'string' && value.length > 40 ? `${value.slice(0, 40)}...` : value;
}
