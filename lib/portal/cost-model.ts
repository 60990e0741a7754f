import { ModelCloudResource, ModelEnvironment, ModelWorkload, PlatformModel } from './platform-model';
import { PriceTable, RegionPrices } from './price-table';
import { invalid } from '../core/errors';
import { Size } from '../core/size';

/** Hours in a month, as AWS's pricing pages count them. */
export const HOURS_PER_MONTH = 730;

/** One priced item of an estimate. */
export interface CostLine {
  /** What is priced, e.g. `db.t4g.medium (postgres, Multi-AZ)`. */
  readonly item: string;
  /** Quantity of `unit`s a month. */
  readonly quantity: number;
  /** Unit, e.g. `instance-hour`, `GB-month`, `key-month`. */
  readonly unit: string;
  /** USD per unit. */
  readonly unitPriceUsd: number;
  /** quantity × unit price, USD a month. */
  readonly monthlyUsd: number;
  /** The Terraform resource it prices, if any (construct path). */
  readonly path?: string;
}

/** The estimate of one resource of the model. */
export interface ResourceCost {
  /** `ModelResource.key`. */
  readonly key: string;
  /** USD a month. */
  readonly monthlyUsd: number;
  /** The items priced. */
  readonly lines: CostLine[];
}

/** The estimate of one workload. */
export interface WorkloadCost {
  /** Tenant. */
  readonly tenant: string;
  /** Workload. */
  readonly name: string;
  /** Its share of the nodes at its minimum replicas (requests against the node type), USD a month: part of the environment's node cost, not added to it. */
  readonly computeMonthlyUsd: number;
  /** Its share of the load balancers its Ingresses use, USD a month. */
  readonly loadBalancerMonthlyUsd: number;
  /** The resources it uses (shared ones in full), USD a month. */
  readonly resourcesMonthlyUsd: number;
  /** compute + load balancer + resources. */
  readonly monthlyUsd: number;
  /** What the figure leaves out for this workload, if anything (a cron job's runs, a cluster paved does not manage). */
  readonly note?: string;
}

/** The estimate of one tenant. */
export interface TenantCost {
  /** Tenant. */
  readonly name: string;
  /** Everything in the tenant's stack (its resources, identities, secrets), USD a month. */
  readonly resourcesMonthlyUsd: number;
  /** Its workloads' share of nodes and load balancers, USD a month (part of the environment's cost). */
  readonly computeMonthlyUsd: number;
  /** resources + compute. */
  readonly monthlyUsd: number;
}

/** The estimate of one environment. */
export interface EnvironmentCost {
  /** Environment. */
  readonly name: string;
  /** Region priced. */
  readonly region: string;
  /** Everything priced in the environment's stacks, plus its load balancers, USD a month. */
  readonly monthlyUsd: number;
  /** The foundation's items: clusters, nodes, NAT gateways, keys, zones, load balancers, bootstrap stacks. */
  readonly foundationMonthlyUsd: number;
  /** Tenants. */
  readonly tenants: TenantCost[];
  /** Workloads. */
  readonly workloads: WorkloadCost[];
  /** Resources of the model with their lines. */
  readonly resources: ResourceCost[];
  /** Every priced line of the environment. */
  readonly lines: CostLine[];
  /** Terraform types present that are billed by usage only (storage, requests), so priced at 0 here. */
  readonly usageBased: string[];
  /** Terraform types present that the estimate has no rule for, with their count: left out, never guessed. */
  readonly unpriced: string[];
}

/** A monthly cost estimate of a platform. */
export interface CostEstimate {
  /** `USD`. */
  readonly currency: string;
  /** Hours a month the hourly prices are multiplied by. */
  readonly hoursPerMonth: number;
  /** Environments. */
  readonly environments: EnvironmentCost[];
  /** Sum of the environments, USD a month. */
  readonly totalMonthlyUsd: number;
  /** The price lists used, one line per region: `<region>: as of <date>, <sources>`. */
  readonly priceSources: string[];
  /** What no estimate of paved includes. */
  readonly leftOut: string[];
}

/** What an estimate never includes: usage paved cannot know at synth. */
export const LEFT_OUT = [
  'data transfer (internet, inter-AZ, NAT gateway data processing) and load balancer capacity units',
  'requests: SQS, S3, KMS, Secrets Manager and Route 53 API calls and DNS queries',
  'storage that grows with use: S3 objects, ECR images, RDS storage beyond what is allocated, backups and snapshots beyond the free allowance',
  'CloudWatch Logs ingestion and storage (flow logs, control plane logs, query logs), Performance Insights beyond 7 days, enhanced monitoring',
  'spot discounts (spot node groups are priced on demand), savings plans, reserved instances, free tiers, taxes and support plans',
  'cron jobs and jobs, which use nodes only while they run',
];

