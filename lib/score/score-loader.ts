import { KIND_ANNOTATIONS, ScoreAnnotations } from './score-annotations';
import {
  ScoreContainerSpec,
  ScoreDocument,
  ScoreFileSpec,
  ScoreProbeSpec,
  ScoreProblem,
  ScoreQuantities,
  ScoreResourceSpec,
  formatPath,
  formatProblem,
  parseScoreDocument,
} from './score-document';
import { readSourceFile, readTextFile } from './score-input';
import { SCORE_LIMITS, formatBytes } from './score-limits';
import { scoreMetrics } from './score-metrics';
import { ScoreOrigin, scorePathOf } from './score-positions';
import { ScoreWorkloadsProps } from './score-workloads-props';
import { Environment } from '../core/environment';
import { Errors, PavedError, invalid, show } from '../core/errors';
import { Platform } from '../core/platform';
import { Size } from '../core/size';
import { isDnsLabel, validateDnsLabel } from '../core/validation';
import { ContainerResources } from '../k8s/container';
import { validateCronSchedule, validateTimeZone } from '../k8s/cron-schedule';
import { validateImage } from '../k8s/image';
import { JobHook } from '../k8s/job';
import { Probe, ProbeScheme } from '../k8s/probe';
import { parseQuantity } from '../k8s/quantities';
import { ServicePort } from '../k8s/service-port';
import { EmptyDirMedium, Volume, VolumeMount } from '../k8s/volume';
import { Kind, WorkerScaling } from '../workload/kind';
import { KIND_NAMES } from '../workload/kind-names';
import { PlaceholderSegment, escapePlaceholders, parsePlaceholders } from '../workload/placeholders';
import { Provisioners } from '../workload/provisioners';
import { Resource } from '../workload/resource';
import { NOT_SECRET_ANNOTATION } from '../workload/secret-literals';
import { WORKLOADS, findWorkload } from '../workload/service-links';
import { Workload, WorkloadContainer, WorkloadFile, WorkloadProps } from '../workload/workload';

/** Types the workload layer resolves itself, besides the platform's provisioners. */
const SERVICE = 'service';
const ROUTE = 'route';
const VOLUME = 'volume';
const SERVICE_OUTPUTS = ['name', 'host', 'hostname', 'port', 'url'];
const ROUTE_PARAMS = ['host', 'path', 'port'];
const VOLUME_PARAMS = ['claimName', 'readOnly', 'medium', 'sizeLimit'];
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PORT_NAME = /^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*$/;
const MAIN_PORT_NAME = 'http';
/** The ports of a workload without a Service. */
const NO_PORTS: PodPortsPlan = { port: 8080, servicePort: 8080, servicePorts: [], containerPorts: new Set(), podPorts: [] };
const PAVED_ANNOTATION_PREFIX = 'paved.dev/';
const KNOWN_PAVED_ANNOTATIONS = [...KIND_ANNOTATIONS, ScoreAnnotations.METRICS_PORT, ScoreAnnotations.METRICS_PATH, NOT_SECRET_ANNOTATION];
/** Score classes have at least 2 characters; these name the one-letter sizes. */
const SIZE_ALIASES: { [className: string]: string } = { small: 'S', medium: 'M', large: 'L', xlarge: 'XL' };
/** Workload and resource names become parts of AWS names; the workload layer allows 30 characters. */
const MAX_NAME = 30;
const SCORE_FILE = `a Score file: a regular file of UTF-8 YAML text, at most ${formatBytes(SCORE_LIMITS.fileBytes)}`;
const SOURCE_FILE = `a file in the Score file's folder or below, by a relative path without "..", and a regular file of UTF-8 text of at most ${formatBytes(SCORE_LIMITS.sourceBytes)}`;

/**
 * A resource of a loaded workload, for summaries.
 * @internal
 */
export interface LoadedResource {
  readonly workload: string;
  readonly name: string;
  readonly type: string;
  readonly id?: string;
}

/**
 * What {@link loadScoreWorkloads} declared.
 * @internal
 */
export interface ScoreLoadResult {
  /** The workloads, in the order of the files. */
  readonly workloads: Workload[];
  /** Their resources, in the order of the files. */
  readonly resources: LoadedResource[];
  /** Their containers, as `<workload>.<container>`. */
  readonly containers: string[];
}

/**
 * How {@link loadScoreWorkloads} treats image overrides.
 * @internal
 */
export interface ScoreLoadOptions {
  /**
   * Calls this after each workload is declared.
   */
  readonly progress?: (workload: string, index: number, total: number) => void;
  /**
   * Accept image overrides that name no container of these files (the
   * caller loads several groups of files with the same overrides and checks
   * the keys against all of them).
   * @default false
   */
  readonly ignoreUnknownImages?: boolean;
}

/**
 * Reads, validates and declares the workloads of Score files (see
 * {@link ScoreWorkloads}); calls `progress` after each workload is declared.
 * @internal
 */
