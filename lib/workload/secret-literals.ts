import { Construct } from 'constructs';
import { parsePlaceholders } from './placeholders';
import type { WorkloadContainer, WorkloadFile, WorkloadProps } from './workload';
import { Environment } from '../core/environment';
import { PavedError, describe } from '../core/errors';
import { Platform } from '../core/platform';

/**
 * The workload annotation that acknowledges false positives of the
 * secret-literal check: the names of env variables, file paths, `command`
 * or `args`, separated by commas.
 */
export const NOT_SECRET_ANNOTATION = 'paved.dev/not-secret';

/**
 * One secret-looking literal of a workload.
 * @internal
 */
export interface SecretLiteral {
  /** Where, as a Workload property: `env.DB_PASSWORD`, `containers[0].files[1].content`, `args[2]`. */
  readonly property: string;
  /** What the acknowledgement names: the variable name, the file path, `command` or `args`. */
  readonly subject: string;
  /** Why it looks like a secret, e.g. `a GitHub token` or `the name DB_PASSWORD`. */
  readonly reason: string;
  /** Line of a file's content, for files. */
  readonly line?: number;
}

/**
 * Token formats that are secrets wherever they appear, and what they are.
 * Every pattern starts with fixed text and bounds its repetitions, so a
 * scan costs at most a few hundred steps per position of the text, however
 * long and hostile (no quadratic backtracking).
 */
