/**
 * One key of a Kubernetes Secret in the workload's namespace, read into an
 * environment variable. The Secret must exist before the pod starts (paved's
 * `ExternalSecret` or the Terraform binding writes it); a missing Secret or
 * key keeps the pod in `CreateContainerConfigError`.
 */
export interface SecretKeyRef {
  /** Name of the Secret, a DNS-1123 subdomain. */
  readonly secretName: string;
  /** Key inside the Secret, e.g. `password`. */
  readonly key: string;
}
