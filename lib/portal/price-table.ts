import { AWS_ON_DEMAND_PRICES } from './aws-prices';
import { invalid } from '../core/errors';

/** On-demand price and capacity of an EC2 instance type. */
export interface Ec2InstancePrice {
  /** USD per instance-hour, Linux, shared tenancy. */
  readonly hourlyUsd: number;
  /** vCPUs. */
  readonly vcpus: number;
  /** Memory, GiB. */
  readonly memoryGiB: number;
}

/** On-demand USD prices of one AWS region: what the cost estimate multiplies. */
export interface RegionPrices {
  /** AWS region, e.g. `eu-central-1`. */
  readonly region: string;
  /** When the prices were taken from their source (`YYYY-MM-DD`). */
  readonly asOf: string;
  /** Where they come from: the AWS price list offer files or pricing pages. */
  readonly sources: string[];
  /** EC2 instance types (EKS nodes), by type, e.g. `m6i.large`. */
  readonly ec2Instances: { [instanceType: string]: Ec2InstancePrice };
  /** RDS instance-hours, Single-AZ, by `<engine>/<instance class>`, e.g. `postgres/db.t4g.medium`; Multi-AZ (one standby) costs twice as much. */
  readonly rdsInstanceHourlyUsd: { [engineAndClass: string]: number };
  /** RDS gp3 storage, USD per GB-month, Single-AZ; Multi-AZ twice as much. */
  readonly rdsStorageGbMonthUsd: number;
  /** ElastiCache node-hours by `<engine>/<node type>`, e.g. `valkey/cache.t4g.small`. */
  readonly elastiCacheNodeHourlyUsd: { [engineAndNodeType: string]: number };
  /** EBS gp3 volumes (the nodes' root volumes), USD per GB-month. */
  readonly ebsGp3GbMonthUsd: number;
  /** NAT gateway, USD per hour. */
  readonly natGatewayHourlyUsd: number;
  /** NAT gateway data processed, USD per GB (not estimated: shown beside the estimate). */
  readonly natGatewayPerGbUsd: number;
  /** A public IPv4 address (an Elastic IP, e.g. a NAT gateway's), USD per hour. */
  readonly publicIpv4HourlyUsd: number;
  /** Application Load Balancer, USD per hour (LCUs are usage: not estimated). */
  readonly loadBalancerHourlyUsd: number;
  /** EKS cluster on standard support, USD per hour. */
  readonly eksClusterHourlyUsd: number;
  /** KMS customer managed key, USD per month. */
  readonly kmsKeyMonthUsd: number;
  /** Secrets Manager secret, USD per month. */
  readonly secretMonthUsd: number;
  /** Route 53 hosted zone, USD per month (the first 25). */
  readonly hostedZoneMonthUsd: number;
  /** CloudWatch standard-resolution alarm, USD per month. */
  readonly alarmMonthUsd: number;
  /** CloudWatch Logs ingestion, USD per GB (not estimated: shown beside the estimate). */
  readonly logsIngestionPerGbUsd: number;
}

/**
 * The prices a cost estimate uses, per region. paved ships AWS's public
 * on-demand list prices for the instance classes, node types and instance
 * types of its default sizes in eu-central-1 and us-east-1
 * ({@link PriceTable.awsOnDemand}); a platform in another region, or with
 * sizes of other types, passes its own ({@link PriceTable.of}) or extends
 * the built-in one ({@link PriceTable.withRegion}). A price the platform
 * needs and the table lacks fails the synth naming it: never a silent zero.
 */
export class PriceTable {
  /** AWS on-demand list prices for eu-central-1 and us-east-1, dated, with their sources (`lib/portal/aws-prices.ts`). */
  public static awsOnDemand(): PriceTable {
    return new PriceTable(AWS_ON_DEMAND_PRICES);
  }

  /** A table of exactly these regions' prices. */
  public static of(regions: RegionPrices[]): PriceTable {
    return new PriceTable(regions);
  }

  private readonly byRegion = new Map<string, RegionPrices>();