export function loadScoreWorkloads(env: Environment, props: ScoreWorkloadsProps, options: ScoreLoadOptions = {}): ScoreLoadResult {
  const progress = options.progress;
  const where = `${env.node.path}/ScoreWorkloads`;
  validateDnsLabel(where, 'tenant', props.tenant, MAX_NAME);
  if (!Array.isArray(props.files) || props.files.length === 0 || props.files.some(f => typeof f !== 'string')) {
    throw invalid(where, 'files', props.files, 'one or more paths of Score files');
  }
  const problems: ScoreProblem[] = [];
  const documents: ScoreDocument[] = [];
  for (const file of props.files) {
    const read = readTextFile(file, SCORE_LIMITS.fileBytes);
    if (read.text === undefined) {
      problems.push({ file, line: read.line, path: '', message: `the file ${read.error}; expected ${SCORE_FILE}` });
      continue;
    }
    const document = parseScoreDocument(file, read.text, problems);
    if (document) { documents.push(document); }
  }
  const plans = new Planner(env, props, documents, problems, options.ignoreUnknownImages === true).plan();
  fail(problems, props.files);

  const byName = new Map(plans.map(p => [p.name, p]));
  const made = new Map<string, Workload>();
  const declare = (plan: WorkloadPlan, stack: string[]) => {
    if (made.has(plan.name) || stack.includes(plan.name)) { return; }
    // Targets of service resources first, so their ports are known; a cycle is resolved at synth.
    for (const target of plan.serviceTargets) {
      const next = byName.get(target);
      if (next) { declare(next, [...stack, plan.name]); }
    }
    if (made.has(plan.name)) { return; }
    // Everything the workload declares is undone if it fails: its constructs, names and grants.
    const checkpoint = env._lookup.checkpoint();
    try {
      const workload = new Workload(env, plan.name, plan.props);
      for (const [resource, annotations] of Object.entries(plan.resourceAnnotations)) {
        const secret = workload.externalSecrets[resource];
        Object.entries(annotations).forEach(([key, value]) => secret?.metadata.addAnnotation(key, value));
      }
      env._lookup.release(checkpoint);
      made.set(plan.name, workload);
      progress?.(plan.name, made.size, plans.length);
    } catch (e) {
      // Where the workload was being made (its tenant's stack), read before the rollback may remove that stack.
      const workloadPath = `${(env._existingTenantScope(plan.props.tenant) ?? env).node.path}/${plan.name}`;
      // The workload is half-made; its siblings are still checked so every problem is reported.
      env._lookup.rollback(checkpoint);
      if (!Errors.isPavedError(e)) { throw e; }
      // The field of the file the construct refused, when its property names one.
      const at = scorePathOf(plan.origin, workloadPath, e as PavedError);
      problems.push({
        file: plan.file,
        line: at ? plan.origin.doc.lineOf(at) : undefined,
        path: at ? formatPath(at) : `(workload ${plan.name})`,
        message: (e as Error).message,
      });
    }
  };
  plans.forEach(plan => declare(plan, []));
  fail(problems, props.files);
  return {
    workloads: plans.map(p => made.get(p.name)!),
    resources: documents.flatMap(d => d.resources.map(r => ({ workload: d.name, name: r.name, type: r.type!, id: r.id }))),
    containers: documents.flatMap(d => d.containers.map(c => `${d.name}.${c.name}`)),
  };
}

/** Service, container and probe ports of the pod. */
interface PodPortsPlan {
  readonly port: number;
  readonly servicePort: number;
  readonly servicePorts: ServicePort[];
  readonly containerPorts: Set<number>;
  readonly podPorts: number[];
}

/** One Score file, translated. */
interface WorkloadPlan {
  readonly file: string;
  readonly name: string;
  readonly props: WorkloadProps;
  /** Workloads its `service` resources name. */
  readonly serviceTargets: string[];
  /** Annotations of each resource, for its ExternalSecret. */
  readonly resourceAnnotations: { [resource: string]: { [key: string]: string } };
  /** Where its props came from in the file, for errors the constructs raise. */
  readonly origin: ScoreOrigin;
}

/** What kind of resource a Score resource is, and its outputs. */
interface ResourceKind {
  readonly kind: 'provisioned' | 'service' | 'route' | 'volume';
  readonly outputs: string[];
}

/** Throws one error listing `problems`, by file (in the order given) and line. */
function fail(problems: ScoreProblem[], order: string[]): void {
  if (problems.length === 0) { return; }
  const rank = (p: ScoreProblem) => order.indexOf(p.file);
  problems.sort((a, b) => rank(a) - rank(b) || (a.line ?? 0) - (b.line ?? 0));
  const files = [...new Set(problems.map(p => p.file))];
  // A file with hundreds of problems is reported by its first ones and a count.
  const lines = files.flatMap(file => {
    const ofFile = problems.filter(p => p.file === file);
    const shown = ofFile.slice(0, SCORE_LIMITS.problems).map(formatProblem);
    return ofFile.length > shown.length ? [...shown, `${file}: and ${ofFile.length - shown.length} more problem(s)`] : shown;
  });
  throw new PavedError(files.join(', '), 'score', `${problems.length} problem(s) in the Score files:\n  ${lines.join('\n  ')}`);
}

/** The part of a paved error after `<path>: <property>: `. */
function reasonOf(e: PavedError): string {
  const prefix = `${e.constructPath || '<root>'}: ${e.property}: `;
  return e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
}

/** Translates validated Score documents into workload props, collecting every problem. */
class Planner {
  private readonly platform: Platform;
  private readonly types: string[];
  private readonly names = new Map<string, ScoreDocument>();

  constructor(
    private readonly env: Environment,
    private readonly props: ScoreWorkloadsProps,
    private readonly documents: ScoreDocument[],
    private readonly problems: ScoreProblem[],
    private readonly ignoreUnknownImages: boolean = false,
  ) {
    this.platform = Platform.of(env);
    this.types = Provisioners.types(this.platform);
  }

  public plan(): WorkloadPlan[] {
    // A file without a name or containers is reported already; the rest of it cannot be translated.
    const documents = this.documents.filter(d => typeof d.name === 'string' && d.containers.length > 0);
    for (const doc of documents) {
      const other = this.names.get(doc.name);
      if (other) {
        this.problem(doc, ['metadata', 'name'], doc.name, `a workload name no other Score file of this synth has (${other.file} has it)`);
      } else if (Workload._nameTaken(this.env, this.props.tenant, doc.name)) {
        this.problem(doc, ['metadata', 'name'], doc.name, `a name not used by another workload or construct of environment ${this.env.name}`);
      }
      this.names.set(doc.name, doc);
    }
    this.checkImageOverrides();
    return documents.flatMap(doc => {
      const before = this.problems.length;
      const plan = this.workload(doc);
      return plan && this.problems.length === before ? [plan] : [];
    });
  }

