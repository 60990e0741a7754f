import { createHash } from 'crypto';
import { checkArguments } from './api-guard';

/** Rules of one kind of name: length, separator and allowed characters. */
export interface NameRule {
  /** Longest name the service accepts. */
  readonly maxLength: number;
  /**
   * Shortest name the service accepts.
   * @default 1
   */
  readonly minLength?: number;
  /**
   * Joins the parts.
   * @default '-'
   */
  readonly separator?: string;
  /**
   * Must start with a letter (RDS, ElastiCache).
   * @default false
   */
  readonly startWithLetter?: boolean;
  /**
   * Characters other than lowercase letters and digits that may appear, besides the separator.
   * @default '' (none)
   */
  readonly extraCharacters?: string;
  /**
   * Suffix that must end the name and is never truncated (`.fifo` for SQS FIFO queues).
   * @default '' (none)
   */
  readonly suffix?: string;
}

const HASH_LENGTH = 8;
/** `<env>-<tenant>-secrets`: the suffix survives shortening, so the operator's pattern always matches. */
const TENANT_SECRETS_ROLE = { maxLength: 64, extraCharacters: '_+=,.@', suffix: '-secrets' };
/** `<env>-<tenant>-db-admin`: the suffix survives shortening, so the operator's pattern always matches. */
const DATABASE_ADMIN_ROLE = { maxLength: 64, extraCharacters: '_+=,.@', suffix: '-db-admin' };
/** A database user: what PostgreSQL, MySQL (32 characters) and DocumentDB all accept unquoted. */
const DATABASE_USER: NameRule = { maxLength: 32, separator: '_', startWithLetter: true };

/**
 * Deterministic names from (environment, tenant, workload, resource) that fit
 * each AWS service's limits.
 *
 * A name is the parts joined by a separator. When the join is ambiguous (a
 * part contains the separator or characters the service forbids) or too
 * long, it is shortened and ends with a stable 8-character hash of the parts,
 * so two different inputs never give the same name and the same input always
 * gives the same name.
 */
export class Naming {
  /** RDS DB instance identifier: 63, letters, digits, hyphens, starts with a letter. */
  public static readonly RDS: NameRule = { maxLength: 63, startWithLetter: true };
  /** ElastiCache replication group id: 40, starts with a letter. */
  public static readonly ELASTICACHE: NameRule = { maxLength: 40, startWithLetter: true };
  /** SQS queue name: 80, letters, digits, hyphens and underscores. */
  public static readonly SQS: NameRule = { maxLength: 80, extraCharacters: '_' };
  /** SQS FIFO queue name: 80 including the `.fifo` suffix. */
  public static readonly SQS_FIFO: NameRule = { maxLength: 80, extraCharacters: '_', suffix: '.fifo' };
  /** IAM role name: 64. */
  public static readonly IAM_ROLE: NameRule = { maxLength: 64, extraCharacters: '_+=,.@' };
  /** S3 bucket name: 3-63 lowercase letters, digits, hyphens. */
  public static readonly S3_BUCKET: NameRule = { maxLength: 63, minLength: 3 };
  /** Kubernetes object name that must be a DNS label (Service, Namespace): 63. */
  public static readonly K8S_LABEL: NameRule = { maxLength: 63, startWithLetter: true };
  /** Security group name: 255, but kept short and readable. */
  public static readonly SECURITY_GROUP: NameRule = { maxLength: 255 };
  /** CloudWatch log group / KMS alias component: kept to 200. */
  public static readonly GENERIC: NameRule = { maxLength: 200 };

  /**
   * Namespace of the External Secrets Operator: its role trusts the service
   * account `external-secrets` there (see {@link externalSecretsOperatorRole}).
   */
  public static readonly EXTERNAL_SECRETS_NAMESPACE: string = 'external-secrets';
  /** Service account of the External Secrets Operator's controller. */
  public static readonly EXTERNAL_SECRETS_SERVICE_ACCOUNT: string = 'external-secrets';
  /** Namespace of KEDA: its role trusts the service account `keda-operator` there (see {@link kedaOperatorRole}). */
  public static readonly KEDA_NAMESPACE: string = 'keda';
  /** Service account of KEDA's operator, which runs the scalers. */
  public static readonly KEDA_SERVICE_ACCOUNT: string = 'keda-operator';
  /** Name of the SecretStore in every tenant namespace that ExternalSecrets read through. */
  public static readonly SECRET_STORE: string = 'paved';
  /**
   * The platform's namespace where each data store's application user is
   * made: the only namespace that ever holds a data store's master
   * credentials (never a tenant's). Not a tenant name.
   */
  public static readonly DATABASE_ADMIN_NAMESPACE: string = 'paved-db-admin';
  /** The name the platform team's secrets and secrets role use where a tenant's name would go. */
  public static readonly PLATFORM: string = 'platform';

