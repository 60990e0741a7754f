/** One place an Argo CD AppProject lets Applications deploy to. */
export interface AppProjectDestination {
  /** API server URL of the cluster, as Argo CD knows it. */
  readonly server: string;
  /** The namespace on that cluster. */
  readonly namespace: string;
}

/**
 * Kinds a tenant's Applications may not create in its namespace: the
 * objects that fence the tenant in (quota, default limits, the RBAC that
 * grants people access) and the SecretStore, which names the IAM role
 * secrets are read with. The tenant's boundary delivers them instead.
 * NetworkPolicy is not among them: every paved workload ships its own,
 * and policies only add allowed traffic for the tenant's own pods; the
 * namespace's default-deny stays in force.
 */
const FENCE_KINDS = [
  { group: '', kind: 'ResourceQuota' },
  { group: '', kind: 'LimitRange' },
  { group: 'rbac.authorization.k8s.io', kind: 'Role' },
  { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
  { group: 'external-secrets.io', kind: 'SecretStore' },
  // Writes secrets back to the store: only the platform's database admin namespace does that.
  { group: 'external-secrets.io', kind: 'PushSecret' },
];

/**
 * The spec of a tenant's AppProject: Applications of the project deploy
 * only the named repositories, only into the tenant's namespace on the
 * given clusters, no cluster-scoped object at all and none of the fence
 * kinds; objects in the namespace that no Application manages are reported
 * (orphaned-resource warnings). The one rendering of a tenant project,
 * shared by {@link Tenant} and the GitOps layer.
 * @internal
 */
export function tenantAppProjectSpec(tenant: string, sourceRepos: string[], destinations: AppProjectDestination[]): any {
  return {
    description: `Tenant ${tenant}: deploys only to namespace ${tenant}`,
    sourceRepos: [...sourceRepos],
    destinations: destinations.map(d => ({ server: d.server, namespace: d.namespace })),
    // Empty, not absent: no cluster-scoped object (Namespace, ClusterRole, CRD, webhook) at all.
    clusterResourceWhitelist: [],
    namespaceResourceBlacklist: FENCE_KINDS.map(k => ({ ...k })),
    orphanedResources: { warn: true },
  };
}
