import { invalid } from './errors';
import { validateInteger, validateOneOf } from './validation';

/** How private subnets reach the internet. */
export enum NatStrategy {
  /** One NAT gateway for the whole VPC: cheap, one AZ is a single point of failure for egress. */
  SINGLE = 'SINGLE',
  /** One NAT gateway per availability zone: egress survives the loss of an AZ. */
  ONE_PER_AZ = 'ONE_PER_AZ',
  /** No NAT gateway: private subnets have no route to the internet. */
  NONE = 'NONE',
}

/**
 * Which container images workloads may run: whether an image must be
 * pinned, so that what runs changes only with the declaration.
 */
export enum ImagePolicy {
  /**
   * `:latest` and untagged images (which mean `latest`) are accepted, each
   * with a warning of the synth report: for development environments that
   * deploy whatever was pushed last. Nodes pull such an image at different
   * times, so replicas may run different code.
   */
  WARN_UNPINNED = 'warn-unpinned',
  /** An image needs a tag other than `latest`, or a digest; anything else is refused. */
  REQUIRE_PINNED = 'require-pinned',
  /**
   * An image needs a digest (`@sha256:...`): what runs is exactly what was
   * built and scanned, even if someone moves a tag.
   */
  REQUIRE_DIGEST = 'require-digest',
}

/**
 * Every default an environment profile decides. Each field is optional in
 * {@link Profile.with} so a platform engineer overrides only what differs.
 */
export interface ProfileProps {
  /**
   * Number of availability zones networks and data stores span.
   * @default DEV 2, STAGING 2, PROD 3
   */
  readonly availabilityZones?: number;
  /**
   * Run stateful services (databases, caches) with a standby in another AZ.
   * @default DEV false, STAGING false, PROD true
   */
  readonly multiAz?: boolean;
  /**
   * Turn on the service's deletion protection for stateful resources.
   * @default DEV false, STAGING true, PROD true
   */
  readonly deletionProtection?: boolean;
  /**
   * Set Terraform's `lifecycle.prevent_destroy` on stateful resources.
   * @default DEV false, STAGING false, PROD true
   */
  readonly preventDestroy?: boolean;
  /**
   * Days automated backups and snapshots are kept (1-35, RDS's range).
   * @default DEV 1, STAGING 7, PROD 30
   */
  readonly backupRetentionDays?: number;
  /**
   * Days CloudWatch keeps logs. One of the values CloudWatch Logs accepts.
   * @default 365 in every profile (a year of flow and audit logs is what scanners such as checkov CKV_AWS_338 require)
   */
  readonly logRetentionDays?: number;
  /**
   * Minimum replicas of a web app or worker; 2 or more also adds a disruption budget.
   * @default DEV 1, STAGING 2, PROD 2
   */
  readonly minReplicas?: number;
  /**
   * Node groups may use spot capacity.
   * @default DEV true, STAGING true, PROD false
   */
  readonly spotAllowed?: boolean;
  /**
   * NAT gateways for private subnets.
   * @default DEV SINGLE, STAGING SINGLE, PROD ONE_PER_AZ
   */
  readonly natStrategy?: NatStrategy;
  /**
   * Fail when a workload holds a secret-looking literal (an env value of a
   * variable named like a password or token, a known token format, a
   * private key, a URL with a password) instead of a reference to a secret
   * output. When false, each one is a warning of the synth report. Either
   * way a false positive is acknowledged with the workload annotation
   * `paved.dev/not-secret`.
   * @default DEV false, STAGING true, PROD true
   */
  readonly failOnSecretLiterals?: boolean;
  /**
   * Which container images the environment's workloads may run.
   * @default DEV WARN_UNPINNED (`:latest` and untagged images are warnings), STAGING and PROD REQUIRE_PINNED
   */
  readonly imagePolicy?: ImagePolicy;
}

/** One profile field with the value that differs from the preset it came from. */
export interface ProfileOverride {
  /** Field name, e.g. `backupRetentionDays`. */
  readonly field: string;
  /** Value of the preset, as text. */
  readonly presetValue: string;
  /** Value in force, as text. */
  readonly value: string;
}

/** Retention values CloudWatch Logs accepts (`retention_in_days`). */
export const LOG_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/**
 * Environment defaults: availability, data protection, retention and cost.
 *
 * Three presets exist. Every construct reads its defaults from its
 * environment's profile, and every value can still be overridden on the
 * construct itself; `with()` derives a profile whose differences show in the
 * synth report.
 */
export class Profile {
  /** Development: one NAT gateway, single-AZ data stores, no deletion protection, short backups, spot nodes. */
  public static readonly DEV = new Profile('dev', {
    availabilityZones: 2,
    multiAz: false,
    deletionProtection: false,
    preventDestroy: false,
    backupRetentionDays: 1,
    logRetentionDays: 365,
    minReplicas: 1,
    spotAllowed: true,
    natStrategy: NatStrategy.SINGLE,
    failOnSecretLiterals: false,
    imagePolicy: ImagePolicy.WARN_UNPINNED,
  });

  /** Staging: production shape at lower cost; deletion protection on, `prevent_destroy` off. */
  public static readonly STAGING = new Profile('staging', {
    availabilityZones: 2,
    multiAz: false,
    deletionProtection: true,
    preventDestroy: false,
    backupRetentionDays: 7,
    logRetentionDays: 365,
    minReplicas: 2,
    spotAllowed: true,
    natStrategy: NatStrategy.SINGLE,
    failOnSecretLiterals: true,
    imagePolicy: ImagePolicy.REQUIRE_PINNED,
  });

