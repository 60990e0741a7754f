import { AlertPack, Dashboard, DashboardPanel, MonitoringStack } from '../../lib/ops';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { devEnvironment, prodEnvironment, testPlatform } from '../support/synth';

const ALERT = { name: 'PostgresDown', expr: 'aws_rds_database_connections_average == 0', summary: 'no connections' };

describe('AlertPack', () => {
  test('delivers its rules and dashboards, labelled with the owner, to every chosen environment', () => {
    // GIVEN
    const platform = testPlatform();
    prodEnvironment(platform);
    devEnvironment(platform);
    // WHEN
    const pack = new AlertPack(platform, 'postgres', { owner: 'dbaas', environments: ['prod', 'dev'] });
    pack.addAlert(ALERT);
    pack.addRecord({ name: 'rds:connections:max', expr: 'max by (dimension_DBInstanceIdentifier) (aws_rds_database_connections_average)' }, 'records');
    pack.addDashboard('overview', new Dashboard({ title: 'Postgres' }).addPanels([DashboardPanel.stat({ title: 'DBs', queries: [{ expr: 'count(aws_rds_database_connections_average)' }] })]));
    // THEN
    expect(pack.environments).toEqual(['prod', 'dev']);
    expect(pack.alertNames).toEqual(['PostgresDown']);
    for (const env of ['prod', 'dev']) {
      const objects = pack.charts[env].toJson();
      expectValidKubernetesObjects(objects);
      expect(objects.map(o => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
        'PrometheusRule/monitoring/alert-pack-postgres', 'ConfigMap/monitoring/alert-pack-postgres-overview',
      ]);
      expect(objects[0].spec.groups[0].rules[0].labels).toEqual({ owner: 'dbaas', severity: 'warning' });
      expect(objects[1].metadata.annotations).toEqual({ 'grafana_folder': 'dbaas', 'argocd.argoproj.io/sync-wave': '1' });
    }
    expect(pack.toRuleFile().groups.map((g: any) => g.name)).toEqual(['postgres', 'records']);
  });

  test('writes one platform-wide manifest per environment, its objects in the stack\'s namespace', () => {
    const platform = testPlatform();
    prodEnvironment(platform);
    const pack = new AlertPack(platform, 'pg', { owner: 'dbaas', environments: ['prod'], stack: new MonitoringStack({ namespace: 'observability' }) });
    expect(pack.charts.prod.node.path).toBe('prod/alert-pack-pg');
    expect(pack.charts.prod.namespace).toBe('observability');
  });

  test('fails targeting an environment that does not exist', () => {
    const platform = testPlatform();
    prodEnvironment(platform);
    expect(() => new AlertPack(platform, 'pg', { owner: 'dbaas', environments: ['prod', 'staging'] }))
      .toThrow('pg: environments[1]: got "staging"; expected an environment of the platform: prod');
    expect(() => new AlertPack(testPlatform(), 'pg', { owner: 'dbaas', environments: ['prod'] }))
      .toThrow('pg: environments[0]: got "prod"; expected an environment of the platform: none declared yet');
  });

  test.each<[any, string]>([
    [{ environments: [] }, 'environments: got []; expected one or more environments of the platform (prod)'],
    [{ environments: ['prod', 'prod'] }, 'environments[1]: got "prod"; expected each environment listed once'],
    [{ owner: 'DBaaS' }, 'owner: got "DBaaS"; expected a DNS label'],
    [{ name: 'Pg' }, 'name: got "Pg"; expected a DNS label'],
  ])('fails with %j', (override, message) => {
    const platform = testPlatform();
    prodEnvironment(platform);
    expect(() => new AlertPack(platform, 'pg', { owner: 'dbaas', environments: ['prod'], ...override })).toThrow(`pg: ${message}`);
  });

  test('fails adding a PromQL typo or a dashboard id twice', () => {
    const platform = testPlatform();
    prodEnvironment(platform);
    const pack = new AlertPack(platform, 'pg', { owner: 'dbaas', environments: ['prod'] });
    expect(() => pack.addAlert({ ...ALERT, expr: 'aws_rds_database_connections_average ==' })).toThrow('alerts[PostgresDown].expr: got "aws_rds_database_connections_average =="; expected a valid PromQL expression');
    pack.addDashboard('x', new Dashboard({ title: 'X' }));
    expect(() => pack.addDashboard('x', new Dashboard({ title: 'Y' }))).toThrow('pg: dashboard id: got "x"; expected an id no other dashboard of the pack has');
    expect(() => pack.addDashboard('X', new Dashboard({ title: 'Y' }))).toThrow('pg: dashboard id: got "X"; expected a DNS label');
  });
});
