import { App, Chart } from 'cdk8s';
import { RolloutStrategy, WebApp, WebAppProps } from '../../lib/k8s';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { synthChart } from '../support/synth';

const IMAGE = 'registry.example.com/shop/orders:1.4.2';

function newChart(): Chart {
  return new Chart(new App(), 'test', { namespace: 'shop', disableResourceNameHashes: true });
}

/** The Deployment strategy of a WebApp `orders`. */
function strategy(props: Partial<WebAppProps> = {}): any {
  const chart = newChart();
  new WebApp(chart, 'orders', { image: IMAGE, ...props });
  const objects = synthChart(chart);
  expectValidKubernetesObjects(objects);
  return objects.find(o => o.kind === 'Deployment').spec.strategy;
}

function attempt(strategyValue: RolloutStrategy): () => WebApp {
  return () => new WebApp(newChart(), 'orders', { image: IMAGE, strategy: strategyValue });
}

describe('RolloutStrategy', () => {
  test('rollingUpdate() defaults to a surge of 25% and never goes below the current count, like no strategy', () => {
    const expected = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } };
    expect(strategy({ strategy: RolloutStrategy.rollingUpdate() })).toEqual(expected);
    expect(strategy()).toEqual(expected);
  });

  test('rollingUpdate() takes counts and percentages', () => {
    expect(strategy({ strategy: RolloutStrategy.rollingUpdate({ maxSurge: '2' }) }).rollingUpdate).toEqual({ maxSurge: 2, maxUnavailable: 0 });
    expect(strategy({ strategy: RolloutStrategy.rollingUpdate({ maxUnavailable: '50%' }) }).rollingUpdate)
      .toEqual({ maxSurge: '25%', maxUnavailable: '50%' });
    expect(strategy({ strategy: RolloutStrategy.rollingUpdate({ maxSurge: '0', maxUnavailable: '1' }) }).rollingUpdate)
      .toEqual({ maxSurge: 0, maxUnavailable: 1 });
  });

  test('recreate() stops the old pods first', () => {
    expect(strategy({ strategy: RolloutStrategy.recreate() })).toEqual({ type: 'Recreate' });
  });

  describe('validation', () => {
    test('fails when a surge or unavailability is neither a count nor a percentage', () => {
      for (const value of ['-1', '1.5', '25 %', 'one', '01']) {
        expect(attempt(RolloutStrategy.rollingUpdate({ maxSurge: value })))
          .toThrow(`test/orders: strategy.maxSurge: got ${JSON.stringify(value)}; expected a number of pods such as "1", or a percentage from "0%" to "100%"`);
      }
      expect(() => RolloutStrategy.rollingUpdate({ maxUnavailable: 1 as any }))
        .toThrow('RolloutStrategy.rollingUpdate: maxUnavailable: got 1; expected a string');
    });

    test('fails when a percentage is above 100%', () => {
      expect(attempt(RolloutStrategy.rollingUpdate({ maxUnavailable: '101%' })))
        .toThrow('test/orders: strategy.maxUnavailable: got "101%"; expected a number of pods such as "1", or a percentage from "0%" to "100%"');
    });

    test('fails when both surge and unavailability are 0', () => {
      expect(attempt(RolloutStrategy.rollingUpdate({ maxSurge: '0%', maxUnavailable: '0' })))
        .toThrow('test/orders: strategy.maxUnavailable: got "0"; expected above 0 when maxSurge is 0');
      expect(attempt(RolloutStrategy.rollingUpdate({ maxSurge: '0' }))).toThrow('test/orders: strategy.maxUnavailable: got "0"');
    });
  });
});
