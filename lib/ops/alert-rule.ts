import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { AlertSeverity } from './alert-threshold';
import { Selector, matcherSelects, promDuration, validatePromQl } from './promql';
import { invalid, show } from '../core/errors';

/** A Prometheus alerting rule. */
export interface AlertRule {
  /** Alert name, `[A-Za-z][A-Za-z0-9_]*`, e.g. `OrdersPaymentsFailing`. */
  readonly name: string;
  /** PromQL expression; the alert fires for every series it returns. Parsed at construction. */
  readonly expr: string;
  /** One line saying what is wrong (the `summary` annotation); may use `{{ $labels.x }}` and `{{ $value }}`. */
  readonly summary: string;
  /**
   * What it means and what to check first (the `description` annotation).
   * @default - the summary only
   */
  readonly description?: string;
  /**
   * How long the expression must return the series before the alert fires.
   * @default - fires on the first evaluation that returns it
   */
  readonly forDuration?: Duration;
  /**
   * How long the alert keeps firing after the expression stops returning
   * the series (`keep_firing_for`), against flapping.
   * @default - resolves at once
   */
  readonly keepFiringFor?: Duration;
  /**
   * Severity label; routing sends `CRITICAL` to the page receiver.
   * @default AlertSeverity.WARNING
   */
  readonly severity?: AlertSeverity;
  /**
   * Runbook of the alert (`runbook_url` annotation).
   * @default - `<runbookBaseUrl>/<name>` when the monitoring stack has a runbook base URL, else none
   */
  readonly runbookUrl?: string;
  /**
   * Further labels, `[a-zA-Z_][a-zA-Z0-9_]*` names; not `severity` or the
   * labels paved sets (`namespace`, `tenant`, `workload`, `owner`).
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * Further annotations.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
}

/** A Prometheus recording rule. */
export interface RecordingRule {
  /** Name of the recorded series, `level:metric:operations` by convention, e.g. `workload:requests:rate5m`. */
  readonly name: string;
  /** PromQL expression whose result is recorded. Parsed at construction. */
  readonly expr: string;
  /**
   * Labels added to the recorded series.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}

/**
 * One rule as the PrometheusRule CRD (and Prometheus' rule files) spell it.
 * @internal
 */
export interface RenderedRule {
  readonly alert?: string;
  readonly record?: string;
  readonly expr: string;
  readonly for?: string;
  readonly keep_firing_for?: string;
  readonly labels?: { [key: string]: string };
  readonly annotations?: { [key: string]: string };
}

/**
 * The namespace (tenant) and workload a set of rules is about: every
 * selector must read that namespace's series only, and matchers on a
 * workload's identifying labels must select that workload.
 * @internal
 */
export interface RuleScope {
  /** Namespace every selector must select. */
  readonly namespace: string;
  /** Labels that carry the namespace: `namespace` and the exported-namespace label. */
  readonly namespaceLabels: string[];
  /** Further labels whose matchers must select these values (the workload's identity). */
  readonly identity: { [label: string]: string };
}

/** Labels paved sets on rules; a rule may not set them itself. */
export const RESERVED_LABELS = ['severity', 'namespace', 'tenant', 'workload', 'owner'];
const ALERT_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Validates an alerting rule and renders it: expression parsed and checked
 * against `scope`, labels and annotations checked, `severity`, scope labels
 * and runbook added.
 * @internal
 */
export function renderAlert(construct: IConstruct, rule: AlertRule, options: RenderOptions): RenderedRule {
  const name = rule?.name;
  if (typeof name !== 'string' || !ALERT_NAME.test(name)) {
    throw invalid(construct, 'alert name', name, 'a name of letters, digits and underscores starting with a letter, e.g. "OrdersErrorRatioHigh"');
  }
  const at = `alerts[${name}]`;
  const selectors = validatePromQl(construct, `${at}.expr`, rule.expr);
  if (options.scope) { checkScope(construct, `${at}.expr`, rule.expr, selectors, options.scope); }
  if (typeof rule.summary !== 'string' || rule.summary.trim() === '') {
    throw invalid(construct, `${at}.summary`, rule.summary, 'a one-line summary of what is wrong');
  }
  const severity = rule.severity ?? AlertSeverity.WARNING;
  if (!Object.values(AlertSeverity).includes(severity)) {
    throw invalid(construct, `${at}.severity`, severity, `one of ${Object.values(AlertSeverity).join(', ')}`);
  }
  checkLabels(construct, `${at}.labels`, rule.labels, true);
  checkLabels(construct, `${at}.annotations`, rule.annotations, false);
  const runbook = rule.runbookUrl ?? (options.runbookBaseUrl ? `${options.runbookBaseUrl}/${name}` : undefined);
  if (rule.runbookUrl !== undefined && !/^https?:\/\/\S+$/.test(rule.runbookUrl)) {
    throw invalid(construct, `${at}.runbookUrl`, rule.runbookUrl, 'an absolute http:// or https:// URL');
  }
  return {
    alert: name,
    expr: rule.expr,
    for: duration(construct, `${at}.forDuration`, rule.forDuration),
    keep_firing_for: duration(construct, `${at}.keepFiringFor`, rule.keepFiringFor),
    labels: {
      ...rule.labels,
      ...options.labels,
      severity: options.downgradeCritical && severity === AlertSeverity.CRITICAL ? AlertSeverity.WARNING : severity,
    },
    annotations: {
      ...rule.annotations,
      summary: rule.summary,
      ...(rule.description !== undefined ? { description: rule.description } : {}),
      ...(runbook !== undefined ? { runbook_url: runbook } : {}),
    },
  };
}

/**
 * Validates a recording rule and renders it.
 * @internal
 */
export function renderRecord(construct: IConstruct, rule: RecordingRule, options: RenderOptions): RenderedRule {
  const name = rule?.name;
  if (typeof name !== 'string' || !METRIC_NAME.test(name)) {
    throw invalid(construct, 'record name', name, 'a metric name ([a-zA-Z_:][a-zA-Z0-9_:]*), e.g. "workload:requests:rate5m"');
  }
  const at = `records[${name}]`;
  const selectors = validatePromQl(construct, `${at}.expr`, rule.expr);
  if (options.scope) { checkScope(construct, `${at}.expr`, rule.expr, selectors, options.scope); }
  checkLabels(construct, `${at}.labels`, rule.labels, true);
  const labels = { ...rule.labels, ...options.labels };
  return { record: name, expr: rule.expr, ...(Object.keys(labels).length > 0 ? { labels } : {}) };
}

/** @internal */
export interface RenderOptions {
  /** Labels paved adds to every rule. */
  readonly labels: { [key: string]: string };
  /** When set, the scope every expression must keep to. */
  readonly scope?: RuleScope;
  readonly runbookBaseUrl?: string;
  /** A profile that never pages: critical becomes warning. */
  readonly downgradeCritical?: boolean;
}

/**
 * Fails unless every selector of `expr` reads the scope's namespace only
 * and every matcher on an identifying label selects the scope's value.
 * CloudWatch exporter series (`aws_*`) carry no namespace: they must name
 * an AWS dimension (`dimension_*`) instead.
 * @internal
 */
export function checkScope(construct: IConstruct, property: string, expr: string, selectors: Selector[], scope: RuleScope): void {
  const identity: { [label: string]: string } = { ...scope.identity };
  for (const label of scope.namespaceLabels) { identity[label] = scope.namespace; }
  for (const selector of selectors) {
    for (const m of selector.matchers) {
      const expected = identity[m.label];
      if (expected !== undefined && !matcherSelects(m, expected)) {
        throw invalid(construct, property, expr,
          `selectors that keep to ${describeIdentity(identity, m.label)}: ${selector.text} has ${m.label}${m.op}${show(m.value)}`);
      }
    }
    const cloudWatch = (selector.metric ?? '').startsWith('aws_');
    const scoped = cloudWatch
      ? selector.matchers.some(m => m.label.startsWith('dimension_') && (m.op === '=' || m.op === '=~'))
      : selector.matchers.some(m => scope.namespaceLabels.includes(m.label) && (m.op === '=' || m.op === '=~'));
    if (!scoped) {
      const need = cloudWatch ? 'an AWS dimension matcher (dimension_<Name>="...") naming the resource'
        : `a matcher ${scope.namespaceLabels.map(l => `${l}="${scope.namespace}"`).join(' or ')}`;
      throw invalid(construct, property, expr,
        `selectors that read namespace ${JSON.stringify(scope.namespace)} only: ${selector.text} needs ${need}`);
    }
  }
}

function describeIdentity(identity: { [label: string]: string }, label: string): string {
  return `${label}=${JSON.stringify(identity[label])}`;
}

function checkLabels(construct: IConstruct, property: string, labels: { [key: string]: string } | undefined, isLabels: boolean): void {
  if (labels === undefined) { return; }
  if (labels === null || typeof labels !== 'object') {
    throw invalid(construct, property, labels, 'a map of names to strings');
  }
  for (const [key, value] of Object.entries(labels)) {
    if (!LABEL_NAME.test(key) || key.startsWith('__')) {
      throw invalid(construct, `${property} key`, key, 'a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with "__")');
    }
    if (isLabels && RESERVED_LABELS.includes(key)) {
      throw invalid(construct, `${property} key`, key, `a label other than ${RESERVED_LABELS.join(', ')} (paved sets those)`);
    }
    if (typeof value !== 'string') {
      throw invalid(construct, `${property}.${key}`, value, 'a string');
    }
  }
}

/**
 * A rule duration (`for`, `keep_firing_for`) in Prometheus notation; undefined passes.
 * @internal
 */
export function duration(construct: IConstruct | string, property: string, value: Duration | undefined): string | undefined {
  if (value === undefined) { return undefined; }
  if (!(value instanceof Duration)) {
    throw invalid(construct, property, value, 'a Duration, e.g. Duration.minutes(10)');
  }
  const seconds = value.toSeconds({ integral: false });
  if (!Number.isInteger(seconds) || seconds < 0) {
    throw invalid(construct, property, `${seconds}s`, 'a whole number of seconds, 0 or more');
  }
  return seconds === 0 ? undefined : promDuration(seconds);
}