  /**
   * A name for `parts` under `rule`.
   *
   * @example Naming.name(['prod', 'shop', 'orders', 'db'], Naming.RDS) // 'prod-shop-orders-db'
   */
  public static name(parts: string[], rule: NameRule): string {
    checkArguments('Naming.name', arguments);
    const separator = rule.separator ?? '-';
    const suffix = rule.suffix ?? '';
    const allowed = new RegExp(`[^a-z0-9${escape(separator + (rule.extraCharacters ?? ''))}]`, 'g');
    const cleaned = parts.map(p => p.toLowerCase().replace(allowed, ''));
    const ambiguous = parts.some((p, i) => p.includes(separator) || cleaned[i] !== p || p.length === 0);
    let body = cleaned.filter(p => p.length > 0).join(separator);
    if (rule.startWithLetter && !/^[a-z]/.test(body)) {
      body = `x${separator}${body}`;
    }
    const room = rule.maxLength - suffix.length;
    const minLength = rule.minLength ?? 1;
    if (!ambiguous && body.length <= room && body.length >= minLength) {
      return body + suffix;
    }
    const hash = Naming.hash(parts.join('\u0000'));
    const keep = room - HASH_LENGTH - separator.length;
    let head = body.slice(0, Math.max(0, keep));
    // Never end on the separator (doubled or trailing hyphens are invalid in RDS, S3 and DNS names).
    while (head.endsWith(separator)) { head = head.slice(0, -separator.length); }
    const name = head.length > 0 ? `${head}${separator}${hash}` : hash;
    return (rule.startWithLetter && !/^[a-z]/.test(name) ? `x${name.slice(1)}` : name) + suffix;
  }

  /**
   * A globally unique S3 bucket name: the parts plus a stable hash of account
   * and region, within 63 characters.
   */
  public static bucketName(parts: string[], account: string, region: string): string {
    checkArguments('Naming.bucketName', arguments);
    return Naming.name([...parts, Naming.hash(`${account}/${region}`).slice(0, 6)], Naming.S3_BUCKET);
  }

  /*
   * The binding contract: names both outputs build on their own, the
   * Terraform side when it creates a thing and the Kubernetes side (or a
   * policy of another construct) when it refers to it. Each rule lives here
   * once; a pattern sits next to the name it must match.
   */

  /**
   * The Secrets Manager secret holding the connection details of one
   * resource of one workload: `paved/<env>/<tenant>/<workload>/<resource>`
   * (the tenant's SecretStore reads only `paved/<env>/<tenant>/*`).
   */
  public static connectionSecret(environment: string, tenant: string, workload: string, resource: string): string {
    checkArguments('Naming.connectionSecret', arguments);
    return `${Naming.tenantSecretPrefix(environment, tenant)}${workload}/${resource}`;
  }

  /** What every secret name of a tenant starts with: `paved/<env>/<tenant>/`. */
  public static tenantSecretPrefix(environment: string, tenant: string): string {
    checkArguments('Naming.tenantSecretPrefix', arguments);
    return `paved/${environment}/${tenant}/`;
  }

  /**
   * The Kubernetes Secret (in the tenant namespace) holding the connection
   * details of one resource of a workload: `<workload>-<resource>`, or a
   * shortened name ending in a hash when either part has a dash or the
   * name would exceed 63 characters (`payments-api-db-4743bb95`).
   */
  public static kubernetesSecret(workload: string, resource: string): string {
    checkArguments('Naming.kubernetesSecret', arguments);
    return Naming.name([workload, resource], Naming.K8S_LABEL);
  }

  /**
   * The IAM role the External Secrets Operator assumes for a tenant:
   * `<env>-<tenant>-secrets` (with a hash before `-secrets` when a part
   * has a dash or the name would exceed 64 characters). Always matches
   * {@link tenantSecretsRolePattern}.
   */
  public static tenantSecretsRole(environment: string, tenant: string): string {
    checkArguments('Naming.tenantSecretsRole', arguments);
    return Naming.name([environment, tenant], TENANT_SECRETS_ROLE);
  }

  /**
   * What every secret of the platform team of an environment starts with,
   * `paved/<env>/platform/` (alerting credentials of the platform's
   * receivers): the tenant prefix of the reserved name `platform`.
   */
  public static platformSecretPrefix(environment: string): string {
    return Naming.tenantSecretPrefix(environment, Naming.PLATFORM);
  }

  /**
   * The IAM role the External Secrets Operator assumes for the platform's
   * own secrets (`platformSecretPrefix`) in the monitoring namespace,
   * `<env>-platform-secrets`: within {@link tenantSecretsRolePattern}, so
   * the operator's role may assume it like a tenant's. A tenant named
   * `platform` would take the same role and path, so it is refused where
   * the platform has this role.
   */
  public static platformSecretsRole(environment: string): string {
    return Naming.tenantSecretsRole(environment, Naming.PLATFORM);
  }

  /** The IAM role names the External Secrets Operator of `environment` may assume: `<env>-*-secrets`. */
  public static tenantSecretsRolePattern(environment: string): string {
    checkArguments('Naming.tenantSecretsRolePattern', arguments);
    return `${environment}-*${TENANT_SECRETS_ROLE.suffix}`;
  }

