/**
 * Consistency of the monitoring objects of one environment's output with
 * the objects they watch, the way the Prometheus Operator, Prometheus,
 * Grafana and External Secrets will read them: each check returns its
 * problems, one line each (empty when consistent), for a test to expect [].
 *
 * - scrapeProblems: every ServiceMonitor selects a Service with a port of
 *   the endpoint's name whose pods exist; every PodMonitor selects pods with
 *   a container port of that name.
 * - ruleProblems / dashboardQueryProblems: every expression parses, and its
 *   matchers that name a workload's objects (pod, job, HPA, app labels,
 *   workload...) select a workload of the namespace, the one the rule or
 *   dashboard belongs to; a rule's namespace/tenant/workload labels name
 *   what exists.
 * - receiverSecretProblems: every Secret an AlertmanagerConfig receiver
 *   reads is produced by an ExternalSecret of its namespace whose store's
 *   IAM role (Terraform) may read the remote key.
 */
import { dashboardProblems } from './grafana-dashboard';
import { analyzePromQl, Matcher, matcherSelects, Selector } from '../../lib/ops/promql';

/** A Kubernetes object as parsed from YAML. */
export type K8sObject = any;

/** What runs pods in a namespace, and the names its objects and pods take. */
export interface WorkloadObjects {
  readonly namespace: string;
  readonly name: string;
  readonly kind: string;
  readonly podLabels: { [key: string]: string };
  readonly containers: any[];
  /** Names the pods take, e.g. `orders-7c9d8f6b5d-x2k9p` for a Deployment. */
  readonly podNames: string[];
  readonly jobNames: string[];
  readonly hpaNames: string[];
  readonly scaledObjects: string[];
}

const POD_OWNERS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'];

function podTemplate(o: K8sObject): any {
  return o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template : o.spec.template;
}

/** The pod-running objects of `objects`, with their HPAs (KEDA's `keda-hpa-<name>` too). */
export function workloadsOf(objects: K8sObject[]): WorkloadObjects[] {
  const inNamespace = (kind: string, ns: string) => objects.filter(o => o.kind === kind && o.metadata.namespace === ns);
  return objects.filter(o => POD_OWNERS.includes(o.kind)).map(o => {
    const { name, namespace } = o.metadata;
    const template = podTemplate(o);
    const podNames = {
      Deployment: [`${name}-7c9d8f6b5d-x2k9p`],
      StatefulSet: [`${name}-0`],
      DaemonSet: [`${name}-x2k9p`],
      Job: [`${name}-x2k9p`],
      CronJob: [`${name}-29012345-x2k9p`],
    }[o.kind as string]!;
    const targets = (kind: string) => inNamespace(kind, namespace).filter(t => t.spec.scaleTargetRef?.name === name).map(t => t.metadata.name);
    const scaledObjects = targets('ScaledObject');
    return {
      namespace,
      name,
      kind: o.kind,
      podLabels: template.metadata?.labels ?? {},
      containers: template.spec.containers,
      podNames,
      jobNames: o.kind === 'CronJob' ? [`${name}-29012345`] : o.kind === 'Job' ? [name] : [],
      hpaNames: [...targets('HorizontalPodAutoscaler'), ...scaledObjects.map(s => `keda-hpa-${s}`)],
      scaledObjects,
    };
  });
}

function selects(matchLabels: { [key: string]: string } | undefined, labels: { [key: string]: string } | undefined): boolean {
  const entries = Object.entries(matchLabels ?? {});
  return entries.length > 0 && entries.every(([k, v]) => labels?.[k] === v);
}

function monitorNamespaces(monitor: K8sObject): string[] {
  return monitor.spec.namespaceSelector?.matchNames ?? [monitor.metadata.namespace];
}