  private workload(doc: ScoreDocument): WorkloadPlan | undefined {
    if (isDnsLabel(doc.name) && (doc.name.length > MAX_NAME || !/^[a-z]/.test(doc.name))) {
      this.problem(doc, ['metadata', 'name'], doc.name,
        `a name of at most ${MAX_NAME} characters starting with a letter (paved names Kubernetes Services and AWS resources after it)`);
    }
    const kinds = new Map<string, ResourceKind>();
    for (const resource of doc.resources) {
      const kind = this.kindOf(doc, resource);
      if (kind) { kinds.set(resource.name, kind); }
    }

    const resources: { [name: string]: Resource } = {};
    const volumes = new Map<string, Volume>();
    const serviceTargets: string[] = [];
    const resourceAnnotations: { [resource: string]: { [key: string]: string } } = {};
    let route: { host: string; path?: string; port?: number } | undefined;
    let routeName: string | undefined;
    for (const resource of doc.resources) {
      const kind = kinds.get(resource.name);
      if (!kind) { continue; }
      const at = ['resources', resource.name];
      if (Object.keys(resource.annotations).length > 0) { resourceAnnotations[resource.name] = resource.annotations; }
      if (kind.kind === 'route') {
        if (route) {
          this.problem(doc, at, resource.name, 'one route per workload (paved serves one host and path per web app)');
          continue;
        }
        route = this.route(doc, resource, kinds);
        routeName = resource.name;
      } else if (kind.kind === 'volume') {
        const volume = this.volume(doc, resource);
        if (volume) { volumes.set(resource.name, volume); }
      } else if (kind.kind === 'service') {
        const params = this.serviceParams(doc, resource);
        if (params) {
          serviceTargets.push(params.workload);
          resources[resource.name] = Resource.of(SERVICE, { params });
        }
      } else {
        const params = this.expandParams(doc, [...at, 'params'], resource.params, kinds);
        resources[resource.name] = Resource.of(resource.type!, {
          id: resource.id,
          size: this.sizeOf(doc, resource),
          params,
        });
      }
    }

    // Containers: init containers first complete `before` others; the first other container is the main one.
    const init = doc.containers.filter(c => this.isInit(doc, c));
    const running = doc.containers.filter(c => !init.includes(c));
    if (running.length === 0) {
      this.problem(doc, ['containers'], doc.containers.map(c => c.name),
        'at least one container that is not an init container (one that must complete before others)');
      return undefined;
    }
    const [main, ...sidecars] = running;
    const run = this.runAs(doc, { main, sidecars, route: routeName, resources: kinds });
    const web = run?.name === KIND_NAMES.WEB;
    const ports = web ? this.ports(doc, route?.port) : NO_PORTS;
    const declared = this.container(doc, main, kinds, volumes, ports.containerPorts);
    // Score says nothing of paved's /livez and /readyz; a port that accepts connections is what every server offers, gRPC too.
    const mainContainer = web
      ? { ...declared, livenessProbe: declared.livenessProbe ?? Probe.tcpSocket(), readinessProbe: declared.readinessProbe ?? Probe.tcpSocket() }
      : declared;
    const props: WorkloadProps = {
      tenant: this.props.tenant,
      image: mainContainer.image,
      kind: run?.kind,
      port: web ? ports.port : undefined,
      servicePort: web && ports.servicePort !== ports.port ? ports.servicePort : undefined,
      servicePorts: ports.servicePorts.length > 0 ? ports.servicePorts : undefined,
      additionalPorts: Object.keys(mainContainer.ports ?? {}).length > 0 ? mainContainer.ports : undefined,
      host: route?.host,
      path: route?.path,
      size: this.props.size,
      resources,
      env: mainContainer.env,
      annotations: this.annotations(doc),
      command: mainContainer.command,
      args: mainContainer.args,
      containerResources: mainContainer.containerResources,
      files: mainContainer.files,
      volumes: volumes.size > 0 ? [...volumes.values()] : undefined,
      volumeMounts: mainContainer.volumeMounts,
      livenessProbe: mainContainer.livenessProbe,
      readinessProbe: mainContainer.readinessProbe,
      containers: sidecars.length > 0
        ? sidecars.map(c => this.sidecar(doc, c, this.container(doc, c, kinds, volumes, new Set(ports.podPorts))))
        : undefined,
      initContainers: init.length > 0
        ? init.map(c => this.initContainer(doc, c, this.container(doc, c, kinds, volumes, new Set(ports.podPorts))))
        : undefined,
      metrics: scoreMetrics(doc, (at, value, allowed) => this.problem(doc, at, value, allowed)),
    };
    const origin: ScoreOrigin = {
      doc,
      main: main.name,
      sidecars: sidecars.map(c => c.name),
      inits: init.map(c => c.name),
      mainPort: doc.ports.find(p => p.port === ports.servicePort && p.targetPort === ports.port)?.name,
      otherPorts: ports.servicePorts.map(p => p.name),
      route: routeName,
    };
    return { file: doc.file, name: doc.name, props, serviceTargets, resourceAnnotations, origin };
  }

