/**
 * Validates synthesized Kubernetes objects against the official OpenAPI
 * schemas (kubernetes-models) and against the naming rules the API server
 * enforces but the schemas do not express (object names, label syntax).
 *
 * Built-in kinds use `kubernetes-models` (4.4.2 carries the Kubernetes
 * 1.27.1 schemas; 1.28 only added optional fields to the APIs cdk8s-plus-28 emits).
 * The schemas allow unknown fields, as Kubernetes' OpenAPI does, so a
 * misspelt optional field is not caught here. Operator kinds use the
 * `@kubernetes-models/*` CRD package listed in CRD_MODELS when it is
 * installed, else the CRD schema vendored in `test/fixtures/crds/<group>/<version>/<Kind>.json`
 * (External Secrets, RabbitMQ: see the README there), checked with ajv the
 * way the API server prunes and validates: a field the schema does not
 * declare is a problem too (kubeconform's strict mode), unless the schema
 * preserves unknown fields there. A kind that has no schema here is a
 * problem.
 */
import * as fs from 'fs';
import { join } from 'path';
import Ajv from 'ajv';

/** One CRD schema package per API group version. */
const CRD_MODELS: { [apiVersion: string]: string } = {
  'argoproj.io/v1alpha1': '@kubernetes-models/argo-cd',
  'monitoring.coreos.com/v1': '@kubernetes-models/prometheus-operator',
  'monitoring.coreos.com/v1alpha1': '@kubernetes-models/prometheus-operator',
  'keda.sh/v1alpha1': '@kubernetes-models/keda',
  'gateway.networking.k8s.io/v1': '@kubernetes-models/gateway-api',
};

/** Where the vendored CRD schemas are. */
const VENDORED_CRDS = join(__dirname, '..', 'fixtures', 'crds');

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const GROUP = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const VERSION = /^v[0-9]+((alpha|beta)[0-9]+)?$/;
const KIND = /^[A-Z][A-Za-z0-9]*$/;

/** Kinds whose names the API server checks as DNS labels rather than subdomains. */
const LABEL_NAMED_KINDS = new Set(['v1 Namespace', 'v1 Service']);
/** RBAC objects accept any path segment as a name (e.g. `system:aggregate-to-view`). */
const PATH_SEGMENT_NAMED_KINDS = new Set(['Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding']
  .map(kind => `rbac.authorization.k8s.io/v1 ${kind}`));
/** A CronJob's name gets an 11-character suffix for its Jobs, so the API server caps it at 52. */
const CRONJOB_NAME_MAX = 52;

interface ModelClass {
  readonly kind: string;
  readonly apiVersion: string;
  new(data: any): { validate(): void };
}
const models = new Map<string, ModelClass | undefined>();

/**
 * Problems with `objects`, one line each, naming the object (`Kind/name`) and
 * the failing field; empty when all are valid.
 */
export function validateKubernetesObjects(objects: any[]): string[] {
  const problems: string[] = [];
  objects.forEach((object, index) => problems.push(...validateObject(object, index)));
  return problems;
}

/** Fails the current test, listing every problem, unless all `objects` are valid. */
export function expectValidKubernetesObjects(objects: any[]): void {
  const problems = validateKubernetesObjects(objects);
  if (problems.length > 0) {
    throw new Error(`${problems.length} invalid Kubernetes object field(s):\n  ${problems.join('\n  ')}`);
  }
}

function validateObject(object: any, index: number): string[] {
  if (!isPlainObject(object)) {
    return [`object #${index}: is ${describeValue(object)}, not a Kubernetes object`];
  }
  const kind = typeof object.kind === 'string' ? object.kind : undefined;
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : undefined;
  const name = typeof object.metadata?.name === 'string' ? object.metadata.name : undefined;
  const subject = `${kind ?? `object #${index}`}/${name ?? '(no name)'}`;

  const problems: string[] = [];
  if (!apiVersion) { problems.push('apiVersion: is missing or not a string'); }
  if (!kind || !KIND.test(kind)) { problems.push(`kind: ${describeValue(object.kind)} is not a kind (e.g. Deployment)`); }
  problems.push(...validateMetadata(object.metadata, apiVersion, kind));

  if (apiVersion && kind && KIND.test(kind)) {
    problems.push(...validateSchema(object, apiVersion, kind));
  }
  return problems.map(problem => `${subject}: ${problem}`);
}

