import { contains, formatCidr, hasHostBits, isPrivate, overlaps, parseCidr, sizeOf, subdivide } from '../../lib/aws/cidr';

const cidr = (text: string) => {
  const parsed = parseCidr(text);
  if (!parsed) { throw new Error(`test CIDR ${text} does not parse`); }
  return parsed;
};

describe('cidr', () => {
  test('parses and formats a block unchanged', () => {
    // GIVEN
    const blocks = ['10.20.0.0/16', '0.0.0.0/0', '255.255.255.255/32', '192.168.7.16/28'];
    // WHEN
    const formatted = blocks.map(b => formatCidr(cidr(b)));
    // THEN
    expect(formatted).toEqual(blocks);
    expect(cidr('10.20.0.0/16')).toEqual({ address: 10 * 2 ** 24 + 20 * 2 ** 16, prefix: 16 });
  });

  test.each([
    ['10.0.0/16'], ['10.0.0.0'], ['10.0.0.256/16'], ['10.0.0.0/33'], ['010.0.0.0/16'], ['10.0.0.0/016'],
    [' 10.0.0.0/16'], ['10.0.0.0/16 '], ['a.b.c.d/16'], [''], ['10.0.0.0/-1'],
  ])('does not parse %j', (text) => {
    // WHEN
    const parsed = parseCidr(text);
    // THEN
    expect(parsed).toBeUndefined();
  });

  test('does not parse a value that is not a string', () => {
    // WHEN
    const parsed = parseCidr(42 as any);
    // THEN
    expect(parsed).toBeUndefined();
  });

  test('counts addresses without 32-bit overflow', () => {
    // THEN
    expect(sizeOf(cidr('0.0.0.0/0'))).toBe(2 ** 32);
    expect(sizeOf(cidr('10.0.0.0/16'))).toBe(65536);
    expect(sizeOf(cidr('10.0.0.1/32'))).toBe(1);
  });

  test('finds host bits below the prefix', () => {
    // THEN
    expect(hasHostBits(cidr('10.20.1.0/16'))).toBe(true);
    expect(hasHostBits(cidr('10.20.0.1/24'))).toBe(true);
    expect(hasHostBits(cidr('10.20.0.0/16'))).toBe(false);
    expect(hasHostBits(cidr('255.255.255.255/32'))).toBe(false);
  });

  test('tells containment and overlap apart', () => {
    // GIVEN
    const vpc = cidr('10.20.0.0/16');
    // THEN
    expect(contains(vpc, cidr('10.20.128.0/19'))).toBe(true);
    expect(contains(vpc, vpc)).toBe(true);
    expect(contains(cidr('10.20.0.0/17'), vpc)).toBe(false);
    expect(contains(vpc, cidr('10.21.0.0/24'))).toBe(false);
    expect(overlaps(vpc, cidr('10.0.0.0/8'))).toBe(true);
    expect(overlaps(cidr('10.0.0.0/8'), vpc)).toBe(true);
    expect(overlaps(vpc, cidr('10.20.255.0/24'))).toBe(true);
    expect(overlaps(vpc, cidr('10.21.0.0/16'))).toBe(false);
    expect(overlaps(vpc, cidr('10.19.255.0/24'))).toBe(false);
  });

  test('accepts only blocks inside the RFC 1918 ranges as private', () => {
    // THEN
    expect(isPrivate(cidr('10.255.0.0/16'))).toBe(true);
    expect(isPrivate(cidr('172.31.0.0/16'))).toBe(true);
    expect(isPrivate(cidr('192.168.10.0/24'))).toBe(true);
    expect(isPrivate(cidr('172.32.0.0/16'))).toBe(false);
    expect(isPrivate(cidr('192.169.0.0/16'))).toBe(false);
    expect(isPrivate(cidr('8.8.0.0/16'))).toBe(false);
    // straddles 10.0.0.0/8 and the public space above it
    expect(isPrivate(cidr('10.0.0.0/7'))).toBe(false);
  });

  test('subdivides a block into consecutive blocks', () => {
    // GIVEN
    const vpc = cidr('10.20.0.0/16');
    // WHEN
    const quarters = [0, 1, 2, 3].map(i => formatCidr(subdivide(vpc, 18, i)));
    // THEN
    expect(quarters).toEqual(['10.20.0.0/18', '10.20.64.0/18', '10.20.128.0/18', '10.20.192.0/18']);
    expect(formatCidr(subdivide(vpc, 16, 0))).toBe('10.20.0.0/16');
    expect(formatCidr(subdivide(cidr('0.0.0.0/0'), 1, 1))).toBe('128.0.0.0/1');
  });

  test('fails when a subdivision does not fit the parent', () => {
    // GIVEN
    const vpc = cidr('10.20.0.0/16');
    // THEN
    expect(() => subdivide(vpc, 18, 4)).toThrow('block 4 of /18 does not fit in 10.20.0.0/16');
    expect(() => subdivide(vpc, 15, 0)).toThrow('block 0 of /15 does not fit in 10.20.0.0/16');
    expect(() => subdivide(vpc, 18, -1)).toThrow('does not fit');
  });
});
