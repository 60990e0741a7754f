/**
 * The Argo CD sync waves paved orders a cluster's objects by.
 *
 * Argo CD applies the objects of one sync wave by wave, lowest first, and
 * starts a wave only when everything of the waves before it is healthy. paved
 * uses one scale at both levels: the Applications of a cluster's root
 * Application (addons before tenant boundaries before workloads) and the
 * objects inside one Application (a connection secret before the Deployment
 * that reads it). A wave is written as the annotation
 * `argocd.argoproj.io/sync-wave`; objects without it are in wave 0.
 */
export class SyncWave {
  /** The annotation that holds an object's wave, as a string. */
  public static readonly ANNOTATION = 'argocd.argoproj.io/sync-wave';
  /**
   * Addons whose CRDs, webhooks and controllers everything else needs:
   * External Secrets, KEDA, the AWS Load Balancer Controller, metrics-server, Reloader.
   */
  public static readonly ADDONS = -6;
  /** Addons that use other addons, e.g. kube-prometheus-stack, whose Grafana admin password External Secrets generates. */
  public static readonly DEPENDENT_ADDONS = -5;
  /** A tenant's Namespace. */
  public static readonly NAMESPACES = -4;
  /** A tenant's fence inside its namespace: quota, default limits, network policies, RBAC and its SecretStore. */
  public static readonly TENANT_BOUNDARIES = -3;
  /** ExternalSecrets, so a workload's connection Secret exists before its pods start. */
  public static readonly SECRETS = -2;
  /**
   * One-off jobs that must finish before the workloads' new version starts
   * (a database migration), with their ServiceAccount, NetworkPolicy and
   * files: after the secrets they read, before the Deployments. Argo CD
   * runs such a Job as a `Sync` hook in this wave and starts the next wave
   * only once it has succeeded.
   */
  public static readonly MIGRATIONS = -1;
  /** Workloads: Argo CD's default wave. */
  public static readonly WORKLOADS = 0;
  /** Monitoring objects (ServiceMonitors, PrometheusRules, AlertmanagerConfigs, dashboards) and platform alert packs. */
  public static readonly MONITORING = 1;

  private constructor() {}
}

/**
 * The annotation that puts an object into `wave`.
 * @internal
 */
export function syncWaveAnnotation(wave: number): { [key: string]: string } {
  return { [SyncWave.ANNOTATION]: String(wave) };
}
