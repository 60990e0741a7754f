import { AlarmTopic, Environment, Network, Platform, Profile, StackLayout, TerraformState } from '../../lib';
import { devEnvironment, onlyResource, synthStack, testPlatform } from '../support/synth';
import { expectNoDanglingReferences } from '../support/tf-references';

function singleStack(platform: Platform = testPlatform()): Environment {
  return new Environment(platform, 'dev', {
    account: '123456789012', region: 'eu-central-1', profile: Profile.DEV, state: TerraformState.local(), stackLayout: StackLayout.SINGLE_STACK,
  });
}

describe('AlarmTopic', () => {
  test('a tenant\'s topic lives in its stack: encrypted with its own key CloudWatch may use, publishable by this account\'s alarms only, TLS only', () => {
    // GIVEN
    const env = devEnvironment();
    // WHEN
    const topic = AlarmTopic.forTenant(env, 'shop');
    // THEN
    expect(topic.topicName).toBe('paved-dev-shop-alarms');
    expect(topic.topicArn).toBe('arn:aws:sns:eu-central-1:123456789012:paved-dev-shop-alarms');
    const stack = synthStack(env.tenantScope('shop'));
    expectNoDanglingReferences(stack);
    expect(Object.keys(stack.resource.aws_sns_topic)).toEqual(['Alarms_shop_B8FDBDFF']);
    const sns = onlyResource(stack, 'aws_sns_topic');
    expect(sns).toMatchObject({ name: 'paved-dev-shop-alarms', kms_master_key_id: '${aws_kms_key.Alarms_shop_Key_D113D5C7.arn}' });
    const key = onlyResource(stack, 'aws_kms_key');
    expect(key.enable_key_rotation).toBe(true);
    expect(JSON.parse(key.policy).Statement[1]).toEqual({
      Sid: 'ServicePrincipal1',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
    });
    const policy = JSON.parse(onlyResource(stack, 'aws_sns_topic_policy').policy);
    expect(policy.Statement.map((s: any) => s.Sid)).toEqual(['AccountManagesTheTopic', 'CloudWatchAlarmsOfThisAccount', 'DenyInsecureTransport']);
    expect(policy.Statement[1]).toMatchObject({
      Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
    });
    expect(policy.Statement[2]).toMatchObject({ Effect: 'Deny', Principal: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    expect(AlarmTopic.forTenant(env, 'shop')).toBe(topic);
  });

  test('the platform\'s topic lives in the foundation', () => {
    const env = devEnvironment();
    const platform = AlarmTopic.forPlatform(env);
    expect(platform.topicName).toBe('paved-dev-platform-alarms');
    expect(Object.keys(synthStack(env).resource.aws_sns_topic)).toEqual(['Alarms_Platform_03781F5A']);
    expect(AlarmTopic.forPlatform(env)).toBe(platform);
  });

  test('in one stack, tenants\' topics and the platform\'s sit side by side under the same paths', () => {
    const env = singleStack();
    AlarmTopic.forTenant(env, 'shop');
    AlarmTopic.forPlatform(env);
    expect(Object.keys(synthStack(env).resource.aws_sns_topic).sort()).toEqual(['Alarms_Platform_03781F5A', 'Alarms_shop_B8FDBDFF']);
  });

  test('a network\'s NAT gateway alarms notify the platform\'s topic', () => {
    const env = devEnvironment();
    new Network(env, 'Network', { cidr: '10.10.0.0/16' });
    const alarms = Object.values<any>(synthStack(env).resource.aws_cloudwatch_metric_alarm);
    expect(alarms.map(a => a.alarm_actions)).toEqual(alarms.map(() => ['arn:aws:sns:eu-central-1:123456789012:paved-dev-platform-alarms']));
  });

  test('fails when a tenant named platform would take the platform\'s topic', () => {
    const env = devEnvironment();
    AlarmTopic.forPlatform(env);
    expect(() => AlarmTopic.forTenant(env, 'platform'))
      .toThrow('dev-platform/Alarms/platform: topicName: got "paved-dev-platform-alarms"; expected a topic name not used by dev/Alarms/Platform');
  });

  test('fails with a tenant that is not a DNS label', () => {
    expect(() => AlarmTopic.forTenant(devEnvironment(), 'Shop')).toThrow('dev: tenant: got "Shop"; expected a tenant name (a DNS label)');
  });
});
