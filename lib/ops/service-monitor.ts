import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ScrapeProps, scrapeObject } from './scrape-endpoint';
import { checkedScope } from '../core/api-guard';

/** Properties of a {@link ServiceMonitor}. */
export interface ServiceMonitorProps extends ScrapeProps {}

/**
 * A ServiceMonitor (monitoring.coreos.com/v1): Prometheus scrapes the
 * endpoints of the Service selected by `selectorLabels` in one namespace
 * only, on the named Service port.
 */
export class ServiceMonitor extends Construct {
  /** Name of the ServiceMonitor. */
  public readonly name: string;
  /** The validated endpoint. */
  public readonly port: string;
  /** The ServiceMonitor object, for escape hatches. */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: ServiceMonitorProps) {
    super(checkedScope(scope, 'ServiceMonitor', arguments), id);
    this.name = props.name ?? id;
    const { port, resource } = scrapeObject(this, 'ServiceMonitor', this.name, props);
    this.port = port;
    this.resource = resource;
  }
}
