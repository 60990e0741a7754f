import { ApiObject } from 'cdk8s';
import { KubeNetworkPolicy, NetworkPolicyEgressRule, NetworkPolicyIngressRule } from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { recordDecision } from './decisions';
import { describeEgressRule, kubeDnsEgressRule, renderEgressRule } from './egress';
import { EgressRule } from './egress-rule';

/**
 * The egress rules of a workload: DNS, then the rules it declares (validated).
 * @internal
 */
export function workloadEgress(scope: Construct, rules: EgressRule[] | undefined): NetworkPolicyEgressRule[] {
  return [kubeDnsEgressRule(), ...(rules ?? []).map((rule, i) => renderEgressRule(scope, `egress[${i}]`, rule))];
}

/**
 * Records each declared egress rule for the synth report.
 * @internal
 */
export function recordEgressDecisions(scope: Construct, rules: EgressRule[] | undefined): void {
  (rules ?? []).forEach((rule, i) =>
    recordDecision(scope, `egress[${i}]`, describeEgressRule(rule), rule.description ?? 'declared'));
}

/** @internal */
export interface WorkloadNetworkPolicyOptions {
  readonly name: string;
  readonly labels: { [key: string]: string };
  /** Labels that select the workload's pods. */
  readonly selectorLabels: { [key: string]: string };
  /** Traffic admitted; none (all ingress denied) when undefined. */
  readonly ingress?: NetworkPolicyIngressRule[];
  /** Destinations allowed, DNS included; everything else is denied. */
  readonly egress: NetworkPolicyEgressRule[];
}

/**
 * The NetworkPolicy (id `NetworkPolicy`) of one workload's pods, governing
 * both directions: without a rule, a direction is denied.
 * @internal
 */
export function workloadNetworkPolicy(scope: Construct, options: WorkloadNetworkPolicyOptions): ApiObject {
  return new ApiObject(scope, 'NetworkPolicy', KubeNetworkPolicy.manifest({
    metadata: { name: options.name, labels: { ...options.labels } },
    spec: {
      podSelector: { matchLabels: { ...options.selectorLabels } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: options.ingress,
      egress: options.egress,
    },
  }));
}
