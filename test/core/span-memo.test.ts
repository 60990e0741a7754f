import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Platform } from '../../lib';
import { SpanMemo } from '../../lib/core/span-memo';
import { testPlatform } from '../support/synth';

/** A construct of `platform`'s Kubernetes tree whose validation reads `memo` `reads` times with `inputs`. */
function reader(platform: Platform, memo: (scope: Construct) => SpanMemo<number>, inputs: () => unknown[], reads = 2):
{ computed: () => number; values: number[] } {
  const scope = new Construct(new Chart(platform.kubernetes, 'reader'), 'Reader');
  const kept = memo(scope);
  let computed = 0;
  const values: number[] = [];
  scope.node.addValidation({
    validate: () => {
      for (let i = 0; i < reads; i++) { values.push(kept.get(() => ++computed, inputs())); }
      return [];
    },
  });
  return { computed: () => computed, values };
}

describe('SpanMemo', () => {
  test('computes once per span of validation for the same inputs', () => {
    // GIVEN a construct whose validation reads the value 3 times
    const platform = testPlatform();
    const r = reader(platform, scope => new SpanMemo<number>(scope), () => ['a'], 3);
    // WHEN validating
    expect(platform.validate()).toEqual([]);
    // THEN computed once, the same value read each time
    expect(r.computed()).toBe(1);
    expect(r.values).toEqual([1, 1, 1]);
  });

  test('computes again in the next span', () => {
    // GIVEN
    const platform = testPlatform();
    const r = reader(platform, scope => new SpanMemo<number>(scope), () => []);
    // WHEN validating twice
    platform.validate();
    platform.validate();
    // THEN once per span: what changed between spans is seen
    expect(r.values).toEqual([1, 1, 2, 2]);
  });

  test('computes again when an input differs', () => {
    // GIVEN inputs that change on every read
    const platform = testPlatform();
    let n = 0;
    const r = reader(platform, scope => new SpanMemo<number>(scope), () => [n++]);
    // WHEN
    platform.validate();
    // THEN
    expect(r.values).toEqual([1, 2]);
  });

  test('computes on every call outside a span and outside a paved Platform', () => {
    // GIVEN one memo in a platform, read outside its spans, and one in a plain construct tree
    const inPlatform = new SpanMemo<number>(new Construct(new Chart(testPlatform().kubernetes, 'c'), 'X'));
    const plain = new SpanMemo<number>(new Construct(undefined as any, 'root'));
    let computed = 0;
    // WHEN
    const values = [inPlatform.get(() => ++computed), inPlatform.get(() => ++computed), plain.get(() => ++computed), plain.get(() => ++computed)];
    // THEN
    expect(values).toEqual([1, 2, 3, 4]);
  });
});
