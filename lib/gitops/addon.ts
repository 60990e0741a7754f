import { AddonCapability } from './addon-capability';
import { AddonContext, AddonSpec } from './addon-spec';
import {
  AWS_LOAD_BALANCER_CONTROLLER,
  CERT_MANAGER,
  CLOUDWATCH_EXPORTER,
  EXTERNAL_DNS,
  EXTERNAL_SECRETS,
  KEDA,
  KUBE_PROMETHEUS_STACK,
  METRICS_SERVER,
  RELOADER,
} from './builtin-addons';
import { PolicyStatement } from '../aws/policy-statement';
import { checkArguments } from '../core/api-guard';
import { invalid } from '../core/errors';
import { isDnsLabel } from '../core/validation';
import { SyncWave } from '../k8s/sync-wave';

/** The Pod Security Standard enforced on a namespace. */
export enum PodSecurityLevel {
  /** The hardened standard every paved workload meets (non-root, no privilege escalation, capabilities dropped, seccomp). */
  RESTRICTED = 'restricted',
  /** Prevents known privilege escalations; allows what `restricted` forbids beyond that (e.g. running as root). */
  BASELINE = 'baseline',
  /** No restriction: host namespaces, host paths, privileged containers. Only for node agents that need them. */
  PRIVILEGED = 'privileged',
}

/** Changes to one of paved's addons. */
export interface AddonOptions {
  /**
   * Chart version, a semantic version such as `2.20.2` (or `v1.21.1` for
   * charts versioned with a `v`); no ranges: every cluster runs exactly this.
   * @default - the version paved pins (see the factory method)
   */
  readonly version?: string;
  /**
   * Helm values merged over paved's: maps merge key by key, a list or a
   * plain value replaces paved's, and `null` removes paved's key (the
   * chart's own default applies again). Plain JSON only.
   * @default - paved's values
   */
  readonly values?: { [key: string]: any };
}

/** A Helm chart a platform engineer adds as an addon of every cluster. */
export interface HelmAddonProps {
  /**
   * Name of the addon and of its Argo CD Application (`addon-<name>`): a DNS label of at most 40 characters.
   */
  readonly name: string;
  /** Namespace the chart is installed into; Argo CD creates it unless it is `kube-system`. */
  readonly namespace: string;
  /** The Helm repository, an `https://` URL such as `https://www.rabbitmq.com/kubernetes/tanzu`. */
  readonly repoUrl: string;
  /** Name of the chart in the repository. */
  readonly chart: string;
  /** Chart version, a semantic version such as `4.4.1`; no ranges. */
  readonly version: string;
  /**
   * Helm values (plain JSON).
   * @default - the chart's defaults
   */
  readonly values?: { [key: string]: any };
  /**
   * Helm release name (a DNS label of at most 53 characters).
   * @default - the addon name
   */
  readonly releaseName?: string;
  /**
   * What the addon serves: the API groups of its CRDs, IngressClasses,
   * annotations. paved refuses to deliver an object nothing serves, so list
   * what the workloads of the platform use it for.
   * @default - none
   */
  readonly capabilities?: AddonCapability[];
  /**
   * The service account (in `namespace`) that gets `permissions` through
   * EKS Pod Identity. Required with `permissions`.
   * @default - none
   */
  readonly serviceAccount?: string;
  /**
   * AWS permissions of the addon: paved makes an IAM role per cluster,
   * `<cluster>-<addon>`, that only EKS Pod Identity may assume, only for
   * `namespace`/`serviceAccount` on that cluster, and associates it.
   * @default - no AWS permissions
   */
  readonly permissions?: PolicyStatement[];
  /**
   * Argo CD sync wave of the addon's Application: lower waves are installed first.
   * @default SyncWave.ADDONS
   */
  readonly syncWave?: number;
  /**
   * Pod Security Standard enforced on the namespace Argo CD creates (not on `kube-system`).
   * @default PodSecurityLevel.RESTRICTED
   */
  readonly podSecurity?: PodSecurityLevel;
}

