import { ScoreProblem, formatPath, formatProblem } from './score-document';
import { readTextFile } from './score-input';
import { SCORE_LIMITS, formatBytes } from './score-limits';
import { YamlInput, parseScoreYaml } from './score-yaml';
import { checkArguments } from '../core/api-guard';
import { PavedError, show } from '../core/errors';
import { Platform } from '../core/platform';
import { isDnsLabel } from '../core/validation';
import { isCidr } from '../k8s/egress';
import { parsePlaceholders } from '../workload/placeholders';
import { Provisioners } from '../workload/provisioners';
import {
  TEMPLATE_VARIABLES,
  TemplateEgress,
  TemplateOutput,
  TemplateParam,
  TemplateParamType,
  TemplateProvisioner,
  TemplateProvisionerSpec,
  hasType,
} from '../workload/template-provisioner';

const API_VERSION = 'paved.dev/v1';
const TOP_KEYS = ['apiVersion', 'provisioners'];
const PROVISIONER_KEYS = ['type', 'description', 'params', 'outputs', 'manifests', 'terraform', 'permissions', 'egress'];
const PARAM_KEYS = ['type', 'required', 'default', 'allowed', 'description'];
const OUTPUT_KEYS = ['value', 'secret', 'description'];
const EGRESS_KEYS = ['cidr', 'namespace', 'podLabels', 'ports', 'protocol', 'description'];
const PERMISSION_KEYS = ['actions', 'resources'];
const PARAM_TYPES: TemplateParamType[] = ['string', 'integer', 'number', 'boolean'];
/** Types the workload and Score layers resolve themselves. */
const RESERVED_TYPES = ['service', 'route', 'volume'];
const TYPE = /^[a-z][a-z0-9-]{0,62}$/;
const NAME = /^[a-z][a-z0-9_-]{0,62}$/;
const TERRAFORM_TYPE = /^aws_[a-z0-9_]+$/;
const TERRAFORM_ATTRIBUTE = /^[a-z_][a-z0-9_]*$/;
const ACTION = /^[a-z0-9-]+:[A-Za-z0-9*?]+$/;
/** Kubernetes kinds that are not namespaced: a tenant's provisioner may not make them. */
const CLUSTER_SCOPED = [
  'Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy', 'PriorityClass', 'IngressClass',
  'RuntimeClass', 'APIService', 'CSIDriver', 'ClusterIssuer', 'ClusterSecretStore', 'ClusterExternalSecret',
];
/** Kinds paved owns in a tenant's namespace (its boundary), or that would put a secret into git. */
const REFUSED_KINDS: { [kind: string]: string } = {
  Secret: 'a Secret would put its data into git; declare a secret output by reference (kubernetesSecret, secretsManager)',
  NetworkPolicy: 'the tenant\'s network policies are paved\'s; declare what the workload reaches with egress',
  ResourceQuota: 'the tenant\'s quota is paved\'s',
  LimitRange: 'the tenant\'s limits are paved\'s',
  Role: 'the tenant\'s RBAC is paved\'s',
  RoleBinding: 'the tenant\'s RBAC is paved\'s',
  SecretStore: 'the tenant\'s SecretStore is paved\'s',
};
/** Terraform resource types that keep a secret in Terraform's state. */
const SECRET_IN_STATE = ['aws_iam_access_key', 'aws_iam_user_login_profile', 'aws_secretsmanager_secret_version', 'aws_iam_service_specific_credential'];
/** Argument names that hold a secret: one in Terraform configuration (and state) is in git and in the state. */
const SECRET_ARGUMENT = /(^|_)(password|secret_string|secret_binary|private_key|secret_key|token)(_|$)/;
const INPUT: YamlInput = {
  document: 'provisioners file',
  sections: [{ at: ['provisioners'], max: 256, what: 'provisioners' }],
  longText: () => false,
};

type At = (string | number)[];
/** Where a template is, and what it may name. */
interface TemplateScope {
  readonly params: { [name: string]: TemplateParam };
  /** Terraform resources it may name (`type.name`); none where the value ends up in YAML or a secret reference. */
  readonly terraform?: Set<string>;
}

