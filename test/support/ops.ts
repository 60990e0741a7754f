import { App, Chart } from 'cdk8s';

/** A chart in namespace `shop` (or `namespace`; none for null) of a fresh cdk8s App, without resource name hashes. */
export function shopChart(namespace: string | null = 'shop'): Chart {
  return new Chart(new App(), 'test', { namespace: namespace ?? undefined, disableResourceNameHashes: true });
}

/** The objects of `chart` keyed by `Kind/name`. */
export function byKindName(chart: Chart): { [kindName: string]: any } {
  return Object.fromEntries(chart.toJson().map(o => [`${o.kind}/${o.metadata.name}`, o]));
}
