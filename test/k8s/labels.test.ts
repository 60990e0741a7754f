import {
  appLabels, isDnsSubdomain, isLabelValue, isQualifiedName, selectorLabels,
  validateDns1035Label, validateDnsSubdomain, validateLabels,
} from '../../lib/k8s/labels';

describe('labels', () => {
  test('appLabels gives the recommended labels, version and part-of only when known', () => {
    expect(appLabels({ name: 'orders', component: 'web', version: '1.4.2', partOf: 'shop' })).toEqual({
      'app.kubernetes.io/name': 'orders',
      'app.kubernetes.io/instance': 'orders',
      'app.kubernetes.io/component': 'web',
      'app.kubernetes.io/version': '1.4.2',
      'app.kubernetes.io/part-of': 'shop',
      'app.kubernetes.io/managed-by': 'paved',
    });
    expect(Object.keys(appLabels({ name: 'orders', component: 'worker' })))
      .toEqual(['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/component', 'app.kubernetes.io/managed-by']);
  });

  test('appLabels leaves out a version that is not a label value (a tag may end in "-" or be 128 long)', () => {
    expect(appLabels({ name: 'orders', component: 'web', version: '1.0-' })).not.toHaveProperty(['app.kubernetes.io/version']);
    expect(appLabels({ name: 'orders', component: 'web', version: 'a'.repeat(64) })).not.toHaveProperty(['app.kubernetes.io/version']);
  });

  test('selectorLabels holds only name and instance', () => {
    expect(selectorLabels('orders')).toEqual({ 'app.kubernetes.io/name': 'orders', 'app.kubernetes.io/instance': 'orders' });
  });

  test('recognises label values, qualified names and DNS subdomains', () => {
    expect(['', 'a', 'A.b_c-1', 'x'.repeat(63)].every(isLabelValue)).toBe(true);
    expect(['-a', 'a-', 'a b', 'x'.repeat(64)].some(isLabelValue)).toBe(false);
    expect(['app', 'app.kubernetes.io/name', 'example.com/A_b'].every(isQualifiedName)).toBe(true);
    expect(['', '/a', 'Example.com/a', 'a/', 'a b', `${'x'.repeat(64)}`].some(isQualifiedName)).toBe(false);
    expect(['a', 'a.b-c.d', 'x'.repeat(63)].every(v => isDnsSubdomain(v))).toBe(true);
    expect(['', 'A', 'a..b', 'a_b', '-a', `${'x'.repeat(64)}`].some(v => isDnsSubdomain(v))).toBe(false);
  });

  test('fails when a name is not a DNS-1035 label', () => {
    expect(() => validateDns1035Label('X', 'name', '9a')).toThrow('X: name: got "9a"; expected a DNS-1035 label');
    expect(() => validateDns1035Label('X', 'name', 'a'.repeat(64))).toThrow('X: name: got');
    expect(() => validateDns1035Label('X', 'name', 'a-9')).not.toThrow();
  });

  test('fails when a name is not a DNS subdomain', () => {
    expect(() => validateDnsSubdomain('X', 'secretName', 'a_b')).toThrow('X: secretName: got "a_b"; expected a DNS-1123 subdomain');
  });

  test('fails when a label key or value is malformed', () => {
    expect(() => validateLabels('X', 'podLabels', { 'a b': 'c' })).toThrow('X: podLabels key: got "a b"; expected a label key');
    expect(() => validateLabels('X', 'podLabels', { a: 'c d' })).toThrow('X: podLabels.a: got "c d"; expected a label value');
  });
});
