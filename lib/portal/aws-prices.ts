import type { RegionPrices } from './price-table';

/*
 * AWS on-demand list prices (USD) of what paved's default sizes and
 * constructs use, for the regions paved ships. Each region names the date
 * the values were recorded and the public price lists they come from (the
 * AWS Price List offer files per service and region, and the services'
 * pricing pages). Prices change: a platform that needs exact numbers passes
 * its own table (PriceTable.of / withRegion), e.g. generated from the offer
 * files by its pipeline.
 *
 * Multi-AZ RDS (one standby) is twice the Single-AZ price, instance and
 * storage, as AWS bills both instances. ElastiCache for Valkey node-based
 * clusters cost 20% less than Redis OSS ones of the same node type.
 */

const OFFERS = 'https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws';
const PAGES = [
  'https://aws.amazon.com/eks/pricing/',
  'https://aws.amazon.com/vpc/pricing/',
  'https://aws.amazon.com/elasticloadbalancing/pricing/',
  'https://aws.amazon.com/kms/pricing/',
  'https://aws.amazon.com/secrets-manager/pricing/',
  'https://aws.amazon.com/route53/pricing/',
  'https://aws.amazon.com/cloudwatch/pricing/',
  'https://aws.amazon.com/ebs/pricing/',
];

function sources(region: string): string[] {
  return [
    `${OFFERS}/AmazonEC2/current/${region}/index.json`,
    `${OFFERS}/AmazonRDS/current/${region}/index.json`,
    `${OFFERS}/AmazonElastiCache/current/${region}/index.json`,
    ...PAGES,
  ];
}

/** vCPUs and memory (GiB) of the EC2 instance types priced below. */
const SPECS: { [type: string]: [number, number] } = {
  't3.large': [2, 8],
  't3a.large': [2, 8],
  'm6i.large': [2, 8],
  'm5.large': [2, 8],
  'm6i.xlarge': [4, 16],
  'm5.xlarge': [4, 16],
  'm6i.2xlarge': [8, 32],
  'm5.2xlarge': [8, 32],
};

function ec2(hourly: { [type: string]: number }): RegionPrices['ec2Instances'] {
  return Object.fromEntries(Object.entries(hourly)
    .map(([type, hourlyUsd]) => [type, { hourlyUsd, vcpus: SPECS[type][0], memoryGiB: SPECS[type][1] }]));
}

/** Valkey node-hours: 20% below Redis OSS. */
function withValkey(redis: { [nodeType: string]: number }): { [key: string]: number } {
  const prices: { [key: string]: number } = {};
  for (const [nodeType, hourly] of Object.entries(redis)) {
    prices[`redis/${nodeType}`] = hourly;
    prices[`valkey/${nodeType}`] = Math.round(hourly * 0.8 * 10000) / 10000;
  }
  return prices;
}

export const AWS_ON_DEMAND_PRICES: RegionPrices[] = [
  {
    region: 'eu-central-1',
    asOf: '2026-12-01',
    sources: sources('eu-central-1'),
    ec2Instances: ec2({
      't3.large': 0.096,
      't3a.large': 0.0864,
      'm6i.large': 0.115,
      'm5.large': 0.115,
      'm6i.xlarge': 0.23,
      'm5.xlarge': 0.23,
      'm6i.2xlarge': 0.46,
      'm5.2xlarge': 0.46,
    }),
    rdsInstanceHourlyUsd: {
      'postgres/db.t4g.small': 0.037,
      'postgres/db.t4g.medium': 0.075,
      'postgres/db.r6g.large': 0.262,
      'postgres/db.r6g.2xlarge': 1.048,
      'mysql/db.t4g.small': 0.037,
      'mysql/db.t4g.medium': 0.075,
      'mysql/db.r6g.large': 0.25,
      'mysql/db.r6g.2xlarge': 1.0,
    },
    rdsStorageGbMonthUsd: 0.133,
    elastiCacheNodeHourlyUsd: withValkey({ 'cache.t4g.micro': 0.018, 'cache.t4g.small': 0.036, 'cache.r6g.large': 0.239, 'cache.r6g.xlarge': 0.478 }),
    ebsGp3GbMonthUsd: 0.0952,
    natGatewayHourlyUsd: 0.052,
    natGatewayPerGbUsd: 0.052,
    publicIpv4HourlyUsd: 0.005,
    loadBalancerHourlyUsd: 0.027,
    eksClusterHourlyUsd: 0.1,
    kmsKeyMonthUsd: 1,
    secretMonthUsd: 0.4,
    hostedZoneMonthUsd: 0.5,
    alarmMonthUsd: 0.1,
    logsIngestionPerGbUsd: 0.63,
  },
  {
    region: 'us-east-1',
    asOf: '2026-12-01',
    sources: sources('us-east-1'),
    ec2Instances: ec2({
      't3.large': 0.0832,
      't3a.large': 0.0752,
      'm6i.large': 0.096,
      'm5.large': 0.096,
      'm6i.xlarge': 0.192,
      'm5.xlarge': 0.192,
      'm6i.2xlarge': 0.384,
      'm5.2xlarge': 0.384,
    }),
    rdsInstanceHourlyUsd: {
      'postgres/db.t4g.small': 0.032,
      'postgres/db.t4g.medium': 0.065,
      'postgres/db.r6g.large': 0.225,
      'postgres/db.r6g.2xlarge': 0.899,
      'mysql/db.t4g.small': 0.032,
      'mysql/db.t4g.medium': 0.065,
      'mysql/db.r6g.large': 0.215,
      'mysql/db.r6g.2xlarge': 0.861,
    },
    rdsStorageGbMonthUsd: 0.115,
    elastiCacheNodeHourlyUsd: withValkey({ 'cache.t4g.micro': 0.016, 'cache.t4g.small': 0.032, 'cache.r6g.large': 0.206, 'cache.r6g.xlarge': 0.411 }),
    ebsGp3GbMonthUsd: 0.08,
    natGatewayHourlyUsd: 0.045,
    natGatewayPerGbUsd: 0.045,
    publicIpv4HourlyUsd: 0.005,
    loadBalancerHourlyUsd: 0.0225,
    eksClusterHourlyUsd: 0.1,
    kmsKeyMonthUsd: 1,
    secretMonthUsd: 0.4,
    hostedZoneMonthUsd: 0.5,
    alarmMonthUsd: 0.1,
    logsIngestionPerGbUsd: 0.5,
  },
];