  /**
   * What the workload runs as: the kind its `paved.dev/kind` annotation
   * names, else a scheduled job for a `paved.dev/schedule`, a worker without
   * service ports, a web workload with them. Problems for annotations that
   * do not fit, and for what the kind cannot have.
   */
  private runAs(doc: ScoreDocument, parts: {
    main: ScoreContainerSpec;
    sidecars: ScoreContainerSpec[];
    route?: string;
    resources: Map<string, ResourceKind>;
  }): { name: string; kind: Kind } | undefined {
    const annotations = doc.annotations;
    const at = (key: string) => ['metadata', 'annotations', key];
    const before = this.problems.length;
    for (const key of Object.keys(annotations).filter(k => k.startsWith(PAVED_ANNOTATION_PREFIX))) {
      if (!KNOWN_PAVED_ANNOTATIONS.includes(key)) {
        this.problem(doc, at(key), key, `an annotation paved knows: ${KNOWN_PAVED_ANNOTATIONS.join(', ')}`);
      }
    }
    const declared = annotations[ScoreAnnotations.KIND];
    if (declared !== undefined && !Object.values(KIND_NAMES).includes(declared)) {
      this.problem(doc, at(ScoreAnnotations.KIND), declared, `one of ${Object.values(KIND_NAMES).join(', ')}`);
      return undefined;
    }
    const schedule = annotations[ScoreAnnotations.SCHEDULE];
    const name = declared
      ?? (schedule !== undefined ? KIND_NAMES.CRON_JOB : doc.ports.length === 0 ? KIND_NAMES.WORKER : KIND_NAMES.WEB);
    const only = (key: string, kind: string, what: string) => {
      if (annotations[key] !== undefined && name !== kind) {
        this.problem(doc, at(key), annotations[key], `no ${what} for a ${name} workload (only a ${kind} has one)`);
      }
    };
    only(ScoreAnnotations.SCHEDULE, KIND_NAMES.CRON_JOB, 'schedule');
    only(ScoreAnnotations.TIME_ZONE, KIND_NAMES.CRON_JOB, 'time zone');
    only(ScoreAnnotations.JOB_HOOK, KIND_NAMES.JOB, 'job hook');
    only(ScoreAnnotations.SCALE_ON_QUEUE, KIND_NAMES.WORKER, 'queue scaling');
    if (name !== KIND_NAMES.WEB) {
      if (doc.ports.length > 0) {
        this.problem(doc, ['service', 'ports'], doc.ports.map(p => p.name),
          `no service ports for a ${name} workload (${declared !== undefined ? `${ScoreAnnotations.KIND}: ${declared}` : `${ScoreAnnotations.SCHEDULE} is set`}): only a web workload has a Service`);
      }
      if (parts.route !== undefined) {
        this.problem(doc, ['resources', parts.route], parts.route, `no route for a ${name} workload: only a web workload serves a host`);
      }
    }
    if (name === KIND_NAMES.CRON_JOB || name === KIND_NAMES.JOB) {
      for (const key of ['livenessProbe', 'readinessProbe'] as const) {
        if (parts.main[key]) {
          this.problem(doc, ['containers', parts.main.name, key], key, `no probe on a ${name} workload: a job runs once and ends`);
        }
      }
      for (const sidecar of parts.sidecars) {
        this.problem(doc, ['containers', sidecar.name], sidecar.name,
          `one container for a ${name} workload, besides init containers (a sidecar would keep the job's pod running after it finished)`);
      }
    }
    let kind: Kind;
    if (name === KIND_NAMES.CRON_JOB) {
      if (schedule === undefined) {
        this.problem(doc, at(ScoreAnnotations.KIND), declared, `a ${ScoreAnnotations.SCHEDULE} annotation with the cron schedule of a ${name} workload`);
        return undefined;
      }
      const timeZone = annotations[ScoreAnnotations.TIME_ZONE];
      this.check(doc, at(ScoreAnnotations.SCHEDULE), () => validateCronSchedule('', 'schedule', schedule));
      if (timeZone !== undefined) { this.check(doc, at(ScoreAnnotations.TIME_ZONE), () => validateTimeZone('', 'timeZone', timeZone)); }
      kind = Kind.cron({ schedule, timeZone });
    } else if (name === KIND_NAMES.JOB) {
      const hook = annotations[ScoreAnnotations.JOB_HOOK];
      const hooks: { [value: string]: JobHook } = { 'before-workloads': JobHook.BEFORE_WORKLOADS, 'after-workloads': JobHook.AFTER_WORKLOADS };
      if (hook !== undefined && !hooks[hook]) {
        this.problem(doc, at(ScoreAnnotations.JOB_HOOK), hook, `one of ${Object.keys(hooks).join(', ')}`);
      }
      kind = Kind.job({ hook: hook !== undefined ? hooks[hook] : undefined });
    } else if (name === KIND_NAMES.WORKER) {
      const queue = annotations[ScoreAnnotations.SCALE_ON_QUEUE];
      if (queue !== undefined && !parts.resources.has(queue)) {
        this.problem(doc, at(ScoreAnnotations.SCALE_ON_QUEUE), queue,
          `the name of a queue resource of the workload (resources: ${[...parts.resources.keys()].join(', ') || 'none'})`);
      }
      kind = Kind.worker({ scaling: queue !== undefined ? WorkerScaling.queue(queue) : undefined });
    } else {
      kind = Kind.web();
    }
    return this.problems.length > before ? undefined : { name, kind };
  }

  /** Runs a construct-level check on a value of the document and turns its error into a problem at `at`. */
  private check(doc: ScoreDocument, at: (string | number)[], validate: () => void): void {
    try {
      validate();
    } catch (e) {
      if (!Errors.isPavedError(e)) { throw e; }
      this.problems.push({ file: doc.file, line: doc.lineOf(at), path: formatPath(at), message: reasonOf(e as PavedError) });
    }
  }