/**
 * Resource types a platform engineer declares without TypeScript: a
 * provisioners file, YAML or JSON, in the spirit of score-k8s's template
 * provisioners but typed and checked before anything is made.
 *
 * ```yaml
 * apiVersion: paved.dev/v1
 * provisioners:
 *   - type: endpoint
 *     description: An HTTP API of another team, through the mesh gateway
 *     params:
 *       name: { type: string, required: true }
 *       port: { type: integer, default: 8080 }
 *     outputs:
 *       url: { value: "http://${params.name}.apis.svc.cluster.local:${params.port}" }
 *       api-key:
 *         secret:
 *           secretsManager: { name: "paved/${environment}/${tenant}/apis/${params.name}", property: key }
 *     egress:
 *       - namespace: apis
 *         ports: ["${params.port}"]
 * ```
 *
 * Each provisioner has a `type` (a lowercase name no built-in or
 * registered type has), and optionally:
 *
 * - `params`: name -> `{ type: string | integer | number | boolean,
 *   required, default, allowed, description }`; a workload's params are
 *   checked against them (unknown, missing, wrong type) and defaults
 *   filled in;
 * - `outputs`: name -> `{ value }` (a template; known at synth it becomes a
 *   literal, else, naming a Terraform attribute, it travels through the
 *   resource's connection secret) or `{ secret: { kubernetesSecret: { name,
 *   key } } }` (a Secret in the tenant's namespace, e.g. one an operator
 *   writes) or `{ secret: { secretsManager: { name, property } } }` (a
 *   secret under the tenant's path `paved/${environment}/${tenant}/`, read
 *   through the tenant's SecretStore). No secret value is ever in the file;
 * - `manifests`: Kubernetes objects added to the workload's manifest (a
 *   shared resource's to `shared.k8s.yaml` of the tenant), each with
 *   `apiVersion`, `kind` and `metadata.name`, in the tenant's namespace;
 *   not cluster-scoped kinds, Secrets, nor the kinds of the tenant's
 *   boundary;
 * - `terraform`: `aws_*` resources by type and local name, Terraform JSON
 *   arguments, added to the workload's stack (the local name is part of
 *   the Terraform address: renaming replaces the resource); no type or
 *   argument that keeps a secret in the state;
 * - `permissions`: `{ actions, resources }` IAM statements granted to the
 *   workload's identity;
 * - `egress`: `{ cidr | namespace, podLabels, ports, protocol, description }`
 *   rules added to the workload's NetworkPolicy.
 *
 * Templates are `${...}` placeholders, `$$` a literal `$`: `params.<name>`,
 * `workload`, `resource`, `tenant`, `environment`, `region`, `account`,
 * and in outputs' values, Terraform arguments and permissions
 * `terraform.<type>.<name>.<attribute>`. A string that is one placeholder
 * keeps the value's type (`ports: ["${params.port}"]` is a number).
 *
 * Every problem of the file is reported at once, each with the file, line
 * and field: unknown fields, templates naming an unknown param, a type
 * clash with a built-in type, a manifest without apiVersion or kind, ...
 */
export class ProvisionersFile {
  /**
   * Reads the provisioners file `file` (YAML or JSON, at most 1 MiB) and
   * registers each type it declares on `platform` (see
   * {@link Provisioners.register}). Fails with one error listing every
   * problem of the file; nothing is registered then.
   */
  public static load(platform: Platform, file: string): ProvisionersFile {
    checkArguments('ProvisionersFile.load', arguments);
    const problems: ScoreProblem[] = [];
    const specs = readFile(platform, file, problems);
    if (problems.length > 0) {
      problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
      const shown = problems.slice(0, SCORE_LIMITS.problems).map(formatProblem);
      if (problems.length > shown.length) { shown.push(`${file}: and ${problems.length - shown.length} more problem(s)`); }
      throw new PavedError(file, 'provisioners', `${problems.length} problem(s) in the provisioners file:\n  ${shown.join('\n  ')}`);
    }
    specs.forEach(spec => Provisioners.register(platform, new TemplateProvisioner(spec)));
    return new ProvisionersFile(file, specs.map(s => s.type));
  }

  /** The file, as given. */
  public readonly file: string;
  /** The resource types it declared, in its order. */
  public readonly types: string[];

  private constructor(file: string, types: string[]) {
    this.file = file;
    this.types = types;
  }
}