function validateSchema(object: any, apiVersion: string, kind: string): string[] {
  const key = `${apiVersion} ${kind}`;
  const Model = modelFor(apiVersion, kind);
  if (!Model) {
    const vendored = vendoredValidator(apiVersion, kind);
    if (vendored) {
      return vendored(object) ? [] : formatSchemaErrors(vendored.errors ?? []);
    }
    const pkg = CRD_MODELS[apiVersion];
    if (!pkg) {
      return [`apiVersion/kind: ${key} is neither a built-in kind in kubernetes-models nor an operator kind in CRD_MODELS or test/fixtures/crds`];
    }
    return [tryRequire(`${pkg}/package.json`)
      ? `apiVersion/kind: ${pkg} has no kind ${kind} in ${apiVersion}`
      : `apiVersion/kind: no schema for ${key}: install ${pkg} or vendor its CRD into test/fixtures/crds`];
  }
  try {
    new Model(object).validate();
    return [];
  } catch (e: any) {
    if (!Array.isArray(e?.errors)) { throw e; }
    return formatSchemaErrors(e.errors);
  }
}

/** The model class of `apiVersion`/`kind`, or undefined when no installed package has it. */
function modelFor(apiVersion: string, kind: string): ModelClass | undefined {
  const key = `${apiVersion} ${kind}`;
  if (models.has(key)) { return models.get(key); }
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
  let model: ModelClass | undefined;
  // The patterns keep the module path inside the packages' export maps.
  if ((group === '' || GROUP.test(group)) && VERSION.test(version)) {
    const pkg = CRD_MODELS[apiVersion] ?? 'kubernetes-models';
    const modulePath = group === '' ? `${pkg}/${version}/${kind}` : `${pkg}/${group}/${version}/${kind}`;
    const exported = tryRequire(modulePath)?.[kind];
    // Sub-schemas (e.g. DeploymentSpec) are exported too but carry no apiVersion/kind.
    if (typeof exported === 'function' && exported.kind === kind && exported.apiVersion === apiVersion) {
      model = exported;
    }
  }
  models.set(key, model);
  return model;
}

// Code optimization costs seconds on the big SecretStore schema and saves nothing on a few objects.
const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, code: { optimize: false } });
const vendoredValidators = new Map<string, ReturnType<Ajv['compile']> | undefined>();

/** The validator of a vendored CRD schema of `apiVersion`/`kind`, or undefined when none is vendored. */
function vendoredValidator(apiVersion: string, kind: string): ReturnType<Ajv['compile']> | undefined {
  const key = `${apiVersion} ${kind}`;
  if (vendoredValidators.has(key)) { return vendoredValidators.get(key); }
  const [group, version] = apiVersion.split('/', 2);
  const file = join(VENDORED_CRDS, group, version ?? '', `${kind}.json`);
  const validator = apiVersion.includes('/') && GROUP.test(group) && VERSION.test(version) && KIND.test(kind) && fs.existsSync(file)
    ? ajv.compile(closeObjects(JSON.parse(fs.readFileSync(file, 'utf8')), true))
    : undefined;
  vendoredValidators.set(key, validator);
  return validator;
}

/**
 * The schema with `additionalProperties: false` on every object that lists
 * its properties and does not preserve unknown fields (the API server would
 * silently drop such a field), and OpenAPI's int-or-string as JSON Schema.
 * `metadata` at the top is left open: validateMetadata checks it.
 */
