/** How an environment's Terraform resources are split into stacks (one state each). */
export enum StackLayout {
  /**
   * A foundation stack named after the environment (network, clusters,
   * DNS, the environment's keys, registries, operator roles and whatever
   * else is created under the environment) and one stack per tenant,
   * `<env>-<tenant>` (its workloads' resources and identities, shared
   * resources, its secrets role). Tenant stacks refer to the foundation
   * through Terraform remote state and depend on it in manifest.json, never
   * on each other: a pipeline applies the foundation, then every tenant
   * stack in parallel, and one bad apply touches one team.
   */
  PER_TENANT = 'PER_TENANT',
  /**
   * Everything in one stack named after the environment, as paved did
   * before per-tenant stacks: every plan refreshes every resource of the
   * environment. Workload names are unique per environment.
   */
  SINGLE_STACK = 'SINGLE_STACK',
}
