import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import type { Environment } from './environment';

/**
 * The Terraform stack of one tenant of an environment, `<env>-<tenant>`, in
 * the per-tenant stack layout: the tenant's workloads, their resources and
 * identities, its shared resources and its secrets role, with an AWS
 * provider and state backend configured like the environment's. Created by
 * `environment.tenantScope(tenant)`; construct paths below it are those
 * the same constructs have below the environment in the single-stack
 * layout, so their Terraform addresses are the same in either layout.
 */
export class TenantStack extends TerraformStack {
  /** The environment the tenant belongs to. */
  public readonly environment: Environment;
  /** The tenant's name. */
  public readonly tenant: string;

  /** @internal */
  constructor(scope: Construct, id: string, environment: Environment, tenant: string) {
    super(scope, id);
    this.environment = environment;
    this.tenant = tenant;
  }
}