  /**
   * The Secrets Manager secret holding the credentials generated in the
   * cluster for one resource (a database user's password):
   * `<connection secret>/credentials`, inside the tenant's path, so the
   * tenant's SecretStore reads it. Terraform makes it empty; External
   * Secrets writes its value (a PushSecret from the database admin
   * namespace), so the value is never in Terraform.
   */
  public static credentialsSecret(connectionSecret: string): string {
    checkArguments('Naming.credentialsSecret', arguments);
    return `${connectionSecret}/credentials`;
  }

  /**
   * The IAM role the External Secrets Operator assumes for a tenant's
   * store in the database admin namespace: `<env>-<tenant>-db-admin` (with
   * a hash before `-db-admin` when a part has a dash or the name would
   * exceed 64 characters). Always matches {@link databaseAdminRolePattern}.
   */
  public static databaseAdminRole(environment: string, tenant: string): string {
    checkArguments('Naming.databaseAdminRole', arguments);
    return Naming.name([environment, tenant], DATABASE_ADMIN_ROLE);
  }

  /** The database admin role names the External Secrets Operator of `environment` may assume: `<env>-*-db-admin`. */
  public static databaseAdminRolePattern(environment: string): string {
    checkArguments('Naming.databaseAdminRolePattern', arguments);
    return `${environment}-*${DATABASE_ADMIN_ROLE.suffix}`;
  }

  /**
   * The SecretStore of a tenant in the database admin namespace:
   * `tenant-<tenant>` (tenant names are DNS labels of at most 30 characters).
   */
  public static databaseAdminStore(tenant: string): string {
    checkArguments('Naming.databaseAdminStore', arguments);
    return `tenant-${tenant}`;
  }

  /**
   * The database user of one resource of a workload: `<workload>_<resource>`
   * (lowercase letters, digits and `_`, at most 32 characters, starting
   * with a letter; with a hash when a name has a dash or is too long).
   */
  public static databaseUser(workload: string, resource: string): string {
    checkArguments('Naming.databaseUser', arguments);
    return Naming.name([workload, resource], DATABASE_USER);
  }

  /** The External Secrets Operator's IAM role of an environment: `paved-<env>-external-secrets`. */
  public static externalSecretsOperatorRole(environment: string): string {
    checkArguments('Naming.externalSecretsOperatorRole', arguments);
    return `paved-${environment}-external-secrets`;
  }

  /** KEDA's IAM role of an environment: `paved-<env>-keda`. */
  public static kedaOperatorRole(environment: string): string {
    checkArguments('Naming.kedaOperatorRole', arguments);
    return `paved-${environment}-keda`;
  }

  /**
   * What the name of every queue of an environment starts with, `<env>-`:
   * KEDA's role may read the depth of those queues only.
   */
  public static queuePrefix(environment: string): string {
    checkArguments('Naming.queuePrefix', arguments);
    return `${environment}-`;
  }

  /**
   * An IAM role of one EKS cluster: its control plane, its nodes, an EKS
   * add-on's or a GitOps addon's service account, `<cluster>-<purpose>`
   * (shortened with a hash beyond IAM's 64 characters).
   */
  public static clusterRole(clusterName: string, purpose: string): string {
    checkArguments('Naming.clusterRole', arguments);
    const name = `${clusterName}-${purpose}`;
    return name.length <= Naming.IAM_ROLE.maxLength ? name : Naming.name([clusterName, purpose], Naming.IAM_ROLE);
  }

  /** The IAM role of a workload's service account: `<env>-<namespace>-<serviceAccount>`, within 64 characters. */
  public static workloadRole(environment: string, namespace: string, serviceAccount: string): string {
    checkArguments('Naming.workloadRole', arguments);
    return Naming.name([environment, namespace, serviceAccount], Naming.IAM_ROLE);
  }

  /**
   * The physical name of a resource a provisioner makes for a workload,
   * `<env>-<tenant>-<workload>-<resource>` under `rule`: the tenant keeps
   * names unique across teams.
   */
  public static workloadResource(environment: string, tenant: string, workload: string, resource: string, rule: NameRule): string {
    checkArguments('Naming.workloadResource', arguments);
    return Naming.name([environment, tenant, workload, resource], rule);
  }

  /**
   * The SNS topic the CloudWatch alarms of one owner notify:
   * `paved-<env>-<tenant>-alarms`, or `paved-<env>-platform-alarms` for the
   * platform team's (SNS allows 256 characters).
   */
  public static alarmTopic(environment: string, owner: string): string {
    checkArguments('Naming.alarmTopic', arguments);
    return Naming.name(['paved', environment, owner, 'alarms'], { maxLength: 256 });
  }

  /** The full name of a KMS alias of an environment: `alias/paved/<env>/<alias>`. */
  public static keyAlias(environment: string, alias: string): string {
    checkArguments('Naming.keyAlias', arguments);
    return `alias/paved/${environment}/${alias}`;
  }

  /** A stable 8-character hex hash of `input`. */
  public static hash(input: string): string {
    checkArguments('Naming.hash', arguments);
    return createHash('sha256').update(input).digest('hex').slice(0, HASH_LENGTH);
  }
}

function escape(chars: string): string {
  return chars.replace(/[\\\]\-^]/g, m => `\\${m}`);
}
