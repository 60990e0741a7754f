import { Naming } from '../../lib';

describe('Naming', () => {
  test('joins short, unambiguous parts with dashes', () => {
    // WHEN
    const name = Naming.name(['prod', 'shop', 'orders', 'db'], Naming.RDS);
    // THEN
    expect(name).toBe('prod-shop-orders-db');
  });

  test('truncates long names to the service limit with a stable hash suffix', () => {
    // GIVEN
    const parts = ['prod', 'a'.repeat(30), 'b'.repeat(30), 'db'];
    // WHEN
    const first = Naming.name(parts, Naming.ELASTICACHE);
    const second = Naming.name(parts, Naming.ELASTICACHE);
    // THEN
    expect(first).toHaveLength(40);
    expect(first).toMatch(/^prod-a+-[0-9a-f]{8}$/);
    expect(second).toBe(first);
  });

  test('two inputs that share a truncated prefix stay distinct', () => {
    // WHEN
    const a = Naming.name(['prod', 'x'.repeat(70), 'one'], Naming.RDS);
    const b = Naming.name(['prod', 'x'.repeat(70), 'two'], Naming.RDS);
    // THEN
    expect(a).toHaveLength(63);
    expect(b).toHaveLength(63);
    expect(a).not.toBe(b);
  });

  test('parts that contain the separator get a hash, so joins never collide', () => {
    // WHEN
    const a = Naming.name(['a-b', 'c'], Naming.SQS);
    const b = Naming.name(['a', 'b-c'], Naming.SQS);
    // THEN
    expect(a).not.toBe(b);
    expect(a).toMatch(/^a-b-c-[0-9a-f]{8}$/);
  });

  test('never ends the kept prefix on a dash before the hash', () => {
    // GIVEN a prefix whose cut falls right after a dash
    const parts = ['p', 'q'.repeat(44), 'r'.repeat(20)];
    // WHEN
    const name = Naming.name(parts, Naming.RDS);
    // THEN
    expect(name).not.toMatch(/--/);
    expect(name.length).toBeLessThanOrEqual(63);
  });

  test('names that must start with a letter get one', () => {
    // WHEN
    const name = Naming.name(['1st', 'db'], Naming.RDS);
    // THEN
    expect(name).toMatch(/^[a-z]/);
  });

  test('FIFO queue names keep their .fifo suffix within 80 characters', () => {
    // WHEN
    const name = Naming.name(['prod', 'shop', 'o'.repeat(90)], Naming.SQS_FIFO);
    // THEN
    expect(name.endsWith('.fifo')).toBe(true);
    expect(name.length).toBeLessThanOrEqual(80);
  });

  test('uppercase and forbidden characters are removed, and the change is hashed', () => {
    // WHEN
    const name = Naming.name(['Prod', 'shop_orders'], Naming.S3_BUCKET);
    // THEN
    expect(name).toMatch(/^prod-shoporders-[0-9a-f]{8}$/);
  });

  test('bucket names carry a hash of account and region', () => {
    // WHEN
    const a = Naming.bucketName(['prod', 'shop', 'assets'], '123456789012', 'eu-central-1');
    const b = Naming.bucketName(['prod', 'shop', 'assets'], '123456789012', 'us-east-1');
    // THEN
    expect(a).toMatch(/^prod-shop-assets-[0-9a-f]{6}$/);
    expect(a).not.toBe(b);
  });

  test('bucket names stay within 63 characters', () => {
    // WHEN
    const name = Naming.bucketName(['production', 'a-very-long-tenant-name', 'an-even-longer-workload-name', 'uploads'], '123456789012', 'eu-central-1');
    // THEN
    expect(name.length).toBeLessThanOrEqual(63);
    expect(name).toMatch(/^[a-z0-9][a-z0-9-]*[a-z0-9]$/);
  });

  test('hash is 8 hex characters and stable', () => {
    expect(Naming.hash('x')).toBe(Naming.hash('x'));
    expect(Naming.hash('x')).toMatch(/^[0-9a-f]{8}$/);
  });
});
