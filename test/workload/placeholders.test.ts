import { escapePlaceholders, parsePlaceholders } from '../../lib/workload/placeholders';

describe('parsePlaceholders', () => {
  test('splits literal text and references', () => {
    expect(parsePlaceholders('postgres://${resources.db.host}:${resources.db.port}/x').segments).toEqual([
      { literal: 'postgres://' },
      { reference: ['resources', 'db', 'host'] },
      { literal: ':' },
      { reference: ['resources', 'db', 'port'] },
      { literal: '/x' },
    ]);
  });

  test('$${ escapes a placeholder', () => {
    expect(parsePlaceholders('cost: $${not.a.ref}').segments).toEqual([{ literal: 'cost: ${not.a.ref}' }]);
  });

  test('$$ is a literal $ anywhere, as in Score\'s reference implementation', () => {
    expect(parsePlaceholders('pa$$word $x $$$${y} $').segments).toEqual([{ literal: 'pa$word $x $${y} $' }]);
    expect(parsePlaceholders('$$${resources.db.host}').segments).toEqual([{ literal: '$' }, { reference: ['resources', 'db', 'host'] }]);
  });

  test('a backslash-escaped dot stays inside one path segment', () => {
    expect(parsePlaceholders('${metadata.annotations.acme\\.io/team}').segments)
      .toEqual([{ reference: ['metadata', 'annotations', 'acme.io/team'] }]);
  });

  test('text without placeholders is one literal, empty text is nothing', () => {
    expect(parsePlaceholders('plain').segments).toEqual([{ literal: 'plain' }]);
    expect(parsePlaceholders('').segments).toEqual([]);
  });

  test('reports an unterminated placeholder', () => {
    expect(parsePlaceholders('x ${resources.db.host').error).toBe('unterminated placeholder at character 3: "${resources.db.host"');
    expect(parsePlaceholders(`\${${'x'.repeat(10_000)}`).error).toBe(`unterminated placeholder at character 1: "\${${'x'.repeat(58)}…"`);
  });
});

describe('escapePlaceholders', () => {
  test('gives text that parses back to itself as one literal', () => {
    for (const text of ['${resources.db.host}', 'pa$$word', '$', '$${x}', 'plain']) {
      expect(parsePlaceholders(escapePlaceholders(text)).segments).toEqual([{ literal: text }]);
    }
  });
});

