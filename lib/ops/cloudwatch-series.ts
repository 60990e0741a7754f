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
 * The Prometheus alerting rule of CloudWatch alarm definitions that differ
 * only in the resource they watch (the nodes of a cache, two databases of
 * one size), on the series YACE exports: the same statistic, comparison
 * and threshold, for as long as the alarm's periods last. Dimensions known
 * at synth select the resources (one value, or a regular expression of
 * all); the others (a NAT gateway's id) are only grouped by.
 * @internal
 */
export function cloudWatchAlert(definitions: AlarmDefinition[], owner: CloudWatchAlertOwner, isLiteral: (value: string) => boolean): RenderedRule {
  const [first] = definitions;
  const metric = yaceMetricName(first.namespace, first.metricName, first.statistic);
  const names = Object.keys(first.dimensions);
  const matchers: string[] = [];
  for (const name of names) {
    const values = [...new Set(definitions.map(d => d.dimensions[name]))];
    if (values.some(v => !isLiteral(v))) { continue; }
    matchers.push(values.length === 1
      ? `dimension_${name}=${promString(values[0])}`
      : `dimension_${name}=~${promString(values.map(escapeRegex).join('|'))}`);
  }
  const greater = first.comparison === AlarmComparison.GREATER_THAN;
  const expr = `${greater ? 'max' : 'min'} by (${names.map(n => `dimension_${n}`).join(', ')}) (${metric}${matchers.length > 0 ? `{${matchers.join(',')}}` : ''}) `
    + `${greater ? '>' : '<'} ${promNumber(first.threshold)}`;
  // One resource known at synth is named; several, or one known at apply time only (a NAT gateway's id), by the series' labels.
  const single = definitions.length === 1 && names.every(n => isLiteral(first.dimensions[n]));
  const subject = single ? first.resourceName : names.map(n => `{{ $labels.dimension_${n} }}`).join(' ');
  const severity = first.critical && owner.pages ? AlertSeverity.CRITICAL : AlertSeverity.WARNING;
  return {
    alert: alertName(first),
    expr,
    for: promDuration(first.periodSeconds * first.evaluationPeriods),
    labels: {
      severity,
      ...(owner.tenant !== undefined ? { namespace: owner.tenant, tenant: owner.tenant } : {}),
      ...(owner.workload !== undefined ? { workload: owner.workload } : {}),
    },
    annotations: {
      summary: `${subject}: ${first.metricName} (${first.statistic}) is {{ $value | humanize }}, ${greater ? 'above' : 'below'} ${promNumber(first.threshold)}`,
      description: `${first.description.split(first.resourceName).join(subject)} (CloudWatch alarm `
        + `${single ? first.alarmName : first.alarmName.split(first.resourceName).join('*')})`,
    },
  };
}

/**
 * What definitions must share to become one rule: everything but the resource.
 * @internal
 */
export function cloudWatchAlertKey(definition: AlarmDefinition): string {
  const { namespace, metricName, statistic, comparison, threshold, periodSeconds, evaluationPeriods, critical, dimensions } = definition;
  return JSON.stringify([alertName(definition), namespace, metricName, statistic, comparison, threshold, periodSeconds, evaluationPeriods, critical,
    Object.keys(dimensions)]);
}

/** `a.b` as a regular expression matching exactly that text. */
function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** How alert names spell the services whose alarms paved makes. */
const SERVICES: { [namespace: string]: string } = { 'AWS/RDS': 'Rds', 'AWS/ElastiCache': 'ElastiCache', 'AWS/SQS': 'Sqs', 'AWS/NATGateway': 'NatGateway' };

/** `AwsRdsFreeStorage` for the definition `FreeStorageAlarm` in `AWS/RDS`. */
function alertName(definition: AlarmDefinition): string {
  const service = SERVICES[definition.namespace] ?? definition.namespace.replace(/[^A-Za-z0-9]/g, '');
  const what = definition.id.replace(/Alarm\d*$/, '');
  return `Aws${service}${what}`;
}
