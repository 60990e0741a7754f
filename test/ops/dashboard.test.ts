import { Duration } from 'cdk8s';
import { Dashboard, DashboardPanel, PanelUnit } from '../../lib/ops';
import { expectValidDashboard } from '../support/grafana-dashboard';

const Q = [{ expr: 'sum(rate(http_requests_total{namespace="shop"}[$__rate_interval]))', legend: 'rps' }];

describe('Dashboard', () => {
  test('lays rows of panels out on the 24-column grid with unique ids and the datasource variable', () => {
    // GIVEN
    const dashboard = new Dashboard({ title: 'Orders', uid: 'shop-orders', tags: ['shop'], description: 'd', refresh: Duration.seconds(30), timeRange: Duration.days(1) });
    // WHEN
    dashboard.addRow('Traffic', [
      DashboardPanel.timeSeries({ title: 'A', queries: Q, unit: PanelUnit.REQUESTS_PER_SECOND, width: 16 }),
      DashboardPanel.stat({ title: 'B', queries: Q, width: 16, min: 0, max: 1, warningAbove: 0.5, criticalAbove: 0.9 }),
    ]).addPanels([DashboardPanel.text({ title: 'About', markdown: '**hi**' })]);
    const json = dashboard.toJson();
    // THEN
    expectValidDashboard(json);
    expect(json).toMatchObject({ uid: 'shop-orders', title: 'Orders', tags: ['shop'], description: 'd', editable: false, schemaVersion: 39, refresh: '30s', time: { from: 'now-1d', to: 'now' } });
    expect(json.templating.list[0]).toMatchObject({ name: 'datasource', type: 'datasource', query: 'prometheus' });
    expect(json.panels.map((p: any) => [p.id, p.type, p.gridPos])).toEqual([
      [1, 'row', { h: 1, w: 24, x: 0, y: 0 }],
      [2, 'timeseries', { h: 8, w: 16, x: 0, y: 1 }],
      [3, 'stat', { h: 8, w: 16, x: 0, y: 9 }],
      [4, 'text', { h: 3, w: 24, x: 0, y: 17 }],
    ]);
    expect(json.panels[1].targets).toEqual([{ refId: 'A', datasource: { type: 'prometheus', uid: '${datasource}' }, expr: Q[0].expr, legendFormat: 'rps', range: true, instant: false }]);
    expect(json.panels[1].fieldConfig.defaults.unit).toBe('reqps');
    expect(json.panels[2].fieldConfig.defaults).toMatchObject({ min: 0, max: 1, thresholds: { steps: [{ color: 'green', value: null }, { color: 'orange', value: 0.5 }, { color: 'red', value: 0.9 }] } });
    expect(json.panels[3].options).toEqual({ mode: 'markdown', content: '**hi**' });
    expect(dashboard.panelCount).toBe(3);
  });

  test('defaults: refresh 1m, last 6 hours, unit short, 12 x 8 panels; gauge panels', () => {
    const json = new Dashboard({ title: 'T' }).addPanels([DashboardPanel.gauge({ title: 'G', queries: Q })]).toJson('derived');
    expect(json).toMatchObject({ uid: 'derived', refresh: '1m', time: { from: 'now-6h' } });
    expect(json.panels[0]).toMatchObject({ type: 'gauge', gridPos: { w: 12, h: 8 }, fieldConfig: { defaults: { unit: 'short' } } });
  });

  test('fails when a query is not PromQL', () => {
    expect(() => DashboardPanel.timeSeries({ title: 'A', queries: [{ expr: 'sum(rate(x[$__rate_interval])' }] }))
      .toThrow('DashboardPanel "A": queries[0].expr: got "sum(rate(x[5m])"; expected a valid PromQL expression');
  });

  test.each([
    [{ title: '' }, 'DashboardPanel: title: got ""; expected a title'],
    [{ queries: [] }, 'DashboardPanel "A": queries: got []; expected one or more queries'],
    [{ width: 25 }, 'DashboardPanel "A": width: got 25; expected an integer from 1 to 24'],
    [{ height: 0 }, 'DashboardPanel "A": height: got 0; expected an integer from 1 to 50'],
    [{ unit: 'furlongs' as any }, 'DashboardPanel.timeSeries: unit: got "furlongs"; expected one of "percentunit", "percent", "s", "bytes", "reqps", "ops", "short" (PanelUnit)'],
    [{ max: Infinity }, 'DashboardPanel.timeSeries: max: got Infinity; expected a finite number'],
  ])('fails making a panel with %j', (override, message) => {
    expect(() => DashboardPanel.timeSeries({ title: 'A', queries: Q, ...override })).toThrow(message);
  });

  test('fails making a text panel without Markdown', () => {
    expect(() => DashboardPanel.text({ title: 'T', markdown: undefined as any })).toThrow('DashboardPanel.text: markdown: got undefined; expected a string');
  });

  test.each([
    [{ title: ' ' }, 'Dashboard: title: got " "; expected a title'],
    [{ title: 'T', uid: 'has space' }, 'Dashboard "T": uid: got "has space"; expected 1-40 letters'],
    [{ title: 'T', refresh: Duration.millis(10) }, 'Dashboard "T": refresh: got {"amount":10,"unit":{"label":"millis","inMillis":1}}; expected a Duration of whole seconds'],
    [{ title: 'T', tags: [''] }, 'Dashboard "T": tags[0]: got ""; expected a tag of 1-50 characters'],
  ])('fails making a dashboard with %j', (props, message) => {
    expect(() => new Dashboard(props)).toThrow(message);
  });

  test('fails adding something other than panels, or a row without a title', () => {
    const dashboard = new Dashboard({ title: 'T' });
    expect(() => dashboard.addPanels([{} as any])).toThrow('Dashboard "T": panels: got [{}]; expected a list of DashboardPanel');
    expect(() => dashboard.addRow('', [])).toThrow('Dashboard "T": row title: got ""; expected a title');
  });

  test('fails rendering without a uid', () => {
    expect(() => new Dashboard({ title: 'T' }).toJson()).toThrow('Dashboard "T": uid: got undefined; expected 1-40 letters');
  });
});
