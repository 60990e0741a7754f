import { ApiObject, Lazy } from 'cdk8s';
import { KubeNetworkPolicy, NetworkPolicyEgressRule, NetworkPolicyIngressRule } from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { recordDecision } from './decisions';
import { describeEgressRule, kubeDnsEgressRule, renderEgressRule, renderIngressRule } from './egress';
import { EgressRule } from './egress-rule';
import { IngressRule } from './ingress-rule';

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
  /** Traffic admitted at creation; none (all ingress denied) when undefined and no rule is added later. */
  readonly ingress?: NetworkPolicyIngressRule[];
  /** Destinations allowed at creation, DNS included (see `workloadEgress`). */
  readonly egress: NetworkPolicyEgressRule[];
}

/**
 * The NetworkPolicy (id `NetworkPolicy`) of one workload's pods, governing
 * both directions: without a rule, a direction is denied. Rules can be
 * added after construction (`allowIngressFrom`, `allowEgressTo` of the
 * workload constructs); the object is rendered at synth with every rule in
 * the order added.
 * @internal
 */
export class WorkloadNetworkPolicy {
  /** The NetworkPolicy (networking.k8s.io/v1). */
  public readonly resource: ApiObject;
  private readonly ingress: NetworkPolicyIngressRule[] | undefined;
  private readonly ingressRules: NetworkPolicyIngressRule[];
  private readonly egressRules: NetworkPolicyEgressRule[];

  constructor(private readonly scope: Construct, options: WorkloadNetworkPolicyOptions) {
    this.egressRules = [...options.egress];
    this.ingressRules = [...options.ingress ?? []];
    this.ingress = options.ingress;
    const metadata = { name: options.name, labels: { ...options.labels } };
    const podSelector = { matchLabels: { ...options.selectorLabels } };
    this.resource = new ApiObject(scope, 'NetworkPolicy', {
      ...KubeNetworkPolicy.GVK,
      metadata,
      // Rendered at synth: rules added after construction are part of the object.
      spec: Lazy.any({
        produce: () => KubeNetworkPolicy.manifest({
          metadata,
          spec: {
            podSelector,
            policyTypes: ['Ingress', 'Egress'],
            // No rule at all: the `ingress` key stays out, which denies every caller.
            ingress: this.ingress === undefined && this.ingressRules.length === 0 ? undefined : this.ingressRules,
            egress: this.egressRules,
          },
        }).spec,
      }),
    });
  }

  /**
   * Admits the callers of `rule`; returns how to take the rule out again.
   * @param property where the rule was given, for error messages
   */
  public allowIngressFrom(property: string, rule: IngressRule): () => void {
    return add(this.ingressRules, renderIngressRule(this.scope, property, rule));
  }

  /**
   * Lets the pods reach the destination of `rule`; returns how to take the rule out again.
   * @param property where the rule was given, for error messages
   */
  public allowEgressTo(property: string, rule: EgressRule): () => void {
    return add(this.egressRules, renderEgressRule(this.scope, property, rule));
  }
}

function add<T>(list: T[], rule: T): () => void {
  list.push(rule);
  return () => { list.splice(list.lastIndexOf(rule), 1); };
}
