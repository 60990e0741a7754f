import { Construct } from 'constructs';
import { EgressRule } from './egress-rule';
import { IngressRule } from './ingress-rule';
import { WorkloadNetworkPolicy } from './network-policy';
import { IQuotaConsumer, WorkloadFootprint } from './quota-footprint';

/**
 * What WebApp, Worker and CronJob share: pods fenced by a NetworkPolicy of
 * their own, which denies all traffic but what is admitted at construction
 * and what is added later with `allowIngressFrom` and `allowEgressTo`; and
 * a footprint their tenant's quota is derived from (`Tenant.addWorkload`).
 */
export abstract class NetworkedWorkload extends Construct implements IQuotaConsumer {
  /**
   * The NetworkPolicy rules; set by the subclass's constructor.
   * @internal
   */
  protected _policyRules!: WorkloadNetworkPolicy;

  /**
   * Lets the pods open connections to the destination of `rule`, besides
   * DNS and the `egress` given at construction.
   */
  public allowEgressTo(rule: EgressRule): void {
    this._allowEgressTo(rule);
  }

  /**
   * Admits connections from the pods of `rule` to the given ports of this
   * workload's pods, besides the callers admitted at construction.
   */
  public allowIngressFrom(rule: IngressRule): void {
    this._allowIngressFrom(rule);
  }

  /**
   * What the workload holds of its namespace's quota at its peak, read from
   * its objects as they will be written (escape-hatch patches included).
   */
  public abstract quotaFootprint(): WorkloadFootprint;

  /**
   * `allowEgressTo`, returning how to take the rule out again.
   * @internal
   */
  public _allowEgressTo(rule: EgressRule): () => void {
    return this._policyRules.allowEgressTo('allowEgressTo', rule);
  }

  /**
   * `allowIngressFrom`, returning how to take the rule out again.
   * @internal
   */
  public _allowIngressFrom(rule: IngressRule): () => void {
    return this._policyRules.allowIngressFrom('allowIngressFrom', rule);
  }
}
