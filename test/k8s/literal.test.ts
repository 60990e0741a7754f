import { Token } from 'cdktf';
import { validateLiteral } from '../../lib/k8s/literal';

describe('validateLiteral', () => {
  test('accepts literal strings and numbers', () => {
    expect(() => validateLiteral('X', 'cidr', '10.0.0.0/16')).not.toThrow();
    expect(() => validateLiteral('X', 'port', 5432)).not.toThrow();
  });

  test('fails when a value is a Terraform token', () => {
    expect(() => validateLiteral('X', 'cidr', Token.asString({ resolve: () => 'x' })))
      .toThrow(/^X: cidr: got ".*"; expected a literal value known at synth time/);
    expect(() => validateLiteral('X', 'port', Token.asNumber({ resolve: () => 1 })))
      .toThrow(/^X: port: got .*; expected a literal value known at synth time/);
  });
});
