import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  ProviderSchema, Rewrites, applyRewrites, dependencyOrder, entriesTheMirrorKnows, loadRewrites, outputsRead, remoteStates,
  forMockedTest, renderDiagnostic, testFile, unmirroredProviders, withoutProviders,
} from '../../tools/terraform/harness';

const REWRITES = path.join(__dirname, '../../tools/terraform/aws6-rewrites.json');

const SCHEMA: ProviderSchema = {
  resource_schemas: {
    aws_kms_key: { block: { attributes: { arn: { type: 'string', computed: true }, key_id: { type: 'string', computed: true }, description: { type: 'string', optional: true } } } },
    aws_launch_template: { block: { attributes: { arn: { type: 'string', computed: true }, id: { type: 'string', computed: true } } } },
    aws_route53_record: { block: { attributes: { name: { type: 'string', required: true } } } },
  },
  data_source_schemas: {
    aws_availability_zones: { block: { attributes: { names: { type: ['list', 'string'], computed: true }, zone_ids: { type: ['list', 'string'], computed: true } } } },
    aws_region: { block: { attributes: { name: { type: 'string', computed: true }, endpoint: { type: 'string', computed: true } } } },
  },
};

function stack(body: any = {}): any {
  return {
    terraform: { required_providers: { aws: { source: 'aws', version: '6.25.0' } }, backend: { local: { path: 'terraform.dev.tfstate' } } },
    provider: { aws: [{ region: 'eu-central-1', allowed_account_ids: ['111111111111'] }] },
    ...body,
  };
}

