import { IConstruct } from 'constructs';

/**
 * The one error paved throws for bad input.
 *
 * Every message names the construct path, the property, the value given and
 * what is allowed, so a pipeline log alone is enough to fix the declaration.
 */
export class PavedError extends Error {
  /** Path of the construct whose input is wrong (`prod/Network`), or the file. */
  public readonly constructPath: string;
  /** The property that holds the wrong value. */
  public readonly property: string;

  constructor(constructPath: string, property: string, message: string) {
    super(`${constructPath || '<root>'}: ${property}: ${message}`);
    Object.setPrototypeOf(this, PavedError.prototype);
    Object.defineProperty(this, PAVED_ERROR, { value: true });
    this.name = 'PavedError';
    this.constructPath = constructPath;
    this.property = property;
  }
}

const PAVED_ERROR = Symbol.for('paved.PavedError');

/**
 * Recognises paved's errors. (The error class itself extends `Error`, which
 * jsii cannot export to other languages; its fields are `constructPath` and
 * `property`.)
 */
export class Errors {
  /** Tells whether `x` is an error paved threw for bad input (works across package copies). */
  public static isPavedError(x: any): boolean {
    return x !== null && typeof x === 'object' && (x as any)[PAVED_ERROR] === true;
  }

  private constructor() {}
}

/**
 * Builds the error for a value that is not allowed.
 *
 * @param scope the construct whose input is wrong
 * @param property the property name, as the user wrote it (`props.cidr` -> `cidr`)
 * @param value the value given
 * @param allowed what is allowed, phrased to complete "expected ..."
 * @internal
 */
export function invalid(scope: IConstruct | string, property: string, value: unknown, allowed: string): PavedError {
  const path = typeof scope === 'string' ? scope : describe(scope);
  return new PavedError(path, property, `got ${show(value)}; expected ${allowed}`);
}

/** @internal */
export function describe(scope: IConstruct): string {
  return scope.node.path || scope.node.id || '<root>';
}

/** @internal */
export function show(value: unknown): string {
  if (value === undefined) { return 'undefined'; }
  if (typeof value === 'string') { return JSON.stringify(value); }
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text;
  } catch {
    return String(value);
  }
}
