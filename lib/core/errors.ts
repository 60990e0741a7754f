import { IConstruct } from 'constructs';

/**
 * What a paved error is about. The `paved` command exits with a code of its
 * own for each (see `paved --help`); a program calling `Platform.synth()`
 * tells them apart with {@link Errors.kindOf}.
 */
export enum ErrorKind {
  /** A declaration, Score file or platform file is invalid. Exit code 1. */
  INVALID_INPUT = 'invalid-input',
  /** Something other than a folder (a file) is at the output folder's path. Exit code 3. */
  OUTPUT_NOT_A_FOLDER = 'output-not-a-folder',
  /** The output folder cannot be written: permissions, a read-only file system, a full disk. Exit code 4. */
  OUTPUT_NOT_WRITABLE = 'output-not-writable',
  /**
   * Writing the output folder would be unsafe: it lies inside a Terraform
   * stack folder or a cdktf output folder, a folder on the way is a symbolic
   * link, or a file paved would write exists and was not written by paved.
   * Exit code 5.
   */
  OUTPUT_UNSAFE = 'output-unsafe',
  /** Another paved run is writing the output folder (it holds the lock). Exit code 6. */
  OUTPUT_BUSY = 'output-busy',
}

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
  /** What the error is about. */
  public readonly kind: ErrorKind;

  constructor(constructPath: string, property: string, message: string, kind: ErrorKind = ErrorKind.INVALID_INPUT) {
    super(`${constructPath || '<root>'}: ${property}: ${message}`);
    Object.setPrototypeOf(this, PavedError.prototype);
    Object.defineProperty(this, PAVED_ERROR, { value: true });
    this.name = 'PavedError';
    this.constructPath = constructPath;
    this.property = property;
    this.kind = kind;
    remember(this.message, { constructPath, property, detail: message, kind });
  }
}

const PAVED_ERROR = Symbol.for('paved.PavedError');

/**
 * A paved error, part by part. Other languages receive paved's errors as
 * their runtime's plain error carrying only the message (Python:
 * `RuntimeError`); `Errors.details(str(e))` gives these parts back.
 */
export interface PavedErrorDetails {
  /** Path of the construct whose input is wrong (`prod/Network`), or the file (`score.yaml:12`). */
  readonly constructPath: string;
  /** The property that holds the wrong value. */
  readonly property: string;
  /** What is wrong: the value given and what is allowed, e.g. `got "10.0.0.0/33"; expected an IPv4 CIDR block`. */
  readonly detail: string;
  /** What the error is about. */
  readonly kind: ErrorKind;
}

/** The parts of the paved errors made most recently, by message (oldest first), for {@link Errors.details}. */
const RECENT = new Map<string, PavedErrorDetails>();
/** How many messages {@link Errors.details} recognises: a process that makes errors without end holds no more. */
const MAX_RECENT = 1000;

function remember(message: string, details: PavedErrorDetails): void {
  RECENT.delete(message);
  RECENT.set(message, details);
  if (RECENT.size > MAX_RECENT) { RECENT.delete(RECENT.keys().next().value!); }
}

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

  /**
   * What a paved error is about (invalid input, or which problem with the
   * output folder); undefined for anything that is not a paved error.
   */
  public static kindOf(x: any): ErrorKind | undefined {
    if (!Errors.isPavedError(x)) { return undefined; }
    // Errors of an older copy of paved carry no kind: they were all about input.
    return Object.values(ErrorKind).includes(x.kind) ? x.kind : ErrorKind.INVALID_INPUT;
  }

  /**
   * The parts of the paved error whose message is `message`; undefined when
   * the message is not that of one of the last 1,000 paved errors made in
   * this process (an error paved did not make, or an edited message). For
   * languages where an error arrives as a plain error with the message only,
   * where `isPavedError` and `kindOf` cannot be given the error itself.
   * In Python:
   *
   * ```python
   * try:
   *     Environment(platform, "dev", account="12", region="eu-central-1")
   * except RuntimeError as e:
   *     details = Errors.details(str(e))  # None for errors paved did not make
   *     if details is None:
   *         raise
   *     print(details.construct_path, details.property, details.detail)
   * ```
   *
   * @param message the error's message (Python: `str(e)`)
   */
  public static details(message: string): PavedErrorDetails | undefined {
    // Checked here, not by the entry check: that check reports through this module.
    if (typeof message !== 'string') { throw invalid('Errors.details', 'message', message, 'the message of an error, a string'); }
    return RECENT.get(message);
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
 * @param kind what the error is about
 * @internal
 */
export function invalid(scope: IConstruct | string, property: string, value: unknown, allowed: string,
  kind: ErrorKind = ErrorKind.INVALID_INPUT): PavedError {
  const path = typeof scope === 'string' ? scope : describe(scope);
  return new PavedError(path, property, `got ${show(value)}; expected ${allowed}`, kind);
}

/** @internal */
export function describe(scope: IConstruct): string {
  return scope.node.path || scope.node.id || '<root>';
}

/** Longest rendering of a value in a message; longer ones are cut, with their length. */
const MAX_SHOWN = 300;
/**
 * Characters a terminal would hide or reorder (C1 controls, bidirectional
 * overrides, zero-width characters, line separators). JSON.stringify escapes
 * C0 controls and lone surrogates already.
 */
const INVISIBLE = /[\u0080-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/**
 * A value as messages show it: JSON, with invisible characters escaped and
 * anything longer than 300 characters cut (`"abc…" (12345 characters)`;
 * a DNS name of 253 still shows whole), so a message never echoes a whole
 * file or hides what it shows.
 * @internal
 */
export function show(value: unknown): string {
  if (value === undefined) { return 'undefined'; }
  if (typeof value === 'number' && !Number.isFinite(value)) { return String(value); }
  let text: string;
  try {
    text = JSON.stringify(value) ?? safeString(value);
  } catch {
    text = safeString(value);
  }
  text = text.replace(INVISIBLE, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (text.length <= MAX_SHOWN) { return text; }
  // Not inside an escape sequence or a surrogate pair.
  const cut = text.slice(0, MAX_SHOWN - 40).replace(/\\(u[0-9a-f]{0,3})?$|[\ud800-\udbff]$/, '');
  return typeof value === 'string'
    ? `${cut}…" (${value.length} characters)`
    : `${cut}… (${text.length} characters as JSON)`;
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
