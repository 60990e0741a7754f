import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Fn, TerraformLocal, TerraformOutput, TerraformStack, TerraformVariable, Testing, propertyAccess } from 'cdktf';
import { expectNoDanglingReferences, findDanglingReferences, interpolations } from './tf-references';

/** A stack that uses every kind of reference cdktf emits. */
function referencingStack(): any {
  const stack = new TerraformStack(Testing.app(), 'refs');
  new AwsProvider(stack, 'aws', { region: 'eu-central-1' });
  const west = new AwsProvider(stack, 'west', { region: 'eu-west-1', alias: 'west' });
  const cidr = new TerraformVariable(stack, 'cidr', { type: 'string' });
  const prefix = new TerraformLocal(stack, 'prefix', 'shop');
  const zones = new DataAwsAvailabilityZones(stack, 'zones', { state: 'available' });
  const vpc = new Vpc(stack, 'vpc', { cidrBlock: cidr.stringValue, tags: { Name: `${prefix.asString}-vpc` } });
  const subnet = new Subnet(stack, 'subnet', {
    vpcId: vpc.id,
    availabilityZone: Fn.element(zones.names, 0),
    cidrBlock: Fn.cidrsubnet(vpc.cidrBlock, 4, 1),
    provider: west,
    dependsOn: [vpc],
  });
  const db = new DbInstance(stack, 'db', { instanceClass: 'db.t4g.micro', manageMasterUserPassword: true, dbSubnetGroupName: subnet.id });
  new TerraformOutput(stack, 'secret', { value: propertyAccess(Fn.tolist(db.masterUserSecret), ['0', 'secret_arn']) });
  new TerraformOutput(stack, 'secretArn', { value: db.masterUserSecret.get(0).secretArn });
  return JSON.parse(Testing.synth(stack));
}

describe('findDanglingReferences', () => {
  test('passes a stack whose references all resolve', () => {
    // GIVEN
    const stack = referencingStack();

    // THEN
    expect(findDanglingReferences(stack)).toEqual([]);
    expect(() => expectNoDanglingReferences(stack)).not.toThrow();
  });

  test('finds a reference to a resource that is not declared', () => {
    // GIVEN
    const stack = referencingStack();

    // WHEN
    delete stack.resource.aws_vpc;

    // THEN
    const problems = findDanglingReferences(stack);
    expect(problems).toContain('resource.aws_subnet.subnet.vpc_id: ${aws_vpc.vpc.id} references aws_vpc.vpc, which is not a declared resource');
    expect(problems).toContain('resource.aws_subnet.subnet.cidr_block: ${cidrsubnet(aws_vpc.vpc.cidr_block, 4, 1)} references aws_vpc.vpc, which is not a declared resource');
    expect(problems).toContain('resource.aws_subnet.subnet.depends_on[0]: aws_vpc.vpc references aws_vpc.vpc, which is not a declared resource');
  });

  test('finds references to missing data sources, variables and locals', () => {
    // GIVEN
    const stack = referencingStack();

    // WHEN
    delete stack.data;
    delete stack.variable;
    delete stack.locals;

    // THEN
    expect(findDanglingReferences(stack)).toEqual([
      'resource.aws_subnet.subnet.availability_zone: ${element(data.aws_availability_zones.zones.names, 0)} references data.aws_availability_zones.zones, which is not declared',
      'resource.aws_vpc.vpc.cidr_block: ${var.cidr} references var.cidr, which is not a declared variable',
      'resource.aws_vpc.vpc.tags.Name: ${local.prefix} references local.prefix, which is not a declared local',
    ]);
  });

  test('finds a reference inside a function call with an index and attribute after it', () => {
    // GIVEN
    const stack = referencingStack();

    // WHEN
    stack.output.secretArn.value = '${tolist(aws_db_instance.primary.master_user_secret)[0].secret_arn}';

    // THEN
    expect(findDanglingReferences(stack)).toEqual([
      'output.secretArn.value: ${tolist(aws_db_instance.primary.master_user_secret)[0].secret_arn} references aws_db_instance.primary, which is not a declared resource',
    ]);
  });

  test('finds a provider meta-argument that names no provider configuration', () => {
    // GIVEN
    const stack = referencingStack();

    // WHEN
    stack.provider.aws = stack.provider.aws.filter((p: any) => p.alias !== 'west');

    // THEN
    expect(findDanglingReferences(stack)).toEqual([
      'resource.aws_subnet.subnet.provider: aws.west is not a declared provider configuration (aws)',
    ]);
  });

  test('finds an unescaped IAM policy variable', () => {
    // GIVEN
    const stack = referencingStack();

    // WHEN
    stack.output.secret.value = '{"Resource":"arn:aws:s3:::b/${aws:username}/*"}';

    // THEN
    expect(findDanglingReferences(stack)).toEqual([
      'output.secret.value: ${aws:username} references aws, which is not a declared name (an IAM policy variable must be escaped as $${...})',
    ]);
  });

  test('accepts built-in roots, for-expression names, object keys, dynamic block iterators and escapes', () => {
    // GIVEN
    const stack = {
      variable: { names: {} },
      resource: {
        aws_security_group: {
          web: {
            name: '${each.key}-${count.index}-${path.module}-${terraform.workspace}-${self.id}',
            description: '$${not.an.interpolation} and %%{ not a directive }',
            tags: '${{ for k, v in var.names : k => upper(v) }}',
            labels: '${[for name in var.names : "${name}-x"]}',
            note: '%{ for n in var.names }${n}%{ endfor }',
            map: '${merge({ Name = "x", "Team" = true }, { Count = 1e3 + 0.5 })}',
            dynamic: { ingress: { for_each: '${var.names}', content: { from_port: '${ingress.value}' } } },
            provider_fn: '${provider::aws::arn_parse(var.names)}',
            ternary: '${var.names == null ? [] : [var.names]}',
          },
        },
      },
    };

    // THEN
    expect(findDanglingReferences(stack)).toEqual([]);
  });

  test('finds an unterminated interpolation', () => {
    // GIVEN
    const stack = { output: { o: { value: '${aws_vpc.x.id' } } };

    // THEN
    expect(findDanglingReferences(stack)).toEqual([
      'output.o.value: "${aws_vpc.x.id": unterminated interpolation starting "${aws_vpc.x.id"',
    ]);
  });

  test('expectNoDanglingReferences lists every dangling reference', () => {
    // GIVEN
    const stack = { output: { o: { value: '${aws_vpc.x.id}' }, p: { value: '${var.y}' } } };

    // THEN
    expect(() => expectNoDanglingReferences(stack)).toThrow(
      '2 dangling Terraform reference(s):\n'
      + '  output.o.value: ${aws_vpc.x.id} references aws_vpc.x, which is not a declared resource\n'
      + '  output.p.value: ${var.y} references var.y, which is not a declared variable');
  });
});

describe('interpolations', () => {
  test('returns nested expressions after the one that contains them, with string literals blanked', () => {
    expect(interpolations('a-${x}-${f("${y}", "z")}-$${w}')).toEqual(['x', 'f("", "")', 'y']);
  });
});
