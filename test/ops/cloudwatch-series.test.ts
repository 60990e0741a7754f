import { AlarmComparison, AlarmDefinition } from '../../lib/aws/cloudwatch-alarms';
import { cloudWatchAlert, cloudWatchAlertKey, yaceMetricName } from '../../lib/ops/cloudwatch-series';
import { analyzePromQl } from '../../lib/ops/promql';

const FREE_STORAGE: AlarmDefinition = {
  id: 'FreeStorageAlarm',
  alarmName: 'prod-shop-orders-db-free-storage',
  resourceName: 'prod-shop-orders-db',
  description: 'RDS instance prod-shop-orders-db: less than 10% free.',
  namespace: 'AWS/RDS',
  metricName: 'FreeStorageSpace',
  dimensions: { DBInstanceIdentifier: 'prod-shop-orders-db' },
  statistic: 'Minimum',
  periodSeconds: 300,
  evaluationPeriods: 2,
  comparison: AlarmComparison.LESS_THAN,
  threshold: 5368709120,
  critical: true,
};

describe('CloudWatch series', () => {
  test.each([
    ['AWS/RDS', 'CPUUtilization', 'Average', 'aws_rds_cpuutilization_average'],
    ['AWS/RDS', 'FreeStorageSpace', 'Minimum', 'aws_rds_free_storage_space_minimum'],
    ['AWS/RDS', 'CPUCreditBalance', 'Minimum', 'aws_rds_cpucredit_balance_minimum'],
    ['AWS/ElastiCache', 'EngineCPUUtilization', 'Average', 'aws_elasticache_engine_cpuutilization_average'],
    ['AWS/ElastiCache', 'DatabaseMemoryUsagePercentage', 'Average', 'aws_elasticache_database_memory_usage_percentage_average'],
    ['AWS/SQS', 'ApproximateAgeOfOldestMessage', 'Maximum', 'aws_sqs_approximate_age_of_oldest_message_maximum'],
    ['AWS/NATGateway', 'ErrorPortAllocation', 'Sum', 'aws_natgateway_error_port_allocation_sum'],
    ['Glue', 'glue.driver.aggregate.bytesRead', 'Sum', 'aws_glue_driver_aggregate_bytes_read_sum'],
  ])('YACE names %s %s %s as %s', (namespace, metric, statistic, name) => {
    expect(yaceMetricName(namespace, metric, statistic)).toBe(name);
  });

  test('an alarm becomes the same condition on the exporter\'s series, for as long as its periods, with its owner\'s labels', () => {
    const rule = cloudWatchAlert([FREE_STORAGE], { tenant: 'shop', workload: 'orders', pages: true }, () => true);
    expect(rule).toEqual({
      alert: 'AwsRdsFreeStorage',
      expr: 'min by (dimension_DBInstanceIdentifier) (aws_rds_free_storage_space_minimum{dimension_DBInstanceIdentifier="prod-shop-orders-db"}) < 5368709120',
      for: '10m',
      labels: { severity: 'critical', namespace: 'shop', tenant: 'shop', workload: 'orders' },
      annotations: {
        summary: 'prod-shop-orders-db: FreeStorageSpace (Minimum) is {{ $value | humanize }}, below 5368709120',
        description: 'RDS instance prod-shop-orders-db: less than 10% free. (CloudWatch alarm prod-shop-orders-db-free-storage)',
      },
    });
    expect(analyzePromQl(rule.expr).error).toBeUndefined();
  });

  test('a profile that never pages gets a ticket; the platform\'s alarms carry no tenant; dimensions known at apply time are grouped by', () => {
    expect(cloudWatchAlert([FREE_STORAGE], { pages: false }, () => true).labels).toEqual({ severity: 'warning' });
    const nat: AlarmDefinition = {
      ...FREE_STORAGE,
      id: 'PortAllocationAlarm2',
      alarmName: 'prod-network-nat-2-port-allocation',
      resourceName: 'prod-network-nat-2',
      description: 'NAT gateway prod-network-nat-2: connections failed.',
      namespace: 'AWS/NATGateway',
      metricName: 'ErrorPortAllocation',
      statistic: 'Sum',
      comparison: AlarmComparison.GREATER_THAN,
      threshold: 0,
      dimensions: { NatGatewayId: '${TfToken[TOKEN.1]}' },
      periodSeconds: 300,
      evaluationPeriods: 1,
    };
    const rule = cloudWatchAlert([nat], { pages: true }, value => !value.includes('TfToken'));
    expect(rule.alert).toBe('AwsNatGatewayPortAllocation');
    expect(rule.expr).toBe('max by (dimension_NatGatewayId) (aws_natgateway_error_port_allocation_sum) > 0');
    expect(rule.for).toBe('5m');
    expect(rule.annotations).toEqual({
      summary: '{{ $labels.dimension_NatGatewayId }}: ErrorPortAllocation (Sum) is {{ $value | humanize }}, above 0',
      description: 'NAT gateway {{ $labels.dimension_NatGatewayId }}: connections failed. (CloudWatch alarm *-port-allocation)',
    });
  });

  test('alarms that differ only in their resource become one rule selecting all of them, named by the series\' labels', () => {
    const other: AlarmDefinition = {
      ...FREE_STORAGE,
      alarmName: 'prod-shop-orders.v2-db-free-storage',
      resourceName: 'prod-shop-orders.v2-db',
      description: 'RDS instance prod-shop-orders.v2-db: less than 10% free.',
      dimensions: { DBInstanceIdentifier: 'prod-shop-orders.v2-db' },
    };
    const rule = cloudWatchAlert([FREE_STORAGE, other], { pages: true }, () => true);
    expect(rule.expr).toBe('min by (dimension_DBInstanceIdentifier) '
      + '(aws_rds_free_storage_space_minimum{dimension_DBInstanceIdentifier=~"prod-shop-orders-db|prod-shop-orders\\\\.v2-db"}) < 5368709120');
    expect(analyzePromQl(rule.expr).error).toBeUndefined();
    expect(rule.annotations).toEqual({
      summary: '{{ $labels.dimension_DBInstanceIdentifier }}: FreeStorageSpace (Minimum) is {{ $value | humanize }}, below 5368709120',
      description: 'RDS instance {{ $labels.dimension_DBInstanceIdentifier }}: less than 10% free. (CloudWatch alarm *-free-storage)',
    });
  });

  test('alarms of one kind share a rule only with the same threshold, statistic and periods', () => {
    const bigger = { ...FREE_STORAGE, alarmName: 'prod-shop-big-db-free-storage', dimensions: { DBInstanceIdentifier: 'prod-shop-big-db' } };
    expect(cloudWatchAlertKey(bigger)).toBe(cloudWatchAlertKey(FREE_STORAGE));
    expect(cloudWatchAlertKey({ ...bigger, threshold: 10737418240 })).not.toBe(cloudWatchAlertKey(FREE_STORAGE));
    expect(cloudWatchAlertKey({ ...bigger, evaluationPeriods: 3 })).not.toBe(cloudWatchAlertKey(FREE_STORAGE));
  });
});