/** Every ServiceMonitor and PodMonitor selects existing pods with a port of the endpoint's name. */
export function scrapeProblems(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  const workloads = workloadsOf(objects);
  for (const monitor of objects.filter(o => o.kind === 'ServiceMonitor' || o.kind === 'PodMonitor')) {
    const at = `${monitor.kind} ${monitor.metadata.namespace}/${monitor.metadata.name}`;
    if (monitor.spec.selector?.matchExpressions !== undefined) { problems.push(`${at}: matchExpressions are not checked`); }
    const namespaces = monitorNamespaces(monitor);
    const pods = (ns: string, labels: any) => workloads.filter(w => w.namespace === ns && selects(labels, w.podLabels));
    if (monitor.kind === 'PodMonitor') {
      const selected = namespaces.flatMap(ns => pods(ns, monitor.spec.selector?.matchLabels));
      if (selected.length === 0) { problems.push(`${at}: selects no pods`); }
      for (const endpoint of monitor.spec.podMetricsEndpoints ?? []) {
        for (const w of selected) {
          const ports = w.containers.flatMap((c: any) => c.ports ?? []).map((p: any) => p.name);
          if (!ports.includes(endpoint.port)) { problems.push(`${at}: pods of ${w.kind} ${w.name} have no port named ${endpoint.port}`); }
        }
      }
      continue;
    }
    const services = objects.filter(o => o.kind === 'Service' && namespaces.includes(o.metadata.namespace)
      && selects(monitor.spec.selector?.matchLabels, o.metadata.labels));
    if (services.length === 0) { problems.push(`${at}: selects no Service`); }
    for (const service of services) {
      const selected = pods(service.metadata.namespace, service.spec.selector);
      if (selected.length === 0) { problems.push(`${at}: Service ${service.metadata.name} selects no pods`); }
      for (const endpoint of monitor.spec.endpoints ?? []) {
        const port = (service.spec.ports ?? []).find((p: any) => p.name === endpoint.port);
        if (!port) {
          problems.push(`${at}: Service ${service.metadata.name} has no port named ${endpoint.port}`);
          continue;
        }
        for (const w of selected) {
          const target = port.targetPort ?? port.port;
          const found = w.containers.flatMap((c: any) => c.ports ?? [])
            .some((p: any) => p.name === target || String(p.containerPort) === String(target));
          if (!found) { problems.push(`${at}: port ${endpoint.port} targets ${target}, which pods of ${w.kind} ${w.name} do not have`); }
        }
      }
    }
  }
  return problems;
}

/** How a series label names a workload's objects: the names it may take, per workload. */
const WORKLOAD_LABELS: { [label: string]: (w: WorkloadObjects) => string[] } = {
  app_kubernetes_io_name: w => [w.podLabels['app.kubernetes.io/name']].filter(v => v !== undefined),
  app_kubernetes_io_instance: w => [w.podLabels['app.kubernetes.io/instance']].filter(v => v !== undefined),
  workload: w => [w.name],
  pod: w => w.podNames,
  container: w => w.containers.map((c: any) => c.name),
  deployment: w => (w.kind === 'Deployment' ? [w.name] : []),
  statefulset: w => (w.kind === 'StatefulSet' ? [w.name] : []),
  daemonset: w => (w.kind === 'DaemonSet' ? [w.name] : []),
  cronjob: w => (w.kind === 'CronJob' ? [w.name] : []),
  job_name: w => w.jobNames,
  horizontalpodautoscaler: w => w.hpaNames,
  scaledObject: w => w.scaledObjects,
};
const NAMESPACE_LABELS = ['namespace', 'exported_namespace'];

/** The workloads of `namespace` every workload-naming matcher of `selector` selects (undefined: it names none). */
function selectedWorkloads(selector: Selector, namespace: string, workloads: WorkloadObjects[]): WorkloadObjects[] | undefined {
  const naming = selector.matchers.filter(m => WORKLOAD_LABELS[m.label] !== undefined && !(m.op === '!=' && m.value === ''));
  if (naming.length === 0) { return undefined; }
  const anyValue = (m: Matcher, values: string[]) => values.some(v => matcherSelects(m, v));
  return workloads.filter(w => w.namespace === namespace && naming.every(m => anyValue(m, WORKLOAD_LABELS[m.label](w))));
}

/**
 * Problems of one expression in `namespace` (a tenant's), owned by
 * `workload` if given: it parses; namespace matchers select the namespace;
 * selectors naming workload objects select exactly the owner (or, without
 * one, some workload of the namespace).
 */
