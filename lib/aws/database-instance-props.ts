import { AlarmOptions } from './cloudwatch-alarms';
import { INetwork } from './network';
import { Size } from '../core/size';

/** What every paved RDS instance (Postgres, Mysql) accepts. */
export interface DatabaseInstanceProps {
  /** The network whose isolated subnets the database is placed in (at least two, in different AZs). */
  readonly network: INetwork;
  /**
   * Instance class, storage and maximum storage (`size.database`).
   * @default Size.M — db.t4g.medium, 50 GiB growing up to 200 GiB
   */
  readonly size?: Size;
  /**
   * Security groups allowed to connect on the engine's port (5432 for
   * PostgreSQL, 3306 for MySQL), typically the cluster's node security
   * group. More can be added with `allowFrom()`.
   * @default [] - no client can reach the database until one is allowed
   */
  readonly allowFrom?: string[];
  /**
   * The RDS instance identifier (also names the subnet, parameter and
   * security groups): 1-63 lowercase letters, digits and hyphens, starting
   * with a letter, no `--`, not ending with `-`; unique across engines in
   * the environment. Changing it replaces the database.
   * @default - `<env>-<construct path below the environment>`, shortened with a hash beyond 63 characters
   */
  readonly identifier?: string;
  /**
   * Keep a synchronous standby in another availability zone.
   * @default - the environment profile's `multiAz` (DEV false, PROD true)
   */
  readonly multiAz?: boolean;
  /**
   * Days automated backups are kept (1-35).
   * @default - the environment profile's `backupRetentionDays` (DEV 1, STAGING 7, PROD 30)
   */
  readonly backupRetentionDays?: number;
  /**
   * Turn on RDS deletion protection; also takes a final snapshot and keeps
   * automated backups when the instance is deleted.
   * @default - the environment profile's `deletionProtection` (DEV false, STAGING and PROD true)
   */
  readonly deletionProtection?: boolean;
  /**
   * Set Terraform's `lifecycle.prevent_destroy` on the instance and its key.
   * Requires `deletionProtection`.
   * @default - the environment profile's `preventDestroy` (DEV and STAGING false, PROD true)
   */
  readonly preventDestroy?: boolean;
  /**
   * CloudWatch alarms on CPU, free storage, connections and (burstable
   * classes) CPU credits, thresholds from the size, and the SNS topic they
   * notify.
   * @default - every alarm, notifying the environment's platform topic (`AlarmTopic.forPlatform(env)`); a workload's database notifies its tenant's
   */
  readonly alarms?: AlarmOptions;
}
