import { App, Chart } from 'cdk8s';
import { CronJob, Job, WebApp, Worker } from '../../lib/k8s';
import { devEnvironment, prodEnvironment, testPlatform } from '../support/synth';

const IMAGE = 'registry.example.com/shop/orders:1.4.2';

describe('Kubernetes object names', () => {
  test('fails when a Worker is named like a WebApp of the same namespace, in another file', () => {
    // GIVEN
    const env = devEnvironment();
    new WebApp(env.chart('orders', 'shop'), 'WebApp', { name: 'orders', image: IMAGE });
    // WHEN
    const worker = () => new Worker(env.chart('orders-worker', 'shop'), 'Worker', { name: 'orders', image: IMAGE });
    // THEN
    expect(worker).toThrow('dev/shop/orders-worker/Worker: name: got "orders"; expected a name no other ServiceAccount of namespace "shop" has '
      + '(dev/shop/orders/WebApp has one of that name: two objects of one kind and name in one namespace overwrite each other)');
  });

  test('fails when a CronJob and a Job of one namespace share their name (their ServiceAccounts would)', () => {
    // GIVEN
    const env = devEnvironment();
    new CronJob(env.chart('report', 'shop'), 'CronJob', { name: 'report', image: IMAGE, schedule: '@daily' });
    // THEN
    expect(() => new Job(env.chart('report-once', 'shop'), 'Job', { name: 'report', image: IMAGE }))
      .toThrow(/Job: name: got "report"; expected a name no other ServiceAccount of namespace "shop" has/);
  });

  test('accepts one name in two namespaces, in two environments, and for a ServiceAccount named otherwise', () => {
    // GIVEN
    const platform = testPlatform();
    const dev = devEnvironment(platform);
    const prod = prodEnvironment(platform);
    new WebApp(dev.chart('orders', 'shop'), 'WebApp', { name: 'orders', image: IMAGE });
    // THEN
    expect(() => new WebApp(dev.chart('orders', 'billing'), 'WebApp', { name: 'orders', image: IMAGE })).not.toThrow();
    expect(() => new WebApp(prod.chart('orders', 'shop'), 'WebApp', { name: 'orders', image: IMAGE })).not.toThrow();
    expect(() => new Worker(dev.chart('tasks', 'shop'), 'Worker', { name: 'tasks', image: IMAGE })).not.toThrow();
  });

  test('claims nothing outside a paved platform', () => {
    // GIVEN
    const chart = new Chart(new App(), 'test', { namespace: 'shop' });
    new WebApp(chart, 'one', { name: 'orders', image: IMAGE });
    // THEN
    expect(() => new Worker(new Chart(new App(), 'other', { namespace: 'shop' }), 'two', { name: 'orders', image: IMAGE })).not.toThrow();
  });

  test('a rolled-back declaration frees its names', () => {
    // GIVEN
    const env = devEnvironment();
    const checkpoint = env._lookup.checkpoint();
    new Worker(env.chart('orders', 'shop'), 'Worker', { name: 'orders', image: IMAGE });
    // WHEN
    env._lookup.rollback(checkpoint);
    // THEN
    expect(() => new WebApp(env.chart('orders', 'shop'), 'WebApp', { name: 'orders', image: IMAGE })).not.toThrow();
  });
});
