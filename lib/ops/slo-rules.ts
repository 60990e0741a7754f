import { renderAlert, renderRecord } from './alert-rule';
import { AlertSeverity } from './alert-threshold';
import { PrometheusRules } from './prometheus-rules';
import { promDuration, promNumber, promString } from './promql';
import { Slo } from './slo';
import { SloConvention, SloTarget } from './slo-convention';

/**
 * A burn-rate alert window pair (SRE workbook, "Alerting on SLOs", table 5-8):
 * the share of the period's error budget consumed over the long window that
 * makes it fire; the short window (1/12 of the long one) makes it resolve
 * soon after the burn stops.
 * @internal
 */
export interface BurnWindow {
  readonly longSeconds: number;
  readonly shortSeconds: number;
  readonly budgetPercent: number;
}

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86400;

/** Page: 2% of the budget in 1 h, or 5% in 6 h (14.4x and 6x for 30 days). @internal */
export const PAGE_WINDOWS: BurnWindow[] = [
  { longSeconds: HOUR, shortSeconds: 5 * MINUTE, budgetPercent: 2 },
  { longSeconds: 6 * HOUR, shortSeconds: 30 * MINUTE, budgetPercent: 5 },
];
/** Ticket: 10% of the budget in 1 d, or 10% in 3 d (3x and 1x for 30 days). @internal */
export const TICKET_WINDOWS: BurnWindow[] = [
  { longSeconds: DAY, shortSeconds: 2 * HOUR, budgetPercent: 10 },
  { longSeconds: 3 * DAY, shortSeconds: 6 * HOUR, budgetPercent: 10 },
];
/** Every window an error ratio is recorded for, shortest first. @internal */
export const SLI_WINDOWS = [5 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 6 * HOUR, DAY, 3 * DAY];

/**
 * The burn rate that consumes `budgetPercent` of a `periodDays` error budget
 * in `longSeconds`: Sloth's `getBurnRateFactor` (budget% x period / window),
 * so 14.4 for 2% in 1 h of 30 days and 13.44 for 28 days.
 * @internal
 */
export function burnRateFactor(periodDays: number, window: BurnWindow): number {
  return Number(((window.budgetPercent / 100) * (periodDays * DAY) / window.longSeconds).toPrecision(12));
}

/** Name of the recorded error ratio over `seconds`. @internal */
export function sliRecord(seconds: number): string {
  return `slo:sli_error:ratio_rate${promDuration(seconds)}`;
}

/** @internal */
export interface SloRuleOptions {
  readonly rules: PrometheusRules;
  /** Group name prefix, e.g. the workload name. */
  readonly prefix: string;
  readonly target: SloTarget;
  readonly convention?: SloConvention;
  /** Labels the rule set puts on every rule that identify the SLO's series besides `slo` (namespace, workload). */
  readonly identity: { [key: string]: string };
  /** Where the SLO is declared, for error messages, e.g. `slos[availability]`. */
  readonly property: string;
}

/**
 * Adds an SLO's rules to `rules`: error-ratio recording rules for every
 * window and the period (the period averaged from the 5m ratio, as Sloth
 * optimizes it), the objective/budget/burn-rate metadata records, and the
 * page and ticket multiwindow multi-burn-rate alerts.
 * Returns the alert names added.
 * @internal
 */
