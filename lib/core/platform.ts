import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as cdk8s from 'cdk8s';
import { App as TerraformApp, Manifest, TerraformStack } from 'cdktf';
import { captureStackTrace as cdktfCaptureStackTrace } from 'cdktf/lib/tokens/private/stack-trace';
import { Construct, IConstruct } from 'constructs';
import { checkArguments, checkedScope } from './api-guard';
import { ChartRenderer } from './chart-renderer';
import { PavedError, describe, invalid } from './errors';
import { Journal, Lookup, LookupKey } from './lookup';
import { BOOKKEEPING } from './output-folder';
import { publish } from './publisher';
import { Report, ReportDecision } from './report';
import { SizeCatalogue } from './size';
import { synthesizeStacks } from './stack-synthesis';
import { toYaml } from './yaml-writer';

/** Properties of a {@link Platform}. */
export interface PlatformProps {
  /**
   * Folder the outputs are written to: `cdktf.out/`, `k8s/`, `report.md`.
   * Under the cdktf CLI (`cdktf synth`, which passes its output folder in
   * `CDKTF_OUTDIR`), the Terraform JSON goes where cdktf reads it and the
   * other outputs beside it: the output folder is then the parent of
   * `CDKTF_OUTDIR`, whatever is given here.
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
  /** Folder of the Terraform JSON (cdktf's layout), relative to `outdir`: `cdktf.out`, or the folder the cdktf CLI names. */
  readonly terraformFolder: string;
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
  /** Every file of the output, relative to `outdir`, sorted. */
  readonly files: string[];
  /** The files that were new or changed (the others were left untouched, time stamps included). */
  readonly changedFiles: string[];
  /** Files an earlier synth wrote and this one no longer writes, which were deleted. */
  readonly removedFiles: string[];
  /** Seconds spent publishing the output into `outdir` (locking, comparing, moving, deleting), part of the synth. */
  readonly publishSeconds: number;
  /** The warnings of {@link Platform.warn}, each `<construct path>: <message>`; also listed in the report. */
  readonly warnings: string[];
}

/**
 * A top-level output of the platform besides Terraform, Kubernetes and the
 * report (e.g. Argo CD applications in `argocd/`, a service catalog),
 * written at synth and published with the others (see {@link Platform.addOutput}).
 */
export interface IPlatformOutput {
  /**
   * Writes the output at `target`: a folder (with any files below it) or a
   * single file, at exactly that path and nowhere else. Called once per
   * synth, after validation; throwing fails the synth with nothing written.
   *
   * @param target absolute path of the output in the staging folder (`<staging>/<name>`)
   */
  write(target: string): void;
}

/**
 * A section of `report.md` added by a higher layer (a cost estimate, a
 * catalog summary), rendered at each synth after validation (see
 * {@link Platform.addReportSection}).
 */
export interface IReportSection {
  /**
   * The section's Markdown, without its heading: tables, lists, text.
   * Called once per synth, after validation and after the outputs added
   * with `addOutput` were written; throwing fails the synth with nothing written.
   */
  render(): string;
}

/** Name of the Terraform folder inside the output folder, unless the cdktf CLI names another. */
const TERRAFORM_FOLDER = 'cdktf.out';

/** The folders of the Kubernetes tree (one per output, environment and tenant), by path. */
const CHART_FOLDERS = new LookupKey<Construct>('chart-folders');
/** Marks the roots of a platform's trees with the platform (cdktf and cdk8s create the roots). */
const PLATFORM = Symbol.for('paved.Platform');
/** The Terraform stack names taken, each with what the stack is (`environment dev`), for error messages. */
const STACK_NAMES = new LookupKey<string>('stack-names');
/** The Kubernetes objects of paved's workload constructs, by output folder, namespace, kind and name. */
const KUBERNETES_NAMES = new LookupKey<IConstruct>('kubernetes-names');
const K8S_OUTPUT = 'k8s';
let skipTokenStackTraces = false;
let stackTracePatchInstalled = false;
/** Where the cdktf Apps are told to write; paved synthesizes their stacks into its staging folder instead. */
let appScratch: string | undefined;

