import { IConstruct } from 'constructs';
import { platformOf } from './platform';

/**
 * Keeps a value derived from Kubernetes objects for the rest of the current
 * span of validation or synthesis of the construct's platform (see
 * `Platform._renderSpan`: in such a span no object changes), so that the
 * readers of one synth (a check, the rendered object, the report) compute it
 * once. Outside a span, or outside a paved Platform, it computes afresh on
 * every call.
 * @internal
 */
export class SpanMemo<T> {
  private kept?: { span: object; inputs: readonly unknown[]; value: T };

  constructor(private readonly scope: IConstruct) {}

  /**
   * The value `compute` returned earlier in this span for the same `inputs`
   * (compared element by element, e.g. the workloads a quota sums), else
   * what it returns now.
   */
  public get(compute: () => T, inputs: readonly unknown[] = []): T {
    const span = platformOf(this.scope)?._renderSpan();
    const kept = this.kept;
    if (span !== undefined && kept?.span === span && kept.inputs.length === inputs.length && kept.inputs.every((x, i) => x === inputs[i])) {
      return kept.value;
    }
    const value = compute();
    this.kept = span === undefined ? undefined : { span, inputs: [...inputs], value };
    return value;
  }
}
