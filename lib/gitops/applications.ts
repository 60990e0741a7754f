import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { tenantAppProjectSpec } from '../k8s/app-project';
import { syncWaveAnnotation } from '../k8s/sync-wave';

/** The API server of the cluster Argo CD runs in: every Application of a cluster deploys there. */
export const IN_CLUSTER = 'https://kubernetes.default.svc';
/** Namespace of Argo CD and its Applications. */
export const ARGOCD_NAMESPACE = 'argocd';
/** Retries of a failed sync: 10 times, waiting 10 s, then twice as long each time, at most 5 minutes. */
const RETRY = { limit: 10, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } };
/** Deletes an Application's objects with it (tenant workloads; never addons, whose CRDs hold everyone's objects). */
const CASCADE = 'resources-finalizer.argocd.argoproj.io';
/** Replicas belong to the autoscaler (an HPA, or KEDA's): a sync never resets them. */
const SCALED_REPLICAS = [
  { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
  { group: 'apps', kind: 'StatefulSet', jsonPointers: ['/spec/replicas'] },
];

/** One source of an Application. @internal */
export interface ApplicationSource {
  readonly repoURL: string;
  readonly targetRevision: string;
  readonly path?: string;
  readonly chart?: string;
  readonly helm?: { readonly releaseName: string; readonly valuesObject: any };
  readonly directory?: { readonly include?: string; readonly exclude?: string; readonly recurse?: boolean };
}

/** What differs between paved's Applications. @internal */
export interface ApplicationOptions {
  readonly name: string;
  readonly project: string;
  readonly wave: number;
  readonly component: string;
  readonly sources: ApplicationSource[];
  readonly namespace: string;
  readonly syncOptions: string[];
  /** Delete the Application's objects with it. */
  readonly cascade?: boolean;
  readonly ignoreScaledReplicas?: boolean;
  /** Labels Argo CD puts on the namespace it creates. */
  readonly namespaceLabels?: { [key: string]: string };
}

/**
 * An Argo CD Application: automated sync with pruning and self-heal,
 * retries with backoff, in its sync wave.
 * @internal
 */
export function application(scope: Construct, id: string, options: ApplicationOptions): ApiObject {
  const [first, ...more] = options.sources;
  return new ApiObject(scope, id, {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: options.name,
      namespace: ARGOCD_NAMESPACE,
      labels: { 'app.kubernetes.io/managed-by': 'paved', 'app.kubernetes.io/component': options.component },
      annotations: syncWaveAnnotation(options.wave),
      ...(options.cascade ? { finalizers: [CASCADE] } : {}),
    },
    spec: {
      project: options.project,
      ...(more.length === 0 ? { source: first } : { sources: options.sources }),
      destination: { server: IN_CLUSTER, namespace: options.namespace },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: options.syncOptions,
        ...(options.namespaceLabels ? { managedNamespaceMetadata: { labels: options.namespaceLabels } } : {}),
        retry: RETRY,
      },
      ...(options.ignoreScaledReplicas ? { ignoreDifferences: SCALED_REPLICAS.map(d => ({ ...d, jsonPointers: [...d.jsonPointers] })) } : {}),
      revisionHistoryLimit: 10,
    },
  });
}

/**
 * A tenant's AppProject on one cluster: its Applications deploy only the
 * platform repository, only into the tenant's namespace of this cluster.
 * @internal
 */
export function tenantProject(scope: Construct, id: string, tenant: string, repoUrl: string, wave: number): ApiObject {
  return new ApiObject(scope, id, {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: {
      name: tenantProjectName(tenant),
      namespace: ARGOCD_NAMESPACE,
      labels: { 'app.kubernetes.io/managed-by': 'paved', 'app.kubernetes.io/part-of': tenant },
      annotations: syncWaveAnnotation(wave),
    },
    spec: tenantAppProjectSpec(tenant, [repoUrl], [{ server: IN_CLUSTER, namespace: tenant }]),
  });
}

/** @internal */
export function tenantProjectName(tenant: string): string {
  return `tenant-${tenant}`;
}

/**
 * The Pod Security labels of a namespace, enforced, audited and warned at the latest version.
 * @internal
 */
export function podSecurityLabels(level: string): { [key: string]: string } {
  return {
    'pod-security.kubernetes.io/enforce': level,
    'pod-security.kubernetes.io/enforce-version': 'latest',
    'pod-security.kubernetes.io/audit': level,
    'pod-security.kubernetes.io/audit-version': 'latest',
    'pod-security.kubernetes.io/warn': level,
    'pod-security.kubernetes.io/warn-version': 'latest',
  };
}
