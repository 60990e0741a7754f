import { ApiObject, Chart } from 'cdk8s';
import { KubeServiceAccount } from 'cdk8s-plus-28/lib/imports/k8s';
import { CredentialsSecret } from './credentials-secret';
import { DatabaseAdminAccess, MasterSecretTag } from './database-admin-access';
import { ProvisionContext } from './provisioner';
import { ICluster } from '../aws/imported-cluster';
import { rdsRootCertificates } from '../aws/rds-certificates';
import { Environment } from '../core/environment';
import { LookupKey } from '../core/lookup';
import { Naming } from '../core/naming';
import { Platform } from '../core/platform';
import { DatabaseAdminNamespace } from '../k8s/database-admin-namespace';
import { DatabaseUserJob, JobEgress, JobSecretEnv } from '../k8s/database-user-job';
import { ExternalSecret } from '../k8s/external-secret';
import { GeneratedPassword } from '../k8s/generated-password';
import { appLabels } from '../k8s/labels';
import { PushSecret } from '../k8s/push-secret';
import { SecretsManagerStore } from '../k8s/secrets-manager-store';
import { SyncWave, syncWaveAnnotation } from '../k8s/sync-wave';

/*
 * How paved gives each data store an application user of its own, without
 * the user's password ever being in Terraform or git and without the
 * master credentials ever being in a tenant's namespace (see the README,
 * "Database users"):
 *
 *   Terraform (tenant stack)                        database admin namespace (one cluster)
 *   ────────────────────────                        ──────────────────────────────────────
 *   <env>-<tenant>-db-admin role ───assumed by ESO── SecretStore tenant-<tenant>
 *     reads the master secret (by tag) ──────────── ExternalSecret <base>-admin: host, master user and password
 *     writes <connection secret>/credentials ◄───── PushSecret <base> (wave 1) ◄── Secret <base>-password
 *   CredentialsSecret (no value) ◄─────────────────                                  ▲ Password generator (CreatedOnce)
 *                                                   Job <base> (Sync hook, wave 0): CREATE/ALTER the user with that password
 *   tenant namespace: ExternalSecret <workload>-<resource> reads the credentials secret (password) and the connection secret.
 */

/** How the application user authenticates. */
export enum DatabaseAuthentication {
  /** A password generated in the cluster. */
  PASSWORD = 'password',
  /** An IAM authentication token the workload signs with its identity: no password exists. */
  IAM = 'iam',
}

/** What a data store's client needs to create its application user. @internal */
export interface DatabaseUserSpec {
  /** The engine as people write it, for labels and errors (`PostgreSQL`). */
  readonly engine: string;
  /** The client image, pinned by digest. */
  readonly image: string;
  /** The idempotent shell script that creates or updates the user. */
  readonly script: string;
  /** Plain variables of the script. */
  readonly env: { [name: string]: string };
  /** The data store's port. */
  readonly port: number;
  /** How the master secret is found; undefined: the job needs none (it calls the AWS API with `serviceAccount`'s identity). */
  readonly masterSecret?: MasterSecretTag;
  /** The master secret's KMS key. */
  readonly masterSecretKeyArn?: string;
  /** How the user authenticates. */
  readonly authentication: DatabaseAuthentication;
  /** A ServiceAccount of the job's own (made with the job), for an AWS identity; undefined: the namespace's, without one. */
  readonly serviceAccount?: string;
  /** Where the job connects; undefined: the data store's port in the VPC. */
  readonly egress?: JobEgress[];
}

/** The Kubernetes side of the database users of an environment, per file, and the cluster each goes to. @internal */
export interface DatabaseAdminFile {
  readonly chart: Chart;
  /** File name in the admin folder. */
  readonly name: string;
  /** The clusters it is delivered to; undefined: every cluster that has a user file. */
  readonly cluster?: ICluster;
  /** The tenant, for the tenants' store files and user files. */
  readonly tenant?: string;
}

/** The variables the scripts read, besides the engine's own. */
export const DATABASE_USER_ENV = {
  /** The data store's host name (from the connection secret). */
  host: 'DB_HOST',
  /** The master user. */
  adminUser: 'ADMIN_USER',
  /** The master password. */
  adminPassword: 'ADMIN_PASSWORD',
  /** The application user's password (password authentication only). */
  appPassword: 'APP_PASSWORD',
} as const;

const FILES = new LookupKey<DatabaseAdminFile>('database-admin-files');
const COMPONENT = 'database-admin';
const SINGLETON_FILES = new LookupKey<Chart>('database-admin-singleton-files');
/** Base names of the objects of one user, with room for the suffixes `-admin` and `-password`. */
const BASE_NAME = { maxLength: 48, startWithLetter: true };

/**
 * Sets up the application user of the data store `context` provisions: its
 * credentials secret (password authentication), the tenant's database
 * admin role's access to it, and the admin namespace's objects that create
 * the user, delivered to the workload's first cluster.
 * @returns the name of the credentials secret, or undefined with IAM authentication
 * @internal
 */
