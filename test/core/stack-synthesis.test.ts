import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { Fn, Lazy, Manifest, TerraformIterator, TerraformLocal, TerraformOutput, TerraformStack, TerraformVariable, Token } from 'cdktf';
import { buildPlatform } from '../../examples/platform/main';
import { Platform, StackLayout } from '../../lib';
import { _fastTerraform, synthesizeStacks } from '../../lib/core/stack-synthesis';
import { devEnvironment, testPlatform } from '../support/synth';

function stacksOf(platform: Platform): TerraformStack[] {
  return platform.terraform.node.findAll().filter(TerraformStack.isStack);
}

/** Each stack's Terraform JSON, by path, as cdktf prepares and writes it. */
function byCdktf(platform: Platform): Record<string, any> {
  const stacks = stacksOf(platform);
  stacks.forEach(s => s.prepareStack());
  return Object.fromEntries(stacks.map(s => [s.node.path, s.toTerraform()]));
}

/** Each stack's Terraform JSON, by path, prepared and written the faster way. */
function byPaved(platform: Platform): Record<string, any> {
  const stacks = stacksOf(platform);
  stacks.forEach(s => _fastTerraform(s, true));
  return Object.fromEntries(stacks.map(s => [s.node.path, _fastTerraform(s, false)]));
}

/** A platform with a stack using every kind of token cdktf resolves. */
function everyToken(): Platform {
  const platform = testPlatform();
  const env = devEnvironment(platform);
  const count = new TerraformVariable(env, 'count', { type: 'number', default: 2 });
  const names = new TerraformVariable(env, 'names', { type: 'list(string)', default: ['a', 'b'] });
  const tags = new TerraformVariable(env, 'tags', { type: 'map(string)', default: { a: 'b' } });
  const queue = new SqsQueue(env, 'Queue', { name: `q_${count.numberValue}`, delaySeconds: count.numberValue, tags: tags.stringMap });
  const group = new SecurityGroup(env, 'Group', {
    name: Lazy.stringValue({ produce: () => `sg-${queue.name}` }),
    vpcId: Fn.element(names.listValue, 0),
    ingress: [{ fromPort: 80, toPort: Token.asNumber(Fn.max([1, count.numberValue])), protocol: 'tcp', cidrBlocks: names.listValue }],
  });
  const iterator = TerraformIterator.fromList(names.listValue);
  new IamRole(env, 'Roles', {
    forEach: iterator,
    name: iterator.value,
    assumeRolePolicy: JSON.stringify({ Statement: [{ Resource: 'arn:aws:s3:::b/${aws:username}/*', Effect: 'Allow' }] }),
    description: `literal $\${escaped} 1e5 app1e3 -1.5e+10 count=${count.numberValue}`,
    maxSessionDuration: 1e4,
    inlinePolicy: [{ name: 'p', policy: Lazy.anyValue({ produce: () => Fn.jsonencode({ a: [queue.arn, 1, true, null] }) }) as any }],
  });
  group.addOverride('egress', [{ from_port: 0, to_port: 0, protocol: '-1', cidr_blocks: [queue.arn] }]);
  group.addOverride('lifecycle.create_before_destroy', true);
  // a plain object that is a token (it has resolve()), and literals with dates, nulls and empty containers
  group.addOverride('timeouts', { resolve: () => ({ create: `${count.numberValue}m` }) });
  new TerraformLocal(env, 'local', {
    list: names.listValue,
    map: { [queue.name]: queue.arn },
    n: count.numberValue,
    literal: { empty: {}, none: [], nothing: null, skipped: undefined, nested: [[1, 'a'], { b: false }] },
  });
  new TerraformOutput(env, 'out', { value: { arn: queue.arn, list: names.listValue } });
  env.addOverride('terraform.required_version', '>= 1.5');
  env.addOverride('locals.extra', queue.url);
  // a reference across stacks: remote state in the tenant's, an output in the foundation's
  new SqsQueue(env.tenantScope('shop'), 'Dlq', { name: 'dlq', redrivePolicy: Fn.jsonencode({ deadLetterTargetArn: queue.arn, maxReceiveCount: 5 }) });
  return platform;
}

describe('stack synthesis', () => {
  test.each([StackLayout.PER_TENANT, StackLayout.SINGLE_STACK])('equals cdktf\'s, preparing included, for every stack of the example platform (%s)', layout => {
    // GIVEN the same platform twice
    const outdir = testPlatform().outdir;
    // WHEN one is prepared and written by cdktf, the other the faster way
    const expected = byCdktf(buildPlatform(outdir, layout));
    const actual = byPaved(buildPlatform(outdir, layout));
    // THEN
    expect(Object.keys(actual).length).toBeGreaterThan(layout === StackLayout.PER_TENANT ? 3 : 1);
    expect(actual).toEqual(expected);
  });

  test('equals cdktf\'s for every kind of token: references, variables, lists, maps, numbers, lazy values, functions, iterators, overrides, escapes, across stacks', () => {
    // WHEN
    const expected = byCdktf(everyToken());
    const actual = byPaved(everyToken());
    // THEN
    expect(actual).toEqual(expected);
    const tenant = Object.entries(actual).find(([p]) => p.endsWith('shop'));
    expect(JSON.stringify(tenant)).toContain('terraform_remote_state');
    // the preparing pass registered the foundation's output for the tenant stack
    const foundation = Object.values(actual).find(tf => tf.locals?.extra);
    expect(Object.keys(foundation.output)).toEqual(['out', expect.stringMatching(/^cross-stack-output-aws_sqs_queue/)]);
  });

  test('writes what cdktf writes and leaves each stack as it was; a stack that overrides toTerraform() is written by its own', () => {
    // GIVEN two identical platforms, one with a stack of a class of its own
    class Custom extends TerraformStack {
      public toTerraform(): any { return { ...super.toTerraform(), custom: true }; }
    }
    const build = () => {
      const platform = everyToken();
      new TerraformLocal(new Custom(platform.terraform, 'custom'), 'x', { value: 1 });
      return platform;
    };
    const write = (platform: Platform, synthesize: (stacks: TerraformStack[], session: any) => void) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-stacks-'));
      const session = { outdir: dir, manifest: new Manifest(platform.terraform.manifest.version, dir, false), skipValidation: true };
      const stacks = stacksOf(platform);
      synthesize(stacks, session);
      session.manifest.writeToFile();
      return { stacks, files: readTree(dir) };
    };
    // WHEN
    const expected = write(build(), (stacks, session) => {
      stacks.forEach(s => s.prepareStack());
      stacks.forEach(s => s.synthesizer.synthesize(session));
    });
    const actual = write(build(), synthesizeStacks);
    // THEN
    expect(Object.keys(actual.files).length).toBeGreaterThan(3);
    expect(actual.files).toEqual(expected.files);
    expect(Object.values(actual.files).some(content => content.includes('"custom": true'))).toBe(true);
    for (const stack of actual.stacks) {
      expect(Object.prototype.hasOwnProperty.call(stack, 'toTerraform')).toBe(false);
    }
  });
});

function readTree(dir: string, prefix = ''): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      Object.assign(files, readTree(file, `${prefix}${entry.name}/`));
    } else {
      files[`${prefix}${entry.name}`] = fs.readFileSync(file, 'utf8');
    }
  }
  return files;
}
