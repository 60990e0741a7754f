import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { LocalBackend, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { Environment, Platform, Profile, TerraformState } from '../../lib';
import { ResourceChangeKind, UpgradeGuard, UpgradeReport } from '../../lib/core/upgrade-guard';

/** What a variant of the small platform declares; the defaults are the "deployed" version. */
interface Variant {
  /** Construct id of the bucket. */
  readonly bucketId?: string;
  /** Adds a moved block from the bucket's original address. */
  readonly movedBucket?: boolean;
  /** The bucket's name. */
  readonly bucketName?: string;
  /** Leaves the bucket out. */
  readonly noBucket?: boolean;
  /** Leaves the IAM role out. */
  readonly noRole?: boolean;
  /** Construct id of the KMS key; with `movedKey`, a moved block from the original address. */
  readonly keyId?: string;
  readonly movedKey?: boolean;
  /** The database's identifier and instance class. */
  readonly identifier?: string;
  readonly instanceClass?: string;
  /** Puts the database in a stack of its own (`<env>-shop`) that reads the key through a cross-stack reference. */
  readonly databaseStack?: boolean;
  /** The environments to declare. */
  readonly envs?: string[];
  /** Raw Terraform to merge into the dev stack. */
  readonly override?: { [path: string]: any };
  /** lifecycle.ignore_changes of the database. */
  readonly ignoreChanges?: string[];
}

const BUCKET = 'aws_s3_bucket.Uploads';
const DB = 'aws_db_instance.Db';

/** Synthesizes the variant into a fresh folder and returns that folder. */
function synth(variant: Variant = {}): string {
  const platform = new Platform({ outdir: path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'paved-guard-')), 'out') });
  for (const name of variant.envs ?? ['dev']) {
    const env = new Environment(platform, name, {
      account: '123456789012', region: 'eu-central-1', profile: Profile.DEV, state: TerraformState.local(),
    });
    if (!variant.noBucket) {
      const bucket = new S3Bucket(env, variant.bucketId ?? 'Uploads', { bucket: variant.bucketName ?? `${name}-uploads` });
      if (variant.movedBucket) { bucket.moveFromId(BUCKET); }
    }
    if (!variant.noRole) { new IamRole(env, 'Role', { assumeRolePolicy: '{}' }); }
    const key = new KmsKey(env, variant.keyId ?? 'Key', { description: 'data' });
    if (variant.movedKey) { key.moveFromId('aws_kms_key.Key'); }
    let dbScope: Construct = env;
    if (variant.databaseStack) {
      dbScope = new TerraformStack(platform.terraform, `${name}-shop`);
      new AwsProvider(dbScope, 'aws', { region: 'eu-central-1' });
      new LocalBackend(dbScope, { path: `terraform.${name}-shop.tfstate` });
    }
    const db = new DbInstance(dbScope, 'Db', {
      identifier: variant.identifier ?? `${name}-orders`,
      engine: 'postgres',
      instanceClass: variant.instanceClass ?? 'db.t4g.micro',
      allocatedStorage: 20,
      storageEncrypted: true,
      kmsKeyId: key.arn,
      lifecycle: variant.ignoreChanges ? { ignoreChanges: variant.ignoreChanges } : undefined,
    });
    void db;
    if (name === 'dev') {
      for (const [p, v] of Object.entries(variant.override ?? {})) { env.addOverride(p, v); }
    }
  }
  platform.synth();
  return platform.outdir;
}

function compare(before: Variant, after: Variant, allowStateMoves?: boolean): UpgradeReport {
  return UpgradeGuard.compare(synth(before), synth(after), { allowStateMoves });
}

function kinds(report: UpgradeReport): string[] {
  return report.changes.map(c => `${c.stack} ${c.kind} ${c.address}${c.unsafe ? ' UNSAFE' : ''}`);
}

