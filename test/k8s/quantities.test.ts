import { Size } from '../../lib/core';
import { mebibytes, millicores, normalizeQuantity, parseQuantity, resourceRequirements } from '../../lib/k8s/quantities';

describe('quantities', () => {
  test('writes millicores and mebibytes', () => {
    expect(millicores(250)).toBe('250m');
    expect(mebibytes(512)).toBe('512Mi');
  });

  test('requests and limits every resource of a size', () => {
    const r = resourceRequirements(Size.XL.app);
    const values = (m: any) => Object.fromEntries(Object.entries(m).map(([k, q]: [string, any]) => [k, q.value]));
    expect(values(r.requests)).toEqual({ 'cpu': '1000m', 'memory': '1024Mi', 'ephemeral-storage': '512Mi' });
    expect(values(r.limits)).toEqual({ 'cpu': '4000m', 'memory': '2048Mi', 'ephemeral-storage': '2048Mi' });
  });
});

describe('parseQuantity', () => {
  test('reads plain, decimal-SI, binary-SI and exponent quantities', () => {
    expect(parseQuantity('2')).toBe(2);
    expect(parseQuantity('0.5')).toBe(0.5);
    expect(parseQuantity('.5')).toBe(0.5);
    expect(parseQuantity('250m')).toBe(0.25);
    expect(parseQuantity('128M')).toBe(128e6);
    expect(parseQuantity('1k')).toBe(1000);
    expect(parseQuantity('1Ki')).toBe(1024);
    expect(parseQuantity('256Mi')).toBe(256 * 2 ** 20);
    expect(parseQuantity('1Gi')).toBe(2 ** 30);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity('1E-3')).toBe(0.001);
  });

  test('reads Score\'s upper-case K as kilo', () => {
    expect(parseQuantity('125K')).toBe(125000);
    expect(normalizeQuantity('125K')).toBe('125k');
    expect(normalizeQuantity('125Ki')).toBe('125Ki');
  });

  test('rejects what is not a quantity', () => {
    for (const value of ['', '-1', '1 Gi', '1GB', 'Mi', '1..2', '1mi', 1 as any]) {
      expect(parseQuantity(value)).toBeUndefined();
    }
  });
});
