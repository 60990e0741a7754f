import * as path from 'path';
import { lazyModule } from '../../lib/core/lazy-module';

const MODULE = path.join(__dirname, '..', 'fixtures', 'lazy-module', 'counted.js');

describe('lazyModule', () => {
  beforeEach(() => {
    delete require.cache[MODULE];
    delete (globalThis as { lazyModuleLoads?: number }).lazyModuleLoads;
  });

  test('does not load the module when made', () => {
    // WHEN
    lazyModule<{ answer: number }>(MODULE);

    // THEN
    expect(require.cache[MODULE]).toBeUndefined();
    expect((globalThis as { lazyModuleLoads?: number }).lazyModuleLoads).toBeUndefined();
  });

  test('loads the module once, when the first export is read, and returns its exports', () => {
    // GIVEN
    const lazy = lazyModule<{ answer: number; Thing: new () => { kind: string } }>(MODULE);

    // WHEN
    const answer = lazy.answer;
    const thing = new lazy.Thing();

    // THEN
    expect(answer).toBe(42);
    expect(thing.kind).toBe('thing');
    expect(thing).toBeInstanceOf(require.cache[MODULE]!.exports.Thing);
    expect((globalThis as { lazyModuleLoads?: number }).lazyModuleLoads).toBe(1);
  });
});