describe('UpgradeGuard', () => {
  test('finds nothing to report when the outputs declare the same resources', () => {
    // GIVEN
    const out = synth();
    // WHEN
    const report = UpgradeGuard.compare(out, synth());
    // THEN
    expect(report.safe).toBe(true);
    expect(report.changes).toEqual([]);
    expect(report.stateMoves).toEqual([]);
    expect(report.stacks).toEqual([{ name: 'dev', resourcesBefore: 4, resourcesAfter: 4 }]);
    expect(report.toText()).toMatch(/stack dev \(4 resources\): no resource added, removed, renamed or replaced\n\nSAFE: no stateful resource is destroyed or replaced\.$/);
  });

  test('accepts the cdktf.out folder as well as the out folder above it', () => {
    // GIVEN
    const out = synth();
    // WHEN
    const report = UpgradeGuard.compare(path.join(out, 'cdktf.out'), out);
    // THEN
    expect(report.safe).toBe(true);
  });

  describe('renames', () => {
    test('a stateful resource renamed without a moved block is destroyed: unsafe', () => {
      // WHEN
      const report = compare({}, { bucketId: 'Files' });
      // THEN
      expect(report.safe).toBe(false);
      expect(kinds(report)).toEqual([
        'dev added aws_s3_bucket.Files',
        `dev removed ${BUCKET} UNSAFE`,
      ]);
      const removed = report.changes[1];
      expect(removed).toMatchObject({ kind: ResourceChangeKind.REMOVED, type: 'aws_s3_bucket', stateful: true });
      expect(removed.reason).toBe('destroyed: its address is gone and no moved block names it, losing an S3 bucket and its objects (and its globally unique name)');
      expect(report.toText()).toContain(`  - ${BUCKET}  UNSAFE: destroyed`);
      expect(report.toText()).toContain('UNSAFE: 1 stateful resource(s) would be destroyed or replaced.');
      expect(report.toText()).toContain('Keep the old address with a `moved` block');
    });

    test('a stateful resource renamed with a moved block is kept: safe', () => {
      // WHEN
      const report = compare({}, { bucketId: 'Files', movedBucket: true });
      // THEN
      expect(report.safe).toBe(true);
      expect(report.changes).toEqual([expect.objectContaining({
        kind: ResourceChangeKind.RENAMED,
        stack: 'dev',
        address: 'aws_s3_bucket.Files',
        previousAddress: BUCKET,
        stateful: true,
        unsafe: false,
        reason: 'renamed by a moved block',
      })]);
      expect(report.toText()).toContain(`  ~ ${BUCKET} -> aws_s3_bucket.Files  ok: renamed by a moved block`);
    });

    test('a renamed resource whose argument that forces replacement changed is still replaced: unsafe', () => {
      // WHEN renamed with a moved block, but with another bucket name
      const report = compare({}, { bucketId: 'Files', movedBucket: true, bucketName: 'dev-files' });
      // THEN
      expect(report.changes).toEqual([expect.objectContaining({
        kind: ResourceChangeKind.RENAMED,
        address: 'aws_s3_bucket.Files',
        previousAddress: BUCKET,
        unsafe: true,
        replacedBy: ['bucket: "dev-uploads" -> "dev-files"'],
      })]);
      expect(report.toText()).toContain(`  ~ ${BUCKET} -> aws_s3_bucket.Files  UNSAFE: replaced`);
    });

    test('a reference to a resource renamed by a moved block still points at the same resource', () => {
      // GIVEN the database's kms_key_id (which forces replacement) refers to the key
      // WHEN the key is renamed with a moved block
      const report = compare({}, { keyId: 'DataKey', movedKey: true });
      // THEN the database is not replaced
      expect(kinds(report)).toEqual(['dev renamed aws_kms_key.DataKey']);
      expect(report.safe).toBe(true);
    });

    test('a reference to a different resource is a change: the key is replaced, so is the database', () => {
      // WHEN the key is renamed without a moved block
      const report = compare({}, { keyId: 'DataKey' });
      // THEN
      expect(kinds(report)).toEqual([
        `dev replaced ${DB} UNSAFE`,
        'dev added aws_kms_key.DataKey',
        'dev removed aws_kms_key.Key UNSAFE',
      ]);
      expect(report.changes[0].replacedBy).toEqual(['kms_key_id: "${aws_kms_key.Key.arn}" -> "${aws_kms_key.DataKey.arn}"']);
    });
  });

  describe('replacement', () => {
    test('a changed argument that forces replacement replaces the resource: unsafe, with the old and new value', () => {
      // WHEN
      const report = compare({}, { identifier: 'dev-orders-2' });
      // THEN
      expect(report.safe).toBe(false);
      expect(report.changes).toEqual([expect.objectContaining({
        kind: ResourceChangeKind.REPLACED,
        stack: 'dev',
        address: DB,
        stateful: true,
        unsafe: true,
        replacedBy: ['identifier: "dev-orders" -> "dev-orders-2"'],
      })]);
      expect(report.changes[0].reason).toMatch(/^replaced \(destroyed, then created\), losing an RDS database and its automated backups: identifier: "dev-orders" -> "dev-orders-2" \(arguments that force replacement: https:\/\/registry\.terraform\.io\/providers\/hashicorp\/aws\/6\.25\.0\/docs\/resources\/db_instance\)$/);
      expect(report.toText()).toContain(`  ! ${DB}  UNSAFE: replaced`);
    });

    test('a changed argument that Terraform updates in place is not reported', () => {
      // WHEN
      const report = compare({}, { instanceClass: 'db.r6g.large' });
      // THEN
      expect(report.changes).toEqual([]);
      expect(report.safe).toBe(true);
    });

    test('an argument in lifecycle.ignore_changes does not replace', () => {
      // WHEN
      const report = compare({ ignoreChanges: ['identifier'] }, { identifier: 'dev-orders-2', ignoreChanges: ['identifier'] });
      // THEN
      expect(report.changes).toEqual([]);
    });
  });

  describe('removal', () => {
    test('a removed bucket is destroyed: unsafe', () => {
      // WHEN
      const report = compare({}, { noBucket: true });
      // THEN
      expect(kinds(report)).toEqual([`dev removed ${BUCKET} UNSAFE`]);
    });

    test('a removed resource that holds no data is listed and safe', () => {
      // WHEN
      const report = compare({}, { noRole: true });
      // THEN
      expect(report.changes).toEqual([expect.objectContaining({
        kind: ResourceChangeKind.REMOVED, address: 'aws_iam_role.Role', stateful: false, unsafe: false,
      })]);
      expect(report.safe).toBe(true);
    });

    test('a removed block that keeps the real resource forgets it: safe', () => {
      // WHEN
      const report = compare({}, { noBucket: true, override: { removed: [{ from: BUCKET, lifecycle: { destroy: false } }] } });
      // THEN
      expect(report.changes).toEqual([expect.objectContaining({ kind: ResourceChangeKind.FORGOTTEN, address: BUCKET, unsafe: false })]);
      expect(report.safe).toBe(true);
    });

    test('the stateful resources of a stack that is no longer synthesized are unsafe', () => {
      // WHEN
      const report = compare({ envs: ['dev', 'prod'] }, { envs: ['dev'] });
      // THEN
      const prod = report.changes.filter(c => c.stack === 'prod');
      expect(prod.map(c => `${c.address}${c.unsafe ? ' UNSAFE' : ''}`)).toEqual([
        DB + ' UNSAFE', 'aws_iam_role.Role', 'aws_kms_key.Key UNSAFE', BUCKET + ' UNSAFE',
      ]);
      expect(prod[0].reason).toMatch(/^its stack is no longer synthesized/);
      expect(report.toText()).toContain('stack prod (no longer synthesized)');
    });
  });

  describe('moves between stacks', () => {
    test('a resource that moves to another stack needs terraform state mv: unsafe until acknowledged', () => {
      // WHEN the database moves from dev to dev-shop and reads the key through a cross-stack reference
      const report = compare({}, { databaseStack: true });
      // THEN
      expect(report.safe).toBe(false);
      expect(report.changes).toEqual([expect.objectContaining({
        kind: ResourceChangeKind.MOVED_STACK,
        stack: 'dev-shop',
        previousStack: 'dev',
        address: DB,
        previousAddress: DB,
        stateful: true,
        unsafe: true,
      })]);
      expect(report.changes[0].replacedBy).toBeUndefined();
      expect(report.stateMoves).toHaveLength(1);
      const move = report.stateMoves[0];
      expect(move).toMatchObject({ fromStack: 'dev', toStack: 'dev-shop', addresses: [DB] });
      expect(move.commands.slice(0, 3)).toEqual([
        expect.stringMatching(/^terraform -chdir=\S+\/cdktf\.out\/stacks\/dev state pull > paved-state-mv-dev\.tfstate$/),
        expect.stringMatching(/^terraform -chdir=\S+\/cdktf\.out\/stacks\/dev-shop state pull > paved-state-mv-dev-shop\.tfstate$/),
        '[ -s paved-state-mv-dev-shop.tfstate ] || rm -f paved-state-mv-dev-shop.tfstate',
      ]);
      expect(move.commands[3]).toBe(`terraform state mv -state=paved-state-mv-dev.tfstate -state-out=paved-state-mv-dev-shop.tfstate '${DB}' '${DB}'`);
      expect(move.commands[4]).toMatch(/stacks\/dev state push "\$PWD\/paved-state-mv-dev\.tfstate"$/);
      expect(move.commands[5]).toMatch(/stacks\/dev-shop state push "\$PWD\/paved-state-mv-dev-shop\.tfstate"$/);
      const text = report.toText();
      expect(text).toContain('stack dev-shop (new stack): 1 moved-stack');
      expect(text).toContain(`  > ${DB} (from stack dev)  UNSAFE: moves from the state of stack dev`);
      expect(text).toContain('Cross-state moves: run these before applying');
      expect(text).toMatch(/\nUNSAFE: 1 resource\(s\) change stack \(run the state moves above, then pass --allow-state-moves\)\.$/);
    });

    test('an acknowledged move is safe; the commands are still reported', () => {
      // WHEN
      const report = compare({}, { databaseStack: true }, true);
      // THEN
      expect(report.safe).toBe(true);
      expect(report.changes[0]).toMatchObject({ kind: ResourceChangeKind.MOVED_STACK, unsafe: false });
      expect(report.stateMoves).toHaveLength(1);
      expect(report.toText()).toMatch(/SAFE: no stateful resource is destroyed or replaced once the state moves above are done\.$/);
    });

    test('pairs each environment\'s resource with the stack of its own environment', () => {
      // WHEN the same address moves from dev to dev-shop and from prod to prod-shop
      const report = compare({ envs: ['dev', 'prod'] }, { envs: ['dev', 'prod'], databaseStack: true }, true);
      // THEN
      expect(report.stateMoves.map(m => `${m.fromStack}->${m.toStack}`)).toEqual(['dev->dev-shop', 'prod->prod-shop']);
      expect(report.changes.every(c => c.kind === ResourceChangeKind.MOVED_STACK && !c.replacedBy)).toBe(true);
    });

    test('a resource that moves and changes an argument that forces replacement is unsafe even when moves are acknowledged', () => {
      // WHEN
      const report = compare({}, { databaseStack: true, identifier: 'dev-orders-2' }, true);
      // THEN
      expect(report.safe).toBe(false);
      expect(report.changes[0]).toMatchObject({ kind: ResourceChangeKind.MOVED_STACK, unsafe: true, replacedBy: ['identifier: "dev-orders" -> "dev-orders-2"'] });
    });
  });

  test('toJson lists stacks, changes and state moves for pipelines', () => {
    // WHEN
    const json = compare({}, { databaseStack: true }).toJson();
    // THEN
    expect(JSON.parse(JSON.stringify(json))).toMatchObject({
      safe: false,
      stacks: [{ name: 'dev', resourcesBefore: 4, resourcesAfter: 3 }, { name: 'dev-shop', resourcesBefore: 0, resourcesAfter: 1 }],
      changes: [{ kind: 'moved-stack', stack: 'dev-shop', previousStack: 'dev', address: DB, unsafe: true }],
      stateMoves: [{ fromStack: 'dev', toStack: 'dev-shop', addresses: [DB] }],
    });
  });

  test('statefulResources lists the stateful resources of an output by stack and address', () => {
    // WHEN
    const resources = UpgradeGuard.statefulResources(synth({ envs: ['dev', 'prod'] }));
    // THEN
    expect(resources.map(r => `${r.stack} ${r.address}`)).toEqual([
      `dev ${DB}`, 'dev aws_kms_key.Key', `dev ${BUCKET}`,
      `prod ${DB}`, 'prod aws_kms_key.Key', `prod ${BUCKET}`,
    ]);
  });

  describe('bad input', () => {
    test('fails when a folder does not exist', () => {
      expect(() => UpgradeGuard.compare('/nonexistent/paved-out', synth())).toThrow(
        '/nonexistent/paved-out: oldOut: no such folder; expected a folder written by paved synth, Platform.synth() or cdktf synth (holding cdktf.out/manifest.json)');
    });

    test('fails when a folder is a file', () => {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'paved-guard-')), 'out.txt');
      fs.writeFileSync(file, 'x');
      expect(() => UpgradeGuard.compare(synth(), file)).toThrow(`${file}: newOut: is a file, not a folder`);
    });

    test('fails when a folder holds no cdktf manifest', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-guard-'));
      expect(() => UpgradeGuard.compare(dir, synth())).toThrow(`${dir}: oldOut: has no manifest.json or cdktf.out/manifest.json`);
    });

    test('fails when manifest.json is not JSON or has no stacks', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-guard-'));
      fs.writeFileSync(path.join(dir, 'manifest.json'), '{');
      expect(() => UpgradeGuard.statefulResources(dir)).toThrow(/manifest\.json: out: is not valid JSON/);
      fs.writeFileSync(path.join(dir, 'manifest.json'), '{"version":"0.21.0"}');
      expect(() => UpgradeGuard.statefulResources(dir)).toThrow('manifest.json: out: has no "stacks" object; expected the manifest.json cdktf writes');
    });

    test('fails when a stack file cannot be read', () => {
      const out = synth();
      const file = path.join(out, 'cdktf.out/stacks/dev/cdk.tf.json');
      fs.rmSync(file);
      fs.mkdirSync(file);
      expect(() => UpgradeGuard.statefulResources(out)).toThrow(`${file}: out: cannot be read (EISDIR)`);
    });

    test('fails when a stack of the manifest is missing', () => {
      const out = synth();
      fs.rmSync(path.join(out, 'cdktf.out/stacks/dev/cdk.tf.json'));
      expect(() => UpgradeGuard.statefulResources(out)).toThrow(
        'manifest.json: stacks.dev.synthesizedStackPath: got "stacks/dev/cdk.tf.json", which does not exist; expected the stack\'s cdk.tf.json');
    });
  });
});
