import * as path from 'path';
import { checkArguments } from './api-guard';
import { STATEFUL_TYPES } from './stateful-resources';
import { SynthesizedOut, SynthesizedStack, readSynthesizedOut } from './synthesized-stacks';

/** What happens to one resource between two synthesized outputs. */
export enum ResourceChangeKind {
  /** A new address: Terraform creates it. */
  ADDED = 'added',
  /** The address is gone without a `moved` or `removed` block: Terraform destroys it. */
  REMOVED = 'removed',
  /** A `moved` block renames it within its stack: Terraform keeps it. */
  RENAMED = 'renamed',
  /** An argument that forces replacement changed: Terraform destroys it and creates a new one. */
  REPLACED = 'replaced',
  /**
   * It left one stack for another (same address, different state): without a
   * `terraform state mv` the old stack destroys it and the new one creates a
   * second one.
   */
  MOVED_STACK = 'moved-stack',
  /** A `removed` block with `destroy = false`: Terraform forgets it and leaves the real resource alone. */
  FORGOTTEN = 'forgotten',
}

/** One resource that is added, removed, renamed, replaced or moved between stacks. */
export interface ResourceChange {
  /** What happens to it. */
  readonly kind: ResourceChangeKind;
  /** The stack it is in after the change (for `REMOVED` and `FORGOTTEN`: the stack it was in). */
  readonly stack: string;
  /** Its address after the change (for `REMOVED` and `FORGOTTEN`: before), e.g. `aws_db_instance.orders_db_Postgres_E9C567B4`. */
  readonly address: string;
  /** Its Terraform resource type. */
  readonly type: string;
  /** Whether destroying it loses data (a database, cache, bucket, key, queue, secret, log group, ...). */
  readonly stateful: boolean;
  /** Whether this change fails the guard. */
  readonly unsafe: boolean;
  /**
   * Its address before the change, for `RENAMED` and `MOVED_STACK`.
   * @default - same as `address`
   */
  readonly previousAddress?: string;
  /**
   * The stack it was in before the change, for `MOVED_STACK`.
   * @default - same as `stack`
   */
  readonly previousStack?: string;
  /**
   * The arguments whose change forces replacement, with their old and new
   * values, e.g. `identifier: "a" -> "b"` (for `REPLACED`).
   * @default - none
   */
  readonly replacedBy?: string[];
  /** Why it is (un)safe, in one sentence. */
  readonly reason: string;
}

/** The resources that move from one stack's state to another's, with the commands that move them. */
export interface StateMove {
  /** The stack whose state holds them today. */
  readonly fromStack: string;
  /** The stack whose configuration declares them now. */
  readonly toStack: string;
  /** Their addresses (the same in both stacks). */
  readonly addresses: string[];
  /**
   * Shell commands that move them (`terraform state pull`, `terraform state mv`,
   * `terraform state push`), to run after `terraform init` in both stack
   * folders and before applying either.
   */
  readonly commands: string[];
}

/** Options of {@link UpgradeGuard.compare}. */
export interface UpgradeGuardOptions {
  /**
   * Accept resources that move between stacks: the guard then passes when the
   * only unsafe changes are cross-state moves, whose `terraform state mv`
   * commands you run before applying (they are in `stateMoves`).
   * @default false - a resource that changes stack fails the guard
   */
  readonly allowStateMoves?: boolean;
}

/** One stack of either output, with its resource counts. */
export interface StackSummary {
  /** The stack's name (its folder under `cdktf.out/stacks/`). */
  readonly name: string;
  /** How many resources it declares in the old output (0: a new stack). */
  readonly resourcesBefore: number;
  /** How many resources it declares in the new output (0: no longer synthesized). */
  readonly resourcesAfter: number;
}

/** The parts of an {@link UpgradeReport}. */
export interface UpgradeReportProps {
  /** The folder of the deployed (old) output. */
  readonly oldOut: string;
  /** The folder of the new output. */
  readonly newOut: string;
  /** Every stack of either output. */
  readonly stacks: StackSummary[];
  /** Every resource added, removed, renamed, replaced, forgotten or moved between stacks. */
  readonly changes: ResourceChange[];
  /** The resources that move between stacks, with their commands. */
  readonly stateMoves: StateMove[];
}

