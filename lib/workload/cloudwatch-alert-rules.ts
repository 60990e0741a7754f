import { ApiObject, Lazy } from 'cdk8s';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { PlatformMonitoring } from './platform-monitoring';
import { TenantSecretAccess } from './tenant-secret-access';
import { workloadOfResource } from './workload-observability';
import { AlarmTopic } from '../aws/alarm-topic';
import { alarmedResources, AlarmDefinition } from '../aws/cloudwatch-alarms';
import { Cluster } from '../aws/cluster';
import { ICluster } from '../aws/imported-cluster';
import { checkedScope } from '../core/api-guard';
import { Environment } from '../core/environment';
import { invalid } from '../core/errors';
import { appLabels } from '../k8s/labels';
import { SyncWave, syncWaveAnnotation } from '../k8s/sync-wave';
import { RenderedRule } from '../ops/alert-rule';
import { CloudWatchAlertOwner, cloudWatchAlert, cloudWatchAlertKey } from '../ops/cloudwatch-series';

/** Properties of {@link CloudWatchAlertRules}. */
export interface CloudWatchAlertRulesProps {
  /** The environment whose resources' alarms become rules. */
  readonly environment: Environment;
  /** The cluster the rules are for: each alarm is evaluated on one cluster of the environment only. */
  readonly cluster: ICluster;
}

/** Name of the PrometheusRule. */
const NAME = 'cloudwatch-alerts';

/**
 * The CloudWatch alarms of an environment's resources as Prometheus rules
 * on the series of the CloudWatch exporter (YACE), so they reach
 * Alertmanager and its routing like every other alert: a tenant's
 * resources alert to the tenant (labels `namespace`, `tenant` and, for a
 * workload's own resource, `workload`), the platform's (NAT gateways, what
 * the platform team made by hand) to the platform. Same statistic,
 * comparison and threshold as the CloudWatch alarm, firing after as many
 * periods.
 *
 * One PrometheusRule `cloudwatch-alerts` per cluster, in the namespace of
 * the chart (the monitoring stack's: kube-prometheus-stack does not
 * confine its rules to one namespace). Every cluster's exporter reads the
 * same CloudWatch metrics, so each alarm is evaluated on one cluster only:
 * a tenant's on the first cluster it runs on, the platform's on the
 * environment's first cluster. Written at synth, once every resource is
 * declared.
 */
export class CloudWatchAlertRules extends Construct {
  /** The PrometheusRule, for escape hatches. */
  public readonly resource: ApiObject;

  private readonly environment: Environment;
  private readonly cluster: ICluster;

  constructor(scope: Construct, id: string, props: CloudWatchAlertRulesProps) {
    super(checkedScope(scope, 'CloudWatchAlertRules', arguments), id);
    if (!(props?.environment instanceof Environment)) {
      throw invalid(this, 'environment', (props?.environment as any)?.node?.path ?? props?.environment, 'an Environment');
    }
    if (!Cluster.allOf(props.environment).includes(props.cluster)) {
      throw invalid(this, 'cluster', (props.cluster as any)?.node?.path ?? props.cluster, `a cluster of environment ${props.environment.name}`);
    }
    this.environment = props.environment;
    this.cluster = props.cluster;
    const stack = PlatformMonitoring.stackOf(props.environment);
    this.resource = new ApiObject(this, 'Resource', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: {
        name: NAME,
        labels: { ...appLabels({ name: NAME, component: 'monitoring', partOf: 'platform' }), ...stack.discoveryLabels },
        annotations: syncWaveAnnotation(SyncWave.MONITORING),
      },
      spec: { groups: Lazy.any({ produce: () => this.ruleGroups() }) },
    });
  }

  /**
   * The rule groups for this cluster as declared now, as Prometheus rule
   * files spell them (`{ groups: [{ name, rules }] }`), for promtool.
   */
  public toRuleFile(): any {
    return { groups: this.ruleGroups() };
  }

  /** The rule groups for this cluster as declared now. */
  private ruleGroups(): { name: string; rules: RenderedRule[] }[] {
    const env = this.environment;
    const first = Cluster.allOf(env)[0];
    const tenants = new Map(TenantSecretAccess.allOf(env).map(t => [t.name, t]));
    const pages = env.profile.name !== 'dev';
    // Definitions that differ only in their resource (a cache's nodes, NAT gateways) become one rule per owner.
    const buckets = new Map<string, { group: string; owner: CloudWatchAlertOwner; definitions: AlarmDefinition[] }>();
    for (const alarmed of alarmedResources(env)) {
      const tenant = alarmed.topicArns.map(arn => AlarmTopic._tenantOf(env, arn)).find(t => t !== undefined);
      const home = tenant === undefined ? first : (tenants.get(tenant)?.clusters[0] ?? first);
      if (home !== this.cluster) { continue; }
      const workload = tenant !== undefined ? workloadOfResource(env, alarmed.resource) : undefined;
      const group = `cloudwatch-${tenant ?? 'platform'}`;
      for (const definition of alarmed.definitions) {
        const key = JSON.stringify([group, workload, cloudWatchAlertKey(definition)]);
        if (!buckets.has(key)) { buckets.set(key, { group, owner: { tenant, workload, pages }, definitions: [] }); }
        buckets.get(key)!.definitions.push(definition);
      }
    }
    const groups = new Map<string, RenderedRule[]>();
    const seen = new Set<string>();
    for (const { group, owner, definitions } of buckets.values()) {
      let rule = cloudWatchAlert(definitions, owner, value => !Token.isUnresolved(value));
      // Two rules of one name and labels (resources of different sizes) are told apart by their alarms' names.
      const identity = JSON.stringify([group, rule.alert, rule.labels]);
      if (seen.has(identity)) { rule = { ...rule, labels: { ...rule.labels, aws_alarm: definitions.map(d => d.alarmName).join(',') } }; }
      seen.add(identity);
      if (!groups.has(group)) { groups.set(group, []); }
      groups.get(group)!.push(rule);
    }
    return [...groups].map(([name, rules]) => ({ name, rules }));
  }
}
