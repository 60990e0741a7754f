import { YamlProblem, parseScoreYaml } from './score-yaml';
import { show } from '../core/errors';

/**
 * One problem in a Score file: where (file, line, path in the document) and
 * what rule it breaks.
 * @internal
 */
export interface ScoreProblem {
  readonly file: string;
  /** 1-based line of the offending node, when known. */
  readonly line?: number;
  /** Path in the document, e.g. `containers.web.variables.DB_HOST`. */
  readonly path: string;
  readonly message: string;
}

/** @internal */
export function formatProblem(problem: ScoreProblem): string {
  const where = problem.line ? `${problem.file}:${problem.line}` : problem.file;
  return `${where}: ${problem.path || '(document)'}: ${problem.message}`;
}

/** A port of the workload's service. @internal */
export interface ScorePort {
  readonly name: string;
  readonly port: number;
  readonly targetPort: number;
  readonly protocol: string;
}

/** A file to mount into a container. @internal */
export interface ScoreFileSpec {
  /** Absolute path in the container. */
  readonly target: string;
  /** Access mode, e.g. 0o600. */
  readonly mode?: number;
  /** Text content (inline, or read from `source`). */
  readonly content?: string;
  /** Base64 content. */
  readonly binaryContent?: string;
  /** `source` as written, for messages. */
  readonly source?: string;
  /** Placeholders are not expanded. */
  readonly noExpand: boolean;
  /** Path in the document. */
  readonly at: (string | number)[];
}

/** A volume mount of a container. @internal */
export interface ScoreVolumeSpec {
  readonly target: string;
  readonly source: string;
  readonly subPath?: string;
  readonly readOnly: boolean;
  readonly at: (string | number)[];
}

/** An HTTP GET probe. @internal */
export interface ScoreHttpGet {
  readonly port: number;
  readonly path: string;
  readonly host?: string;
  readonly scheme?: string;
  readonly httpHeaders: { name: string; value: string }[];
}

/** A liveness or readiness probe; exec wins when both are given, as the specification asks. @internal */
export interface ScoreProbeSpec {
  readonly httpGet?: ScoreHttpGet;
  readonly exec?: string[];
}

/** Compute requests or limits. @internal */
export interface ScoreQuantities {
  readonly cpuMillis?: number;
  readonly memoryMiB?: number;
  /** The values as written, for messages and pass-through. */
  readonly cpu?: string;
  readonly memory?: string;
}

/** A container. @internal */
export interface ScoreContainerSpec {
  readonly name: string;
  /** Undefined when the image is missing or not a string (already reported). */
  readonly image?: string;
  readonly command?: string[];
  readonly args?: string[];
  readonly variables: { [name: string]: string };
  readonly files: ScoreFileSpec[];
  readonly volumes: ScoreVolumeSpec[];
  readonly requests: ScoreQuantities;
  readonly limits: ScoreQuantities;
  readonly livenessProbe?: ScoreProbeSpec;
  readonly readinessProbe?: ScoreProbeSpec;
  /** Containers that start after this one, with the state this one must reach first. */
  readonly before: { [container: string]: string };
}

/** A resource dependency. @internal */
export interface ScoreResourceSpec {
  readonly name: string;
  /** Undefined when malformed (already reported). */
  readonly type?: string;
  readonly class?: string;
  readonly id?: string;
  readonly params: { [key: string]: any };
  readonly annotations: { [key: string]: string };
}

/** A Score workload, validated against score.dev/v1b1. @internal */
export interface ScoreDocument {
  /** The file, as given. */
  readonly file: string;
  readonly name: string;
  /** The whole metadata section, for `${metadata.<key>...}` placeholders. */
  readonly metadata: { [key: string]: any };
  readonly annotations: { [key: string]: string };
  readonly ports: ScorePort[];
  readonly containers: ScoreContainerSpec[];
  readonly resources: ScoreResourceSpec[];
  /** Line of a path in the document, when it exists. */
  readonly lineOf: (at: (string | number)[]) => number | undefined;
}