  private constructor(regions: RegionPrices[]) {
    if (!Array.isArray(regions)) {
      throw invalid('PriceTable', 'regions', regions, 'a list of RegionPrices');
    }
    regions.forEach(r => this.add(r));
  }

  /** The regions priced, in the order added. */
  public get regions(): string[] {
    return [...this.byRegion.keys()];
  }

  /** A new table with `prices` added, replacing the region's prices if it had them. */
  public withRegion(prices: RegionPrices): PriceTable {
    return new PriceTable([...[...this.byRegion.values()].filter(r => r.region !== prices?.region), prices]);
  }

  /**
   * The prices of `region`; fails naming the region and the regions the table has.
   * @param where construct path or file the error names
   */
  public region(region: string, where: string = 'PriceTable'): RegionPrices {
    const prices = this.byRegion.get(region);
    if (!prices) {
      throw invalid(where, 'region', region,
        `a region of the price table (${this.regions.join(', ') || 'none'}): pass prices for ${region} with PriceTable.awsOnDemand().withRegion({...}) or PriceTable.of([...])`);
    }
    return prices;
  }

  private add(prices: RegionPrices): void {
    const where = `PriceTable ${prices?.region}`;
    if (typeof prices?.region !== 'string' || !/^[a-z]{2}(-[a-z]+)+-\d$/.test(prices.region)) {
      throw invalid('PriceTable', 'region', prices?.region, 'an AWS region such as "eu-central-1"');
    }
    if (typeof prices.asOf !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(prices.asOf)) {
      throw invalid(where, 'asOf', prices.asOf, 'the date the prices were taken, YYYY-MM-DD');
    }
    if (!Array.isArray(prices.sources) || prices.sources.length === 0 || prices.sources.some(s => typeof s !== 'string' || !/^https:\/\//.test(s))) {
      throw invalid(where, 'sources', prices.sources, 'one or more https:// URLs the prices come from');
    }
    const scalars: (keyof RegionPrices)[] = [
      'rdsStorageGbMonthUsd', 'ebsGp3GbMonthUsd', 'natGatewayHourlyUsd', 'natGatewayPerGbUsd', 'publicIpv4HourlyUsd', 'loadBalancerHourlyUsd',
      'eksClusterHourlyUsd', 'kmsKeyMonthUsd', 'secretMonthUsd', 'hostedZoneMonthUsd', 'alarmMonthUsd', 'logsIngestionPerGbUsd',
    ];
    for (const field of scalars) { checkPrice(where, field, prices[field]); }
    for (const field of ['rdsInstanceHourlyUsd', 'elastiCacheNodeHourlyUsd'] as const) {
      const map = prices[field];
      if (map === null || typeof map !== 'object') { throw invalid(where, field, map, 'an object of prices by key'); }
      Object.entries(map).forEach(([key, value]) => {
        if (!/^[a-z0-9-]+\/[a-z0-9]+\.[a-z0-9]+\.[a-z0-9]+$/.test(key)) {
          throw invalid(where, `${field}.${key}`, key, field === 'rdsInstanceHourlyUsd' ? 'a key <engine>/<instance class>, e.g. "postgres/db.t4g.medium"' : 'a key <engine>/<node type>, e.g. "valkey/cache.t4g.small"');
        }
        checkPrice(where, `${field}.${key}`, value);
      });
    }
    if (prices.ec2Instances === null || typeof prices.ec2Instances !== 'object') {
      throw invalid(where, 'ec2Instances', prices.ec2Instances, 'an object of EC2 instance prices by type');
    }
    for (const [type, price] of Object.entries(prices.ec2Instances)) {
      checkPrice(where, `ec2Instances.${type}.hourlyUsd`, price?.hourlyUsd);
      for (const field of ['vcpus', 'memoryGiB'] as const) {
        if (typeof price[field] !== 'number' || !(price[field] > 0)) {
          throw invalid(where, `ec2Instances.${type}.${field}`, price[field], 'a positive number');
        }
      }
    }
    this.byRegion.set(prices.region, prices);
  }
}

function checkPrice(where: string, field: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalid(where, field, value, 'a price in USD, a finite number of at least 0');
  }
}
