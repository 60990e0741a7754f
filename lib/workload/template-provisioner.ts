import { ApiObject } from 'cdk8s';
import { TerraformResource, Token } from 'cdktf';
import { ConnectionSecret } from './connection-secret';
import { parsePlaceholders } from './placeholders';
import { IProvisioner, ProvisionContext, ProvisionResult, ProvisionedOutput, RemoteSecretKey } from './provisioner';
import { SHARED_WORKLOAD } from './shared-resource';
import { invalid } from '../core/errors';
import { Naming } from '../core/naming';
import { platformOf } from '../core/platform';
import { EgressRule } from '../k8s/egress-rule';
import { isDnsSubdomain } from '../k8s/labels';

/*
 * A resource type declared in data (a provisioners file) rather than code:
 * typed params, outputs templated from the params and the workload's
 * context, secret outputs by reference, and Kubernetes objects, Terraform
 * resources, IAM permissions and egress rules to add, all templated the same
 * way. The file loader checks every template against the declaration
 * (lib/score/provisioners-file.ts), so rendering here cannot meet an
 * unknown name; the values a workload gives (params) are checked here.
 */

/** The types a param may have. @internal */
export type TemplateParamType = 'string' | 'integer' | 'number' | 'boolean';

/** One declared param. @internal */
export interface TemplateParam {
  readonly type: TemplateParamType;
  readonly required: boolean;
  readonly default?: string | number | boolean;
  /** The only values allowed, when given. */
  readonly allowed?: (string | number | boolean)[];
  readonly description?: string;
}

/** One declared output: a templated value, or a reference to a secret. @internal */
export interface TemplateOutput {
  readonly value?: string;
  /** A key of a Kubernetes Secret in the tenant's namespace. */
  readonly kubernetesSecret?: { readonly name: string; readonly key: string };
  /** A property of a Secrets Manager secret under the tenant's path. */
  readonly secretsManager?: { readonly name: string; readonly property: string };
  readonly description?: string;
}

/** One egress rule, its ports possibly templated. @internal */
export interface TemplateEgress {
  readonly cidr?: string;
  readonly namespace?: string;
  readonly podLabels?: { [key: string]: string };
  readonly ports: (number | string)[];
  readonly protocol?: string;
  readonly description?: string;
}

/** A resource type declared in data, validated. @internal */
export interface TemplateProvisionerSpec {
  readonly type: string;
  readonly description?: string;
  /** Where it was declared, e.g. `platform/provisioners.yaml:12`, for the report and messages. */
  readonly source: string;
  readonly params: { [name: string]: TemplateParam };
  readonly outputs: { [name: string]: TemplateOutput };
  /** Kubernetes objects, with templates in their strings. */
  readonly manifests: { [key: string]: unknown }[];
  /** Terraform resources by type and local name, with templates in their strings. */
  readonly terraform: { [type: string]: { [name: string]: { [key: string]: unknown } } };
  readonly permissions: { readonly actions: string[]; readonly resources: string[] }[];
  readonly egress: TemplateEgress[];
}

/** What Secrets Manager accepts as a secret name. */
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;

/** The names a template may use besides `params.<name>` and `terraform.<type>.<name>.<attribute>`. @internal */
export const TEMPLATE_VARIABLES = ['workload', 'resource', 'tenant', 'environment', 'region', 'account'];

/** What a template is rendered with. */
interface RenderContext {
  readonly params: { [name: string]: unknown };
  readonly variables: { [name: string]: string };
  readonly terraform: Map<string, TerraformResource>;
}

/**
 * A provisioner of a resource type declared in data; see
 * {@link TemplateProvisionerSpec}.
 * @internal
 */
export class TemplateProvisioner implements IProvisioner {
  public readonly type: string;
  public readonly outputNames: string[];

  constructor(public readonly spec: TemplateProvisionerSpec) {
    this.type = spec.type;
    this.outputNames = Object.keys(spec.outputs);
  }

