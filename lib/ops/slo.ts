import { Duration } from 'cdk8s';
import { IConstruct } from 'constructs';
import { validateUrl } from './monitoring-stack';
import { analyzePromQl, fillPlaceholders } from './promql';
import { SloConvention, SloTarget, placeholderValues } from './slo-convention';
import { checkArguments } from '../core/api-guard';
import { invalid } from '../core/errors';

/** What every SLO has. */
export interface SloOptions {
  /** Name of the SLO, a DNS label unique within the workload, e.g. `availability`; the `slo` label of its series and alerts. */
  readonly name: string;
  /**
   * Target, in percent of good events over `period`: more than 0, less than 100 (e.g. 99.9).
   */
  readonly objective: number;
  /**
   * Rolling window the objective is met over, in whole days (1-365).
   * The burn-rate factors scale with it, as Sloth computes them.
   * @default Duration.days(30)
   */
  readonly period?: Duration;
  /**
   * What the SLO promises, for alerts and dashboards.
   * @default - generated from the kind and objective
   */
  readonly description?: string;
  /**
   * Runbook of the SLO's burn-rate alerts.
   * @default - `<runbookBaseUrl>/<alert name>` when the monitoring stack has a runbook base URL
   */
  readonly runbookUrl?: string;
  /**
   * Make the page alert (1h/5m at 14.4x and 6h/30m at 6x for 30 days).
   * @default true
   */
  readonly pageAlert?: boolean;
  /**
   * Make the ticket alert (1d/2h at 3x and 3d/6h at 1x for 30 days).
   * @default true
   */
  readonly ticketAlert?: boolean;
}

/** An availability SLO: the share of requests that do not fail. */
export interface AvailabilitySloProps extends SloOptions {
  /**
   * Where requests and failed requests are counted.
   * @default - the workload's convention, else the monitoring stack's `requestConvention`
   */
  readonly convention?: SloConvention;
}

/** A latency SLO: the share of requests served within a time. */
export interface LatencySloProps extends SloOptions {
  /**
   * Requests faster than this count as good; must be a bucket boundary of
   * the duration histogram (e.g. 0.25, 0.5, 1).
   */
  readonly thresholdSeconds: number;
  /**
   * Where the request duration histogram is.
   * @default - the workload's convention, else the monitoring stack's `requestConvention`
   */
  readonly convention?: SloConvention;
}

/** An SLO on any ratio of bad to all events. */
export interface RatioSloProps extends SloOptions {
  /**
   * Bad events per second, with `{{window}}` where the range goes and
   * optionally `{{namespace}}`, `{{workload}}`, `{{label.<key>}}`, e.g.
   * `sum(rate(jobs_total{namespace="{{namespace}}",result="failed"}[{{window}}]))`.
   */
  readonly errorQuery: string;
  /** All events per second, same placeholders. */
  readonly totalQuery: string;
}

/** The kind of indicator of an {@link Slo}. */
export enum SloKind {
  /** Failed requests of all requests. */
  AVAILABILITY = 'availability',
  /** Requests slower than a threshold of all requests. */
  LATENCY = 'latency',
  /** Bad events of all events, from queries. */
  RATIO = 'ratio',
}

const NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DAY = 86400;

/**
 * A service level objective: an indicator (good and total events), an
 * objective and a period. A workload's monitoring turns it into recording
 * rules (error ratio over 5m, 30m, 1h, 2h, 6h, 1d, 3d and the period),
 * multiwindow multi-burn-rate alerts (SRE workbook), and dashboard panels.
 */
export class Slo {
  /** Availability: failed requests (the convention's `errorMatchers`) of all requests. */
  public static availability(props: AvailabilitySloProps): Slo {
    checkArguments('Slo.availability', arguments);
    return new Slo(SloKind.AVAILABILITY, props, { convention: props.convention });
  }

  /** Latency: requests slower than `thresholdSeconds` of all requests, from the duration histogram. */
  public static latency(props: LatencySloProps): Slo {
    checkArguments('Slo.latency', arguments);
    const where = `Slo ${props?.name}`;
    if (typeof props?.thresholdSeconds !== 'number' || !Number.isFinite(props.thresholdSeconds) || props.thresholdSeconds <= 0) {
      throw invalid(where, 'thresholdSeconds', props?.thresholdSeconds, 'a number of seconds greater than 0, a bucket boundary of the histogram');
    }
    return new Slo(SloKind.LATENCY, props, { convention: props.convention, thresholdSeconds: props.thresholdSeconds });
  }

