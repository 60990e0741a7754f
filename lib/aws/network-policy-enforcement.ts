import { checkArguments } from '../core/api-guard';
import { invalid } from '../core/errors';

/** Longest enforcer name or reason a report line carries. */
const MAX_TEXT = 200;

/**
 * What enforces the Kubernetes NetworkPolicies paved writes on a cluster.
 *
 * Every tenant namespace paved writes starts with a default-deny
 * NetworkPolicy, and every workload gets a policy that opens only what it
 * needs. Kubernetes stores NetworkPolicies whatever the cluster's network
 * plugin, but only a plugin that enforces them makes them more than text:
 * on a cluster that does not, every pod can reach every other pod and the
 * internet. So paved runs workloads only on clusters whose enforcement is
 * known: a {@link Cluster} paved creates turns the VPC CNI's network policy
 * agent on itself; a cluster imported with `Cluster.fromAttributes` names
 * its enforcement in `networkPolicyEnforcement`, and a workload or tenant
 * placed on an imported cluster without it fails.
 */
export class NetworkPolicyEnforcement {
  /**
   * The Amazon VPC CNI's network policy agent: the `vpc-cni` add-on runs
   * with `enableNetworkPolicy: "true"` (what paved's `Cluster` sets). For an
   * imported cluster, its owners vouch that the add-on is configured so.
   */
  public static vpcCni(): NetworkPolicyEnforcement {
    return new NetworkPolicyEnforcement(true, 'Amazon VPC CNI network policy agent (enableNetworkPolicy "true")');
  }

  /**
   * Another enforcer the cluster's owners vouch for, such as Calico,
   * Cilium or Antrea.
   *
   * @param enforcer what enforces the policies, 1-200 characters, e.g. `'Calico'`
   */
  public static acknowledged(enforcer: string): NetworkPolicyEnforcement {
    checkArguments('NetworkPolicyEnforcement.acknowledged', arguments);
    return new NetworkPolicyEnforcement(true, `${text('NetworkPolicyEnforcement.acknowledged', 'enforcer', enforcer)} (acknowledged)`);
  }

  /**
   * The cluster does not enforce NetworkPolicies: paved still writes them,
   * but they do nothing, and any pod can reach any other. Refused in a
   * production profile; elsewhere a warning in the report.
   *
   * @param reason why that is acceptable here, 1-200 characters (it goes into the report)
   */
  public static notEnforced(reason: string): NetworkPolicyEnforcement {
    checkArguments('NetworkPolicyEnforcement.notEnforced', arguments);
    return new NetworkPolicyEnforcement(false, `not enforced: ${text('NetworkPolicyEnforcement.notEnforced', 'reason', reason)}`);
  }

  /** Whether the cluster enforces NetworkPolicies. */
  public readonly enforced: boolean;
  /** What enforces them, or why nothing does, as the report shows it. */
  public readonly description: string;

  private constructor(enforced: boolean, description: string) {
    this.enforced = enforced;
    this.description = description;
  }
}

function text(factory: string, property: string, value: string): string {
  if (value.trim() === '' || value !== value.trim() || value.length > MAX_TEXT || /[\u0000-\u001f\u007f]/.test(value)) {
    throw invalid(factory, property, value, `a text of 1-${MAX_TEXT} characters without control characters or surrounding spaces`);
  }
  return value;
}
