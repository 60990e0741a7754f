import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import * as cdk8s from 'cdk8s';
import { TerraformProvider, TerraformStack } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { checkArguments, checkedScope, registerEnvironmentLookup } from './api-guard';
import { PavedError, invalid } from './errors';
import { lazyModule } from './lazy-module';
import { Lookup, LookupKey } from './lookup';
import { Platform } from './platform';
import { PROFILE_FIELDS, Profile } from './profile';
import { AWS_REGIONS, partitionOf } from './regions';
import { StackLayout } from './stack-layout';
import { TenantStack } from './tenant-stack';
import { TerraformState } from './terraform-state';
import { isDnsLabel, validateDnsLabel } from './validation';

const providerLib = lazyModule<typeof import('@cdktf/provider-aws/lib/provider')>('@cdktf/provider-aws/lib/provider');

/** Properties of an {@link Environment}. */
export interface EnvironmentProps {
  /** AWS account id the environment deploys to (12 digits). Terraform refuses any other account. */
  readonly account: string;
  /** AWS region, e.g. `eu-central-1`. */
  readonly region: string;
  /**
   * Defaults for availability, data protection, retention and cost.
   * @default Profile.PROD — the safe choice; pick DEV explicitly for throw-away environments
   */
  readonly profile?: Profile;
  /**
   * Tags on every taggable AWS resource, besides `paved:environment` and `paved:managed-by`.
   * @default - none
   */
  readonly tags?: { [key: string]: string };
  /**
   * Where Terraform keeps the state of this environment's stacks.
   * @default TerraformState.s3() — bucket `paved-tfstate-<account>-<region>`, encrypted, S3-native locking
   */
  readonly state?: TerraformState;
  /**
   * How the environment's Terraform resources are split into stacks: a
   * foundation stack `<env>` plus one stack per tenant `<env>-<tenant>`, or
   * one stack for everything. Moving between the two moves resources
   * between states without replacing them (README, "Stack layout").
   * @default StackLayout.PER_TENANT
   */
  readonly stackLayout?: StackLayout;
}

const ENVIRONMENT_NAME = /^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/;
const RESERVED_TAG_PREFIX = 'paved:';
const TENANT_STACKS = new LookupKey<TenantStack>('tenant-stacks');

/**
 * One deployment target: an AWS account and region with a profile.
 *
 * An environment is a Terraform stack (named after the environment: its
 * foundation) with the AWS provider pinned to its account and region,
 * default tags on every resource, and its state backend; in the per-tenant
 * layout each tenant gets a stack of its own besides it
 * ({@link tenantScope}). Its Kubernetes manifests are written to
 * `k8s/<environment>/`.
 */
export class Environment extends TerraformStack {
  /** The environment `scope` belongs to, in its foundation stack or one of its tenant stacks. */
  public static containing(scope: IConstruct): Environment {
    checkArguments('Environment.containing', arguments);
    const env = environmentContaining(scope);
    if (!env) {
      throw new PavedError(scope.node.path, 'scope', 'is not inside an Environment; create the construct under an Environment');
    }
    return env;
  }

  /** Environment name, e.g. `prod`. */
  public readonly name: string;
  /** AWS account id. */
  public readonly account: string;
  /** AWS region. */
  public readonly region: string;
  /** AWS partition of the region (`aws`, `aws-cn`, `aws-us-gov`, `aws-eusc`). */
  public readonly partition: string;
  /** Defaults in force. */
  public readonly profile: Profile;
  /** Where Terraform keeps the state of the environment's stacks. */
  public readonly state: TerraformState;
  /** Tags on every taggable resource, including paved's own. */
  public readonly tags: { [key: string]: string };
  /** The platform this environment belongs to. */
  public readonly platform: Platform;
  /** @internal */
  public readonly _provider: AwsProvider;
  /** The AWS provider of this environment's stack. */
  public get provider(): TerraformProvider {
    return this._provider;
  }
  /** How the environment's Terraform resources are split into stacks. */
  public readonly stackLayout: StackLayout;
  /**
   * How the environment's constructs find each other: its network,
   * clusters, DNS zones, tenants, singletons and the names taken in it.
   * @internal
   */
  public readonly _lookup: Lookup;

