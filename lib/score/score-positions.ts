import { ScoreAnnotations } from './score-annotations';
import type { ScoreDocument } from './score-document';
import { METRICS_PORT_NAME } from './score-metrics';
import { PavedError } from '../core/errors';

/**
 * How a Score document became a workload's props: enough to map a
 * property of the Workload (or of a construct it made) back to the field
 * of the document it came from.
 * @internal
 */
export interface ScoreOrigin {
  readonly doc: ScoreDocument;
  /** The main container; the others in the order of `containers` and `initContainers`. */
  readonly main: string;
  readonly sidecars: string[];
  readonly inits: string[];
  /** The service port that became the main port, and those that became `servicePorts`. */
  readonly mainPort?: string;
  readonly otherPorts: string[];
  /** The resource of type route, whose params became `host` and `path`. */
  readonly route?: string;
}

/**
 * The path in the Score document of the field a construct's error is
 * about: the error's property is a Workload property (`env.DB_PASSWORD`,
 * `containers[0].files[1].content`, `resources.db.size`), or, for a
 * construct a resource made (`<env>/<workload>/<resource>/...`), a property
 * of that resource. Undefined when the error names no field of the file
 * (e.g. the tenant, which the command line gives).
 *
 * @param workloadPath the workload's construct path
 * @internal
 */
export function scorePathOf(origin: ScoreOrigin, workloadPath: string, error: PavedError): (string | number)[] | undefined {
  const resources = origin.doc.resources.map(r => r.name);
  const below = error.constructPath.startsWith(`${workloadPath}/`) ? error.constructPath.slice(workloadPath.length + 1).split('/') : [];
  if (below.length > 0 && resources.includes(below[0])) {
    return ['resources', below[0]];
  }
  const shared = /\/SharedResources\/([^/]+)/.exec(error.constructPath);
  if (shared) {
    const resource = origin.doc.resources.find(r => r.id !== undefined && `${r.type}-${r.id}` === shared[1]);
    if (resource) { return ['resources', resource.name]; }
  }
  const [first, second, ...rest] = segmentsOf(error.property);
  switch (first) {
    case 'name': return ['metadata', 'name'];
    case 'annotations': return ['metadata', 'annotations'];
    // Kind settings (and the CronJob's and Job's own properties) come from the paved.dev/ annotations.
    case 'kind': return ['metadata', 'annotations', second === 'scaling' ? ScoreAnnotations.SCALE_ON_QUEUE : ScoreAnnotations.KIND];
    case 'schedule': return ['metadata', 'annotations', ScoreAnnotations.SCHEDULE];
    case 'timeZone': return ['metadata', 'annotations', ScoreAnnotations.TIME_ZONE];
    case 'hook': return ['metadata', 'annotations', ScoreAnnotations.JOB_HOOK];
    case 'resources': {
      if (typeof second !== 'string' || !resources.includes(second)) { return ['resources']; }
      return ['resources', second, ...rest.map(s => (s === 'size' ? 'class' : s))];
    }
    case 'host':
    case 'path':
      return origin.route ? ['resources', origin.route, 'params', first] : undefined;
    case 'metrics':
      return origin.doc.annotations[ScoreAnnotations.METRICS_PORT] !== undefined
        ? ['metadata', 'annotations', ScoreAnnotations.METRICS_PORT] : ['service', 'ports', METRICS_PORT_NAME];
    case 'port':
    case 'servicePort':
      return ['service', 'ports', ...(origin.mainPort ? [origin.mainPort] : [])];
    case 'servicePorts': {
      const name = typeof second === 'number' ? origin.otherPorts[second] : undefined;
      return ['service', 'ports', ...(name ? [name, ...rest] : [])];
    }
    case 'additionalPorts': return ['service', 'ports'];
    case 'containers':
    case 'initContainers': {
      const names = first === 'containers' ? origin.sidecars : origin.inits;
      const name = typeof second === 'number' ? names[second] : undefined;
      return name ? inContainer(origin, name, rest) : ['containers'];
    }
    case undefined: return undefined;
    case 'tenant': return undefined;
    default: return inContainer(origin, origin.main, [first, ...(second !== undefined ? [second] : []), ...rest]);
  }
}

/** A property of one container (`env.X`, `files[1].content`, `image`) as a path of the Score document. */
function inContainer(origin: ScoreOrigin, name: string, property: (string | number)[]): (string | number)[] {
  const at = ['containers', name];
  const [key, next, ...rest] = property;
  switch (key) {
    case 'env': return [...at, 'variables', ...(next !== undefined ? [next] : [])];
    case 'files': {
      const file = typeof next === 'number' ? origin.doc.containers.find(c => c.name === name)?.files[next] : undefined;
      if (!file) { return [...at, 'files']; }
      return rest[0] === 'content' && file.source !== undefined ? [...file.at, 'source'] : [...file.at, ...rest];
    }
    case 'command':
    case 'args':
    case 'image':
    case 'livenessProbe':
    case 'readinessProbe':
      return [...at, key, ...(next !== undefined ? [next] : [])];
    case 'containerResources':
    case 'resources':
      return [...at, 'resources'];
    case 'volumes':
    case 'volumeMounts':
      return [...at, 'volumes'];
    default:
      return at;
  }
}

/** `containers[0].env.X` -> containers, 0, env, X. */
function segmentsOf(property: string): (string | number)[] {
  return [...property.matchAll(/([^.[\]\s]+)|\[(\d+)\]/g)].map(m => (m[2] !== undefined ? Number(m[2]) : m[1]));
}