/**
 * The root of a paved platform.
 *
 * A platform owns one cdktf App (Terraform JSON, one stack per environment)
 * and one cdk8s App (Kubernetes YAML), and writes both, plus a report, with
 * `synth()`. Synthesis validates every construct of both trees first and
 * writes nothing when any validation fails: the outputs are built in a
 * staging folder and published into `outdir` only when complete, under a
 * lock, touching only the files paved writes (see `synth()`).
 */
export class Platform extends Construct {
  /** The platform `scope` belongs to, from either tree. */
  public static of(scope: IConstruct): Platform {
    checkArguments('Platform.of', arguments);
    const platform = platformOf(scope);
    if (!platform) {
      throw new PavedError(describe(scope), 'scope', 'is not inside a paved Platform; create environments with new Environment(platform, ...)');
    }
    return platform;
  }

  /** Folder the outputs are written to (absolute). */
  public readonly outdir: string;
  /** Folder of the Terraform JSON inside `outdir`: `cdktf.out`, or the folder the cdktf CLI names in `CDKTF_OUTDIR`. */
  public readonly terraformFolder: string;
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

  private readonly outputs = new Map<string, IPlatformOutput>();
  private readonly reportSections = new Map<string, IReportSection>();
  private readonly stateBuckets = new Map<string, { holder?: TerraformStack; users: TerraformStack[] }>();
  private readonly charts = new Map<string, cdk8s.Chart>();
  private readonly chartFiles = new Map<cdk8s.Chart, string>();
  private readonly decisionList: ReportDecision[] = [];
  private readonly warningList: string[] = [];
  private readonly renderer: ChartRenderer;

  constructor(props: PlatformProps = {}) {
    super(checkedScope(undefined as any, 'Platform', arguments), '');
    if (props.outdir !== undefined && (typeof props.outdir !== 'string' || props.outdir.length === 0)) {
      throw invalid('Platform', 'outdir', props.outdir, 'the path of a folder');
    }
    const terraformDir = terraformDirectory(props.outdir ?? 'out');
    this.outdir = path.dirname(terraformDir);
    this.terraformFolder = path.basename(terraformDir);
    this.sizes = props.sizes ?? SizeCatalogue.defaults();
    skipTokenStackTraces = props.tokenStackTraces !== true;
    installStackTracePatch();
    // cdktf's own stack traces in resource metadata: same cost, never read.
    // The App creates its outdir at once; nothing is ever written there (see synthesizeTerraform).
    this.terraform = new TerraformApp({ outdir: scratchForApps(), stackTraces: false, skipValidation: true });
    this.kubernetes = new cdk8s.App({ outdir: path.join(this.outdir, 'k8s') });
    this.renderer = new ChartRenderer(this.kubernetes);
    for (const root of [this, this.terraform, this.kubernetes]) {
      Object.defineProperty(root, PLATFORM, { value: this });
    }
  }

  /**
   * The chart that holds the Kubernetes objects of one manifest file,
   * `<output>/<segments joined by '/'>.k8s.yaml`, created on first use.
   *
   * @param segments e.g. `['prod', 'shop', 'orders']`; each a DNS label
   * @param namespace namespace of the chart's objects
   * @param output the top-level output folder: `k8s` (the default) for what runs in the clusters, `argocd` for the Argo CD objects that deliver it
   */
  public chart(segments: string[], namespace?: string, output: string = K8S_OUTPUT): cdk8s.Chart {
    const key = `${output}/${segments.join('/')}`;
    const existing = this.charts.get(key);
    if (existing) { return existing; }
    const taken = RESERVED.includes(output) || output === this.terraformFolder || this.outputs.has(output);
    if (output !== K8S_OUTPUT && (!OUTPUT_NAME.test(output) || taken)) {
      throw invalid('Platform', 'chart output', output,
        `"${K8S_OUTPUT}" or a folder name of lowercase letters, digits, ".", "-" and "_" that no other output uses`);
    }
    // Other outputs get a subtree of their own, named so that no environment name can take it.
    let scope: Construct = output === K8S_OUTPUT ? this.kubernetes : this.chartFolder(this.kubernetes, `Output-${output}`);
    for (const segment of segments.slice(0, -1)) {
      scope = this.chartFolder(scope, segment);
    }
    const chart = new cdk8s.Chart(scope, segments[segments.length - 1], {
      namespace,
      disableResourceNameHashes: true,
    });
    this.charts.set(key, chart);
    this.chartFiles.set(chart, `${key}.k8s.yaml`);
    const parent = scope;
    this._journal.record(() => {
      this.charts.delete(key);
      this.chartFiles.delete(chart);
      parent.node.tryRemoveChild(chart.node.id);
    });
    return chart;
  }