/** What changed between two synthesized outputs, and whether deploying the new one is safe. */
export class UpgradeReport {
  /** The folder of the deployed (old) output. */
  public readonly oldOut: string;
  /** The folder of the new output. */
  public readonly newOut: string;
  /** True when no change is unsafe: no stateful resource destroyed or replaced, no unacknowledged cross-state move. */
  public readonly safe: boolean;
  /** Every stack of either output, sorted by name. */
  public readonly stacks: StackSummary[];
  /** Every resource added, removed, renamed, replaced, forgotten or moved between stacks, by stack and address. */
  public readonly changes: ResourceChange[];
  /** The resources that move between stacks, grouped by source and target stack, with their commands. */
  public readonly stateMoves: StateMove[];

  constructor(props: UpgradeReportProps) {
    checkArguments('UpgradeReport', arguments);
    this.oldOut = props.oldOut;
    this.newOut = props.newOut;
    this.stacks = props.stacks;
    this.changes = props.changes;
    this.stateMoves = props.stateMoves;
    this.safe = props.changes.every(c => !c.unsafe);
  }

  /** The changes that fail the guard. */
  public get unsafeChanges(): ResourceChange[] {
    return this.changes.filter(c => c.unsafe);
  }

  /** The report for people: per stack what changes, unsafe changes marked, then the state move commands and the verdict. */
  public toText(): string {
    const lines: string[] = [`paved diff: ${this.oldOut} -> ${this.newOut}`];
    const symbols: { [kind: string]: string } = {
      [ResourceChangeKind.ADDED]: '+',
      [ResourceChangeKind.REMOVED]: '-',
      [ResourceChangeKind.RENAMED]: '~',
      [ResourceChangeKind.REPLACED]: '!',
      [ResourceChangeKind.MOVED_STACK]: '>',
      [ResourceChangeKind.FORGOTTEN]: '.',
    };
    for (const { name: stack, resourcesBefore: before, resourcesAfter: after } of this.stacks) {
      const changes = this.changes.filter(c => c.stack === stack);
      const status = before === 0 && after > 0 ? 'new stack' : after === 0 && before > 0 ? 'no longer synthesized' : `${after} resources`;
      const tally = Object.values(ResourceChangeKind)
        .map(kind => [kind, changes.filter(c => c.kind === kind).length] as const)
        .filter(([, n]) => n > 0)
        .map(([kind, n]) => `${n} ${kind}`);
      lines.push('', `stack ${stack} (${status}): ${tally.length > 0 ? tally.join(', ') : 'no resource added, removed, renamed or replaced'}`);
      for (const c of changes) {
        let what = c.address;
        if (c.kind === ResourceChangeKind.RENAMED) { what = `${c.previousAddress} -> ${c.address}`; }
        if (c.kind === ResourceChangeKind.MOVED_STACK) { what = `${c.address} (from stack ${c.previousStack})`; }
        const flag = c.unsafe ? 'UNSAFE: ' : c.stateful && c.kind !== ResourceChangeKind.ADDED ? 'ok: ' : '';
        const note = c.kind === ResourceChangeKind.ADDED && !c.stateful ? '' : `  ${flag}${c.reason}`;
        lines.push(`  ${symbols[c.kind]} ${what}${note}`);
      }
    }
    if (this.stateMoves.length > 0) {
      lines.push('', 'Cross-state moves: run these before applying any of the stacks involved (after `terraform init` in each):');
      for (const move of this.stateMoves) {
        lines.push('', `# ${move.addresses.length} resource(s) from stack ${move.fromStack} to stack ${move.toStack}`);
        move.commands.forEach(c => lines.push(c));
      }
    }
    const unsafe = this.unsafeChanges;
    lines.push('');
    if (unsafe.length === 0) {
      lines.push(`SAFE: no stateful resource is destroyed or replaced${this.stateMoves.length > 0 ? ' once the state moves above are done' : ''}.`);
    } else {
      const moves = unsafe.filter(c => c.kind === ResourceChangeKind.MOVED_STACK && !c.replacedBy).length;
      const lost = unsafe.length - moves;
      const parts = [
        ...(lost > 0 ? [`${lost} stateful resource(s) would be destroyed or replaced`] : []),
        ...(moves > 0 ? [`${moves} resource(s) change stack (run the state moves above, then pass --allow-state-moves)`] : []),
      ];
      lines.push(`UNSAFE: ${parts.join('; ')}.`);
      if (lost > 0) {
        lines.push('Keep the old address with a `moved` block (resource.moveTo / moveFromId in cdktf), restore the old value of the argument, '
          + 'or, to let the resource go without destroying it, a `removed` block with `lifecycle { destroy = false }`.');
      }
    }
    return lines.join('\n');
  }