export function addSloRules(slo: Slo, options: SloRuleOptions): string[] {
  const { rules, target } = options;
  const render = rules._renderOptions;
  const sloLabels = { ...options.identity, slo: slo.name };
  const filter = `{${Object.entries(sloLabels).map(([k, v]) => `${k}=${promString(v)}`).join(',')}}`;
  const records = `${options.prefix}-slo-${slo.name}`;
  const periodSeconds = slo.periodDays * DAY;
  const period = promDuration(periodSeconds);
  const budget = promNumber(slo.errorBudget);
  // The rule set adds namespace, tenant and workload to every rule; the SLO adds its name.
  const labels = (extra: { [key: string]: string } = {}) => ({ slo: slo.name, ...extra });

  for (const seconds of SLI_WINDOWS) {
    const window = promDuration(seconds);
    const expr = slo._errorRatio(rules, options.property, target, options.convention, window);
    rules._addRendered(records, renderRecord(rules, { name: sliRecord(seconds), expr, labels: labels({ slo_window: window }) }, render));
  }
  rules._addRendered(records, renderRecord(rules, {
    name: sliRecord(periodSeconds),
    expr: `sum_over_time(${sliRecord(SLI_WINDOWS[0])}${filter}[${period}])\n/ ignoring (slo_window)\ncount_over_time(${sliRecord(SLI_WINDOWS[0])}${filter}[${period}])`,
    labels: labels({ slo_window: period }),
  }, render));
  const meta: [string, string][] = [
    ['slo:objective:ratio', `vector(${promNumber(slo.objective / 100)})`],
    ['slo:error_budget:ratio', `vector(${budget})`],
    ['slo:time_period:days', `vector(${slo.periodDays})`],
    ['slo:current_burn_rate:ratio', burnRate(sliRecord(SLI_WINDOWS[0]), filter, sloLabels)],
    ['slo:period_burn_rate:ratio', burnRate(sliRecord(periodSeconds), filter, sloLabels)],
    ['slo:period_error_budget_remaining:ratio', `1 - slo:period_burn_rate:ratio${filter}`],
  ];
  for (const [name, expr] of meta) {
    rules._addRendered(records, renderRecord(rules, { name, expr, labels: labels() }, render));
  }

  const alerts: string[] = [];
  // Alerts in the group of the records they read: a group evaluates in order, so they see this evaluation's ratios.
  const alertGroup = records;
  const page = { name: 'SloErrorBudgetBurnFast', windows: PAGE_WINDOWS, severity: AlertSeverity.CRITICAL, enabled: slo.pageAlert };
  const ticket = { name: 'SloErrorBudgetBurnSlow', windows: TICKET_WINDOWS, severity: AlertSeverity.WARNING, enabled: slo.ticketAlert };
  for (const alert of [page, ticket]) {
    if (!alert.enabled) { continue; }
    const factors = alert.windows.map(w => burnRateFactor(slo.periodDays, w));
    const windowText = alert.windows.map((w, i) =>
      `${promDuration(w.longSeconds)}/${promDuration(w.shortSeconds)} at ${Number(factors[i].toFixed(2))}x`).join(' or ');
    const who = `${target.namespace}/${target.workload}`;
    rules._addRendered(alertGroup, renderAlert(rules, {
      name: alert.name,
      // Without slo_window, the alert keeps one identity whichever window pair fires.
      expr: `max without (slo_window) (\n${alert.windows.map((w, i) => multiwindow(w, factors[i], budget, filter)).join('\nor ignoring (slo_window)\n')}\n)`,
      severity: alert.severity,
      summary: `${who}: SLO ${slo.name} burns its error budget ${alert.severity === AlertSeverity.CRITICAL ? 'fast' : 'steadily'}`,
      description: `${slo.description} (objective ${slo.objective}% over ${slo.periodDays} days, error budget ${budget}). `
        + `The error ratio is above the budget burn rate over both windows of ${windowText}: at this rate `
        + `${alert.windows[0].budgetPercent}% of the period's budget is gone within ${promDuration(alert.windows[0].longSeconds)}. `
        + 'Current error ratio: {{ $value | humanizePercentage }}.',
      runbookUrl: slo.runbookUrl,
      labels: labels(),
    }, render));
    alerts.push(alert.name);
  }
  return alerts;
}

function multiwindow(window: BurnWindow, factor: number, budget: string, filter: string): string {
  const threshold = `(${promNumber(factor)} * ${budget})`;
  return `(\n  (${sliRecord(window.shortSeconds)}${filter} > ${threshold})\n  and ignoring (slo_window)\n`
    + `  (${sliRecord(window.longSeconds)}${filter} > ${threshold})\n)`;
}

function burnRate(record: string, filter: string, identity: { [key: string]: string }): string {
  return `sum without (slo_window) (${record}${filter})\n/ on (${Object.keys(identity).join(', ')}) group_left\nslo:error_budget:ratio${filter}`;
}
