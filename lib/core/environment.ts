import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import * as cdk8s from 'cdk8s';
import { TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { PavedError, invalid } from './errors';
import { Lookup } from './lookup';
import { Platform } from './platform';
import { Profile } from './profile';
import { AWS_REGIONS, partitionOf } from './regions';
import { TerraformState } from './terraform-state';
import { isDnsLabel } from './validation';

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
}

const ENVIRONMENT_NAME = /^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/;
const RESERVED_TAG_PREFIX = 'paved:';

/**
 * One deployment target: an AWS account and region with a profile.
 *
 * An environment is a Terraform stack (named after the environment) with the
 * AWS provider pinned to its account and region, default tags on every
 * resource, and its state backend. Its Kubernetes manifests are written to
 * `k8s/<environment>/`.
 */
export class Environment extends TerraformStack {
  /** The environment `scope` belongs to. */
  public static containing(scope: IConstruct): Environment {
    for (const c of [scope, ...scope.node.scopes.slice().reverse()]) {
      if (c instanceof Environment) { return c; }
    }
    throw new PavedError(scope.node.path, 'scope', 'is not inside an Environment; create the construct under an Environment');
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
  /** Tags on every taggable resource, including paved's own. */
  public readonly tags: { [key: string]: string };
  /** The platform this environment belongs to. */
  public readonly platform: Platform;
  /** The AWS provider of this environment's stack. */
  public readonly provider: AwsProvider;
  /**
   * How the environment's constructs find each other: its network,
   * clusters, DNS zones, tenants, singletons and the names taken in it.
   * @internal
   */
  public readonly _lookup: Lookup;

  constructor(platform: Platform, id: string, props: EnvironmentProps) {
    super(preflight(platform, id, props), id);
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

    this.provider = new AwsProvider(this, 'aws', {
      region: this.region,
      allowedAccountIds: [this.account],
      defaultTags: [{ tags: this.tags }],
    });
    (props.state ?? TerraformState.s3()).bind(this, { stackName: id, account: this.account, region: this.region });
    this.recordProfile(props.profile === undefined);
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
    for (const field of ['availabilityZones', 'multiAz', 'deletionProtection', 'preventDestroy', 'backupRetentionDays',
      'logRetentionDays', 'minReplicas', 'spotAllowed', 'natStrategy'] as const) {
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
  if (platform.terraform.node.tryFindChild(id)) {
    throw invalid(id, 'name', id, `a name not used by another environment of the platform (${platform.terraform.node.children.map(c => c.node.id).join(', ')})`);
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
  return platform.terraform;
}
