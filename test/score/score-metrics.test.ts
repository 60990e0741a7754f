import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ScoreWorkloads } from '../../lib/score';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { synthChart, workloadEnvironment } from '../support/synth';

const IMAGE = 'registry.acme.io/shop/orders:1.4.2';

/** A Score file of `orders` with the given metadata annotations and service ports. */
function scoreFile(annotations: string, ports: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-score-metrics-'));
  const file = path.join(dir, 'score.yaml');
  fs.writeFileSync(file, `apiVersion: score.dev/v1b1
metadata:
  name: orders
${annotations}service:
  ports:
    web:
      port: 80
      targetPort: 8080
${ports}containers:
  main:
    image: ${IMAGE}
`);
  return file;
}

function loadObjects(file: string): { [kindName: string]: any } {
  const env = workloadEnvironment();
  const [workload] = ScoreWorkloads.load(env, { files: [file], tenant: 'shop' }).workloads;
  const objects = synthChart(env.chart(workload.name, 'shop'));
  expectValidKubernetesObjects(objects);
  return Object.fromEntries(objects.map(o => [`${o.kind}/${o.metadata.name}`, o]));
}

function loadFails(file: string): string {
  try {
    ScoreWorkloads.load(workloadEnvironment(), { files: [file], tenant: 'shop' });
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('loaded');
}

describe('Score metrics', () => {
  test('a service port named metrics is scraped through the Service', () => {
    const objects = loadObjects(scoreFile('', '    metrics:\n      port: 9090\n'));
    expect(objects['ServiceMonitor/orders'].spec.endpoints).toEqual([{ port: 'metrics', path: '/metrics', interval: '30s', scheme: 'http' }]);
  });

  test('the annotations name a container port and a path', () => {
    const objects = loadObjects(scoreFile('  annotations:\n    paved.dev/metrics-port: "8080"\n    paved.dev/metrics-path: /internal/metrics\n', ''));
    expect(objects['ServiceMonitor/orders'].spec.endpoints[0]).toMatchObject({ port: 'http', path: '/internal/metrics' });
  });

  test('without either the workload is not scraped', () => {
    const objects = loadObjects(scoreFile('', ''));
    expect(objects['ServiceMonitor/orders']).toBeUndefined();
    expect(objects['PrometheusRule/orders']).toBeDefined();
  });

  test('fails with a metrics port annotation that is not a port number, naming the file and line', () => {
    const file = scoreFile('  annotations:\n    paved.dev/metrics-port: metrics\n', '');
    expect(loadFails(file)).toContain(`${file}:5: metadata.annotations["paved.dev/metrics-port"]: got "metrics"; expected a port number from 1 to 65535`);
  });

  test('fails with a metrics port that is not a port of the workload, naming the annotation', () => {
    const file = scoreFile('  annotations:\n    paved.dev/metrics-port: "9999"\n', '');
    expect(loadFails(file)).toContain(`${file}:5: metadata.annotations["paved.dev/metrics-port"]: dev-shop/orders: metrics.port: got 9999; expected a TCP port of the workload's containers: 8080 (http)`);
  });

  test('fails with a metrics path but no metrics port, or a UDP metrics port', () => {
    expect(loadFails(scoreFile('  annotations:\n    paved.dev/metrics-path: /m\n', ''))).toContain('metadata.annotations["paved.dev/metrics-path"]: got "/m"; expected no metrics path without a metrics port');
    expect(loadFails(scoreFile('', '    metrics:\n      port: 9090\n      protocol: UDP\n'))).toContain('service.ports.metrics.protocol: got "UDP"; expected TCP');
  });
});
