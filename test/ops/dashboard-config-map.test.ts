import { Dashboard, DashboardConfigMap, DashboardPanel, MonitoringStack } from '../../lib/ops';
import { expectValidDashboard } from '../support/grafana-dashboard';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { shopChart } from '../support/ops';

const panel = () => DashboardPanel.stat({ title: 'Up', queries: [{ expr: 'up{namespace="shop"}' }] });

describe('DashboardConfigMap', () => {
  test('a ConfigMap the Grafana sidecar loads, in the tenant\'s folder, with the dashboard written at synth', () => {
    // GIVEN
    const chart = shopChart();
    const dashboard = new Dashboard({ title: 'Orders' });
    // WHEN
    const cm = new DashboardConfigMap(chart, 'orders-dashboard', { dashboard });
    dashboard.addPanels([panel()]);
    // THEN
    const [object] = chart.toJson();
    expectValidKubernetesObjects([object]);
    expect(object.metadata.labels.grafana_dashboard).toBe('1');
    expect(object.metadata.annotations).toEqual({ 'grafana_folder': 'shop', 'argocd.argoproj.io/sync-wave': '1' });
    const json = JSON.parse(object.data['orders-dashboard.json']);
    expectValidDashboard(json);
    expect(json.uid).toBe('shop-orders-dashboard');
    expect(json.panels).toHaveLength(1);
    expect([cm.uid, cm.folder]).toEqual(['shop-orders-dashboard', 'shop']);
  });

  test('the stack names the label, value and folder annotation; folder, name and uid can be given', () => {
    const chart = shopChart(null);
    new DashboardConfigMap(chart, 'x', {
      name: 'overview',
      folder: 'Platform',
      dashboard: new Dashboard({ title: 'O', uid: 'my-uid' }),
      stack: new MonitoringStack({ dashboardLabel: 'dash', dashboardLabelValue: 'yes', dashboardFolderAnnotation: 'folder' }),
    });
    const [object] = chart.toJson();
    expect(object.metadata.name).toBe('overview');
    expect(object.metadata.labels.dash).toBe('yes');
    expect(object.metadata.annotations).toEqual({ 'folder': 'Platform', 'argocd.argoproj.io/sync-wave': '1' });
    expect(JSON.parse(object.data['overview.json']).uid).toBe('my-uid');
  });

  test('without a namespace the folder is General', () => {
    expect(new DashboardConfigMap(shopChart(null), 'x', { dashboard: new Dashboard({ title: 'O' }) }).folder).toBe('General');
  });

  test('fails without a Dashboard, with a bad name or folder', () => {
    expect(() => new DashboardConfigMap(shopChart(), 'x', { dashboard: {} as any })).toThrow('test/x: dashboard: got {}; expected a Dashboard');
    expect(() => new DashboardConfigMap(shopChart(), 'X', { dashboard: new Dashboard({ title: 'O' }) })).toThrow('test/X: name: got "X"; expected a DNS-1123 subdomain');
    expect(() => new DashboardConfigMap(shopChart(), 'x', { dashboard: new Dashboard({ title: 'O' }), folder: 'a/b' })).toThrow('test/x: folder: got "a/b"; expected a folder name');
  });

  test('fails validation when the dashboard outgrows a ConfigMap', () => {
    const chart = shopChart();
    const dashboard = new Dashboard({ title: 'Big' });
    new DashboardConfigMap(chart, 'big', { dashboard });
    dashboard.addPanels(Array.from({ length: 1500 }, (_, i) => DashboardPanel.text({ title: `t${i}`, markdown: 'x'.repeat(600) })));
    const errors = chart.node.findAll().flatMap(c => c.node.validate());
    expect(errors.join('\n')).toMatch(/dashboard "Big" is \d+ bytes of JSON; a ConfigMap holds at most 1044480: split it/);
  });
});
