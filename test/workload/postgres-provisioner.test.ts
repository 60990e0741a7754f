import { Environment, MysqlProvisioner, PostgresProvisioner, Provisioners, Resource, Workload } from '../../lib';
import { databaseAdminFiles } from '../../lib/workload/database-user';
import { synthChart, testPlatform, workloadEnvironment } from '../support/synth';

const MIRROR = 'registry.acme.io/mirror/postgres:17.6-alpine@sha256:ef257d85f76e48da1c64832459b59fcaba1a4dac97bf5d7450c77753542eee94';

function jobImage(env: Environment): string {
  const file = databaseAdminFiles(env).find(f => f.name.startsWith('user-'))!;
  return synthChart(file.chart).find(o => o.kind === 'Job').spec.template.spec.containers[0].image;
}

describe('PostgresProvisioner', () => {
  test('handles postgres with Score\'s outputs; its job runs postgres 17.6 (psql) pinned by digest', () => {
    const provisioner = new PostgresProvisioner();
    expect([provisioner.type, provisioner.outputNames]).toEqual(['postgres', ['host', 'port', 'name', 'database', 'username', 'password']]);
    expect(provisioner.clientImage).toBe(PostgresProvisioner.DEFAULT_CLIENT_IMAGE);
    expect(PostgresProvisioner.DEFAULT_CLIENT_IMAGE).toMatch(/^docker\.io\/library\/postgres:17\.6-alpine@sha256:[0-9a-f]{64}$/);
  });

  test('a platform engineer registers it with a client image of the platform\'s registry', () => {
    // GIVEN
    const platform = testPlatform();
    Provisioners.register(platform, new PostgresProvisioner({ clientImage: MIRROR }));
    const env = workloadEnvironment(platform);
    // WHEN
    new Workload(env, 'orders', { tenant: 'shop', image: 'ghcr.io/acme/orders:1.4.2', port: 8080, resources: { db: Resource.postgres() } });
    // THEN
    expect(jobImage(env)).toBe(MIRROR);
  });

  test('fails when the client image is not pinned by digest', () => {
    expect(() => new PostgresProvisioner({ clientImage: 'postgres:17' })).toThrow(
      'PostgresProvisioner: clientImage: got "postgres:17"; expected a client image pinned by its digest');
    expect(() => new MysqlProvisioner({ clientImage: 'mysql:8.4' })).toThrow('MysqlProvisioner: clientImage: got "mysql:8.4"');
  });
});

describe('MysqlProvisioner client image', () => {
  test('mysql 8.4.6 pinned by digest by default, or the one given', () => {
    expect(MysqlProvisioner.DEFAULT_CLIENT_IMAGE).toMatch(/^docker\.io\/library\/mysql:8\.4\.6@sha256:[0-9a-f]{64}$/);
    expect(new MysqlProvisioner({ clientImage: MIRROR }).clientImage).toBe(MIRROR);
  });
});