  /** The kind of a resource by its type; undefined (and a problem) for a type paved cannot provide. */
  private kindOf(doc: ScoreDocument, resource: ScoreResourceSpec): ResourceKind | undefined {
    const at = ['resources', resource.name];
    if (resource.name.length > MAX_NAME) {
      this.problem(doc, at, resource.name, `a resource name of at most ${MAX_NAME} characters (paved names cloud resources after it)`);
    }
    if (resource.type === undefined) { return undefined; }
    const builtIn = ({ [SERVICE]: SERVICE_OUTPUTS, [ROUTE]: [], [VOLUME]: [] } as { [type: string]: string[] })[resource.type];
    if (builtIn) {
      for (const key of ['id', 'class'] as const) {
        if (resource[key] !== undefined && !(key === 'class' && resource.class === 'default')) {
          this.problem(doc, [...at, key], resource[key], `no ${key}: a ${resource.type} resource has none`);
        }
      }
      return { kind: resource.type as ResourceKind['kind'], outputs: builtIn };
    }
    if (!this.types.includes(resource.type)) {
      this.problem(doc, [...at, 'type'], resource.type,
        `a resource type paved supports: ${[...this.types, ROUTE, SERVICE, VOLUME].sort().join(', ')} (type "${resource.type}" is not supported)`);
      return undefined;
    }
    if (resource.id !== undefined && !isDnsLabel(resource.id, MAX_NAME)) {
      this.problem(doc, [...at, 'id'], resource.id,
        `an id of at most ${MAX_NAME} lowercase letters, digits and dashes, without dots (paved names the shared resource after it)`);
    }
    return { kind: 'provisioned', outputs: Provisioners.find(this.platform, resource.type, doc.file).outputNames };
  }

  /** The size a resource's class names; undefined for no class or `default`. */
  private sizeOf(doc: ScoreDocument, resource: ScoreResourceSpec): Size | undefined {
    const className = resource.class;
    if (className === undefined || className === 'default') { return undefined; }
    const custom = this.props.classes ?? {};
    if (custom[className]) { return custom[className]; }
    const wanted = (SIZE_ALIASES[className.toLowerCase()] ?? className).toLowerCase();
    const size = this.platform.sizes.all.find(s => s.name.toLowerCase() === wanted);
    if (!size) {
      const aliases = Object.entries(SIZE_ALIASES).filter(([, name]) => this.platform.sizes.names.includes(name)).map(([alias]) => alias);
      this.problem(doc, ['resources', resource.name, 'class'], className,
        `"default", a size of the platform by name in any case (${this.platform.sizes.names.join(', ')}; `
        + `${aliases.join(', ')} for short ones, since a Score class has at least 2 characters)`
        + `${Object.keys(custom).length > 0 ? ` or a class of the platform (${Object.keys(custom).join(', ')})` : ''}`);
    }
    return size;
  }

  private route(doc: ScoreDocument, resource: ScoreResourceSpec, kinds: Map<string, ResourceKind>):
  { host: string; path?: string; port?: number } | undefined {
    const at = ['resources', resource.name, 'params'];
    const params = resource.params;
    this.unknownParams(doc, at, params, ROUTE_PARAMS, ROUTE);
    if (typeof params.host !== 'string') {
      this.problem(doc, [...at, 'host'], params.host, 'the host name to route, e.g. "${resources.dns.host}" or "orders.acme.io"');
      return undefined;
    }
    if (params.path !== undefined && typeof params.path !== 'string') {
      this.problem(doc, [...at, 'path'], params.path, 'a URL path prefix such as "/"');
    }
    if (params.port !== undefined && !Number.isInteger(params.port)) {
      this.problem(doc, [...at, 'port'], params.port, 'a port of service.ports');
    }
    const host = this.expand(doc, [...at, 'host'], params.host, kinds, 'route');
    const path = typeof params.path === 'string' ? this.expand(doc, [...at, 'path'], params.path, kinds, 'params') : undefined;
    return host === undefined ? undefined : { host, path: path !== undefined ? unescape(path) : undefined, port: params.port };
  }

  private volume(doc: ScoreDocument, resource: ScoreResourceSpec): Volume | undefined {
    const at = ['resources', resource.name, 'params'];
    const params = resource.params;
    const before = this.problems.length;
    this.unknownParams(doc, at, params, VOLUME_PARAMS, VOLUME);
    if (params.claimName !== undefined) {
      if (typeof params.claimName !== 'string') { this.problem(doc, [...at, 'claimName'], params.claimName, 'the name of a PersistentVolumeClaim'); }
      if (params.readOnly !== undefined && typeof params.readOnly !== 'boolean') { this.problem(doc, [...at, 'readOnly'], params.readOnly, 'true or false'); }
      for (const key of ['medium', 'sizeLimit']) {
        if (params[key] !== undefined) { this.problem(doc, [...at, key], params[key], 'no value with claimName (it applies to emptyDir volumes)'); }
      }
      return this.problems.length > before ? undefined
        : Volume.persistentVolumeClaim(resource.name, params.claimName, { readOnly: params.readOnly });
    }
    if (params.readOnly !== undefined) { this.problem(doc, [...at, 'readOnly'], params.readOnly, 'no value without claimName (mount read-only with the volume\'s readOnly)'); }
    const medium = params.medium === undefined ? undefined
      : ({ disk: EmptyDirMedium.DISK, memory: EmptyDirMedium.MEMORY } as { [key: string]: EmptyDirMedium })[params.medium];
    if (params.medium !== undefined && medium === undefined) { this.problem(doc, [...at, 'medium'], params.medium, '"disk" or "memory"'); }
    let sizeLimitMiB: number | undefined;
    if (params.sizeLimit !== undefined) {
      const bytes = typeof params.sizeLimit === 'string' ? parseQuantity(params.sizeLimit) : undefined;
      if (bytes === undefined || bytes < 2 ** 20) {
        this.problem(doc, [...at, 'sizeLimit'], params.sizeLimit, 'a size of at least 1Mi, e.g. "512Mi" or "2Gi"');
      } else {
        sizeLimitMiB = Math.ceil(bytes / 2 ** 20);
      }
    }
    return this.problems.length > before ? undefined : Volume.emptyDir(resource.name, { medium, sizeLimitMiB });
  }