export function provisionDatabaseUser(context: ProvisionContext, spec: DatabaseUserSpec): string | undefined {
  const env = context.environment;
  const tenant = context.tenant;
  const withPassword = spec.authentication === DatabaseAuthentication.PASSWORD;
  const credentialsSecret = withPassword ? Naming.credentialsSecret(context.secretName) : undefined;
  if (credentialsSecret !== undefined) {
    new CredentialsSecret(context.scope, 'Credentials', { secretName: credentialsSecret });
  }
  const access = DatabaseAdminAccess.of(env, tenant);
  access._allow({
    masterSecret: spec.masterSecret,
    masterSecretKeyArn: spec.masterSecretKeyArn,
    connectionSecret: context.secretName,
    credentialsSecret,
  });

  namespaceFile(env);
  const storeName = Naming.databaseAdminStore(tenant);
  singletonFile(env, `store-${tenant}`, tenant, chart => new SecretsManagerStore(chart, 'SecretStore', {
    name: storeName,
    region: env.region,
    roleArn: access.roleArn,
    partOf: tenant,
  }));

  const base = databaseUserBaseName(context);
  const chart = adminChart(env, `user-${base}`);
  const secretEnv: { [name: string]: JobSecretEnv } = {};
  if (spec.masterSecret !== undefined) {
    const adminSecret = `${base}-admin`;
    new ExternalSecret(chart, 'AdminSecret', {
      name: adminSecret,
      secretStoreName: storeName,
      refreshInterval: '15m',
      labels: appLabels({ name: adminSecret, component: COMPONENT, partOf: tenant }),
      data: [{ secretKey: 'host', remoteKey: context.secretName, property: 'host' }],
      find: [{ tags: { [spec.masterSecret.key]: spec.masterSecret.value }, properties: { username: 'username', password: 'password' } }],
    });
    secretEnv[DATABASE_USER_ENV.host] = { secretName: adminSecret, key: 'host' };
    secretEnv[DATABASE_USER_ENV.adminUser] = { secretName: adminSecret, key: 'username' };
    secretEnv[DATABASE_USER_ENV.adminPassword] = { secretName: adminSecret, key: 'password' };
  }
  if (spec.serviceAccount !== undefined) {
    new ApiObject(chart, 'ServiceAccount', KubeServiceAccount.manifest({
      metadata: {
        name: spec.serviceAccount,
        labels: appLabels({ name: spec.serviceAccount, component: COMPONENT, partOf: tenant }),
        annotations: syncWaveAnnotation(SyncWave.TENANT_BOUNDARIES),
      },
      // EKS Pod Identity injects its own token; the job never calls the Kubernetes API.
      automountServiceAccountToken: false,
    }));
  }
  if (credentialsSecret !== undefined) {
    const password = new GeneratedPassword(chart, 'Password', { name: `${base}-password`, partOf: tenant });
    secretEnv[DATABASE_USER_ENV.appPassword] = { secretName: password.secretName, key: GeneratedPassword.KEY };
    // After the job (wave 0): the workload never gets a password its data store does not know yet.
    new PushSecret(chart, 'PushSecret', {
      name: base,
      secretName: password.secretName,
      secretStoreName: storeName,
      partOf: tenant,
      data: [{ secretKey: GeneratedPassword.KEY, remoteKey: credentialsSecret, property: 'password' }],
    });
  }
  new DatabaseUserJob(chart, 'Job', {
    name: base,
    image: spec.image,
    script: spec.script,
    env: spec.env,
    secretEnv,
    egress: spec.egress ?? [{ cidr: context.network.vpcCidr, port: spec.port }],
    partOf: tenant,
    serviceAccountName: spec.serviceAccount,
  });
  addFile(env, { chart, name: `user-${base}`, cluster: context.cluster, tenant });
  return credentialsSecret;
}

/**
 * The base name of the database admin objects of the data store `context`
 * provisions (the job, its NetworkPolicy and ServiceAccount, the PushSecret):
 * `<tenant>-<workload>-<resource>`, within 48 characters.
 * @internal
 */
export function databaseUserBaseName(context: ProvisionContext): string {
  return Naming.name([context.tenant, context.workload, context.resourceName], BASE_NAME);
}

/**
 * The files of the database admin folder of `env` (`k8s/<env>/paved-db-admin/`), each with where it goes.
 * @internal
 */
export function databaseAdminFiles(env: Environment): DatabaseAdminFile[] {
  return env._lookup.entries(FILES);
}

/** `k8s/<env>/paved-db-admin/namespace.k8s.yaml`, made once per environment. */
function namespaceFile(env: Environment): void {
  env._lookup.singleton(SINGLETON_FILES, 'namespace', () => {
    // The Namespace is cluster-scoped: the chart has no namespace, the namespaced objects name theirs.
    const chart = Platform.of(env).chart([env.name, Naming.DATABASE_ADMIN_NAMESPACE, 'namespace']);
    new DatabaseAdminNamespace(chart, 'Namespace', { caCertificates: rdsRootCertificates(env.region) });
    addFile(env, { chart, name: 'namespace' });
    return chart;
  });
}

function singletonFile(env: Environment, name: string, tenant: string, build: (chart: Chart) => void): void {
  env._lookup.singleton(SINGLETON_FILES, name, () => {
    const chart = adminChart(env, name);
    build(chart);
    addFile(env, { chart, name, tenant });
    return chart;
  });
}

function adminChart(env: Environment, name: string): Chart {
  return Platform.of(env).chart([env.name, Naming.DATABASE_ADMIN_NAMESPACE, name], Naming.DATABASE_ADMIN_NAMESPACE);
}

function addFile(env: Environment, file: DatabaseAdminFile): void {
  env._lookup.set(FILES, file.name, file);
}
