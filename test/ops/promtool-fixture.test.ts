import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { expectValidDashboard } from '../support/grafana-dashboard';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { testPlatform } from '../support/synth';
import { promtoolFixture } from './promtool/fixture';

const DIR = path.join(__dirname, 'promtool');

describe('promtool fixture', () => {
  test('every object the fixture synthesizes is valid, dashboards included', () => {
    const platform = testPlatform();
    promtoolFixture(platform);
    const objects = platform.kubernetes.charts.flatMap(chart => chart.toJson());
    expectValidKubernetesObjects(objects);
    for (const cm of objects.filter(o => o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard === '1')) {
      for (const json of Object.values<string>(cm.data)) { expectValidDashboard(JSON.parse(json)); }
    }
  });

  test('the committed promtool unit tests cover every rule file the fixture writes', () => {
    const written = Object.keys(promtoolFixture()).map(name => `${name}.rules.yaml`).sort();
    const tested = new Set(fs.readdirSync(DIR).filter(f => f.endsWith('.test.yaml'))
      .flatMap(f => YAML.parse(fs.readFileSync(path.join(DIR, f), 'utf8')).rule_files as string[]));
    expect(written.filter(file => !tested.has(file))).toEqual([]);
  });
});