  /** The report for pipelines, as a JSON-compatible object: `safe`, `stacks`, `changes` and `stateMoves`. */
  public toJson(): any {
    return {
      oldOut: this.oldOut,
      newOut: this.newOut,
      safe: this.safe,
      stacks: this.stacks.map(s => ({ ...s })),
      changes: this.changes.map(c => ({ ...c })),
      stateMoves: this.stateMoves.map(m => ({ ...m })),
    };
  }
}

/** A stateful resource of a synthesized output, for pinning addresses in tests. */
export interface StatefulResource {
  /** The stack it is in. */
  readonly stack: string;
  /** Its address, `type.name`. */
  readonly address: string;
  /** Its Terraform resource type. */
  readonly type: string;
}

/**
 * The upgrade guard: compares the Terraform of a deployed output with a new
 * one, before `terraform apply`, and says whether a stateful resource would be
 * destroyed or replaced.
 *
 * A stateful resource is unsafe when its address disappears without a `moved`
 * block (or a `removed` block that keeps it), when an argument that forces
 * replacement for its type changes (e.g. `aws_db_instance.identifier`,
 * `storage_encrypted`, `kms_key_id`), and when it moves to another stack
 * (the per-tenant stack layout does this) without `allowStateMoves`: each
 * stack has its own state, so the move needs `terraform state mv`, which the
 * report prints. References are compared by what they point at: a key renamed
 * by a `moved` block, or read from another stack's outputs, is the same key.
 */
export class UpgradeGuard {
  /**
   * Compares two outputs of `paved synth`, `Platform.synth()` or `cdktf synth`.
   *
   * @param oldOut the output that is deployed: the out folder or its `cdktf.out`
   * @param newOut the output to deploy
   * @throws when a folder is missing, is a file or holds no cdktf manifest
   */
  public static compare(oldOut: string, newOut: string, options: UpgradeGuardOptions = {}): UpgradeReport {
    checkArguments('UpgradeGuard.compare', arguments);
    const before = readSynthesizedOut(oldOut, 'oldOut');
    const after = readSynthesizedOut(newOut, 'newOut');
    return new Comparison(before, after, options.allowStateMoves ?? false).report(oldOut, newOut);
  }

  /**
   * Every stateful resource of an output (databases, caches, buckets, keys,
   * zones, clusters, queues, secrets, log groups, repositories, ...), sorted
   * by stack and address.
   */
  public static statefulResources(out: string): StatefulResource[] {
    checkArguments('UpgradeGuard.statefulResources', arguments);
    const synthesized = readSynthesizedOut(out, 'out');
    const result: StatefulResource[] = [];
    for (const stack of [...synthesized.stacks.values()].sort((a, b) => compare(a.name, b.name))) {
      for (const address of [...stack.resources.keys()].sort(compare)) {
        const type = typeOf(address);
        if (STATEFUL_TYPES.has(type)) { result.push({ stack: stack.name, address, type }); }
      }
    }
    return result;
  }

  private constructor() {}
}

/** A resource's identity across the two outputs: `stack|address`. */
type Identity = string;

class Comparison {
  private readonly changes: ResourceChange[] = [];
  /** Old identity -> new identity, for resources that survive (renamed or moved between stacks). */
  private readonly identities = new Map<Identity, Identity>();
  private readonly moves = new Map<string, string[]>();

  constructor(private readonly before: SynthesizedOut, private readonly after: SynthesizedOut, private readonly allowStateMoves: boolean) {}