function closeObjects(schema: any, top = false): any {
  if (Array.isArray(schema)) { return schema.map(item => closeObjects(item)); }
  if (schema === null || typeof schema !== 'object') { return schema; }
  const result: any = {};
  for (const [key, value] of Object.entries(schema)) {
    result[key] = key === 'properties'
      ? Object.fromEntries(Object.entries(value as object).map(([name, sub]) => [name, top && name === 'metadata' ? sub : closeObjects(sub)]))
      : closeObjects(value);
  }
  if (result['x-kubernetes-int-or-string'] === true && result.type === undefined && result.anyOf === undefined) {
    result.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (result.properties && result.additionalProperties === undefined && result['x-kubernetes-preserve-unknown-fields'] !== true) {
    result.additionalProperties = false;
  }
  return result;
}

function tryRequire(modulePath: string): any {
  try {
    // The module path is computed, so it cannot be a static import.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(modulePath);
  } catch (e: any) {
    if (e?.code === 'MODULE_NOT_FOUND' || e?.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') { return undefined; }
    throw e;
  }
}

/** One line per failing field: `spec.template.spec.containers[0]: must have required property 'name'`. */
function formatSchemaErrors(errors: any[]): string[] {
  const byField = new Map<string, string[]>();
  for (const error of errors) {
    const field = fieldOf(error.instancePath ?? '');
    const message = error.keyword === 'required'
      ? `must have required property '${error.params?.missingProperty}'`
      : error.message ?? `fails ${error.keyword}`;
    const messages = byField.get(field) ?? [];
    if (!messages.includes(message)) { messages.push(message); }
    byField.set(field, messages);
  }
  return [...byField].map(([field, messages]) => `${field}: ${messages.join('; ')}`);
}

/** `/spec/template/spec/containers/0` -> `spec.template.spec.containers[0]`. */
function fieldOf(instancePath: string): string {
  if (instancePath === '') { return '(object)'; }
  return instancePath.split('/').slice(1)
    .map(segment => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, segment) => /^\d+$/.test(segment) ? `${path}[${segment}]`
      : /^[A-Za-z_][A-Za-z0-9_]*$/.test(segment) ? (path ? `${path}.${segment}` : segment)
        : `${path}[${JSON.stringify(segment)}]`, '');
}

function validateMetadata(metadata: any, apiVersion: string | undefined, kind: string | undefined): string[] {
  if (!isPlainObject(metadata)) { return ['metadata: is missing']; }
  const problems: string[] = [];
  const key = `${apiVersion} ${kind}`;
  const name = metadata.name;
  if (typeof name !== 'string' || name === '') {
    problems.push('metadata.name: is missing (generateName cannot be applied by GitOps)');
  } else if (PATH_SEGMENT_NAMED_KINDS.has(key)) {
    if (name === '.' || name === '..' || /[/%]/.test(name)) {
      problems.push(`metadata.name: "${name}" may not be "." or ".." or contain "/" or "%"`);
    }
  } else if (LABEL_NAMED_KINDS.has(key)) {
    if (!isDnsLabel(name)) {
      problems.push(`metadata.name: "${name}" is not a DNS-1123 label (lowercase letters, digits, "-", at most 63)`);
    }
  } else if (!isDnsSubdomain(name)) {
    problems.push(`metadata.name: "${name}" is not a DNS-1123 subdomain (lowercase letters, digits, "-", ".", at most 253)`);
  } else if (key === 'batch/v1 CronJob' && name.length > CRONJOB_NAME_MAX) {
    problems.push(`metadata.name: "${name}" is ${name.length} characters; a CronJob name may have at most ${CRONJOB_NAME_MAX}`);
  }
  if (metadata.namespace !== undefined && (typeof metadata.namespace !== 'string' || !isDnsLabel(metadata.namespace))) {
    problems.push(`metadata.namespace: ${describeValue(metadata.namespace)} is not a DNS-1123 label`);
  }
  problems.push(...validateKeyValues('metadata.labels', metadata.labels, true));
  problems.push(...validateKeyValues('metadata.annotations', metadata.annotations, false));
  return problems;
}

/** Label and annotation keys: `[prefix/]name`; label values: empty or a name of at most 63. */
function validateKeyValues(field: string, map: any, isLabels: boolean): string[] {
  if (map === undefined) { return []; }
  if (!isPlainObject(map)) { return [`${field}: is ${describeValue(map)}, not a map`]; }
  const problems: string[] = [];
  for (const [key, value] of Object.entries(map)) {
    const at = `${field}[${JSON.stringify(key)}]`;
    if (!isQualifiedName(key)) {
      problems.push(`${at}: key is not a qualified name ([prefix/]name, name at most 63 of [A-Za-z0-9-_.], prefix a DNS subdomain)`);
    }
    if (typeof value !== 'string') {
      problems.push(`${at}: value ${describeValue(value)} is not a string`);
    } else if (isLabels && value !== '' && !(value.length <= 63 && LABEL_NAME.test(value))) {
      problems.push(`${at}: value "${value}" is not a label value (at most 63 of [A-Za-z0-9-_.], alphanumeric at both ends)`);
    }
  }
  return problems;
}

function isQualifiedName(key: string): boolean {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && !isDnsSubdomain(prefix)) { return false; }
  return name.length > 0 && name.length <= 63 && LABEL_NAME.test(name);
}

function isDnsLabel(value: string): boolean {
  return value.length <= 63 && DNS_LABEL.test(value);
}

function isDnsSubdomain(value: string): boolean {
  return value.length <= 253 && DNS_SUBDOMAIN.test(value);
}

function isPlainObject(value: any): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeValue(value: any): string {
  if (value === undefined) { return 'missing'; }
  return JSON.stringify(value) ?? String(value);
}
