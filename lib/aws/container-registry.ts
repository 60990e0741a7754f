import type { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import type { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import type { EcrRepositoryPolicy } from '@cdktf/provider-aws/lib/ecr-repository-policy';
import { Lazy, TerraformResource } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { Grant, GrantPolicy, IGrantable, validateGrantee } from './grant';
import { Key } from './key';
import { checkedScope } from '../core/api-guard';
import { Environment, pathBelowStack } from '../core/environment';
import { invalid } from '../core/errors';
import { lazyModule } from '../core/lazy-module';
import { LookupKey } from '../core/lookup';
import { Naming } from '../core/naming';
import { Platform } from '../core/platform';
import { validateInteger } from '../core/validation';

const ecrLifecyclePolicyLib = lazyModule<typeof import('@cdktf/provider-aws/lib/ecr-lifecycle-policy')>('@cdktf/provider-aws/lib/ecr-lifecycle-policy');
const ecrRepositoryLib = lazyModule<typeof import('@cdktf/provider-aws/lib/ecr-repository')>('@cdktf/provider-aws/lib/ecr-repository');
const ecrRepositoryPolicyLib = lazyModule<typeof import('@cdktf/provider-aws/lib/ecr-repository-policy')>('@cdktf/provider-aws/lib/ecr-repository-policy');

/** Properties of a {@link ContainerRegistry}. */
export interface ContainerRegistryProps {
  /**
   * Repository name: 2-256 lowercase letters, digits and `._-/`, components
   * separated by `/`, each starting and ending with a letter or digit.
   * Changing it replaces the repository (and loses its images).
   * @default - `<env>-<construct path below the environment>`
   */
  readonly repositoryName?: string;
  /**
   * Number of most recent images to keep (1-10000); older ones expire.
   * @default 30
   */
  readonly keepImages?: number;
  /**
   * The KMS key that encrypts the images, of the same environment.
   * @default - a key of its own (rotation on)
   */
  readonly encryptionKey?: Key;
  /**
   * Set Terraform's `lifecycle.prevent_destroy` on the repository (and on its own key).
   * @default - the environment profile's `preventDestroy` (DEV and STAGING false, PROD true)
   */
  readonly preventDestroy?: boolean;
}

/**
 * Actions `grantPull` allows: read an image's manifest and layers.
 * `ecr:GetAuthorizationToken` has no resource and belongs in the role's own policy.
 */
const PULL_ACTIONS = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'];
/** Actions `grantPush` allows: upload layers and put the manifest (BatchGetImage lets clients check what exists). */
const PUSH_ACTIONS = [
  'ecr:BatchCheckLayerAvailability', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload',
  'ecr:PutImage', 'ecr:BatchGetImage',
];
const DEFAULT_KEEP_IMAGES = 30;
const UNTAGGED_EXPIRY_DAYS = 7;
const REPOSITORY_NAME = /^(?=.{2,256}$)([a-z0-9]+([._-][a-z0-9]+)*\/)*[a-z0-9]+([._-][a-z0-9]+)*$/;
/** ECR repository names taken in an environment. */
const REPOSITORY_NAMES = new LookupKey<IConstruct>('ecr-repository-names');

/**
 * An ECR repository for a workload's container images.
 *
 * Secure defaults:
 * - tags are immutable: a tag, once pushed, always means the same image;
 * - every push is scanned for vulnerabilities (basic scanning on push);
 * - images are encrypted with a customer managed KMS key (its own, or the one given);
 * - a lifecycle policy expires untagged images 7 days after push and keeps
 *   only the `keepImages` (30) most recent images;
 * - the repository is never force-deleted with its images, and in PROD
 *   Terraform refuses to destroy it (`prevent_destroy`);
 * - access is granted per IAM role in the repository policy (`grantPull`
 *   for nodes and workloads, `grantPush` for CI): a repository policy, not
 *   identity policies, because the roles that push (CI) are usually not
 *   managed by paved. Each role also needs `ecr:GetAuthorizationToken` in
 *   its own policy (ECR cannot grant it on a repository); EKS nodes have it
 *   through `AmazonEC2ContainerRegistryPullOnly`.
 *
 * @example
 * const registry = new ContainerRegistry(env, 'Orders');
 * registry.grantPull(cluster.nodeIdentity);
 * registry.grantPush(Grantee.fromRoleArn(env, 'CiRole', 'arn:aws:iam::123456789012:role/ci-orders'));
 */
export class ContainerRegistry extends Construct {
  /** The repository name. */
  public readonly repositoryName: string;
  /** ARN of the repository, built from its name: a literal known at synth time. */
  public readonly repositoryArn: string;
  /** The repository URL images are tagged with, `<account>.dkr.ecr.<region>.amazonaws.com/<name>` (a reference resolved at apply time). */
  public readonly repositoryUrl: string;
  /** The key that encrypts the images. */
  public readonly key: Key;
  /** How many recent images are kept. */
  public readonly keepImages: number;
  /** @internal */
  public readonly _repository: EcrRepository;
  /** The repository, for escape hatches. */
  public get repository(): TerraformResource {
    return this._repository;
  }
  /** @internal */
  public readonly _lifecyclePolicy: EcrLifecyclePolicy;
  /** The lifecycle policy, for escape hatches. */
  public get lifecyclePolicy(): TerraformResource {
    return this._lifecyclePolicy;
  }

  private readonly pullers: string[] = [];
  private readonly pushers: string[] = [];
  private repositoryPolicy?: EcrRepositoryPolicy;

  constructor(scope: Construct, id: string, props: ContainerRegistryProps = {}) {
    super(checkedScope(scope, 'ContainerRegistry', arguments), id);
    const env = Environment.containing(this);
    const platform = Platform.of(this);
    const relative = pathBelowStack(this).map(s => s.toLowerCase());

    const repositoryName = props.repositoryName ?? Naming.name([env.name, ...relative], { maxLength: 256, minLength: 2 });
    if (typeof repositoryName !== 'string' || !REPOSITORY_NAME.test(repositoryName)) {
      throw invalid(this, 'repositoryName', repositoryName,
        'an ECR repository name: 2-256 lowercase letters, digits and "._-/", components separated by "/", '
        + 'each starting and ending with a letter or digit, no two separators in a row');
    }
    const taken = env._lookup.claim(REPOSITORY_NAMES, repositoryName, this);
    if (taken) {
      throw invalid(this, 'repositoryName', repositoryName, `a name not used by ${taken.node.path} of the same environment`);
    }
    const keepImages = props.keepImages ?? DEFAULT_KEEP_IMAGES;
    validateInteger(this, 'keepImages', keepImages, 1, 10000);
    const preventDestroy = props.preventDestroy ?? env.profile.preventDestroy;
    if (props.encryptionKey !== undefined) {
      if (!(props.encryptionKey instanceof Key)) {
        throw invalid(this, 'encryptionKey', props.encryptionKey, 'a Key (new Key(env, ...))');
      }
      const keyEnv = Environment.containing(props.encryptionKey);
      if (keyEnv !== env) {
        throw invalid(this, 'encryptionKey', `construct ${props.encryptionKey.node.path}`, `a key of environment "${env.name}", not of "${keyEnv.name}"`);
      }
    }

    platform.recordDefault(this, 'keepImages', String(keepImages), props.keepImages === undefined ? 'paved default' : 'override');
    platform.recordDefault(this, 'preventDestroy', String(preventDestroy),
      props.preventDestroy === undefined ? `profile ${env.profile.name}` : 'override');

    this.repositoryName = repositoryName;
    this.keepImages = keepImages;
    this.repositoryArn = `arn:${env.partition}:ecr:${env.region}:${env.account}:repository/${repositoryName}`;
    this.key = props.encryptionKey ?? new Key(this, 'Key', {
      description: `Encrypts the images of ECR repository ${repositoryName}`,
      alias: keyAlias(repositoryName),
      preventDestroy,
    });

    this._repository = new ecrRepositoryLib.EcrRepository(this, 'Resource', {
      name: repositoryName,
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: this.key.keyArn }],
      forceDelete: false,
      lifecycle: preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.repositoryUrl = this._repository.repositoryUrl;

    this._lifecyclePolicy = new ecrLifecyclePolicyLib.EcrLifecyclePolicy(this, 'LifecyclePolicy', {
      repository: this._repository.name,
      policy: JSON.stringify({
        rules: [
          {
            rulePriority: 1,
            description: `Expire untagged images ${UNTAGGED_EXPIRY_DAYS} days after push`,
            selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: UNTAGGED_EXPIRY_DAYS },
            action: { type: 'expire' },
          },
          {
            // ECR requires the "any" rule to come last.
            rulePriority: 2,
            description: `Keep the ${keepImages} most recent images`,
            selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: keepImages },
            action: { type: 'expire' },
          },
        ],
      }),
    });
  }

  /** The repository policy, for escape hatches; undefined until the first grant. */
  public get policy(): TerraformResource | undefined {
    return this.repositoryPolicy;
  }

  /**
   * Lets `grantee` pull images: `ecr:BatchGetImage`,
   * `ecr:GetDownloadUrlForLayer` and `ecr:BatchCheckLayerAvailability` on
   * this repository, through the repository policy. For EKS nodes pass
   * `cluster.nodeIdentity`.
   */
  public grantPull(grantee: IGrantable): Grant {
    return this.grant(grantee, this.pullers, PULL_ACTIONS);
  }

  /**
   * Lets `grantee` (a CI role: `Grantee.fromRoleArn(...)`) push images:
   * `ecr:BatchCheckLayerAvailability`, `ecr:InitiateLayerUpload`,
   * `ecr:UploadLayerPart`, `ecr:CompleteLayerUpload`, `ecr:PutImage` and
   * `ecr:BatchGetImage` on this repository, through the repository policy.
   */
  public grantPush(grantee: IGrantable): Grant {
    return this.grant(grantee, this.pushers, PUSH_ACTIONS);
  }

  private grant(grantee: IGrantable, list: string[], actions: string[]): Grant {
    validateGrantee(this, grantee, GrantPolicy.RESOURCE);
    const lookup = Environment.containing(this)._lookup;
    const roleArn = grantee.roleArn;
    if (!list.includes(roleArn)) {
      list.push(roleArn);
      lookup.onRollback(() => { list.splice(list.indexOf(roleArn), 1); });
    }
    if (!this.repositoryPolicy) {
      this.repositoryPolicy = new ecrRepositoryPolicyLib.EcrRepositoryPolicy(this, 'Policy', {
        repository: this._repository.name,
        policy: Lazy.stringValue({ produce: () => this.renderPolicy() }),
      });
      lookup.onRollback(() => {
        this.node.tryRemoveChild('Policy');
        this.repositoryPolicy = undefined;
      });
    }
    return Grant._of(grantee, GrantPolicy.RESOURCE, [{ actions: [...actions], resources: [this.repositoryArn] }]);
  }

  private renderPolicy(): string {
    const statement = (sid: string, principals: string[], actions: string[]) => ({
      Sid: sid,
      Effect: 'Allow',
      Principal: { AWS: principals.length === 1 ? principals[0] : [...principals] },
      Action: actions,
    });
    return JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        ...(this.pullers.length > 0 ? [statement('Pull', this.pullers, PULL_ACTIONS)] : []),
        ...(this.pushers.length > 0 ? [statement('Push', this.pushers, PUSH_ACTIONS)] : []),
      ],
    });
  }
}

/** `ecr/<name>` as a KMS alias: no dots, within the alias length limit. */
function keyAlias(repositoryName: string): string {
  const name = repositoryName.replace(/\./g, '_');
  return name.length <= 180 ? `ecr/${name}` : `ecr/${name.slice(0, 171).replace(/[/_-]+$/, '')}-${Naming.hash(repositoryName)}`;
}
