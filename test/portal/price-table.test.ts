import { PriceTable, RegionPrices } from '../../lib';

const base = (): RegionPrices => ({ ...PriceTable.awsOnDemand().region('us-east-1') });

describe('PriceTable', () => {
  test('ships dated AWS prices with their sources for eu-central-1 and us-east-1, for every type of the default sizes', () => {
    const table = PriceTable.awsOnDemand();
    expect(table.regions).toEqual(['eu-central-1', 'us-east-1']);
    for (const region of table.regions) {
      const prices = table.region(region);
      expect(prices.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(prices.sources).toContain(`https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonRDS/current/${region}/index.json`);
      for (const klass of ['db.t4g.small', 'db.t4g.medium', 'db.r6g.large', 'db.r6g.2xlarge']) {
        expect(prices.rdsInstanceHourlyUsd[`postgres/${klass}`]).toBeGreaterThan(0);
        expect(prices.rdsInstanceHourlyUsd[`mysql/${klass}`]).toBeGreaterThan(0);
      }
      for (const node of ['cache.t4g.micro', 'cache.t4g.small', 'cache.r6g.large', 'cache.r6g.xlarge']) {
        // Valkey node-hours cost 20% less than Redis OSS ones.
        expect(prices.elastiCacheNodeHourlyUsd[`valkey/${node}`]).toBeCloseTo(prices.elastiCacheNodeHourlyUsd[`redis/${node}`] * 0.8, 4);
      }
      for (const type of ['t3.large', 'm6i.large', 'm6i.xlarge', 'm6i.2xlarge', 'm5.large']) {
        expect(prices.ec2Instances[type].hourlyUsd).toBeGreaterThan(0);
      }
    }
    expect(table.region('us-east-1').ec2Instances['m6i.large']).toEqual({ hourlyUsd: 0.096, vcpus: 2, memoryGiB: 8 });
  });

  test('withRegion adds a region or replaces one, leaving the original table as it was', () => {
    const table = PriceTable.awsOnDemand();
    const added = table.withRegion({ ...base(), region: 'eu-west-1' });
    expect(added.regions).toEqual(['eu-central-1', 'us-east-1', 'eu-west-1']);
    const replaced = table.withRegion({ ...base(), eksClusterHourlyUsd: 0.6 });
    expect(replaced.region('us-east-1').eksClusterHourlyUsd).toBe(0.6);
    expect(table.region('us-east-1').eksClusterHourlyUsd).toBe(0.1);
    expect(PriceTable.of([{ ...base(), region: 'eu-west-1' }]).regions).toEqual(['eu-west-1']);
  });

  test('fails when asked for a region it lacks', () => {
    expect(() => PriceTable.awsOnDemand().region('sa-east-1', 'environment br')).toThrow(
      'environment br: region: got "sa-east-1"; expected a region of the price table (eu-central-1, us-east-1)');
  });

  test.each([
    [{ region: 'Frankfurt' }, 'PriceTable: region: got "Frankfurt"; expected an AWS region'],
    [{ asOf: 'June 2026' }, 'PriceTable us-east-1: asOf: got "June 2026"; expected the date the prices were taken, YYYY-MM-DD'],
    [{ sources: [] }, 'PriceTable us-east-1: sources: got []; expected one or more https:// URLs'],
    [{ natGatewayHourlyUsd: -1 }, 'PriceTable us-east-1: natGatewayHourlyUsd: got -1; expected a price in USD'],
    [{ kmsKeyMonthUsd: Number.NaN }, 'PriceTable us-east-1: kmsKeyMonthUsd: got NaN; expected a price in USD'],
    [{ rdsInstanceHourlyUsd: { 'db.t4g.small': 0.1 } }, 'PriceTable us-east-1: rdsInstanceHourlyUsd.db.t4g.small: got "db.t4g.small"; expected a key <engine>/<instance class>'],
    [{ elastiCacheNodeHourlyUsd: { 'valkey/cache.t4g.small': '0.1' } }, 'PriceTable us-east-1: elastiCacheNodeHourlyUsd.valkey/cache.t4g.small: got "0.1"; expected a price in USD'],
    [{ ec2Instances: { 'm6i.large': { hourlyUsd: 0.1, vcpus: 0, memoryGiB: 8 } } }, 'PriceTable us-east-1: ec2Instances.m6i.large.vcpus: got 0; expected a positive number'],
  ])('fails when a region\'s prices are invalid: %j', (change, message) => {
    expect(() => PriceTable.of([{ ...base(), ...change } as RegionPrices])).toThrow(message);
  });

  test('fails when not given a list', () => {
    expect(() => PriceTable.of({} as any)).toThrow('PriceTable: regions: got {}; expected a list of RegionPrices');
  });
});