  public report(oldOut: string, newOut: string): UpgradeReport {
    const gone: { stack: SynthesizedStack; address: string }[] = [];
    const added = new Map<string, { stack: SynthesizedStack; address: string }[]>();
    const survivors: { from: SynthesizedStack; to: SynthesizedStack; oldAddress: string; address: string }[] = [];

    for (const [name, newStack] of this.after.stacks) {
      const oldStack = this.before.stacks.get(name);
      const renamedTo = oldStack ? renames(oldStack, newStack) : new Map<string, string>();
      const claimed = new Set(renamedTo.values());
      for (const address of newStack.resources.keys()) {
        if (oldStack?.resources.has(address) && !renamedTo.has(address)) {
          survivors.push({ from: oldStack, to: newStack, oldAddress: address, address });
        } else if (!claimed.has(address)) {
          const list = added.get(address) ?? [];
          list.push({ stack: newStack, address });
          added.set(address, list);
        }
      }
      for (const [from, to] of renamedTo) {
        survivors.push({ from: oldStack!, to: newStack, oldAddress: from, address: to });
      }
    }
    for (const [name, oldStack] of this.before.stacks) {
      const newStack = this.after.stacks.get(name);
      const renamedFrom = newStack ? renames(oldStack, newStack) : new Map<string, string>();
      for (const address of oldStack.resources.keys()) {
        if (!newStack?.resources.has(address) && !renamedFrom.has(address)) { gone.push({ stack: oldStack, address }); }
      }
    }

    // A resource that left one stack and appears, under the same address, in another.
    for (const { stack: from, address } of pairFirst(gone, added)) {
      const candidates = added.get(address) ?? [];
      const to = bestMatch(from, address, candidates.map(c => c.stack));
      if (!to) { continue; }
      added.set(address, candidates.filter(c => c.stack !== to));
      gone.splice(gone.findIndex(g => g.stack === from && g.address === address), 1);
      survivors.push({ from, to, oldAddress: address, address });
    }
    for (const s of survivors) { this.identities.set(`${s.from.name}|${s.oldAddress}`, `${s.to.name}|${s.address}`); }

    for (const s of survivors) { this.survivor(s.from, s.to, s.oldAddress, s.address); }
    for (const { stack, address } of gone) { this.gone(stack, address); }
    for (const list of added.values()) {
      for (const { stack, address } of list) {
        const type = typeOf(address);
        const stateful = STATEFUL_TYPES.has(type);
        this.changes.push({ kind: ResourceChangeKind.ADDED, stack: stack.name, address, type, stateful, unsafe: false, reason: 'created' });
      }
    }

    this.changes.sort((a, b) => compare(a.stack, b.stack) || compare(a.address, b.address));
    const stacks = [...new Set([...this.before.stacks.keys(), ...this.after.stacks.keys()])].sort(compare).map(name => ({
      name,
      resourcesBefore: this.before.stacks.get(name)?.resources.size ?? 0,
      resourcesAfter: this.after.stacks.get(name)?.resources.size ?? 0,
    }));
    return new UpgradeReport({ oldOut, newOut, stacks, changes: this.changes, stateMoves: this.stateMoves() });
  }

  private survivor(from: SynthesizedStack, to: SynthesizedStack, oldAddress: string, address: string): void {
    const type = typeOf(address);
    const statefulType = STATEFUL_TYPES.get(type);
    const replacedBy = statefulType ? this.forcedReplacements(statefulType.forcesReplacement, from, oldAddress, to, address) : [];
    const stateful = statefulType !== undefined;
    const replaced = replacedBy.length > 0;
    const base = { stack: to.name, address, type, stateful };
    if (replaced) {
      let kind = ResourceChangeKind.REPLACED;
      if (oldAddress !== address) { kind = ResourceChangeKind.RENAMED; }
      if (from.name !== to.name) { kind = ResourceChangeKind.MOVED_STACK; }
      if (kind === ResourceChangeKind.MOVED_STACK) { this.recordMove(from.name, to.name, address); }
      this.changes.push({
        ...base,
        kind,
        unsafe: true,
        replacedBy,
        ...(kind === ResourceChangeKind.MOVED_STACK ? { previousStack: from.name } : {}),
        ...(oldAddress !== address ? { previousAddress: oldAddress } : {}),
        reason: `replaced (destroyed, then created), losing ${statefulType!.holds}: ${replacedBy.join('; ')} (arguments that force replacement: ${statefulType!.docs})`,
      });
    } else if (from.name !== to.name) {
      this.recordMove(from.name, to.name, address);
      this.changes.push({
        ...base,
        kind: ResourceChangeKind.MOVED_STACK,
        previousStack: from.name,
        previousAddress: oldAddress,
        unsafe: !this.allowStateMoves,
        reason: this.allowStateMoves
          ? `moves from the state of stack ${from.name} (acknowledged: run the state moves below first)`
          : `moves from the state of stack ${from.name}: without \`terraform state mv\` (below) ${from.name} destroys it and ${to.name} creates another`,
      });
    } else if (oldAddress !== address) {
      this.changes.push({ ...base, kind: ResourceChangeKind.RENAMED, previousAddress: oldAddress, unsafe: false, reason: 'renamed by a moved block' });
    }
  }

