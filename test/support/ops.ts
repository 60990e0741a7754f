import { App, Chart } from 'cdk8s';

/** A chart in namespace `shop` (no resource name hashes) of a fresh cdk8s App. */
export function shopChart(namespace: string | undefined = 'shop'): Chart {
  return new Chart(new App(), 'test', { namespace, disableResourceNameHashes: true });
}

/** The objects of `chart` keyed by `Kind/name`. */
export function byKindName(chart: Chart): { [kindName: string]: any } {
  return Object.fromEntries(chart.toJson().map(o => [`${o.kind}/${o.metadata.name}`, o]));
}
