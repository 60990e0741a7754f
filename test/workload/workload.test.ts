import {
  Cluster, Environment, Network, NetworkPolicyEnforcement, Platform, Probe, Profile, Provisioners, Resource, Size, StackLayout, TerraformState,
  Workload, WorkloadProps,
} from '../../lib';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { onlyResource, resourcesOf, synthChart, synthStack, testPlatform, workloadEnvironment } from '../support/synth';
import { expectNoDanglingReferences } from '../support/tf-references';

const DATABASE_URL = 'postgres://${resources.db.username}:${resources.db.password}@${resources.db.host}:${resources.db.port}/${resources.db.database}';

function orders(env: Environment, props: Partial<WorkloadProps> = {}): Workload {
  return new Workload(env, 'orders', {
    tenant: 'shop',
    image: 'ghcr.io/acme/orders:1.4.2',
    port: 8080,
    host: 'orders.acme.io',
    resources: { db: Resource.postgres() },
    env: { DATABASE_URL },
    ...props,
  });
}

function objects(workload: Workload): { [kind: string]: any } {
  const all = synthChart(workload.environment.chart(workload.name, workload.tenant));
  expectValidKubernetesObjects(all);
  return Object.fromEntries(all.map(o => [o.kind, o]));
}

function container(workload: Workload): any {
  return objects(workload).Deployment.spec.template.spec.containers[0];
}

