import * as cdk8s from 'cdk8s';
import { IConstruct } from 'constructs';

/*
 * `Chart.toJson()` infers the dependencies of the whole cdk8s App and runs
 * the validations of every construct of the App on each call, then renders
 * the one chart: rendering every chart that way is quadratic in the number
 * of charts (and runs every validation once per chart: a dashboard's size
 * check renders the dashboard each time). cdk8s's own `App.synth()` does the
 * same. The renderer below prepares the App once, renders each chart as
 * `toJson()` renders a prepared one, and leaves validation to
 * `Platform.validate()`, which runs every construct's validations once and
 * reports them as paved's error.
 */

/**
 * Renders the charts of one cdk8s App as `Chart.toJson()` does, preparing
 * the App (dependency inference) once for as long as the tree does not
 * change, and, inside {@link remembering}, rendering each chart once.
 *
 * The output equals `Chart.toJson()`'s (test/core/chart-renderer.test.ts
 * compares them); the steps follow cdk8s 2.70's `App._synthChart`, and
 * the test must be rerun on a cdk8s upgrade.
 * @internal
 */
export class ChartRenderer {
  /** The renders of the current {@link remembering} span, with the tree's stamp they belong to. */
  private remembered?: { stamp: number; objects: Map<cdk8s.Chart, any[]> };
  private depth = 0;
  /** Stands for the current {@link remembering} span while the tree does not change; undefined outside one. */
  private span?: object;
  /** The tree's stamp when its dependencies were last inferred. */
  private preparedStamp = -1;

  constructor(private readonly app: cdk8s.App) {}

  /**
   * Runs `fn`, remembering each chart's objects until it returns: a chart
   * rendered twice in it is rendered once, unless constructs or
   * dependencies were added to the App in between (which renders every
   * chart again). A construct that changes existing Kubernetes objects
   * in other ways (their props, a value a `Lazy` reads) must do so outside
   * such a span: the platform remembers renders during validation (for
   * the checks that read objects) and from the final render to the end of
   * `synth()` (for the outputs built from them).
   */
  public remembering<T>(fn: () => T): T {
    if (this.depth === 0) { this.span = {}; }
    this.depth++;
    try {
      return fn();
    } finally {
      this.depth--;
      if (this.depth === 0) {
        this.remembered = undefined;
        this.span = undefined;
      }
    }
  }

  /**
   * An object that stands for the current {@link remembering} span, for
   * readers that derive values from Kubernetes objects and keep them as
   * long as the renders are kept (a tenant's quota from its workloads'
   * objects): the same object until the span ends or a render finds the
   * tree changed; undefined outside a span, where nothing may be kept.
   */
  public get currentSpan(): object | undefined {
    return this.span;
  }

  /**
   * The objects of each of `charts`, in order, each list as `Chart.toJson()`
   * gives it: dependencies first, each object in its closest chart only.
   * The objects are shared with other readers of the same span: read them,
   * do not change them.
   */
  public render(charts: readonly cdk8s.Chart[]): any[][] {
    let stamp = treeStamp(this.app);
    if (stamp !== this.preparedStamp) {
      inferDependencies(this.app);
      // Inferring adds dependencies: the stamp of the prepared tree is taken after it.
      stamp = treeStamp(this.app);
      this.preparedStamp = stamp;
    }
    if (this.depth === 0) { return charts.map(renderPrepared); }
    if (this.remembered?.stamp !== stamp) {
      if (this.remembered) { this.span = {}; }
      this.remembered = { stamp, objects: new Map() };
    }
    const objects = this.remembered.objects;
    return charts.map(chart => {
      let rendered = objects.get(chart);
      if (!rendered) {
        rendered = renderPrepared(chart);
        objects.set(chart, rendered);
      }
      return rendered;
    });
  }
}

/**
 * Changes whenever a construct or a dependency is added to the tree of
 * `app` (or removed): the number of each. One walk of the tree, which
 * inferring dependencies needs anyway.
 */
function treeStamp(app: cdk8s.App): number {
  let stamp = 0;
  for (const construct of app.node.findAll()) {
    stamp += 1 + construct.node.dependencies.length;
  }
  return stamp;
}

/**
 * Adds the dependencies cdk8s infers before rendering (`resolveDependencies`
 * of cdk8s's App, the same steps): a chart depends on the charts nested in
 * it and on the charts its constructs depend on, and each API object on
 * the objects of the constructs its construct depends on. Adding a
 * dependency twice is a no-op, so preparing again is harmless.
 */
function inferDependencies(app: cdk8s.App): void {
  const below = new Map<IConstruct, IConstruct[]>();
  const findAll = (c: IConstruct): IConstruct[] => {
    let all = below.get(c);
    if (!all) {
      all = c.node.findAll();
      below.set(c, all);
    }
    return all;
  };
  const dependencies = () => findAll(app).flatMap(source => source.node.dependencies.map(target => ({ source, target })));

  for (const parent of findAll(app).filter(c => c instanceof cdk8s.Chart)) {
    for (const child of parent.node.children.filter(c => c instanceof cdk8s.Chart)) {
      parent.node.addDependency(child);
    }
  }
  for (const dep of dependencies()) {
    const sourceChart = cdk8s.Chart.of(dep.source);
    const targetChart = cdk8s.Chart.of(dep.target);
    if (sourceChart !== targetChart) { sourceChart.node.addDependency(targetChart); }
  }
  // Listed again: the chart dependencies just added count too.
  for (const dep of dependencies()) {
    const sourceChart = cdk8s.Chart.of(dep.source);
    const targetChart = cdk8s.Chart.of(dep.target);
    const targets = findAll(dep.target).filter(c => c instanceof cdk8s.ApiObject && cdk8s.Chart.of(c) === targetChart);
    const sources = findAll(dep.source).filter(c => c instanceof cdk8s.ApiObject && cdk8s.Chart.of(c) === sourceChart);
    for (const target of targets) {
      for (const source of sources) {
        if (target !== source) { source.node.addDependency(target); }
      }
    }
  }
}

/** The objects of a chart of a prepared App, as `Chart.toJson()` renders them. */
function renderPrepared(chart: cdk8s.Chart): any[] {
  return new cdk8s.DependencyGraph(chart.node).topology()
    .filter((c): c is cdk8s.ApiObject => c instanceof cdk8s.ApiObject && cdk8s.Chart.of(c) === chart)
    .map(o => o.toJson());
}