export function expressionProblems(at: string, expr: string, namespace: string, workloads: WorkloadObjects[], workload?: string): string[] {
  const analysis = analyzePromQl(expr);
  if (analysis.error !== undefined) { return [`${at}: ${analysis.error}`]; }
  const problems: string[] = [];
  for (const selector of analysis.selectors) {
    for (const m of selector.matchers.filter(x => NAMESPACE_LABELS.includes(x.label))) {
      if (!matcherSelects(m, namespace)) { problems.push(`${at}: ${selector.text} does not select namespace ${namespace}`); }
    }
    const selected = selectedWorkloads(selector, namespace, workloads);
    if (selected === undefined) { continue; }
    const names = selected.map(w => w.name);
    if (names.length === 0) {
      problems.push(`${at}: ${selector.text} selects no workload of namespace ${namespace}`);
    } else if (workload !== undefined && (names.length !== 1 || names[0] !== workload)) {
      problems.push(`${at}: ${selector.text} selects ${names.join(', ')}, not only ${workload}`);
    }
  }
  return problems;
}

/**
 * Every rule of every PrometheusRule in a namespace of `tenants`: its
 * expression (see expressionProblems), and its labels: namespace and
 * tenant are the rule's namespace, workload a workload there. Rules
 * elsewhere (the platform's, alert packs) only have to parse, and their
 * namespace/workload labels name what exists.
 */
export function ruleProblems(objects: K8sObject[], tenants: string[]): string[] {
  const problems: string[] = [];
  const workloads = workloadsOf(objects);
  for (const object of objects.filter(o => o.kind === 'PrometheusRule')) {
    const ns = object.metadata.namespace;
    for (const group of object.spec.groups) {
      for (const rule of group.rules) {
        const at = `PrometheusRule ${ns}/${object.metadata.name} ${group.name}/${rule.alert ?? rule.record}`;
        const labels = rule.labels ?? {};
        const owner = tenants.includes(ns) ? ns : labels.namespace;
        if (labels.namespace !== undefined && !tenants.includes(labels.namespace)) { problems.push(`${at}: namespace label ${labels.namespace} is no tenant's`); }
        if (tenants.includes(ns) && labels.namespace !== undefined && labels.namespace !== ns) { problems.push(`${at}: namespace label ${labels.namespace} in namespace ${ns}`); }
        if (labels.tenant !== undefined && labels.tenant !== owner) { problems.push(`${at}: tenant label ${labels.tenant} for namespace ${owner}`); }
        if (labels.workload !== undefined && !workloads.some(w => w.namespace === owner && w.name === labels.workload)) {
          problems.push(`${at}: workload label ${labels.workload} names no workload of namespace ${owner}`);
        }
        if (tenants.includes(ns)) {
          problems.push(...expressionProblems(at, rule.expr, ns, workloads, labels.workload));
        } else {
          const error = analyzePromQl(rule.expr).error;
          if (error !== undefined) { problems.push(`${at}: ${error}`); }
        }
      }
    }
  }
  return problems;
}

/** Grafana's interval variables, replaced by a duration so that a query parses as Prometheus will receive it. */
function withIntervals(expr: string): string {
  return expr.replace(/\$__(rate_interval|interval|range)|\$\{__(rate_interval|interval|range)\}/g, '5m');
}

/**
 * Every dashboard ConfigMap (label grafana_dashboard): valid for Grafana's
 * provisioning, every data source a Prometheus data source variable, every
 * query parsing; in a tenant's namespace, queries naming workload objects
 * select its workloads (the dashboard's own, label paved.dev/workload).
 */
