import { IntOrString, NetworkPolicyIngressRule } from 'cdk8s-plus-28/lib/imports/k8s';
import { validateLabels } from './labels';
import { validateLiteral } from './literal';
import { checkArguments } from '../core/api-guard';
import { invalid } from '../core/errors';
import { validateDnsLabel, validateInteger } from '../core/validation';

/** Where the Prometheus that scrapes workloads runs. */
export interface MetricsScraperProps {
  /**
   * Namespace of the Prometheus pods.
   * @default 'monitoring'
   */
  readonly namespace?: string;
  /**
   * Labels that select the Prometheus pods in that namespace (at least one).
   * @default { 'app.kubernetes.io/name': 'prometheus' } — what the Prometheus Operator sets on every Prometheus pod
   */
  readonly podLabels?: { [key: string]: string };
}

const WHERE = 'MetricsScraper';
const DEFAULT_NAMESPACE = 'monitoring';
const DEFAULT_POD_LABELS = { 'app.kubernetes.io/name': 'prometheus' };

/**
 * The Prometheus that scrapes workload metrics, as a NetworkPolicy sees it:
 * its pods' namespace and labels.
 *
 * A workload's NetworkPolicy denies all ingress it does not list; to be
 * scraped it adds {@link MetricsScraper.ingressRule}, which admits these
 * pods on the metrics port and nothing else.
 */
export class MetricsScraper {
  /**
   * The Prometheus of kube-prometheus-stack (Prometheus Operator) installed
   * in namespace `monitoring`: pods labelled `app.kubernetes.io/name: prometheus`.
   */
  public static kubePrometheusStack(): MetricsScraper {
    return new MetricsScraper({});
  }

  /** A Prometheus in another namespace or with other pod labels. */
  public static of(props: MetricsScraperProps): MetricsScraper {
    checkArguments('MetricsScraper.of', arguments);
    return new MetricsScraper(props);
  }

  /** Namespace of the Prometheus pods. */
  public readonly namespace: string;
  /** Labels that select the Prometheus pods. */
  public readonly podLabels: { [key: string]: string };

  private constructor(props: MetricsScraperProps) {
    this.namespace = props.namespace ?? DEFAULT_NAMESPACE;
    validateLiteral(WHERE, 'namespace', this.namespace);
    validateDnsLabel(WHERE, 'namespace', this.namespace);
    const podLabels = props.podLabels ?? DEFAULT_POD_LABELS;
    if (podLabels === null || typeof podLabels !== 'object' || Object.keys(podLabels).length === 0) {
      throw invalid(WHERE, 'podLabels', podLabels, 'at least one label selecting the Prometheus pods (an empty selector admits every pod of the namespace)');
    }
    validateLabels(WHERE, 'podLabels', podLabels);
    this.podLabels = { ...podLabels };
  }

  /**
   * A NetworkPolicy ingress rule admitting the scraper's pods on `port`
   * (TCP) only, for a workload's NetworkPolicy.
   *
   * @param port the container port the metrics are served on (1-65535)
   */
  public ingressRule(port: number): NetworkPolicyIngressRule {
    validateLiteral(WHERE, 'port', port);
    validateInteger(WHERE, 'port', port, 1, 65535);
    if (typeof port !== 'number') {
      throw invalid(WHERE, 'port', port, 'a port number from 1 to 65535');
    }
    return {
      from: [{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': this.namespace } },
        podSelector: { matchLabels: { ...this.podLabels } },
      }],
      ports: [{ protocol: 'TCP', port: IntOrString.fromNumber(port) }],
    };
  }
}
