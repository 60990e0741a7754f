import { Construct } from 'constructs';
import { Journal, Lookup, LookupKey } from '../../lib/core/lookup';

const ITEMS = new LookupKey<string>('items');
const NAMES = new LookupKey<Construct>('names');
const THINGS = new LookupKey<Construct>('things');

function fresh(): { journal: Journal; lookup: Lookup; root: Construct } {
  const journal = new Journal();
  return { journal, lookup: new Lookup(journal), root: new Construct(undefined as any, 'root') };
}

describe('Lookup', () => {
  describe('entries', () => {
    test('lists items in the order added, per key', () => {
      // GIVEN
      const { lookup } = fresh();
      // WHEN
      lookup.add(ITEMS, 'a');
      lookup.add(ITEMS, 'b');
      // THEN
      expect(lookup.list(ITEMS)).toEqual(['a', 'b']);
      expect(lookup.list(new LookupKey<string>('other'))).toEqual([]);
    });

    test('maps names to entries', () => {
      // GIVEN
      const { lookup } = fresh();
      // WHEN
      lookup.set(ITEMS, 'x', 'one');
      lookup.set(ITEMS, 'y', 'two');
      // THEN
      expect(lookup.get(ITEMS, 'x')).toBe('one');
      expect(lookup.get(ITEMS, 'z')).toBeUndefined();
      expect(lookup.entries(ITEMS)).toEqual(['one', 'two']);
    });

    test('claims a name once and tells who holds it', () => {
      // GIVEN
      const { lookup, root } = fresh();
      const first = new Construct(root, 'First');
      const second = new Construct(root, 'Second');
      // WHEN
      const claimed = lookup.claim(NAMES, 'orders', first);
      const refused = lookup.claim(NAMES, 'orders', second);
      // THEN
      expect(claimed).toBeUndefined();
      expect(refused).toBe(first);
      expect(lookup.get(NAMES, 'orders')).toBe(first);
    });

    test('creates a singleton once', () => {
      // GIVEN
      const { lookup, root } = fresh();
      let made = 0;
      const make = () => { made += 1; return new Construct(root, 'Only'); };
      // WHEN
      const a = lookup.singleton(THINGS, 'only', make);
      const b = lookup.singleton(THINGS, 'only', make);
      // THEN
      expect(a).toBe(b);
      expect(made).toBe(1);
    });
  });

  describe('rollback', () => {
    test('undoes every change made since the checkpoint, and nothing before it', () => {
      // GIVEN
      const { lookup, root } = fresh();
      const kept = new Construct(root, 'Kept');
      lookup.add(ITEMS, 'before');
      lookup.claim(NAMES, 'kept', kept);
      // WHEN
      const checkpoint = lookup.checkpoint();
      lookup.add(ITEMS, 'after');
      lookup.set(ITEMS, 'x', 'value');
      lookup.claim(NAMES, 'orders', new Construct(root, 'Orders'));
      const made = lookup.singleton(THINGS, 'only', () => new Construct(root, 'Only'));
      lookup.rollback(checkpoint);
      // THEN
      expect(lookup.list(ITEMS)).toEqual(['before']);
      expect(lookup.get(ITEMS, 'x')).toBeUndefined();
      expect(lookup.get(NAMES, 'orders')).toBeUndefined();
      expect(lookup.get(NAMES, 'kept')).toBe(kept);
      expect(lookup.get(THINGS, 'only')).toBeUndefined();
      expect(root.node.tryFindChild('Only')).toBeUndefined();
      expect(made.node.scope).toBe(root);
      expect(root.node.tryFindChild('Kept')).toBe(kept);
    });

    test('restores an entry a declaration replaced', () => {
      // GIVEN
      const { lookup } = fresh();
      lookup.set(ITEMS, 'x', 'old');
      // WHEN
      const checkpoint = lookup.checkpoint();
      lookup.set(ITEMS, 'x', 'new');
      lookup.rollback(checkpoint);
      // THEN
      expect(lookup.get(ITEMS, 'x')).toBe('old');
    });

    test('removes constructs registered for removal and runs undo actions last first', () => {
      // GIVEN
      const { lookup, root } = fresh();
      const order: string[] = [];
      // WHEN
      const checkpoint = lookup.checkpoint();
      lookup.removeOnRollback(new Construct(root, 'Made'));
      lookup.onRollback(() => order.push('first'));
      lookup.onRollback(() => order.push('second'));
      lookup.rollback(checkpoint);
      // THEN
      expect(root.node.tryFindChild('Made')).toBeUndefined();
      expect(order).toEqual(['second', 'first']);
    });

    test('is shared by the lookups of one journal', () => {
      // GIVEN
      const journal = new Journal();
      const platformWide = new Lookup(journal);
      const environment = new Lookup(journal);
      // WHEN
      const checkpoint = environment.checkpoint();
      platformWide.add(ITEMS, 'network');
      environment.add(ITEMS, 'workload');
      environment.rollback(checkpoint);
      // THEN
      expect(platformWide.list(ITEMS)).toEqual([]);
      expect(environment.list(ITEMS)).toEqual([]);
    });

    test('nests: an inner release keeps its changes for the outer rollback', () => {
      // GIVEN
      const { lookup } = fresh();
      // WHEN
      const outer = lookup.checkpoint();
      lookup.add(ITEMS, 'outer');
      const inner = lookup.checkpoint();
      lookup.add(ITEMS, 'inner');
      lookup.release(inner);
      lookup.rollback(outer);
      // THEN
      expect(lookup.list(ITEMS)).toEqual([]);
    });

    test('records nothing while no checkpoint is open', () => {
      // GIVEN
      const { journal, lookup } = fresh();
      let undone = false;
      // WHEN
      lookup.onRollback(() => { undone = true; });
      const checkpoint = journal.checkpoint();
      journal.rollback(checkpoint);
      // THEN
      expect(undone).toBe(false);
      expect(journal.recording).toBe(false);
    });

    test('forgets the undo actions once the last checkpoint is released', () => {
      // GIVEN
      const { lookup } = fresh();
      // WHEN
      const first = lookup.checkpoint();
      lookup.add(ITEMS, 'kept');
      lookup.release(first);
      const second = lookup.checkpoint();
      lookup.rollback(second);
      // THEN
      expect(lookup.list(ITEMS)).toEqual(['kept']);
    });
  });

  describe('fails when', () => {
    test('a checkpoint is closed twice', () => {
      // GIVEN
      const { lookup } = fresh();
      const checkpoint = lookup.checkpoint();
      lookup.release(checkpoint);
      // THEN
      expect(() => lookup.rollback(checkpoint)).toThrow('paved internal error: a checkpoint was closed twice or out of order');
    });

    test('a checkpoint of another journal is closed', () => {
      // GIVEN
      const { lookup } = fresh();
      const other = fresh().lookup.checkpoint();
      lookup.checkpoint();
      // THEN
      expect(() => lookup.release(other)).toThrow('paved internal error: a checkpoint was closed twice or out of order');
    });
  });
});
