import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { recordDecision } from '../../lib/k8s/decisions';
import { devEnvironment, testPlatform } from '../support/synth';

describe('recordDecision', () => {
  test('records into the report of the platform the construct belongs to', () => {
    // GIVEN
    const platform = testPlatform();
    const chart = devEnvironment(platform).chart('orders', 'shop');
    // WHEN
    recordDecision(chart, 'minReplicas', '2', 'size M');
    // THEN
    const result = platform.synth();
    expect(fs.readFileSync(path.join(result.outdir, result.report), 'utf8')).toContain('| dev/shop/orders | minReplicas | 2 | size M |');
  });

  test('does nothing outside a platform', () => {
    expect(() => recordDecision(new Chart(new App(), 'plain'), 'minReplicas', '2', 'size M')).not.toThrow();
  });
});
