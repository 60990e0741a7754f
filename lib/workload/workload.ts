import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { parsePlaceholders } from './placeholders';
import { ProvisionResult } from './provisioner';
import { Provisioners } from './provisioners';
import { Resource } from './resource';
import { TenantSecretAccess } from './tenant-secret-access';
import { Cluster, ICluster } from '../aws/cluster';
import { INetwork, Network } from '../aws/network';
import { WorkloadIdentity } from '../aws/workload-identity';
import { Environment } from '../core/environment';
import { invalid } from '../core/errors';
import { Naming } from '../core/naming';
import { Platform } from '../core/platform';
import { Size } from '../core/size';
import { validateDnsLabel } from '../core/validation';
import { Tenant } from '../k8s/tenant';
import { WebApp } from '../k8s/web-app';

/** Properties of a {@link Workload}. */
export interface WorkloadProps {
  /** The team that owns the workload; also its Kubernetes namespace. A DNS label of at most 30 characters. */
  readonly tenant: string;
  /** Container image with a tag other than `latest`, or a digest. */
  readonly image: string;
  /** Port the container serves HTTP on. */
  readonly port: number;
  /**
   * Public host name; an Ingress with TLS is made when given.
   * @default - no Ingress: reachable only inside the cluster
   */
  readonly host?: string;
  /**
   * Capacity of the workload and, unless a resource asks for its own, of its resources.
   * @default Size.M
   */
  readonly size?: Size;
  /**
   * Resources the workload needs, by the name placeholders use (`db` in `${resources.db.host}`).
   * @default - none
   */
  readonly resources?: { [name: string]: Resource };
  /**
   * Environment variables. Values may contain `${metadata.name}`,
   * `${metadata.annotations.<key>}` and `${resources.<name>.<output>}`;
   * `$${` is a literal `${`. Secret outputs become `secretKeyRef`s.
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * Annotations, readable through `${metadata.annotations.<key>}` and set on the pods.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
  /**
   * The cluster the workload runs on.
   * @default - the cluster of the environment (`Cluster.of(env)`)
   */
  readonly cluster?: ICluster;
  /**
   * The network its resources live in.
   * @default - the network of the environment (`Network.of(env)`)
   */
  readonly network?: INetwork;
}

/** Resource outputs of a workload, as placeholders see them. */
interface BoundResource {
  readonly result: ProvisionResult;
  readonly secretName: string;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The EKS Pod Identity agent on each node, where the AWS SDKs get the workload's credentials. */
const POD_IDENTITY_AGENT = { cidr: '169.254.170.23/32', ports: [80], description: 'EKS Pod Identity agent (AWS credentials)' };
const RESERVED_NAMES = ['tenant'];

/**
 * A developer's workload: a web app and what it needs, in both outputs.
 *
 * Terraform side: each requested resource (through its provisioner), its
 * connection secret `paved/<env>/<tenant>/<workload>/<resource>`, and an IAM
 * role bound by EKS Pod Identity to the workload's ServiceAccount with only
 * the runtime permissions its resources need. Kubernetes side: a WebApp
 * (Deployment, Service, Ingress, autoscaling, disruption budget, network
 * policy), and one ExternalSecret per resource that materializes its
 * connection details through the tenant's SecretStore.
 */
export class Workload extends Construct {
  /** Workload name (the construct id). */
  public readonly name: string;
  /** Tenant and namespace. */
  public readonly tenant: string;
  /** The environment. */
  public readonly environment: Environment;
  /** The IAM role and pod identity association of the workload's ServiceAccount. */
  public readonly identity: WorkloadIdentity;
  /** The Kubernetes objects of the app. */
  public readonly app: WebApp;
  /** One ExternalSecret per resource, by resource name. */
  public readonly externalSecrets: { [resource: string]: ApiObject } = {};

  private readonly bound = new Map<string, BoundResource>();

