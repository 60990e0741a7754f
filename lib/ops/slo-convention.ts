import { IConstruct } from 'constructs';
import { addMatchers, analyzePromQl, fillPlaceholders, isVectorSelector, promNumber, promString } from './promql';
import { checkArguments } from '../core/api-guard';
import { invalid } from '../core/errors';

/** Properties of an {@link SloConvention}. */
export interface SloConventionProps {
  /** Short name for docs and the report, e.g. `ingress-nginx`. */
  readonly name: string;
  /**
   * Vector selector of the counter of requests a workload serves, with
   * placeholders `{{namespace}}`, `{{workload}}` and `{{label.<key>}}` (a
   * selector label of the workload), e.g.
   * `http_server_request_duration_seconds_count{namespace="{{namespace}}",app_kubernetes_io_name="{{workload}}"}`.
   */
  readonly requests: string;
  /**
   * Label matchers that, added to `requests`, select the failed requests,
   * e.g. `http_response_status_code=~"5.."`.
   */
  readonly errorMatchers: string;
  /**
   * Vector selector of the request duration histogram's buckets (`_bucket`
   * series, in seconds), same placeholders; needed by latency SLOs and the
   * latency alert.
   * @default - no latency indicator
   */
  readonly durationBuckets?: string;
  /**
   * Whether the series are the workload's own, scraped from its metrics
   * port (an application library's), rather than an ingress controller's or
   * a mesh's. A workload without a metrics port then has no series under
   * this convention: its SLOs on it fail at construction, and its request
   * alerts are not made (they could never fire).
   * @default true
   */
  readonly readsWorkloadMetrics?: boolean;
}

/**
 * Where a workload's indicator queries are read from.
 * @internal
 */
export interface SloTarget {
  readonly namespace: string;
  readonly workload: string;
  readonly labels: { [key: string]: string };
}

/**
 * How request metrics are named on a platform: the request counter, what
 * marks a failed request, and the duration histogram. The platform sets one
 * per ingress controller, mesh or application library; every availability
 * and latency SLO and the request alerts of a workload are built from it, so
 * service owners never write the queries themselves.
 */
export class SloConvention {
  /**
   * Applications instrumented with OpenTelemetry's HTTP server semantic
   * conventions (`http.server.request.duration`, in seconds), scraped by a
   * paved ServiceMonitor or PodMonitor (which copies the pod label
   * `app.kubernetes.io/name` onto the series). Errors are 5xx responses.
   */
  public static openTelemetryHttp(): SloConvention {
    const selector = (metric: string) => `${metric}{namespace="{{namespace}}",app_kubernetes_io_name="{{workload}}"}`;
    return new SloConvention({
      name: 'opentelemetry-http',
      requests: selector('http_server_request_duration_seconds_count'),
      errorMatchers: 'http_response_status_code=~"5.."',
      durationBuckets: selector('http_server_request_duration_seconds_bucket'),
    });
  }

  /**
   * Requests seen by ingress-nginx for the workload's Ingress (named after
   * the workload, as paved names it), with the controller scraped without
   * `honorLabels` (its `namespace` label becomes `exported_namespace`).
   * Errors are 5xx responses.
   */
  public static ingressNginx(): SloConvention {
    const selector = (metric: string) => `${metric}{exported_namespace="{{namespace}}",ingress="{{workload}}"}`;
    return new SloConvention({
      name: 'ingress-nginx',
      requests: selector('nginx_ingress_controller_requests'),
      errorMatchers: 'status=~"5.."',
      durationBuckets: selector('nginx_ingress_controller_request_duration_seconds_bucket'),
      readsWorkloadMetrics: false,
    });
  }

  /** Short name. */
  public readonly name: string;
  /** Selector template of the request counter. */
  public readonly requests: string;
  /** Matchers selecting failed requests. */
  public readonly errorMatchers: string;
  /** Selector template of the duration buckets; undefined without a latency indicator. */
  public readonly durationBuckets?: string;
  /** Whether the series come from the workload's own metrics port. */
  public readonly readsWorkloadMetrics: boolean;

