import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { invalid } from '../core/errors';

/**
 * One condition of an IAM policy statement: the statement applies only when
 * the request's `variable` matches one of `values` under the operator `test`.
 *
 * @example { test: 'StringEquals', variable: 'kms:ViaService', values: ['rds.eu-central-1.amazonaws.com'] }
 */
export interface PolicyCondition {
  /** The condition operator, e.g. `StringEquals`, `ArnLike`, `Bool` or `ForAnyValue:StringEquals`. */
  readonly test: string;
  /** The condition key, e.g. `aws:SourceAccount`, `kms:ViaService`. */
  readonly variable: string;
  /** The values to compare with; the condition holds when the key matches any of them (at least one). */
  readonly values: string[];
}

/**
 * A permission granted to a workload identity: `Allow` of `actions` on
 * `resources`, optionally only under `conditions`. Rendered into the JSON of
 * an IAM policy document.
 */
export interface PolicyStatement {
  /** IAM actions, `service:Action`, e.g. `sqs:SendMessage` or `kms:GenerateDataKey*` (at least one). */
  readonly actions: string[];
  /** ARNs the actions apply to (at least one); name the exact resources, not `*`, wherever the action allows it. */
  readonly resources: string[];
  /**
   * Conditions that must all hold for the statement to apply.
   * @default - none
   */
  readonly conditions?: PolicyCondition[];
  /**
   * Statement id, letters and digits only; unique within one policy.
   * @default - no `Sid`
   */
  readonly sid?: string;
}

const ACTION = /^[a-z0-9-]+:[A-Za-z0-9*?]+$/;
const SID = /^[A-Za-z0-9]+$/;
const OPERATOR = /^([A-Za-z]+:)?[A-Za-z]+$/;
const CONDITION_KEY = /^[A-Za-z0-9-]+:[A-Za-z0-9:\-_/.*]+$/;

/**
 * Fails unless `statement` is a well-formed {@link PolicyStatement}.
 * @internal
 */
export function validatePolicyStatement(scope: IConstruct, property: string, statement: PolicyStatement): void {
  if (statement === null || typeof statement !== 'object') {
    throw invalid(scope, property, statement, 'a PolicyStatement: { actions, resources, conditions?, sid? }');
  }
  validateStrings(scope, `${property}.actions`, statement.actions, s => ACTION.test(s),
    'one or more IAM actions written "service:Action", e.g. "sqs:SendMessage"');
  validateStrings(scope, `${property}.resources`, statement.resources, s => s.length > 0,
    'one or more resource ARNs');
  if (statement.sid !== undefined && (typeof statement.sid !== 'string' || !SID.test(statement.sid))) {
    throw invalid(scope, `${property}.sid`, statement.sid, 'a statement id of letters and digits only');
  }
  validatePolicyConditions(scope, `${property}.conditions`, statement.conditions);
}

/**
 * Fails unless `conditions` (when given) are well-formed and name each (operator, key) pair once.
 * @internal
 */
export function validatePolicyConditions(scope: IConstruct, property: string, conditions: PolicyCondition[] | undefined): void {
  if (conditions === undefined) { return; }
  if (!Array.isArray(conditions)) {
    throw invalid(scope, property, conditions, 'a list of PolicyCondition: { test, variable, values }');
  }
  const seen = new Set<string>();
  for (const condition of conditions) {
    if (condition === null || typeof condition !== 'object' || typeof condition.test !== 'string' || !OPERATOR.test(condition.test)) {
      throw invalid(scope, `${property}.test`, condition?.test, 'an IAM condition operator such as "StringEquals" or "ForAnyValue:StringLike"');
    }
    if (typeof condition.variable !== 'string' || !CONDITION_KEY.test(condition.variable)) {
      throw invalid(scope, `${property}.variable`, condition.variable, 'an IAM condition key such as "aws:SourceAccount"');
    }
    validateStrings(scope, `${property}.values`, condition.values, () => true, 'one or more values');
    const pair = `${condition.test} ${condition.variable}`;
    if (seen.has(pair)) {
      throw invalid(scope, property, pair, 'each (test, variable) pair at most once; list several values in one condition instead');
    }
    seen.add(pair);
  }
}

/**
 * The IAM JSON of `statement` (an `Allow` statement).
 * @internal
 */
export function renderPolicyStatement(statement: PolicyStatement): { [key: string]: any } {
  return {
    ...(statement.sid !== undefined ? { Sid: statement.sid } : {}),
    Effect: 'Allow',
    Action: single(statement.actions),
    Resource: single(statement.resources),
    ...(statement.conditions && statement.conditions.length > 0 ? { Condition: renderPolicyConditions(statement.conditions) } : {}),
  };
}

/**
 * The IAM JSON `Condition` block of `conditions`: `{ operator: { key: value(s) } }`.
 * @internal
 */
export function renderPolicyConditions(conditions: PolicyCondition[]): { [operator: string]: { [key: string]: string | string[] } } {
  const block: { [operator: string]: { [key: string]: string | string[] } } = {};
  for (const condition of conditions) {
    block[condition.test] = { ...block[condition.test], [condition.variable]: single(condition.values) };
  }
  return block;
}

/** IAM's usual spelling: one value as a string, several as a list. */
function single(values: string[]): string | string[] {
  return values.length === 1 ? values[0] : [...values];
}

function validateStrings(scope: IConstruct, property: string, values: string[], ok: (s: string) => boolean, allowed: string): void {
  if (Token.isUnresolved(values)) { return; }
  if (!Array.isArray(values) || values.length === 0) {
    throw invalid(scope, property, values, allowed);
  }
  for (const value of values) {
    if (typeof value !== 'string' || (!Token.isUnresolved(value) && !ok(value))) {
      throw invalid(scope, property, value, allowed);
    }
  }
}
