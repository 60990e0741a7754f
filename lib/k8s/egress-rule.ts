/**
 * A destination a workload may open TCP connections to, besides DNS.
 *
 * A workload's NetworkPolicy denies all other egress, so every dependency
 * (database, cache, AWS APIs, another service) needs a rule. Give either
 * `cidr`, or `namespace` (optionally narrowed by `podLabels`).
 *
 * Workloads that call AWS with EKS Pod Identity also need the node-local
 * agent: `{ cidr: '169.254.170.23/32', ports: [80] }` (and
 * `fd00:ec2::23/128` on IPv6 clusters).
 */
export interface EgressRule {
  /**
   * IPv4 or IPv6 range in CIDR notation, e.g. `10.0.0.0/16`; `0.0.0.0/0` for the internet.
   * Must be a literal (a Terraform reference cannot be resolved in YAML).
   * @default - none; then `namespace` is required
   */
  readonly cidr?: string;
  /**
   * Namespace whose pods may be reached (selected by its `kubernetes.io/metadata.name` label).
   * @default - none; then `cidr` is required
   */
  readonly namespace?: string;
  /**
   * Labels the pods in `namespace` must all carry, e.g. `{ 'app.kubernetes.io/name': 'orders' }`.
   * @default - every pod of the namespace
   */
  readonly podLabels?: { [key: string]: string };
  /** Ports, at least one (1-65535): a rule without ports would open every port. */
  readonly ports: number[];
  /**
   * Protocol of `ports`: `TCP` or `UDP`.
   * @default 'TCP'
   */
  readonly protocol?: string;
  /**
   * Why the workload needs the destination, e.g. `PostgreSQL db`. Shown in the synth report.
   * @default - none
   */
  readonly description?: string;
}