  /** Production: three AZs, multi-AZ data stores, deletion protection and `prevent_destroy`, 30-day backups, no spot. */
  public static readonly PROD = new Profile('prod', {
    availabilityZones: 3,
    multiAz: true,
    deletionProtection: true,
    preventDestroy: true,
    backupRetentionDays: 30,
    logRetentionDays: 365,
    minReplicas: 2,
    spotAllowed: false,
    natStrategy: NatStrategy.ONE_PER_AZ,
    failOnSecretLiterals: true,
    imagePolicy: ImagePolicy.REQUIRE_PINNED,
  });

  /** Name of the preset this profile derives from (`dev`, `staging`, `prod`). */
  public readonly name: string;
  /** Availability zones to span (2-6). */
  public readonly availabilityZones: number;
  /** Stateful services run with a standby in another AZ. */
  public readonly multiAz: boolean;
  /** Deletion protection on stateful resources. */
  public readonly deletionProtection: boolean;
  /** `lifecycle.prevent_destroy` on stateful resources. */
  public readonly preventDestroy: boolean;
  /** Days backups are kept. */
  public readonly backupRetentionDays: number;
  /** Days logs are kept. */
  public readonly logRetentionDays: number;
  /** Minimum replicas of a workload. */
  public readonly minReplicas: number;
  /** Spot capacity allowed for nodes. */
  public readonly spotAllowed: boolean;
  /** NAT gateway strategy. */
  public readonly natStrategy: NatStrategy;
  /** Secret-looking literals in workloads fail (else they are warnings). */
  public readonly failOnSecretLiterals: boolean;
  /** Which container images workloads may run. */
  public readonly imagePolicy: ImagePolicy;
  /** Fields that differ from the preset, in declaration order. */
  public readonly overrides: ProfileOverride[];

  private constructor(name: string, props: Required<ProfileProps>, preset?: Profile) {
    const where = `Profile ${name}`;
    validateInteger(where, 'availabilityZones', props.availabilityZones, 2, 6);
    validateInteger(where, 'backupRetentionDays', props.backupRetentionDays, 1, 35);
    validateOneOf(where, 'logRetentionDays', props.logRetentionDays, LOG_RETENTION_DAYS);
    validateInteger(where, 'minReplicas', props.minReplicas, 1, 100);
    validateOneOf(where, 'natStrategy', props.natStrategy, Object.values(NatStrategy));
    validateOneOf(where, 'imagePolicy', props.imagePolicy, Object.values(ImagePolicy));
    if (props.preventDestroy && !props.deletionProtection) {
      throw invalid(where, 'deletionProtection', props.deletionProtection,
        'true when preventDestroy is true (a resource Terraform may not destroy should not be deletable by the API either)');
    }
    this.name = name;
    this.availabilityZones = props.availabilityZones;
    this.multiAz = props.multiAz;
    this.deletionProtection = props.deletionProtection;
    this.preventDestroy = props.preventDestroy;
    this.backupRetentionDays = props.backupRetentionDays;
    this.logRetentionDays = props.logRetentionDays;
    this.minReplicas = props.minReplicas;
    this.spotAllowed = props.spotAllowed;
    this.natStrategy = props.natStrategy;
    this.failOnSecretLiterals = props.failOnSecretLiterals;
    this.imagePolicy = props.imagePolicy;
    this.overrides = preset ? diff(preset, this) : [];
  }

  /**
   * A profile equal to this one except for the given fields.
   * The differences from the preset are listed in the synth report.
   */
  public with(overrides: ProfileProps): Profile {
    const merged: Required<ProfileProps> = {
      availabilityZones: overrides.availabilityZones ?? this.availabilityZones,
      multiAz: overrides.multiAz ?? this.multiAz,
      deletionProtection: overrides.deletionProtection ?? this.deletionProtection,
      preventDestroy: overrides.preventDestroy ?? this.preventDestroy,
      backupRetentionDays: overrides.backupRetentionDays ?? this.backupRetentionDays,
      logRetentionDays: overrides.logRetentionDays ?? this.logRetentionDays,
      minReplicas: overrides.minReplicas ?? this.minReplicas,
      spotAllowed: overrides.spotAllowed ?? this.spotAllowed,
      natStrategy: overrides.natStrategy ?? this.natStrategy,
      failOnSecretLiterals: overrides.failOnSecretLiterals ?? this.failOnSecretLiterals,
      imagePolicy: overrides.imagePolicy ?? this.imagePolicy,
    };
    return new Profile(this.name, merged, this.preset());
  }

  /** Whether this is one of the production-grade presets (PROD, or derived from it). */
  public get isProduction(): boolean {
    return this.name === 'prod';
  }

  private preset(): Profile {
    return ({ dev: Profile.DEV, staging: Profile.STAGING, prod: Profile.PROD } as Record<string, Profile>)[this.name];
  }
}

/**
 * Every field of a profile, in declaration order (the report lists them so).
 * @internal
 */
export const PROFILE_FIELDS: readonly (keyof ProfileProps)[] = [
  'availabilityZones', 'multiAz', 'deletionProtection', 'preventDestroy', 'backupRetentionDays',
  'logRetentionDays', 'minReplicas', 'spotAllowed', 'natStrategy', 'failOnSecretLiterals', 'imagePolicy',
];

function diff(preset: Profile, profile: Profile): ProfileOverride[] {
  return PROFILE_FIELDS
    .filter(field => (preset as any)[field] !== (profile as any)[field])
    .map(field => ({ field, presetValue: String((preset as any)[field]), value: String((profile as any)[field]) }));
}