  constructor(env: Environment, id: string, props: WorkloadProps) {
    super(preflight(env, id), id);
    this.name = id;
    this.environment = env;
    this.tenant = props.tenant;
    validateDnsLabel(this, 'name', id, 30);
    if (RESERVED_NAMES.includes(id)) {
      throw invalid(this, 'name', id, `a name other than ${RESERVED_NAMES.join(', ')} (reserved for the tenant's own manifest)`);
    }
    validateDnsLabel(this, 'tenant', props.tenant, 30);
    const platform = Platform.of(this);
    const size = props.size ?? Size.M;
    platform.recordDefault(this, 'size', size.name, props.size ? 'workload' : 'paved default');
    const cluster = props.cluster ?? Cluster.of(env);
    const network = props.network ?? Network.of(env);

    this.identity = new WorkloadIdentity(this, 'Identity', { cluster, namespace: props.tenant, serviceAccount: id });

    for (const [name, resource] of Object.entries(props.resources ?? {})) {
      validateDnsLabel(this, `resources.${name}`, name, 30);
      const provisioner = Provisioners.find(platform, resource.type, `${this.node.path}/resources.${name}`);
      const secretName = `paved/${env.name}/${props.tenant}/${id}/${name}`;
      const result = provisioner.provision({
        scope: new Construct(this, name),
        environment: env,
        tenant: props.tenant,
        workload: id,
        resourceName: name,
        resource,
        size: resource.size ?? size,
        network,
        cluster,
        identity: this.identity,
        secretName,
      });
      this.bound.set(name, { result, secretName });
    }

    const chart = env.chart(id, props.tenant);
    const { literal, fromSecret } = this.renderEnv(props.env ?? {}, props.annotations ?? {});
    this.app = new WebApp(chart, 'WebApp', {
      name: id,
      image: props.image,
      port: props.port,
      host: props.host,
      size,
      profile: env.profile,
      env: literal,
      secretEnv: fromSecret,
      podAnnotations: props.annotations,
      egress: [
        POD_IDENTITY_AGENT,
        ...[...this.bound.values()].flatMap(b => b.result.egress ?? [])
          .map(e => ({ cidr: e.cidr, ports: [e.port], description: e.description })),
      ],
    });
    if (this.bound.size > 0) {
      // Env vars are read once at start; RDS rotates the master password every 7 days. Stakater
      // Reloader (when installed) restarts the pods when a connection Secret changes.
      this.app.deployment.metadata.addAnnotation('secret.reloader.stakater.com/reload',
        [...this.bound.keys()].map(name => this.secretNameOf(name)).join(','));
    }
    for (const [name, bound] of this.bound) {
      this.externalSecrets[name] = this.externalSecret(chart, name, bound);
    }
    TenantSecretAccess.of(env, props.tenant);
  }

  /** Name of the Kubernetes Secret holding the connection details of resource `name`. */
  public secretNameOf(name: string): string {
    return Naming.name([this.name, name], Naming.K8S_LABEL);
  }

  private externalSecret(chart: Construct, name: string, bound: BoundResource): ApiObject {
    const target = this.secretNameOf(name);
    const byTags = bound.result.remoteByTags ?? [];
    const template: { [key: string]: string } = {};
    byTags.forEach((find, i) => {
      for (const [key, property] of Object.entries(find.properties)) {
        template[key] = `{{ (index . "found-${i}" | fromJson).${property} }}`;
      }
    });
    return new ApiObject(chart, `ExternalSecret-${name}`, {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: {
        name: target,
        labels: {
          'app.kubernetes.io/name': this.name,
          'app.kubernetes.io/instance': target,
          'app.kubernetes.io/component': 'connection-secret',
          'app.kubernetes.io/part-of': this.tenant,
          'app.kubernetes.io/managed-by': 'paved',
        },
      },
      spec: {
        refreshInterval: '1h',
        secretStoreRef: { kind: 'SecretStore', name: Tenant.SECRET_STORE_NAME },
        target: {
          name: target,
          creationPolicy: 'Owner',
          ...(byTags.length > 0 ? { template: { engineVersion: 'v2', mergePolicy: 'Merge', data: template } } : {}),
        },
        data: bound.result.remoteKeys.map(k => ({
          secretKey: k.secretKey,
          remoteRef: { key: k.remoteKey, property: k.property },
        })),
        ...(byTags.length > 0 ? {
          dataFrom: byTags.map((find, i) => ({
            find: { tags: find.tags },
            rewrite: [{ regexp: { source: '^.*$', target: `found-${i}` } }],
          })),
        } : {}),
      },
    });
  }

