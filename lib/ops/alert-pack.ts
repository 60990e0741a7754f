import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AlertRule, RecordingRule } from './alert-rule';
import { Dashboard } from './dashboard';
import { DashboardConfigMap } from './dashboard-config-map';
import { MonitoringStack } from './monitoring-stack';
import { PrometheusRules } from './prometheus-rules';
import { checkedScope } from '../core/api-guard';
import { Environment } from '../core/environment';
import { invalid } from '../core/errors';
import { Platform } from '../core/platform';
import { validateDnsLabel } from '../core/validation';

/** Properties of an {@link AlertPack}. */
export interface AlertPackProps {
  /**
   * Name of the pack (a DNS label): its PrometheusRule and manifest file.
   * @default - the construct id
   */
  readonly name?: string;
  /** Who owns and answers the pack's alerts (a DNS label, e.g. `dbaas`): the `owner` label of every rule. */
  readonly owner: string;
  /** Names of the platform's environments whose clusters get the pack, at least one. */
  readonly environments: string[];
  /**
   * The monitoring stack: the pack's objects go to its namespace.
   * @default new MonitoringStack()
   */
  readonly stack?: MonitoringStack;
}

/**
 * A service provider's alerting and dashboards (say, the database team's
 * rules for every PostgreSQL), delivered to every cluster of the chosen
 * environments: per environment one manifest,
 * `k8s/<environment>/alert-pack-<name>.k8s.yaml`, with a PrometheusRule and
 * the dashboards' ConfigMaps (folder = owner) in the monitoring stack's
 * namespace. With the GitOps construct the environment's Application
 * `platform-objects` delivers that file to every cluster of the
 * environment, in the monitoring sync wave. Every rule carries the label `owner`,
 * which the platform's alert routing sends to the owner's receiver.
 *
 * Rules are platform-wide: their expressions are parsed but not restricted
 * to a namespace.
 */
export class AlertPack extends Construct {
  /** Name of the pack. */
  public readonly name: string;
  /** Owner of the pack. */
  public readonly owner: string;
  /** Names of the environments the pack is delivered to. */
  public readonly environments: string[];
  /** The chart of each environment, by environment name (one manifest file each). */
  public readonly charts: { [environment: string]: Chart };

  private readonly rules: PrometheusRules[] = [];
  private readonly stack: MonitoringStack;
  private readonly dashboards = new Set<string>();

  constructor(platform: Platform, id: string, props: AlertPackProps) {
    super(checkedScope(platform, 'AlertPack', arguments), id);
    this.name = props.name ?? id;
    validateDnsLabel(this, 'name', this.name, 50);
    validateDnsLabel(this, 'owner', props.owner);
    this.owner = props.owner;
    this.stack = props.stack ?? new MonitoringStack();
    const known = platform.terraform.node.children.filter((c): c is Environment => c instanceof Environment).map(e => e.name);
    if (!Array.isArray(props.environments) || props.environments.length === 0) {
      throw invalid(this, 'environments', props.environments, `one or more environments of the platform (${known.join(', ') || 'none declared yet'})`);
    }
    props.environments.forEach((env, i) => {
      if (!known.includes(env)) {
        throw invalid(this, `environments[${i}]`, env, `an environment of the platform: ${known.join(', ') || 'none declared yet (declare environments first)'}`);
      }
      if (props.environments.indexOf(env) !== i) {
        throw invalid(this, `environments[${i}]`, env, 'each environment listed once');
      }
    });
    this.environments = [...props.environments];
    this.charts = {};
    for (const env of this.environments) {
      // A platform-wide file of the environment (k8s/<env>/*.k8s.yaml), never a tenant's folder.
      const chart = platform.chart([env, `alert-pack-${this.name}`], this.stack.namespace);
      this.charts[env] = chart;
      this.rules.push(new PrometheusRules(chart, 'Rules', {
        name: `alert-pack-${this.name}`,
        ruleLabels: { owner: this.owner },
        stack: this.stack,
      }));
    }
  }

  /** Adds an alert to every environment's rules (group `<name>` unless given). */
  public addAlert(rule: AlertRule, group?: string): void {
    for (const rules of this.rules) { rules.addAlert(rule, group ?? this.name); }
  }

  /** Adds a recording rule to every environment's rules (group `<name>` unless given). */
  public addRecord(rule: RecordingRule, group?: string): void {
    for (const rules of this.rules) { rules.addRecord(rule, group ?? this.name); }
  }

  /**
   * Delivers `dashboard` with the pack, in the owner's Grafana folder.
   * @param id a DNS label naming the dashboard's ConfigMap (`alert-pack-<pack>-<id>`)
   */
  public addDashboard(id: string, dashboard: Dashboard): void {
    validateDnsLabel(this, 'dashboard id', id, 40);
    if (this.dashboards.has(id)) {
      throw invalid(this, 'dashboard id', id, 'an id no other dashboard of the pack has');
    }
    this.dashboards.add(id);
    for (const env of this.environments) {
      new DashboardConfigMap(this.charts[env], `Dashboard-${id}`, {
        name: `alert-pack-${this.name}-${id}`,
        dashboard,
        folder: this.owner,
        stack: this.stack,
      });
    }
  }

  /** Names of the pack's alerts. */
  public get alertNames(): string[] {
    return this.rules[0].alertNames;
  }

  /** The pack's rules as a Prometheus rule file, for promtool. */
  public toRuleFile(): any {
    return this.rules[0].toRuleFile();
  }
}
