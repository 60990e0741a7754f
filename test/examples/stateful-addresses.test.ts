import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildPlatform } from '../../examples/platform/main';
import { UpgradeGuard } from '../../lib/core/upgrade-guard';

/**
 * The Terraform addresses of every stateful resource of the bundled example
 * (databases, caches, buckets, keys, zones, clusters, queues, secrets, log
 * groups, repositories), per stack. An address is the resource's identity in
 * the state: a change replaces the resource on upgrade unless a `moved` block
 * (or, between stacks, `terraform state mv`) carries it over.
 *
 * Regenerate after an intended change that ships its migration:
 * `npm run pin-addresses`.
 */
const PINS = path.join(__dirname, 'stateful-addresses.json');
const REGENERATE = 'npm run pin-addresses';

const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'paved-pins-')), 'out');
buildPlatform(outdir).synth();
const actual: { [stack: string]: string[] } = {};
for (const r of UpgradeGuard.statefulResources(outdir)) { (actual[r.stack] ??= []).push(r.address); }

describe('examples/platform stateful addresses', () => {
  if (process.env.PAVED_PIN_ADDRESSES === '1') {
    test('regenerates the pinned list', () => {
      fs.writeFileSync(PINS, `${JSON.stringify({ '//': `Terraform addresses of every stateful resource of examples/platform, per stack. Regenerate: ${REGENERATE}`, ...actual }, undefined, 2)}\n`);
    });
    return;
  }

  test('are the pinned ones', () => {
    const { '//': _, ...pinned } = JSON.parse(fs.readFileSync(PINS, 'utf8')) as { [stack: string]: string[] };
    const problems: string[] = [];
    const where = (table: { [stack: string]: string[] }, address: string) =>
      Object.keys(table).filter(stack => table[stack].includes(address));
    for (const [stack, addresses] of Object.entries(pinned)) {
      for (const address of addresses.filter(a => !(actual[stack] ?? []).includes(a))) {
        const unpinned = where(actual, address).filter(s => !(pinned[s] ?? []).includes(address));
        // Between an environment's foundation `<env>` and its tenant stacks `<env>-<tenant>`, when the address is there.
        const related = unpinned.filter(s => s.startsWith(`${stack}-`) || stack.startsWith(`${s}-`));
        const elsewhere = related.length > 0 ? related : unpinned;
        problems.push(elsewhere.length > 0
          ? `${stack}: ${address} moved to stack ${elsewhere.join(', ')}: existing states need \`terraform state mv\` (paved diff prints the commands); document the migration`
          : `${stack}: ${address} is gone: upgrading would destroy it; add a moved block (resource.moveTo / moveFromId) from the old address to the new one`);
      }
    }
    for (const [stack, addresses] of Object.entries(actual)) {
      for (const address of addresses.filter(a => !(pinned[stack] ?? []).includes(a))) {
        problems.push(`${stack}: ${address} is a new stateful resource, not pinned yet`);
      }
    }
    if (problems.length > 0) {
      throw new Error(`The Terraform addresses of stateful resources changed:\n  ${problems.join('\n  ')}\n`
        + 'A renamed address replaces the resource on upgrade: add a moved block. '
        + `If the change is intended and ships its migration, regenerate the list: ${REGENERATE}`);
    }
  });
});