  constructor(props: SloConventionProps) {
    checkArguments('SloConvention', arguments);
    const where = `SloConvention ${props?.name}`;
    if (typeof props?.name !== 'string' || !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(props.name)) {
      throw invalid('SloConvention', 'name', props?.name, 'a DNS label such as "ingress-nginx"');
    }
    this.name = props.name;
    this.requests = checkSelectorTemplate(where, 'requests', props.requests);
    if (typeof props.errorMatchers !== 'string' || !isVectorSelector(`x{${props.errorMatchers}}`)) {
      throw invalid(where, 'errorMatchers', props.errorMatchers, 'label matchers such as status=~"5.." (what goes between the braces of a selector)');
    }
    this.errorMatchers = props.errorMatchers;
    this.durationBuckets = props.durationBuckets === undefined ? undefined
      : checkSelectorTemplate(where, 'durationBuckets', props.durationBuckets);
    this.readsWorkloadMetrics = props.readsWorkloadMetrics ?? true;
    if (typeof this.readsWorkloadMetrics !== 'boolean') {
      throw invalid(where, 'readsWorkloadMetrics', this.readsWorkloadMetrics, 'true or false');
    }
  }

  /**
   * The selectors of this convention for one workload.
   * @internal
   */
  public _bind(scope: IConstruct, property: string, target: SloTarget): ConventionQueries {
    const values = placeholderValues(target);
    const requests = fillPlaceholders(scope, `${property}.requests`, this.requests, values);
    const buckets = this.durationBuckets === undefined ? undefined
      : fillPlaceholders(scope, `${property}.durationBuckets`, this.durationBuckets, values);
    return new ConventionQueries(requests, addMatchers(requests, this.errorMatchers), buckets);
  }
}

/**
 * Request queries of one workload under a convention.
 * @internal
 */
export class ConventionQueries {
  constructor(
    private readonly requests: string,
    private readonly failed: string,
    private readonly buckets: string | undefined) {}

  /** Whether there is a duration histogram. */
  public get hasLatency(): boolean {
    return this.buckets !== undefined;
  }

  /** Requests per second over `window`. */
  public total(window: string): string {
    return `sum(rate(${this.requests}[${window}]))`;
  }

  /** Failed requests per second over `window`. */
  public errors(window: string): string {
    return `sum(rate(${this.failed}[${window}]))`;
  }

  /** Requests (counted by the histogram) per second over `window`. */
  public histogramTotal(window: string): string {
    return `sum(rate(${addMatchers(this.bucketSelector(), 'le="+Inf"')}[${window}]))`;
  }

  /** Requests faster than `seconds` per second over `window`. */
  public faster(seconds: number, window: string): string {
    return `sum(rate(${addMatchers(this.bucketSelector(), leMatcher(seconds))}[${window}]))`;
  }

  /** The `quantile` of request duration over `window`, in seconds. */
  public quantile(quantile: number, window: string): string {
    return `histogram_quantile(${promNumber(quantile)}, sum by (le) (rate(${this.bucketSelector()}[${window}])))`;
  }

  private bucketSelector(): string {
    if (this.buckets === undefined) { throw new Error('convention has no duration buckets'); }
    return this.buckets;
  }
}

/**
 * The `le` matcher of a bucket boundary. Prometheus 3 stores integral
 * boundaries as `1.0`, earlier versions as exposed (`1`): both are matched.
 */
function leMatcher(seconds: number): string {
  const text = promNumber(seconds);
  return Number.isInteger(seconds) ? `le=~${promString(`${text}(\\.0)?`)}` : `le=${promString(text)}`;
}

/**
 * The placeholder values of a target: `namespace`, `workload`, `label.<key>`.
 * @internal
 */
export function placeholderValues(target: SloTarget): { [name: string]: string } {
  const values: { [name: string]: string } = { namespace: target.namespace, workload: target.workload };
  for (const [key, value] of Object.entries(target.labels)) { values[`label.${key}`] = value; }
  return values;
}

function checkSelectorTemplate(where: string, property: string, template: string): string {
  if (typeof template !== 'string') {
    throw invalid(where, property, template, 'a vector selector such as metric{namespace="{{namespace}}"}');
  }
  const sample = template.replace(/\{\{\s*([A-Za-z0-9_./-]+)\s*\}\}/g, 'x');
  const analysis = analyzePromQl(sample);
  if (analysis.error !== undefined || !isVectorSelector(sample)) {
    throw invalid(where, property, template,
      `one vector selector such as metric{namespace="{{namespace}}"}${analysis.error ? ` (${analysis.error})` : ''}`);
  }
  const unknown = [...template.matchAll(/\{\{\s*([A-Za-z0-9_./-]+)\s*\}\}/g)].map(m => m[1])
    .filter(name => name !== 'namespace' && name !== 'workload' && !name.startsWith('label.'));
  if (unknown.length > 0) {
    throw invalid(where, property, template, `placeholders {{namespace}}, {{workload}} or {{label.<key>}} only (found {{${unknown[0]}}})`);
  }
  return template;
}