/** Types that cost nothing by themselves. */
const FREE = new Set([
  // SNS charges per request and delivery, not per topic: alarm notifications are a few a month.
  'aws_sns_topic', 'aws_sns_topic_policy',
  'aws_iam_role', 'aws_iam_role_policy', 'aws_iam_role_policy_attachment', 'aws_iam_policy', 'aws_iam_openid_connect_provider',
  'aws_security_group', 'aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule', 'aws_security_group_rule',
  'aws_default_security_group', 'aws_vpc', 'aws_subnet', 'aws_route_table', 'aws_route', 'aws_route_table_association',
  'aws_internet_gateway', 'aws_default_network_acl', 'aws_default_route_table', 'aws_db_subnet_group', 'aws_db_parameter_group',
  'aws_elasticache_subnet_group', 'aws_elasticache_parameter_group', 'aws_elasticache_user', 'aws_elasticache_user_group',
  'aws_kms_alias', 'aws_eks_access_entry', 'aws_eks_access_policy_association', 'aws_eks_pod_identity_association', 'aws_eks_addon',
  'aws_launch_template', 'aws_s3_bucket_lifecycle_configuration', 'aws_s3_bucket_logging', 'aws_s3_bucket_notification',
  'aws_s3_bucket_ownership_controls', 'aws_s3_bucket_policy', 'aws_s3_bucket_public_access_block', 'aws_s3_bucket_versioning',
  'aws_s3_bucket_server_side_encryption_configuration', 'aws_ecr_lifecycle_policy', 'aws_ecr_repository_policy', 'aws_route53_record',
  'aws_route53_key_signing_key', 'aws_route53_hosted_zone_dnssec', 'aws_acm_certificate', 'aws_acm_certificate_validation',
  'aws_cloudwatch_log_resource_policy', 'aws_secretsmanager_secret_version', 'aws_sqs_queue_policy', 'aws_sqs_queue_redrive_allow_policy',
  'aws_sqs_queue_redrive_policy', 'aws_kms_key_policy', 'terraform_data', 'null_resource', 'time_sleep', 'random_password', 'random_id',
]);
/** Types billed by use only: priced at 0 and listed. */
const USAGE_BASED = new Set([
  'aws_s3_bucket', 'aws_sqs_queue', 'aws_ecr_repository', 'aws_cloudwatch_log_group', 'aws_flow_log', 'aws_route53_query_log',
]);
/** Providers whose resources live in the clusters (their cost is the nodes'). */
const IN_CLUSTER = /^(kubernetes|helm|kubectl)_/;

/**
 * Prices `model` with `prices`: every environment in its region. Fails,
 * naming it, on a region the table lacks and on an instance class, node
 * type or instance type the platform uses and the table has no price for.
 * @internal
 */
export function estimateCost(model: PlatformModel, prices: PriceTable): CostEstimate {
  const environments = model.environments.map(env => estimateEnvironment(env, prices.region(env.region, `environment ${env.name}`)));
  const regions = [...new Set(model.environments.map(e => e.region))];
  return {
    currency: 'USD',
    hoursPerMonth: HOURS_PER_MONTH,
    environments,
    totalMonthlyUsd: round(environments.reduce((n, e) => n + e.monthlyUsd, 0)),
    priceSources: regions.map(r => {
      const p = prices.region(r);
      return `${r}: as of ${p.asOf}, ${p.sources.join(', ')}`;
    }),
    leftOut: [...LEFT_OUT],
  };
}