  /** Any ratio: `errorQuery` over `totalQuery`. */
  public static ratio(props: RatioSloProps): Slo {
    checkArguments('Slo.ratio', arguments);
    const where = `Slo ${props?.name}`;
    for (const property of ['errorQuery', 'totalQuery'] as const) {
      const query = props?.[property];
      if (typeof query !== 'string' || !query.includes('{{window}}')) {
        throw invalid(where, property, query, 'a PromQL query with {{window}} where the range goes, e.g. sum(rate(x[{{window}}]))');
      }
      const sample = query.replace(/\{\{\s*window\s*\}\}/g, '5m').replace(/\{\{[^}]*\}\}/g, 'x');
      const error = analyzePromQl(sample).error;
      if (error !== undefined) {
        throw invalid(where, property, query, `a valid PromQL expression (${error})`);
      }
    }
    return new Slo(SloKind.RATIO, props, { errorQuery: props.errorQuery, totalQuery: props.totalQuery });
  }

  /** Name of the SLO. */
  public readonly name: string;
  /** Kind of indicator. */
  public readonly kind: SloKind;
  /** Objective in percent. */
  public readonly objective: number;
  /** Period in days. */
  public readonly periodDays: number;
  /** What the SLO promises. */
  public readonly description: string;
  /** Runbook URL; undefined for the stack's default. */
  public readonly runbookUrl?: string;
  /** Whether the page alert is made. */
  public readonly pageAlert: boolean;
  /** Whether the ticket alert is made. */
  public readonly ticketAlert: boolean;
  /** Latency threshold in seconds; undefined unless a latency SLO. */
  public readonly thresholdSeconds?: number;
  /** The convention named by the SLO itself; undefined when it uses the workload's. */
  public readonly convention?: SloConvention;

  private readonly errorQuery?: string;
  private readonly totalQuery?: string;

  private constructor(kind: SloKind, props: SloOptions, indicator: Indicator) {
    const where = `Slo ${props?.name}`;
    if (typeof props?.name !== 'string' || !NAME.test(props.name)) {
      throw invalid('Slo', 'name', props?.name, 'a DNS label such as "availability" (lowercase letters, digits and dashes, at most 63)');
    }
    if (typeof props.objective !== 'number' || !Number.isFinite(props.objective) || props.objective <= 0 || props.objective >= 100) {
      throw invalid(where, 'objective', props.objective, 'a percentage greater than 0 and less than 100, e.g. 99.9');
    }
    const period = props.period ?? Duration.days(30);
    if (!(period instanceof Duration)) {
      throw invalid(where, 'period', period, 'a Duration of whole days, e.g. Duration.days(28)');
    }
    const seconds = period.toSeconds({ integral: false });
    if (!Number.isInteger(seconds / DAY) || seconds < DAY || seconds > 365 * DAY) {
      throw invalid(where, 'period', period.toHumanString(), 'a whole number of days from 1 to 365, e.g. Duration.days(28)');
    }
    if (props.runbookUrl !== undefined) { validateUrl(where, 'runbookUrl', props.runbookUrl); }
    if (indicator.convention !== undefined && !(indicator.convention instanceof SloConvention)) {
      throw invalid(where, 'convention', indicator.convention, 'an SloConvention');
    }
    if (kind === SloKind.LATENCY && indicator.convention !== undefined && indicator.convention.durationBuckets === undefined) {
      throw invalid(where, 'convention', indicator.convention.name, 'a convention with durationBuckets (a latency SLO reads the duration histogram)');
    }
    this.kind = kind;
    this.name = props.name;
    this.objective = props.objective;
    this.periodDays = seconds / DAY;
    this.runbookUrl = props.runbookUrl;
    this.pageAlert = props.pageAlert ?? true;
    this.ticketAlert = props.ticketAlert ?? true;
    this.thresholdSeconds = indicator.thresholdSeconds;
    this.convention = indicator.convention;
    this.errorQuery = indicator.errorQuery;
    this.totalQuery = indicator.totalQuery;
    this.description = props.description ?? this.defaultDescription();
  }

  /** The error budget: the share of events allowed to be bad (1 - objective/100). */
  public get errorBudget(): number {
    return Number((1 - this.objective / 100).toPrecision(12));
  }

  /**
   * The error ratio over `window` for one workload, as PromQL.
   * @internal
   */
  public _errorRatio(scope: IConstruct, property: string, target: SloTarget, convention: SloConvention | undefined, window: string): string {
    if (this.kind === SloKind.RATIO) {
      const values = { window, ...placeholderValues(target) };
      const errors = fillPlaceholders(scope, `${property}.errorQuery`, this.errorQuery!, values);
      const total = fillPlaceholders(scope, `${property}.totalQuery`, this.totalQuery!, values);
      return `(${errors})\n/\n(${total})`;
    }
    const chosen = this.convention ?? convention;
    if (chosen === undefined) {
      throw invalid(scope, `${property}.convention`, undefined,
        'an SloConvention on the SLO, the workload or the monitoring stack (requestConvention): it says where requests are counted');
    }
    const queries = chosen._bind(scope, property, target);
    if (this.kind === SloKind.AVAILABILITY) {
      return `${queries.errors(window)}\n/\n${queries.total(window)}`;
    }
    if (!queries.hasLatency) {
      throw invalid(scope, `${property}.convention`, chosen.name, 'a convention with durationBuckets (a latency SLO reads the duration histogram)');
    }
    return `(\n  ${queries.histogramTotal(window)}\n  -\n  ${queries.faster(this.thresholdSeconds!, window)}\n)\n/\n${queries.histogramTotal(window)}`;
  }

  private defaultDescription(): string {
    const over = `over ${this.periodDays} days`;
    switch (this.kind) {
      case SloKind.AVAILABILITY: return `${this.objective}% of requests succeed ${over}`;
      case SloKind.LATENCY: return `${this.objective}% of requests are served within ${this.thresholdSeconds} s ${over}`;
      default: return `${this.objective}% of events are good ${over}`;
    }
  }
}

interface Indicator {
  readonly convention?: SloConvention;
  readonly thresholdSeconds?: number;
  readonly errorQuery?: string;
  readonly totalQuery?: string;
}