  private serviceParams(doc: ScoreDocument, resource: ScoreResourceSpec): { workload: string; port?: number } | undefined {
    const at = ['resources', resource.name, 'params'];
    const params = resource.params;
    const before = this.problems.length;
    this.unknownParams(doc, at, params, ['workload', 'port'], SERVICE);
    const workload = params.workload ?? resource.name;
    if (typeof workload !== 'string') {
      this.problem(doc, [...at, 'workload'], workload, 'the name of another workload');
      return undefined;
    }
    const targetDoc = this.names.get(workload);
    const declared = findWorkload(this.env, this.props.tenant, workload);
    if (workload === doc.name) {
      this.problem(doc, [...at, 'workload'], workload, 'another workload than this one');
    } else if (!targetDoc && !declared) {
      const known = [...this.names.keys(), ...this.env._lookup.list(WORKLOADS).map(w => w.name)];
      this.problem(doc, [...at, 'workload'], workload, `a workload of this synth: ${known.filter(n => n !== doc.name).join(', ') || 'none'}`);
    }
    let port: number | undefined;
    if (targetDoc && targetDoc.ports.length === 0) {
      this.problem(doc, [...at, 'workload'], workload, `a workload with service ports: "${workload}" has none, so it has no Service`);
    } else if (targetDoc && params.port !== undefined) {
      // Score names ports in its own file; the target's Service ports keep their numbers.
      const found = targetDoc.ports.find(p => p.name === params.port || p.port === params.port);
      if (!found) {
        this.problem(doc, [...at, 'port'], params.port,
          `a port of workload "${workload}": ${targetDoc.ports.map(p => `${p.name} (${p.port})`).join(', ') || 'it has none'}`);
      }
      port = found?.port;
    } else if (targetDoc) {
      // Without a port, one of several is not chosen: the link admits them all, and only port and url outputs need one.
      port = targetDoc.ports.length === 1 ? targetDoc.ports[0].port : undefined;
    } else if (params.port !== undefined && typeof params.port !== 'string' && !Number.isInteger(params.port)) {
      this.problem(doc, [...at, 'port'], params.port, 'a port name or number');
    }
    if (this.problems.length > before) { return undefined; }
    return { workload, ...(port !== undefined ? { port } : params.port !== undefined ? { port: params.port } : {}) };
  }

  /** Service, container and probe ports of the pod. */
  private ports(doc: ScoreDocument, routePort: number | undefined): PodPortsPlan {
    for (const p of doc.ports) {
      if (!PORT_NAME.test(p.name)) {
        this.problem(doc, ['service', 'ports', p.name], p.name,
          'a port name of at most 15 lowercase letters, digits and dashes with a letter (Kubernetes names container ports so)');
      }
    }
    let mainPort = doc.ports.find(p => p.protocol === 'TCP');
    if (routePort !== undefined) {
      mainPort = doc.ports.find(p => p.port === routePort && p.protocol === 'TCP');
      if (!mainPort) {
        this.problem(doc, ['service', 'ports'], routePort, `a TCP port with the route's port ${routePort}`);
      }
    }
    if (!mainPort) {
      this.problem(doc, ['service', 'ports'], doc.ports.map(p => p.name), doc.ports.length > 0
        ? 'a TCP port: a web workload serves one behind its Service (UDP ports come besides it)'
        : `service ports for a web workload (${ScoreAnnotations.KIND}: web): without them it is a worker`);
      return NO_PORTS;
    }
    const others = doc.ports.filter(p => p !== mainPort);
    for (const p of others) {
      if (p.name === MAIN_PORT_NAME) {
        this.problem(doc, ['service', 'ports', p.name], p.name, `a name other than "${MAIN_PORT_NAME}", which paved gives the main port`);
      }
    }
    const tcpTargets = [mainPort, ...others.filter(p => p.protocol === 'TCP')].map(p => p.targetPort);
    return {
      port: mainPort.targetPort,
      servicePort: mainPort.port,
      servicePorts: others.map(p => ({ name: p.name, port: p.port, targetPort: p.targetPort, protocol: p.protocol })),
      containerPorts: new Set(tcpTargets),
      podPorts: tcpTargets,
    };
  }

  /** A container's translation: image, env, files, mounts, resources and probes (with the probe ports it must declare). */
  private container(doc: ScoreDocument, c: ScoreContainerSpec, kinds: Map<string, ResourceKind>, volumes: Map<string, Volume>,
    declaredPorts: Set<number>): WorkloadContainer & { ports?: { [name: string]: number } } {
    const at = ['containers', c.name];
    const env: { [name: string]: string } = {};
    for (const [name, value] of Object.entries(c.variables)) {
      if (!ENV_NAME.test(name)) {
        this.problem(doc, [...at, 'variables', name], name,
          'a variable name of letters, digits and "_", not starting with a digit (what every shell and runtime reads)');
      }
      const expanded = this.expand(doc, [...at, 'variables', name], value, kinds, 'variable');
      if (expanded !== undefined) { env[name] = expanded; }
    }
    const ports: { [name: string]: number } = {};
    const probe = (key: 'livenessProbe' | 'readinessProbe'): Probe | undefined => {
      const spec: ScoreProbeSpec | undefined = c[key];
      if (!spec) { return undefined; }
      if (spec.exec) { return Probe.exec(spec.exec); }
      const h = spec.httpGet!;
      if (!declaredPorts.has(h.port)) {
        ports[`probe-${h.port}`] = h.port;
        declaredPorts.add(h.port);
      }
      return Probe.httpGet({
        path: h.path,
        port: h.port,
        scheme: h.scheme === 'HTTPS' ? ProbeScheme.HTTPS : h.scheme === 'HTTP' ? ProbeScheme.HTTP : undefined,
        host: h.host,
        headers: h.httpHeaders.length > 0 ? h.httpHeaders : undefined,
      });
    };
    return {
      name: c.name,
      image: this.image(doc, c),
      command: c.command,
      args: c.args,
      env,
      containerResources: this.resources(doc, c),
      files: c.files.flatMap(f => this.file(doc, f, kinds)),
      volumeMounts: this.mounts(doc, c, volumes),
      livenessProbe: probe('livenessProbe'),
      readinessProbe: probe('readinessProbe'),
      ports,
    };
  }

