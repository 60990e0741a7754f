import { IConstruct } from 'constructs';

/*
 * How paved's constructs find each other: one Lookup per Environment (and
 * one per Platform for what spans environments). Every construct that
 * others need to find (the network, the clusters, a tenant, a singleton
 * such as the connection-secrets key) registers itself here when it is
 * created; every name that must be unique in an environment is claimed
 * here. Lookups cost O(1): nothing walks the construct tree while
 * constructs are being created.
 *
 * Every change is undoable: between `checkpoint()` and `rollback()` the
 * lookup records how to undo each change (and constructs that change state
 * outside their own subtree record theirs with `onRollback`), so a
 * declaration that failed half-way (a Score workload the loader gives up
 * on) leaves no trace: not in the lookup, not in the construct trees.
 */

/**
 * A typed key of lookup entries: a list, a map or a set of singletons.
 * `name` is for error messages and must be unique per lookup.
 * @internal
 */
export class LookupKey<T> {
  /** Only carries the type. */
  public readonly _type?: T;

  constructor(public readonly name: string) {}
}

/**
 * A position in a journal: `rollback` undoes every change made after it.
 * @internal
 */
export class Checkpoint {
  constructor(public readonly _journal: Journal, public readonly _position: number) {}
}

/**
 * Undo actions of the changes made since the oldest open checkpoint, shared
 * by the lookups of one platform (a workload may change its environment's
 * lookup, the platform's and the platform's own records).
 * @internal
 */
export class Journal {
  private readonly undos: (() => void)[] = [];
  private open = 0;

  /** Whether a checkpoint is open, i.e. changes must be recorded. */
  public get recording(): boolean {
    return this.open > 0;
  }

  public checkpoint(): Checkpoint {
    this.open += 1;
    return new Checkpoint(this, this.undos.length);
  }

  /** Records how to undo a change just made; does nothing while no checkpoint is open. */
  public record(undo: () => void): void {
    if (this.open > 0) { this.undos.push(undo); }
  }

  /** Undoes every change made since `checkpoint`, last first, and closes it. */
  public rollback(checkpoint: Checkpoint): void {
    this.close(checkpoint);
    while (this.undos.length > checkpoint._position) { this.undos.pop()!(); }
  }

  /** Keeps the changes made since `checkpoint` and closes it. */
  public release(checkpoint: Checkpoint): void {
    this.close(checkpoint);
    // Nothing can be rolled back once no checkpoint is open: forget the undo actions.
    if (this.open === 0) { this.undos.length = 0; }
  }

  private close(checkpoint: Checkpoint): void {
    if (checkpoint._journal !== this || this.open === 0 || checkpoint._position > this.undos.length) {
      throw new Error('paved internal error: a checkpoint was closed twice or out of order');
    }
    this.open -= 1;
  }
}

/**
 * Lists, maps, unique names and singletons of one environment (or of the
 * platform), all undoable through the shared journal.
 * @internal
 */
export class Lookup {
  private readonly lists = new Map<string, unknown[]>();
  private readonly maps = new Map<string, Map<string, unknown>>();

  constructor(private readonly journal: Journal) {}

  /** Appends `item` to the list `key`. */
  public add<T>(key: LookupKey<T>, item: T): void {
    let list = this.lists.get(key.name);
    if (!list) {
      list = [];
      this.lists.set(key.name, list);
    }
    list.push(item);
    const added = list;
    this.journal.record(() => { added.splice(added.lastIndexOf(item), 1); });
  }

  /** The list `key`, in the order added. */
  public list<T>(key: LookupKey<T>): readonly T[] {
    return (this.lists.get(key.name) ?? []) as T[];
  }

  /** The entry `name` of the map `key`. */
  public get<T>(key: LookupKey<T>, name: string): T | undefined {
    return this.maps.get(key.name)?.get(name) as T | undefined;
  }

  /** The entries of the map `key`, in the order added. */
  public entries<T>(key: LookupKey<T>): T[] {
    return [...(this.maps.get(key.name)?.values() ?? [])] as T[];
  }

  /** Sets the entry `name` of the map `key`. */
  public set<T>(key: LookupKey<T>, name: string, value: T): void {
    let map = this.maps.get(key.name);
    if (!map) {
      map = new Map();
      this.maps.set(key.name, map);
    }
    const had = map.has(name);
    const previous = map.get(name);
    map.set(name, value);
    const changed = map;
    this.journal.record(() => { if (had) { changed.set(name, previous); } else { changed.delete(name); } });
  }

  /**
   * Claims `name` among the names of kind `key` for `owner`; returns the
   * construct holding it already (and claims nothing) when it is taken.
   */
  public claim(key: LookupKey<IConstruct>, name: string, owner: IConstruct): IConstruct | undefined {
    const holder = this.get(key, name);
    if (holder !== undefined) { return holder; }
    this.set(key, name, owner);
    return undefined;
  }

  /**
   * The entry `name` of `key`, created with `create` on first use. A
   * construct created so is removed from its tree again on rollback.
   */
  public singleton<T>(key: LookupKey<T>, name: string, create: () => T): T {
    const existing = this.get(key, name);
    if (existing !== undefined) { return existing; }
    const value = create();
    this.set(key, name, value);
    if (isConstruct(value)) { this.removeOnRollback(value); }
    return value;
  }

  /** Removes `construct` from its parent on rollback. */
  public removeOnRollback(construct: IConstruct): void {
    this.journal.record(() => { construct.node.scope?.node.tryRemoveChild(construct.node.id); });
  }

  /** Records how to undo a change made outside the lookup (a rule added to another construct). */
  public onRollback(undo: () => void): void {
    this.journal.record(undo);
  }

  /** Opens a checkpoint: changes from now on can be undone with `rollback`. */
  public checkpoint(): Checkpoint {
    return this.journal.checkpoint();
  }

  /** Undoes every change since `checkpoint`, in this and every other lookup of the platform. */
  public rollback(checkpoint: Checkpoint): void {
    this.journal.rollback(checkpoint);
  }

  /** Keeps the changes since `checkpoint`. */
  public release(checkpoint: Checkpoint): void {
    this.journal.release(checkpoint);
  }
}

function isConstruct(x: unknown): x is IConstruct {
  return x !== null && typeof x === 'object' && typeof (x as any).node?.tryRemoveChild === 'function';
}