const API_VERSION = 'score.dev/v1b1';
const LABEL = /^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$/;
const ANNOTATION_KEY = /^(([a-z0-9][a-z0-9-]{0,61}[a-z0-9])(\.[a-z0-9][a-z0-9-]{0,61}[a-z0-9])*\/)?[A-Za-z0-9][A-Za-z0-9._-]{0,61}[A-Za-z0-9]$/;
const RESOURCE_TYPE = /^[A-Za-z0-9][A-Za-z0-9-]{0,61}[A-Za-z0-9]$/;
const RESOURCE_ID = /^[a-z0-9]+(?:-+[a-z0-9]+)*(?:\.[a-z0-9]+(?:-+[a-z0-9]+)*)*$/;
const CPU = /^\d+(?:m|\.\d+)?$/;
const MEMORY = /^(0\.\d+|[1-9]\d*(\.\d+)?)(K|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const FILE_MODE = /^0?[0-7]{3}$/;
const HEADER_NAME = /^[A-Za-z0-9_-]+$/;
const MEMORY_UNITS: { [unit: string]: number } = {
  '': 1,
  'K': 1e3,
  'M': 1e6,
  'G': 1e9,
  'T': 1e12,
  'P': 1e15,
  'E': 1e18,
  'Ki': 2 ** 10,
  'Mi': 2 ** 20,
  'Gi': 2 ** 30,
  'Ti': 2 ** 40,
  'Pi': 2 ** 50,
  'Ei': 2 ** 60,
};
const READY_STATES = ['started', 'healthy', 'complete'];

/**
 * `containers.web.files["/etc/app.conf"]`: dots between plain keys,
 * brackets around keys with other characters and around indexes.
 * @internal
 */
export function formatPath(at: (string | number)[]): string {
  return at.reduce<string>((text, segment) => {
    if (typeof segment === 'number') { return `${text}[${segment}]`; }
    if (/^[A-Za-z0-9_-]+$/.test(segment)) { return text ? `${text}.${segment}` : segment; }
    return `${text}[${JSON.stringify(segment)}]`;
  }, '');
}

/**
 * Parses and validates one Score file against score.dev/v1b1, within the
 * limits of `SCORE_LIMITS`. Every problem is appended to `problems`. The
 * document is returned whenever its top level is readable, with malformed
 * values left out, so later stages can report their problems too; it is
 * undefined only when nothing can be read.
 *
 * @param file the file's path, as shown in messages and used to resolve `source` files
 * @param text the file's content
 * @internal
 */
export function parseScoreDocument(file: string, text: string, problems: ScoreProblem[]): ScoreDocument | undefined {
  const found: YamlProblem[] = [];
  const yaml = parseScoreYaml(text, found);
  problems.push(...found.map(p => ({ file, line: p.line, path: formatPath(p.at), message: p.message })));
  if (!yaml) { return undefined; }
  const checker = new Checker(file, yaml.lineOf, problems);
  return checker.document(yaml.root, yaml.lineOf);
}

type At = (string | number)[];

class Checker {
  constructor(
    private readonly file: string,
    private readonly lineOf: (at: At) => number | undefined,
    private readonly problems: ScoreProblem[],
  ) {}

  public document(root: any, lineOf: (at: At) => number | undefined): ScoreDocument | undefined {
    if (!isObject(root)) {
      this.fail([], root, 'a Score workload: a YAML mapping with apiVersion, metadata and containers');
      return undefined;
    }
    this.unknownKeys([], root, ['apiVersion', 'metadata', 'service', 'containers', 'resources']);
    if (root.apiVersion !== API_VERSION) {
      this.fail(['apiVersion'], root.apiVersion, `"${API_VERSION}" (the only Score version paved reads)`);
    }
    const metadata = this.metadata(root.metadata);
    const ports = root.service === undefined ? [] : this.service(root.service);
    const containers = this.containers(root.containers);
    const resources = root.resources === undefined ? [] : this.resources(root.resources);
    if (!metadata) { return undefined; }
    return {
      file: this.file,
      name: metadata.name,
      metadata: metadata.all,
      annotations: metadata.annotations,
      ports,
      containers,
      resources,
      lineOf,
    };
  }

  private metadata(value: any): { name: string; annotations: { [key: string]: string }; all: { [key: string]: any } } | undefined {
    const at = ['metadata'];
    if (!isObject(value)) {
      this.fail(at, value, 'a mapping with at least a name');
      return undefined;
    }
    const name = value.name;
    if (typeof name !== 'string' || name.length < 2 || !LABEL.test(name)) {
      this.fail([...at, 'name'], name, 'an RFC 1123 label of 2-63 lowercase letters, digits and "-", starting and ending with a letter or digit');
    }
    const annotations = this.annotations([...at, 'annotations'], value.annotations);
    return { name, annotations, all: value };
  }

  private annotations(at: At, value: any): { [key: string]: string } {
    if (value === undefined) { return {}; }
    if (!isObject(value)) {
      this.fail(at, value, 'a mapping of annotation keys to strings');
      return {};
    }
    for (const [key, v] of Object.entries(value)) {
      if (key.length < 2 || key.length > 316 || !ANNOTATION_KEY.test(key)) {
        this.fail([...at, key], key, 'an annotation key: an optional DNS subdomain and "/", then 2-63 letters, digits, ".", "_" or "-", alphanumeric at both ends');
      }
      if (typeof v !== 'string') { this.fail([...at, key], v, 'a string (quote numbers and booleans)'); }
    }
    return value;
  }

  private service(value: any): ScorePort[] {
    const at = ['service'];
    if (!isObject(value)) {
      this.fail(at, value, 'a mapping with ports');
      return [];
    }
    this.unknownKeys(at, value, ['ports']);
    if (value.ports === undefined) { return []; }
    if (!isObject(value.ports)) {
      this.fail([...at, 'ports'], value.ports, 'a mapping of port names to ports');
      return [];
    }
    const ports: ScorePort[] = [];
    for (const [name, port] of Object.entries<any>(value.ports)) {
      const portAt = [...at, 'ports', name];
      this.label(portAt, name, 'a port name');
      if (!isObject(port)) {
        this.fail(portAt, port, 'a mapping with port and optional targetPort and protocol');
        continue;
      }
      this.unknownKeys(portAt, port, ['port', 'targetPort', 'protocol']);
      const ok = [
        this.portNumber([...portAt, 'port'], port.port, true),
        this.portNumber([...portAt, 'targetPort'], port.targetPort, false),
      ];
      if (port.protocol !== undefined && port.protocol !== 'TCP' && port.protocol !== 'UDP') {
        this.fail([...portAt, 'protocol'], port.protocol, '"TCP" or "UDP"');
        continue;
      }
      if (ok.includes(false)) { continue; }
      ports.push({ name, port: port.port, targetPort: port.targetPort ?? port.port, protocol: port.protocol ?? 'TCP' });
    }
    return ports;
  }

  private containers(value: any): ScoreContainerSpec[] {
    const at = ['containers'];
    if (!isObject(value) || Object.keys(value).length === 0) {
      this.fail(at, value, 'a mapping of at least one container name to its container');
      return [];
    }
    const names = Object.keys(value);
    return Object.entries<any>(value).flatMap(([name, container]) => {
      const c = this.container([...at, name], name, container, names);
      return c ? [c] : [];
    });
  }

  private container(at: At, name: string, value: any, names: string[]): ScoreContainerSpec | undefined {
    this.label(at, name, 'a container name');
    if (!isObject(value)) {
      this.fail(at, value, 'a container: a mapping with at least an image');
      return undefined;
    }
    this.unknownKeys(at, value, ['image', 'command', 'args', 'variables', 'files', 'volumes', 'resources',
      'livenessProbe', 'readinessProbe', 'before']);
    if (typeof value.image !== 'string' || value.image.length === 0) {
      this.fail([...at, 'image'], value.image, 'an image reference, or "." for the image the pipeline builds');
    }
    const command = this.strings([...at, 'command'], value.command);
    const args = this.strings([...at, 'args'], value.args);
    const variables: { [name: string]: string } = {};
    if (value.variables !== undefined) {
      if (!isObject(value.variables)) {
        this.fail([...at, 'variables'], value.variables, 'a mapping of variable names to strings');
      } else {
        for (const [key, v] of Object.entries(value.variables)) {
          if (key.length === 0 || key.includes('=')) { this.fail([...at, 'variables', key], key, 'a variable name without "="'); }
          if (typeof v !== 'string') {
            this.fail([...at, 'variables', key], v, 'a string (quote numbers and booleans)');
          } else {
            variables[key] = v;
          }
        }
      }
    }
    const resources = isObject(value.resources) ? value.resources : {};
    if (value.resources !== undefined) {
      if (!isObject(value.resources)) { this.fail([...at, 'resources'], value.resources, 'a mapping with requests and limits'); }
      this.unknownKeys([...at, 'resources'], resources, ['requests', 'limits']);
    }
    const requests = this.quantities([...at, 'resources', 'requests'], resources.requests);
    const limits = this.quantities([...at, 'resources', 'limits'], resources.limits);
    const before: { [container: string]: string } = {};
    if (value.before !== undefined) {
      if (!isObject(value.before)) {
        this.fail([...at, 'before'], value.before, 'a mapping of container names to { ready: started | healthy | complete }');
      } else {
        for (const [other, condition] of Object.entries<any>(value.before)) {
          const otherAt = [...at, 'before', other];
          if (!names.includes(other) || other === name) {
            this.fail(otherAt, other, `another container of this workload: ${names.filter(n => n !== name).join(', ') || 'none'}`);
          }
          if (!isObject(condition)) {
            this.fail(otherAt, condition, 'a mapping with ready: started | healthy | complete');
            continue;
          }
          this.unknownKeys(otherAt, condition, ['ready']);
          if (!READY_STATES.includes(condition.ready)) {
            this.fail([...otherAt, 'ready'], condition.ready, READY_STATES.map(s => `"${s}"`).join(', '));
          } else {
            before[other] = condition.ready;
          }
        }
      }
    }
    return {
      name,
      image: typeof value.image === 'string' && value.image.length > 0 ? value.image : undefined,
      command,
      args,
      variables,
      files: this.files([...at, 'files'], value.files),
      volumes: this.volumes([...at, 'volumes'], value.volumes),
      requests,
      limits,
      livenessProbe: this.probe([...at, 'livenessProbe'], value.livenessProbe),
      readinessProbe: this.probe([...at, 'readinessProbe'], value.readinessProbe),
      before,
    };
  }

  /** Files as a map of target paths, or (deprecated) a list with `target`. */
  private files(at: At, value: any): ScoreFileSpec[] {
    if (value === undefined) { return []; }
    const entries = this.targets(at, value, 'file');
    const files: ScoreFileSpec[] = [];
    for (const { target, spec, specAt } of entries) {
      if (!isObject(spec)) {
        this.fail(specAt, spec, 'a file: a mapping with one of content, binaryContent or source');
        continue;
      }
      this.unknownKeys(specAt, spec, ['target', 'mode', 'source', 'content', 'binaryContent', 'noExpand']);
      const reported = this.problems.length;
      const given = ['content', 'binaryContent', 'source'].filter(k => spec[k] !== undefined);
      if (given.length !== 1) {
        this.fail(specAt, given, 'exactly one of content, binaryContent or source');
      }
      for (const key of ['content', 'binaryContent', 'source']) {
        if (spec[key] !== undefined && typeof spec[key] !== 'string') { this.fail([...specAt, key], spec[key], 'a string'); }
      }
      if (spec.source !== undefined && spec.source === '') { this.fail([...specAt, 'source'], spec.source, 'a file path'); }
      if (typeof spec.binaryContent === 'string' && !isBase64(spec.binaryContent)) {
        this.fail([...specAt, 'binaryContent'], spec.binaryContent, 'standard base64 (A-Z, a-z, 0-9, "+", "/", "=" padding)');
      }
      if (spec.noExpand !== undefined && typeof spec.noExpand !== 'boolean') {
        this.fail([...specAt, 'noExpand'], spec.noExpand, 'true or false');
      }
      let mode: number | undefined;
      if (spec.mode !== undefined) {
        if (typeof spec.mode !== 'string' || !FILE_MODE.test(spec.mode)) {
          this.fail([...specAt, 'mode'], spec.mode, 'an octal mode as a string, e.g. "0644" or "600"');
        } else {
          mode = parseInt(spec.mode, 8);
        }
      }
      if (this.problems.length > reported) { continue; }
      files.push({
        target,
        mode,
        content: spec.content,
        binaryContent: spec.binaryContent,
        source: spec.source,
        noExpand: spec.noExpand === true,
        at: specAt,
      });
    }
    return files;
  }

  private volumes(at: At, value: any): ScoreVolumeSpec[] {
    if (value === undefined) { return []; }
    const volumes: ScoreVolumeSpec[] = [];
    for (const { target, spec, specAt } of this.targets(at, value, 'volume')) {
      if (!isObject(spec)) {
        this.fail(specAt, spec, 'a volume: a mapping with source and optional path and readOnly');
        continue;
      }
      this.unknownKeys(specAt, spec, ['source', 'path', 'target', 'readOnly']);
      if (typeof spec.source !== 'string' || spec.source === '') {
        this.fail([...specAt, 'source'], spec.source, 'the volume: ${resources.<name>} of a volume resource');
      }
      if (spec.path !== undefined && (typeof spec.path !== 'string' || spec.path.split('/').includes('..'))) {
        this.fail([...specAt, 'path'], spec.path, 'a sub path inside the volume, without ".."');
      }
      if (spec.readOnly !== undefined && typeof spec.readOnly !== 'boolean') {
        this.fail([...specAt, 'readOnly'], spec.readOnly, 'true or false');
      }
      volumes.push({ target, source: spec.source, subPath: spec.path, readOnly: spec.readOnly === true, at: specAt });
    }
    return volumes;
  }

  /** Entries of a map keyed by target path, or of a deprecated list whose items carry `target`. */
  private targets(at: At, value: any, what: string): { target: string; spec: any; specAt: At }[] {
    const entries: { target: string; spec: any; specAt: At }[] = [];
    if (Array.isArray(value)) {
      value.forEach((spec, i) => {
        const target = isObject(spec) ? spec.target : undefined;
        if (typeof target !== 'string' || target.length === 0) {
          this.fail([...at, i, 'target'], target, `the absolute path of the ${what} in the container`);
          return;
        }
        entries.push({ target, spec, specAt: [...at, i] });
      });
    } else if (isObject(value)) {
      for (const [target, spec] of Object.entries(value)) {
        if (isObject(spec) && spec.target !== undefined) {
          this.fail([...at, target, 'target'], spec.target, `no target: the key "${target}" is the target path`);
        }
        entries.push({ target, spec, specAt: [...at, target] });
      }
    } else {
      this.fail(at, value, `a mapping of target paths to ${what}s`);
    }
    const seen = new Set<string>();
    for (const entry of entries) {
      if (!entry.target.startsWith('/')) {
        this.fail(entry.specAt, entry.target, `an absolute path for the ${what} in the container`);
      } else if (entry.target.split('/').includes('..')) {
        this.fail(entry.specAt, entry.target, `a path without ".." for the ${what}`);
      }
      if (seen.has(entry.target)) { this.fail(entry.specAt, entry.target, `a target path not used by another ${what}`); }
      seen.add(entry.target);
    }
    return entries;
  }

  private quantities(at: At, value: any): ScoreQuantities {
    if (value === undefined) { return {}; }
    if (!isObject(value)) {
      this.fail(at, value, 'a mapping with cpu and memory');
      return {};
    }
    this.unknownKeys(at, value, ['cpu', 'memory']);
    let cpuMillis: number | undefined;
    let memoryMiB: number | undefined;
    if (value.cpu !== undefined) {
      if (typeof value.cpu !== 'string' || !CPU.test(value.cpu)) {
        this.fail([...at, 'cpu'], value.cpu, 'a CPU quantity as a string: whole or decimal CPUs ("0.5", "2") or millicores ("250m")');
      } else {
        const millis = value.cpu.endsWith('m') ? Number(value.cpu.slice(0, -1)) : Number(value.cpu) * 1000;
        if (!Number.isInteger(Math.round(millis * 1e6) / 1e6) || millis < 1) {
          this.fail([...at, 'cpu'], value.cpu, 'at least 1m, in whole millicores');
        } else {
          cpuMillis = Math.round(millis);
        }
      }
    }
    if (value.memory !== undefined) {
      const match = typeof value.memory === 'string' ? MEMORY.exec(value.memory) : null;
      if (!match) {
        this.fail([...at, 'memory'], value.memory, 'a memory quantity as a string, e.g. "256Mi", "1.5Gi" or "500M"');
      } else {
        const bytes = Number(match[1]) * MEMORY_UNITS[match[3] ?? ''];
        memoryMiB = Math.ceil(bytes / 2 ** 20);
      }
    }
    return { cpuMillis, memoryMiB, cpu: value.cpu, memory: value.memory };
  }

  private probe(at: At, value: any): ScoreProbeSpec | undefined {
    if (value === undefined) { return undefined; }
    if (!isObject(value)) {
      this.fail(at, value, 'a probe: a mapping with httpGet or exec');
      return undefined;
    }
    this.unknownKeys(at, value, ['httpGet', 'exec']);
    if (value.httpGet === undefined && value.exec === undefined) {
      this.fail(at, value, 'httpGet or exec');
      return undefined;
    }
    let exec: string[] | undefined;
    if (value.exec !== undefined) {
      if (!isObject(value.exec)) {
        this.fail([...at, 'exec'], value.exec, 'a mapping with command');
      } else {
        this.unknownKeys([...at, 'exec'], value.exec, ['command']);
        exec = this.strings([...at, 'exec', 'command'], value.exec.command);
        if (!exec || exec.length === 0) { this.fail([...at, 'exec', 'command'], value.exec.command, 'a non-empty list of strings'); }
      }
    }
    let httpGet: ScoreHttpGet | undefined;
    if (value.httpGet !== undefined) {
      const httpAt = [...at, 'httpGet'];
      const h = value.httpGet;
      const reported = this.problems.length;
      if (!isObject(h)) {
        this.fail(httpAt, h, 'a mapping with port and path');
      } else {
        this.unknownKeys(httpAt, h, ['host', 'scheme', 'path', 'port', 'httpHeaders']);
        this.portNumber([...httpAt, 'port'], h.port, true);
        if (typeof h.path !== 'string') { this.fail([...httpAt, 'path'], h.path, 'an HTTP path such as "/readyz"'); }
        if (h.host !== undefined && (typeof h.host !== 'string' || h.host.length === 0)) { this.fail([...httpAt, 'host'], h.host, 'a host name'); }
        if (h.scheme !== undefined && h.scheme !== 'HTTP' && h.scheme !== 'HTTPS') { this.fail([...httpAt, 'scheme'], h.scheme, '"HTTP" or "HTTPS"'); }
        const headers: { name: string; value: string }[] = [];
        if (h.httpHeaders !== undefined) {
          if (!Array.isArray(h.httpHeaders)) {
            this.fail([...httpAt, 'httpHeaders'], h.httpHeaders, 'a list of { name, value }');
          } else {
            h.httpHeaders.forEach((header: any, i: number) => {
              const headerAt = [...httpAt, 'httpHeaders', i];
              if (!isObject(header)) {
                this.fail(headerAt, header, 'a mapping with name and value');
                return;
              }
              this.unknownKeys(headerAt, header, ['name', 'value']);
              if (typeof header.name !== 'string' || !HEADER_NAME.test(header.name)) {
                this.fail([...headerAt, 'name'], header.name, 'an HTTP header name: letters, digits, "_" and "-"');
              }
              if (typeof header.value !== 'string' || header.value.length === 0) {
                this.fail([...headerAt, 'value'], header.value, 'a non-empty string');
              }
              headers.push({ name: header.name, value: header.value });
            });
          }
        }
        // Malformed parts are reported; later stages see a probe only when it is whole.
        httpGet = this.problems.length > reported ? undefined : { port: h.port, path: h.path, host: h.host, scheme: h.scheme, httpHeaders: headers };
      }
    }
    return httpGet || exec ? { httpGet, exec } : undefined;
  }

  private resources(value: any): ScoreResourceSpec[] {
    const at = ['resources'];
    if (!isObject(value)) {
      this.fail(at, value, 'a mapping of resource names to resources');
      return [];
    }
    const resources: ScoreResourceSpec[] = [];
    for (const [name, spec] of Object.entries<any>(value)) {
      const resAt = [...at, name];
      this.label(resAt, name, 'a resource name');
      if (!isObject(spec)) {
        this.fail(resAt, spec, 'a resource: a mapping with at least a type');
        continue;
      }
      this.unknownKeys(resAt, spec, ['type', 'class', 'id', 'metadata', 'params']);
      if (typeof spec.type !== 'string' || !RESOURCE_TYPE.test(spec.type)) {
        this.fail([...resAt, 'type'], spec.type, 'a resource type: 2-63 letters, digits and "-", alphanumeric at both ends');
      }
      if (spec.class !== undefined && (typeof spec.class !== 'string' || !RESOURCE_TYPE.test(spec.class))) {
        this.fail([...resAt, 'class'], spec.class, 'a class: 2-63 letters, digits and "-", alphanumeric at both ends');
      }
      if (spec.id !== undefined && (typeof spec.id !== 'string' || spec.id.length < 2 || spec.id.length > 63 || !RESOURCE_ID.test(spec.id))) {
        this.fail([...resAt, 'id'], spec.id, 'an id: 2-63 lowercase letters, digits and "-", in labels separated by "."');
      }
      let annotations: { [key: string]: string } = {};
      if (spec.metadata !== undefined) {
        if (!isObject(spec.metadata)) {
          this.fail([...resAt, 'metadata'], spec.metadata, 'a mapping');
        } else {
          annotations = this.annotations([...resAt, 'metadata', 'annotations'], spec.metadata.annotations);
        }
      }
      if (spec.params !== undefined && !isObject(spec.params)) {
        this.fail([...resAt, 'params'], spec.params, 'a mapping of parameter names to values');
      }
      resources.push({
        name,
        type: typeof spec.type === 'string' && RESOURCE_TYPE.test(spec.type) ? spec.type : undefined,
        class: typeof spec.class === 'string' && RESOURCE_TYPE.test(spec.class) ? spec.class : undefined,
        id: typeof spec.id === 'string' && RESOURCE_ID.test(spec.id) ? spec.id : undefined,
        params: isObject(spec.params) ? spec.params : {},
        annotations,
      });
    }
    return resources;
  }

  private label(at: At, name: string, what: string): void {
    if (name.length < 2 || !LABEL.test(name)) {
      this.fail(at, name, `${what}: an RFC 1123 label of 2-63 lowercase letters, digits and "-", starting and ending with a letter or digit`);
    }
  }

  private portNumber(at: At, value: any, required: boolean): boolean {
    if (value === undefined && !required) { return true; }
    if (!Number.isInteger(value) || value < 1 || value > 65535) {
      this.fail(at, value, 'a port number from 1 to 65535');
      return false;
    }
    return true;
  }

  private strings(at: At, value: any): string[] | undefined {
    if (value === undefined) { return undefined; }
    if (!Array.isArray(value) || value.some(v => typeof v !== 'string')) {
      this.fail(at, value, 'a list of strings (quote numbers and booleans)');
      return undefined;
    }
    return value;
  }

  private unknownKeys(at: At, value: any, allowed: string[]): void {
    if (!isObject(value)) { return; }
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) {
        this.fail([...at, key], key, `one of the fields of score.dev/v1b1 here: ${allowed.join(', ')}`);
      }
    }
  }

  private fail(at: At, value: unknown, allowed: string): void {
    this.problems.push({ file: this.file, line: this.lineOf(at), path: formatPath(at), message: `got ${show(value)}; expected ${allowed}` });
  }
}

function isObject(value: unknown): value is { [key: string]: any } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isBase64(text: string): boolean {
  const compact = text.replace(/\s+/g, '');
  return compact.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(compact);
}
