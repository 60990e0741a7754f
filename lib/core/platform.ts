import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk8s from 'cdk8s';
import { App as TerraformApp } from 'cdktf';
import { captureStackTrace as cdktfCaptureStackTrace } from 'cdktf/lib/tokens/private/stack-trace';
import { Construct, IConstruct } from 'constructs';
import * as YAML from 'yaml';
import { PavedError, describe } from './errors';
import { Journal, Lookup, LookupKey } from './lookup';
import { Report, ReportDecision } from './report';
import { SizeCatalogue } from './size';

/** Properties of a {@link Platform}. */
export interface PlatformProps {
  /**
   * Folder the outputs are written to.
   * @default 'out'
   */
  readonly outdir?: string;
  /**
   * The sizes workloads and resources can ask for.
   * @default SizeCatalogue.defaults() — S, M, L, XL
   */
  readonly sizes?: SizeCatalogue;
  /**
   * Record where each Terraform token was created. cdktf captures a full
   * stack trace for every token (every resource attribute reference), which
   * roughly doubles construction time and is only read in cdktf's own error
   * messages about unresolvable tokens. Turn on to debug such an error.
   * The setting is process-wide: the platform created last decides.
   * @default false
   */
  readonly tokenStackTraces?: boolean;
}

/** What {@link Platform.synth} wrote. */
export interface SynthResult {
  /** Absolute path of the output folder. */
  readonly outdir: string;
  /** Terraform stack names. */
  readonly stacks: string[];
  /** Terraform resources across all stacks. */
  readonly terraformResources: number;
  /** Kubernetes manifest files, relative to `outdir`. */
  readonly manifests: string[];
  /** Kubernetes objects across all manifests. */
  readonly kubernetesObjects: number;
  /** Path of the report, relative to `outdir`. */
  readonly report: string;
}

/** The folders of the Kubernetes tree, one per environment and tenant, by path. */
const CHART_FOLDERS = new LookupKey<Construct>('chart-folders');
/** Marks the roots of a platform's trees with the platform (cdktf and cdk8s create the roots). */
const PLATFORM = Symbol.for('paved.Platform');
let skipTokenStackTraces = false;
let stackTracePatchInstalled = false;
const STAGING_DIRS = new Set<string>();
let cleanupRegistered = false;

/**
 * The root of a paved platform.
 *
 * A platform owns one cdktf App (Terraform JSON, one stack per environment)
 * and one cdk8s App (Kubernetes YAML), and writes both, plus a report, with
 * `synth()`. Synthesis validates every construct of both trees first and
 * writes nothing when any validation fails: the outputs are built in a
 * staging folder and moved into `outdir` only when complete.
 */
export class Platform extends Construct {
  /** The platform `scope` belongs to, from either tree. */
  public static of(scope: IConstruct): Platform {
    const platform = (scope.node.root as any)[PLATFORM] as Platform | undefined;
    if (!platform) {
      throw new PavedError(describe(scope), 'scope', 'is not inside a paved Platform; create environments with new Environment(platform, ...)');
    }
    return platform;
  }

  /** Folder the outputs are written to (absolute). */
  public readonly outdir: string;
  /** The sizes on offer. */
  public readonly sizes: SizeCatalogue;
  /** The cdktf App: the root of the Terraform tree. */
  public readonly terraform: TerraformApp;
  /** The cdk8s App: the root of the Kubernetes tree. */
  public readonly kubernetes: cdk8s.App;
  /**
   * Undo actions of the declarations under way, shared by the platform's lookups.
   * @internal
   */
  public readonly _journal = new Journal();
  /**
   * What spans environments: the provisioners, the networks (their ranges must not overlap).
   * @internal
   */
  public readonly _lookup = new Lookup(this._journal);

  private readonly staging: string;
  private readonly charts = new Map<string, cdk8s.Chart>();
  private readonly chartFiles = new Map<cdk8s.Chart, string>();
  private readonly decisions: ReportDecision[] = [];

  constructor(props: PlatformProps = {}) {
    super(undefined as any, '');
    this.outdir = path.resolve(props.outdir ?? 'out');
    this.sizes = props.sizes ?? SizeCatalogue.defaults();
    // cdktf creates its outdir at once; keep it out of `outdir` until synth succeeds.
    this.staging = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-'));
    trackStaging(this.staging);
    skipTokenStackTraces = props.tokenStackTraces !== true;
    installStackTracePatch();
    // cdktf's own stack traces in resource metadata: same cost, never read.
    this.terraform = new TerraformApp({ outdir: path.join(this.staging, 'cdktf.out'), stackTraces: false, skipValidation: true });
    this.kubernetes = new cdk8s.App({ outdir: path.join(this.staging, 'k8s') });
    for (const root of [this, this.terraform, this.kubernetes]) {
      Object.defineProperty(root, PLATFORM, { value: this });
    }
  }

  /**
   * The chart that holds the Kubernetes objects of one manifest file,
   * `k8s/<segments joined by '/'>.k8s.yaml`, created on first use.
   *
   * @param segments e.g. `['prod', 'shop', 'orders']`; each a DNS label
   * @param namespace namespace of the chart's objects
   */
  public chart(segments: string[], namespace?: string): cdk8s.Chart {
    const key = segments.join('/');
    const existing = this.charts.get(key);
    if (existing) { return existing; }
    let scope: Construct = this.kubernetes;
    for (const segment of segments.slice(0, -1)) {
      const parent = scope;
      scope = this._lookup.singleton(CHART_FOLDERS, `${parent.node.path}/${segment}`, () => new Construct(parent, segment));
    }
    const chart = new cdk8s.Chart(scope, segments[segments.length - 1], {
      namespace,
      disableResourceNameHashes: true,
    });
    this.charts.set(key, chart);
    this.chartFiles.set(chart, `k8s/${key}.k8s.yaml`);
    this._journal.record(() => {
      this.charts.delete(key);
      this.chartFiles.delete(chart);
      scope.node.tryRemoveChild(chart.node.id);
    });
    return chart;
  }

