import { RenderedRule } from './alert-rule';
import { AlertSeverity } from './alert-threshold';
import { promDuration, promNumber, promString } from './promql';
import { AlarmComparison, AlarmDefinition } from '../aws/cloudwatch-alarms';

/**
 * The name YACE (prometheus-community's yet-another-cloudwatch-exporter)
 * gives the series of a CloudWatch metric and statistic:
 * `aws_<namespace>_<metric>_<statistic>` in snake case, e.g.
 * `aws_rds_free_storage_space_minimum` (its `BuildMetricName`).
 * @internal
 */
export function yaceMetricName(namespace: string, metricName: string, statistic: string): string {
  const ns = snake(namespace.replace(/^\//, '').toLowerCase());
  const prefix = ns.startsWith('aws') ? ns : `aws_${ns}`;
  // A metric whose name repeats a part of the namespace (Glue's glue.*) loses it, as in YACE.
  let metric = snake(metricName);
  let skip = 0;
  for (const part of ns.split('_')) {
    if (metric.slice(skip).startsWith(part)) { skip = part.length; }
  }
  metric = metric.slice(skip).replace(/^_/, '');
  return `${prefix}_${metric}_${snake(statistic)}`;
}

/** YACE's `PromString`: separators become `_`, and `_` goes before an upper-case letter that follows a lower-case letter or digit. */
function snake(text: string): string {
  let out = '';
  let previous = '';
  for (const c of text) {
    if (/[ ,\t/\\.\-:=@<>()]/.test(c)) {
      out += '_';
    } else if (c === '%') {
      out += '_percent';
    } else {
      if (/[A-Z]/.test(c) && /[a-z0-9]/.test(previous)) { out += '_'; }
      out += c.toLowerCase();
    }
    previous = c;
  }
  return out;
}

/** The labels of a CloudWatch-derived alert: who it belongs to. @internal */
export interface CloudWatchAlertOwner {
  /** The tenant (its namespace and `tenant` label); undefined for the platform's. */
  readonly tenant?: string;
  /** The workload whose resource it is; undefined for a shared or hand-made resource. */
  readonly workload?: string;
  /** Whether critical definitions page (`severity: critical`); false in DEV profiles. */
  readonly pages: boolean;
}

/**
 * The Prometheus alerting rule of a CloudWatch alarm definition, on the
 * series YACE exports: the same statistic, comparison and threshold, for
 * as long as the alarm's periods last. Dimensions known at synth select the
 * resource; the others (a NAT gateway's id) are grouped by.
 * @internal
 */
export function cloudWatchAlert(definition: AlarmDefinition, owner: CloudWatchAlertOwner, isLiteral: (value: string) => boolean): RenderedRule {
  const metric = yaceMetricName(definition.namespace, definition.metricName, definition.statistic);
  const dimensions = Object.entries(definition.dimensions);
  const matchers = dimensions.filter(([, value]) => isLiteral(value)).map(([name, value]) => `dimension_${name}=${promString(value)}`);
  const by = dimensions.map(([name]) => `dimension_${name}`);
  const greater = definition.comparison === AlarmComparison.GREATER_THAN;
  const expr = `${greater ? 'max' : 'min'} by (${by.join(', ')}) (${metric}${matchers.length > 0 ? `{${matchers.join(',')}}` : ''}) `
    + `${greater ? '>' : '<'} ${promNumber(definition.threshold)}`;
  // A resource whose dimensions are known at apply time only (a NAT gateway's id) is named by its series' labels.
  const unresolved = dimensions.filter(([, value]) => !isLiteral(value)).map(([name]) => `{{ $labels.dimension_${name} }}`);
  const subject = unresolved.length > 0 ? unresolved.join(' ') : definition.resourceName;
  const severity = definition.critical && owner.pages ? AlertSeverity.CRITICAL : AlertSeverity.WARNING;
  return {
    alert: alertName(definition),
    expr,
    for: promDuration(definition.periodSeconds * definition.evaluationPeriods),
    labels: {
      severity,
      ...(owner.tenant !== undefined ? { namespace: owner.tenant, tenant: owner.tenant } : {}),
      ...(owner.workload !== undefined ? { workload: owner.workload } : {}),
    },
    annotations: {
      summary: `${subject}: ${definition.metricName} (${definition.statistic}) is {{ $value | humanize }}, ${greater ? 'above' : 'below'} ${promNumber(definition.threshold)}`,
      description: `${definition.description.split(definition.resourceName).join(subject)} (CloudWatch alarm `
        + `${unresolved.length > 0 ? definition.alarmName.split(definition.resourceName).join('*') : definition.alarmName})`,
    },
  };
}

/** How alert names spell the services whose alarms paved makes. */
const SERVICES: { [namespace: string]: string } = { 'AWS/RDS': 'Rds', 'AWS/ElastiCache': 'ElastiCache', 'AWS/SQS': 'Sqs', 'AWS/NATGateway': 'NatGateway' };

/** `AwsRdsFreeStorage` for the definition `FreeStorageAlarm` in `AWS/RDS`. */
function alertName(definition: AlarmDefinition): string {
  const service = SERVICES[definition.namespace] ?? definition.namespace.replace(/[^A-Za-z0-9]/g, '');
  const what = definition.id.replace(/Alarm\d*$/, '');
  return `Aws${service}${what}`;
}