  private gone(stack: SynthesizedStack, address: string): void {
    const type = typeOf(address);
    const statefulType = STATEFUL_TYPES.get(type);
    const newStack = this.after.stacks.get(stack.name);
    if (newStack?.forgotten.has(address)) {
      this.changes.push({
        kind: ResourceChangeKind.FORGOTTEN,
        stack: stack.name,
        address,
        type,
        stateful: statefulType !== undefined,
        unsafe: false,
        reason: 'removed from the state by a removed block (destroy = false); the real resource is kept',
      });
      return;
    }
    const why = newStack ? 'destroyed: its address is gone and no moved block names it'
      : `its stack is no longer synthesized: the resource stays in the state of ${stack.name}, unmanaged, and \`cdktf destroy ${stack.name}\` would destroy it`;
    this.changes.push({
      kind: ResourceChangeKind.REMOVED,
      stack: stack.name,
      address,
      type,
      stateful: statefulType !== undefined,
      unsafe: statefulType !== undefined,
      reason: statefulType ? `${why}, losing ${statefulType.holds}` : why,
    });
  }

  private recordMove(from: string, to: string, address: string): void {
    const key = `${from}\u0000${to}`;
    this.moves.set(key, [...this.moves.get(key) ?? [], address]);
  }

  private stateMoves(): StateMove[] {
    const result: StateMove[] = [];
    for (const [key, addresses] of [...this.moves].sort(([a], [b]) => compare(a, b))) {
      const [from, to] = key.split('\u0000');
      const fromDir = shellPath((this.after.stacks.get(from) ?? this.before.stacks.get(from))!.dir);
      const toDir = shellPath(this.after.stacks.get(to)!.dir);
      const fromFile = `paved-state-mv-${from}.tfstate`;
      const toFile = `paved-state-mv-${to}.tfstate`;
      const sorted = [...addresses].sort(compare);
      result.push({
        fromStack: from,
        toStack: to,
        addresses: sorted,
        commands: [
          `terraform -chdir=${fromDir} state pull > ${fromFile}`,
          `terraform -chdir=${toDir} state pull > ${toFile}`,
          // A stack that has never been applied has no state yet: state mv then creates the file.
          `[ -s ${toFile} ] || rm -f ${toFile}`,
          ...sorted.map(a => `terraform state mv -state=${fromFile} -state-out=${toFile} '${a}' '${a}'`),
          // The source first: if the second push fails, the resources are in neither state (nothing destroys them) rather than in both.
          `terraform -chdir=${fromDir} state push "$PWD/${fromFile}"`,
          `terraform -chdir=${toDir} state push "$PWD/${toFile}"`,
        ],
      });
    }
    return result;
  }

  /** The arguments forcing replacement whose (canonical) value changed, as `name: old -> new`. */
  private forcedReplacements(attributes: string[], from: SynthesizedStack, oldAddress: string, to: SynthesizedStack, address: string): string[] {
    const oldConfig = from.resources.get(oldAddress);
    const newConfig = to.resources.get(address);
    const ignored = asList(asList(newConfig?.lifecycle)[0]?.ignore_changes);
    if (ignored.includes('all')) { return []; }
    const result: string[] = [];
    for (const attribute of attributes) {
      if (ignored.includes(attribute) || ignored.includes(attribute.split('.')[0])) { continue; }
      const oldValue = valueAt(oldConfig, attribute);
      const newValue = valueAt(newConfig, attribute);
      const oldCanonical = JSON.stringify(this.canonical(oldValue, from, this.before, true) ?? null);
      const newCanonical = JSON.stringify(this.canonical(newValue, to, this.after, false) ?? null);
      if (oldCanonical !== newCanonical) {
        result.push(`${attribute}: ${describe(oldValue)} -> ${describe(newValue)}`);
      }
    }
    return result;
  }