export function dashboardQueryProblems(objects: K8sObject[], tenants: string[]): string[] {
  const problems: string[] = [];
  const workloads = workloadsOf(objects);
  for (const cm of objects.filter(o => o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard !== undefined)) {
    const ns = cm.metadata.namespace;
    for (const [file, json] of Object.entries<string>(cm.data ?? {})) {
      const at = `dashboard ${ns}/${cm.metadata.name} ${file}`;
      let dashboard: any;
      try {
        dashboard = JSON.parse(json);
      } catch (e) {
        problems.push(`${at}: not JSON (${(e as Error).message})`);
        continue;
      }
      problems.push(...dashboardProblems(dashboard).map(p => `${at}: ${p}`));
      const sources = (dashboard.templating?.list ?? []).filter((v: any) => v.type === 'datasource');
      for (const v of sources) {
        if (v.query !== 'prometheus') { problems.push(`${at}: data source variable ${v.name} is of type ${v.query}, not prometheus`); }
      }
      for (const panel of dashboard.panels ?? []) {
        for (const target of panel.targets ?? []) {
          if (target.datasource?.type !== undefined && target.datasource.type !== 'prometheus') {
            problems.push(`${at}: panel ${panel.id} queries a ${target.datasource.type} data source`);
          }
          const where = `${at} panel ${panel.id} ${target.refId}`;
          if (typeof target.expr !== 'string') {
            problems.push(`${where}: no expr`);
          } else if (tenants.includes(ns)) {
            // AWS series (the CloudWatch exporter's) carry no namespace; they are the workload's by their dimensions.
            problems.push(...expressionProblems(where, withIntervals(target.expr), ns, workloads, cm.metadata.labels['paved.dev/workload']));
          } else {
            const error = analyzePromQl(withIntervals(target.expr)).error;
            if (error !== undefined) { problems.push(`${where}: ${error}`); }
          }
        }
      }
    }
  }
  return problems;
}

