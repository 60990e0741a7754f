import { loadScoreWorkloads } from './score-loader';
import { Workload } from './workload';
import { Environment } from '../core/environment';
import { Size } from '../core/size';
/** Properties of {@link ScoreWorkloads.load}. */
export interface ScoreWorkloadsProps {
  /** Paths of the Score files (score.dev/v1b1), one workload each. `source` files are read relative to each. */
  readonly files: string[];
  /** The tenant (and namespace) of every workload. A DNS label of at most 30 characters. */
  readonly tenant: string;
  /**
   * Images replacing those of the Score files, by container name
   * (`web`) or by workload and container (`orders.web`, which wins). A
   * Score image `.` ("the image the pipeline builds") needs one.
   * @default - the images of the Score files
   */
  readonly images?: { [container: string]: string };
  /**
   * Resource classes besides the size names. A resource's `class` picks a
   * size of the platform's catalogue by name, case-insensitively (`class:
   * xl` is size `XL`; `small`, `medium`, `large` and `xlarge` name S, M, L
   * and XL, since a Score class has at least 2 characters), or one of
   * these; `default` picks none.
   * @default - only the size names
   */
  readonly classes?: { [className: string]: Size };
  /**
   * Capacity of every workload (Score has no workload size) and of
   * resources without a class.
   * @default Size.M
   */
  readonly size?: Size;
}

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
 *   work in variables, file contents (unless `noExpand`) and params; `$${`
 *   is a literal `${`. Secret outputs reach variables as secretKeyRefs and
 *   may not appear in files (which are kept in a ConfigMap).
 *
 * Every file is validated before anything is made, against the
 * specification and against what paved supports, and all problems are
 * reported at once in one error: each names the file, the line, the path
 * in the document (`containers.web.variables.DB_HOST`) and the rule.
 */
export class ScoreWorkloads {
  /**
   * Reads the Score files and declares their workloads in `env`.
   *
   * Fails with one error listing every problem of every file. Problems
   * found in the files leave the environment untouched; problems only the
   * constructs find (a provisioner's params, the sizes of a shared
   * resource) leave it with half-declared workloads: discard the platform
   * then, as the `paved` command does.
   */
  public static load(env: Environment, props: ScoreWorkloadsProps): ScoreWorkloads {
    return new ScoreWorkloads(loadScoreWorkloads(env, props).workloads);
  }

  /** The workloads, in the order of the files. */
  public readonly workloads: Workload[];

  private constructor(workloads: Workload[]) {
    this.workloads = workloads;
  }
}