  /**
   * A value with every reference replaced by what it points at: a resource by
   * its identity (mapped to its new identity for the old output), an output of
   * another stack read through `terraform_remote_state` by that output's value.
   */
  private canonical(value: unknown, stack: SynthesizedStack, out: SynthesizedOut, old: boolean, depth = 0): unknown {
    if (typeof value === 'string') { return this.canonicalString(value, stack, out, old, depth); }
    if (Array.isArray(value)) { return value.map(v => this.canonical(v, stack, out, old, depth)); }
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).filter(([k]) => k !== '//').sort(([a], [b]) => compare(a, b))
        .map(([k, v]) => [k, this.canonical(v, stack, out, old, depth)]));
    }
    return value;
  }

  private canonicalString(text: string, stack: SynthesizedStack, out: SynthesizedOut, old: boolean, depth: number): string {
    // Resources first: the text substituted for a remote output is canonical already.
    const resources = text.replace(/\b([a-z][a-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_-]*)/g, (match, type: string, name: string, offset: number, whole: string) => {
      const address = `${type}.${name}`;
      if (!stack.resources.has(address) || whole[offset - 1] === '.') { return match; }
      const identity = `${stack.name}|${address}`;
      return `<${old ? this.identities.get(identity) ?? identity : identity}>`;
    });
    const remote = /data\.terraform_remote_state\.([A-Za-z0-9_-]+)\.outputs(?:\.([A-Za-z0-9_-]+)|\["([^"]+)"\])/g;
    return resources.replace(remote, (match, dataName: string, dotted?: string, quoted?: string) => {
      const producer = out.stacks.get(stack.remoteStates.get(dataName) ?? '');
      const value = producer?.outputs.get(dotted ?? quoted ?? '');
      const inner = typeof value === 'string' ? /^\$\{(.*)\}$/s.exec(value)?.[1] : undefined;
      if (!producer || inner === undefined || depth > 4) { return `<${stack.name}:${match}>`; }
      return this.canonicalString(inner, producer, out, old, depth + 1);
    });
  }
}

/** Renames by `moved` blocks of the new stack, following chains: old address -> new address. */
function renames(oldStack: SynthesizedStack, newStack: SynthesizedStack): Map<string, string> {
  const result = new Map<string, string>();
  for (const from of newStack.moved.keys()) {
    if (!oldStack.resources.has(from)) { continue; }
    let to = newStack.moved.get(from)!;
    for (let hops = 0; newStack.moved.has(to) && hops < 100; hops++) { to = newStack.moved.get(to)!; }
    if (newStack.resources.has(to) && to !== from) { result.set(from, to); }
  }
  return result;
}

/** The removed resources that also appear as added somewhere else, in a stable order. */
function pairFirst<T extends { address: string }>(gone: T[], added: Map<string, unknown[]>): T[] {
  return gone.filter(g => (added.get(g.address)?.length ?? 0) > 0);
}

/** Among the stacks where `address` appears, the one it most likely moved to from `from`. */
function bestMatch(from: SynthesizedStack, address: string, candidates: SynthesizedStack[]): SynthesizedStack | undefined {
  if (candidates.length <= 1) { return candidates[0]; }
  const config = from.resources.get(address);
  const score = (s: SynthesizedStack) => {
    const other = s.resources.get(address);
    const same = Object.keys(config ?? {}).filter(k => k !== '//' && JSON.stringify(config[k]) === JSON.stringify(other?.[k])).length;
    // paved names tenant stacks <env>-<tenant>: prefer a stack of the same environment.
    return same * 2 + (s.name.startsWith(`${from.name}-`) ? 1 : 0);
  };
  return [...candidates].sort((a, b) => score(b) - score(a) || compare(a.name, b.name))[0];
}

function valueAt(config: any, attribute: string): unknown {
  let values: unknown[] = [config];
  for (const part of attribute.split('.')) {
    values = values.flatMap(v => asList(v)).map(v => (v !== null && typeof v === 'object' ? (v as any)[part] : undefined))
      .filter(v => v !== undefined);
  }
  if (values.length === 0) { return undefined; }
  return values.length === 1 ? values[0] : values;
}

function describe(value: unknown): string {
  return value === undefined ? '(unset)' : JSON.stringify(value);
}

function typeOf(address: string): string {
  return address.slice(0, address.indexOf('.'));
}

function asList(x: unknown): any[] {
  if (x === undefined || x === null) { return []; }
  return Array.isArray(x) ? x : [x];
}

/** A stack folder for a command line: relative to the working directory when below it, else absolute; quoted when needed. */
function shellPath(dir: string): string {
  const relative = path.relative(process.cwd(), dir) || '.';
  const shown = relative.startsWith('..') ? path.resolve(dir) : relative;
  return /^[A-Za-z0-9_./@:-]+$/.test(shown) ? shown : `'${shown.replace(/'/g, "'\\''")}'`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
