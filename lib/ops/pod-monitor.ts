import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ScrapeProps, scrapeObject } from './scrape-endpoint';
import { checkedScope } from '../core/api-guard';

/** Properties of a {@link PodMonitor}. */
export interface PodMonitorProps extends ScrapeProps {}

/**
 * A PodMonitor (monitoring.coreos.com/v1): Prometheus scrapes the pods
 * selected by `selectorLabels` in one namespace only, on the named
 * container port. For workloads without a Service (workers, jobs).
 */
export class PodMonitor extends Construct {
  /** Name of the PodMonitor. */
  public readonly name: string;
  /** The container port name scraped. */
  public readonly port: string;
  /** The PodMonitor object, for escape hatches. */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: PodMonitorProps) {
    super(checkedScope(scope, 'PodMonitor', arguments), id);
    this.name = props.name ?? id;
    const { port, resource } = scrapeObject(this, 'PodMonitor', this.name, props);
    this.port = port;
    this.resource = resource;
  }
}