const PEM = /-----BEGIN (?:[A-Z0-9]{1,20} ){0,4}PRIVATE KEY(?: BLOCK)?-----/;
const FORMATS: { readonly what: string; readonly pattern: RegExp }[] = [
  { what: 'a PEM private key', pattern: PEM },
  // AWS documents its example keys with the suffix EXAMPLE.
  { what: 'an AWS access key id', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA)(?![A-Z2-7]{9}EXAMPLE\b)[A-Z2-7]{16}\b/ },
  { what: 'a GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b/ },
  { what: 'a GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20,100}/ },
  { what: 'a Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,250}/ },
  { what: 'a Slack webhook URL', pattern: /https:\/\/hooks\.slack\.com\/services\/T[A-Za-z0-9_]{1,64}\/B[A-Za-z0-9_]{1,64}\/[A-Za-z0-9_]{1,64}/ },
  { what: 'a Stripe key', pattern: /\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,255}/ },
  { what: 'a Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { what: 'an OpenAI API key', pattern: /\bsk-[A-Za-z0-9_-]{16,200}T3BlbkFJ[A-Za-z0-9_-]{16,200}/ },
  { what: 'an Anthropic API key', pattern: /\bsk-ant-[a-z]{1,10}\d{2}-[A-Za-z0-9_-]{40,255}/ },
  { what: 'an npm token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
  { what: 'a SendGrid API key', pattern: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/ },
  { what: 'an Azure storage account key', pattern: /\bAccountKey=[A-Za-z0-9+/]{40,128}/ },
  // A signed JWT: base64url JSON header and payload (both start with `{"`, "eyJ"), and a signature.
  { what: 'a JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{8,512}\.eyJ[A-Za-z0-9_-]{8,4096}\.[A-Za-z0-9_-]{16}/ },
];

/** What may precede `://` as a URL scheme, and follow it as `user:password@`, read at a known `://`. */
const URL_SCHEME = /[A-Za-z][A-Za-z0-9+.-]{0,31}$/;
const URL_USERINFO = /[^\s/:@]{1,255}:([^\s/@]{1,255})@/y;
/** Names longer than this are not read for words (no real variable or key is). */
const MAX_NAME = 256;

/** Words of a name that say it holds a secret (`DB_PASSWORD`, `apiKey`, `GITHUB_TOKEN`). */
const SECRET_WORDS = [
  ['PASSWORD'], ['PASSWORDS'], ['PASSWD'], ['PASSPHRASE'],
  ['SECRET'], ['SECRETS'], ['TOKEN'], ['TOKENS'], ['APIKEY'], ['API', 'KEY'], ['PRIVATEKEY'], ['PRIVATE', 'KEY'],
  ['CREDENTIAL'], ['CREDENTIALS'], ['CREDS'], ['ACCESS', 'KEY'], ['SIGNING', 'KEY'], ['ENCRYPTION', 'KEY'],
  ['MASTER', 'KEY'], ['AUTH', 'KEY'], ['SESSION', 'KEY'],
];
/** Short words that say "secret" only at the end of a name: `DB_PASS`, `DB_PWD`, `CARD_PIN` (not `PASS_THROUGH`, or `PWD` alone, the shell's working directory). */
const LAST_SECRET_WORDS = ['PASS', 'PWD', 'PIN'];
/** Words of password-like names, whose values may be digits. */
const PASSWORD_WORDS = ['PASSWORD', 'PASSWORDS', 'PASSWD', 'PASS', 'PWD', 'PASSPHRASE', 'PIN'];
/**
 * Last words of names that describe a secret rather than hold it:
 * `PASSWORD_FILE`, `TOKEN_URL`, `SECRET_NAME`, `TOKEN_TTL`, `PASSWORD_MIN_LENGTH`.
 */
const DESCRIBING_WORDS = new Set([
  'FILE', 'PATH', 'DIR', 'URL', 'URI', 'ENDPOINT', 'HOST', 'HOSTNAME', 'PORT', 'NAME', 'ID', 'ARN', 'REF', 'KEYREF',
  'TTL', 'EXPIRY', 'EXPIRES', 'EXPIRATION', 'LIFETIME', 'AGE', 'TIMEOUT', 'INTERVAL', 'ROTATION', 'SECONDS', 'MINUTES',
  'HOURS', 'DAYS', 'LENGTH', 'LEN', 'MIN', 'MAX', 'COUNT', 'SIZE', 'LIMIT', 'ENABLED', 'DISABLED', 'REQUIRED', 'POLICY',
  'HEADER', 'TYPE', 'KIND', 'ALGORITHM', 'ALG', 'VERSION', 'FORMAT', 'MODE', 'PROVIDER', 'ISSUER', 'AUDIENCE', 'SCOPE',
  'SCOPES', 'REGION', 'STORE', 'BACKEND', 'LOCATION', 'MOUNT', 'PREFIX', 'FIELD', 'PARAM', 'VAR', 'ENV', 'PATTERN',
  'REGEX', 'STRENGTH', 'USER', 'USERNAME', 'PRINCIPAL', 'ROLE', 'METHOD', 'STRATEGY',
]);

/**
 * Values that are not secrets whatever the name: empty, a flag, a
 * duration, a file path (`/run/secrets/db`), a URL without a password, a
 * reference to a secret store, or a template of another tool (`${X}`,
 * `$(X)`, `{{ .X }}`, `<your-token>`).
 */
const NOT_A_SECRET = [
  /^\s*$/,
  /^(?:true|false|yes|no|on|off|enabled|disabled|none|null|required|optional)$/i,
  /^\d+(?:\.\d+)?(?:ms|s|m|h|d|w)$/,
  /^(?:\/|file:)\S*$/,
  /^[a-z][a-z0-9+.-]*:\/\/(?:[^\s/:@]+@)?[^\s@]*$/i,
  /^(?:arn:aws[\w-]*:(?:secretsmanager|ssm|kms):|(?:vault|awssm|aws-sm|secretsmanager|ssm|gcp-sm|azurekeyvault|keyvault|op|k8s|secret):)/i,
  /^(?:\$\{[^}]*\}|\$\([^)]*\)|\{\{.*\}\}|<[^<>]*>|%\(?\w*\)?s)$/,
];
/** A password in a URL that is a template of another tool. */
const TEMPLATE = /^(?:\$\{[^}]*\}|\$\([^)]*\)|\{\{.*\}\}|<[^<>]*>|%\(?\w*\)?s|\*+)$/;
/** `key: value`, `key = value`, `"key": "value",`, `export KEY=value` in a config file (the value's end is trimmed apart). */
const ASSIGNMENT = /^[ \t]*(?:export[ \t]+)?["']?([A-Za-z][A-Za-z0-9_.-]{0,255})["']?[ \t]*[:=][ \t]*(.*)$/;
/** Values of config file assignments that are structure, not text (`{`, `[`, a block scalar, an anchor, a tag). */
const STRUCTURE = /^(?:[{[|>&*!]|$)/;
/** Stands for a placeholder in the text the checks see, so it is never taken for a literal. */
const REFERENCE = '\u0000';

/**
 * Finds the secret-looking literals of a workload: env values of variables
 * named like secrets (and not describing one, see `DESCRIBING_WORDS`), known
 * token formats, private keys and URLs with passwords anywhere in env
 * values, file contents, `command` and `args` of every container.
 * @internal
 */
export function findSecretLiterals(props: WorkloadProps): SecretLiteral[] {
  const annotations = isRecord(props.annotations) ? props.annotations : {};
  const main: WorkloadContainer = { ...props, name: '' };
  const containers: [string, WorkloadContainer | undefined][] = [
    ['', main],
    ...asArray(props.containers).map((c, i): [string, WorkloadContainer] => [`containers[${i}].`, c]),
    ...asArray(props.initContainers).map((c, i): [string, WorkloadContainer] => [`initContainers[${i}].`, c]),
  ];
  return containers.flatMap(([prefix, c]) => (isRecord(c) ? inContainer(prefix, c, annotations) : []));
}

function inContainer(prefix: string, c: WorkloadContainer, annotations: { [key: string]: string }): SecretLiteral[] {
  const found: SecretLiteral[] = [];
  for (const [name, value] of Object.entries(isRecord(c.env) ? c.env : {})) {
    if (typeof value !== 'string') { continue; }
    const text = literalView(value, annotations);
    if (text === undefined || text.split(REFERENCE).join('') === '') { continue; }
    const reason = formatIn(text) ?? (secretName(name) && !notASecret(name, text) ? `the name ${name}` : undefined);
    if (reason) { found.push({ property: `${prefix}env.${name}`, subject: name, reason }); }
  }
  asArray<WorkloadFile>(c.files).forEach((file, i) => {
    if (!isRecord(file) || typeof file.path !== 'string') { return; }
    const property = `${prefix}files[${i}]`;
    if (typeof file.content === 'string') {
      const text = file.noExpand === true ? file.content : literalView(file.content, annotations);
      if (text !== undefined) {
        found.push(...inFile(text).map(f => ({ property: `${property}.content`, subject: file.path, ...f })));
      }
    } else if (typeof file.binaryContentBase64 === 'string') {
      const reason = formatIn(Buffer.from(file.binaryContentBase64, 'base64').toString('latin1'));
      if (reason) { found.push({ property: `${property}.binaryContentBase64`, subject: file.path, reason }); }
    }
  });
  for (const key of ['command', 'args'] as const) {
    asArray<string>(c[key]).forEach((arg, i) => {
      const reason = typeof arg === 'string' ? formatIn(arg) : undefined;
      if (reason) { found.push({ property: `${prefix}${key}[${i}]`, subject: key, reason }); }
    });
  }
  return found;
}

/** Secret-looking lines of a config file: known formats, and `name: value` assignments with secret names. */
function inFile(text: string): { reason: string; line: number }[] {
  const found: { reason: string; line: number }[] = [];
  const pem = PEM.exec(text);
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    const reason = formatIn(line);
    if (reason) {
      found.push({ reason, line: i + 1 });
      return;
    }
    const assignment = ASSIGNMENT.exec(line);
    if (!assignment) { return; }
    const [, key, rest] = assignment;
    const raw = trimEnd(rest, ' \t,;\r');
    const value = raw.length >= 2 && (raw[0] === '"' || raw[0] === '\'') && raw[raw.length - 1] === raw[0] ? raw.slice(1, -1) : raw;
    if (STRUCTURE.test(raw) || value.includes(REFERENCE) || !secretName(key) || notASecret(key, value)) { return; }
    found.push({ reason: `the key ${key}`, line: i + 1 });
  });
  // A key split over lines is still one finding, at its first line.
  if (pem && !found.some(f => f.reason === 'a PEM private key')) {
    found.push({ reason: 'a PEM private key', line: text.slice(0, pem.index).split('\n').length });
  }
  return found;
}

/** What token format `text` holds, if any. */
function formatIn(text: string): string | undefined {
  const format = FORMATS.find(f => f.pattern.test(text));
  if (format) { return format.what; }
  for (let at = text.indexOf('://'); at >= 0; at = text.indexOf('://', at + 3)) {
    if (!URL_SCHEME.test(text.slice(Math.max(0, at - 32), at))) { continue; }
    URL_USERINFO.lastIndex = at + 3;
    const password = URL_USERINFO.exec(text)?.[1];
    if (password !== undefined && !password.includes(REFERENCE) && !TEMPLATE.test(password)) { return 'a URL with a password'; }
  }
  return undefined;
}

/** Whether a name says it holds a secret and does not merely describe one. */
function secretName(name: string): boolean {
  const words = wordsOf(name);
  const last = words[words.length - 1];
  if (words.length === 0 || DESCRIBING_WORDS.has(last)) { return false; }
  if (words.length > 1 && LAST_SECRET_WORDS.includes(last)) { return true; }
  return SECRET_WORDS.some(secret => words.some((_, i) => secret.every((w, j) => words[i + j] === w)));
}

/** Whether a value is no secret whatever its name says (see `NOT_A_SECRET`); digits only for names other than passwords. */
function notASecret(name: string, value: string): boolean {
  if (NOT_A_SECRET.some(p => p.test(value))) { return true; }
  return /^\d+$/.test(value) && !wordsOf(name).some(w => PASSWORD_WORDS.includes(w));
}

/** `dbPassword` -> DB, PASSWORD; `API_KEY` -> API, KEY; `db.password` -> DB, PASSWORD. */
function wordsOf(name: string): string[] {
  if (name.length > MAX_NAME) { return []; }
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(w => w.length > 0);
}

/**
 * The text of a value as the container will see it, with `${metadata...}`
 * resolved (annotations are literal text too) and every other placeholder
 * replaced by {@link REFERENCE}; undefined when the placeholders are
 * malformed (the workload reports that).
 */
function literalView(value: string, annotations: { [key: string]: string }): string | undefined {
  const parsed = parsePlaceholders(value);
  if (parsed.error) { return undefined; }
  return parsed.segments.map(s => {
    if (s.literal !== undefined) { return s.literal; }
    const [root, kind, key] = s.reference!;
    if (root === 'metadata' && kind === 'annotations' && typeof annotations[key] === 'string') { return annotations[key]; }
    return REFERENCE;
  }).join('');
}

/**
 * Checks a workload for secret-looking literals (see
 * {@link findSecretLiterals}). Each one the workload's annotation
 * `paved.dev/not-secret` names is recorded in the report as acknowledged.
 * The others fail when the environment's profile says
 * `failOnSecretLiterals`, and are warnings otherwise. A name the
 * annotation lists without a finding is a warning too.
 * @internal
 */
export function checkSecretLiterals(scope: Construct, env: Environment, props: WorkloadProps): void {
  const platform = Platform.of(scope);
  const annotation = isRecord(props.annotations) ? props.annotations[NOT_SECRET_ANNOTATION] : undefined;
  const acknowledged = new Set(typeof annotation === 'string' ? annotation.split(',').map(n => n.trim()).filter(n => n) : []);
  const findings = findSecretLiterals(props);
  const open: SecretLiteral[] = [];
  for (const finding of findings) {
    if (acknowledged.has(finding.subject)) {
      platform.recordDefault(scope, where(finding), `literal kept (${finding.reason})`, `acknowledged: annotation ${NOT_SECRET_ANNOTATION}`);
    } else {
      open.push(finding);
    }
  }
  for (const name of acknowledged) {
    if (!findings.some(f => f.subject === name)) {
      platform.warn(scope, `annotation ${NOT_SECRET_ANNOTATION} names "${name}", which holds no secret-looking literal; remove it`);
    }
  }
  if (open.length === 0) { return; }
  const fix = 'a reference to a secret output (${resources.<name>.<output>}) or a secret file path, not the secret itself; '
    + `if it is no secret, acknowledge it with the workload annotation ${NOT_SECRET_ANNOTATION}: `
    + `"${[...new Set(open.map(f => f.subject))].join(',')}"`;
  if (env.profile.failOnSecretLiterals) {
    const [first, ...others] = open;
    throw new PavedError(describe(scope), first.property,
      `got a literal that looks like a secret (${first.reason}); expected ${fix}`
      + (others.length > 0 ? `. Also: ${others.map(f => `${where(f)} (${f.reason})`).join('; ')}` : '')
      + ` (profile ${env.profile.name} refuses secret-looking literals)`);
  }
  for (const finding of open) {
    platform.warn(scope, `${where(finding)}: a literal that looks like a secret (${finding.reason}) would end up in `
      + `the manifests in git; profiles with failOnSecretLiterals (STAGING, PROD) refuse it. Use ${fix}`);
  }
}

function where(finding: SecretLiteral): string {
  return finding.line !== undefined ? `${finding.property} line ${finding.line}` : finding.property;
}

/** `text` without the given characters at its end (a regular expression would backtrack on long runs). */
function trimEnd(text: string, characters: string): string {
  let end = text.length;
  while (end > 0 && characters.includes(text[end - 1])) { end -= 1; }
  return text.slice(0, end);
}

function isRecord(value: unknown): value is { [key: string]: any } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function asArray<T>(value: T[] | undefined): T[] {
  return Array.isArray(value) ? value : [];
}
