import { ApiObject } from 'cdk8s';
import { KubeConfigMap, KubeNamespace, KubeNetworkPolicy, KubeServiceAccount } from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { kubeDnsEgressRule } from './egress';
import { appLabels } from './labels';
import { SyncWave, syncWaveAnnotation } from './sync-wave';
import { checkedScope } from '../core/api-guard';
import { invalid } from '../core/errors';
import { Naming } from '../core/naming';

/** Properties of a {@link DatabaseAdminNamespace}. */
export interface DatabaseAdminNamespaceProps {
  /**
   * The root certificates the jobs verify the data stores' TLS
   * certificates against (PEM, one or more certificates): for RDS and
   * DocumentDB, the Amazon RDS root certificates of the region.
   */
  readonly caCertificates: string;
}

const COMPONENT = 'database-admin';
const PEM_CERTIFICATE = /^-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+\n-----END CERTIFICATE-----$/;

/**
 * The platform's namespace where each data store's application user is
 * made (`paved-db-admin`, {@link Naming.DATABASE_ADMIN_NAMESPACE}): the one
 * place a data store's master credentials are ever materialized in the
 * cluster. A pod can read any Secret of its own namespace through a
 * `secretKeyRef`, whatever RBAC says, so the master credentials must never
 * be in a tenant's namespace; here only paved's jobs run.
 *
 * Makes the Namespace (Pod Security `restricted` enforced, audited and
 * warned), a default-deny NetworkPolicy for both directions plus DNS (each
 * job opens egress to its one data store), the ServiceAccount the jobs run
 * as (no API token) and the ConfigMap `database-ca` with the root
 * certificates the jobs verify the data stores' certificates against. The
 * tenants' stores and the jobs come with {@link DatabaseUserJob} and the
 * workload layer.
 *
 * Write it into a chart without a namespace: the Namespace is cluster-scoped.
 */
export class DatabaseAdminNamespace extends Construct {
  /** Name of the namespace. */
  public static readonly NAME: string = Naming.DATABASE_ADMIN_NAMESPACE;
  /** The ServiceAccount the jobs run as. */
  public static readonly SERVICE_ACCOUNT: string = 'database-admin';
  /** The ConfigMap with the root certificates. */
  public static readonly CA_CONFIG_MAP: string = 'database-ca';
  /** The key of the certificates in the ConfigMap. */
  public static readonly CA_KEY: string = 'ca.pem';

  /** The Namespace. */
  public readonly namespace: ApiObject;
  /** Denies all ingress and egress of every pod of the namespace. */
  public readonly defaultDenyPolicy: ApiObject;
  /** Admits DNS lookups from every pod. */
  public readonly allowDnsPolicy: ApiObject;
  /** The ServiceAccount of the jobs. */
  public readonly serviceAccount: ApiObject;
  /** The ConfigMap `database-ca`. */
  public readonly caConfigMap: ApiObject;

  constructor(scope: Construct, id: string, props: DatabaseAdminNamespaceProps) {
    super(checkedScope(scope, 'DatabaseAdminNamespace', arguments), id);
    const certificates = props?.caCertificates;
    if (typeof certificates !== 'string' || !certificates.trim().split(/\n(?=-----BEGIN CERTIFICATE-----)/).every(c => PEM_CERTIFICATE.test(c))) {
      throw invalid(this, 'caCertificates', typeof certificates === 'string' ? `${certificates.slice(0, 40)}...` : certificates,
        'one or more PEM certificates ("-----BEGIN CERTIFICATE-----" ... "-----END CERTIFICATE-----")');
    }
    const name = DatabaseAdminNamespace.NAME;
    const metadata = (objectName: string, wave: number) => ({
      name: objectName,
      namespace: name,
      labels: appLabels({ name: objectName, component: COMPONENT, partOf: name }),
      annotations: syncWaveAnnotation(wave),
    });

    this.namespace = new ApiObject(this, 'Resource', KubeNamespace.manifest({
      metadata: {
        name,
        labels: {
          ...appLabels({ name, component: COMPONENT, partOf: name }),
          'pod-security.kubernetes.io/enforce': 'restricted',
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/audit-version': 'latest',
          'pod-security.kubernetes.io/warn': 'restricted',
          'pod-security.kubernetes.io/warn-version': 'latest',
        },
        annotations: {
          ...syncWaveAnnotation(SyncWave.NAMESPACES),
          // The users it made outlive a deleted namespace; the Secrets in it are re-read on the next sync.
          'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false',
        },
      },
    }));
    this.defaultDenyPolicy = new ApiObject(this, 'DefaultDenyNetworkPolicy', KubeNetworkPolicy.manifest({
      metadata: metadata('default-deny', SyncWave.TENANT_BOUNDARIES),
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    }));
    this.allowDnsPolicy = new ApiObject(this, 'AllowDnsNetworkPolicy', KubeNetworkPolicy.manifest({
      metadata: metadata('allow-dns', SyncWave.TENANT_BOUNDARIES),
      spec: { podSelector: {}, policyTypes: ['Egress'], egress: [kubeDnsEgressRule()] },
    }));
    this.serviceAccount = new ApiObject(this, 'ServiceAccount', KubeServiceAccount.manifest({
      metadata: metadata(DatabaseAdminNamespace.SERVICE_ACCOUNT, SyncWave.TENANT_BOUNDARIES),
      // The jobs talk to their data store only, never to the Kubernetes API.
      automountServiceAccountToken: false,
    }));
    this.caConfigMap = new ApiObject(this, 'CaConfigMap', KubeConfigMap.manifest({
      metadata: metadata(DatabaseAdminNamespace.CA_CONFIG_MAP, SyncWave.TENANT_BOUNDARIES),
      data: { [DatabaseAdminNamespace.CA_KEY]: certificates },
    }));
  }
}