function readFile(platform: Platform, file: string, problems: ScoreProblem[]): TemplateProvisionerSpec[] {
  if (typeof file !== 'string' || file.length === 0) {
    problems.push({ file: String(file), path: '', message: `got ${show(file)}; expected the path of a provisioners file` });
    return [];
  }
  const read = readTextFile(file, SCORE_LIMITS.fileBytes);
  if (read.text === undefined) {
    problems.push({
      file,
      line: read.line,
      path: '',
      message: `the file ${read.error}; expected a provisioners file: `
      + `a regular file of UTF-8 YAML or JSON text, at most ${formatBytes(SCORE_LIMITS.fileBytes)}`,
    });
    return [];
  }
  const found: { line?: number; at: At; message: string }[] = [];
  const yaml = parseScoreYaml(read.text, found, INPUT);
  problems.push(...found.map(p => ({ file, line: p.line, path: formatPath(p.at), message: p.message })));
  if (!yaml) { return []; }
  return new Checker(platform, file, yaml.lineOf, problems).file(yaml.root);
}

class Checker {
  private readonly types = new Map<string, At>();

  constructor(
    private readonly platform: Platform,
    private readonly path: string,
    private readonly lineOf: (at: At) => number | undefined,
    private readonly problems: ScoreProblem[],
  ) {}

  public file(root: unknown): TemplateProvisionerSpec[] {
    if (!isObject(root)) {
      this.fail([], root, `a provisioners file: a mapping with apiVersion "${API_VERSION}" and provisioners`);
      return [];
    }
    this.unknownKeys([], root, TOP_KEYS);
    if (root.apiVersion !== API_VERSION) { this.fail(['apiVersion'], root.apiVersion, `"${API_VERSION}"`); }
    if (!Array.isArray(root.provisioners) || root.provisioners.length === 0) {
      this.fail(['provisioners'], root.provisioners, 'a list of one or more provisioners');
      return [];
    }
    return root.provisioners.flatMap((p: unknown, i: number) => {
      const before = this.problems.length;
      const spec = this.provisioner(['provisioners', i], p);
      return spec && this.problems.length === before ? [spec] : [];
    });
  }

  private provisioner(at: At, value: unknown): TemplateProvisionerSpec | undefined {
    if (!isObject(value)) {
      this.fail(at, value, 'a provisioner: a mapping with type and what it makes');
      return undefined;
    }
    this.unknownKeys(at, value, PROVISIONER_KEYS);
    const type = value.type;
    const builtIn = Provisioners.types(this.platform);
    if (typeof type !== 'string' || !TYPE.test(type)) {
      this.fail([...at, 'type'], type, 'a resource type: a lowercase name of letters, digits and dashes, starting with a letter, e.g. "endpoint"');
    } else if (builtIn.includes(type) || RESERVED_TYPES.includes(type)) {
      this.fail([...at, 'type'], type, `a type of its own: "${type}" is a built-in or registered type of the platform `
        + `(${[...builtIn, ...RESERVED_TYPES].sort().join(', ')}), which a provisioners file does not replace`);
    } else if (this.types.has(type)) {
      this.fail([...at, 'type'], type, `a type not declared before in this file (${formatPath(this.types.get(type)!)} declares it)`);
    } else {
      this.types.set(type, at);
    }
    if (value.description !== undefined && typeof value.description !== 'string') { this.fail([...at, 'description'], value.description, 'a text'); }
    const params = this.params([...at, 'params'], value.params);
    const terraform = this.terraform([...at, 'terraform'], value.terraform, params);
    const names = new Set(Object.entries(terraform).flatMap(([t, rs]) => Object.keys(rs).map(n => `${t}.${n}`)));
    return {
      type,
      description: value.description,
      source: `${this.path}:${this.lineOf(at) ?? 1}`,
      params,
      outputs: this.outputs([...at, 'outputs'], value.outputs, { params, terraform: names }),
      manifests: this.manifests([...at, 'manifests'], value.manifests, { params }),
      terraform,
      permissions: this.permissions([...at, 'permissions'], value.permissions, { params, terraform: names }),
      egress: this.egress([...at, 'egress'], value.egress, { params }),
    };
  }

