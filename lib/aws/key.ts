import type { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import type { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { Grant, GrantPolicy, IGrantable, validateGrantee } from './grant';
import { accountAdminStatement } from './key-policy';
import { PolicyCondition, PolicyStatement, renderPolicyConditions, validatePolicyConditions } from './policy-statement';
import { checkedScope } from '../core/api-guard';
import { Environment, pathBelowStack } from '../core/environment';
import { invalid } from '../core/errors';
import { lazyModule } from '../core/lazy-module';
import { LookupKey } from '../core/lookup';
import { Naming } from '../core/naming';
import { Platform } from '../core/platform';
import { validateInteger } from '../core/validation';

const kmsAliasLib = lazyModule<typeof import('@cdktf/provider-aws/lib/kms-alias')>('@cdktf/provider-aws/lib/kms-alias');
const kmsKeyLib = lazyModule<typeof import('@cdktf/provider-aws/lib/kms-key')>('@cdktf/provider-aws/lib/kms-key');

/**
 * An AWS service allowed to use a {@link Key} by the key policy itself
 * (needed by services that act without an IAM identity of the account,
 * such as CloudWatch Logs).
 */
export interface KeyServicePrincipal {
  /** The service principal, e.g. `logs.eu-central-1.amazonaws.com`. */
  readonly service: string;
  /** KMS actions the service may call, e.g. `kms:Decrypt`, `kms:GenerateDataKey*` (at least one, each `kms:...`). */
  readonly actions: string[];
  /**
   * Conditions that narrow the permission, e.g. the encryption context of one log group.
   * @default - none
   */
  readonly conditions?: PolicyCondition[];
}

/** Properties of a {@link Key}. */
export interface KeyProps {
  /** What the key encrypts; shown in the KMS console (at most 8192 characters). */
  readonly description: string;
  /**
   * Last part of the alias `alias/paved/<env>/<alias>`: letters, digits,
   * `_`, `-` and `/`, at most 200 characters.
   * @default - the construct path below the environment, lowercased and joined with `-`
   */
  readonly alias?: string;
  /**
   * AWS services the key policy lets use the key. IAM identities of the
   * account need no entry: the key policy delegates to IAM, so
   * `grantEncryptDecrypt` (an IAM policy) is enough for them.
   * @default - none
   */
  readonly servicePrincipals?: KeyServicePrincipal[];
  /**
   * Days between automatic rotations of the key material (90-2560).
   * @default 365
   */
  readonly rotationPeriodDays?: number;
  /**
   * Set Terraform's `lifecycle.prevent_destroy`: data encrypted with a
   * deleted key is lost for good.
   * @default - the environment profile's `preventDestroy` (DEV false, PROD true)
   */
  readonly preventDestroy?: boolean;
}

const ALIAS = /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/;
const MAX_ALIAS = 200;
const SERVICE = /^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com(\.cn)?$/;
const KMS_ACTION = /^kms:[A-Za-z*]+$/;
/** The longest waiting period KMS allows: the most time to notice and cancel a deletion. */
const DELETION_WINDOW_DAYS = 30;
/** KMS aliases taken in an environment. */
const KEY_ALIASES = new LookupKey<Construct>('kms-aliases');

/**
 * A customer managed, symmetric KMS key with automatic rotation and an alias.
 *
 * Secure defaults:
 * - the key material rotates every `rotationPeriodDays` (365);
 * - a scheduled deletion waits 30 days (KMS's maximum), and in PROD
 *   Terraform refuses to destroy the key at all (`prevent_destroy`);
 * - the key policy is explicit: the account administers the key and
 *   delegates use to IAM policies (so grants are IAM statements naming this
 *   key), plus only the service principals given, with their conditions.
 *
 * @example new Key(env, 'OrdersKey', { description: 'Orders data', alias: 'orders' });
 */
export class Key extends Construct {
  /** ARN of the key. */
  public readonly keyArn: string;
  /** Id of the key. */
  public readonly keyId: string;
  /** The full alias name, `alias/paved/<env>/<alias>`, known at synth time. */
  public readonly aliasName: string;
  /** @internal */
  public readonly _resource: KmsKey;
  /** The KMS key, for escape hatches. */
  public get resource(): TerraformResource {
    return this._resource;
  }
  /** @internal */
  public readonly _aliasResource: KmsAlias;
  /** The KMS alias, for escape hatches. */
  public get aliasResource(): TerraformResource {
    return this._aliasResource;
  }

  constructor(scope: Construct, id: string, props: KeyProps) {
    super(checkedScope(scope, 'Key', arguments), id);
    const env = Environment.containing(this);
    const platform = Platform.of(this);
    if (typeof props.description !== 'string' || props.description.length === 0 || props.description.length > 8192) {
      throw invalid(this, 'description', props.description, 'a description of 1-8192 characters');
    }
    const rotationPeriodDays = props.rotationPeriodDays ?? 365;
    validateInteger(this, 'rotationPeriodDays', rotationPeriodDays, 90, 2560);
    const preventDestroy = props.preventDestroy ?? env.profile.preventDestroy;
    const servicePrincipals = props.servicePrincipals ?? [];
    this.validateServicePrincipals(servicePrincipals);

    const relative = pathBelowStack(this).map(s => s.toLowerCase());
    const alias = props.alias ?? Naming.name(relative, Naming.GENERIC);
    if (typeof alias !== 'string' || alias.length > MAX_ALIAS || !ALIAS.test(alias)) {
      throw invalid(this, 'alias', alias, `1-${MAX_ALIAS} letters, digits, "_", "-" and "/" (not at either end, no "//")`);
    }
    this.aliasName = Naming.keyAlias(env.name, alias);
    const taken = env._lookup.claim(KEY_ALIASES, this.aliasName, this);
    if (taken) {
      throw invalid(this, 'alias', alias, `an alias not used by key ${taken.node.path} of the same environment`);
    }

    platform.recordDefault(this, 'rotationPeriodDays', String(rotationPeriodDays),
      props.rotationPeriodDays === undefined ? 'paved default' : 'override');
    platform.recordDefault(this, 'preventDestroy', String(preventDestroy),
      props.preventDestroy === undefined ? `profile ${env.profile.name}` : 'override');

    this._resource = new kmsKeyLib.KmsKey(this, 'Resource', {
      description: props.description,
      keyUsage: 'ENCRYPT_DECRYPT',
      customerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      enableKeyRotation: true,
      rotationPeriodInDays: rotationPeriodDays,
      deletionWindowInDays: DELETION_WINDOW_DAYS,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          accountAdminStatement(env),
          ...servicePrincipals.map((principal, i) => ({
            Sid: `ServicePrincipal${i + 1}`,
            Effect: 'Allow',
            Principal: { Service: principal.service },
            Action: principal.actions.length === 1 ? principal.actions[0] : [...principal.actions],
            // In a key policy, "*" means this key.
            Resource: '*',
            ...(principal.conditions && principal.conditions.length > 0
              ? { Condition: renderPolicyConditions(principal.conditions) } : {}),
          })),
        ],
      }),
      lifecycle: preventDestroy ? { preventDestroy: true } : undefined,
    });
    this.keyArn = this._resource.arn;
    this.keyId = this._resource.keyId;

    this._aliasResource = new kmsAliasLib.KmsAlias(this, 'Alias', {
      name: this.aliasName,
      targetKeyId: this._resource.keyId,
    });
  }

  /**
   * Lets `grantee` encrypt and decrypt with this key: `kms:Encrypt`,
   * `kms:Decrypt`, `kms:ReEncrypt*`, `kms:GenerateDataKey*` and
   * `kms:DescribeKey` on this key only, in the grantee's own policy.
   */
  public grantEncryptDecrypt(grantee: IGrantable): Grant {
    validateGrantee(this, grantee);
    const statement: PolicyStatement = {
      actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
      resources: [this.keyArn],
    };
    grantee.addToPolicy(statement);
    return Grant._of(grantee, GrantPolicy.IDENTITY, [statement]);
  }

  private validateServicePrincipals(principals: KeyServicePrincipal[]): void {
    if (!Array.isArray(principals)) {
      throw invalid(this, 'servicePrincipals', principals, 'a list of KeyServicePrincipal: { service, actions, conditions? }');
    }
    principals.forEach((principal, i) => {
      const where = `servicePrincipals[${i}]`;
      if (principal === null || typeof principal !== 'object' || typeof principal.service !== 'string' || !SERVICE.test(principal.service)) {
        throw invalid(this, `${where}.service`, principal?.service, 'an AWS service principal such as "logs.eu-central-1.amazonaws.com"');
      }
      if (!Array.isArray(principal.actions) || principal.actions.length === 0
        || principal.actions.some(a => typeof a !== 'string' || !KMS_ACTION.test(a) || a === 'kms:*')) {
        throw invalid(this, `${where}.actions`, principal.actions,
          'one or more KMS actions such as "kms:Decrypt" or "kms:GenerateDataKey*" (not "kms:*": services never need to administer the key)');
      }
      validatePolicyConditions(this, `${where}.conditions`, principal.conditions);
    });
  }
}