  /**
   * The charts made so far with {@link chart}, each with its file path
   * relative to `outdir` and its segments, in the order they were made.
   * @internal
   */
  public _charts(): { chart: cdk8s.Chart; file: string; output: string; segments: string[] }[] {
    return [...this.chartFiles].map(([chart, file]) => {
      const [output, ...rest] = file.slice(0, -'.k8s.yaml'.length).split('/');
      return { chart, file, output, segments: rest };
    });
  }

  /**
   * The Kubernetes objects of each of `charts` (charts of this platform's
   * cdk8s App), in order, each list as `Chart.toJson()` gives it. Use it
   * instead of `toJson()`, which prepares and validates the whole App on
   * every call: the App is prepared once for all of `charts`, and during
   * validation and synthesis each chart is rendered once for every reader
   * while the tree does not grow. The objects are shared: read them, never
   * change them. Validation is `validate()`'s (and `synth()`'s) job.
   * @internal
   */
  public _render(charts: readonly cdk8s.Chart[]): any[][] {
    return this.renderer.render(charts);
  }

  /**
   * Stands for the current span of validation or synthesis, in which
   * Kubernetes objects do not change (see `_render`): a value derived from
   * objects may be kept for as long as this returns the same object. Undefined
   * outside such a span: compute afresh.
   * @internal
   */
  public _renderSpan(): object | undefined {
    return this.renderer.currentSpan;
  }

  /**
   * Adds a top-level output, `<outdir>/<name>`, written by `output` at each
   * synth and published like the built-in ones: under the lock, only paved's
   * files replaced or deleted, every file old or new.
   *
   * @param name a file or folder name: lowercase letters, digits, dots,
   * dashes and underscores, not `k8s`, `report.md`, `.paved`, the Terraform
   * folder or a name added before
   * @param output what writes it
   */
  public addOutput(name: string, output: IPlatformOutput): void {
    const taken = [...new Set([...RESERVED, this.terraformFolder, ...this.chartOutputs(), ...this.outputs.keys()])];
    if (typeof name !== 'string' || !OUTPUT_NAME.test(name) || taken.includes(name)) {
      throw invalid('Platform', 'addOutput name', name,
        `a file or folder name of lowercase letters, digits, ".", "-" and "_", not one in use (${taken.join(', ')})`);
    }
    if (typeof output?.write !== 'function') {
      throw invalid('Platform', `addOutput ${name}`, output, 'an object with a write(target) method');
    }
    this.outputs.set(name, output);
  }