  private params(at: At, value: unknown): { [name: string]: TemplateParam } {
    if (value === undefined) { return {}; }
    if (!isObject(value)) {
      this.fail(at, value, 'a mapping of param name to { type, required, default, allowed, description }');
      return {};
    }
    const params: { [name: string]: TemplateParam } = {};
    for (const [name, spec] of Object.entries(value)) {
      const here = [...at, name];
      if (!NAME.test(name)) { this.fail(here, name, 'a param name: lowercase letters, digits, "-" and "_", starting with a letter'); }
      if (!isObject(spec)) {
        this.fail(here, spec, `a param: { type: ${PARAM_TYPES.join(' | ')}, required?, default?, allowed?, description? }`);
        continue;
      }
      this.unknownKeys(here, spec, PARAM_KEYS);
      const type = spec.type as TemplateParamType;
      if (!PARAM_TYPES.includes(type)) {
        this.fail([...here, 'type'], spec.type, `one of ${PARAM_TYPES.join(', ')}`);
        continue;
      }
      if (spec.required !== undefined && typeof spec.required !== 'boolean') { this.fail([...here, 'required'], spec.required, 'true or false'); }
      if (spec.description !== undefined && typeof spec.description !== 'string') { this.fail([...here, 'description'], spec.description, 'a text'); }
      let allowed: (string | number | boolean)[] | undefined;
      if (spec.allowed !== undefined) {
        if (!Array.isArray(spec.allowed) || spec.allowed.length === 0 || spec.allowed.some((v: unknown) => !hasType(v, type))) {
          this.fail([...here, 'allowed'], spec.allowed, `a list of one or more values of type ${type}`);
        } else {
          allowed = spec.allowed;
        }
      }
      if (spec.default !== undefined) {
        if (spec.required === true) {
          this.fail([...here, 'default'], spec.default, 'no default for a required param (a default makes it optional)');
        } else if (!hasType(spec.default, type) || (allowed && !allowed.includes(spec.default))) {
          this.fail([...here, 'default'], spec.default, `a value of type ${type}${allowed ? ` among allowed: ${allowed.map(v => JSON.stringify(v)).join(', ')}` : ''}`);
        }
      }
      params[name] = { type, required: spec.required === true, default: spec.default, allowed, description: spec.description };
    }
    return params;
  }

  private outputs(at: At, value: unknown, scope: TemplateScope): { [name: string]: TemplateOutput } {
    if (value === undefined) { return {}; }
    if (!isObject(value)) {
      this.fail(at, value, 'a mapping of output name to { value } or { secret: { kubernetesSecret | secretsManager } }');
      return {};
    }
    const outputs: { [name: string]: TemplateOutput } = {};
    for (const [name, spec] of Object.entries(value)) {
      const here = [...at, name];
      if (!NAME.test(name)) { this.fail(here, name, 'an output name: lowercase letters, digits, "-" and "_", starting with a letter'); }
      if (!isObject(spec)) {
        this.fail(here, spec, 'an output: { value } or { secret: { kubernetesSecret: { name, key } } } or { secret: { secretsManager: { name, property } } }');
        continue;
      }
      this.unknownKeys(here, spec, OUTPUT_KEYS);
      if ((spec.value === undefined) === (spec.secret === undefined)) {
        this.fail(here, Object.keys(spec), 'exactly one of value (a template) and secret (a reference to where the secret is)');
        continue;
      }
      if (spec.value !== undefined) {
        this.template([...here, 'value'], spec.value, scope);
        outputs[name] = { value: String(spec.value), description: spec.description };
        continue;
      }
      const secret = this.secret([...here, 'secret'], spec.secret, scope);
      if (secret) { outputs[name] = { ...secret, description: spec.description }; }
    }
    return outputs;
  }

  private secret(at: At, value: unknown, scope: TemplateScope): Omit<TemplateOutput, 'description'> | undefined {
    const noTerraform: TemplateScope = { params: scope.params };
    if (!isObject(value) || Object.keys(value).length !== 1 || !['kubernetesSecret', 'secretsManager'].includes(Object.keys(value)[0])) {
      this.fail(at, value, 'one of { kubernetesSecret: { name, key } } (a Secret in the tenant\'s namespace) and '
        + '{ secretsManager: { name, property } } (a secret under paved/${environment}/${tenant}/)');
      return undefined;
    }
    const [kind, ref] = Object.entries(value)[0];
    const keys = kind === 'kubernetesSecret' ? ['name', 'key'] : ['name', 'property'];
    if (!isObject(ref)) {
      this.fail([...at, kind], ref, `{ ${keys.join(', ')} }`);
      return undefined;
    }
    this.unknownKeys([...at, kind], ref, keys);
    for (const key of keys) { this.template([...at, kind, key], ref[key], noTerraform, true); }
    if (kind === 'secretsManager' && typeof ref.name === 'string' && !ref.name.startsWith('paved/${environment}/${tenant}/')) {
      this.fail([...at, kind, 'name'], ref.name, 'a name starting with "paved/${environment}/${tenant}/": the tenant\'s SecretStore reads only its own path');
    }
    return kind === 'kubernetesSecret'
      ? { kubernetesSecret: { name: String(ref.name), key: String(ref.key) } }
      : { secretsManager: { name: String(ref.name), property: String(ref.property) } };
  }