  public provision(context: ProvisionContext): ProvisionResult {
    const property = `resources.${context.resourceName}.params`;
    const env = context.environment;
    const render: RenderContext = {
      params: this.params(context, property),
      variables: {
        workload: context.workload,
        resource: context.resourceName,
        tenant: context.tenant,
        environment: env.name,
        region: env.region,
        account: env.account,
      },
      terraform: new Map(),
    };

    // Made first, configured second: their values may refer to each other.
    for (const [type, resources] of Object.entries(this.spec.terraform)) {
      for (const name of Object.keys(resources)) {
        render.terraform.set(`${type}.${name}`, new TerraformResource(context.scope, `${type}-${name}`, {
          terraformResourceType: type,
          terraformGeneratorMetadata: { providerName: 'aws' },
        }));
      }
    }
    for (const [type, resources] of Object.entries(this.spec.terraform)) {
      for (const [name, config] of Object.entries(resources)) {
        const resource = render.terraform.get(`${type}.${name}`)!;
        for (const [key, value] of Object.entries(renderValue(config, render) as { [key: string]: unknown })) {
          resource.addOverride(key, value);
        }
      }
    }
    for (const statement of this.spec.permissions) {
      context.identity.addToPolicy({
        actions: [...statement.actions],
        resources: statement.resources.map(r => String(renderValue(r, render))),
      });
    }

    const outputs: ProvisionedOutput[] = [];
    const remoteKeys: RemoteSecretKey[] = [];
    const afterApply: { [name: string]: string } = {};
    const prefix = Naming.tenantSecretPrefix(env.name, context.tenant);
    for (const [name, output] of Object.entries(this.spec.outputs)) {
      if (output.value !== undefined) {
        const value = String(renderValue(output.value, render));
        if (Token.isUnresolved(value)) {
          // Known only once Terraform made the resource: through the connection secret, like a built-in type's.
          afterApply[name] = value;
          remoteKeys.push({ secretKey: name, remoteKey: context.secretName, property: name });
          outputs.push({ name, secret: false });
        } else {
          outputs.push({ name, secret: false, value });
        }
      } else if (output.kubernetesSecret !== undefined) {
        const secretName = String(renderValue(output.kubernetesSecret.name, render));
        const key = String(renderValue(output.kubernetesSecret.key, render));
        if (!isDnsSubdomain(secretName)) {
          throw invalid(context.scope, `${property}`, secretName,
            `params that make output ${name}'s Secret name a DNS subdomain (${this.spec.source}: outputs.${name}.secret.kubernetesSecret.name)`);
        }
        outputs.push({ name, secret: true, secretKeyRef: { secretName, key } });
      } else {
        const secret = output.secretsManager!;
        const remoteKey = String(renderValue(secret.name, render));
        if (!remoteKey.startsWith(prefix) || !SECRET_NAME.test(remoteKey)) {
          throw invalid(context.scope, property, remoteKey, `params that make output ${name}'s secret name one of Secrets Manager `
            + `(letters, digits and /_+=.@-) under the tenant's path ${prefix}, the only one its SecretStore may read `
            + `(${this.spec.source}: outputs.${name}.secret.secretsManager.name)`);
        }
        remoteKeys.push({ secretKey: name, remoteKey, property: String(renderValue(secret.property, render)) });
        outputs.push({ name, secret: true });
      }
    }
    if (Object.keys(afterApply).length > 0) {
      new ConnectionSecret(context.scope, 'ConnectionSecret', { secretName: context.secretName, values: afterApply });
    }

    this.manifests(context, render);
    return {
      outputs,
      remoteKeys,
      egressRules: this.spec.egress.map(rule => ({
        cidr: rule.cidr,
        namespace: rule.namespace !== undefined ? String(renderValue(rule.namespace, render)) : undefined,
        podLabels: rule.podLabels !== undefined ? renderValue(rule.podLabels, render) as { [key: string]: string } : undefined,
        ports: rule.ports.map(p => Number(renderValue(p, render))),
        protocol: rule.protocol,
        description: rule.description ?? `${this.type} ${context.resourceName}`,
      } as EgressRule)),
    };
  }

