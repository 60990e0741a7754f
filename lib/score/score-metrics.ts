import { ScoreAnnotations } from './score-annotations';
import { ScoreDocument } from './score-document';
import { WorkloadMetrics } from '../workload/workload-observability';

/** The name of a `service.ports` entry whose target port serves the metrics. */
export const METRICS_PORT_NAME = 'metrics';

/** A problem of the document at a path, as the loader reports it. @internal */
export type ScoreProblem = (at: (string | number)[], value: unknown, allowed: string) => void;

/**
 * Where a Score workload serves Prometheus metrics: the container port of
 * the annotation `paved.dev/metrics-port`, else the target port of a
 * `service.ports` entry named `metrics`; the path from
 * `paved.dev/metrics-path` (default `/metrics`). Undefined when the
 * workload names neither (it is not scraped), or on a problem (reported).
 * @internal
 */
export function scoreMetrics(doc: ScoreDocument, problem: ScoreProblem): WorkloadMetrics | undefined {
  const annotation = doc.annotations[ScoreAnnotations.METRICS_PORT];
  const path = doc.annotations[ScoreAnnotations.METRICS_PATH];
  let port: number | undefined;
  if (annotation !== undefined) {
    port = /^[0-9]{1,5}$/.test(annotation) ? Number(annotation) : NaN;
    if (!(port >= 1 && port <= 65535)) {
      problem(['metadata', 'annotations', ScoreAnnotations.METRICS_PORT], annotation, 'a port number from 1 to 65535, as a string ("9090")');
      return undefined;
    }
  } else {
    const named = doc.ports.find(p => p.name === METRICS_PORT_NAME);
    if (named && named.protocol !== 'TCP') {
      problem(['service', 'ports', METRICS_PORT_NAME, 'protocol'], named.protocol, 'TCP (Prometheus scrapes over HTTP)');
      return undefined;
    }
    port = named?.targetPort;
  }
  if (port === undefined) {
    if (path !== undefined) {
      problem(['metadata', 'annotations', ScoreAnnotations.METRICS_PATH], path,
        `no metrics path without a metrics port (annotation ${ScoreAnnotations.METRICS_PORT} or a service port named "${METRICS_PORT_NAME}")`);
    }
    return undefined;
  }
  return { port, path };
}