  private sidecar(doc: ScoreDocument, c: ScoreContainerSpec, container: WorkloadContainer): WorkloadContainer {
    if (!container.livenessProbe) {
      this.problem(doc, ['containers', c.name, 'livenessProbe'], undefined,
        'a liveness probe on every container but the first (paved restarts a stuck sidecar only with one)');
    }
    if (c.name === doc.name) {
      this.problem(doc, ['containers', c.name], c.name, `a container name other than the workload's, "${doc.name}" (the main container has it)`);
    }
    return { ...container, ports: Object.keys(container.ports ?? {}).length > 0 ? container.ports : undefined };
  }

  private initContainer(doc: ScoreDocument, c: ScoreContainerSpec, container: WorkloadContainer): WorkloadContainer {
    for (const key of ['livenessProbe', 'readinessProbe'] as const) {
      if (c[key]) {
        this.problem(doc, ['containers', c.name, key], key, 'no probe on a container that must complete before others (it runs as an init container)');
      }
    }
    if (c.name === doc.name) {
      this.problem(doc, ['containers', c.name], c.name, `a container name other than the workload's, "${doc.name}" (the main container has it)`);
    }
    return { ...container, ports: undefined, livenessProbe: undefined, readinessProbe: undefined };
  }

  /** Whether the container must complete before others: an init container. */
  private isInit(doc: ScoreDocument, c: ScoreContainerSpec): boolean {
    const states = Object.entries(c.before);
    for (const [other, state] of states) {
      if (state !== 'complete') {
        this.problem(doc, ['containers', c.name, 'before', other, 'ready'], state,
          '"complete" (an init container); starting a container only once another has started or is healthy is not supported');
      }
    }
    return states.length > 0 && states.every(([, state]) => state === 'complete');
  }

  private image(doc: ScoreDocument, c: ScoreContainerSpec): string {
    const overrides = this.props.images ?? {};
    const override = overrides[`${doc.name}.${c.name}`] ?? overrides[c.name];
    const image = override ?? c.image;
    const at = ['containers', c.name, 'image'];
    if (image === undefined) { return ''; }
    if (image === '.') {
      this.problem(doc, at, image,
        `the image to run: "." stands for the image the pipeline builds, so pass it as an override (images "${c.name}" or "${doc.name}.${c.name}"; paved --image ${c.name}=<image>)`);
      return image;
    }
    try {
      validateImage('', 'image', image, this.env.profile.imagePolicy);
    } catch (e) {
      if (!Errors.isPavedError(e)) { throw e; }
      this.problems.push({
        file: doc.file,
        line: override ? undefined : doc.lineOf(at),
        path: formatPath(at),
        message: `${reasonOf(e as PavedError)}${override ? ` (from the image override ${JSON.stringify(override)})` : ''}`,
      });
    }
    return image;
  }

  private resources(doc: ScoreDocument, c: ScoreContainerSpec): ContainerResources | undefined {
    const { requests, limits } = c;
    const at = ['containers', c.name, 'resources'];
    for (const kind of ['cpu', 'memory'] as const) {
      const request = requests[kind];
      const limit = limits[kind];
      if (request !== undefined && limit !== undefined && parseQuantity(request)! > parseQuantity(limit)!) {
        this.problem(doc, [...at, 'requests', kind], request, `at most the ${kind} limit ${JSON.stringify(limit)}`);
      }
    }
    const resources: ContainerResources = {
      cpuRequest: requests.cpu,
      cpuLimit: limits.cpu,
      memoryRequest: requests.memory,
      memoryLimit: limits.memory,
    };
    return hasAny(requests) || hasAny(limits) ? resources : undefined;
  }

  private file(doc: ScoreDocument, f: ScoreFileSpec, kinds: Map<string, ResourceKind>): WorkloadFile[] {
    const mode = f.mode !== undefined ? `0${f.mode.toString(8)}` : undefined;
    if (f.binaryContent !== undefined) {
      return [{ path: f.target, binaryContentBase64: f.binaryContent.replace(/\s+/g, ''), mode }];
    }
    let content = f.content;
    if (f.source !== undefined) {
      const read = readSourceFile(doc.file, f.source);
      if (read.error !== undefined) {
        this.problem(doc, [...f.at, 'source'], f.source, `${SOURCE_FILE}; ${read.error}`);
        return [];
      }
      content = read.content;
    }
    if (f.noExpand) {
      return [{ path: f.target, content, mode, noExpand: true }];
    }
    const expanded = this.expand(doc, [...f.at, f.source !== undefined ? 'source' : 'content'], content!, kinds, 'file');
    return expanded === undefined ? [] : [{ path: f.target, content: expanded, mode }];
  }

  private mounts(doc: ScoreDocument, c: ScoreContainerSpec, volumes: Map<string, Volume>): VolumeMount[] | undefined {
    const mounts = c.volumes.flatMap(v => {
      const match = /^\$\{resources\.([a-z0-9-]+)\}$/.exec(v.source) ?? /^([a-z0-9-]+)$/.exec(v.source);
      const volume = match ? volumes.get(match[1]) : undefined;
      if (!volume) {
        const declared = [...volumes.keys()];
        this.problem(doc, [...v.at, 'source'], v.source,
          `a volume resource: \${resources.<name>} of a resource of type volume (${declared.length > 0 ? `declared: ${declared.join(', ')}` : 'none declared'})`);
        return [];
      }
      return [{ volume, path: v.target, subPath: v.subPath, readOnly: v.readOnly ? true : undefined }];
    });
    return mounts.length > 0 ? mounts : undefined;
  }