/** A chart version: semantic versioning 2.0.0, optionally with a leading `v`. */
const SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;
const CHART_NAME = /^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$/;
const HTTPS_URL = /^https:\/\/[^\s/$.?#][^\s]*$/;
const MAX_NAME = 40;
const MAX_RELEASE_NAME = 53;

/**
 * A platform addon: a pinned Helm chart Argo CD installs in every cluster,
 * with paved's values, its AWS permissions (through EKS Pod Identity) and
 * what it serves.
 *
 * `Addon.defaults()` is the set the golden path needs; each factory method
 * takes a version and values to change, and `Addon.helm()` adds any chart.
 * A GitOps construct installs its list of addons in every cluster of its
 * environments; leave one out to disable it (paved then refuses objects
 * only it serves).
 *
 * @example new GitOps(platform, 'GitOps', { repoUrl, addons: [...Addon.defaults(), Addon.certManager()] });
 */
export class Addon {
  /**
   * The addons paved's golden path needs: External Secrets, KEDA, Reloader,
   * the AWS Load Balancer Controller, metrics-server, kube-prometheus-stack
   * and the CloudWatch exporter.
   */
  public static defaults(): Addon[] {
    return [
      Addon.externalSecrets(), Addon.keda(), Addon.reloader(), Addon.awsLoadBalancerController(),
      Addon.metricsServer(), Addon.kubePrometheusStack(), Addon.cloudwatchExporter(),
    ];
  }

  /**
   * Every addon paved knows, with its defaults.
   * @internal
   */
  public static _catalogue(): Addon[] {
    return [...Addon.defaults(), Addon.externalDns(), Addon.certManager()];
  }

  /**
   * External Secrets Operator (chart `external-secrets` 2.9.0, namespace
   * `external-secrets`): materializes the connection secrets of workloads
   * from AWS Secrets Manager through each tenant's SecretStore. Runs as the
   * environment's role `paved-<env>-external-secrets`, which may only assume
   * the tenants' secret and database admin roles. PushSecret runs for the
   * passwords paved generates in the database admin namespace (the only
   * place it writes secrets back); the cluster-wide kinds are turned off.
   */
  public static externalSecrets(options: AddonOptions = {}): Addon {
    checkArguments('Addon.externalSecrets', arguments);
    return new Addon(EXTERNAL_SECRETS, options, 'Addon.externalSecrets');
  }

  /**
   * KEDA (chart `keda` 2.20.2, namespace `keda`): scales Workers on their
   * queue. Runs as the environment's role `paved-<env>-keda`, which may
   * only read the attributes of the environment's queues.
   */
  public static keda(options: AddonOptions = {}): Addon {
    checkArguments('Addon.keda', arguments);
    return new Addon(KEDA, options, 'Addon.keda');
  }

  /**
   * Stakater Reloader (chart `reloader` 2.2.16, namespace `reloader`):
   * restarts a workload when a Secret or ConfigMap it names changes (a
   * rotated database password). Reloads through a pod-template annotation,
   * which Argo CD does not revert.
   */
  public static reloader(options: AddonOptions = {}): Addon {
    checkArguments('Addon.reloader', arguments);
    return new Addon(RELOADER, options, 'Addon.reloader');
  }

  /**
   * AWS Load Balancer Controller (chart `aws-load-balancer-controller`
   * 3.5.0, namespace `aws-load-balancer-controller`): serves the
   * IngressClass `alb` that workloads' hosts use, one internet-facing
   * Application Load Balancer per cluster (IP targets, TLS 1.2+ policy,
   * invalid headers dropped). Its role has the upstream IAM policy, limited
   * to load balancers and security groups tagged with its own cluster's name
   * and to the cluster's VPC.
   */
  public static awsLoadBalancerController(options: AddonOptions = {}): Addon {
    checkArguments('Addon.awsLoadBalancerController', arguments);
    return new Addon(AWS_LOAD_BALANCER_CONTROLLER, options, 'Addon.awsLoadBalancerController');
  }

  /**
   * metrics-server (chart `metrics-server` 3.13.1, namespace `kube-system`):
   * the cpu and memory metrics HorizontalPodAutoscalers scale on.
   */
  public static metricsServer(options: AddonOptions = {}): Addon {
    checkArguments('Addon.metricsServer', arguments);
    return new Addon(METRICS_SERVER, options, 'Addon.metricsServer');
  }

  /**
   * kube-prometheus-stack (chart 88.5.3, namespace `monitoring`, Pod
   * Security `privileged` for the node exporter): Prometheus Operator,
   * Prometheus, Alertmanager and Grafana. Prometheus picks up the
   * ServiceMonitors, PodMonitors and rules of every namespace whatever
   * their labels, and enforces a `namespace` label on those of tenants (a
   * tenant's rules see only its own series); Alertmanager merges the
   * AlertmanagerConfigs of every namespace, each matching only its own
   * namespace's alerts; Grafana loads dashboards from ConfigMaps labelled
   * `grafana_dashboard: "1"` in any namespace, into the folder named by
   * their `grafana_folder` annotation. Grafana's admin password is
   * generated in the cluster by External Secrets (Secret
   * `monitoring/grafana-admin`), so this addon needs `externalSecrets()`.
   */
  public static kubePrometheusStack(options: AddonOptions = {}): Addon {
    checkArguments('Addon.kubePrometheusStack', arguments);
    return new Addon(KUBE_PROMETHEUS_STACK, options, 'Addon.kubePrometheusStack');
  }

  /**
   * The CloudWatch exporter YACE (chart
   * `prometheus-yet-another-cloudwatch-exporter` 0.47.0, YACE v0.67.0,
   * namespace `monitoring`): exports the CloudWatch metrics of the
   * environment's resources (those tagged `paved:environment=<env>` in its
   * region: RDS, ElastiCache, SQS, NAT gateways) to Prometheus every 5
   * minutes, as `aws_<service>_<metric>_<statistic>` series. Workload
   * dashboards show them, and the CloudWatch alarms of paved's resources
   * become Prometheus rules on them (`cloudwatch-alerts` in its namespace,
   * each alarm on one cluster of the environment), so they reach each
   * tenant's Alertmanager routing. Its role (Pod Identity, per cluster) may
   * only read metrics and resource tags. Needs `kubePrometheusStack()`.
   */
  public static cloudwatchExporter(options: AddonOptions = {}): Addon {
    checkArguments('Addon.cloudwatchExporter', arguments);
    return new Addon(CLOUDWATCH_EXPORTER, options, 'Addon.cloudwatchExporter');
  }

  /**
   * ExternalDNS (chart `external-dns` 1.21.1, namespace `external-dns`):
   * writes the records of Ingress hosts into the environment's Route 53
   * zone (`Dns.of(env)`), owning only the records it created. Its role may
   * change the records of that zone only. Needs a Dns zone in every
   * environment of the GitOps construct.
   */
  public static externalDns(options: AddonOptions = {}): Addon {
    checkArguments('Addon.externalDns', arguments);
    return new Addon(EXTERNAL_DNS, options, 'Addon.externalDns');
  }

  /**
   * cert-manager (chart `cert-manager` v1.21.1, namespace `cert-manager`),
   * for certificates inside the cluster (workload hosts take ACM
   * certificates at the load balancer and do not need it). The CRDs stay
   * when the addon is removed.
   */
  public static certManager(options: AddonOptions = {}): Addon {
    checkArguments('Addon.certManager', arguments);
    return new Addon(CERT_MANAGER, options, 'Addon.certManager');
  }

  /** Any Helm chart as an addon, e.g. an operator whose CRDs workloads use. */
  public static helm(props: HelmAddonProps): Addon {
    checkArguments('Addon.helm', arguments);
    const where = 'Addon.helm';
    if (props === null || typeof props !== 'object') {
      throw invalid(where, 'props', props, 'HelmAddonProps: { name, namespace, repoUrl, chart, version, ... }');
    }
    if (typeof props.name !== 'string' || !isDnsLabel(props.name, MAX_NAME)) {
      throw invalid(where, 'name', props.name, `a DNS label of at most ${MAX_NAME} characters`);
    }
    const at = `Addon.helm(${props.name})`;
    if (typeof props.namespace !== 'string' || !isDnsLabel(props.namespace)) {
      throw invalid(at, 'namespace', props.namespace, 'a namespace name (a DNS label)');
    }
    if (typeof props.repoUrl !== 'string' || !HTTPS_URL.test(props.repoUrl)) {
      throw invalid(at, 'repoUrl', props.repoUrl, 'the https:// URL of a Helm repository');
    }
    if (typeof props.chart !== 'string' || !CHART_NAME.test(props.chart)) {
      throw invalid(at, 'chart', props.chart, 'a chart name: lowercase letters, digits, ".", "_" and "-"');
    }
    const releaseName = props.releaseName ?? props.name;
    if (typeof releaseName !== 'string' || !isDnsLabel(releaseName, MAX_RELEASE_NAME)) {
      throw invalid(at, 'releaseName', releaseName, `a DNS label of at most ${MAX_RELEASE_NAME} characters (Helm's limit)`);
    }
    const capabilities = props.capabilities ?? [];
    if (!Array.isArray(capabilities) || capabilities.some(c => !(c instanceof AddonCapability))) {
      throw invalid(at, 'capabilities', capabilities, 'a list of AddonCapability (AddonCapability.apiGroup(...), .kind(...), .ingressClass(...), .annotation(...))');
    }
    if (props.permissions !== undefined && (!Array.isArray(props.permissions) || props.permissions.length === 0)) {
      throw invalid(at, 'permissions', props.permissions, 'one or more PolicyStatements');
    }
    if (props.serviceAccount !== undefined && (typeof props.serviceAccount !== 'string' || !isDnsLabel(props.serviceAccount))) {
      throw invalid(at, 'serviceAccount', props.serviceAccount, 'a service account name (a DNS label)');
    }
    if (props.permissions !== undefined && props.serviceAccount === undefined) {
      throw invalid(at, 'serviceAccount', undefined, 'the service account that gets the permissions (Pod Identity binds the role to one)');
    }
    const syncWave = props.syncWave ?? SyncWave.ADDONS;
    if (!Number.isInteger(syncWave) || syncWave < -100 || syncWave > 100) {
      throw invalid(at, 'syncWave', syncWave, 'an integer from -100 to 100 (see SyncWave)');
    }
    const podSecurity = props.podSecurity ?? PodSecurityLevel.RESTRICTED;
    if (!Object.values(PodSecurityLevel).includes(podSecurity)) {
      throw invalid(at, 'podSecurity', podSecurity, `one of ${Object.values(PodSecurityLevel).map(v => JSON.stringify(v)).join(', ')}`);
    }
    const permissions = props.permissions;
    const spec: AddonSpec = {
      name: props.name,
      namespace: props.namespace,
      repoUrl: props.repoUrl,
      chart: props.chart,
      version: props.version,
      releaseName,
      capabilities: [...capabilities],
      syncWave,
      podSecurity: props.namespace === 'kube-system' ? undefined : podSecurity,
      serverSideApply: true,
      serviceAccount: props.serviceAccount,
      permissions: permissions ? () => permissions.map(statement => ({ ...statement })) : undefined,
      values: () => ({}),
    };
    return new Addon(spec, { values: props.values }, at);
  }

  /** Name of the addon; its Argo CD Application is `addon-<name>`. */
  public readonly name: string;
  /** Namespace the chart is installed into. */
  public readonly namespace: string;
  /** The Helm repository. */
  public readonly repoUrl: string;
  /** The chart's name. */
  public readonly chart: string;
  /** The chart version every cluster runs. */
  public readonly version: string;
  /** The Helm release name. */
  public readonly releaseName: string;
  /** Argo CD sync wave of the addon's Application. */
  public readonly syncWave: number;
  /** Pod Security Standard enforced on the addon's namespace; undefined for `kube-system`, which paved leaves alone. */
  public readonly podSecurity?: string;
  /** The service account that has the addon's AWS permissions; undefined for an addon without. */
  public readonly serviceAccount?: string;
  /** What the addon serves. */
  public readonly capabilities: AddonCapability[];

  /** @internal */
  public readonly _spec: AddonSpec;
  /**
   * Where the version and values came from, for the report.
   * @internal
   */
  public readonly _source: string;
  private readonly values: { [key: string]: any };

  private constructor(spec: AddonSpec, options: AddonOptions, where: string) {
    if (options === null || typeof options !== 'object') {
      throw invalid(where, 'options', options, 'AddonOptions: { version?, values? }');
    }
    const version = options.version ?? spec.version;
    if (typeof version !== 'string' || !SEMVER.test(version)) {
      throw invalid(where, 'version', version, 'a chart version in semantic versioning, such as "1.2.3" or "v1.2.3" (no ranges: every cluster runs exactly this)');
    }
    this.values = validateValues(where, 'values', options.values ?? {});
    this._source = where.startsWith('Addon.helm') ? 'platform engineer (Addon.helm)'
      : options.version !== undefined || options.values !== undefined ? `override of ${where}()` : 'paved pin';
    this._spec = { ...spec, version };
    this.name = spec.name;
    this.namespace = spec.namespace;
    this.repoUrl = spec.repoUrl;
    this.chart = spec.chart;
    this.version = version;
    this.releaseName = spec.releaseName;
    this.syncWave = spec.syncWave;
    this.podSecurity = spec.podSecurity;
    this.serviceAccount = spec.serviceAccount;
    this.capabilities = [...spec.capabilities];
  }

  /**
   * The Helm values for one cluster: paved's, with the platform engineer's merged over them.
   * @internal
   */
  public _values(context: AddonContext): { [key: string]: any } {
    return mergeValues(this._spec.values(context), this.values);
  }

  /**
   * Tells whether paved makes or uses an IAM role for the addon.
   * @internal
   */
  public get _hasRole(): boolean {
    return this._spec.permissions !== undefined || this._spec.environmentRoleName !== undefined;
  }
}

/**
 * `override` merged over `base`: maps key by key, anything else replaced; `null` removes the key.
 * @internal
 */
export function mergeValues(base: { [key: string]: any }, override: { [key: string]: any }): { [key: string]: any } {
  const merged: { [key: string]: any } = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value === null) {
      delete merged[key];
    } else if (isMap(value) && isMap(merged[key])) {
      merged[key] = mergeValues(merged[key], value);
    } else {
      merged[key] = value;
    }
  }
  return merged;
}

function isMap(value: unknown): value is { [key: string]: any } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Fails unless `values` is a map of plain JSON (strings, numbers, booleans, null, lists and maps). */
function validateValues(where: string, property: string, values: any): { [key: string]: any } {
  if (!isMap(values)) {
    throw invalid(where, property, values, 'a map of Helm values');
  }
  const check = (value: any, path: string): void => {
    if (value === null || typeof value === 'string' || typeof value === 'boolean') { return; }
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) { throw invalid(where, path, String(value), 'a finite number'); }
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => check(item, `${path}[${i}]`));
      return;
    }
    if (isMap(value) && Object.getPrototypeOf(value) === Object.prototype) {
      for (const [key, item] of Object.entries(value)) { check(item, `${path}.${key}`); }
      return;
    }
    throw invalid(where, path, typeof value === 'object' ? String(value) : typeof value, 'plain JSON: a string, number, boolean, null, list or map');
  };
  check(values, property);
  return values;
}