  /**
   * Splits env vars into literal values and values read from the resources'
   * Kubernetes Secrets. A value that mixes text and secret outputs is
   * composed by Kubernetes from helper variables (`$(VAR)` expansion), so no
   * secret is ever written into the YAML.
   */
  private renderEnv(env: { [name: string]: string }, annotations: { [key: string]: string }):
  { literal: { [name: string]: string }; fromSecret: { [name: string]: { secretName: string; key: string } } } {
    const literal: { [name: string]: string } = {};
    const fromSecret: { [name: string]: { secretName: string; key: string } } = {};
    for (const [name, value] of Object.entries(env)) {
      if (!ENV_NAME.test(name)) {
        throw invalid(this, `env.${name}`, name, 'an environment variable name: letters, digits and underscores, not starting with a digit');
      }
      const parsed = parsePlaceholders(value);
      if (parsed.error) {
        throw invalid(this, `env.${name}`, value, `a value with well-formed placeholders (${parsed.error})`);
      }
      const pieces: ({ text: string } | { secretName: string; key: string })[] = parsed.segments.map(segment => {
        if (segment.literal !== undefined) { return { text: segment.literal }; }
        return this.resolve(`env.${name}`, value, segment.reference!, annotations);
      });
      const refs = pieces.filter((p): p is { secretName: string; key: string } => 'key' in p);
      if (refs.length === 0) {
        literal[name] = pieces.map(p => (p as { text: string }).text).join('');
      } else if (refs.length === 1 && pieces.length === 1) {
        fromSecret[name] = refs[0];
      } else {
        const composed = pieces.map(p => {
          if ('text' in p) { return p.text.replace(/\$\(/g, '$$$$('); }
          const helper = `PAVED_${p.secretName}_${p.key}`.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
          fromSecret[helper] = p;
          return `$(${helper})`;
        });
        literal[name] = composed.join('');
      }
    }
    return { literal, fromSecret };
  }

  private resolve(property: string, value: string, path: string[], annotations: { [key: string]: string }):
  { text: string } | { secretName: string; key: string } {
    const [root, ...rest] = path;
    if (root === 'metadata' && rest.length === 1 && rest[0] === 'name') {
      return { text: this.name };
    }
    if (root === 'metadata' && rest[0] === 'annotations' && rest.length === 2) {
      if (!(rest[1] in annotations)) {
        throw invalid(this, property, value, `a placeholder to a declared annotation (${Object.keys(annotations).join(', ') || 'none declared'}); "${rest[1]}" is not one`);
      }
      return { text: annotations[rest[1]] };
    }
    if (root === 'resources' && rest.length === 2) {
      const [resource, output] = rest;
      const bound = this.bound.get(resource);
      if (!bound) {
        throw invalid(this, property, value, `a placeholder to a declared resource (${[...this.bound.keys()].join(', ') || 'none declared'}); "${resource}" is not one`);
      }
      const out = bound.result.outputs.find(o => o.name === output);
      if (!out) {
        throw invalid(this, property, value, `an output of ${resource}: ${bound.result.outputs.map(o => o.name).join(', ')}; "${output}" is not one`);
      }
      if (!out.secret && out.value !== undefined) { return { text: out.value }; }
      return { secretName: this.secretNameOf(resource), key: output };
    }
    throw invalid(this, property, value, 'placeholders of the form ${metadata.name}, ${metadata.annotations.<key>} or ${resources.<name>.<output>}');
  }
}

function preflight(env: Environment, id: string): Environment {
  if (env.node.tryFindChild(id)) {
    throw invalid(`${env.node.path}/${id}`, 'name', id, `a name not used by another workload or construct of environment ${env.name}`);
  }
  return env;
}