  /**
   * Adds a section to `report.md`, after the Kubernetes manifests and
   * before the defaults chosen, headed `## <title>`; sections appear in the
   * order added.
   *
   * @param title the section's heading: one line of text, not one in use
   * @param section what renders its Markdown at synth
   */
  public addReportSection(title: string, section: IReportSection): void {
    if (typeof title !== 'string' || !/^[^\r\n#]{1,100}$/.test(title) || title.trim() !== title || this.reportSections.has(title)) {
      throw invalid('Platform', 'addReportSection title', title,
        `one line of 1-100 characters without "#", not a title in use (${[...this.reportSections.keys()].join(', ') || 'none yet'})`);
    }
    if (typeof section?.render !== 'function') {
      throw invalid('Platform', `addReportSection ${title}`, section, 'an object with a render() method');
    }
    this.reportSections.set(title, section);
    this._journal.record(() => { this.reportSections.delete(title); });
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
    this.decisionList.push({ path: describe(scope), property, value, source });
    this._journal.record(() => { this.decisionList.pop(); });
  }

  /**
   * `recordDefault` for a value known only at synth: `value` and `source`
   * are read when the report is written.
   * @internal
   */
  public _recordDerived(scope: IConstruct, property: string, value: () => string, source: () => string): void {
    this.decisionList.push({
      path: describe(scope),
      property,
      get value() { return value(); },
      get source() { return source(); },
    });
    this._journal.record(() => { this.decisionList.pop(); });
  }

  /**
   * Claims the Terraform stack name `name` for a stack about to be made, or
   * fails naming the stack that has it. Every stack of the platform (an
   * environment's foundation `<env>`, a tenant's `<env>-<tenant>`, a
   * cluster's bootstrap `bootstrap-<cluster>`, any stack made by hand) is a
   * folder `stacks/<name>/` and a state of its own, and the names come from
   * different places, so they are checked here, in one place. The same
   * `holder` may claim its name again until the stack is made.
   *
   * @param name the stack name
   * @param holder what the stack is, e.g. `environment dev`; names the stack in errors
   * @param scope, property, value what the error is about (the property that chose the name)
   * @param noun what `property` should be, e.g. `a tenant`
   * @internal
   */
  public _claimStackName(name: string, holder: string, scope: string | IConstruct, property: string, value: unknown, noun: string): void {
    const claimed = this._lookup.get(STACK_NAMES, name);
    // The same holder may claim again until its stack is made (GitOps claims for its bootstrap stacks first).
    let taken = claimed === holder ? undefined : claimed;
    if (this.terraform.node.tryFindChild(name) !== undefined) { taken = claimed ?? `stack ${name}`; }
    if (taken !== undefined) {
      throw invalid(scope, property, value, `${noun} whose stack name "${name}" is free: ${taken} has it `
        + '(each Terraform stack of the platform needs a name of its own: <env>, <env>-<tenant>, bootstrap-<cluster>)');
    }
    this._lookup.set(STACK_NAMES, name, holder);
  }

  /**
   * Claims the name of a Kubernetes object that `owner` writes into
   * `chart`, among the objects of its kind and namespace in the same
   * environment's folder (`k8s/<env>/`, where one cluster's objects are):
   * two Deployments (or ServiceAccounts, ...) named alike in one namespace
   * would overwrite each other on the cluster. Returns the construct that
   * holds the name already, if any; claims nothing for a chart that is not
   * one of the platform's.
   *
   * @param apiVersion and kind: what the object is, e.g. `apps/v1` and `Deployment`
   * @internal
   */
  public _claimKubernetesName(chart: cdk8s.Chart, owner: IConstruct, apiVersion: string, kind: string, name: string): IConstruct | undefined {
    const file = this.chartFiles.get(chart);
    if (file === undefined) { return undefined; }
    const [output, environment] = file.split('/');
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    return this._lookup.claim(KUBERNETES_NAMES, `${output}/${environment}|${chart.namespace ?? ''}|${group}/${kind}|${name}`, owner);
  }

  /**
   * Records that `stack` keeps its Terraform state in S3 bucket `bucket`:
   * once the stack that creates the bucket is known, `stack` depends on it.
   * @internal
   */
  public _useStateBucket(stack: TerraformStack, bucket: string): void {
    const entry = this.stateBucket(bucket);
    entry.users.push(stack);
    // A stack made for a declaration that is rolled back (a tenant's) leaves the list again.
    this._journal.record(() => { entry.users.splice(entry.users.lastIndexOf(stack), 1); });
    if (entry.holder && entry.holder !== stack) { stack.addDependency(entry.holder); }
  }

  /**
   * Records that `stack` creates the state bucket `bucket`: every stack
   * whose state is in it depends on `stack`.
   * @internal
   */
  public _holdStateBucket(stack: TerraformStack, bucket: string): void {
    const entry = this.stateBucket(bucket);
    entry.holder = stack;
    entry.users.filter(user => user !== stack).forEach(user => user.addDependency(stack));
  }

  /**
   * Records a warning: something paved accepts but a reviewer should see,
   * e.g. a secret-looking literal in a DEV environment. Warnings are listed
   * first in `report.md`, returned by `synth()` and printed by the `paved`
   * command; they never stop synthesis (a construct that must stop it
   * throws instead). A warning given twice is kept once.
   *
   * @param scope the construct the warning is about
   * @param message what is wrong and how to fix or acknowledge it
   */
  public warn(scope: IConstruct, message: string): void {
    const warning = `${describe(scope)}: ${message}`;
    if (this.warningList.includes(warning)) { return; }
    this.warningList.push(warning);
    // A declaration rolled back (a Score workload the loader gave up on) leaves no warning behind.
    this._journal.record(() => { this.warningList.splice(this.warningList.lastIndexOf(warning), 1); });
  }

  /** The values profiles, sizes and defaults chose so far (overrides included), as the report lists them, in the order recorded. */
  public get decisions(): ReportDecision[] {
    return this.decisionList.map(d => ({ ...d }));
  }

  /** The warnings recorded so far, each `<construct path>: <message>`, in the order given. */
  public get warnings(): string[] {
    return [...this.warningList];
  }

  /** Validation errors of every construct in both trees, each prefixed with its path. */
  public validate(): string[] {
    // Checks that read Kubernetes objects (GitOps's, the Portal's) share one rendering of each chart.
    return this.renderer.remembering(() => {
      const errors: string[] = [];
      for (const root of [this as IConstruct, this.terraform, this.kubernetes]) {
        for (const construct of root.node.findAll()) {
          for (const message of construct.node.validate()) {
            errors.push(`${describe(construct)}: ${message}`);
          }
        }
      }
      return errors;
    });
  }

  /**
   * Validates both trees, then writes `cdktf.out/` (Terraform JSON in
   * cdktf's layout, with stack dependencies in `manifest.json`), `k8s/`
   * (one YAML file per chart), the outputs added with `addOutput` and
   * `report.md` to `outdir`. Writes nothing when validation or synthesis fails.
   *
   * Publishing is safe to repeat in the same folder and to interrupt:
   *
   * - paved replaces and deletes only files it wrote (it lists them in
   *   `.paved/owned.json`): Terraform state, `.terraform/`,
   *   `.terraform.lock.hcl` and hand-written files stay wherever they are,
   *   stack folders included. A file in the way of one paved writes stops
   *   the synth before anything changed.
   * - A lock (`.paved/lock`) makes a second synth into the same folder fail
   *   at once; a lock left by a process that no longer runs is taken over.
   * - The outputs are built in a staging folder inside `.paved/` and moved
   *   into place file by file, each with one rename, after a journal was
   *   written: a reader sees every file old or new, whole, and a run killed
   *   part-way is completed by the next one. Unchanged files are not touched.
   */
  public synth(): SynthResult {
    const errors = this.validate();
    if (errors.length > 0) {
      throw new PavedError('Platform', 'synth', `${errors.length} construct(s) are invalid, nothing was written:\n  ${errors.join('\n  ')}`);
    }
    // Rendered afresh after validation (which may add objects, e.g. GitOps's Applications), then
    // shared with the outputs and report sections that read the objects (the Portal's model).
    return this.renderer.remembering(() => this.synthValidated());
  }

  private synthValidated(): SynthResult {
    const charts = this.renderKubernetes();
    let report: Report | undefined;
    const published = publish(this.outdir, staging => {
      const terraformDir = path.join(staging, this.terraformFolder);
      this.synthesizeTerraform(terraformDir);
      for (const chart of charts) {
        const target = path.join(staging, chart.file);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.writeFileSync(target, chart.objects.map(toYaml).join('---\n'));
      }
      for (const [name, output] of this.outputs) { output.write(path.join(staging, name)); }
      const chartOutputs = this.chartOutputs();
      const unexpected = fs.readdirSync(staging).filter(e => !this.outputs.has(e) && !chartOutputs.has(e) && e !== this.terraformFolder);
      if (unexpected.length > 0) {
        throw new Error(`an output added with addOutput wrote ${unexpected.join(', ')} outside its own path`);
      }
      const sections = [...this.reportSections].map(([title, section]) => ({ title, markdown: section.render() }));
      report = new Report({
        terraformDir, manifests: charts, stagingDir: staging, decisions: this.decisionList, warnings: this.warningList, sections,
      });
      fs.writeFileSync(path.join(staging, REPORT), report.render());
    }, { adoptable: (file, absolute) => this.isEarlierOutput(file, absolute) });
    return {
      outdir: this.outdir,
      terraformFolder: this.terraformFolder,
      stacks: report!.stacks.map(s => s.name),
      terraformResources: report!.stacks.reduce((n, s) => n + s.resources, 0),
      manifests: charts.map(m => m.file),
      kubernetesObjects: charts.reduce((n, m) => n + m.objects.length, 0),
      report: REPORT,
      files: published.files,
      changedFiles: [...published.changed].sort(),
      removedFiles: published.removed,
      publishSeconds: published.seconds,
      warnings: this.warnings,
    };
  }

  /** The top-level folders the charts write to (`k8s` and those named in {@link chart}). */
  private chartOutputs(): Set<string> {
    return new Set([...this.chartFiles.values()].map(file => file.split('/')[0]));
  }

  /** The folder `id` below `parent` of the Kubernetes tree, created on first use (and removed on rollback). */
  private chartFolder(parent: Construct, id: string): Construct {
    return this._lookup.singleton(CHART_FOLDERS, `${parent.node.path}/${id}`, () => new Construct(parent, id));
  }

  private stateBucket(bucket: string): { holder?: TerraformStack; users: TerraformStack[] } {
    let entry = this.stateBuckets.get(bucket);
    if (!entry) {
      entry = { users: [] };
      this.stateBuckets.set(bucket, entry);
    }
    return entry;
  }

  /**
   * Writes every stack of the cdktf App to `dir`, as `App.synth()` would
   * into the App's own outdir (which stays empty), resolving paved's
   * stacks faster (stack-synthesis.ts).
   */
  private synthesizeTerraform(dir: string): void {
    fs.mkdirSync(dir);
    const manifest = new Manifest(this.terraform.manifest.version, dir, false);
    const session = { outdir: dir, manifest, skipValidation: true };
    const stacks = this.terraform.node.findAll().filter(TerraformStack.isStack);
    synthesizeStacks(stacks, session);
    manifest.writeToFile();
  }

  /**
   * Whether a file of an output folder without `.paved/owned.json` was
   * written by a paved version that kept no such list: those replaced the
   * Terraform folder and `k8s/` whole, and wrote `report.md`.
   */
  private isEarlierOutput(file: string, absolute: string): boolean {
    if (file.startsWith(`${this.terraformFolder}/`) || /^k8s\/.+\.k8s\.yaml$/.test(file)) { return true; }
    return file === REPORT && fs.readFileSync(absolute, 'utf8').startsWith(REPORT_TITLE);
  }

  /**
   * The objects of every non-empty chart. Fails when an object holds a
   * Terraform token: YAML is applied by Argo CD, never by Terraform, so a
   * value known only after `terraform apply` must travel through a secret.
   */
  private renderKubernetes(): { file: string; objects: any[] }[] {
    const charts: { file: string; objects: any[] }[] = [];
    const leaks: string[] = [];
    const files = [...this.chartFiles];
    const rendered = this._render(files.map(([chart]) => chart));
    for (const [i, [, file]] of files.entries()) {
      const objects = rendered[i];
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
}

/**
 * The platform `scope` belongs to, if any.
 * @internal
 */
export function platformOf(scope: IConstruct): Platform | undefined {
  return (scope.node.root as any)[PLATFORM] as Platform | undefined;
}

const REPORT = 'report.md';
const REPORT_TITLE = '# paved synth report';
/** Names the Terraform folder and added outputs cannot take: the other outputs and paved's own folder. */
const RESERVED = ['k8s', REPORT, BOOKKEEPING];
const OUTPUT_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/**
 * The Terraform folder: `CDKTF_OUTDIR` when the cdktf CLI runs the program
 * (it reads the stacks there), else `cdktf.out` in the output folder.
 */
function terraformDirectory(outdir: string): string {
  const fromCdktf = process.env.CDKTF_OUTDIR;
  if (!fromCdktf) { return path.join(path.resolve(outdir), TERRAFORM_FOLDER); }
  const dir = path.resolve(fromCdktf);
  const name = path.basename(dir);
  if (dir === path.dirname(dir) || RESERVED.includes(name)) {
    throw invalid('Platform', 'CDKTF_OUTDIR', fromCdktf,
      `a folder whose parent holds the other outputs, named other than ${RESERVED.join(', ')} (set "output" in cdktf.json, e.g. "cdktf.out")`);
  }
  return dir;
}

/** One empty folder per process for the cdktf Apps to create, removed on exit. */
function scratchForApps(): string {
  if (appScratch === undefined) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-cdktf-'));
    appScratch = dir;
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  return appScratch;
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
