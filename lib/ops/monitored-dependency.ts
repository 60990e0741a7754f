import { DashboardPanel, PanelUnit } from './dashboard';
import { promString } from './promql';
import { checkArguments } from '../core/api-guard';
import { invalid } from '../core/errors';

/** The kind of a {@link MonitoredDependency}. */
export enum DependencyKind {
  /** An RDS DB instance (PostgreSQL, MySQL). */
  RDS = 'rds',
  /** An ElastiCache replication group (Valkey, Redis OSS). */
  ELASTICACHE = 'elasticache',
  /** An SQS queue. */
  SQS = 'sqs',
}

const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/;

/**
 * A cloud resource a workload uses, shown on its dashboard from CloudWatch
 * metrics as YACE (prometheus-community's yet-another-cloudwatch-exporter)
 * exports them: `aws_<service>_<metric>_<statistic>` with a
 * `dimension_<Name>` label per CloudWatch dimension.
 */
export class MonitoredDependency {
  /** An RDS DB instance by identifier (`dimension_DBInstanceIdentifier`). */
  public static rds(instanceIdentifier: string): MonitoredDependency {
    checkArguments('MonitoredDependency.rds', arguments);
    return new MonitoredDependency(DependencyKind.RDS, instanceIdentifier);
  }

  /** An ElastiCache replication group by id: its member nodes are `<id>-NNN` (`dimension_CacheClusterId`). */
  public static elastiCache(replicationGroupId: string): MonitoredDependency {
    checkArguments('MonitoredDependency.elastiCache', arguments);
    return new MonitoredDependency(DependencyKind.ELASTICACHE, replicationGroupId);
  }

  /** An SQS queue by name (`dimension_QueueName`). */
  public static sqs(queueName: string): MonitoredDependency {
    checkArguments('MonitoredDependency.sqs', arguments);
    return new MonitoredDependency(DependencyKind.SQS, queueName);
  }

  /** Kind of resource. */
  public readonly kind: DependencyKind;
  /** Its identifier, replication group id or queue name. */
  public readonly identifier: string;

  private constructor(kind: DependencyKind, identifier: string) {
    if (typeof identifier !== 'string' || !IDENTIFIER.test(identifier)) {
      throw invalid(`MonitoredDependency ${kind}`, 'identifier', identifier, 'a resource name of 1-80 letters, digits, ".", "_" and "-" (a literal: dashboards cannot resolve Terraform references)');
    }
    this.kind = kind;
    this.identifier = identifier;
  }

  /**
   * The dashboard panels of this dependency.
   * @internal
   */
  public _panels(): DashboardPanel[] {
    const id = promString(this.identifier);
    const panel = (title: string, expr: string, unit: PanelUnit, legend?: string) =>
      DashboardPanel.timeSeries({ title, queries: [{ expr, legend }], unit, width: 8, height: 7 });
    switch (this.kind) {
      case DependencyKind.RDS: {
        const sel = `{dimension_DBInstanceIdentifier=${id}}`;
        return [
          panel(`${this.identifier}: CPU`, `max(aws_rds_cpuutilization_average${sel})`, PanelUnit.PERCENT, 'CPU'),
          panel(`${this.identifier}: connections`, `max(aws_rds_database_connections_average${sel})`, PanelUnit.SHORT, 'connections'),
          panel(`${this.identifier}: free storage`, `min(aws_rds_free_storage_space_average${sel})`, PanelUnit.BYTES, 'free'),
        ];
      }
      case DependencyKind.ELASTICACHE: {
        const sel = `{dimension_CacheClusterId=~${promString(`${this.identifier}-[0-9]+`)}}`;
        return [
          panel(`${this.identifier}: engine CPU`, `max by (dimension_CacheClusterId) (aws_elasticache_engine_cpuutilization_average${sel})`, PanelUnit.PERCENT, '{{dimension_CacheClusterId}}'),
          panel(`${this.identifier}: memory used`, `max by (dimension_CacheClusterId) (aws_elasticache_database_memory_usage_percentage_average${sel})`, PanelUnit.PERCENT, '{{dimension_CacheClusterId}}'),
          panel(`${this.identifier}: evictions`, `sum(aws_elasticache_evictions_sum${sel})`, PanelUnit.SHORT, 'evictions'),
        ];
      }
      default: {
        const sel = `{dimension_QueueName=${id}}`;
        return [
          panel(`${this.identifier}: visible messages`, `max(aws_sqs_approximate_number_of_messages_visible_average${sel})`, PanelUnit.SHORT, 'visible'),
          panel(`${this.identifier}: oldest message`, `max(aws_sqs_approximate_age_of_oldest_message_maximum${sel})`, PanelUnit.SECONDS, 'age'),
          panel(`${this.identifier}: received`, `sum(aws_sqs_number_of_messages_received_sum${sel})`, PanelUnit.SHORT, 'received'),
        ];
      }
    }
  }
}
