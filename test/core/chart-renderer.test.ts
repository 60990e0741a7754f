import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { buildPlatform } from '../../examples/platform/main';
import { GitOps, Platform, StackLayout, Workload } from '../../lib';
import { ChartRenderer } from '../../lib/core/chart-renderer';
import { REPO, clusterEnvironment } from '../support/gitops';
import { testPlatform } from '../support/synth';

/** A ConfigMap named `name` in `scope`. */
function configMap(scope: Construct, id: string, name: string = id.toLowerCase()): ApiObject {
  return new ApiObject(scope, id, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } });
}

/** Every chart of `platform`, rendered by cdk8s's own `toJson()`, which prepares (and validates) the whole App per chart. */
function cdk8sRendering(platform: Platform): any[][] {
  return platform._charts().map(c => c.chart.toJson());
}

/**
 * The charts rendered by the renderer in a fresh process would be the same
 * objects in the same order: compared with `toJson()` on the same tree.
 * This pins the renderer to cdk8s's rendering; rerun on every cdk8s upgrade.
 */
describe('ChartRenderer', () => {
  test.each([StackLayout.PER_TENANT, StackLayout.SINGLE_STACK])('renders every chart of the example platform (%s) as Chart.toJson() does', layout => {
    // GIVEN the example, validated (GitOps makes its Applications then)
    const platform = buildPlatform(testPlatform().outdir, layout);
    expect(platform.validate()).toEqual([]);
    // WHEN
    const rendered = platform._render(platform._charts().map(c => c.chart));
    // THEN
    expect(rendered.length).toBeGreaterThan(20);
    expect(rendered).toEqual(cdk8sRendering(platform));
  });

  test('orders objects by their dependencies, across charts and nested charts, as Chart.toJson() does', () => {
    // GIVEN objects declared in the reverse of their dependency order, in three charts, one nested
    const platform = testPlatform();
    const a = platform.chart(['dev', 'a'], 'a');
    const b = platform.chart(['dev', 'b'], 'b');
    const nested = new Chart(b, 'nested', { disableResourceNameHashes: true });
    const a3 = configMap(a, 'A3');
    const a2 = configMap(a, 'A2');
    const a1 = configMap(a, 'A1');
    a3.node.addDependency(a2);
    a2.node.addDependency(a1);
    const group = new Construct(b, 'Group');
    const b2 = configMap(group, 'B2');
    configMap(group, 'B1');
    const b0 = configMap(b, 'B0');
    configMap(nested, 'N1');
    const c = platform.chart(['dev', 'c'], 'c');
    const first = configMap(c, 'First');
    const later = new Construct(c, 'Later');
    configMap(later, 'L1');
    // an object depending on another chart's object, a construct (a group of objects) on an object, an object on a group
    b2.node.addDependency(a1);
    group.node.addDependency(b0);
    first.node.addDependency(later);
    // WHEN
    const rendered = new ChartRenderer(platform.kubernetes).render([a, b, nested, c]);
    // THEN the objects of a group come before what depends on the group
    expect(rendered.map(objects => objects.map(o => o.metadata.name))).toEqual([['a1', 'a2', 'a3'], ['b0', 'b2', 'b1'], ['n1'], ['l1', 'first']]);
    expect(rendered).toEqual([a, b, nested, c].map(chart => chart.toJson()));
  });

  test('while remembering, renders a chart once for every reader, and again after the tree grew', () => {
    // GIVEN
    const platform = testPlatform();
    const chart = platform.chart(['dev', 'orders'], 'shop');
    configMap(chart, 'First');
    const renderer = new ChartRenderer(platform.kubernetes);
    renderer.remembering(() => {
      // WHEN rendered twice
      const [once] = renderer.render([chart]);
      const [twice] = renderer.render([chart]);
      // THEN it is the same rendering
      expect(twice).toBe(once);
      // WHEN an object is added
      configMap(chart, 'Second');
      const [after] = renderer.render([chart]);
      // THEN the chart is rendered again
      expect(after.map(o => o.metadata.name)).toEqual(['first', 'second']);
      // WHEN only a dependency is added
      chart.node.findChild('Second').node.addDependency(chart.node.findChild('First'));
      expect(renderer.render([chart])[0]).not.toBe(after);
    });
  });

  test('outside remembering, renders afresh each time', () => {
    // GIVEN
    const platform = testPlatform();
    const chart = platform.chart(['dev', 'orders'], 'shop');
    const object = configMap(chart, 'Settings');
    const renderer = new ChartRenderer(platform.kubernetes);
    const [before] = renderer.render([chart]);
    // WHEN an object changes without a construct being added
    object.metadata.addLabel('tier', 'web');
    // THEN
    const [after] = renderer.render([chart]);
    expect(before[0].metadata.labels).toBeUndefined();
    expect(after[0].metadata.labels).toEqual({ tier: 'web' });
  });

  test('rendering does not run validations: an invalid Kubernetes construct is reported by synth as paved\'s error, with GitOps reading the objects', () => {
    // GIVEN GitOps, which reads the delivered objects while validating, and an invalid construct in a tenant's chart
    const platform = testPlatform();
    const { env } = clusterEnvironment(platform);
    new GitOps(platform, 'GitOps', { repoUrl: REPO });
    new Workload(env, 'orders', { tenant: 'shop', image: 'ghcr.io/acme/orders:1.4.2', port: 8080 });
    configMap(env.chart('orders', 'shop'), 'Settings').node.addValidation({ validate: () => ['settings are incomplete'] });
    // WHEN / THEN
    expect(() => platform.synth()).toThrow(expect.objectContaining({
      name: 'PavedError',
      message: expect.stringContaining('Settings: settings are incomplete'),
    }));
  });
});