  /**
   * Records a value a profile, size or paved default chose for a construct,
   * so the report shows it.
   *
   * @param scope the construct the value applies to
   * @param property the property, e.g. `multiAz`
   * @param value the value, as text
   * @param source where it came from, e.g. `profile prod` or `size M`
   */
  public recordDefault(scope: IConstruct, property: string, value: string, source: string): void {
    this.decisions.push({ path: describe(scope), property, value, source });
    this._journal.record(() => { this.decisions.pop(); });
  }

  /** Validation errors of every construct in both trees, each prefixed with its path. */
  public validate(): string[] {
    const errors: string[] = [];
    for (const root of [this as IConstruct, this.terraform, this.kubernetes]) {
      for (const construct of root.node.findAll()) {
        for (const message of construct.node.validate()) {
          errors.push(`${describe(construct)}: ${message}`);
        }
      }
    }
    return errors;
  }

  /**
   * Validates both trees, then writes `cdktf.out/` (Terraform JSON in
   * cdktf's layout), `k8s/` (one YAML file per chart) and `report.md` to
   * `outdir`. Writes nothing when validation or synthesis fails.
   */
  public synth(): SynthResult {
    const errors = this.validate();
    if (errors.length > 0) {
      throw new PavedError('Platform', 'synth', `${errors.length} construct(s) are invalid, nothing was written:\n  ${errors.join('\n  ')}`);
    }
    const charts = this.renderKubernetes();
    fs.rmSync(this.staging, { recursive: true, force: true });
    // cdktf creates these folders once, in its constructor; synth may run again.
    fs.mkdirSync(path.join(this.staging, 'cdktf.out', 'stacks'), { recursive: true });
    try {
      this.terraform.synth();
      for (const chart of charts) {
        const target = path.join(this.staging, chart.file);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, chart.objects.map(o => YAML.stringify(o, { lineWidth: 0 })).join('---\n'));
      }
      const report = new Report({
        terraformDir: path.join(this.staging, 'cdktf.out'),
        manifests: charts,
        stagingDir: this.staging,
        decisions: this.decisions,
      });
      fs.writeFileSync(path.join(this.staging, 'report.md'), report.render());
      this.publish();
      return {
        outdir: this.outdir,
        stacks: report.stacks.map(s => s.name),
        terraformResources: report.stacks.reduce((n, s) => n + s.resources, 0),
        manifests: charts.map(m => m.file),
        kubernetesObjects: charts.reduce((n, m) => n + m.objects.length, 0),
        report: 'report.md',
      };
    } catch (e) {
      fs.rmSync(this.staging, { recursive: true, force: true });
      throw e;
    }
  }

  /**
   * The objects of every non-empty chart. Fails when an object holds a
   * Terraform token: YAML is applied by Argo CD, never by Terraform, so a
   * value known only after `terraform apply` must travel through a secret.
   */
  private renderKubernetes(): { file: string; objects: any[] }[] {
    const charts: { file: string; objects: any[] }[] = [];
    const leaks: string[] = [];
    for (const [chart, file] of this.chartFiles) {
      const objects = chart.toJson();
      for (const o of objects) {
        const match = JSON.stringify(o).match(/\$\{TfToken\[[^\]]*\]\}/);
        if (match) { leaks.push(`${file}: ${o.kind} ${o.metadata?.name}: ${match[0]}`); }
      }
      if (objects.length > 0) { charts.push({ file, objects }); }
    }
    if (leaks.length > 0) {
      throw new PavedError('Platform', 'synth',
        `Kubernetes objects hold Terraform tokens, which YAML cannot resolve; nothing was written:\n  ${leaks.join('\n  ')}`);
    }
    return charts;
  }

  /** Moves each top-level output from staging into `outdir`, replacing what was there. */
  private publish(): void {
    fs.mkdirSync(this.outdir, { recursive: true });
    for (const entry of fs.readdirSync(this.staging)) {
      const target = path.join(this.outdir, entry);
      fs.rmSync(target, { recursive: true, force: true });
      try {
        fs.renameSync(path.join(this.staging, entry), target);
      } catch (e: any) {
        if (e.code !== 'EXDEV') { throw e; }
        fs.cpSync(path.join(this.staging, entry), target, { recursive: true });
      }
    }
    fs.rmSync(this.staging, { recursive: true, force: true });
  }
}

function trackStaging(dir: string): void {
  STAGING_DIRS.add(dir);
  if (!cleanupRegistered) {
    cleanupRegistered = true;
    process.on('exit', () => {
      for (const d of STAGING_DIRS) { fs.rmSync(d, { recursive: true, force: true }); }
    });
  }
}

/**
 * Lets cdktf's token stack-trace capture return nothing while
 * `skipTokenStackTraces` is set. Only calls made by cdktf's
 * `captureStackTrace` are affected; every other caller of
 * `Error.captureStackTrace` gets the original behaviour.
 */
function installStackTracePatch(): void {
  if (stackTracePatchInstalled) { return; }
  stackTracePatchInstalled = true;
  const original = Error.captureStackTrace;
  Error.captureStackTrace = function captureStackTrace(target: object, below?: Function): void {
    if (skipTokenStackTraces && below === cdktfCaptureStackTrace) { return; }
    original.call(Error, target, below);
  };
}
