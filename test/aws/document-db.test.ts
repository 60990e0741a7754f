import { Environment } from '../../lib';
import { DocumentDb, DocumentDbProps } from '../../lib/aws/document-db';
import { INetwork, Network } from '../../lib/aws/network';
import { Postgres } from '../../lib/aws/postgres';
import { devEnvironment, onlyResource, prodEnvironment, resourcesOf, synthStack } from '../support/synth';
import { expectNoDanglingReferences } from '../support/tf-references';

const NODE_SG = 'sg-0123456789abcdef0';
const OTHER_SG = 'sg-0fedcba9876543210';

function network(env: Environment): INetwork {
  return Network.fromAttributes(env, 'Network', {
    vpcId: 'vpc-0123456789abcdef0',
    vpcCidr: '10.30.0.0/16',
    availabilityZones: ['eu-central-1a', 'eu-central-1b'],
    privateSubnetIds: ['subnet-0b000000000000001', 'subnet-0b000000000000002'],
    isolatedSubnetIds: ['subnet-0c000000000000001', 'subnet-0c000000000000002'],
  });
}

function docs(env: Environment, props: Partial<DocumentDbProps> = {}): DocumentDb {
  return new DocumentDb(env, 'Catalog', { network: network(env), ...props });
}

describe('DocumentDb', () => {
  test('a DocumentDB 5.0 cluster in the isolated subnets with a key, subnet group, TLS parameter group and security group of its own', () => {
    // GIVEN
    const env = devEnvironment();
    // WHEN
    const cluster = docs(env, { allowFrom: [NODE_SG] });
    // THEN
    const stack = synthStack(env);
    expect(onlyResource(stack, 'aws_docdb_subnet_group')).toMatchObject({
      name: 'dev-catalog', subnet_ids: ['subnet-0c000000000000001', 'subnet-0c000000000000002'],
    });
    expect(onlyResource(stack, 'aws_docdb_cluster_parameter_group')).toMatchObject({ name: 'dev-catalog-docdb5-0', family: 'docdb5.0' });
    expect(onlyResource(stack, 'aws_kms_key')).toMatchObject({ enable_key_rotation: true });
    expect(resourcesOf(stack, 'aws_kms_alias').map(a => a.name)).toEqual(['alias/paved/dev/docdb/dev-catalog']);
    expect(onlyResource(stack, 'aws_security_group')).toMatchObject({ name: 'docdb-dev-catalog', vpc_id: 'vpc-0123456789abcdef0' });
    expect(cluster.clusterArn).toBe('arn:aws:rds:eu-central-1:123456789012:cluster:dev-catalog');
    expect([cluster.port, cluster.username, cluster.instanceClass]).toEqual([27017, 'paved_admin', 'db.t4g.medium']);
    expectNoDanglingReferences(stack);
  });

  test('allowFrom() admits 27017 from more security groups, in the order allowed', () => {
    const env = devEnvironment();
    const cluster = docs(env, { allowFrom: [NODE_SG] });
    cluster.allowFrom(OTHER_SG, 'Batch jobs');
    expect(resourcesOf(synthStack(env), 'aws_vpc_security_group_ingress_rule').map(r => [r.referenced_security_group_id, r.from_port, r.description]))
      .toEqual([[NODE_SG, 27017, `DocumentDB from ${NODE_SG}`], [OTHER_SG, 27017, 'Batch jobs']]);
  });

  test('the profile decides instances, backups and deletion protection; each can be overridden', () => {
    const prod = prodEnvironment();
    docs(prod);
    expect(resourcesOf(synthStack(prod), 'aws_docdb_cluster_instance')).toHaveLength(2);
    const dev = devEnvironment();
    docs(dev, { multiAz: true, backupRetentionDays: 7, deletionProtection: true });
    const stack = synthStack(dev);
    expect(resourcesOf(stack, 'aws_docdb_cluster_instance')).toHaveLength(2);
    expect(onlyResource(stack, 'aws_docdb_cluster')).toMatchObject({ backup_retention_period: 7, deletion_protection: true, final_snapshot_identifier: 'dev-catalog-final' });
    expect(onlyResource(stack, 'aws_docdb_cluster').lifecycle.prevent_destroy).toBeUndefined();
  });

  describe('fails when', () => {
    test('the identifier is taken by an RDS instance of the environment, or too long for its instances', () => {
      const env = devEnvironment();
      new Postgres(env, 'Db', { network: network(env), identifier: 'dev-catalog' });
      expect(() => new DocumentDb(env, 'Catalog', { network: Network.of(env), identifier: 'dev-catalog' })).toThrow(
        'dev/Catalog: identifier: got "dev-catalog"; expected an identifier not used by dev/Db of the same environment');
      expect(() => docs(devEnvironment(), { identifier: `a${'b'.repeat(61)}` })).toThrow(
        'expected a DocumentDB cluster identifier of at most 61 characters');
    });

    test('the master user name is invalid or reserved', () => {
      expect(() => docs(devEnvironment(), { masterUsername: 'admin' })).toThrow('dev/Catalog: masterUsername: got "admin"');
      expect(() => docs(devEnvironment(), { masterUsername: '1st' })).toThrow('dev/Catalog: masterUsername: got "1st"');
    });

    test('prevent_destroy without deletion protection', () => {
      expect(() => docs(devEnvironment(), { preventDestroy: true })).toThrow('dev/Catalog: deletionProtection: got false');
    });

    test('the network has fewer than two isolated subnets', () => {
      const env = devEnvironment();
      const one = Network.fromAttributes(env, 'One', {
        vpcId: 'vpc-0123456789abcdef0',
        vpcCidr: '10.30.0.0/16',
        availabilityZones: ['eu-central-1a'],
        privateSubnetIds: ['subnet-0b000000000000001'],
        isolatedSubnetIds: ['subnet-0c000000000000001'],
      });
      expect(() => new DocumentDb(env, 'Catalog', { network: one })).toThrow('dev/Catalog: network: got "dev/One"');
    });
  });
});
