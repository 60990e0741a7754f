import { Cluster, Environment, Network, Platform, Portal, Profile, Resource, Size, TerraformState, Workload } from '../../lib';
import { testPlatform } from '../support/synth';

/** One PROD environment in us-east-1 with a cluster and a workload with a Postgres and a Valkey cache of size M. */
function platformWith(profile: Profile): { platform: Platform; portal: Portal } {
  const platform = testPlatform();
  const env = new Environment(platform, 'prod', { account: '123456789012', region: 'us-east-1', profile, state: TerraformState.local() });
  new Network(env, 'Network', { cidr: '10.20.0.0/16' });
  new Cluster(env, 'Cluster');
  new Workload(env, 'orders', {
    tenant: 'shop',
    image: 'ghcr.io/acme/orders:1.0.0',
    port: 8080,
    host: 'orders.acme.io',
    size: Size.M,
    resources: { db: Resource.postgres(), cache: Resource.redis() },
  });
  return { platform, portal: new Portal(platform, 'Portal') };
}

describe('cost estimate', () => {
  test('prices a Multi-AZ database twice, with its storage and its RDS-managed secret', () => {
    const { portal } = platformWith(Profile.PROD);
    const env = portal.costEstimate().environments[0];
    const db = env.resources.find(r => r.key === 'prod/shop/orders/db')!;
    expect(db.lines.map(l => [l.item, l.quantity, l.unitPriceUsd, l.monthlyUsd])).toEqual(expect.arrayContaining([
      ['db.t4g.medium (postgres, Multi-AZ)', 1460, 0.065, 94.9],
      ['gp3 storage 50 GB (Multi-AZ)', 100, 0.115, 11.5],
      ['RDS-managed master user secret', 1, 0.4, 0.4],
    ]));
  });

  test('prices a Single-AZ database once in DEV profiles', () => {
    const { portal } = platformWith(Profile.DEV);
    const db = portal.costEstimate().environments[0].resources.find(r => r.key === 'prod/shop/orders/db')!;
    expect(db.lines.find(l => l.item.startsWith('db.t4g.medium'))).toMatchObject({ item: 'db.t4g.medium (postgres, Single-AZ)', quantity: 730, monthlyUsd: 47.45 });
  });

  test('prices the cache\'s nodes (primary and replica) at Valkey\'s price', () => {
    const { portal } = platformWith(Profile.PROD);
    const cache = portal.costEstimate().environments[0].resources.find(r => r.key === 'prod/shop/orders/cache')!;
    expect(cache.lines.find(l => l.unit === 'node-hour')).toMatchObject({ item: '2 × cache.t4g.small (valkey)', quantity: 1460, unitPriceUsd: 0.0256, monthlyUsd: 37.38 });
  });

  test('prices the foundation: EKS, nodes with root volumes, NAT gateways with their addresses, a load balancer per Ingress', () => {
    const { portal } = platformWith(Profile.PROD);
    const env = portal.costEstimate().environments[0];
    const item = (prefix: string) => env.lines.filter(l => l.item.startsWith(prefix));
    expect(item('EKS cluster')).toEqual([expect.objectContaining({ quantity: 730, unitPriceUsd: 0.1, monthlyUsd: 73 })]);
    expect(item('3 × m6i.large nodes')).toEqual([expect.objectContaining({ quantity: 2190, unitPriceUsd: 0.096, monthlyUsd: 210.24 })]);
    expect(item('3 × 50 GB gp3 root volumes')).toEqual([expect.objectContaining({ monthlyUsd: 12 })]);
    // PROD: one NAT gateway per AZ (3), each with its public IPv4 address.
    expect(item('NAT gateway')).toHaveLength(3);
    expect(item('public IPv4 address')).toHaveLength(3);
    expect(item('Application Load Balancer')).toEqual([expect.objectContaining({ item: 'Application Load Balancer prod-cluster/ingress:shop/orders', monthlyUsd: 16.43 })]);
    const orders = env.workloads.find(w => w.name === 'orders')!;
    expect(orders.loadBalancerMonthlyUsd).toBe(16.43);
    // Size M: 250m and 256Mi per replica on an m6i.large (2 vCPU, 8 GiB): an eighth of a node, 2 replicas.
    expect(orders.computeMonthlyUsd).toBe(17.52);
    expect(env.monthlyUsd).toBeCloseTo(env.lines.reduce((n, l) => n + l.monthlyUsd, 0), 1);
    expect(env.tenants[0].name).toBe('shop');
  });

  test('lists what it leaves out and the price sources', () => {
    const { portal } = platformWith(Profile.DEV);
    const estimate = portal.costEstimate();
    expect(estimate.leftOut.join(' ')).toContain('data transfer');
    expect(estimate.priceSources).toEqual([expect.stringMatching(/^us-east-1: as of \d{4}-\d{2}-\d{2}, https:\/\//)]);
    expect(estimate.environments[0].usageBased).toEqual(expect.arrayContaining(['aws_cloudwatch_log_group']));
    expect(estimate.environments[0].unpriced).toEqual([]);
  });
});