describe('Workload', () => {
  describe('Terraform side', () => {
    test('creates the database through the postgres provisioner, named after env, tenant, workload and resource', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      orders(env);
      // THEN
      const stack = synthStack(env.tenantScope('shop'));
      const db = onlyResource(stack, 'aws_db_instance');
      expect(db.identifier).toBe('dev-shop-orders-db');
      expect(db.db_name).toBe('orders_db');
      expect(db.manage_master_user_password).toBe(true);
      expectNoDanglingReferences(stack);
    });

    test('writes the connection secret paved/<env>/<tenant>/<workload>/<resource> without a password', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      orders(env);
      // THEN
      const stack = synthStack(env.tenantScope('shop'));
      const secret = resourcesOf(stack, 'aws_secretsmanager_secret').find(s => s.name === 'paved/dev/shop/orders/db');
      // The environment's secrets key lives in the foundation stack: read through its remote state.
      expect(secret.kms_key_id).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-dev\.outputs\.cross-stack-output-aws_kms_keySecretsKey_[0-9A-F]{8}arn\}$/);
      const version = onlyResource(stack, 'aws_secretsmanager_secret_version');
      expect(version.secret_string).toMatch(/^\$\{jsonencode\(\{"host" = aws_db_instance\..*\.address, "port" = "5432", "name" = "orders_db", "database" = "orders_db", "username" = "orders_db"\}\)\}$/);
      expect(version.secret_string).not.toMatch(/password/);
    });

    test('binds an IAM role to the ServiceAccount with EKS Pod Identity and grants IAM-auth connect as the application user (auth: iam)', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      orders(env, { resources: { db: Resource.postgres({ params: { auth: 'iam' } }) }, env: {} });
      // THEN
      const stack = synthStack(env.tenantScope('shop'));
      const association = onlyResource(stack, 'aws_eks_pod_identity_association');
      expect(association).toMatchObject({ cluster_name: 'dev-main', namespace: 'shop', service_account: 'orders' });
      const policy = JSON.parse(resourcesOf(stack, 'aws_iam_role_policy').find(p => p.name === 'paved-grants').policy);
      expect(policy.Statement).toEqual([expect.objectContaining({
        Action: 'rds-db:connect',
        Resource: expect.stringMatching(/^arn:aws:rds-db:eu-central-1:123456789012:dbuser:\$\{aws_db_instance\..*\.resource_id\}\/orders_db$/),
      })]);
    });

    test('opens 5432 on the database from the cluster nodes only', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      orders(env);
      // THEN
      const rule = onlyResource(synthStack(env.tenantScope('shop')), 'aws_vpc_security_group_ingress_rule');
      expect(rule).toMatchObject({ referenced_security_group_id: 'sg-0123456789abcdef0', from_port: 5432, to_port: 5432, ip_protocol: 'tcp' });
      expect(rule.description).toBeTruthy();
    });

    test('gives the tenant a role that reads only its own secrets, never the RDS secret of its database', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      orders(env);
      // THEN
      const stack = synthStack(env.tenantScope('shop'));
      const role = resourcesOf(stack, 'aws_iam_role').find(r => r.name === 'dev-shop-secrets');
      expect(JSON.parse(role.assume_role_policy).Statement[0].Principal).toEqual({ AWS: 'arn:aws:iam::123456789012:role/paved-dev-external-secrets' });
      const policy = JSON.parse(resourcesOf(stack, 'aws_iam_role_policy').find(p => p.name === 'read-tenant-secrets').policy);
      const bySid = Object.fromEntries(policy.Statement.map((s: any) => [s.Sid, s]));
      expect(bySid.ReadTenantSecrets.Resource).toBe('arn:aws:secretsmanager:eu-central-1:123456789012:secret:paved/dev/shop/*');
      expect(Object.keys(bySid)).toEqual(['ReadTenantSecrets', 'DecryptThroughSecretsManager']);
      expect(bySid.DecryptThroughSecretsManager.Condition).toEqual({ StringEquals: { 'kms:ViaService': 'secretsmanager.eu-central-1.amazonaws.com' } });
    });

    test('shares one tenant role between the workloads of a tenant', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      orders(env);
      new Workload(env, 'payments', { tenant: 'shop', image: 'ghcr.io/acme/payments:2.0.0', port: 8080 });
      // THEN
      expect(resourcesOf(synthStack(env.tenantScope('shop')), 'aws_iam_role').filter(r => r.name === 'dev-shop-secrets')).toHaveLength(1);
    });
  });

  describe('Kubernetes side', () => {
    test('makes the web app with the workload name, in the tenant namespace', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      const { Deployment, Service, Ingress, ServiceAccount } = objects(orders(env));
      // THEN
      expect(Deployment.metadata).toMatchObject({ name: 'orders', namespace: 'shop' });
      expect(Service.metadata.name).toBe('orders');
      expect(Ingress.spec.rules[0].host).toBe('orders.acme.io');
      expect(ServiceAccount.metadata.name).toBe('orders');
    });

    test('serves the host through the AWS Load Balancer Controller: class alb, IP targets, HTTPS, admitted from the public subnets', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      const { Ingress, NetworkPolicy } = objects(orders(env));
      // THEN
      expect(Ingress.spec.ingressClassName).toBe('alb');
      expect(Ingress.spec.tls).toEqual([{ hosts: ['orders.acme.io'], secretName: 'orders-tls' }]);
      expect(Ingress.metadata.annotations).toEqual({
        'alb.ingress.kubernetes.io/target-type': 'ip',
        'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP":80},{"HTTPS":443}]',
        'alb.ingress.kubernetes.io/ssl-redirect': '443',
        'alb.ingress.kubernetes.io/healthcheck-path': '/readyz',
      });
      const network = Network.of(env) as Network;
      expect(NetworkPolicy.spec.ingress).toEqual([{
        from: network.publicSubnetCidrs.map(cidr => ({ ipBlock: { cidr } })),
        ports: [{ protocol: 'TCP', port: 8080 }],
      }]);
      expect(network.publicSubnetCidrs.length).toBeGreaterThan(0);
    });

    test('leaves the load balancer health check path alone when a probe replaces the readiness path', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      const { Ingress } = objects(orders(env, { readinessProbe: Probe.httpGet({ path: '/health' }) }));
      // THEN
      expect(Ingress.metadata.annotations['alb.ingress.kubernetes.io/healthcheck-path']).toBeUndefined();
    });

    test('admits the load balancer from the whole VPC of an imported network, whose subnet ranges paved does not know', () => {
      // GIVEN
      const env = new Environment(testPlatform(), 'dev', { account: '123456789012', region: 'eu-central-1', profile: Profile.DEV, state: TerraformState.local() });
      Network.fromAttributes(env, 'Network', {
        vpcId: 'vpc-0123456789abcdef0',
        vpcCidr: '10.30.0.0/16',
        availabilityZones: ['eu-central-1a', 'eu-central-1b'],
        privateSubnetIds: ['subnet-0b000000000000001', 'subnet-0b000000000000002'],
        isolatedSubnetIds: ['subnet-0c000000000000001'],
      });
      Cluster.fromAttributes(env, 'Cluster', { clusterName: 'dev-main', nodeSecurityGroupId: 'sg-0123456789abcdef0', networkPolicyEnforcement: NetworkPolicyEnforcement.vpcCni() });
      // WHEN
      const { NetworkPolicy } = objects(orders(env, { resources: {}, env: {} }));
      // THEN
      expect(NetworkPolicy.spec.ingress[0].from).toEqual([{ ipBlock: { cidr: '10.30.0.0/16' } }]);
    });

    test('materializes the connection details and the generated password through the tenant SecretStore', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      const { ExternalSecret } = objects(orders(env));
      // THEN
      expect(ExternalSecret.apiVersion).toBe('external-secrets.io/v1');
      expect(ExternalSecret.metadata).toMatchObject({ name: 'orders-db', namespace: 'shop' });
      expect(ExternalSecret.spec.secretStoreRef).toEqual({ kind: 'SecretStore', name: 'paved' });
      expect(ExternalSecret.spec.data.map((d: any) => [d.secretKey, d.remoteRef.key, d.remoteRef.property])).toEqual([
        ...['host', 'port', 'name', 'database', 'username'].map(k => [k, 'paved/dev/shop/orders/db', k]),
        ['password', 'paved/dev/shop/orders/db/credentials', 'password'],
      ]);
      expect(ExternalSecret.spec.dataFrom).toBeUndefined();
      expect(ExternalSecret.spec.target.template).toBeUndefined();
    });

    test('puts the ExternalSecret in the secrets sync wave, before the Deployment that reads its Secret', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      const { ExternalSecret, Deployment } = objects(orders(env));
      // THEN
      expect(ExternalSecret.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-2' });
      expect(Deployment.metadata.annotations?.['argocd.argoproj.io/sync-wave']).toBeUndefined();
    });

    test('writes the tenant boundary, with a SecretStore that uses the tenant role', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      orders(env);
      // THEN
      const tenant = synthChart(env.chart('tenant', 'shop'));
      expectValidKubernetesObjects(tenant);
      expect(tenant.map(o => o.kind)).toContain('Namespace');
      const store = tenant.find(o => o.kind === 'SecretStore');
      expect(store).toMatchObject({
        kind: 'SecretStore',
        metadata: { name: 'paved', namespace: 'shop' },
        spec: { provider: { aws: { service: 'SecretsManager', region: 'eu-central-1', role: 'arn:aws:iam::123456789012:role/dev-shop-secrets' } } },
      });
    });

    test('composes env values from secret outputs with $(VAR), never writing secrets into YAML', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      const c = container(orders(env));
      // THEN
      expect(c.env).toEqual([
        { name: 'PAVED_ORDERS_DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'orders-db', key: 'password' } } },
        { name: 'PAVED_ORDERS_DB_HOST', valueFrom: { secretKeyRef: { name: 'orders-db', key: 'host' } } },
        { name: 'DATABASE_URL', value: 'postgres://orders_db:$(PAVED_ORDERS_DB_PASSWORD)@$(PAVED_ORDERS_DB_HOST):5432/orders_db' },
      ]);
    });

    test('a value that is exactly one secret output becomes a plain secretKeyRef', () => {
      const c = container(orders(workloadEnvironment(), { env: { DB_PASSWORD: '${resources.db.password}' } }));
      expect(c.env).toEqual([{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'orders-db', key: 'password' } } }]);
    });

    test('outputs known at synth time become literals', () => {
      const c = container(orders(workloadEnvironment(), { env: { DB_PORT: '${resources.db.port}', DB_NAME: '${resources.db.name}' } }));
      expect(c.env).toEqual([{ name: 'DB_PORT', value: '5432' }, { name: 'DB_NAME', value: 'orders_db' }]);
    });

    test('${metadata.name} and ${metadata.annotations.x} resolve; $$ is a literal $, so $${ is a literal ${', () => {
      const c = container(orders(workloadEnvironment(), {
        annotations: { 'acme.io/team': 'checkout' },
        env: { SERVICE: '${metadata.name}', TEAM: '${metadata.annotations.acme\\.io/team}', TEMPLATE: '$${HOME}', PRICE: 'US$$5', HOME_REF: '$HOME' },
        resources: {},
      }));
      expect(c.env).toEqual([
        { name: 'SERVICE', value: 'orders' },
        { name: 'TEAM', value: 'checkout' },
        { name: 'TEMPLATE', value: '${HOME}' },
        { name: 'PRICE', value: 'US$5' },
        { name: 'HOME_REF', value: '$HOME' },
      ]);
    });

    test('a literal value is escaped so Kubernetes neither expands $(VAR) nor folds $$ in it', () => {
      // GIVEN values Kubernetes would change: $(VAR) is expanded, $$ becomes $
      const c = container(orders(workloadEnvironment(), {
        env: { SHELL_LIKE: 'a$(DATABASE_URL)', DOLLARS: 'pa$$$$word', END: 'cost$' },
        resources: {},
      }));

      // THEN each $ that starts $( or $$ is doubled: the container sees the text as given
      expect(c.env).toEqual([
        { name: 'SHELL_LIKE', value: 'a$$(DATABASE_URL)' },
        { name: 'DOLLARS', value: 'pa$$$word' },
        { name: 'END', value: 'cost$' },
      ]);
    });

    test('literal $( and $$ next to a secret output are escaped; the helper reference is not', () => {
      // GIVEN text ending in "$$" (a literal "$") right before a secret output
      const c = container(orders(workloadEnvironment(), { env: { X: '$(keep)US$$${resources.db.host}' } }));
      // THEN the "$" is doubled, or Kubernetes would read "$$(PAVED_...)" as a literal "$(PAVED_...)"
      expect(c.env.find((e: any) => e.name === 'X').value).toBe('$$(keep)US$$$(PAVED_ORDERS_DB_HOST)');
    });

    test('allows egress to the pod identity agent and to the database port in the VPC', () => {
      const { NetworkPolicy } = objects(orders(workloadEnvironment()));
      const egress = NetworkPolicy.spec.egress.map((e: any) => [e.to?.[0]?.ipBlock?.cidr, e.ports.map((p: any) => p.port)]);
      expect(egress).toContainEqual(['169.254.170.23/32', [80]]);
      expect(egress).toContainEqual(['10.10.0.0/16', [5432]]);
    });

    test('asks Reloader to restart the pods when a connection secret changes (RDS rotates the password)', () => {
      const { Deployment } = objects(orders(workloadEnvironment()));
      expect(Deployment.metadata.annotations['secret.reloader.stakater.com/reload']).toBe('orders-db');
    });

    test('reads sizes and replicas from the size and the profile', () => {
      // GIVEN
      const env = workloadEnvironment(testPlatform(), Profile.PROD);
      // WHEN
      const { HorizontalPodAutoscaler, Deployment } = objects(orders(env, { size: Size.L }));
      // THEN
      expect(HorizontalPodAutoscaler.spec).toMatchObject({ minReplicas: 3, maxReplicas: 12 });
      expect(Deployment.spec.replicas).toBeUndefined();
      expect(Deployment.spec.template.spec.containers[0].resources.requests).toEqual({ 'cpu': '500m', 'memory': '512Mi', 'ephemeral-storage': '256Mi' });
    });

    test('defaults to size M and records it', () => {
      const { HorizontalPodAutoscaler } = objects(orders(workloadEnvironment()));
      expect(HorizontalPodAutoscaler.spec.maxReplicas).toBe(Size.M.app.maxReplicas);
    });
  });

  describe('bad input', () => {
    test('fails when it would run on an imported cluster that does not say how it enforces NetworkPolicies', () => {
      // GIVEN a cluster imported without networkPolicyEnforcement: the workload's NetworkPolicy may be inert there
      const env = new Environment(testPlatform(), 'dev', { account: '123456789012', region: 'eu-central-1', profile: Profile.DEV, state: TerraformState.local() });
      new Network(env, 'Network', { cidr: '10.10.0.0/16' });
      const blue = Cluster.fromAttributes(env, 'Blue', { clusterName: 'dev-blue', nodeSecurityGroupId: 'sg-0123456789abcdef0' });
      // WHEN / THEN: by default (the environment's one cluster) and when named
      expect(() => orders(env, { resources: {}, env: {} })).toThrow('dev-shop/orders: cluster: got "dev/Blue"; expected a cluster that states how '
        + 'it enforces the NetworkPolicies paved writes (default-deny per tenant, one policy per workload): dev/Blue was imported without '
        + 'networkPolicyEnforcement; add networkPolicyEnforcement: NetworkPolicyEnforcement.vpcCni()');
      expect(() => new Workload(env, 'billing', { tenant: 'shop', image: 'ghcr.io/acme/billing:1.0.0', port: 8080, cluster: blue }))
        .toThrow('dev-shop/billing: cluster: got "dev/Blue"; expected a cluster that states how it enforces the NetworkPolicies');
    });

    test('runs on an imported cluster whose enforcement is acknowledged, or stated as missing in DEV (a warning)', () => {
      // GIVEN
      const platform = testPlatform();
      const env = new Environment(platform, 'dev', { account: '123456789012', region: 'eu-central-1', profile: Profile.DEV, state: TerraformState.local() });
      new Network(env, 'Network', { cidr: '10.10.0.0/16' });
      const calico = Cluster.fromAttributes(env, 'Calico', {
        clusterName: 'dev-calico',
        nodeSecurityGroupId: 'sg-0123456789abcdef0',
        networkPolicyEnforcement: NetworkPolicyEnforcement.acknowledged('Calico'),
      });
      const sandbox = Cluster.fromAttributes(env, 'Sandbox', {
        clusterName: 'dev-sandbox',
        nodeSecurityGroupId: 'sg-0123456789abcdef1',
        networkPolicyEnforcement: NetworkPolicyEnforcement.notEnforced('throw-away sandbox'),
      });
      // WHEN
      const onCalico = orders(env, { resources: {}, env: {}, cluster: calico });
      const onSandbox = new Workload(env, 'billing', { tenant: 'shop', image: 'ghcr.io/acme/billing:1.0.0', port: 8080, cluster: sandbox });
      // THEN
      expect(onCalico.clusters).toEqual([calico]);
      expect(onSandbox.clusters).toEqual([sandbox]);
      expect(platform.warnings).toEqual([expect.stringMatching(/^dev\/Sandbox: NetworkPolicies are not enforced on this cluster/)]);
    });

    test('fails when the image has no tag, where the profile requires pinned images (PROD)', () => {
      expect(() => orders(workloadEnvironment(testPlatform(), Profile.PROD), { image: 'ghcr.io/acme/orders' }))
        .toThrow(/prod\/shop\/orders\/WebApp: image: got "ghcr.io\/acme\/orders"; expected an image with a tag or a digest/);
    });

    test('fails when the image is :latest, where the profile requires pinned images (PROD)', () => {
      expect(() => orders(workloadEnvironment(testPlatform(), Profile.PROD), { image: 'ghcr.io/acme/orders:latest' }))
        .toThrow(/image: got "ghcr.io\/acme\/orders:latest"/);
    });

    test('warns about a :latest image where the profile lets it pass (DEV)', () => {
      // GIVEN
      const env = workloadEnvironment();
      // WHEN
      orders(env, { image: 'ghcr.io/acme/orders:latest' });
      // THEN
      expect(Platform.of(env).warnings).toEqual([expect.stringMatching(/^dev\/shop\/orders\/WebApp: image: image "ghcr.io\/acme\/orders:latest" is not pinned/)]);
    });

    test('fails when the port is outside 1-65535', () => {
      expect(() => orders(workloadEnvironment(), { port: 70000 })).toThrow(/port: got 70000/);
    });

    test('fails when the host is not a DNS name', () => {
      expect(() => orders(workloadEnvironment(), { host: 'orders acme' })).toThrow(/host: got "orders acme"/);
    });

    test('fails when the tenant is not a DNS label or too long', () => {
      expect(() => orders(workloadEnvironment(), { tenant: 'Shop' })).toThrow('dev/orders: tenant: got "Shop"; expected a DNS label: 1-30');
      expect(() => orders(workloadEnvironment(), { tenant: 's'.repeat(31) })).toThrow(/dev\/orders: tenant: got "s{31}"/);
    });

    test('fails when the workload name is invalid or too long', () => {
      const env = workloadEnvironment();
      expect(() => new Workload(env, 'Orders', { tenant: 'shop', image: 'a/b:1', port: 80 })).toThrow('dev-shop/Orders: name: got "Orders"; expected a DNS label');
      expect(() => new Workload(env, 'o'.repeat(31), { tenant: 'shop', image: 'a/b:1', port: 80 })).toThrow(/name: got "o{31}"/);
    });

    test('fails when the workload name is reserved', () => {
      expect(() => new Workload(workloadEnvironment(), 'tenant', { tenant: 'shop', image: 'a/b:1', port: 80 }))
        .toThrow('dev-shop/tenant: name: got "tenant"; expected a name other than tenant, secrets (reserved for the tenant\'s own manifest and secrets role)');
    });

    test('fails when the workload is named "secrets": its role would take the tenant\'s secrets role name', () => {
      expect(() => new Workload(workloadEnvironment(), 'secrets', { tenant: 'shop', image: 'a/b:1', port: 80 }))
        .toThrow('dev-shop/secrets: name: got "secrets"; expected a name other than tenant, secrets');
    });

    test('fails when two workloads of a tenant share a name (per-tenant stacks)', () => {
      const env = workloadEnvironment();
      orders(env);
      orders(env, { tenant: 'other' });
      expect(() => orders(env)).toThrow('dev/orders: name: got "orders"; expected a name not used by another workload or construct of tenant shop of environment dev');
    });

    test('fails when two workloads of an environment share a name (single stack)', () => {
      const env = workloadEnvironment(undefined, undefined, undefined, StackLayout.SINGLE_STACK);
      orders(env);
      expect(() => orders(env, { tenant: 'other' })).toThrow('dev/orders: name: got "orders"; expected a name not used by another workload or construct of environment dev');
    });

    test('fails when a resource type is unknown, listing the known ones', () => {
      expect(() => orders(workloadEnvironment(), { resources: { db: Resource.of('oracle') } }))
        .toThrow(/dev-shop\/orders\/resources.db: type: got "oracle"; expected a resource type with a provisioner: .*postgres/);
    });

    test('fails when a resource name is not a DNS label', () => {
      expect(() => orders(workloadEnvironment(), { resources: { DB: Resource.postgres() }, env: {} })).toThrow('dev-shop/orders: resources.DB: got "DB"');
    });

    test('fails when a placeholder names an unknown resource', () => {
      expect(() => orders(workloadEnvironment(), { env: { X: '${resources.cache.host}' } }))
        .toThrow('dev-shop/orders: env.X: got "${resources.cache.host}"; expected a placeholder to a declared resource (db); "cache" is not one');
    });

    test('fails when a placeholder names an unknown output', () => {
      expect(() => orders(workloadEnvironment(), { env: { X: '${resources.db.hostname}' } }))
        .toThrow('dev-shop/orders: env.X: got "${resources.db.hostname}"; expected an output of db: host, port, name, database, username, password; "hostname" is not one');
    });

    test('fails when a placeholder names an unknown annotation or is malformed', () => {
      expect(() => orders(workloadEnvironment(), { env: { X: '${metadata.annotations.team}' } })).toThrow(/"team" is not one/);
      expect(() => orders(workloadEnvironment(), { env: { X: '${resources.db}' } })).toThrow(/expected placeholders of the form/);
      expect(() => orders(workloadEnvironment(), { env: { X: '${resources.db.host' } })).toThrow(/unterminated placeholder/);
    });

    test('fails when an env var name is invalid', () => {
      expect(() => orders(workloadEnvironment(), { env: { '1X': 'a' } })).toThrow('dev-shop/orders: env.1X: got "1X"');
    });

    test('fails when postgres params are unknown', () => {
      expect(() => orders(workloadEnvironment(), { resources: { db: Resource.postgres({ params: { engine: 'mysql' } }) } }))
        .toThrow('dev-shop/orders/db: resources.db.params: got ["engine"]; expected only the params postgres accepts: databaseName');
    });

    test('fails when a size has a CPU request above its limit', () => {
      expect(() => Size.M.extend('bad', { app: { ...Size.M.app, cpuRequestMillis: 3000 } })).toThrow(/app.cpuLimitMillis: got 1000; expected an integer from 3000/);
    });
  });

  test.each([StackLayout.PER_TENANT, StackLayout.SINGLE_STACK])('allOf lists the environment\'s workloads in the order declared (%s)', layout => {
    // GIVEN
    const env = workloadEnvironment(undefined, undefined, undefined, layout);
    const other = workloadEnvironment(env.platform, Profile.PROD);
    // WHEN
    const first = orders(env);
    const second = new Workload(env, 'insights', { tenant: 'analytics', image: 'ghcr.io/acme/insights:2.1.0', port: 8080 });
    orders(other);
    // THEN
    expect(Workload.allOf(env)).toEqual([first, second]);
  });

  test('platform engineers register provisioners for new types', () => {
    // GIVEN
    const platform = testPlatform();
    const env = workloadEnvironment(platform);
    Provisioners.register(platform, {
      type: 'acme-flags',
      outputNames: ['url'],
      provision: () => ({ outputs: [{ name: 'url', secret: false, value: 'https://flags.acme.io' }], remoteKeys: [] }),
    });
    // WHEN
    const c = container(orders(env, { resources: { flags: Resource.of('acme-flags') }, env: { FLAGS: '${resources.flags.url}' } }));
    // THEN
    expect(c.env).toEqual([{ name: 'FLAGS', value: 'https://flags.acme.io' }]);
    expect(Provisioners.types(platform)).toContain('acme-flags');
  });

  test('fails when a provisioner returns an output its type does not declare', () => {
    const platform = testPlatform();
    const env = workloadEnvironment(platform);
    Provisioners.register(platform, {
      type: 'acme-flags',
      outputNames: ['url'],
      provision: () => ({ outputs: [{ name: 'endpoint', secret: false, value: 'x' }], remoteKeys: [] }),
    });
    expect(() => orders(env, { resources: { flags: Resource.of('acme-flags') }, env: {} }))
      .toThrow('dev-shop/orders: resources.flags: got "endpoint"; expected an output the acme-flags provisioner declares (url)');
  });

  test('fails when a provisioner returns an output with neither a value nor a secret key', () => {
    const platform = testPlatform();
    const env = workloadEnvironment(platform);
    Provisioners.register(platform, {
      type: 'acme-flags',
      outputNames: ['token'],
      provision: () => ({ outputs: [{ name: 'token', secret: true }], remoteKeys: [] }),
    });
    expect(() => orders(env, { resources: { flags: Resource.of('acme-flags') }, env: {} }))
      .toThrow('dev-shop/orders: resources.flags: got "token"; expected an output with a literal value, a secretKeyRef or a remote secret key of the same name');
  });

  test('reads an output a provisioner gives by secretKeyRef from that Secret, and reaches what its egressRules allow', () => {
    // GIVEN a provisioner whose token an operator writes into a Secret of the namespace, served by pods of another namespace
    const platform = testPlatform();
    const env = workloadEnvironment(platform);
    Provisioners.register(platform, {
      type: 'acme-flags',
      outputNames: ['token'],
      provision: () => ({
        outputs: [{ name: 'token', secret: true, secretKeyRef: { secretName: 'flags-operator', key: 'token' } }],
        remoteKeys: [],
        egressRules: [{ namespace: 'flags', ports: [8443], description: 'flags' }],
      }),
    });
    // WHEN
    const w = orders(env, { resources: { flags: Resource.of('acme-flags') }, env: { FLAGS_TOKEN: '${resources.flags.token}' } });
    // THEN
    const { Deployment, NetworkPolicy } = objects(w);
    expect(container(w).env).toContainEqual({ name: 'FLAGS_TOKEN', valueFrom: { secretKeyRef: { name: 'flags-operator', key: 'token' } } });
    expect(Deployment.metadata.annotations['secret.reloader.stakater.com/reload']).toBe('flags-operator');
    expect(NetworkPolicy.spec.egress).toContainEqual({
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'flags' } } }], ports: [{ protocol: 'TCP', port: 8443 }],
    });
  });

  test('writes one egress rule for resources behind the same endpoint', () => {
    const { NetworkPolicy } = objects(orders(workloadEnvironment(), { resources: { jobs: Resource.queue(), files: Resource.s3() }, env: {} }));
    const https = NetworkPolicy.spec.egress.filter((e: any) => e.to?.[0]?.ipBlock?.cidr === '0.0.0.0/0');
    expect(https).toHaveLength(1);
  });

  test('fails when a provisioner type is not a lowercase name', () => {
    expect(() => Provisioners.register(testPlatform(), { type: 'Bad Type', outputNames: [], provision: () => ({ outputs: [], remoteKeys: [] }) }))
      .toThrow('Provisioners: type: got "Bad Type"; expected a lowercase resource type');
  });

  test('snapshot', () => {
    const env = workloadEnvironment();
    const workload = orders(env);
    expect(synthChart(env.chart(workload.name, workload.tenant))).toMatchSnapshot();
  });
});