function estimateEnvironment(env: ModelEnvironment, prices: RegionPrices): EnvironmentCost {
  const usage = new Set<string>();
  const unpriced = new Map<string, number>();
  const priceAll = (resources: ModelCloudResource[]) => resources.flatMap(r => {
    if (FREE.has(r.terraformType) || IN_CLUSTER.test(r.terraformType)) { return []; }
    if (USAGE_BASED.has(r.terraformType)) {
      usage.add(r.terraformType);
      return [];
    }
    const lines = priceResource(r, prices);
    if (lines === undefined) { unpriced.set(r.terraformType, (unpriced.get(r.terraformType) ?? 0) + 1); }
    return lines ?? [];
  });

  const resources: ResourceCost[] = env.resources.map(r => {
    const lines = priceAll(r.cloudResources);
    return { key: r.key, monthlyUsd: sum(lines), lines };
  });
  const otherLines = priceAll(env.otherCloudResources);
  const workloads = env.tenants.flatMap(t => t.workloads);
  const balancers = loadBalancers(workloads, prices);
  const allLines = [...resources.flatMap(r => r.lines), ...otherLines, ...balancers.lines];
  const costOf = new Map(resources.map(r => [r.key, r]));
  const tenantStacks = new Map(env.tenants.map(t => [t.stack, t.name]));
  const workloadCosts: WorkloadCost[] = workloads.map(w => {
    const compute = computeShare(env, w, prices);
    const resourcesMonthlyUsd = round(w.resources.reduce((n, key) => n + (costOf.get(key)?.monthlyUsd ?? 0), 0));
    const lb = balancers.share.get(`${w.tenant}/${w.name}`) ?? 0;
    return {
      tenant: w.tenant,
      name: w.name,
      computeMonthlyUsd: compute.monthlyUsd,
      loadBalancerMonthlyUsd: round(lb),
      resourcesMonthlyUsd,
      monthlyUsd: round(compute.monthlyUsd + lb + resourcesMonthlyUsd),
      note: compute.note,
    };
  });
  const tenants: TenantCost[] = env.tenants.map(t => {
    // The tenant's stack holds its resources, identities and secrets role (per-tenant layout); in one stack, its resources.
    const own = env.stackLayout === 'PER_TENANT'
      ? [...env.resources.filter(r => r.tenant === t.name).flatMap(r => costOf.get(r.key)!.lines),
        ...otherLines.filter(l => l.path !== undefined && tenantStacks.get(l.path.split('/')[0]) === t.name)]
      : env.resources.filter(r => r.tenant === t.name).flatMap(r => costOf.get(r.key)!.lines);
    const compute = workloadCosts.filter(w => w.tenant === t.name).reduce((n, w) => n + w.computeMonthlyUsd + w.loadBalancerMonthlyUsd, 0);
    return { name: t.name, resourcesMonthlyUsd: sum(own), computeMonthlyUsd: round(compute), monthlyUsd: round(sum(own) + compute) };
  });
  const total = sum(allLines);
  const tenantResources = tenants.reduce((n, t) => n + t.resourcesMonthlyUsd, 0);
  return {
    name: env.name,
    region: env.region,
    monthlyUsd: total,
    foundationMonthlyUsd: round(total - tenantResources),
    tenants,
    workloads: workloadCosts,
    resources,
    lines: allLines,
    usageBased: [...usage].sort(),
    unpriced: [...unpriced].sort().map(([type, n]) => `${type} (${n})`),
  };
}

