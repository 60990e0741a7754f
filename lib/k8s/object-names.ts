import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { invalid } from '../core/errors';
import { platformOf } from '../core/platform';

/**
 * Claims the names of the objects `workload` made (its direct children),
 * among the objects of their kind and namespace in the environment's
 * folder, and fails when one is taken: a Worker named like a Workload of
 * the same tenant would otherwise silently share (and overwrite) its
 * Deployment, ServiceAccount and NetworkPolicy. Does nothing outside a
 * paved Platform (a plain cdk8s App).
 * @internal
 */
export function claimObjectNames(workload: Construct): void {
  const platform = platformOf(workload);
  if (!platform) { return; }
  const chart = Chart.of(workload);
  for (const child of workload.node.children) {
    if (!(child instanceof ApiObject)) { continue; }
    const holder = platform._claimKubernetesName(chart, workload, child.apiVersion, child.kind, child.name);
    if (holder !== undefined && holder !== workload) {
      throw invalid(workload, 'name', child.name, `a name no other ${child.kind} of namespace ${JSON.stringify(chart.namespace ?? 'default')} `
        + `has (${holder.node.path} has one of that name: two objects of one kind and name in one namespace overwrite each other)`);
    }
  }
}
