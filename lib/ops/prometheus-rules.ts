import { ApiObject, Chart, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { AlertRule, RecordingRule, RenderOptions, RenderedRule, RuleScope, renderAlert, renderRecord } from './alert-rule';
import { MonitoringStack } from './monitoring-stack';
import { checkedScope } from '../core/api-guard';
import { invalid } from '../core/errors';
import { validateDnsLabel } from '../core/validation';
import { appLabels, validateDnsSubdomain } from '../k8s/labels';
import { SyncWave, syncWaveAnnotation } from '../k8s/sync-wave';

/** Properties of {@link PrometheusRules}. */
export interface PrometheusRulesProps {
  /**
   * Name of the PrometheusRule object (a DNS subdomain).
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Tenant (namespace) the rules belong to. Every selector of every
   * expression must then read this namespace's series only (a `namespace`
   * or exported-namespace matcher; CloudWatch `aws_*` series an AWS
   * dimension matcher), and every rule gets the labels `namespace` and
   * `tenant`, which the tenant's alert routing matches on.
   * @default - platform-wide rules: no namespace restriction, no tenant labels
   */
  readonly tenant?: string;
  /**
   * Labels added to every rule, e.g. `{ owner: 'dbaas' }` (`[a-zA-Z_][a-zA-Z0-9_]*` names).
   * @default - none
   */
  readonly ruleLabels?: { [key: string]: string };
  /**
   * The monitoring stack: discovery labels and runbook base URL.
   * @default new MonitoringStack()
   */
  readonly stack?: MonitoringStack;
  /**
   * Turn `CRITICAL` alerts into `WARNING` ones (a profile that never pages).
   * @default false
   */
  readonly ticketsOnly?: boolean;
}

interface Group {
  readonly name: string;
  readonly rules: RenderedRule[];
}

const GROUP_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;
const PROM_LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * A PrometheusRule (monitoring.coreos.com/v1): groups of alerting and
 * recording rules, each expression parsed as PromQL when it is added.
 *
 * Rules are added with {@link addAlert} and {@link addRecord} into named
 * groups (Prometheus evaluates a group's rules in order, so a recording
 * rule is usable by the alerts after it). The object is written at synth
 * with every group added by then.
 */
export class PrometheusRules extends Construct {
  /** Name of the PrometheusRule. */
  public readonly name: string;
  /** Tenant the rules are restricted to; undefined for platform-wide rules. */
  public readonly tenant?: string;
  /** The PrometheusRule object, for escape hatches. */
  public readonly resource: ApiObject;

  private readonly groups: Group[] = [];
  private readonly renderOptions: RenderOptions;
  private identity: { [label: string]: string } = {};
  private readonly stack: MonitoringStack;

  constructor(scope: Construct, id: string, props: PrometheusRulesProps = {}) {
    super(checkedScope(scope, 'PrometheusRules', arguments), id);
    this.stack = props.stack ?? new MonitoringStack();
    this.name = props.name ?? id;
    validateDnsSubdomain(this, 'name', this.name);
    if (props.tenant !== undefined) { validateDnsLabel(this, 'tenant', props.tenant); }
    this.tenant = props.tenant;
    const ruleLabels = { ...props.ruleLabels };
    for (const [key, value] of Object.entries(ruleLabels)) {
      if (!PROM_LABEL.test(key) || typeof value !== 'string') {
        throw invalid(this, `ruleLabels.${key}`, value, 'a string under a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*)');
      }
    }
    this.renderOptions = {
      labels: { ...ruleLabels, ...(this.tenant ? { namespace: this.tenant, tenant: this.tenant } : {}) },
      runbookBaseUrl: this.stack.runbookBaseUrl,
      downgradeCritical: props.ticketsOnly ?? false,
    };
    const partOf = this.tenant ?? Chart.of(this).namespace;
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: {
        name: this.name,
        labels: { ...appLabels({ name: this.name, component: 'monitoring', partOf }), ...this.stack.discoveryLabels },
        annotations: syncWaveAnnotation(SyncWave.MONITORING),
      },
      spec: { groups: Lazy.any({ produce: () => this.groups.map(g => ({ name: g.name, rules: g.rules })) }) },
    });
  }

  /**
   * Adds an alerting rule to `group` (created on first use, in order).
   * Fails when the expression is not valid PromQL or, for a tenant's rules,
   * reads another namespace.
   * @param group rule group name
   * @default group - the PrometheusRule's name
   */
  public addAlert(rule: AlertRule, group?: string): void {
    this.group(group ?? this.name).rules.push(renderAlert(this, rule, this.options()));
  }

  /**
   * Adds a recording rule to `group` (created on first use, in order).
   * @param group rule group name
   * @default group - the PrometheusRule's name
   */
  public addRecord(rule: RecordingRule, group?: string): void {
    this.group(group ?? this.name).rules.push(renderRecord(this, rule, this.options()));
  }

  /** Names of the alerts, in the order added. */
  public get alertNames(): string[] {
    return this.groups.flatMap(g => g.rules.filter(r => r.alert !== undefined).map(r => r.alert!));
  }

  /** Names of the rule groups, in order. */
  public get groupNames(): string[] {
    return this.groups.map(g => g.name);
  }

  /**
   * The groups as Prometheus rule files spell them (`{ groups: [...] }`), for `promtool`.
   */
  public toRuleFile(): any {
    return { groups: this.groups.map(g => ({ name: g.name, rules: g.rules.map(r => ({ ...r })) })) };
  }

  /**
   * Labels whose matchers must select the given values in every expression
   * added from now on (a workload's identity), on top of the tenant's namespace.
   * @internal
   */
  public _requireIdentity(identity: { [label: string]: string }): void {
    this.identity = { ...identity };
  }

  /**
   * Adds a rule rendered by paved itself (SLO and golden-signal rules),
   * which already carries its labels.
   * @internal
   */
  public _addRendered(group: string, rule: RenderedRule): void {
    this.group(group).rules.push(rule);
  }

  /** @internal */
  public get _renderOptions(): RenderOptions {
    return this.options();
  }

  private options(): RenderOptions {
    const scope: RuleScope | undefined = this.tenant === undefined ? undefined : {
      namespace: this.tenant,
      namespaceLabels: ['namespace', this.stack.exportedNamespaceLabel],
      identity: this.identity,
    };
    return { ...this.renderOptions, scope };
  }

  private group(name: string): Group {
    if (typeof name !== 'string' || !GROUP_NAME.test(name)) {
      throw invalid(this, 'group', name, 'a group name of letters, digits, ".", "_", ":" and "-"');
    }
    let group = this.groups.find(g => g.name === name);
    if (!group) {
      group = { name, rules: [] };
      this.groups.push(group);
    }
    return group;
  }
}
