import { App, Chart } from 'cdk8s';
import { renderEnv } from '../../lib/k8s/env';

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