  /** The request's params, checked against the declaration, with the defaults filled in. */
  private params(context: ProvisionContext, property: string): { [name: string]: unknown } {
    const given = context.resource.params;
    const declared = this.spec.params;
    const unknown = Object.keys(given).filter(p => !(p in declared));
    if (unknown.length > 0) {
      throw invalid(context.scope, property, unknown,
        `only the params ${this.type} declares (${this.spec.source}): ${Object.keys(declared).join(', ') || 'none'}`);
    }
    const params: { [name: string]: unknown } = {};
    for (const [name, param] of Object.entries(declared)) {
      const value = given[name] ?? param.default;
      if (value === undefined) {
        if (param.required) {
          throw invalid(context.scope, `${property}.${name}`, undefined, `a value: ${this.type} requires param ${name} (${describeParam(param)})`);
        }
        continue;
      }
      if (!hasType(value, param.type) || (param.allowed !== undefined && !param.allowed.includes(value as string | number | boolean))) {
        throw invalid(context.scope, `${property}.${name}`, value, describeParam(param));
      }
      params[name] = value;
    }
    return params;
  }

  /** Adds the Kubernetes objects to the workload's chart (or, for a shared resource, the tenant's `shared` chart). */
  private manifests(context: ProvisionContext, render: RenderContext): void {
    if (this.spec.manifests.length === 0) { return; }
    const env = context.environment;
    // The workload's own chart (the Workload later takes the same one); `shared` is a name no workload may have.
    const chart = env.chart(context.workload === SHARED_WORKLOAD ? SHARED_WORKLOAD : context.workload, context.tenant);
    const platform = platformOf(env);
    this.spec.manifests.forEach((manifest, i) => {
      const { apiVersion, kind, metadata, ...rest } = renderValue(manifest, render) as { [key: string]: any };
      const name = metadata?.name;
      if (typeof name !== 'string' || !isDnsSubdomain(name)) {
        throw invalid(context.scope, `resources.${context.resourceName}.params`, name,
          `params that make manifests[${i}].metadata.name a DNS subdomain (${this.spec.source})`);
      }
      const object = new ApiObject(chart, `${context.resourceName}-${this.type}-${i}`, {
        apiVersion, kind, ...rest, metadata: { ...metadata, namespace: undefined },
      });
      env._lookup.removeOnRollback(object);
      const holder = platform?._claimKubernetesName(chart, object, apiVersion, kind, name);
      if (holder !== undefined && holder !== object) {
        throw invalid(context.scope, `resources.${context.resourceName}`, name,
          `a resource whose ${kind} ${JSON.stringify(name)} no other object of namespace ${context.tenant} has (${holder.node.path} has it; `
          + `name manifests after \${workload} and \${resource} in ${this.spec.source})`);
      }
    });
  }
}

/** What a param accepts, for messages. */
function describeParam(param: TemplateParam): string {
  const allowed = param.allowed !== undefined ? `: one of ${param.allowed.map(v => JSON.stringify(v)).join(', ')}` : '';
  return `${({ string: 'a string', integer: 'an integer', number: 'a number', boolean: 'true or false' })[param.type]}${allowed}`;
}

/** Whether `value` is of the param type `type`. @internal */
export function hasType(value: unknown, type: TemplateParamType): boolean {
  switch (type) {
    case 'string': return typeof value === 'string';
    case 'integer': return typeof value === 'number' && Number.isInteger(value);
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    default: return typeof value === 'boolean';
  }
}

/**
 * `value` with every template rendered: a string that is one placeholder
 * becomes the value itself (a number stays a number), others the text of
 * their parts; lists and mappings are rendered item by item.
 */
function renderValue(value: unknown, context: RenderContext): unknown {
  if (typeof value === 'string') {
    const { segments } = parsePlaceholders(value);
    const resolved = segments.map(s => (s.literal !== undefined ? s.literal : resolve(s.reference!, context)));
    return resolved.length === 1 && segments[0].reference !== undefined ? resolved[0] : resolved.map(v => String(v)).join('');
  }
  if (Array.isArray(value)) { return value.map(v => renderValue(v, context)); }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderValue(v, context)]));
  }
  return value;
}

function resolve(path: string[], context: RenderContext): unknown {
  const [root, ...rest] = path;
  if (root === 'params') { return context.params[rest[0]] ?? ''; }
  if (root === 'terraform') { return context.terraform.get(`${rest[0]}.${rest[1]}`)!.getStringAttribute(rest[2]); }
  return context.variables[root];
}
