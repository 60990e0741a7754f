import { IConstruct } from 'constructs';

/**
 * Constructs of one kind, listed per owner (usually an Environment) as they
 * are created, so lookups such as `Network.of(env)` or "is this alias taken"
 * cost O(1) instead of walking the whole construct tree each time (which
 * made synthesis quadratic in the number of workloads).
 * @internal
 */
export class Registry<T extends IConstruct> {
  private readonly entries = new WeakMap<IConstruct, T[]>();

  /** Adds `item` to the list of `owner`. */
  public add(owner: IConstruct, item: T): void {
    const list = this.entries.get(owner);
    if (list) { list.push(item); } else { this.entries.set(owner, [item]); }
  }

  /** The items of `owner`, in creation order. */
  public of(owner: IConstruct): readonly T[] {
    return this.entries.get(owner) ?? [];
  }
}
