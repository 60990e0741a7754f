import { Duration } from 'cdk8s';
import { AlertSeverity, MonitoringStack, PrometheusRules } from '../../lib/ops';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { shopChart } from '../support/ops';

const ALERT = { name: 'OrdersDown', expr: 'sum(up{namespace="shop",job="orders"}) == 0', summary: 'orders is down' };

describe('PrometheusRules', () => {
  test('writes a PrometheusRule with its groups in order, alerts with severity and annotations', () => {
    // GIVEN
    const chart = shopChart();
    const rules = new PrometheusRules(chart, 'orders', { stack: new MonitoringStack({ discoveryLabels: { release: 'kps' }, runbookBaseUrl: 'https://rb.example.com' }) });
    // WHEN
    rules.addRecord({ name: 'job:up:sum', expr: 'sum by (job) (up)' }, 'records');
    rules.addAlert({ ...ALERT, forDuration: Duration.minutes(5), keepFiringFor: Duration.minutes(2), description: 'd', labels: { team: 'shop' }, annotations: { dashboard: 'x' } });
    // THEN
    const [object] = chart.toJson();
    expectValidKubernetesObjects([object]);
    expect(object.metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'orders', 'app.kubernetes.io/part-of': 'shop', 'release': 'kps' });
    expect(object.spec.groups).toEqual([
      { name: 'records', rules: [{ record: 'job:up:sum', expr: 'sum by (job) (up)' }] },
      {
        name: 'orders',
        rules: [{
          alert: 'OrdersDown',
          expr: ALERT.expr,
          for: '5m',
          keep_firing_for: '2m',
          labels: { team: 'shop', severity: 'warning' },
          annotations: { dashboard: 'x', summary: 'orders is down', description: 'd', runbook_url: 'https://rb.example.com/OrdersDown' },
        }],
      },
    ]);
    expect(rules.alertNames).toEqual(['OrdersDown']);
    expect(rules.groupNames).toEqual(['records', 'orders']);
    expect(rules.toRuleFile()).toEqual({ groups: object.spec.groups });
  });

  test('a tenant\'s rules carry namespace and tenant labels; ruleLabels go on every rule', () => {
    const rules = new PrometheusRules(shopChart(), 'orders', { tenant: 'shop', ruleLabels: { owner: 'team-a' } });
    rules.addAlert(ALERT);
    expect(rules.toRuleFile().groups[0].rules[0].labels).toEqual({ owner: 'team-a', namespace: 'shop', tenant: 'shop', severity: 'warning' });
  });

  test('ticketsOnly turns critical alerts into warnings', () => {
    const rules = new PrometheusRules(shopChart(), 'orders', { ticketsOnly: true });
    rules.addAlert({ ...ALERT, severity: AlertSeverity.CRITICAL });
    expect(rules.toRuleFile().groups[0].rules[0].labels.severity).toBe('warning');
  });

  test('an explicit runbook URL wins over the stack\'s', () => {
    const rules = new PrometheusRules(shopChart(), 'orders', { stack: new MonitoringStack({ runbookBaseUrl: 'https://rb.example.com' }) });
    rules.addAlert({ ...ALERT, runbookUrl: 'https://wiki.example.com/orders' });
    expect(rules.toRuleFile().groups[0].rules[0].annotations.runbook_url).toBe('https://wiki.example.com/orders');
  });

  test('fails when an expression is not PromQL, naming the rule', () => {
    const rules = new PrometheusRules(shopChart(), 'orders');
    expect(() => rules.addAlert({ ...ALERT, expr: 'sum(up{namespace="shop"}' }))
      .toThrow('test/orders: alerts[OrdersDown].expr: got "sum(up{namespace=\\"shop\\"}"; expected a valid PromQL expression (syntax error at character');
    expect(() => rules.addRecord({ name: 'a:b', expr: 'rate(up)' }))
      .toThrow('test/orders: records[a:b].expr: got "rate(up)"; expected a valid PromQL expression (rate() needs a range vector argument');
  });

  test('fails when a tenant\'s expression reads another namespace or no namespace', () => {
    const rules = new PrometheusRules(shopChart(), 'orders', { tenant: 'shop' });
    expect(() => rules.addAlert({ ...ALERT, expr: 'up{namespace="billing"} == 0' }))
      .toThrow('expected selectors that keep to namespace="shop": up{namespace="billing"} has namespace="billing"');
    expect(() => rules.addAlert({ ...ALERT, expr: 'up == 0' }))
      .toThrow('expected selectors that read namespace "shop" only: up needs a matcher namespace="shop" or exported_namespace="shop"');
    expect(() => rules.addAlert({ ...ALERT, expr: 'up{namespace=~"sh.*"} == 0 and on() aws_sqs_approximate_age_of_oldest_message_maximum > 1' }))
      .toThrow('aws_sqs_approximate_age_of_oldest_message_maximum needs an AWS dimension matcher');
  });

  test('a tenant\'s expression may read its namespace through the exported-namespace label, and CloudWatch series by dimension', () => {
    const rules = new PrometheusRules(shopChart(), 'orders', { tenant: 'shop' });
    rules.addAlert({ ...ALERT, expr: 'keda_scaler_metrics_value{exported_namespace="shop"} > 1 or aws_rds_cpuutilization_average{dimension_DBInstanceIdentifier="db"} > 90' });
    expect(rules.alertNames).toEqual(['OrdersDown']);
  });

  test.each([
    [{ ...ALERT, name: '1Down' }, 'alert name: got "1Down"; expected a name of letters, digits and underscores'],
    [{ ...ALERT, summary: ' ' }, 'alerts[OrdersDown].summary: got " "; expected a one-line summary'],
    [{ ...ALERT, severity: 'page' as any }, 'alerts[OrdersDown].severity: got "page"; expected one of critical, warning, info'],
    [{ ...ALERT, labels: { severity: 'critical' } }, 'alerts[OrdersDown].labels key: got "severity"; expected a label other than severity, namespace, tenant, workload, owner'],
    [{ ...ALERT, labels: { 'a-b': 'c' } }, 'alerts[OrdersDown].labels key: got "a-b"; expected a Prometheus label name'],
    [{ ...ALERT, labels: { a: 1 as any } }, 'alerts[OrdersDown].labels.a: got 1; expected a string'],
    [{ ...ALERT, annotations: { __x: 'y' } }, 'alerts[OrdersDown].annotations key: got "__x"; expected a Prometheus label name'],
    [{ ...ALERT, runbookUrl: 'wiki/orders' }, 'alerts[OrdersDown].runbookUrl: got "wiki/orders"; expected an absolute http:// or https:// URL'],
    [{ ...ALERT, forDuration: '5m' as any }, 'alerts[OrdersDown].forDuration: got "5m"; expected a Duration'],
    [{ ...ALERT, forDuration: Duration.millis(1500) }, 'alerts[OrdersDown].forDuration: got "1.5s"; expected a whole number of seconds'],
  ])('fails adding alert %#', (rule, message) => {
    const rules = new PrometheusRules(shopChart(), 'orders');
    expect(() => rules.addAlert(rule)).toThrow(`test/orders: ${message}`);
  });

  test('fails adding a record with a name that is not a metric name', () => {
    expect(() => new PrometheusRules(shopChart(), 'orders').addRecord({ name: 'a-b', expr: 'up' }))
      .toThrow('test/orders: record name: got "a-b"; expected a metric name');
  });

  test('fails with a group name Prometheus cannot take', () => {
    expect(() => new PrometheusRules(shopChart(), 'orders').addAlert(ALERT, 'a b'))
      .toThrow('test/orders: group: got "a b"; expected a group name');
  });

  test('fails with a bad name, tenant or rule label', () => {
    expect(() => new PrometheusRules(shopChart(), 'Orders')).toThrow('test/Orders: name: got "Orders"; expected a DNS-1123 subdomain');
    expect(() => new PrometheusRules(shopChart(), 'orders', { tenant: 'Shop' })).toThrow('test/orders: tenant: got "Shop"; expected a DNS label');
    expect(() => new PrometheusRules(shopChart(), 'orders', { ruleLabels: { 'a-b': 'x' } })).toThrow('test/orders: ruleLabels.a-b: got "x"; expected a string under a Prometheus label name');
  });
});