  private annotations(doc: ScoreDocument): { [key: string]: string } | undefined {
    return Object.keys(doc.annotations).length > 0 ? { ...doc.annotations } : undefined;
  }

  /** Resource params with `${metadata...}` expanded; `${resources...}` is not allowed there (resources are made in one pass). */
  private expandParams(doc: ScoreDocument, at: (string | number)[], value: any, kinds: Map<string, ResourceKind>): any {
    if (typeof value === 'string') {
      const expanded = this.expand(doc, at, value, kinds, 'params');
      return expanded === undefined ? value : unescape(expanded);
    }
    if (Array.isArray(value)) { return value.map((v, i) => this.expandParams(doc, [...at, i], v, kinds)); }
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, this.expandParams(doc, [...at, k], v, kinds)]));
    }
    return value;
  }

  /**
   * Checks the placeholders of `text` and expands `${metadata...}`. The
   * result keeps `${resources.<name>.<output>}` (and `$$` escapes) for the
   * workload, which resolves outputs; undefined when a placeholder is wrong.
   *
   * @param where what holds the text: variables and files may use any
   * output, a route's host and path outputs known at synth, params none
   */
  private expand(doc: ScoreDocument, at: (string | number)[], text: string, kinds: Map<string, ResourceKind>,
    where: 'variable' | 'file' | 'params' | 'route'): string | undefined {
    const parsed = parsePlaceholders(text);
    if (parsed.error) {
      this.problem(doc, at, text, `text with well-formed placeholders: ${parsed.error}`);
      return undefined;
    }
    const before = this.problems.length;
    const out = parsed.segments.map((segment: PlaceholderSegment) => {
      if (segment.literal !== undefined) { return escapePlaceholders(segment.literal); }
      const path = segment.reference!;
      const placeholder = `\${${path.join('.')}}`;
      if (path[0] === 'metadata' && path.length >= 2) {
        const value = path.slice(1).reduce<any>((node, key) => (node !== null && typeof node === 'object' && !Array.isArray(node) ? node[key] : undefined), doc.metadata);
        if (value === undefined || (value !== null && typeof value === 'object')) {
          this.problem(doc, at, placeholder, `a placeholder to a value of metadata (${Object.keys(doc.metadata).join(', ')}${doc.metadata.annotations ? `; annotations: ${Object.keys(doc.metadata.annotations).join(', ')}` : ''})`);
          return '';
        }
        return escapePlaceholders(String(value));
      }
      if (path[0] === 'resources' && path.length >= 2) {
        const kind = kinds.get(path[1]);
        const declared = doc.resources.map(r => r.name);
        if (!declared.includes(path[1])) {
          this.problem(doc, at, placeholder, `a placeholder to a declared resource (${declared.join(', ') || 'none declared'}); "${path[1]}" is not one`);
          return '';
        }
        if (!kind) { return ''; }
        if (path.length !== 3) {
          this.problem(doc, at, placeholder, `\${resources.${path[1]}.<output>}${kind.outputs.length > 0 ? ` with an output of ${path[1]}: ${kind.outputs.join(', ')}` : ''}`
            + (kind.kind === 'volume' ? ` (a volume is mounted with volumes.<path>.source: \${resources.${path[1]}})` : ''));
          return '';
        }
        if (!kind.outputs.includes(path[2])) {
          this.problem(doc, at, placeholder, kind.outputs.length > 0
            ? `an output of ${path[1]}: ${kind.outputs.join(', ')}; "${path[2]}" is not one`
            : `a resource with outputs; a ${kind.kind} resource has none`);
          return '';
        }
        if (where === 'params') {
          this.problem(doc, at, placeholder,
            'no resource output in params (paved makes every resource in one pass); only a route\'s host may name another resource\'s output');
          return '';
        }
        return `\${resources.${path.slice(1).map(p => p.replace(/\./g, '\\.')).join('.')}}`;
      }
      this.problem(doc, at, placeholder, 'a placeholder of the form ${metadata.<key>} or ${resources.<name>.<output>}');
      return '';
    }).join('');
    return this.problems.length > before ? undefined : out;
  }

  private unknownParams(doc: ScoreDocument, at: (string | number)[], params: { [key: string]: any }, allowed: string[], type: string): void {
    for (const key of Object.keys(params)) {
      if (!allowed.includes(key)) {
        this.problem(doc, [...at, key], key, `one of the params a ${type} resource takes: ${allowed.join(', ')}`);
      }
    }
  }

  private checkImageOverrides(): void {
    for (const [key, image] of Object.entries(this.props.images ?? {})) {
      const [first, second] = key.split('.', 2);
      const known = second === undefined
        ? this.documents.some(d => d.containers.some(c => c.name === first))
        : this.names.get(first)?.containers.some(c => c.name === second) === true;
      if (!known && !this.ignoreUnknownImages) {
        const containers = this.documents.flatMap(d => d.containers.map(c => `${d.name}.${c.name}`));
        this.problems.push({ file: 'images', path: key, message: `got ${show(key)}; expected a container of a Score file, as <container> or <workload>.<container>: ${containers.join(', ')}` });
      }
      if (typeof image !== 'string') {
        this.problems.push({ file: 'images', path: key, message: `got ${show(image)}; expected an image reference` });
      }
    }
  }

  private problem(doc: ScoreDocument, at: (string | number)[], value: unknown, allowed: string): void {
    this.problems.push({ file: doc.file, line: doc.lineOf(at), path: formatPath(at), message: `got ${show(value)}; expected ${allowed}` });
  }
}

function hasAny(q: ScoreQuantities): boolean {
  return q.cpu !== undefined || q.memory !== undefined;
}

/** `$$` -> `$` (so `$${` -> `${`), for values the workload does not expand again. */
function unescape(text: string): string {
  return parsePlaceholders(text).segments.map(s => s.literal ?? `\${${s.reference!.join('.')}}`).join('');
}
