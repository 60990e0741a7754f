import { Construct, IConstruct } from 'constructs';
import { BoundResource, IProvisioner, ProvisionContext, ProvisionResult, checkProvisionResult } from './provisioner';
import { PolicyStatement } from '../aws/policy-statement';
import { IWorkloadIdentity } from '../aws/workload-identity';
import { Environment } from '../core/environment';
import { invalid } from '../core/errors';
import { LookupKey } from '../core/lookup';
import { Naming } from '../core/naming';
import { isDnsLabel } from '../core/validation';

/** The `workload` part of the names of shared resources (`paved/<env>/<tenant>/shared/<type>-<id>`). @internal */
export const SHARED_WORKLOAD = 'shared';

/** A workload asking for a shared resource. @internal */
export interface SharingWorkload extends IConstruct {
  readonly name: string;
  readonly identity: IWorkloadIdentity;
}

/** What the workload layer passes to a provisioner, besides the parts that depend on who asks. @internal */
export type SharedContext = Omit<ProvisionContext, 'scope' | 'workload' | 'resourceName' | 'identity' | 'secretName'>;

const SHARED_RESOURCES = new LookupKey<SharedResource>('shared-resources');
const CONTAINERS = new LookupKey<Construct>('shared-resource-containers');
/** The container of a tenant's shared resources, below its scope. */
const CONTAINER_ID = 'SharedResources';

/**
 * Binds the request `name` of `workload` to the shared resource of its
 * type and id: provisioned with the first request, joined by the others.
 * @param scope where shared resources of the workload's tenant are made (`<scope>/SharedResources/<type>-<id>`)
 * @internal
 */
export function bindSharedResource(workload: SharingWorkload, scope: Construct, name: string, provisioner: IProvisioner,
  context: SharedContext): BoundResource {
  const { environment: env, resource } = context;
  if (typeof resource.id !== 'string' || !isDnsLabel(resource.id, 30)) {
    throw invalid(workload, `resources.${name}.id`, resource.id,
      'a DNS label of 1-30 lowercase letters, digits and dashes (paved names the shared resource after it)');
  }
  const key = sharedKey(resource.type, resource.id);
  // Keyed by scope: in the per-tenant layout each tenant's stack has its own shared resources.
  const lookupKey = `${scope.node.path}/${key}`;
  const existing = env._lookup.get(SHARED_RESOURCES, lookupKey);
  if (existing) {
    existing.check(workload, name, context);
  }
  const shared = existing ?? env._lookup.singleton(SHARED_RESOURCES, lookupKey,
    () => new SharedResource(workload, name, containerOf(env, scope), key, provisioner, context));
  shared.identity.addMember(workload.identity);
  return { result: shared.result, secretName: shared.secretName };
}

/**
 * The scope the shared resource of `type` and `id` was provisioned in
 * below `scope` (the tenant's), if it exists.
 * @internal
 */
export function sharedResourceScope(scope: Construct, type: string, id: string): Construct | undefined {
  return scope.node.tryFindChild(CONTAINER_ID)?.node.tryFindChild(sharedKey(type, id)) as Construct | undefined;
}

/** The id of a shared resource's scope: `<type>-<id>`. */
function sharedKey(type: string, id: string): string {
  return `${type}-${id}`;
}

/** `<scope>/SharedResources`, created on first use. */
function containerOf(env: Environment, scope: Construct): Construct {
  return env._lookup.singleton(CONTAINERS, scope.node.path, () => new Construct(scope, CONTAINER_ID));
}

/**
 * One resource that several workloads of a tenant request with the same
 * type and id (Score's `id`). It is provisioned once, under
 * `SharedResources/<type>-<id>`, with names and secret
 * (`paved/<env>/<tenant>/shared/<type>-<id>`) that do not depend on which
 * workload asked first, so adding or removing a workload never replaces it.
 * Every workload gets the outputs, the grants (through a
 * {@link SharedIdentity}) and its own ExternalSecret.
 */
class SharedResource {
  public readonly identity: SharedIdentity;
  public readonly result: ProvisionResult;
  public readonly secretName: string;
  private readonly tenant: string;
  private readonly sizeName: string;
  private readonly params: string;
  private readonly firstRequest: string;

  constructor(workload: SharingWorkload, name: string, container: Construct, key: string, provisioner: IProvisioner, context: SharedContext) {
    const env = context.environment;
    const scope = new Construct(container, key);
    env._lookup.removeOnRollback(scope);
    this.identity = new SharedIdentity(scope, 'Identity');
    this.secretName = Naming.connectionSecret(env.name, context.tenant, SHARED_WORKLOAD, key);
    this.tenant = context.tenant;
    this.sizeName = context.size.name;
    this.params = canonicalJson(context.resource.params);
    this.firstRequest = `${workload.name} (resources.${name})`;
    this.result = provisioner.provision({
      ...context,
      scope,
      workload: SHARED_WORKLOAD,
      resourceName: key,
      identity: this.identity,
      secretName: this.secretName,
    });
    checkProvisionResult(workload, name, provisioner, this.result);
  }

  public check(workload: SharingWorkload, name: string, context: SharedContext): void {
    const what = `${context.resource.type} "${context.resource.id}", first requested by ${this.firstRequest},`;
    if (context.tenant !== this.tenant) {
      throw invalid(workload, `resources.${name}.id`, context.resource.id,
        `an id not taken by another tenant: ${what} belongs to tenant "${this.tenant}" (tenants never share resources)`);
    }
    if (context.size.name !== this.sizeName) {
      throw invalid(workload, `resources.${name}.size`, context.size.name,
        `size "${this.sizeName}": ${what} has that size (every request of a shared resource asks for the same size)`);
    }
    if (canonicalJson(context.resource.params) !== this.params) {
      throw invalid(workload, `resources.${name}.params`, context.resource.params,
        `the params ${this.params}: ${what} has them (every request of a shared resource passes the same params)`);
    }
  }
}

/**
 * The identity a shared resource's provisioner grants to: every permission
 * goes to each workload that shares the resource, including workloads that
 * join later. Its `roleArn` and `roleName` are those of the first workload.
 */
class SharedIdentity extends Construct implements IWorkloadIdentity {
  private readonly members: IWorkloadIdentity[] = [];
  private readonly grants: PolicyStatement[] = [];

  public get roleArn(): string {
    return this.members[0]?.roleArn ?? '';
  }

  public get roleName(): string {
    return this.members[0]?.roleName ?? '';
  }

  public addMember(identity: IWorkloadIdentity): void {
    this.members.push(identity);
    Environment.containing(this)._lookup.onRollback(() => { this.members.splice(this.members.indexOf(identity), 1); });
    this.grants.forEach(statement => identity.addToPolicy(statement));
  }

  public addToPolicy(statement: PolicyStatement): void {
    this.grants.push(statement);
    this.members.forEach(identity => identity.addToPolicy(statement));
  }
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => v !== null && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.keys(v).sort().map(k => [k, v[k]]))
    : v);
}