  private manifests(at: At, value: unknown, scope: TemplateScope): { [key: string]: unknown }[] {
    if (value === undefined) { return []; }
    if (!Array.isArray(value)) {
      this.fail(at, value, 'a list of Kubernetes objects');
      return [];
    }
    return value.flatMap((manifest, i) => {
      const here = [...at, i];
      if (!isObject(manifest)) {
        this.fail(here, manifest, 'a Kubernetes object: a mapping with apiVersion, kind and metadata.name');
        return [];
      }
      for (const key of ['apiVersion', 'kind'] as const) {
        if (typeof manifest[key] !== 'string' || manifest[key].length === 0) {
          this.fail([...here, key], manifest[key], key === 'apiVersion' ? 'the object\'s apiVersion, e.g. "v1" or "apps/v1"' : 'the object\'s kind, e.g. "ConfigMap"');
        }
      }
      const kind = manifest.kind;
      if (CLUSTER_SCOPED.includes(kind)) {
        this.fail([...here, 'kind'], kind, 'a namespaced kind: the objects of a provisioner live in the workload\'s tenant namespace');
      } else if (typeof kind === 'string' && REFUSED_KINDS[kind]) {
        this.fail([...here, 'kind'], kind, `another kind: ${REFUSED_KINDS[kind]}`);
      }
      const metadata = manifest.metadata;
      if (!isObject(metadata) || typeof metadata.name !== 'string') {
        this.fail([...here, 'metadata', 'name'], isObject(metadata) ? metadata.name : metadata,
          'a name (a template), e.g. "${workload}-${resource}", unique among the tenant\'s objects of its kind');
      } else if (metadata.namespace !== undefined && metadata.namespace !== '${tenant}') {
        this.fail([...here, 'metadata', 'namespace'], metadata.namespace, 'no namespace, or "${tenant}": the objects live in the workload\'s tenant namespace');
      }
      this.templates(here, manifest, scope);
      return [manifest];
    });
  }

  private terraform(at: At, value: unknown, params: { [name: string]: TemplateParam }):
  { [type: string]: { [name: string]: { [key: string]: unknown } } } {
    if (value === undefined) { return {}; }
    if (!isObject(value)) {
      this.fail(at, value, 'a mapping of Terraform resource type to { <local name>: { arguments } }, as in Terraform JSON');
      return {};
    }
    const result: { [type: string]: { [name: string]: { [key: string]: unknown } } } = {};
    for (const [type, resources] of Object.entries(value)) {
      const here = [...at, type];
      if (!TERRAFORM_TYPE.test(type)) {
        this.fail(here, type, 'a resource type of the AWS provider, e.g. "aws_ssm_parameter" (the workload\'s stack has that provider only)');
        continue;
      }
      if (SECRET_IN_STATE.includes(type)) {
        this.fail(here, type, `a resource type that keeps no secret in Terraform's state (${SECRET_IN_STATE.join(', ')} do)`);
        continue;
      }
      if (!isObject(resources)) {
        this.fail(here, resources, 'a mapping of local name to the resource\'s arguments');
        continue;
      }
      result[type] = {};
      for (const [name, config] of Object.entries(resources)) {
        if (!NAME.test(name)) { this.fail([...here, name], name, 'a local name: lowercase letters, digits, "-" and "_", starting with a letter'); }
        if (!isObject(config)) {
          this.fail([...here, name], config, 'the resource\'s arguments, as in Terraform JSON');
          continue;
        }
        if ('provider' in config) { this.fail([...here, name, 'provider'], config.provider, 'no provider: the resource uses its stack\'s AWS provider'); }
        this.secretArguments([...here, name], config);
        result[type][name] = config;
      }
    }
    // Templates are checked once every resource is known: arguments may name one declared after them.
    const names = new Set(Object.entries(result).flatMap(([t, rs]) => Object.keys(rs).map(n => `${t}.${n}`)));
    for (const [type, resources] of Object.entries(result)) {
      for (const [name, config] of Object.entries(resources)) {
        this.templates([...at, type, name], config, { params, terraform: names });
      }
    }
    return result;
  }

