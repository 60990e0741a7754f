import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import type { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Lazy, TerraformStack, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { PolicyStatement, renderPolicyStatement, validatePolicyStatement } from './policy-statement';
import { checkArguments } from '../core/api-guard';
import { Environment } from '../core/environment';
import { invalid } from '../core/errors';
import { lazyModule } from '../core/lazy-module';

const iamRolePolicyLib = lazyModule<typeof import('@cdktf/provider-aws/lib/iam-role-policy')>('@cdktf/provider-aws/lib/iam-role-policy');

/**
 * An IAM role permissions can be granted to: a {@link WorkloadIdentity}, the
 * nodes of a {@link Cluster} (`cluster.nodeIdentity`), or a role paved does
 * not manage ({@link Grantee.fromRoleArn}).
 *
 * Every `grant*` method of paved's constructs takes one: grants on
 * resources with an IAM identity policy (queues, buckets, keys, databases,
 * caches) are added to the role's own policy with `addToPolicy`; grants on
 * resources with a resource policy (ECR repositories) name `roleArn` there.
 */
export interface IGrantable extends IConstruct {
  /** ARN of the IAM role; resource policies name it as principal. */
  readonly roleArn: string;

  /**
   * Adds a permission to the role's own policy. Fails for a role paved does
   * not manage, whose policy it cannot write.
   */
  addToPolicy(statement: PolicyStatement): void;
}

/** Which policy holds a granted permission. */
export enum GrantPolicy {
  /** The grantee's own IAM policy (queues, buckets, keys, databases, caches). */
  IDENTITY = 'IDENTITY',
  /** The resource's policy, naming the grantee's role as principal (ECR repositories). */
  RESOURCE = 'RESOURCE',
}

/**
 * What a `grant*` method granted: to whom, where, and every statement, so a
 * caller can check, show or document it.
 */
export class Grant {
  /** @internal */
  public static _of(grantee: IGrantable, policy: GrantPolicy, statements: PolicyStatement[]): Grant {
    return new Grant(grantee, policy, statements);
  }

  /** Who received the permissions. */
  public readonly grantee: IGrantable;
  /** Where the permissions are written. */
  public readonly policy: GrantPolicy;
  /** The statements granted, in order. */
  public readonly statements: PolicyStatement[];
  /** Every action granted, in the order first granted, without repeats. */
  public readonly actions: string[];
  /** Every resource the actions apply to, in the order first named, without repeats. */
  public readonly resources: string[];

  private constructor(grantee: IGrantable, policy: GrantPolicy, statements: PolicyStatement[]) {
    this.grantee = grantee;
    this.policy = policy;
    this.statements = statements.map(s => ({ ...s, actions: [...s.actions], resources: [...s.resources] }));
    this.actions = [...new Set(statements.flatMap(s => s.actions))];
    this.resources = [...new Set(statements.flatMap(s => s.resources))];
  }
}

/** Grantees paved does not create. */
export class Grantee {
  /**
   * An IAM role paved does not manage (a CI role, another team's role), by
   * ARN, for grants written into resource policies
   * (`ContainerRegistry.grantPush`). Grants that need the role's own policy
   * fail with it, since paved cannot write that policy.
   *
   * @param roleArn `arn:<partition>:iam::<account>:role/<path and name>`, or a reference
   */
  public static fromRoleArn(scope: Construct, id: string, roleArn: string): IGrantable {
    checkArguments('Grantee.fromRoleArn', arguments);
    return new ImportedRole(scope, id, roleArn);
  }

  private constructor() {}
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** A role known by ARN only. */
class ImportedRole extends Construct implements IGrantable {
  public readonly roleArn: string;

  constructor(scope: Construct, id: string, roleArn: string) {
    super(scope, id);
    if (typeof roleArn !== 'string' || (!Token.isUnresolved(roleArn) && !ROLE_ARN.test(roleArn))) {
      throw invalid(this, 'roleArn', roleArn, 'an IAM role ARN: "arn:<partition>:iam::<12-digit account>:role/<name>"');
    }
    this.roleArn = roleArn;
  }

  public addToPolicy(statement: PolicyStatement): void {
    throw invalid(this, 'statement', statement.actions,
      `a grant written into a resource policy: role ${this.roleArn} is not managed by paved, so its own policy cannot take the permission; `
      + 'grant to a WorkloadIdentity, or add the permission to the role where it is managed');
  }
}

/**
 * The statements granted to one role, written into one inline policy that
 * is created with the first statement (id `DefaultPolicy` under `scope`).
 * Equal statements are kept once.
 * @internal
 */
export class InlineGrants {
  private readonly statements: PolicyStatement[] = [];
  private inlinePolicy?: IamRolePolicy;

  constructor(private readonly scope: Construct, private readonly role: IamRole, private readonly policyName: string) {}

  /** The inline policy; undefined until the first statement. */
  public get policy(): IamRolePolicy | undefined {
    return this.inlinePolicy;
  }

  /** The statements so far, in the order added. */
  public get all(): PolicyStatement[] {
    return [...this.statements];
  }

  public add(statement: PolicyStatement): void {
    validatePolicyStatement(this.scope, 'statement', statement);
    const rendered = JSON.stringify(renderPolicyStatement(statement));
    if (this.statements.some(g => JSON.stringify(renderPolicyStatement(g)) === rendered)) { return; }
    if (statement.sid !== undefined && this.statements.some(g => g.sid === statement.sid)) {
      throw invalid(this.scope, 'statement.sid', statement.sid, 'a statement id not used by another statement of this identity');
    }
    this.statements.push({
      actions: [...statement.actions],
      resources: [...statement.resources],
      conditions: statement.conditions?.map(c => ({ ...c, values: [...c.values] })),
      sid: statement.sid,
    });
    const lookup = Environment.containing(this.scope)._lookup;
    const added = this.statements[this.statements.length - 1];
    lookup.onRollback(() => { this.statements.splice(this.statements.indexOf(added), 1); });
    if (!this.inlinePolicy) {
      this.inlinePolicy = new iamRolePolicyLib.IamRolePolicy(this.scope, 'DefaultPolicy', {
        role: this.role.name,
        name: this.policyName,
        policy: Lazy.stringValue({ produce: () => JSON.stringify({ Version: '2012-10-17', Statement: this.statements.map(renderPolicyStatement) }) }),
      });
      lookup.onRollback(() => {
        this.scope.node.tryRemoveChild('DefaultPolicy');
        this.inlinePolicy = undefined;
      });
    }
  }
}

/**
 * Tells whether `x` can receive grants: a construct with `roleArn` and `addToPolicy`.
 * @internal
 */
export function isGrantable(x: any): x is IGrantable {
  return x !== null && typeof x === 'object'
    && typeof x.node === 'object' && x.node !== null
    && typeof x.roleArn === 'string'
    && typeof x.addToPolicy === 'function';
}

/**
 * Fails unless `grantee` can receive a grant of `scope` written into
 * `policy`: an {@link IGrantable} of the same environment, in a stack the
 * grant may tie to `scope`'s stack. A stack may refer to the environment's
 * foundation stack, never the other way round, and tenant stacks never
 * refer to each other (they are planned and applied in parallel).
 * @internal
 */
export function validateGrantee(scope: IConstruct, grantee: IGrantable, policy: GrantPolicy = GrantPolicy.IDENTITY): void {
  if (!isGrantable(grantee)) {
    const given = grantee !== null && typeof grantee === 'object' && (grantee as any).node?.path !== undefined
      ? `construct ${(grantee as any).node.path}` : grantee;
    throw invalid(scope, 'grantee', given, 'an IGrantable to grant to (a WorkloadIdentity, cluster.nodeIdentity or Grantee.fromRoleArn(...))');
  }
  // A grant across environments would tie two stacks (and two accounts' blast radii) together.
  const ours = Environment.containing(scope);
  const theirs = Environment.containing(grantee);
  if (ours !== theirs) {
    throw invalid(scope, 'grantee', `construct ${grantee.node.path}`, `a grantee of environment "${ours.name}", not of "${theirs.name}"`);
  }
  const resourceStack = TerraformStack.of(scope);
  const granteeStack = TerraformStack.of(grantee);
  if (resourceStack === granteeStack) { return; }
  // The stack whose policy holds the grant refers to the other one.
  const [referring, referred] = policy === GrantPolicy.IDENTITY ? [granteeStack, resourceStack] : [resourceStack, granteeStack];
  if (referred !== ours) {
    throw invalid(scope, 'grantee', `construct ${grantee.node.path}`,
      `a grantee whose stack may refer to stack "${referred.node.id}": the grant would make stack "${referring.node.id}" depend on it, `
      + `but stacks may depend only on the environment's foundation stack "${ours.node.id}" (create the resource there, or the grantee in stack "${referred.node.id}")`);
  }
}
