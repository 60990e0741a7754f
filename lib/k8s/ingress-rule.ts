/**
 * Pods allowed to connect to a workload, besides what the workload admits
 * by itself (the ingress controller for a WebApp, `allowedNamespaces`).
 *
 * A workload's NetworkPolicy denies all other ingress: a caller in
 * another workload (another namespace, or the same one) needs a rule.
 */
export interface IngressRule {
  /** Namespace whose pods may connect (selected by its `kubernetes.io/metadata.name` label). */
  readonly namespace: string;
  /**
   * Labels the calling pods must all carry, e.g. `{ 'app.kubernetes.io/name': 'orders' }`.
   * @default - every pod of the namespace
   */
  readonly podLabels?: { [key: string]: string };
  /** Ports of the workload's pods the callers may connect to, at least one (1-65535). */
  readonly ports: number[];
  /**
   * Protocol of `ports`: `TCP` or `UDP`.
   * @default 'TCP'
   */
  readonly protocol?: string;
  /**
   * Why the callers need the workload, e.g. `orders calls the API`. Shown in the synth report.
   * @default - none
   */
  readonly description?: string;
}