  /** Fails for an argument whose name says it holds a secret, at any depth. */
  private secretArguments(at: At, value: unknown): void {
    if (Array.isArray(value)) { value.forEach((v, i) => this.secretArguments([...at, i], v)); return; }
    if (!isObject(value)) { return; }
    for (const [key, v] of Object.entries(value)) {
      if (SECRET_ARGUMENT.test(key)) {
        this.fail([...at, key], key, 'no argument that holds a secret: it would be in the file (git) and in Terraform\'s state; '
          + 'have AWS generate it (e.g. RDS-managed passwords) or write it outside Terraform, and declare a secret output by reference');
      } else {
        this.secretArguments([...at, key], v);
      }
    }
  }

  private permissions(at: At, value: unknown, scope: TemplateScope): { actions: string[]; resources: string[] }[] {
    if (value === undefined) { return []; }
    if (!Array.isArray(value)) {
      this.fail(at, value, 'a list of { actions, resources } IAM statements');
      return [];
    }
    return value.flatMap((statement, i) => {
      const here = [...at, i];
      if (!isObject(statement)) {
        this.fail(here, statement, 'an IAM statement: { actions, resources }');
        return [];
      }
      this.unknownKeys(here, statement, PERMISSION_KEYS);
      const { actions, resources } = statement;
      if (!Array.isArray(actions) || actions.length === 0 || actions.some(a => typeof a !== 'string' || !ACTION.test(a) || a.endsWith(':*'))) {
        this.fail([...here, 'actions'], actions, 'one or more IAM actions written "service:Action", e.g. "ssm:GetParameter" (no "service:*": least privilege)');
      }
      if (!Array.isArray(resources) || resources.length === 0 || resources.some(r => typeof r !== 'string' || r === '*')) {
        this.fail([...here, 'resources'], resources, 'one or more ARNs (templates), not "*": least privilege');
      } else {
        resources.forEach((r, j) => this.template([...here, 'resources', j], r, scope));
      }
      return [{ actions, resources }];
    });
  }

  private egress(at: At, value: unknown, scope: TemplateScope): TemplateEgress[] {
    if (value === undefined) { return []; }
    if (!Array.isArray(value)) {
      this.fail(at, value, 'a list of { cidr | namespace, podLabels?, ports, protocol?, description? } rules');
      return [];
    }
    return value.flatMap((rule, i) => {
      const here = [...at, i];
      if (!isObject(rule)) {
        this.fail(here, rule, 'an egress rule: { cidr | namespace, podLabels?, ports, protocol?, description? }');
        return [];
      }
      this.unknownKeys(here, rule, EGRESS_KEYS);
      if ((rule.cidr === undefined) === (rule.namespace === undefined)) {
        this.fail(here, Object.keys(rule), 'exactly one of cidr and namespace');
      }
      if (rule.cidr !== undefined && (typeof rule.cidr !== 'string' || !isCidr(rule.cidr))) {
        this.fail([...here, 'cidr'], rule.cidr, 'an IPv4 or IPv6 range in CIDR notation, e.g. "10.0.0.0/16"');
      }
      if (rule.namespace !== undefined) {
        this.template([...here, 'namespace'], rule.namespace, scope);
        if (typeof rule.namespace === 'string' && !rule.namespace.includes('${') && !isDnsLabel(rule.namespace)) {
          this.fail([...here, 'namespace'], rule.namespace, 'a namespace name (a DNS label)');
        }
      }
      if (rule.podLabels !== undefined) {
        if (!isObject(rule.podLabels)) { this.fail([...here, 'podLabels'], rule.podLabels, 'a mapping of label to value'); }
        this.templates([...here, 'podLabels'], rule.podLabels, scope);
      }
      if (!Array.isArray(rule.ports) || rule.ports.length === 0) {
        this.fail([...here, 'ports'], rule.ports, 'one or more ports: numbers from 1 to 65535, or "${params.<integer param>}"');
      } else {
        rule.ports.forEach((port: unknown, j: number) => this.port([...here, 'ports', j], port, scope));
      }
      if (rule.protocol !== undefined && rule.protocol !== 'TCP' && rule.protocol !== 'UDP') { this.fail([...here, 'protocol'], rule.protocol, '"TCP" or "UDP"'); }
      if (rule.description !== undefined && typeof rule.description !== 'string') { this.fail([...here, 'description'], rule.description, 'a text'); }
      return [rule as TemplateEgress];
    });
  }

