import { App, Chart } from 'cdk8s';
import { escapeEnvExpansion, renderEnv } from '../../lib/k8s/env';

const scope = new Chart(new App(), 'test');

describe('renderEnv', () => {
  test('lists secret variables, then literal ones, so literals can use $(VAR) on secrets', () => {
    expect(renderEnv(scope, { A: '1', _B: '$(C)' }, { C: { secretName: 'db', key: 'pass.word' } })).toEqual([
      { name: 'C', valueFrom: { secretKeyRef: { name: 'db', key: 'pass.word' } } },
      { name: 'A', value: '1' },
      { name: '_B', value: '$(C)' },
    ]);
  });

  test('gives undefined without variables, so the container has no env field', () => {
    expect(renderEnv(scope)).toBeUndefined();
  });

  test('fails when a name is not a C identifier', () => {
    expect(() => renderEnv(scope, { 'A-B': '1' })).toThrow('test: env name: got "A-B"; expected an environment variable name');
    expect(() => renderEnv(scope, {}, { 9: { secretName: 's', key: 'k' } })).toThrow('test: secretEnv name: got "9"');
  });

  test('fails when a value is not a string', () => {
    expect(() => renderEnv(scope, { A: 1 as any })).toThrow('test: env.A: got 1; expected a string');
  });

  test('fails when a secret reference is malformed', () => {
    expect(() => renderEnv(scope, {}, { A: { secretName: 'Db', key: 'k' } })).toThrow('test: secretEnv.A.secretName: got "Db"');
    expect(() => renderEnv(scope, {}, { A: { secretName: 'db', key: 'a/b' } }))
      .toThrow('test: secretEnv.A.key: got "a/b"; expected a Secret key');
  });

  test('fails when a variable is set both literally and from a secret', () => {
    expect(() => renderEnv(scope, { A: '1' }, { A: { secretName: 'db', key: 'k' } }, 'vars', 'secrets'))
      .toThrow('test: secrets: got "A"; expected a variable name not also set in vars');
  });
});

describe('escapeEnvExpansion', () => {
  test('doubles each $ that starts $( or $$, which Kubernetes would expand or fold', () => {
    expect(escapeEnvExpansion('a$(B)c')).toBe('a$$(B)c');
    expect(escapeEnvExpansion('$$')).toBe('$$$');
    expect(escapeEnvExpansion('$$(B)')).toBe('$$$$(B)');
  });

  test('leaves other $ signs, which Kubernetes leaves too', () => {
    expect(escapeEnvExpansion('$HOME ${X} cost$')).toBe('$HOME ${X} cost$');
  });

  test('doubles a $ at the end of text followed by a $(VAR) reference, which would start a $$', () => {
    expect(escapeEnvExpansion('cost$', true)).toBe('cost$$');
    expect(escapeEnvExpansion('cost$', false)).toBe('cost$');
  });
});


/**
 * Kubernetes' expansion of container env values (k8s.io/kubernetes
 * third_party/forked/golang/expansion): `$$` -> `$`, `$(NAME)` -> the value
 * of an earlier variable NAME (left as written when there is none), any
 * other `$` as is.
 */
function kubernetesExpand(input: string, vars: { [name: string]: string }): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    if (input[i] !== '$' || i + 1 >= input.length) { out += input[i]; continue; }
    const next = input[i + 1];
    if (next === '$') {
      out += '$';
      i += 1;
    } else if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close < 0) {
        out += '$(';
        i += 1;
      } else {
        const name = input.slice(i + 2, close);
        out += name in vars ? vars[name] : `$(${name})`;
        i = close;
      }
    } else {
      out += '$';
    }
  }
  return out;
}

describe('escapeEnvExpansion, as Kubernetes reads it', () => {
  const alphabet = ['$', '(', ')', 'A', 'x', '{', '}'];
  const samples = Array.from({ length: 2000 }, (_, n) => {
    let text = '';
    for (let k = n; k > 0; k = Math.floor(k / alphabet.length)) { text += alphabet[k % alphabet.length]; }
    return text;
  });

  test('every literal reaches the container unchanged, even where a variable of that name exists', () => {
    const failures = samples.filter(text => kubernetesExpand(escapeEnvExpansion(text), { A: 'SECRET' }) !== text);
    expect(failures).toEqual([]);
  });

  test('text before a reference keeps its meaning and the reference still expands', () => {
    const failures = samples.filter(text =>
      kubernetesExpand(`${escapeEnvExpansion(text, true)}$(A)`, { A: 'SECRET' }) !== `${text}SECRET`);
    expect(failures).toEqual([]);
  });
});
