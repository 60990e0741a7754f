import { Environment } from '../../lib/core/environment';
import { ErrorKind, Errors, PavedError, invalid, show } from '../../lib/core/errors';
import { testPlatform } from '../support/synth';

describe('show', () => {
  test('shows short values as JSON', () => {
    expect(show('orders')).toBe('"orders"');
    expect(show(42)).toBe('42');
    expect(show({ a: [1, null] })).toBe('{"a":[1,null]}');
    expect(show(undefined)).toBe('undefined');
  });

  test('shows numbers JSON has no word for as themselves, not as null', () => {
    expect(show(Infinity)).toBe('Infinity');
    expect(show(-Infinity)).toBe('-Infinity');
    expect(show(NaN)).toBe('NaN');
  });

  test('cuts a long string and gives its length, so a message never echoes a whole file', () => {
    // GIVEN
    const long = 'x'.repeat(10_000);

    // WHEN
    const shown = show(long);

    // THEN
    expect(shown.length).toBeLessThanOrEqual(300);
    expect(shown).toMatch(/^"x+…" \(10000 characters\)$/);
  });

  test('cuts a long object and gives the length of its JSON', () => {
    const shown = show(Array.from({ length: 1000 }, (_, i) => i));
    expect(shown.length).toBeLessThanOrEqual(300);
    expect(shown).toMatch(/^\[0,1,2,.*… \(3891 characters as JSON\)$/);
  });

  test('never cuts inside an escape sequence or a surrogate pair', () => {
    expect(show('\u0000'.repeat(100))).toMatch(/^"(\\u0000)+…" \(100 characters\)$/);
    // the cut after 260 code units (with the quote) falls inside a pair
    const emoji = show('😀'.repeat(200));
    expect(emoji).toMatch(/^"(😀)+…" \(400 characters\)$/);
  });

  test('escapes control, bidirectional and zero-width characters', () => {
    expect(show('a\u0000b\u001b[31mc')).toBe('"a\\u0000b\\u001b[31mc"');
    expect(show('admin\u202egnp.exe')).toBe('"admin\\u202egnp.exe"');
    expect(show('x\u200by\u0085z\ufeff')).toBe('"x\\u200by\\u0085z\\ufeff"');
  });

  test('shows values JSON cannot render', () => {
    expect(show(10n)).toBe('10');
    const cyclic: any = Object.create(null);
    cyclic.self = cyclic;
    expect(show(cyclic)).toBe('[object Object]');
  });
});

describe('invalid', () => {
  test('names the path, the property, the value and what is allowed', () => {
    const error = invalid('prod/Network', 'cidr', 'x'.repeat(500), 'a CIDR block');
    expect(Errors.isPavedError(error)).toBe(true);
    expect(error).toBeInstanceOf(PavedError);
    expect(error.message).toMatch(/^prod\/Network: cidr: got "x+…" \(500 characters\); expected a CIDR block$/);
  });
});

describe('Errors.details', () => {
  test('gives the parts of a paved error from its message alone, as other languages receive it', () => {
    // GIVEN the message of an error paved threw (Python receives RuntimeError(message))
    let message = '';
    try { new Environment(testPlatform(), 'dev', { account: '12', region: 'eu-central-1' }); } catch (e) { message = (e as Error).message; }
    // WHEN
    const details = Errors.details(message);
    // THEN
    expect(details).toEqual({ constructPath: 'dev', property: 'account', detail: expect.stringMatching(/^got "12"; expected /), kind: ErrorKind.INVALID_INPUT });
    expect(message).toBe(`dev: account: ${details!.detail}`);
  });

  test('gives the kind of an error about the output folder', () => {
    const error = new PavedError('out', 'outdir', 'is a file', ErrorKind.OUTPUT_NOT_A_FOLDER);
    expect(Errors.details(error.message)).toEqual({ constructPath: 'out', property: 'outdir', detail: 'is a file', kind: ErrorKind.OUTPUT_NOT_A_FOLDER });
  });

  test('fails when given something else than a message', () => {
    expect(() => Errors.details({ message: 'x' } as any)).toThrow('Errors.details: message: got {"message":"x"}; expected the message of an error, a string');
  });

  test('knows no message paved did not make, nor an edited one', () => {
    const error = new PavedError('dev', 'account', 'got "12"; expected 12 digits');
    expect(Errors.details(error.message)).toBeDefined();
    expect(Errors.details(`${error.message}.`)).toBeUndefined();
    expect(Errors.details('dev: account: got "12"; expected something else')).toBeUndefined();
    expect(Errors.details(new Error('x').message)).toBeUndefined();
    expect(Errors.details('')).toBeUndefined();
  });

  test('recognises the last 1,000 errors made, the oldest forgotten first', () => {
    // GIVEN 1,001 distinct errors
    const messages = Array.from({ length: 1001 }, (_, i) => new PavedError(`c${i}`, 'p', 'wrong').message);
    // THEN
    expect(Errors.details(messages[0])).toBeUndefined();
    expect(Errors.details(messages[1])?.constructPath).toBe('c1');
    expect(Errors.details(messages[1000])?.constructPath).toBe('c1000');
  });
});
