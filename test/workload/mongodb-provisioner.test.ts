import { Environment, MongodbProvisioner, Profile, Resource, Size, Workload, WorkloadProps } from '../../lib';
import { databaseAdminFiles } from '../../lib/workload/database-user';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { onlyResource, resourcesOf, statefulAddresses, synthChart, synthStack, testPlatform, workloadEnvironment } from '../support/synth';
import { expectNoDanglingReferences } from '../support/tf-references';

function catalog(env: Environment, props: Partial<WorkloadProps> = {}): Workload {
  return new Workload(env, 'catalog', {
    tenant: 'shop',
    image: 'ghcr.io/acme/catalog:2.0.0',
    port: 8080,
    resources: { docs: Resource.mongodb() },
    env: { MONGODB_URI: '${resources.docs.connection}' },
    ...props,
  });
}

function objects(workload: Workload): { [kind: string]: any } {
  const all = synthChart(workload.environment.chart(workload.name, workload.tenant));
  expectValidKubernetesObjects(all);
  // The workload's dashboard is a ConfigMap too: these tests read the one of its files.
  return Object.fromEntries(all.filter(o => o.metadata.labels?.grafana_dashboard === undefined).map(o => [o.kind, o]));
}

describe('MongodbProvisioner', () => {
  test('handles mongodb with Score\'s outputs host, port, username, password and connection, and database and caFile', () => {
    const provisioner = new MongodbProvisioner();
    expect([provisioner.type, provisioner.outputNames]).toEqual(['mongodb', ['host', 'port', 'username', 'password', 'database', 'connection', 'caFile']]);
    expect(MongodbProvisioner.DEFAULT_CLIENT_IMAGE).toMatch(/^docker\.io\/library\/mongo:8\.0\.14@sha256:[0-9a-f]{64}$/);
  });

  describe('Terraform side', () => {
    test('a DocumentDB 5.0 cluster named after env, tenant, workload and resource: encrypted with its own key, TLS required, '
      + 'the master password managed by DocumentDB, in the isolated subnets, 27017 from the cluster nodes only', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      catalog(env);
      // THEN
      const stack = synthStack(env.tenantScope('shop'));
      expect(onlyResource(stack, 'aws_docdb_cluster')).toMatchObject({
        cluster_identifier: 'dev-shop-catalog-docs',
        engine: 'docdb',
        engine_version: '5.0.0',
        master_username: 'paved_admin',
        manage_master_user_password: true,
        storage_encrypted: true,
        kms_key_id: '${aws_kms_key.catalog_docs_DocumentDb_Key_B5601F94.arn}',
        port: 27017,
        backup_retention_period: 1,
        deletion_protection: false,
        skip_final_snapshot: true,
        lifecycle: { ignore_changes: ['engine_version'] },
      });
      expect(onlyResource(stack, 'aws_docdb_cluster').master_password).toBeUndefined();
      expect(onlyResource(stack, 'aws_docdb_cluster_parameter_group').parameter).toEqual([{ name: 'tls', value: 'enabled' }]);
      expect(onlyResource(stack, 'aws_docdb_cluster_instance')).toMatchObject({
        identifier: 'dev-shop-catalog-docs-1', instance_class: 'db.t4g.medium', ca_cert_identifier: 'rds-ca-rsa2048-g1',
      });
      expect(onlyResource(stack, 'aws_docdb_subnet_group').subnet_ids).toEqual(expect.arrayContaining([expect.stringContaining('Isolated')]));
      expect(onlyResource(stack, 'aws_vpc_security_group_ingress_rule')).toMatchObject({
        referenced_security_group_id: 'sg-0123456789abcdef0', from_port: 27017, to_port: 27017, ip_protocol: 'tcp',
      });
      expect(resourcesOf(stack, 'aws_security_group').find(g => g.name === 'docdb-dev-shop-catalog-docs').egress).toBeUndefined();
      expectNoDanglingReferences(stack);
    });

    test('in PROD: two instances in two zones, deletion protection with a final snapshot, prevent_destroy, 30 days of backups', () => {
      // GIVEN
      const env = workloadEnvironment(testPlatform(), Profile.PROD);
      // WHEN
      catalog(env, { resources: { docs: Resource.mongodb({ size: Size.L }) } });
      // THEN
      const stack = synthStack(env.tenantScope('shop'));
      expect(onlyResource(stack, 'aws_docdb_cluster')).toMatchObject({
        deletion_protection: true,
        skip_final_snapshot: false,
        final_snapshot_identifier: 'prod-shop-catalog-docs-final',
        backup_retention_period: 30,
        lifecycle: { prevent_destroy: true },
      });
      expect(resourcesOf(stack, 'aws_docdb_cluster_instance').map(i => [i.identifier, i.instance_class]))
        .toEqual([['prod-shop-catalog-docs-1', 'db.r6g.large'], ['prod-shop-catalog-docs-2', 'db.r6g.large']]);
      expect(resourcesOf(stack, 'aws_kms_key').find(k => k.description.includes('DocumentDB')).lifecycle).toEqual({ prevent_destroy: true });
    });

    test('the connection secret holds host, port, user and database; the password goes into an empty credentials secret', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      catalog(env);
      // THEN
      const stack = synthStack(env.tenantScope('shop'));
      expect(resourcesOf(stack, 'aws_secretsmanager_secret').map(s => s.name)).toEqual([
        'paved/dev/shop/catalog/docs', 'paved/dev/shop/catalog/docs/credentials',
      ]);
      expect(onlyResource(stack, 'aws_secretsmanager_secret_version').secret_string).toMatch(
        /^\$\{jsonencode\(\{"host" = aws_docdb_cluster\..*\.endpoint, "port" = "27017", "username" = "catalog_docs", "database" = "catalog_docs"\}\)\}$/);
      const admin = JSON.parse(resourcesOf(stack, 'aws_iam_role_policy').find(p => p.name === 'administer-data-stores').policy);
      expect(admin.Statement[0]).toMatchObject({
        Sid: 'ReadClusterMasterSecrets',
        Condition: { StringEquals: { 'secretsmanager:ResourceTag/aws:rds:primaryDBClusterArn': ['arn:aws:rds:eu-central-1:123456789012:cluster:dev-shop-catalog-docs'] } },
      });
    });
  });

  describe('Kubernetes side', () => {
    test('the connection URI is composed by External Secrets, with TLS and the CA file the container gets; never written into YAML', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      const { ExternalSecret, Deployment, ConfigMap } = objects(catalog(env));
      // THEN
      expect(ExternalSecret.spec.target.template).toEqual({
        engineVersion: 'v2',
        mergePolicy: 'Merge',
        data: {
          connection: 'mongodb://{{ .username }}:{{ .password }}@{{ .host }}:{{ .port }}/{{ .database }}'
            + '?tls=true&tlsCAFile=%2Fetc%2Fpaved%2Fca%2Frds-ca.pem&replicaSet=rs0&readPreference=secondaryPreferred&retryWrites=false&authSource=admin',
        },
      });
      expect(ExternalSecret.spec.data.map((d: any) => [d.secretKey, d.remoteRef.key])).toEqual([
        ['host', 'paved/dev/shop/catalog/docs'], ['port', 'paved/dev/shop/catalog/docs'], ['username', 'paved/dev/shop/catalog/docs'],
        ['database', 'paved/dev/shop/catalog/docs'], ['password', 'paved/dev/shop/catalog/docs/credentials'],
      ]);
      const container = Deployment.spec.template.spec.containers[0];
      expect(container.env).toEqual([{ name: 'MONGODB_URI', valueFrom: { secretKeyRef: { name: 'catalog-docs', key: 'connection' } } }]);
      expect(container.volumeMounts.map((m: any) => m.mountPath)).toContain('/etc/paved/ca/rds-ca.pem');
      expect(Object.values<string>(ConfigMap.data)[0].match(/BEGIN CERTIFICATE/g)).toHaveLength(3);
    });

    test('the database admin job makes the user with mongosh, readWrite and dbAdmin on its database only', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      catalog(env);
      // THEN
      const file = databaseAdminFiles(env).find(f => f.name === 'user-shop-catalog-docs')!;
      const all = synthChart(file.chart);
      expectValidKubernetesObjects(all);
      const job = all.find(o => o.kind === 'Job');
      expect(job.spec.template.spec.containers[0].image).toBe(MongodbProvisioner.DEFAULT_CLIENT_IMAGE);
      const script: string = job.spec.template.spec.containers[0].command[2];
      expect(script).toContain("const roles = [{ role: 'readWrite', db: 'catalog_docs' }, { role: 'dbAdmin', db: 'catalog_docs' }];");
      expect(script).toContain("admin.createUser({ user: 'catalog_docs', pwd: env.APP_PASSWORD, roles });");
      expect(script).toContain('mongosh --nodb --quiet --norc --file /tmp/paved-user.js');
      expect(all.find(o => o.kind === 'ExternalSecret' && o.metadata.name.endsWith('-admin')).spec.dataFrom[0].find.tags)
        .toEqual({ 'aws:rds:primaryDBClusterArn': 'arn:aws:rds:eu-central-1:123456789012:cluster:dev-shop-catalog-docs' });
    });
  });

  test('pins the Terraform addresses of its stateful resources (a rename would replace them on upgrade)', () => {
    // GIVEN
    const env = workloadEnvironment(testPlatform(), Profile.PROD);
    // WHEN
    catalog(env);
    // THEN
    expect(statefulAddresses(synthStack(env.tenantScope('shop')))).toEqual([
      'aws_docdb_cluster.catalog_docs_DocumentDb_AB9865E5',
      'aws_kms_key.catalog_docs_DocumentDb_Key_B5601F94',
      'aws_secretsmanager_secret.catalog_docs_ConnectionSecret_D1F3F971',
      'aws_secretsmanager_secret.catalog_docs_Credentials_EA51AD8C',
    ]);
  });

  describe('fails when', () => {
    test('a param is unknown or the database name is invalid', () => {
      const env = workloadEnvironment();
      expect(() => catalog(env, { resources: { docs: Resource.mongodb({ params: { engine: 'mongo' } }) } })).toThrow(
        'dev-shop/catalog/docs: resources.docs.params: got ["engine"]; expected only the params mongodb accepts: databaseName');
      expect(() => catalog(workloadEnvironment(), { resources: { docs: Resource.mongodb({ params: { databaseName: 'admin' } }) } })).toThrow(
        'resources.docs.params.databaseName: got "admin"');
    });

    test('the client image is not pinned by digest', () => {
      expect(() => new MongodbProvisioner({ clientImage: 'mongo:8' })).toThrow('MongodbProvisioner: clientImage: got "mongo:8"');
    });

    test('a declared file of the container has the path of the CA file with other content', () => {
      const env = workloadEnvironment();
      expect(() => catalog(env, { files: [{ path: '/etc/paved/ca/rds-ca.pem', content: 'mine' }] })).toThrow(
        'dev-shop/catalog: resources.docs: got "/etc/paved/ca/rds-ca.pem"; expected a file path no other file of the main container has');
    });
  });
});
