import { Construct } from 'constructs';
import { Environment, Profile, TerraformState } from '../../lib';
import { devEnvironment, synthStack, testPlatform } from '../support/synth';

const ACCOUNT = '123456789012';

describe('Environment', () => {
  test('pins the AWS provider to the account and region', () => {
    // GIVEN
    const env = devEnvironment();
    // WHEN
    const provider = synthStack(env).provider.aws[0];
    // THEN
    expect(provider.region).toBe('eu-central-1');
    expect(provider.allowed_account_ids).toEqual([ACCOUNT]);
  });

  test('tags every resource through default_tags, with the user tags', () => {
    // GIVEN
    const env = new Environment(testPlatform(), 'prod', {
      account: ACCOUNT, region: 'eu-west-1', state: TerraformState.local(), tags: { 'team': 'platform', 'cost-center': '42' },
    });
    // WHEN
    const tags = synthStack(env).provider.aws[0].default_tags[0].tags;
    // THEN
    expect(tags).toEqual({ 'team': 'platform', 'cost-center': '42', 'paved:environment': 'prod', 'paved:managed-by': 'paved' });
  });

  test('defaults to the PROD profile, the safe choice', () => {
    // WHEN
    const env = new Environment(testPlatform(), 'live', { account: ACCOUNT, region: 'us-east-1' });
    // THEN
    expect(env.profile).toBe(Profile.PROD);
  });

  test('defaults to encrypted S3 state with native locking', () => {
    // WHEN
    const env = new Environment(testPlatform(), 'live', { account: ACCOUNT, region: 'us-east-1' });
    // THEN
    expect(synthStack(env).terraform.backend.s3).toEqual({
      bucket: `paved-tfstate-${ACCOUNT}-us-east-1`,
      key: 'paved/live/terraform.tfstate',
      region: 'us-east-1',
      encrypt: true,
      use_lockfile: true,
    });
    expect(env.state.kind).toBe('s3');
  });

  test('keeps the state backend given, for the other stacks of the environment', () => {
    // GIVEN
    const state = TerraformState.local();
    // WHEN
    const env = new Environment(testPlatform(), 'live', { account: ACCOUNT, region: 'us-east-1', state });
    // THEN
    expect(env.state).toBe(state);
  });

  test('knows the partition of its region', () => {
    const platform = testPlatform();
    expect(new Environment(platform, 'a', { account: ACCOUNT, region: 'cn-north-1' }).partition).toBe('aws-cn');
    expect(new Environment(platform, 'b', { account: ACCOUNT, region: 'us-gov-west-1' }).partition).toBe('aws-us-gov');
    expect(new Environment(platform, 'c', { account: ACCOUNT, region: 'eu-west-1' }).partition).toBe('aws');
  });

  test('gives one chart per manifest file, in the tenant namespace', () => {
    // GIVEN
    const env = devEnvironment();
    // WHEN
    const chart = env.chart('orders', 'shop');
    // THEN
    expect(env.chart('orders', 'shop')).toBe(chart);
    expect(chart.namespace).toBe('shop');
    expect(env.chart('addons').namespace).toBeUndefined();
  });

  test('containing() finds the environment of a nested construct', () => {
    // GIVEN
    const env = devEnvironment();
    const nested = new Construct(new Construct(env, 'a'), 'b');
    // THEN
    expect(Environment.containing(nested)).toBe(env);
  });

  test('fails when containing() is asked about a construct outside any environment', () => {
    const platform = testPlatform();
    expect(() => Environment.containing(platform.terraform)).toThrow(/is not inside an Environment/);
  });

  test('fails when the name has uppercase letters', () => {
    expect(() => new Environment(testPlatform(), 'Prod', { account: ACCOUNT, region: 'eu-central-1' }))
      .toThrow('Prod: name: got "Prod"; expected 1-12 lowercase letters, digits and dashes, starting and ending with a letter or digit');
  });

  test('fails when the name is longer than 12 characters', () => {
    expect(() => new Environment(testPlatform(), 'production-eu1', { account: ACCOUNT, region: 'eu-central-1' }))
      .toThrow(/name: got "production-eu1"; expected 1-12 lowercase/);
  });

  test('fails when two environments share a name', () => {
    // GIVEN
    const platform = testPlatform();
    devEnvironment(platform, 'dev');
    // THEN
    expect(() => devEnvironment(platform, 'dev'))
      .toThrow('dev: name: got "dev"; expected a name whose stack name "dev" is free: environment dev has it'
        + ' (each Terraform stack of the platform needs a name of its own: <env>, <env>-<tenant>, bootstrap-<cluster>)');
  });

  test('fails when the account id is not 12 digits', () => {
    expect(() => new Environment(testPlatform(), 'dev', { account: '12345', region: 'eu-central-1' }))
      .toThrow('dev: account: got "12345"; expected an AWS account id of exactly 12 digits');
  });

  test('fails when the region is unknown, listing the real ones', () => {
    expect(() => new Environment(testPlatform(), 'dev', { account: ACCOUNT, region: 'eu-central-9' }))
      .toThrow(/dev: region: got "eu-central-9"; expected an AWS region: af-south-1, .*eu-central-1/);
  });

  test('fails when a tag key is reserved', () => {
    expect(() => new Environment(testPlatform(), 'dev', { account: ACCOUNT, region: 'eu-central-1', tags: { 'paved:environment': 'x' } }))
      .toThrow(/dev: tags.paved:environment: got "paved:environment"; expected a tag key of 1-128 characters not starting with "aws:" or "paved:"/);
    expect(() => new Environment(testPlatform(), 'dev', { account: ACCOUNT, region: 'eu-central-1', tags: { 'aws:x': 'x' } }))
      .toThrow(/tags.aws:x/);
  });

  test('fails when a tag value is longer than 256 characters', () => {
    expect(() => new Environment(testPlatform(), 'dev', { account: ACCOUNT, region: 'eu-central-1', tags: { team: 'x'.repeat(257) } }))
      .toThrow(/dev: tags.team: got "x+"; expected a tag value of at most 256 characters/);
  });

  test('fails when a chart name or tenant is not a DNS label', () => {
    const env = devEnvironment();
    expect(() => env.chart('Orders', 'shop')).toThrow('dev: chart name: got "Orders"; expected a DNS label');
    expect(() => env.chart('orders', 'Shop!')).toThrow('dev: chart tenant: got "Shop!"; expected a DNS label');
  });
});
