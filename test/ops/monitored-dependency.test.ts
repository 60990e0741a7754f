import { DependencyKind, MonitoredDependency } from '../../lib/ops';

describe('MonitoredDependency', () => {
  test.each([
    [MonitoredDependency.rds('prod-shop-orders-db'), DependencyKind.RDS, 'aws_rds_cpuutilization_average{dimension_DBInstanceIdentifier="prod-shop-orders-db"}'],
    [MonitoredDependency.elastiCache('prod-shop-cache'), DependencyKind.ELASTICACHE, 'aws_elasticache_database_memory_usage_percentage_average{dimension_CacheClusterId=~"prod-shop-cache-[0-9]+"}'],
    [MonitoredDependency.sqs('prod-shop-events'), DependencyKind.SQS, 'aws_sqs_approximate_age_of_oldest_message_maximum{dimension_QueueName="prod-shop-events"}'],
  ])('%# panels read YACE\'s CloudWatch series by dimension', (dependency, kind, expr) => {
    expect(dependency.kind).toBe(kind);
    const panels = dependency._panels();
    expect(panels).toHaveLength(3);
    expect(JSON.stringify(panels.map((p, i) => p._render(i + 1, 0, 0)))).toContain(JSON.stringify(expr).slice(1, -1));
  });

  test('fails with an identifier that is not a resource name', () => {
    expect(() => MonitoredDependency.rds('${TfToken[TOKEN.1]}')).toThrow('MonitoredDependency rds: identifier: got "${TfToken[TOKEN.1]}"; expected a resource name');
  });
});
