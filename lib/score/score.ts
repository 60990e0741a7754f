import { loadScoreWorkloads } from './score-loader';
import { ScoreWorkloadsProps } from './score-workloads-props';
import { checkArguments } from '../core/api-guard';
import { Environment } from '../core/environment';
import { Workload } from '../workload/workload';

/**
 * Workloads read from Score files (https://score.dev, `score.dev/v1b1`).
 *
 * Each file becomes one {@link Workload} of the environment, named after
 * `metadata.name`, in the given tenant:
 *
 * - the first container that is not an init container is the main one;
 *   the others run as sidecars, and a container that must `complete`
 *   `before` others runs as an init container;
 * - `service.ports`: the port a `route` names, else the first TCP port, is
 *   the web app's port (its `targetPort` the container's, its `port` the
 *   Service's); the others are further Service ports. Without ports, the
 *   port of the main container's HTTP probe is used;
 * - `variables`, `files` (content, binaryContent, source, mode, noExpand),
 *   `volumes`, `resources` (requests and limits) and probes (`exec` wins
 *   over `httpGet`, as the specification asks) map to the container;
 * - `resources`: each type with a provisioner on the platform (postgres,
 *   mysql, redis, queue, s3, dns, ...), plus `service` (another workload of the
 *   synth: `params.workload`, `params.port`), `route` (the host and path
 *   of the Ingress: `params.host`, `params.path`, `params.port`) and
 *   `volume` (an emptyDir, or an existing claim with `params.claimName`).
 *   `class` picks a size, `id` shares one resource between workloads,
 *   `params` go to the provisioner, `metadata.annotations` go on the
 *   resource's ExternalSecret;
 * - placeholders `${metadata.<key>...}` and `${resources.<name>.<output>}`
 *   work in variables, file contents (unless `noExpand`) and params; `$$`
 *   is a literal `$` (so `$${` is a literal `${`). Secret outputs reach
 *   variables as secretKeyRefs and may not appear in files (which are kept
 *   in a ConfigMap);
 * - `files[].source` is confined to the Score file's folder: a relative
 *   path without `..` that resolves (through symbolic links) inside it, to
 *   a regular UTF-8 text file of at most 1 MiB.
 *
 * Every file is validated before anything is made, against the
 * specification, against what paved supports and within input limits
 * (1 MiB, one document, nesting 32, 100 aliases, no YAML tags, unique keys,
 * texts of 128 KiB, counts of containers, resources, variables, files; see
 * the README), and all problems are reported at once in one error: each
 * names the file, the line, the path in the document
 * (`containers.web.variables.DB_HOST`) and the rule. Problems the
 * constructs find later carry the file, line and path of the field too.
 */
export class ScoreWorkloads {
  /**
   * Reads the Score files and declares their workloads in `env`.
   *
   * Fails with one error listing every problem of every file. Problems
   * found in the files leave the environment untouched. Problems only the
   * constructs find (a provisioner's params, the sizes of a shared
   * resource) are found workload by workload: a workload that fails is
   * rolled back entirely (its constructs in both trees, its names, grants
   * and rules on other workloads), the others are still declared and
   * checked, and the error lists every problem.
   */
  public static load(env: Environment, props: ScoreWorkloadsProps): ScoreWorkloads {
    checkArguments('ScoreWorkloads.load', arguments);
    return new ScoreWorkloads(loadScoreWorkloads(env, props).workloads);
  }

  /** The workloads, in the order of the files. */
  public readonly workloads: Workload[];

  private constructor(workloads: Workload[]) {
    this.workloads = workloads;
  }
}
