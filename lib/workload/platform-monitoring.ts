import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import type { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { ApiObject, Chart } from 'cdk8s';
import { TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { EnvironmentSecretsKey } from './environment-secrets-key';
import { reportOperations } from './operations-report';
import { IAM_ROLE_NAMES } from '../aws/workload-identity';
import { checkArguments, checkedScope } from '../core/api-guard';
import { Environment } from '../core/environment';
import { invalid } from '../core/errors';
import { lazyModule } from '../core/lazy-module';
import { LookupKey } from '../core/lookup';
import { Naming } from '../core/naming';
import { Platform } from '../core/platform';
import { appLabels } from '../k8s/labels';
import { SyncWave, syncWaveAnnotation } from '../k8s/sync-wave';
import { AlertReceiver } from '../ops/alert-receiver';
import { AlertGrouping, PlatformAlertRouting } from '../ops/alert-routing';
import { MonitoringStack } from '../ops/monitoring-stack';

const iamRoleLib = lazyModule<typeof import('@cdktf/provider-aws/lib/iam-role')>('@cdktf/provider-aws/lib/iam-role');
const iamRolePolicyLib = lazyModule<typeof import('@cdktf/provider-aws/lib/iam-role-policy')>('@cdktf/provider-aws/lib/iam-role-policy');

/** Properties of a {@link PlatformMonitoring}. */
export interface PlatformMonitoringProps extends AlertGrouping {
  /**
   * How the monitoring stack is installed (namespace, Prometheus pods,
   * Grafana's dashboard sidecar), the request convention every SLO and
   * request alert of the environment's workloads is built from, and the
   * runbook base URL.
   * @default new MonitoringStack() — kube-prometheus-stack in namespace `monitoring`, no request convention
   */
  readonly stack?: MonitoringStack;
  /**
   * The platform team's receivers (and service providers'): platform-wide
   * alerts, alert packs, and the alerts of every tenant without receivers
   * of its own. Their credentials are Secrets Manager secrets under
   * `paved/<env>/platform/`, read through the SecretStore `paved` of the
   * monitoring namespace.
   * @default - none: no platform routing; Alertmanager keeps the configuration its chart ships (platform-wide alerts go nowhere)
   */
  readonly receivers?: AlertReceiver[];
  /**
   * Receiver of every alert the platform routes.
   * @default - the first of `receivers`
   */
  readonly defaultReceiver?: string;
  /**
   * Receiver that also gets `severity: critical` alerts the platform routes.
   * @default - none: critical alerts go to the default receiver only
   */
  readonly pageReceiver?: string;
  /**
   * Receivers of alert packs by owner (the `owner` label), e.g. `{ dbaas: 'dbaas-chat' }`.
   * @default - alert packs' alerts go to the default receiver
   */
  readonly ownerReceivers?: { [owner: string]: string };
}

const PLATFORM_MONITORING = new LookupKey<PlatformMonitoring>('platform-monitoring');
/** The stack an environment's constructs used before any PlatformMonitoring was declared. */
const DEFAULT_STACK = new LookupKey<MonitoringStack>('default-monitoring-stack');
const KEY = 'platform';
/** The manifest of the platform's monitoring objects: `k8s/<env>/platform-monitoring.k8s.yaml`. */
const MANIFEST = 'platform-monitoring';

/**
 * How an environment is observed, declared once by the platform team: the
 * monitoring stack (and with it the request convention the workloads'
 * SLOs and request alerts read) and where platform-wide alerts go.
 *
 * With receivers it makes, besides the tenants' routing:
 * - Terraform, in the environment's foundation stack: the IAM role
 *   `<env>-platform-secrets`, which the External Secrets Operator's role
 *   assumes like a tenant's, allowed to read `paved/<env>/platform/*` only
 *   (and to decrypt through Secrets Manager with the environment's
 *   secrets key);
 * - Kubernetes, `k8s/<env>/platform-monitoring.k8s.yaml` in the stack's
 *   namespace (with the GitOps construct: the Application
 *   `platform-objects` delivers it to every cluster of the environment):
 *   the SecretStore `paved` that uses the role, and the
 *   {@link PlatformAlertRouting} `platform-alerts`, which the GitOps
 *   construct makes kube-prometheus-stack's Alertmanager use as its
 *   top-level configuration. Tenants with receivers of their own (tenant
 *   option `alerting`) are routed by their own AlertmanagerConfig and
 *   stop there; every other tenant's alerts reach `defaultReceiver`.
 *
 * Declare it right after the environment (and its network and clusters),
 * before its tenants and workloads and before the GitOps construct: they
 * take the stack and the routing from here.
 */
export class PlatformMonitoring extends Construct {
  /** The environment's PlatformMonitoring; undefined when none is declared. */
  public static of(env: Environment): PlatformMonitoring | undefined {
    checkArguments('PlatformMonitoring.of', arguments);
    return env._lookup.get(PLATFORM_MONITORING, KEY);
  }

  /**
   * The monitoring stack of `env`: the declared PlatformMonitoring's, else
   * paved's default (which the environment then keeps: a PlatformMonitoring
   * declared afterwards fails).
   */
  public static stackOf(env: Environment): MonitoringStack {
    checkArguments('PlatformMonitoring.stackOf', arguments);
    // Whatever takes the stack makes monitoring objects: report them.
    reportOperations(env.platform);
    return PlatformMonitoring.of(env)?.stack ?? env._lookup.singleton(DEFAULT_STACK, KEY, () => new MonitoringStack());
  }

  /** The environment. */
  public readonly environment: Environment;
  /** The monitoring stack of the environment. */
  public readonly stack: MonitoringStack;
  /** The platform's alert routing; undefined without receivers. */
  public readonly routing?: PlatformAlertRouting;
  /** @internal */
  public readonly _secretsRole?: IamRole;
  /** The role the External Secrets Operator reads the platform's secrets with; undefined without receivers. */
  public get secretsRole(): TerraformResource | undefined {
    return this._secretsRole;
  }
  /** @internal */
  public readonly _secretsPolicy?: IamRolePolicy;
  /** Its permissions; undefined without receivers. */
  public get secretsPolicy(): TerraformResource | undefined {
    return this._secretsPolicy;
  }
  /** The SecretStore `paved` of the monitoring namespace; undefined without receivers. */
  public readonly secretStore?: ApiObject;
  /** The chart of `k8s/<env>/platform-monitoring.k8s.yaml`; undefined without receivers. */
  public readonly chart?: Chart;

  constructor(env: Environment, id: string, props: PlatformMonitoringProps = {}) {
    super(preflight(checkedScope(env, 'PlatformMonitoring', arguments), id), id);
    this.environment = env;
    const stack = props.stack ?? new MonitoringStack();
    if (!(stack instanceof MonitoringStack)) {
      throw invalid(this, 'stack', stack, 'a MonitoringStack');
    }
    this.stack = stack;
    env._lookup.set(PLATFORM_MONITORING, KEY, this);
    reportOperations(env.platform);
    const platform = Platform.of(this);
    platform.recordDefault(this, 'requestConvention', stack.requestConvention?.name ?? 'none (no request alerts; SLOs name their convention)',
      props.stack?.requestConvention ? 'platform engineer' : 'paved default');
    if (props.receivers === undefined) {
      for (const property of ['defaultReceiver', 'pageReceiver', 'ownerReceivers'] as const) {
        if (props[property] !== undefined) {
          throw invalid(this, property, props[property], 'no value without receivers (the platform routes no alert)');
        }
      }
      platform.recordDefault(this, 'receivers', 'none: Alertmanager keeps its chart\'s configuration', 'paved default');
      return;
    }

    const roleName = Naming.platformSecretsRole(env.name);
    const taken = env._lookup.claim(IAM_ROLE_NAMES, roleName, this);
    if (taken) {
      throw invalid(this, 'receivers', props.receivers.map(r => r?.name),
        `receivers whose secrets role ${JSON.stringify(roleName)} is free; ${taken.node.path} has it (a tenant named "${Naming.PLATFORM}" takes the platform's role and secret path)`);
    }
    // A platform-wide file of the environment (k8s/<env>/*.k8s.yaml), its objects in the stack's namespace.
    this.chart = platform.chart([env.name, MANIFEST], stack.namespace);
    this.routing = new PlatformAlertRouting(this.chart, 'Alerts', {
      ...props,
      environment: env.name,
      receivers: props.receivers,
      stack,
      secretStoreName: Naming.SECRET_STORE,
    });

    const arn = (service: string, resource: string) => `arn:${env.partition}:${service}:${env.region}:${env.account}:${resource}`;
    this._secretsRole = new iamRoleLib.IamRole(this, 'SecretsRole', {
      name: roleName,
      description: `External Secrets Operator access to the platform team's secrets of ${env.name} (alert receivers)`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Principal: { AWS: `arn:${env.partition}:iam::${env.account}:role/${Naming.externalSecretsOperatorRole(env.name)}` },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
        }],
      }),
    });
    this._secretsPolicy = new iamRolePolicyLib.IamRolePolicy(this, 'SecretsPolicy', {
      role: this._secretsRole.name,
      name: 'read-platform-secrets',
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'ReadPlatformSecrets',
            Effect: 'Allow',
            Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
            Resource: arn('secretsmanager', `secret:${Naming.platformSecretPrefix(env.name)}*`),
          },
          {
            Sid: 'DecryptThroughSecretsManager',
            Effect: 'Allow',
            Action: 'kms:Decrypt',
            Resource: EnvironmentSecretsKey.of(env).keyArn,
            Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${env.region}.amazonaws.com` } },
          },
        ],
      }),
    });
    this.secretStore = new ApiObject(this.chart, 'SecretStore', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'SecretStore',
      metadata: {
        name: Naming.SECRET_STORE,
        labels: appLabels({ name: Naming.SECRET_STORE, component: 'alerting-secrets', partOf: stack.namespace }),
        // Before the receivers' ExternalSecrets (SyncWave.SECRETS) that read through it.
        annotations: syncWaveAnnotation(SyncWave.TENANT_BOUNDARIES),
      },
      spec: {
        provider: { aws: { service: 'SecretsManager', region: env.region, role: `arn:${env.partition}:iam::${env.account}:role/${roleName}` } },
      },
    });
    platform.recordDefault(this, 'receivers', props.receivers.map(r => `${r.name} (${r.kind})`).join(', '), 'platform engineer');
  }

  /**
   * Tells the platform's routing that `tenant` routes its own alerts.
   * @internal
   */
  public _routeTenant(tenant: string): void {
    this.routing?.addRoutedTenant(tenant);
  }
}

/** The environment, once no construct of it has taken the default stack already. */
function preflight(env: Environment, id: string): Environment {
  if (!(env instanceof Environment)) {
    throw invalid(id ?? 'PlatformMonitoring', 'environment', (env as any)?.node?.path ?? env, 'an Environment (new PlatformMonitoring(env, \'Monitoring\', {...}))');
  }
  const existing = PlatformMonitoring.of(env);
  if (existing) {
    throw invalid(`${env.node.path}/${id}`, 'environment', env.name, `an environment without a PlatformMonitoring (${existing.node.path} is its one)`);
  }
  if (env._lookup.get(DEFAULT_STACK, KEY)) {
    throw invalid(`${env.node.path}/${id}`, 'environment', env.name,
      'a PlatformMonitoring declared before the environment\'s tenants, workloads and the GitOps construct (they took paved\'s default monitoring stack)');
  }
  return env;
}