describe('tools/terraform harness', () => {
  describe('the rewrite list', () => {
    test('every entry names a type, an argument, the version that added it and a reason', () => {
      const rewrites = loadRewrites(REWRITES);
      expect(rewrites.provider).toMatchObject({ source: 'hashicorp/aws', from: '6.25.0', to: '5.100.0' });
      expect(rewrites.remove.length).toBeGreaterThan(0);
      for (const entry of rewrites.remove) {
        expect(entry.since).toMatch(/^6\.\d+\.\d+$/);
        expect(entry.reason.length).toBeGreaterThan(20);
      }
    });

    test('fails when an entry has no reason', () => {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'paved-tf-')), 'rewrites.json');
      fs.writeFileSync(file, JSON.stringify({
        provider: { source: 'hashicorp/aws', from: '6.25.0', to: '5.100.0', reason: 'mirror' },
        remove: [{ block: 'resource', type: 'aws_kms_key', attribute: 'region', since: '6.0.0' }],
      }));
      expect(() => loadRewrites(file)).toThrow(/remove\[0\] needs block \(resource or data\), type, attribute, since and a reason/);
    });
  });

  describe('applyRewrites', () => {
    const rewrites: Rewrites = {
      provider: { source: 'hashicorp/aws', from: '6.25.0', to: '5.100.0', reason: 'mirror' },
      remove: [
        { block: 'resource', type: 'aws_kms_key', attribute: 'region', since: '6.0.0', reason: 'per-resource region of 6.0' },
        { block: 'resource', type: 'aws_eks_cluster', attribute: 'compute_config.node_role_arn', since: '6.1.0', reason: 'a nested argument of 6.x' },
      ],
    };

    test('pins the mirror\'s provider version and removes exactly the listed arguments', () => {
      // GIVEN
      const input = stack({
        resource: {
          aws_kms_key: { Dnssec: { region: 'us-east-1', description: 'dnssec' }, Data: { description: 'data' } },
          aws_kms_alias: { Dnssec: { region: 'us-east-1' } },
          aws_eks_cluster: { Cluster: { name: 'main', compute_config: { enabled: true, node_role_arn: 'x' } } },
        },
      });
      // WHEN
      const { stack: out, applied } = applyRewrites('dev', input, rewrites);
      // THEN
      expect(out.terraform.required_providers.aws.version).toBe('5.100.0');
      expect(out.resource.aws_kms_key.Dnssec).toEqual({ description: 'dnssec' });
      expect(out.resource.aws_kms_alias.Dnssec).toEqual({ region: 'us-east-1' });
      expect(out.resource.aws_eks_cluster.Cluster.compute_config).toEqual({ enabled: true });
      expect(applied).toEqual([
        'terraform.required_providers.aws.version', 'aws_kms_key.Dnssec.region', 'aws_eks_cluster.Cluster.compute_config.node_role_arn',
      ]);
      expect(input.resource.aws_kms_key.Dnssec.region).toBe('us-east-1');
    });

    test('fails when a stack requires another AWS provider version than the list was reviewed for', () => {
      const input = stack();
      input.terraform.required_providers.aws.version = '6.30.0';
      expect(() => applyRewrites('dev', input, rewrites)).toThrow(
        'dev: requires hashicorp/aws "6.30.0", but tools/terraform/aws6-rewrites.json was reviewed for 6.25.0');
    });

    test('entriesTheMirrorKnows finds entries that would hide an argument the mirror validates', () => {
      expect(entriesTheMirrorKnows(rewrites, SCHEMA)).toEqual([]);
      expect(entriesTheMirrorKnows({ ...rewrites, remove: [{ ...rewrites.remove[0], attribute: 'description' }] }, SCHEMA))
        .toEqual(['resource aws_kms_key.description']);
    });
  });

  describe('providers the mirror lacks', () => {
    const input = stack({
      terraform: { required_providers: { aws: { source: 'aws', version: '5.100.0' }, kubernetes: { source: 'hashicorp/kubernetes', version: '2.38.0' } } },
      provider: { aws: [{ region: 'eu-central-1' }], kubernetes: [{ host: '${data.aws_eks_cluster.Eks.endpoint}' }] },
      data: { aws_eks_cluster: { Eks: { name: 'main' } } },
      resource: {
        aws_iam_role: { Role: { name: 'argocd' } },
        kubernetes_namespace: { Argo: { metadata: { name: 'argocd' } } },
        kubernetes_secret_v1: { Cluster: { metadata: { namespace: '${kubernetes_namespace.Argo.metadata[0].name}', annotations: { role: '${aws_iam_role.Role.arn}' } } } },
        aws_iam_role_policy: { AfterArgo: { role: '${aws_iam_role.Role.name}', policy: '{}', depends_on: ['kubernetes_namespace.Argo'] } },
      },
      output: { namespace: { value: '${kubernetes_namespace.Argo.id}' }, role: { value: '${aws_iam_role.Role.arn}' } },
    });

    test('unmirroredProviders names the providers without a binary in the mirror', () => {
      expect(unmirroredProviders(input, new Set(['registry.terraform.io/hashicorp/aws']))).toEqual(['kubernetes']);
    });

    test('withoutProviders leaves out their blocks and whatever refers to them, and lists each', () => {
      // WHEN
      const { stack: out, skipped } = withoutProviders(input, ['kubernetes']);
      // THEN
      expect(skipped).toEqual(['kubernetes_namespace.Argo', 'kubernetes_secret_v1.Cluster', 'provider.kubernetes', 'output.namespace']);
      expect(Object.keys(out.resource)).toEqual(['aws_iam_role', 'aws_iam_role_policy']);
      expect(out.resource.aws_iam_role_policy.AfterArgo.depends_on).toEqual([]);
      expect(out.output).toEqual({ role: { value: '${aws_iam_role.Role.arn}' } });
      expect(out.provider).toEqual({ aws: [{ region: 'eu-central-1' }] });
      expect(out.terraform.required_providers).toEqual({ aws: { source: 'aws', version: '5.100.0' } });
    });
  });

  describe('cross-stack references', () => {
    const producer = stack({ output: { 'cross-stack-output-aws_kms_keyKeyarn': { value: '${aws_kms_key.Key.arn}' } } });
    const consumer = stack({
      terraform: { backend: { local: { path: 'terraform.dev-shop.tfstate' } } },
      data: { terraform_remote_state: { 'cross-stack-reference-input-dev': { backend: 'local', config: { path: '/x/terraform.dev.tfstate' } } } },
      resource: { aws_db_instance: { Db: { kms_key_id: '${data.terraform_remote_state.cross-stack-reference-input-dev.outputs.cross-stack-output-aws_kms_keyKeyarn}' } } },
    });
    const stacks = new Map([['dev', producer], ['dev-shop', consumer]]);

    test('remoteStates finds the producer by cdktf\'s data source name, or by backend', () => {
      expect(remoteStates(consumer, stacks)).toEqual(new Map([['cross-stack-reference-input-dev', 'dev']]));
      const byBackend = stack({ data: { terraform_remote_state: { shared: { backend: 'local', config: { path: 'terraform.dev.tfstate' } } } } });
      expect(remoteStates(byBackend, stacks)).toEqual(new Map([['shared', 'dev']]));
      const unknown = stack({ data: { terraform_remote_state: { other: { backend: 's3', config: { bucket: 'b', key: 'k' } } } } });
      expect(remoteStates(unknown, stacks)).toEqual(new Map([['other', undefined]]));
      const twins = new Map([['a', producer], ['b', producer]]);
      expect(remoteStates(byBackend, twins)).toEqual(new Map([['shared', undefined]]));
    });

    test('outputsRead lists the outputs a stack reads, in either syntax', () => {
      const both = stack({ locals: { a: '${data.terraform_remote_state.x.outputs.first}', b: '${data.terraform_remote_state.x.outputs["second"]}' } });
      expect(outputsRead(both, 'x')).toEqual(['first', 'second']);
      expect(outputsRead(consumer, 'cross-stack-reference-input-dev')).toEqual(['cross-stack-output-aws_kms_keyKeyarn']);
    });

    test('dependencyOrder puts producers first', () => {
      expect(dependencyOrder(new Map([['dev-shop', ['dev']], ['dev', []], ['a-tools', ['dev-shop']]]))).toEqual(['dev', 'dev-shop', 'a-tools']);
    });

    test('fails on a cycle', () => {
      expect(() => dependencyOrder(new Map([['a', ['b']], ['b', ['a']]]))).toThrow('stacks read each other\'s state in a cycle: a -> b -> a');
    });
  });

  describe('testFile', () => {
    test('mocks ARNs and ids in the shape the provider validates, the data sources, and runs plan and apply', () => {
      // GIVEN
      const input = stack({
        resource: { aws_kms_key: { Key: {} }, aws_launch_template: { Nodes: {} }, aws_route53_record: { R: { name: 'x' } } },
        data: {
          aws_availability_zones: { Zones: { filter: [{ name: 'zone-name', values: ['eu-central-1a', 'eu-central-1b'] }] } },
          aws_region: { Current: {} },
        },
      });
      // WHEN
      const file = testFile(input, { account: '111111111111', region: 'eu-central-1', schema: SCHEMA, remoteOutputs: new Map([['x', { a: 'b' }]]) });
      // THEN
      expect(file.mock_provider.aws).toEqual([{
        mock_resource: {
          aws_kms_key: { defaults: { arn: 'arn:aws:kms:eu-central-1:111111111111:key/00000000-0000-0000-0000-000000000000', key_id: '00000000-0000-0000-0000-000000000000' } },
          aws_launch_template: { defaults: { arn: 'arn:aws:ec2:eu-central-1:111111111111:launch-template/lt-0123456789abcdef0', id: 'lt-0123456789abcdef0' } },
        },
        mock_data: {
          aws_availability_zones: { defaults: { names: ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'], zone_ids: ['mock-az1', 'mock-az2', 'mock-az3'] } },
          aws_region: { defaults: { name: 'eu-central-1', endpoint: 'ec2.eu-central-1.amazonaws.com' } },
        },
      }]);
      expect(file.override_data).toEqual([
        { target: 'data.aws_availability_zones.Zones', values: { names: ['eu-central-1a', 'eu-central-1b'], zone_ids: ['mock-az1', 'mock-az2'] } },
        { target: 'data.terraform_remote_state.x', values: { outputs: { a: 'b' } } },
      ]);
      expect(file.run).toEqual({ plan: { command: 'plan' }, apply: { command: 'apply' } });
    });

    test('gives each certificate one validation option per domain', () => {
      const input = stack({ resource: { aws_acm_certificate: { Cert: { domain_name: 'a.example.com', subject_alternative_names: ['*.b.example.com'] } } } });
      const file = testFile(input, { account: '111111111111', region: 'eu-central-1', schema: SCHEMA, remoteOutputs: new Map() });
      expect(file.override_resource[0].target).toBe('aws_acm_certificate.Cert');
      expect(file.override_resource[0].values.domain_validation_options.map((o: any) => `${o.domain_name} ${o.resource_record_name}`))
        .toEqual(['a.example.com _mock.a.example.com.', '*.b.example.com _mock.b.example.com.']);
    });

    test('mocks every aliased AWS provider too', () => {
      const input = stack({ provider: { aws: [{ region: 'eu-central-1' }, { alias: 'us_east_1', region: 'us-east-1' }] } });
      const file = testFile(input, { account: '111111111111', region: 'eu-central-1', schema: SCHEMA, remoteOutputs: new Map() });
      expect(file.mock_provider.aws).toEqual([{}, { alias: 'us_east_1' }]);
    });
  });

  test('forMockedTest leaves out ephemeral blocks no remaining block reads, and names those still read', () => {
    // GIVEN an ephemeral secret read by nothing (its consumer was left out) and one a resource still reads
    const given = stack({
      ephemeral: {
        aws_secretsmanager_secret_version: {
          Unused: { secret_id: 'a' },
          Used: { secret_id: 'b' },
        },
      },
      resource: { aws_kms_key: { Key: { description: '${ephemeral.aws_secretsmanager_secret_version.Used.secret_string}' } } },
    });

    // WHEN
    const result = forMockedTest(given);

    // THEN
    expect(result.dropped).toEqual(['ephemeral.aws_secretsmanager_secret_version.Unused']);
    expect(result.untestable).toEqual(['ephemeral.aws_secretsmanager_secret_version.Used']);
    expect(Object.keys(result.stack.ephemeral.aws_secretsmanager_secret_version)).toEqual(['Used']);
    expect(Object.keys(given.ephemeral.aws_secretsmanager_secret_version)).toEqual(['Unused', 'Used']);
  });

  test('forMockedTest returns a stack without ephemeral blocks unchanged', () => {
    const given = stack({ resource: { aws_kms_key: { Key: { description: 'k' } } } });
    expect(forMockedTest(given)).toEqual({ stack: given, dropped: [], untestable: [] });
  });

  test('renderDiagnostic prints a diagnostic as Terraform does', () => {
    expect(renderDiagnostic({
      severity: 'error',
      summary: 'Invalid index',
      detail: 'The given key does not identify an element in this collection value.',
      range: { filename: 'cdk.tf.json', start: { line: 12 } },
      snippet: { context: 'resource.aws_route53_record.R', code: '    "name": "${x}",', start_line: 12, values: [{ traversal: 'x', statement: 'is empty set of object' }] },
    })).toBe([
      'Error: Invalid index', '', '  on cdk.tf.json line 12, in resource.aws_route53_record.R:', '  12:     "name": "${x}",',
      '    | x is empty set of object', '', 'The given key does not identify an element in this collection value.',
    ].join('\n'));
  });
});
