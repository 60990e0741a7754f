import { ApiObject, Duration, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { AlertReceiver } from './alert-receiver';
import { duration } from './alert-rule';
import { MonitoringStack } from './monitoring-stack';
import { checkedScope } from '../core/api-guard';
import { invalid } from '../core/errors';
import { validateDnsLabel } from '../core/validation';
import { ExternalSecret } from '../k8s/external-secret';
import { appLabels } from '../k8s/labels';
import { SyncWave, syncWaveAnnotation } from '../k8s/sync-wave';
import { Tenant } from '../k8s/tenant';

/** How alerts are grouped into notifications and how often they repeat. */
export interface AlertGrouping {
  /**
   * Labels alerts are grouped by into one notification.
   * @default ['alertname', 'namespace', 'workload', 'slo']
   */
  readonly groupBy?: string[];
  /**
   * Wait before the first notification of a new group, to collect its alerts.
   * @default Duration.seconds(30)
   */
  readonly groupWait?: Duration;
  /**
   * Wait before notifying about alerts added to a group already notified.
   * @default Duration.minutes(5)
   */
  readonly groupInterval?: Duration;
  /**
   * Wait before repeating a notification of alerts still firing.
   * @default Duration.hours(4)
   */
  readonly repeatInterval?: Duration;
}

/** Properties of a {@link TenantAlertRouting}. */
export interface TenantAlertRoutingProps extends AlertGrouping {
  /** The tenant: its namespace, whose alerts (label `namespace`) are routed. */
  readonly tenant: string;
  /** Name of the environment, for the secret naming contract `paved/<environment>/<tenant>/...`. */
  readonly environment: string;
  /** The tenant's receivers, at least one. */
  readonly receivers: AlertReceiver[];
  /**
   * Receiver of every alert of the tenant.
   * @default - the first of `receivers`
   */
  readonly defaultReceiver?: string;
  /**
   * Receiver that also gets `severity: critical` alerts (pages).
   * @default - none: critical alerts go to the default receiver only
   */
  readonly pageReceiver?: string;
  /**
   * The monitoring stack: discovery labels.
   * @default new MonitoringStack()
   */
  readonly stack?: MonitoringStack;
}

/**
 * A tenant's alert routing: an AlertmanagerConfig (monitoring.coreos.com/v1alpha1)
 * in the tenant's namespace routing the alerts of that namespace only
 * (matcher `namespace`, which the Prometheus Operator also enforces) to
 * the tenant's receivers: every alert to the default receiver, critical
 * ones to the page receiver as well. Each receiver's credential comes from
 * AWS Secrets Manager under `paved/<environment>/<tenant>/` through an
 * ExternalSecret from the tenant's SecretStore `paved`.
 */
export class TenantAlertRouting extends Construct {
  /** The tenant whose alerts it routes. */
  public readonly tenant: string;
  /** The AlertmanagerConfig, for escape hatches. */
  public readonly resource: ApiObject;
  /** One ExternalSecret per receiver, by receiver name. */
  public readonly externalSecrets: { [receiver: string]: ExternalSecret };

  constructor(scope: Construct, id: string, props: TenantAlertRoutingProps) {
    super(checkedScope(scope, 'TenantAlertRouting', arguments), id);
    validateDnsLabel(this, 'tenant', props.tenant);
    validateDnsLabel(this, 'environment', props.environment);
    this.tenant = props.tenant;
    const receivers = checkReceivers(this, props.receivers);
    const names = receivers.map(r => r.name);
    const defaultReceiver = props.defaultReceiver ?? names[0];
    checkReceiverName(this, 'defaultReceiver', defaultReceiver, names);
    if (props.pageReceiver !== undefined) { checkReceiverName(this, 'pageReceiver', props.pageReceiver, names); }
    const routes = props.pageReceiver !== undefined && props.pageReceiver !== defaultReceiver ? [
      { receiver: props.pageReceiver, matchers: [{ name: 'severity', value: 'critical', matchType: '=' }], continue: true },
      { receiver: defaultReceiver },
    ] : [];
    const config = new RoutingConfig(this, {
      name: `${props.tenant}-alerts`,
      partOf: props.tenant,
      keyPrefix: `paved/${props.environment}/${props.tenant}/`,
      receivers,
      extraReceivers: [],
      route: { receiver: defaultReceiver, matchers: [{ name: 'namespace', value: props.tenant, matchType: '=' }], routes },
      grouping: props,
      stack: props.stack,
    });
    this.resource = config.resource;
    this.externalSecrets = config.externalSecrets;
  }
}

/** Properties of a {@link PlatformAlertRouting}. */
export interface PlatformAlertRoutingProps extends AlertGrouping {
  /** Name of the environment, for the secret naming contract `paved/<environment>/platform/...`. */
  readonly environment: string;
  /** The platform team's receivers (and the service providers'), at least one. */
  readonly receivers: AlertReceiver[];
  /**
   * Receiver of every platform-wide alert (one without a `tenant` label).
   * @default - the first of `receivers`
   */
  readonly defaultReceiver?: string;
  /**
   * Receiver that also gets platform-wide `severity: critical` alerts.
   * @default - none
   */
  readonly pageReceiver?: string;
  /**
   * Receivers of alert packs by owner (the `owner` label), e.g. `{ dbaas: 'dbaas-slack' }`.
   * @default - alert packs' alerts go to the default receiver
   */
  readonly ownerReceivers?: { [owner: string]: string };
  /**
   * Tenants that route their own alerts (each with a {@link TenantAlertRouting}):
   * their alerts stop at an empty receiver here instead of reaching the
   * platform's receivers too. More are added with {@link addRoutedTenant}.
   * @default - none: every tenant's alerts reach the platform's default receiver
   */
  readonly routedTenants?: string[];
  /**
   * Name of the SecretStore in the stack's namespace that reads `paved/<environment>/platform/*`.
   * @default 'paved'
   */
  readonly secretStoreName?: string;
  /**
   * The monitoring stack: its namespace holds the AlertmanagerConfig.
   * @default new MonitoringStack()
   */
  readonly stack?: MonitoringStack;
}

/** Receiver of tenant alerts in the platform's tree: they were routed by their tenant's AlertmanagerConfig already. */
const TENANT_ALERTS_RECEIVER = 'routed-by-tenant';
/** Characters a tenant name may have besides letters and digits: none of them is special in a regular expression. */
const TENANT = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The platform's alert routing: the AlertmanagerConfig Alertmanager uses
 * as its top-level configuration (set its name as kube-prometheus-stack's
 * `alertmanager.alertmanagerSpec.alertmanagerConfiguration.name`). Its
 * route sends platform-wide alerts (without a `tenant` label: cluster
 * addons, alert packs) to the platform's receivers, alert packs' alerts to
 * their owner's receiver, critical ones to the page receiver too. Alerts of
 * tenants with routing of their own (`routedTenants`), which their
 * AlertmanagerConfigs route first (the Prometheus Operator puts the
 * namespaces' routes before these, each continuing), stop at an empty
 * receiver instead of reaching the platform team; other tenants' alerts go
 * to the platform's default receiver.
 */
export class PlatformAlertRouting extends Construct {
  /** Name of the AlertmanagerConfig, for `alertmanagerConfiguration.name`. */
  public readonly name: string;
  /** The AlertmanagerConfig, for escape hatches. */
  public readonly resource: ApiObject;
  /** One ExternalSecret per receiver, by receiver name. */
  public readonly externalSecrets: { [receiver: string]: ExternalSecret };

  private readonly tenants: string[] = [];

  constructor(scope: Construct, id: string, props: PlatformAlertRoutingProps) {
    super(checkedScope(scope, 'PlatformAlertRouting', arguments), id);
    validateDnsLabel(this, 'environment', props.environment);
    const receivers = checkReceivers(this, props.receivers);
    const names = receivers.map(r => r.name);
    if (names.includes(TENANT_ALERTS_RECEIVER)) {
      throw invalid(this, 'receivers', TENANT_ALERTS_RECEIVER, `receiver names other than "${TENANT_ALERTS_RECEIVER}" (paved's empty receiver for tenant alerts)`);
    }
    const defaultReceiver = props.defaultReceiver ?? names[0];
    checkReceiverName(this, 'defaultReceiver', defaultReceiver, names);
    if (props.routedTenants !== undefined && !Array.isArray(props.routedTenants)) {
      throw invalid(this, 'routedTenants', props.routedTenants, 'a list of tenant names');
    }
    (props.routedTenants ?? []).forEach((tenant, i) => this.routeTenant(`routedTenants[${i}]`, tenant));
    const routes: any[] = [];
    if (props.pageReceiver !== undefined) {
      checkReceiverName(this, 'pageReceiver', props.pageReceiver, names);
      routes.push({ receiver: props.pageReceiver, matchers: [{ name: 'severity', value: 'critical', matchType: '=' }], continue: true });
    }
    for (const [owner, receiver] of Object.entries(props.ownerReceivers ?? {})) {
      if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(owner)) {
        throw invalid(this, 'ownerReceivers key', owner, 'an owner name (a DNS label, as alert packs take it)');
      }
      checkReceiverName(this, `ownerReceivers.${owner}`, receiver, names);
      routes.push({ receiver, matchers: [{ name: 'owner', value: owner, matchType: '=' }] });
    }
    const stack = props.stack ?? new MonitoringStack();
    this.name = 'platform-alerts';
    const secretStoreName = props.secretStoreName ?? Tenant.SECRET_STORE_NAME;
    validateDnsLabel(this, 'secretStoreName', secretStoreName);
    const config = new RoutingConfig(this, {
      name: this.name,
      partOf: stack.namespace,
      keyPrefix: `paved/${props.environment}/platform/`,
      receivers,
      extraReceivers: [{ name: TENANT_ALERTS_RECEIVER }],
      route: { receiver: defaultReceiver, routes: Lazy.any({ produce: () => [...this.tenantRoute(), ...routes] }) },
      grouping: props,
      stack,
      secretStoreName,
    });
    this.resource = config.resource;
    this.externalSecrets = config.externalSecrets;
  }

  /** Tenants whose alerts their own routing sends, in the order added. */
  public get routedTenants(): string[] {
    return [...this.tenants];
  }

  /**
   * Tells the platform's routing that `tenant` routes its own alerts (it has
   * a {@link TenantAlertRouting}): they no longer reach the platform's receivers.
   */
  public addRoutedTenant(tenant: string): void {
    this.routeTenant('tenant', tenant);
  }

  /** The route that stops the routed tenants' alerts, by their exact names (known at synth); none without any. */
  private tenantRoute(): any[] {
    if (this.tenants.length === 0) { return []; }
    return [{ receiver: TENANT_ALERTS_RECEIVER, matchers: [{ name: 'tenant', value: [...this.tenants].sort().join('|'), matchType: '=~' }] }];
  }

  private routeTenant(property: string, tenant: string): void {
    if (typeof tenant !== 'string' || !TENANT.test(tenant) || tenant.length > 63) {
      throw invalid(this, property, tenant, 'a tenant name (a DNS label)');
    }
    if (!this.tenants.includes(tenant)) { this.tenants.push(tenant); }
  }
}

interface RoutingConfigProps {
  readonly name: string;
  readonly partOf: string;
  readonly keyPrefix: string;
  readonly receivers: AlertReceiver[];
  readonly extraReceivers: any[];
  readonly route: any;
  readonly grouping: AlertGrouping;
  readonly stack?: MonitoringStack;
  readonly secretStoreName?: string;
}

/** The AlertmanagerConfig and the ExternalSecrets of its receivers' credentials. */
class RoutingConfig {
  public readonly resource: ApiObject;
  public readonly externalSecrets: { [receiver: string]: ExternalSecret } = {};

  constructor(scope: Construct, props: RoutingConfigProps) {
    const stack = props.stack ?? new MonitoringStack();
    const labels = (name: string, component: string) => ({ ...appLabels({ name, component, partOf: props.partOf }), ...stack.discoveryLabels });
    const bound = props.receivers.map((r, i) => r._bind(scope, `receivers[${i}]`, props.keyPrefix));
    for (const b of bound) {
      this.externalSecrets[b.receiver.name] = new ExternalSecret(scope, `ExternalSecret-${b.receiver.name}`, {
        name: b.secretName,
        labels: labels(b.secretName, 'alerting-secret'),
        secretStoreName: props.secretStoreName,
        data: [{ secretKey: b.data.secretKey, remoteKey: b.data.remoteRef.key, property: b.data.remoteRef.property }],
      });
    }
    const grouping = props.grouping;
    const groupBy = grouping.groupBy ?? ['alertname', 'namespace', 'workload', 'slo'];
    if (!Array.isArray(groupBy) || groupBy.length === 0 || groupBy.some(l => typeof l !== 'string' || !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(l))) {
      throw invalid(scope, 'groupBy', groupBy, 'one or more Prometheus label names');
    }
    this.resource = new ApiObject(scope, 'Resource', {
      apiVersion: 'monitoring.coreos.com/v1alpha1',
      kind: 'AlertmanagerConfig',
      metadata: { name: props.name, labels: labels(props.name, 'alerting'), annotations: syncWaveAnnotation(SyncWave.MONITORING) },
      spec: {
        route: {
          ...props.route,
          groupBy,
          groupWait: duration(scope, 'groupWait', grouping.groupWait ?? Duration.seconds(30)),
          groupInterval: duration(scope, 'groupInterval', grouping.groupInterval ?? Duration.minutes(5)),
          repeatInterval: duration(scope, 'repeatInterval', grouping.repeatInterval ?? Duration.hours(4)),
        },
        receivers: [...bound.map(b => b.receiver), ...props.extraReceivers],
      },
    });
  }
}

function checkReceivers(scope: Construct, receivers: AlertReceiver[]): AlertReceiver[] {
  if (!Array.isArray(receivers) || receivers.length === 0) {
    throw invalid(scope, 'receivers', receivers, 'one or more AlertReceiver (AlertReceiver.slack(...), .pagerDuty(...), ...)');
  }
  const seen = new Set<string>();
  receivers.forEach((receiver, i) => {
    if (!(receiver instanceof AlertReceiver)) {
      throw invalid(scope, `receivers[${i}]`, receiver, 'an AlertReceiver made with AlertReceiver.slack(...), .pagerDuty(...), .webhook(...), .msTeams(...), .opsgenie(...) or .email(...)');
    }
    if (seen.has(receiver.name)) {
      throw invalid(scope, `receivers[${i}].name`, receiver.name, 'a name no other receiver has');
    }
    seen.add(receiver.name);
  });
  return [...receivers];
}

function checkReceiverName(scope: Construct, property: string, name: string, names: string[]): void {
  if (!names.includes(name)) {
    throw invalid(scope, property, name, `one of the receivers: ${names.join(', ')}`);
  }
}