/** Whether IAM resource pattern `pattern` (with `*` and `?`) matches `arn`. */
function iamMatches(pattern: string, arn: string): boolean {
  const regex = pattern.split('').map(c => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${regex}$`).test(arn);
}

/** `{ name, key }` objects (SecretKeySelector) anywhere under `value`. */
function secretKeySelectors(value: any): { name: string; key: string }[] {
  if (Array.isArray(value)) { return value.flatMap(secretKeySelectors); }
  if (value === null || typeof value !== 'object') { return []; }
  const keys = Object.keys(value).sort();
  if (keys.length === 2 && keys[0] === 'key' && keys[1] === 'name' && typeof value.name === 'string' && typeof value.key === 'string') {
    return [{ name: value.name, key: value.key }];
  }
  return Object.values(value).flatMap(secretKeySelectors);
}

/**
 * Every Secret an AlertmanagerConfig's receivers read: an ExternalSecret of
 * its namespace makes it, with that key, through a SecretStore of the
 * namespace whose IAM role (an aws_iam_role of `terraform`, the
 * environment's stacks) has a policy allowing secretsmanager:GetSecretValue
 * on the remote key's secret.
 */
export function receiverSecretProblems(objects: K8sObject[], terraform: any[]): string[] {
  const problems: string[] = [];
  const roles = terraform.flatMap(stack => Object.entries<any>(stack.resource?.aws_iam_role ?? {}));
  const policies = terraform.flatMap(stack => Object.values<any>(stack.resource?.aws_iam_role_policy ?? {}));
  for (const config of objects.filter(o => o.kind === 'AlertmanagerConfig')) {
    const ns = config.metadata.namespace;
    for (const ref of secretKeySelectors(config.spec.receivers)) {
      const at = `AlertmanagerConfig ${ns}/${config.metadata.name}: Secret ${ref.name} key ${ref.key}`;
      const es = objects.find(o => o.kind === 'ExternalSecret' && o.metadata.namespace === ns && o.spec.target?.name === ref.name);
      if (!es) {
        problems.push(`${at}: no ExternalSecret makes it`);
        continue;
      }
      const item = (es.spec.data ?? []).find((d: any) => d.secretKey === ref.key);
      if (!item) {
        problems.push(`${at}: ExternalSecret ${es.metadata.name} has no key ${ref.key}`);
        continue;
      }
      const store = objects.find(o => o.kind === es.spec.secretStoreRef?.kind && o.metadata.namespace === ns
        && o.metadata.name === es.spec.secretStoreRef?.name);
      const aws = store?.spec.provider?.aws;
      if (!aws?.role) {
        problems.push(`${at}: SecretStore ${es.spec.secretStoreRef?.name} of namespace ${ns} does not exist or assumes no role`);
        continue;
      }
      const [, , , , account, resource] = (aws.role as string).split(':');
      const roleName = resource.split('/').pop();
      const role = roles.find(([, r]) => r.name === roleName);
      if (!role) {
        problems.push(`${at}: role ${roleName} is not in Terraform`);
        continue;
      }
      // Secrets Manager appends 6 random characters to a secret's ARN.
      const arn = `arn:aws:secretsmanager:${aws.region}:${account}:secret:${item.remoteRef.key}-AbC123`;
      const readable = policies.filter(p => p.role === `\${aws_iam_role.${role[0]}.name}` || p.role === roleName)
        .flatMap(p => JSON.parse(p.policy).Statement as any[])
        .filter(s => s.Effect === 'Allow' && [s.Action].flat().includes('secretsmanager:GetSecretValue'))
        .some(s => [s.Resource].flat().some((pattern: string) => iamMatches(pattern, arn)));
      if (!readable) { problems.push(`${at}: role ${roleName} may not read ${item.remoteRef.key}`); }
    }
  }
  return problems;
}

/** The names CloudWatch gives the resources of `terraform`, by the dimension that carries them. */
function awsResourceNames(terraform: any[]): { [dimension: string]: string[] } {
  const of = (type: string) => terraform.flatMap(stack => Object.values<any>(stack.resource?.[type] ?? {}));
  return {
    DBInstanceIdentifier: of('aws_db_instance').map(db => db.identifier),
    // A replication group's nodes are <group>-001, -002, ...
    CacheClusterId: of('aws_elasticache_replication_group').flatMap(g => Array.from({ length: Number(g.num_cache_clusters ?? 1) },
      (_, i) => `${g.replication_group_id}-${String(i + 1).padStart(3, '0')}`)),
    QueueName: of('aws_sqs_queue').map(q => q.name),
  };
}

/**
 * Every matcher on a CloudWatch exporter dimension (dimension_DBInstanceIdentifier,
 * dimension_CacheClusterId, dimension_QueueName) in a rule or dashboard
 * query selects a resource Terraform makes; a regular expression of
 * alternatives, each of them.
 */
export function cloudWatchDimensionProblems(objects: K8sObject[], terraform: any[]): string[] {
  const names = awsResourceNames(terraform);
  const expressions: { at: string; expr: string }[] = [];
  for (const o of objects.filter(x => x.kind === 'PrometheusRule')) {
    for (const g of o.spec.groups) {
      for (const r of g.rules) { expressions.push({ at: `PrometheusRule ${o.metadata.namespace}/${o.metadata.name} ${g.name}/${r.alert ?? r.record}`, expr: r.expr }); }
    }
  }
  for (const cm of objects.filter(o => o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard !== undefined)) {
    for (const json of Object.values<string>(cm.data ?? {})) {
      for (const panel of JSON.parse(json).panels ?? []) {
        for (const t of panel.targets ?? []) { expressions.push({ at: `dashboard ${cm.metadata.namespace}/${cm.metadata.name} panel ${panel.id}`, expr: withIntervals(t.expr) }); }
      }
    }
  }
  const problems: string[] = [];
  for (const { at, expr } of expressions) {
    for (const selector of analyzePromQl(expr).selectors) {
      for (const m of selector.matchers) {
        const dimension = /^dimension_(.+)$/.exec(m.label)?.[1];
        const known = dimension !== undefined ? names[dimension] : undefined;
        if (known === undefined || m.op === '!=' || m.op === '!~') { continue; }
        if (!known.some(name => matcherSelects(m, name))) { problems.push(`${at}: ${m.label}${m.op}"${m.value}" selects no resource Terraform makes`); }
        const alternatives = m.op === '=~' && !/[*+?()[\]{}^$]/.test(m.value.replace(/\\\./g, '')) ? m.value.split('|').map(a => a.replace(/\\\./g, '.')) : [];
        for (const alternative of alternatives.filter(a => !known.includes(a))) { problems.push(`${at}: ${m.label} names ${alternative}, which Terraform does not make`); }
      }
    }
  }
  return problems;
}
