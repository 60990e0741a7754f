import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildPlatform } from '../../examples/platform/main';
import { StackLayout } from '../../lib';
import { expectNoDanglingReferences } from '../support/tf-references';

/**
 * The example in both stack layouts: every resource of the per-tenant
 * layout has the same Terraform address and the same configuration as in
 * the single-stack layout, references to the foundation aside (which the
 * per-tenant layout reads through remote state). Moving a platform from one
 * layout to the other is therefore a pure `terraform state mv` of each
 * tenant's addresses between states: nothing is replaced.
 */
function synth(layout: StackLayout): { [stack: string]: any } {
  const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'paved-layout-')), 'out');
  const result = buildPlatform(outdir, layout).synth();
  return Object.fromEntries(result.stacks.map(name =>
    [name, JSON.parse(fs.readFileSync(path.join(outdir, 'cdktf.out/stacks', name, 'cdk.tf.json'), 'utf8'))]));
}

const perTenant = synth(StackLayout.PER_TENANT);
const single = synth(StackLayout.SINGLE_STACK);

/** The resources of `stack` by address (`<type>.<name>`), without cdktf's metadata. */
function byAddress(stack: any): Map<string, any> {
  const all = new Map<string, any>();
  for (const [type, instances] of Object.entries<any>(stack.resource ?? {})) {
    for (const [name, body] of Object.entries<any>(instances)) {
      const { ['//']: _metadata, ...rest } = body;
      all.set(`${type}.${name}`, rest);
    }
  }
  return all;
}

/** `value` with each read of the foundation's remote state replaced by the expression the foundation outputs. */
function inline(value: any, foundation: any): any {
  const text = JSON.stringify(value).replace(
    /\$\{data\.terraform_remote_state\.cross-stack-reference-input-[a-z0-9-]+\.outputs\.(cross-stack-output-[A-Za-z0-9_.-]+?)\}/g,
    (_match, output: string) => foundation.output[output].value);
  return JSON.parse(text);
}

describe.each(['dev', 'prod'])('%s in the per-tenant and the single-stack layout', env => {
  const foundation = perTenant[env];
  const tenants = [`${env}-analytics`, `${env}-shop`].map(name => perTenant[name]);
  const whole = byAddress(single[env]);

  test('have the same resources at the same addresses, split between foundation and tenant stacks', () => {
    const split = [...byAddress(foundation).keys(), ...tenants.flatMap(tenant => [...byAddress(tenant).keys()])];
    expect(split.sort()).toEqual([...whole.keys()].sort());
    expect(new Set(split).size).toBe(split.length);
  });

  test('have the same bootstrap stacks, equal in both', () => {
    const bootstraps = (stacks: { [stack: string]: any }) => Object.keys(stacks).filter(name => name.startsWith(`bootstrap-${env}-`)).sort();
    expect(bootstraps(perTenant).length).toBeGreaterThan(0);
    expect(bootstraps(perTenant)).toEqual(bootstraps(single));
    for (const name of bootstraps(perTenant)) { expect(perTenant[name]).toEqual(single[name]); }
  });

  test('the foundation\'s resources are configured exactly as in the single stack', () => {
    for (const [address, body] of byAddress(foundation)) {
      expect([address, body]).toEqual([address, whole.get(address)]);
    }
  });

  test.each([0, 1])('the tenant\'s resources are configured as in the single stack, but read the foundation through remote state (tenant %d)', i => {
    for (const [address, body] of byAddress(tenants[i])) {
      const expected = { ...whole.get(address) };
      // A bucket in a tenant stack cannot name the foundation's log bucket policy; the stack order replaces it.
      if (address.startsWith('aws_s3_bucket_logging.')) {
        expect(expected.depends_on).toEqual([expect.stringMatching(/^aws_s3_bucket_policy\.AccessLogs_Policy_/)]);
        delete expected.depends_on;
      }
      expect([address, inline(body, foundation)]).toEqual([address, expected]);
    }
  });

  test('every stack is consistent: each reference resolves to something it declares', () => {
    for (const stack of [foundation, ...tenants, single[env]]) { expectNoDanglingReferences(stack); }
  });
});
