import { TenantDashboard } from '../../lib/ops';
import { expectValidDashboard } from '../support/grafana-dashboard';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { shopChart } from '../support/ops';

describe('TenantDashboard', () => {
  test('one overview per tenant, in its folder, reading its namespace only', () => {
    const chart = shopChart();
    const t = new TenantDashboard(chart, 'Overview', { tenant: 'shop' });
    const [object] = chart.toJson();
    expectValidKubernetesObjects([object]);
    expect(object.metadata).toMatchObject({ name: 'shop-overview', annotations: { grafana_folder: 'shop' } });
    const json = JSON.parse(object.data['shop-overview.json']);
    expectValidDashboard(json);
    expect(json.panels.filter((p: any) => p.type === 'row').map((p: any) => p.title)).toEqual(['Alerts', 'SLOs', 'Resources']);
    for (const panel of json.panels.filter((p: any) => p.targets)) {
      for (const target of panel.targets) { expect(target.expr).toContain('namespace="shop"'); }
    }
    expect(t.configMap.uid).toBe('shop-shop-overview');
  });

  test('fails with a tenant that is not a DNS label', () => {
    expect(() => new TenantDashboard(shopChart(), 'O', { tenant: 'Shop' })).toThrow('test/O: tenant: got "Shop"; expected a DNS label');
  });
});