  constructor(platform: Platform, id: string, props: EnvironmentProps) {
    super(preflight(checkedScope(platform, 'Environment', arguments), id, props), id);
    this.platform = platform;
    this._lookup = new Lookup(platform._journal);
    this.name = id;
    this.account = props.account;
    this.region = props.region;
    this.partition = partitionOf(props.region);
    this.profile = props.profile ?? Profile.PROD;
    this.tags = {
      ...props.tags,
      'paved:environment': id,
      'paved:managed-by': 'paved',
    };

    this.stackLayout = props.stackLayout ?? StackLayout.PER_TENANT;
    if (!Object.values(StackLayout).includes(this.stackLayout)) {
      throw invalid(this, 'stackLayout', this.stackLayout, `one of ${Object.values(StackLayout).join(', ')} (StackLayout)`);
    }
    this.state = props.state ?? TerraformState.s3();
    this._provider = this._configureStack(this);
    this.recordProfile(props.profile === undefined);
    platform.recordDefault(this, 'stackLayout', this.stackLayout, props.stackLayout === undefined ? 'paved default' : 'override');
  }

  /**
   * Where the Terraform constructs of tenant `tenant` go: its stack
   * `<env>-<tenant>` (created on first use) in the per-tenant layout, the
   * environment itself in the single-stack layout. Workloads put their
   * resources there; create what a tenant owns by hand (a Queue, a
   * WorkloadIdentity for a hand-made Worker) there too, e.g.
   * `new Queue(env.tenantScope('shop'), 'Jobs')`. Default names derive
   * from the construct path below the stack (`<env>-jobs`) in either
   * layout, so they are unique per environment: paved refuses a second
   * `Jobs` queue of another tenant at construction; give such constructs
   * ids (or names) with the tenant in them.
   *
   * @param tenant the tenant (and namespace), a DNS label
   */
  public tenantScope(tenant: string): Construct {
    validateDnsLabel(this, 'tenant', tenant);
    if (this.stackLayout === StackLayout.SINGLE_STACK) { return this; }
    return this._lookup.singleton(TENANT_STACKS, tenant, () => {
      const id = `${this.name}-${tenant}`;
      this.platform._claimStackName(id, `the stack of tenant ${tenant} of environment ${this.name}`, this, 'tenant', tenant, 'a tenant');
      const stack = new TenantStack(this.platform.terraform, id, this, tenant);
      this._configureStack(stack);
      // Tenant stacks refer to the foundation (remote state); a pipeline applies it first.
      stack.addDependency(this);
      return stack;
    });
  }

  /**
   * The scope of tenant `tenant` if it exists already: the environment in the
   * single-stack layout, the tenant's stack once created in the per-tenant one.
   * @internal
   */
  public _existingTenantScope(tenant: string): Construct | undefined {
    return this.stackLayout === StackLayout.SINGLE_STACK ? this : this._lookup.get(TENANT_STACKS, tenant);
  }

  /**
   * Gives `stack`, one of the environment's stacks (its foundation, a
   * tenant's, a cluster's bootstrap), the environment's AWS provider (its
   * account, region and tags) and its state backend.
   * @internal
   */
  public _configureStack(stack: TerraformStack): AwsProvider {
    const provider = new providerLib.AwsProvider(stack, 'aws', {
      region: this.region,
      allowedAccountIds: [this.account],
      defaultTags: [{ tags: this.tags }],
    });
    this.state.bind(stack, { stackName: stack.node.id, account: this.account, region: this.region });
    return provider;
  }

  /**
   * The chart of one manifest file, `k8s/<environment>/<tenant>/<name>.k8s.yaml`
   * (or `k8s/<environment>/<name>.k8s.yaml` without a tenant), created on first use.
   *
   * @param name file name without extension, a DNS label
   * @param tenant the tenant (and namespace) of the objects
   */
  public chart(name: string, tenant?: string): cdk8s.Chart {
    for (const [property, value] of [['name', name], ['tenant', tenant]] as const) {
      if (value !== undefined && !isDnsLabel(value)) {
        throw invalid(this, `chart ${property}`, value, 'a DNS label (lowercase letters, digits and dashes, at most 63)');
      }
    }
    return this.platform.chart(tenant ? [this.name, tenant, name] : [this.name, name], tenant);
  }

