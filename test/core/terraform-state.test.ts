import { Environment, TerraformState } from '../../lib';
import { synthStack, testPlatform } from '../support/synth';

function stateOf(state: TerraformState): any {
  return synthStack(new Environment(testPlatform(), 'prod', { account: '123456789012', region: 'eu-west-1', state })).terraform.backend;
}

describe('TerraformState', () => {
  test('s3 takes the bucket, key prefix, region and KMS key given', () => {
    // WHEN
    const backend = stateOf(TerraformState.s3({ bucket: 'acme-state', keyPrefix: 'platform', region: 'us-east-1', kmsKeyId: 'alias/state' }));
    // THEN
    expect(backend.s3).toEqual({
      bucket: 'acme-state',
      key: 'platform/prod/terraform.tfstate',
      region: 'us-east-1',
      kms_key_id: 'alias/state',
      encrypt: true,
      use_lockfile: true,
    });
  });

  test('local keeps one state file per stack in the output folder, outside the synthesized tree, by a relative path', () => {
    // The stack runs in <outdir>/cdktf.out/stacks/prod: three levels below the output folder.
    expect(stateOf(TerraformState.local()).local).toEqual({ path: '../../../terraform.prod.tfstate' });
  });

  test('local takes a folder relative to the output folder, or absolute', () => {
    expect(stateOf(TerraformState.local({ directory: 'state' })).local).toEqual({ path: '../../../state/terraform.prod.tfstate' });
    expect(stateOf(TerraformState.local({ directory: '../state' })).local).toEqual({ path: '../../../../state/terraform.prod.tfstate' });
    expect(stateOf(TerraformState.local({ directory: '/var/lib/terraform' })).local).toEqual({ path: '/var/lib/terraform/terraform.prod.tfstate' });
  });

  test('fails when the local state folder is not a string', () => {
    expect(() => TerraformState.local({ directory: 42 as any })).toThrow('TerraformState.local: directory: got 42; expected a string');
  });

  test.each(['cdktf.out', './cdktf.out/stacks', 'k8s/state', '.paved', ''])('fails when the local state folder is %j', directory => {
    expect(() => TerraformState.local({ directory: directory as any })).toThrow(
      `TerraformState.local: directory: got ${JSON.stringify(directory)}; expected a folder outside the synthesized outputs (not in cdktf.out/, k8s/ or .paved/), relative to the output folder or absolute`);
  });

  test('fails when the bucket name is not a valid S3 bucket name', () => {
    expect(() => TerraformState.s3({ bucket: 'Acme_State' }))
      .toThrow('TerraformState.s3: bucket: got "Acme_State"; expected an S3 bucket name: 3-63 lowercase letters, digits, dots and dashes');
  });
});