/** The lines of one Terraform resource, or undefined when no rule prices its type. */
function priceResource(r: ModelCloudResource, prices: RegionPrices): CostLine[] | undefined {
  const a = r.attributes;
  const where = r.path;
  switch (r.terraformType) {
    case 'aws_db_instance': {
      const engine = String(a.engine ?? 'postgres').replace(/^aurora-/, '');
      const klass = String(a.instance_class);
      const hourly = lookup(prices.rdsInstanceHourlyUsd, `${engine}/${klass}`, where, 'rdsInstanceHourlyUsd', prices.region,
        `RDS instance class ${klass} (${engine})`);
      const copies = a.multi_az === true ? 2 : 1;
      const az = copies === 2 ? 'Multi-AZ' : 'Single-AZ';
      const lines = [line(`${klass} (${engine}, ${az})`, HOURS_PER_MONTH * copies, 'instance-hour', hourly, r.path)];
      if (typeof a.allocated_storage === 'number') {
        lines.push(line(`gp3 storage ${a.allocated_storage} GB (${az})`, a.allocated_storage * copies, 'GB-month', prices.rdsStorageGbMonthUsd, r.path));
      }
      if (a.manage_master_user_password === true) {
        lines.push(line('RDS-managed master user secret', 1, 'secret-month', prices.secretMonthUsd, r.path));
      }
      return lines;
    }
    case 'aws_elasticache_replication_group': {
      const engine = String(a.engine ?? 'redis');
      const nodeType = String(a.node_type);
      const hourly = lookup(prices.elastiCacheNodeHourlyUsd, `${engine}/${nodeType}`, where, 'elastiCacheNodeHourlyUsd', prices.region,
        `ElastiCache node type ${nodeType} (${engine})`);
      const nodes = typeof a.num_cache_clusters === 'number' ? a.num_cache_clusters
        : (a.num_node_groups ?? 1) * (1 + (a.replicas_per_node_group ?? 0));
      return [line(`${nodes} × ${nodeType} (${engine})`, HOURS_PER_MONTH * nodes, 'node-hour', hourly, r.path)];
    }
    case 'aws_eks_cluster':
      return [line('EKS cluster (standard support)', HOURS_PER_MONTH, 'cluster-hour', prices.eksClusterHourlyUsd, r.path)];
    case 'aws_eks_node_group': {
      const type = Array.isArray(a.instance_types) && a.instance_types.length > 0 ? String(a.instance_types[0]) : undefined;
      const nodes = a.scaling_config?.desired_size ?? a.scaling_config?.min_size ?? 0;
      if (type === undefined) { return undefined; }
      const instance = ec2Price(prices, type, where);
      const spot = a.capacity_type === 'SPOT' ? ', spot priced on demand' : '';
      const lines = [line(`${nodes} × ${type} nodes${spot}`, HOURS_PER_MONTH * nodes, 'instance-hour', instance.hourlyUsd, r.path)];
      if (typeof a.root_volume_gib === 'number') {
        lines.push(line(`${nodes} × ${a.root_volume_gib} GB gp3 root volumes`, nodes * a.root_volume_gib, 'GB-month', prices.ebsGp3GbMonthUsd, r.path));
      }
      return lines;
    }
    case 'aws_nat_gateway':
      return [line('NAT gateway', HOURS_PER_MONTH, 'gateway-hour', prices.natGatewayHourlyUsd, r.path)];
    case 'aws_eip':
      return [line('public IPv4 address', HOURS_PER_MONTH, 'address-hour', prices.publicIpv4HourlyUsd, r.path)];
    case 'aws_kms_key':
      return [line('KMS key', 1, 'key-month', prices.kmsKeyMonthUsd, r.path)];
    case 'aws_secretsmanager_secret':
      return [line('Secrets Manager secret', 1, 'secret-month', prices.secretMonthUsd, r.path)];
    case 'aws_route53_zone':
      return [line('Route 53 hosted zone', 1, 'zone-month', prices.hostedZoneMonthUsd, r.path)];
    case 'aws_cloudwatch_metric_alarm':
      return [line('CloudWatch alarm', 1, 'alarm-month', prices.alarmMonthUsd, r.path)];
    case 'aws_vpc_endpoint':
      return a.vpc_endpoint_type === 'Gateway' || a.vpc_endpoint_type === undefined ? [] : undefined;
    default:
      return undefined;
  }
}

/** The ALBs of the environment's workloads, one per group (or Ingress) and cluster, and each workload's share. */
function loadBalancers(workloads: ModelWorkload[], prices: RegionPrices): { lines: CostLine[]; share: Map<string, number> } {
  const users = new Map<string, string[]>();
  for (const w of workloads) {
    for (const lb of w.loadBalancers) {
      for (const cluster of w.clusters) {
        const key = `${cluster}/${lb}`;
        users.set(key, [...(users.get(key) ?? []), `${w.tenant}/${w.name}`]);
      }
    }
  }
  const monthly = HOURS_PER_MONTH * prices.loadBalancerHourlyUsd;
  const share = new Map<string, number>();
  for (const names of users.values()) {
    names.forEach(n => share.set(n, (share.get(n) ?? 0) + monthly / names.length));
  }
  const lines = [...users.keys()].sort().map(key => line(`Application Load Balancer ${key}`, HOURS_PER_MONTH, 'load-balancer-hour', prices.loadBalancerHourlyUsd));
  return { lines, share };
}

/**
 * A workload's share of its cluster's nodes: per replica, the larger of
 * its CPU and memory requests as a fraction of the node type's, times the
 * node's price, at its minimum replicas.
 */