  private recordProfile(defaulted: boolean): void {
    const overridden = new Map(this.profile.overrides.map(o => [o.field, o]));
    const source = defaulted ? `profile ${this.profile.name} (default profile)` : `profile ${this.profile.name}`;
    for (const field of PROFILE_FIELDS) {
      const override = overridden.get(field);
      this.platform.recordDefault(this, `profile.${field}`, String(this.profile[field]),
        override ? `override of profile ${this.profile.name} (preset: ${override.presetValue})` : source);
    }
  }
}

function preflight(platform: Platform, id: string, props: EnvironmentProps): Platform['terraform'] {
  if (!ENVIRONMENT_NAME.test(id ?? '')) {
    throw invalid(id, 'name', id, '1-12 lowercase letters, digits and dashes, starting and ending with a letter or digit');
  }
  if (!/^\d{12}$/.test(props.account ?? '')) {
    throw invalid(id, 'account', props.account, 'an AWS account id of exactly 12 digits');
  }
  if (!AWS_REGIONS.includes(props.region)) {
    throw invalid(id, 'region', props.region, `an AWS region: ${AWS_REGIONS.join(', ')}`);
  }
  for (const [key, value] of Object.entries(props.tags ?? {})) {
    if (key.startsWith(RESERVED_TAG_PREFIX) || key.toLowerCase().startsWith('aws:') || key.length === 0 || key.length > 128) {
      throw invalid(id, `tags.${key}`, key, 'a tag key of 1-128 characters not starting with "aws:" or "paved:" (paved sets those)');
    }
    if (typeof value !== 'string' || value.length > 256) {
      throw invalid(id, `tags.${key}`, value, 'a tag value of at most 256 characters');
    }
  }
  platform._claimStackName(id, `environment ${id}`, id, 'name', id, 'a name');
  return platform.terraform;
}

/**
 * The construct path of `scope` below its stack (the environment's
 * foundation stack or a tenant stack): what default physical names derive
 * from, after the environment's name. The same construct has the same path
 * below its stack in either stack layout, so its names, like its Terraform
 * address, do not change when an environment changes layout.
 * @internal
 */
export function pathBelowStack(scope: IConstruct): string[] {
  const scopes = scope.node.scopes;
  for (let i = scopes.length - 1; i >= 0; i--) {
    if (scopes[i] instanceof Environment || scopes[i] instanceof TenantStack) {
      return scopes.slice(i + 1).map(s => s.node.id);
    }
  }
  throw new PavedError(scope.node.path, 'scope', 'is not inside an Environment; create the construct under an Environment');
}

/**
 * Fails unless `scope` is in the environment's foundation stack: what the
 * whole environment uses (networks, clusters, DNS zones) never lives in a
 * tenant's stack, which other tenants' stacks must not depend on.
 * @internal
 */
export function requireFoundation(scope: IConstruct, what: string): void {
  const env = Environment.containing(scope);
  if (TerraformStack.of(scope) !== env) {
    throw invalid(scope, 'scope', TerraformStack.of(scope).node.id,
      `the environment's foundation stack "${env.node.id}": ${what} serves every tenant, so create it under the environment (new ...(env, ...))`);
  }
}

/** The environment `scope` belongs to, in its foundation stack or one of its tenant stacks; undefined outside any. */
function environmentContaining(scope: IConstruct): Environment | undefined {
  for (const c of [scope, ...scope.node.scopes.slice().reverse()]) {
    if (c instanceof Environment) { return c; }
    if (c instanceof TenantStack) { return c.environment; }
  }
  return undefined;
}

// The entry check of public constructors refuses a construct of another environment; it finds environments here.
registerEnvironmentLookup(environmentContaining);
