import { WorkloadKind } from '../../lib/ops';
import { podPattern } from '../../lib/ops/golden-signals';

describe('golden signals', () => {
  test.each([
    [WorkloadKind.WEB, 'orders-7d9f8c6b5-x2x4k', 'orders-api-7d9f8c6b5-x2x4k'],
    [WorkloadKind.WORKER, 'orders-5c7d8-abcde', 'orders-7d9f8c6b5'],
    [WorkloadKind.CRON_JOB, 'orders-28000000-abcde', 'orders-x-abcde'],
    [WorkloadKind.JOB, 'orders-abcde', 'orders-api-abcde'],
  ])('%s pods are matched by name, other workloads\' are not', (kind, own, other) => {
    const pattern = new RegExp(`^(?:${podPattern(kind, 'orders')})$`);
    expect(pattern.test(own)).toBe(true);
    expect(pattern.test(other)).toBe(false);
  });
});
