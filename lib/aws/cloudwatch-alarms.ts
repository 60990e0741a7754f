import type { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { Construct, IConstruct } from 'constructs';
import { AlarmTopic, IAlarmTopic } from './alarm-topic';
import { Environment } from '../core/environment';
import { invalid } from '../core/errors';
import { lazyModule } from '../core/lazy-module';
import { LookupKey } from '../core/lookup';
import { Platform } from '../core/platform';
import { Size } from '../core/size';

const cloudwatchMetricAlarmLib = lazyModule<typeof import('@cdktf/provider-aws/lib/cloudwatch-metric-alarm')>('@cdktf/provider-aws/lib/cloudwatch-metric-alarm');

/** Where the CloudWatch alarms of a stateful resource notify, or whether there are any. */
export interface AlarmOptions {
  /**
   * The SNS topic every alarm of the resource notifies, when it goes off
   * and when it recovers.
   * @default - the environment's platform topic (`AlarmTopic.forPlatform(env)`); the resources a workload's provisioners make notify their tenant's topic
   */
  readonly topic?: IAlarmTopic;
  /**
   * Make the alarms. Turning them off is recorded in the synth report.
   * @default true
   */
  readonly enabled?: boolean;
}

/** How a CloudWatch alarm compares the statistic with its threshold. */
export enum AlarmComparison {
  /** The statistic is above the threshold. */
  GREATER_THAN = 'GreaterThanThreshold',
  /** The statistic is below the threshold. */
  LESS_THAN = 'LessThanThreshold',
}

/**
 * One CloudWatch alarm paved sets on a resource: the metric, statistic,
 * period, threshold and how many periods in a row it must be breached.
 * The same definition becomes a Prometheus rule on the CloudWatch
 * exporter's series (see `PlatformMonitoring`), so both sides alert alike.
 */
export interface AlarmDefinition {
  /** Construct id of the alarm below the resource's `Alarms`. */
  readonly id: string;
  /** Name of the alarm in CloudWatch, `<resource>-<what>`. */
  readonly alarmName: string;
  /** Name of the resource watched, e.g. `prod-shop-orders-db`, as `description` names it. */
  readonly resourceName: string;
  /** What went wrong and what to check first. */
  readonly description: string;
  /** CloudWatch namespace, e.g. `AWS/RDS`. */
  readonly namespace: string;
  /** Metric name, e.g. `CPUUtilization`. */
  readonly metricName: string;
  /** Dimensions selecting the resource, e.g. `{ DBInstanceIdentifier: 'prod-shop-orders-db' }`. */
  readonly dimensions: { [name: string]: string };
  /** Statistic: `Average`, `Minimum`, `Maximum` or `Sum`. */
  readonly statistic: string;
  /** Length of one period, seconds. */
  readonly periodSeconds: number;
  /** Periods in a row the threshold must be breached. */
  readonly evaluationPeriods: number;
  /** How the statistic is compared. */
  readonly comparison: AlarmComparison;
  /** The threshold, in the metric's unit. */
  readonly threshold: number;
  /** Whether the condition threatens data or availability at once (a page), rather than a ticket. */
  readonly critical: boolean;
}

/**
 * A resource with CloudWatch alarms, as registered in its environment: the
 * Prometheus side turns the same definitions into rules.
 * @internal
 */
export interface AlarmedResource {
  readonly resource: IConstruct;
  readonly definitions: AlarmDefinition[];
  /** The SNS topics the alarms notify. */
  readonly topicArns: string[];
}

/** The resources with alarms of an environment, in the order made. */
const ALARMED_RESOURCES = new LookupKey<AlarmedResource>('alarmed-resources');

/**
 * Every resource with CloudWatch alarms in `env`, in the order made.
 * @internal
 */
export function alarmedResources(env: Environment): readonly AlarmedResource[] {
  return env._lookup.list(ALARMED_RESOURCES);
}

/**
 * Registers the alarms of `resource`, for the rules of the Prometheus side.
 * @internal
 */
export function registerAlarms(resource: IConstruct, definitions: AlarmDefinition[], topicArns: string[]): void {
  if (definitions.length === 0) { return; }
  Environment.containing(resource)._lookup.add(ALARMED_RESOURCES, { resource, definitions: [...definitions], topicArns: [...topicArns] });
}

const FIVE_MINUTES = 300;
const GIB = 1024 ** 3;
/** What share of `max_connections` the connections alarm allows. */
const CONNECTIONS_SHARE = 0.8;
/** What share of a burstable class's largest CPU credit balance is "low". */
const CREDIT_SHARE = 0.1;
/** RDS's default `max_connections`: DBInstanceClassMemory divided by this (bytes per connection). */
const BYTES_PER_CONNECTION: { [engine: string]: number } = { postgres: 9531392, mysql: 12582880 };
const MAX_CONNECTIONS_CAP: { [engine: string]: number } = { postgres: 5000, mysql: 100000 };
/** Memory (GiB) per vCPU of the instance families with a fixed ratio. */
const GIB_PER_VCPU: { [family: string]: number } = { m: 4, r: 8, x: 16, z: 8, c: 2 };
/** Memory (GiB) and largest CPU credit balance of the burstable sizes (db.t3, db.t4g). */
const BURSTABLE: { [size: string]: { gib: number; maxCredits: number } } = {
  'micro': { gib: 1, maxCredits: 288 },
  'small': { gib: 2, maxCredits: 576 },
  'medium': { gib: 4, maxCredits: 576 },
  'large': { gib: 8, maxCredits: 864 },
  'xlarge': { gib: 16, maxCredits: 2304 },
  '2xlarge': { gib: 32, maxCredits: 4608 },
};

/**
 * The memory of an instance class (`db.r6g.large`, `cache.t4g.small`), GiB;
 * undefined for a class paved does not know.
 * @internal
 */
export function instanceMemoryGiB(instanceClass: string): number | undefined {
  const match = /^(?:db|cache)\.([a-z]+)(\d)[a-z-]*\.(\w+)$/.exec(instanceClass);
  if (!match) { return undefined; }
  const [, family, , size] = match;
  if (family === 't') { return BURSTABLE[size]?.gib; }
  const perVcpu = GIB_PER_VCPU[family];
  const vcpus = size === 'large' ? 2 : size === 'xlarge' ? 4 : /^(\d+)xlarge$/.test(size) ? 4 * Number(size.slice(0, -6)) : undefined;
  return perVcpu !== undefined && vcpus !== undefined ? perVcpu * vcpus : undefined;
}

/**
 * The alarms of an RDS instance, thresholds from its size:
 * - CPU: average CPUUtilization above 80% for 15 minutes;
 * - free storage: minimum FreeStorageSpace below 10% of the size's
 *   allocated storage (storage autoscaling adds space at that point: the
 *   alarm shows a disk filling faster than autoscaling, or one at its
 *   maximum), 10 minutes; critical;
 * - connections: maximum DatabaseConnections above 80% of the engine's
 *   default `max_connections` for the class's memory (PostgreSQL:
 *   memory / 9531392, at most 5000; MySQL: memory / 12582880) for 15
 *   minutes; critical (new connections are refused at the limit); none for
 *   a class paved does not know the memory of;
 * - CPU credits (burstable classes, db.t*): minimum CPUCreditBalance below
 *   10% of the class's largest balance for 15 minutes (at zero the
 *   instance runs at its baseline);
 * - burst balance (gp2 storage only: paved's gp3 has none): average
 *   BurstBalance below 20% for 15 minutes.
 * paved makes no read replicas (a Multi-AZ standby has no ReplicaLag metric), so no replica lag alarm.
 * @internal
 */
export function rdsAlarmDefinitions(identifier: string, engine: string, size: Size, storageType: string): AlarmDefinition[] {
  const dimensions = { DBInstanceIdentifier: identifier };
  const of = (id: string, suffix: string, rest: Omit<AlarmDefinition, 'id' | 'alarmName' | 'resourceName' | 'namespace' | 'dimensions'>): AlarmDefinition =>
    ({ id, alarmName: `${identifier}-${suffix}`, resourceName: identifier, namespace: 'AWS/RDS', dimensions, ...rest });
  const alarms = [
    of('CpuAlarm', 'cpu', {
      description: `RDS instance ${identifier}: CPU above 80% for 15 minutes. Check Performance Insights for the top statements, or move to a larger size.`,
      metricName: 'CPUUtilization',
      statistic: 'Average',
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 3,
      comparison: AlarmComparison.GREATER_THAN,
      threshold: 80,
      critical: false,
    }),
    of('FreeStorageAlarm', 'free-storage', {
      description: `RDS instance ${identifier}: less than 10% of its ${size.database.storageGiB} GiB free (storage autoscaling stops at ${size.database.maxStorageGiB} GiB). Find what grows, or move to a larger size.`,
      metricName: 'FreeStorageSpace',
      statistic: 'Minimum',
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 2,
      comparison: AlarmComparison.LESS_THAN,
      threshold: Math.round(size.database.storageGiB * GIB * 0.1),
      critical: true,
    }),
  ];
  const memory = instanceMemoryGiB(size.database.instanceClass);
  if (memory !== undefined && BYTES_PER_CONNECTION[engine] !== undefined) {
    const max = Math.min(Math.floor(memory * GIB / BYTES_PER_CONNECTION[engine]), MAX_CONNECTIONS_CAP[engine]);
    alarms.push(of('ConnectionsAlarm', 'connections', {
      description: `RDS instance ${identifier}: more than 80% of its ${max} connections (${size.database.instanceClass}) in use for 15 minutes. Pool connections, or move to a larger size.`,
      metricName: 'DatabaseConnections',
      statistic: 'Maximum',
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 3,
      comparison: AlarmComparison.GREATER_THAN,
      threshold: Math.floor(max * CONNECTIONS_SHARE),
      critical: true,
    }));
  }
  const burstable = /^db\.t\d[a-z]*\.(\w+)$/.exec(size.database.instanceClass);
  const credits = burstable ? BURSTABLE[burstable[1]]?.maxCredits : undefined;
  if (credits !== undefined) {
    alarms.push(of('CpuCreditsAlarm', 'cpu-credits', {
      description: `RDS instance ${identifier}: CPU credits nearly spent; at zero the burstable ${size.database.instanceClass} runs at its baseline. Move to a larger or non-burstable size.`,
      metricName: 'CPUCreditBalance',
      statistic: 'Minimum',
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 3,
      comparison: AlarmComparison.LESS_THAN,
      threshold: Math.round(credits * CREDIT_SHARE),
      critical: false,
    }));
  }
  if (storageType === 'gp2') {
    alarms.push(of('BurstBalanceAlarm', 'burst-balance', {
      description: `RDS instance ${identifier}: gp2 I/O burst balance below 20%; at zero I/O drops to the volume's baseline. Move to gp3.`,
      metricName: 'BurstBalance',
      statistic: 'Average',
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 3,
      comparison: AlarmComparison.LESS_THAN,
      threshold: 20,
      critical: false,
    }));
  }
  return alarms;
}

/**
 * The alarms of an ElastiCache replication group (cluster mode off), one
 * set per node (`<id>-001` the first primary, then the replicas of the
 * size):
 * - engine CPU: average EngineCPUUtilization (the engine's one thread)
 *   above 80% for 15 minutes;
 * - memory: average DatabaseMemoryUsagePercentage above 80% for 15
 *   minutes (evictions follow);
 * - evictions: keys evicted in each of 3 periods of 5 minutes;
 * - replication lag (when the size has replicas): maximum ReplicationLag
 *   above 30 s for 5 minutes (replicas serve stale data; only replicas
 *   publish it).
 * @internal
 */
export function elastiCacheAlarmDefinitions(replicationGroupId: string, size: Size): AlarmDefinition[] {
  const nodes = Array.from({ length: size.cache.replicas + 1 }, (_, i) => `${replicationGroupId}-${String(i + 1).padStart(3, '0')}`);
  return nodes.flatMap((node, i) => {
    const of = (id: string, suffix: string, rest: Omit<AlarmDefinition, 'id' | 'alarmName' | 'resourceName' | 'namespace' | 'dimensions'>): AlarmDefinition =>
      ({ id: `${id}${i + 1}`, alarmName: `${node}-${suffix}`, resourceName: node, namespace: 'AWS/ElastiCache', dimensions: { CacheClusterId: node }, ...rest });
    const alarms = [
      of('EngineCpuAlarm', 'engine-cpu', {
        description: `ElastiCache node ${node}: engine CPU above 80% for 15 minutes; commands queue. Find slow or large commands, or move to a larger size.`,
        metricName: 'EngineCPUUtilization',
        statistic: 'Average',
        periodSeconds: FIVE_MINUTES,
        evaluationPeriods: 3,
        comparison: AlarmComparison.GREATER_THAN,
        threshold: 80,
        critical: false,
      }),
      of('MemoryAlarm', 'memory', {
        description: `ElastiCache node ${node}: more than 80% of its memory (${size.cache.nodeType}) used for 15 minutes; keys are evicted next. Set TTLs, or move to a larger size.`,
        metricName: 'DatabaseMemoryUsagePercentage',
        statistic: 'Average',
        periodSeconds: FIVE_MINUTES,
        evaluationPeriods: 3,
        comparison: AlarmComparison.GREATER_THAN,
        threshold: 80,
        critical: false,
      }),
      of('EvictionsAlarm', 'evictions', {
        description: `ElastiCache node ${node}: keys evicted for lack of memory in each of the last 15 minutes. Set TTLs, or move to a larger size.`,
        metricName: 'Evictions',
        statistic: 'Sum',
        periodSeconds: FIVE_MINUTES,
        evaluationPeriods: 3,
        comparison: AlarmComparison.GREATER_THAN,
        threshold: 0,
        critical: false,
      }),
    ];
    if (size.cache.replicas > 0) {
      alarms.push(of('ReplicationLagAlarm', 'replication-lag', {
        description: `ElastiCache node ${node}: a replica more than 30 s behind its primary for 5 minutes; reads from it are stale. Check the primary's write load and network.`,
        metricName: 'ReplicationLag',
        statistic: 'Maximum',
        periodSeconds: 60,
        evaluationPeriods: 5,
        comparison: AlarmComparison.GREATER_THAN,
        threshold: 30,
        critical: false,
      }));
    }
    return alarms;
  });
}

/**
 * The alarms of a NAT gateway (whose id is known at apply time):
 * - port allocation errors: ErrorPortAllocation above 0 in 5 minutes (new
 *   connections fail: too many to one destination); critical;
 * - dropped packets: PacketsDropCount above 0 in each of 3 periods of 5 minutes.
 * @internal
 */
export function natGatewayAlarmDefinitions(name: string, natGatewayId: string, index: number): AlarmDefinition[] {
  const dimensions = { NatGatewayId: natGatewayId };
  return [
    {
      id: `PortAllocationAlarm${index}`,
      alarmName: `${name}-port-allocation`,
      resourceName: name,
      namespace: 'AWS/NATGateway',
      dimensions,
      description: `NAT gateway ${name}: connections failed for lack of source ports (more than 55,000 to one destination). Spread the traffic, or add addresses to the gateway.`,
      metricName: 'ErrorPortAllocation',
      statistic: 'Sum',
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 1,
      comparison: AlarmComparison.GREATER_THAN,
      threshold: 0,
      critical: true,
    },
    {
      id: `PacketsDroppedAlarm${index}`,
      alarmName: `${name}-packets-dropped`,
      resourceName: name,
      namespace: 'AWS/NATGateway',
      dimensions,
      description: `NAT gateway ${name}: packets dropped in each of the last 15 minutes. Check the AWS Health Dashboard for the gateway's zone.`,
      metricName: 'PacketsDropCount',
      statistic: 'Sum',
      periodSeconds: FIVE_MINUTES,
      evaluationPeriods: 3,
      comparison: AlarmComparison.GREATER_THAN,
      threshold: 0,
      critical: false,
    },
  ];
}

/** The alarms of a resource and their definitions: none of either when its alarms are turned off. @internal */
export interface ResourceAlarms {
  readonly definitions: AlarmDefinition[];
  readonly alarms: CloudwatchMetricAlarm[];
}

/**
 * Creates the alarms of `definitions` under `<scope>/Alarms`, notifying
 * the topic of `options` (or the platform's); none when
 * `options.enabled` is false (recorded in the report).
 * @param dependsOn the resource the alarms watch: created before them, destroyed after
 * @internal
 */
export function createAlarms(scope: Construct, definitions: AlarmDefinition[], options: AlarmOptions | undefined,
  dependsOn: IConstruct[]): ResourceAlarms {
  const topic = alarmTopicOf(scope, options);
  if (topic === undefined) { return { definitions: [], alarms: [] }; }
  Platform.of(scope).recordDefault(scope, 'alarms', `${definitions.map(d => d.alarmName).join(', ')} -> ${topic.topicName}`,
    options?.topic === undefined ? 'paved default' : 'override');
  const container = new Construct(scope, 'Alarms');
  registerAlarms(scope, definitions, [topic.topicArn]);
  return { definitions, alarms: definitions.map(d => alarmResource(container, d.id, d, [topic.topicArn], dependsOn)) };
}

/**
 * The topic the alarms of `scope` notify: the one of `options`, else the
 * environment's platform topic; undefined when alarms are turned off (recorded in the report).
 * @internal
 */
export function alarmTopicOf(scope: Construct, options: AlarmOptions | undefined): IAlarmTopic | undefined {
  if (!validateAlarmOptions(scope, options)) {
    Platform.of(scope).recordDefault(scope, 'alarms', '**none** (CloudWatch alarms turned off)', 'override');
    return undefined;
  }
  return options?.topic ?? AlarmTopic.forPlatform(Environment.containing(scope));
}

/**
 * The CloudWatch alarm of one definition, notifying `actions` when it goes off and when it recovers.
 * @internal
 */
export function alarmResource(scope: Construct, id: string, d: AlarmDefinition, actions: string[], dependsOn: IConstruct[]): CloudwatchMetricAlarm {
  return new cloudwatchMetricAlarmLib.CloudwatchMetricAlarm(scope, id, {
    alarmName: d.alarmName,
    alarmDescription: d.description,
    namespace: d.namespace,
    metricName: d.metricName,
    dimensions: d.dimensions,
    statistic: d.statistic,
    period: d.periodSeconds,
    evaluationPeriods: d.evaluationPeriods,
    comparisonOperator: d.comparison,
    threshold: d.threshold,
    // No data means an idle resource (SQS stops publishing after 6 idle hours, ElastiCache primaries have no lag), not a breach.
    treatMissingData: 'notBreaching',
    actionsEnabled: true,
    ...(actions.length > 0 ? { alarmActions: [...actions], okActions: [...actions] } : {}),
    dependsOn: dependsOn as any[],
  });
}

/** Whether alarms are made; fails on malformed options. */
function validateAlarmOptions(scope: IConstruct, options: AlarmOptions | undefined): boolean {
  if (options === undefined) { return true; }
  if (options === null || typeof options !== 'object') {
    throw invalid(scope, 'alarms', options, '{ topic?, enabled? }');
  }
  if (options.enabled !== undefined && typeof options.enabled !== 'boolean') {
    throw invalid(scope, 'alarms.enabled', options.enabled, 'true or false');
  }
  const topic = options.topic;
  if (topic !== undefined && (topic === null || typeof topic.topicArn !== 'string' || typeof topic.topicName !== 'string')) {
    throw invalid(scope, 'alarms.topic', topic, 'an IAlarmTopic (AlarmTopic.forTenant(env, tenant), AlarmTopic.forPlatform(env))');
  }
  if (topic !== undefined && options.enabled === false) {
    throw invalid(scope, 'alarms.topic', topic.topicName, 'no topic with enabled: false (there are no alarms to notify it)');
  }
  return options.enabled ?? true;
}