  private port(at: At, port: unknown, scope: TemplateScope): void {
    if (typeof port === 'number') {
      if (!Number.isInteger(port) || port < 1 || port > 65535) { this.fail(at, port, 'a port number from 1 to 65535'); }
      return;
    }
    const match = typeof port === 'string' ? /^\$\{params\.([^}]+)\}$/.exec(port) : null;
    if (!match || scope.params[match[1]]?.type !== 'integer') {
      this.fail(at, port, `a port number, or "\${params.<name>}" of an integer param (${Object.entries(scope.params)
        .filter(([, p]) => p.type === 'integer').map(([n]) => n).join(', ') || 'none declared'})`);
    }
  }

  /** Checks every string below `value` as a template. */
  private templates(at: At, value: unknown, scope: TemplateScope): void {
    if (typeof value === 'string') { this.template(at, value, scope); return; }
    if (Array.isArray(value)) { value.forEach((v, i) => this.templates([...at, i], v, scope)); return; }
    if (isObject(value)) { Object.entries(value).forEach(([k, v]) => this.templates([...at, k], v, scope)); }
  }

  /**
   * Checks the placeholders of one template against what it may name.
   * @param required the template must be a (non-empty) string
   */
  private template(at: At, text: unknown, scope: TemplateScope, required: boolean = false): void {
    if (typeof text !== 'string') {
      if (required || text === null || typeof text === 'object') { this.fail(at, text, 'a text (a template)'); }
      return;
    }
    if (required && text.length === 0) { this.fail(at, text, 'a non-empty text (a template)'); }
    const parsed = parsePlaceholders(text);
    if (parsed.error) {
      this.fail(at, text, `a template with well-formed placeholders (${parsed.error})`);
      return;
    }
    for (const segment of parsed.segments) {
      const path = segment.reference;
      if (!path) { continue; }
      const placeholder = `\${${path.join('.')}}`;
      const [root, ...rest] = path;
      if (root === 'params') {
        if (rest.length !== 1 || !(rest[0] in scope.params)) {
          this.fail(at, placeholder, `a placeholder to a declared param (${Object.keys(scope.params).join(', ') || 'none declared'}); `
            + `"${rest.join('.')}" is not one`);
        }
      } else if (root === 'terraform') {
        if (!scope.terraform) {
          this.fail(at, placeholder, 'no Terraform attribute here: the value is written into Kubernetes YAML or names a secret, '
            + 'and a Terraform attribute is known only after apply');
        } else if (rest.length !== 3 || !scope.terraform.has(`${rest[0]}.${rest[1]}`) || !TERRAFORM_ATTRIBUTE.test(rest[2])) {
          this.fail(at, placeholder, '${terraform.<type>.<local name>.<attribute>} of a resource of this provisioner\'s terraform '
            + `(${[...scope.terraform].join(', ') || 'none declared'})`);
        }
      } else if (rest.length > 0 || !TEMPLATE_VARIABLES.includes(root)) {
        this.fail(at, placeholder, `a placeholder of the form \${params.<name>}, \${${TEMPLATE_VARIABLES.join('}, ${')}}`
          + `${scope.terraform ? ' or ${terraform.<type>.<name>.<attribute>}' : ''}`);
      }
    }
  }

  private unknownKeys(at: At, value: { [key: string]: unknown }, allowed: string[]): void {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) { this.fail([...at, key], key, `one of the fields ${allowed.join(', ')}`); }
    }
  }

  private fail(at: At, value: unknown, allowed: string): void {
    this.problems.push({ file: this.path, line: this.lineOf(at), path: formatPath(at), message: `got ${show(value)}; expected ${allowed}` });
  }
}

function isObject(value: unknown): value is { [key: string]: any } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