function computeShare(env: ModelEnvironment, w: ModelWorkload, prices: RegionPrices): { monthlyUsd: number; note?: string } {
  if (w.kind === 'cron-job' || w.kind === 'job') {
    return { monthlyUsd: 0, note: `a ${w.kind} uses nodes only while it runs: not estimated` };
  }
  const cluster = env.clusters.find(c => c.name === w.clusters[0]);
  const group = cluster?.nodeGroups[0];
  if (!cluster || !group) {
    return { monthlyUsd: 0, note: `its cluster ${w.clusters[0] ?? '(none)'} is not managed by paved: its nodes are not priced` };
  }
  const node = ec2Price(prices, group.instanceTypes[0], `${env.name}/${cluster.name}/${group.name}`);
  const cpu = w.containers.reduce((n, c) => n + (c.cpuRequestMillis ?? 0), 0) / 1000;
  const memory = w.containers.reduce((n, c) => n + (c.memoryRequestMiB ?? 0), 0) / 1024;
  const fraction = Math.max(cpu / node.vcpus, memory / node.memoryGiB);
  return { monthlyUsd: round(fraction * node.hourlyUsd * HOURS_PER_MONTH * w.minReplicas) };
}

/** Monthly prices of one size in a region: what `paved sizes` prints. */
export interface SizeCost {
  /** Size. */
  readonly size: string;
  /** Region. */
  readonly region: string;
  /** A PostgreSQL database of the size, Single-AZ, with its storage at creation, USD a month. */
  readonly databaseMonthlyUsd: number;
  /** The same, Multi-AZ. */
  readonly databaseMultiAzMonthlyUsd: number;
  /** A Valkey cache of the size (primary and replicas), USD a month. */
  readonly cacheMonthlyUsd: number;
  /** A node group of the size at its desired nodes, USD a month. */
  readonly nodeGroupMonthlyUsd: number;
  /** A workload of the size at its minimum replicas, as its share of the size's node type, USD a month. */
  readonly workloadMonthlyUsd: number;
}

/**
 * What each size costs a month in `region`.
 * @internal
 */
export function sizeCosts(sizes: Size[], prices: PriceTable, region: string): SizeCost[] {
  const p = prices.region(region);
  return sizes.map(size => {
    const where = `Size ${size.name}`;
    const db = lookup(p.rdsInstanceHourlyUsd, `postgres/${size.database.instanceClass}`, where, 'rdsInstanceHourlyUsd', region,
      `RDS instance class ${size.database.instanceClass} (postgres)`);
    const cache = lookup(p.elastiCacheNodeHourlyUsd, `valkey/${size.cache.nodeType}`, where, 'elastiCacheNodeHourlyUsd', region,
      `ElastiCache node type ${size.cache.nodeType} (valkey)`);
    const node = ec2Price(p, size.nodeGroup.instanceTypes[0], where);
    const database = db * HOURS_PER_MONTH + size.database.storageGiB * p.rdsStorageGbMonthUsd;
    const fraction = Math.max(size.app.cpuRequestMillis / 1000 / node.vcpus, size.app.memoryRequestMiB / 1024 / node.memoryGiB);
    return {
      size: size.name,
      region,
      databaseMonthlyUsd: round(database),
      databaseMultiAzMonthlyUsd: round(database * 2),
      cacheMonthlyUsd: round(cache * HOURS_PER_MONTH * (1 + size.cache.replicas)),
      nodeGroupMonthlyUsd: round(node.hourlyUsd * HOURS_PER_MONTH * size.nodeGroup.desiredSize),
      workloadMonthlyUsd: round(fraction * node.hourlyUsd * HOURS_PER_MONTH * size.app.minReplicas),
    };
  });
}

function ec2Price(prices: RegionPrices, type: string, where: string) {
  const price = prices.ec2Instances[type];
  if (!price) {
    throw invalid(where, 'price', type, `an EC2 instance type of the price table for ${prices.region} (${Object.keys(prices.ec2Instances).join(', ')}): `
      + `the table has no price for instance type ${type}; add it (PriceTable.withRegion) or choose a priced type`);
  }
  return price;
}

function lookup(map: { [key: string]: number }, key: string, where: string, field: string, region: string, what: string): number {
  const price = map[key];
  if (price === undefined) {
    throw invalid(where, 'price', key, `a key of ${field} in the price table for ${region} (${Object.keys(map).join(', ')}): `
      + `the table has no price for ${what}; add it (PriceTable.withRegion) or choose a priced one`);
  }
  return price;
}

function line(item: string, quantity: number, unit: string, unitPriceUsd: number, path?: string): CostLine {
  return { item, quantity, unit, unitPriceUsd, monthlyUsd: round(quantity * unitPriceUsd), ...(path ? { path } : {}) };
}

function sum(lines: { monthlyUsd: number }[]): number {
  return round(lines.reduce((n, l) => n + l.monthlyUsd, 0));
}

/** To the cent. */
export function round(usd: number): number {
  return Math.round(usd * 100) / 100;
}
