import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Cluster } from '../../lib/aws/cluster';
import { Dns } from '../../lib/aws/dns';
import { Network } from '../../lib/aws/network';
import { Environment } from '../../lib/core/environment';
import { Profile } from '../../lib/core/profile';
import { Size } from '../../lib/core/size';
import { StackLayout } from '../../lib/core/stack-layout';
import { ScoreWorkloads, ScoreWorkloadsProps } from '../../lib/score';
import { Kind } from '../../lib/workload/kind';
import { Resource } from '../../lib/workload/resource';
import { Workload, WorkloadProps } from '../../lib/workload/workload';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { resourcesOf, synthChart, synthStack, testPlatform, workloadEnvironment } from '../support/synth';
import { expectNoDanglingReferences } from '../support/tf-references';

const IMAGE = 'registry.acme.io/shop/orders:1.4.2';

/** Writes Score files (name -> YAML) into a fresh folder and returns their paths. */
function scoreFiles(files: { [name: string]: string }): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paved-score-'));
  return Object.entries(files).map(([name, text]) => {
    const file = path.join(dir, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
  });
}

/** A minimal valid workload: one container, one port. */
function workload(name: string, extra: string = '', container: string = ''): string {
  return `apiVersion: score.dev/v1b1
metadata:
  name: ${name}
service:
  ports:
    web:
      port: 8080
containers:
  main:
    image: ${IMAGE}
${container}${extra}`;
}

function load(env: Environment, files: string[], props: Partial<ScoreWorkloadsProps> = {}): ScoreWorkloads {
  return ScoreWorkloads.load(env, { files, tenant: 'shop', ...props });
}

/** The workload's Kubernetes objects by kind, schema-checked. */
function objects(w: Workload): { [kind: string]: any } {
  const all = synthChart(w.environment.chart(w.name, w.tenant));
  expectValidKubernetesObjects(all);
  // The first object of each kind: the workload's own ConfigMap comes before its dashboard's.
  return Object.fromEntries([...all].reverse().map(o => [o.kind, o]));
}

function deploymentOf(w: Workload): any {
  return objects(w).Deployment.spec.template.spec;
}

/** The message of the error `fn` throws. */
function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e: any) {
    return e.message;
  }
  throw new Error('expected an error');
}

describe('ScoreWorkloads', () => {
  describe('workloads', () => {
    test('declares one workload per file, named after metadata.name, in the tenant', () => {
      // GIVEN
      const env = workloadEnvironment();
      const files = scoreFiles({ 'a.yaml': workload('orders'), 'b.yaml': workload('payments') });
      // WHEN
      const score = load(env, files);
      // THEN
      expect(score.workloads.map(w => [w.name, w.tenant])).toEqual([['orders', 'shop'], ['payments', 'shop']]);
      expect(objects(score.workloads[0]).Deployment.metadata).toMatchObject({ name: 'orders', namespace: 'shop' });
    });

    test('the first port is the web app port: targetPort on the container, port on the Service', () => {
      // GIVEN
      const env = workloadEnvironment();
      const files = scoreFiles({
        'a.yaml': workload('orders').replace('      port: 8080', '      port: 80\n      targetPort: 8080'),
      });
      // WHEN
      const { Deployment, Service, NetworkPolicy } = objects(load(env, files).workloads[0]);
      // THEN
      expect(Deployment.spec.template.spec.containers[0].ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
      expect(Service.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
      expect(NetworkPolicy.spec.ingress[0].ports).toEqual([{ port: 8080, protocol: 'TCP' }]);
    });

    test('further ports go on the Service; TCP ones on the container too, UDP ones by number', () => {
      // GIVEN
      const env = workloadEnvironment();
      const files = scoreFiles({
        'a.yaml': workload('orders').replace('      port: 8080', `      port: 8080
    grpc:
      port: 9000
      targetPort: 9090
    stream:
      port: 19245
      protocol: UDP`),
      });
      // WHEN
      const w = load(env, files).workloads[0];
      const { Deployment, Service } = objects(w);
      // THEN
      expect(Deployment.spec.template.spec.containers[0].ports.map((p: any) => [p.name, p.containerPort])).toEqual([['http', 8080], ['grpc', 9090]]);
      expect(Service.spec.ports).toEqual([
        { name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' },
        { name: 'grpc', port: 9000, targetPort: 'grpc', protocol: 'TCP' },
        { name: 'stream', port: 19245, targetPort: 19245, protocol: 'UDP' },
      ]);
      expect(w.ports.map(p => `${p.name} ${p.port}->${p.targetPort}/${p.protocol}`)).toEqual(
        ['http 8080->8080/TCP', 'grpc 9000->9090/TCP', 'stream 19245->19245/UDP']);
    });

    test('command, args, variables with ${metadata...}, annotations and compute resources map to the main container', () => {
      // GIVEN
      const env = workloadEnvironment();
      const files = scoreFiles({
        'a.yaml': workload('orders', '', `    command: ["/app/orders"]
    args: ["--listen", ":8080"]
    variables:
      SERVICE: \${metadata.name}
      TEAM: \${metadata.annotations.acme\\.io/team}
      TIER: \${metadata.tier}
      LITERAL: $\${HOME}
    resources:
      requests:
        cpu: "0.5"
        memory: 256Mi
      limits:
        cpu: 1500m
        memory: 1Gi
`).replace('  name: orders', '  name: orders\n  tier: backend\n  annotations:\n    acme.io/team: checkout'),
      });
      // WHEN
      const spec = deploymentOf(load(env, files).workloads[0]);
      // THEN
      const c = spec.containers[0];
      expect(c.command).toEqual(['/app/orders']);
      expect(c.args).toEqual(['--listen', ':8080']);
      expect(c.env).toEqual([
        { name: 'SERVICE', value: 'orders' },
        { name: 'TEAM', value: 'checkout' },
        { name: 'TIER', value: 'backend' },
        { name: 'LITERAL', value: '${HOME}' },
      ]);
      expect(c.resources.requests).toMatchObject({ cpu: '0.5', memory: '256Mi' });
      expect(c.resources.limits).toMatchObject({ cpu: '1500m', memory: '1Gi' });
      expect(objects(load(workloadEnvironment(), files).workloads[0]).Deployment.spec.template.metadata.annotations)
        .toMatchObject({ 'acme.io/team': 'checkout' });
    });

    test('"$$" is a literal "$" (so "$${" is a literal "${") as in Score; "$(" and "$$" reach the container as written', () => {
      // GIVEN Score escapes, and text Kubernetes would expand ($(VAR)) or fold ($$) in an env value
      const env = workloadEnvironment();
      const files = scoreFiles({
        'a.yaml': workload('orders', 'resources:\n  db:\n    type: postgres\n', `    variables:
      TEMPLATE: "$\${HOME}"
      PRICE: "US$$5"
      SHELL: "$(DATABASE_URL) $HOME"
      DOUBLE: "a$$$$b"
      MIXED: "$(keep)$\${x}:\${resources.db.password}"
    files:
      /etc/orders/app.conf:
        content: "price=US$$5 home=$\${HOME} shell=$(X)"
`),
      });

      // WHEN
      const w = load(env, files).workloads[0];

      // THEN the Deployment holds values Kubernetes turns back into the text Score meant
      const { Deployment, ConfigMap } = objects(w);
      const envs = Object.fromEntries(Deployment.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
      expect(envs).toMatchObject({
        TEMPLATE: '${HOME}',
        PRICE: 'US$5',
        SHELL: '$$(DATABASE_URL) $HOME',
        DOUBLE: 'a$$$b',
        MIXED: '$$(keep)${x}:$(PAVED_ORDERS_DB_PASSWORD)',
      });
      // and a ConfigMap is not expanded by Kubernetes, so files hold the text itself
      expect(Object.values(ConfigMap.data)).toEqual(['price=US$5 home=${HOME} shell=$(X)']);
    });

    test('a secret-looking literal is a warning in DEV; metadata.annotations paved.dev/not-secret acknowledges it, also in PROD', () => {
      // GIVEN
      const variables = '    variables:\n      TOKENIZER_SECRET: bert-base\n';
      const [plain] = scoreFiles({ 'a.yaml': workload('orders', '', variables) });
      const [acknowledged] = scoreFiles({
        'a.yaml': workload('orders', '', variables).replace('  name: orders', '  name: orders\n  annotations:\n    paved.dev/not-secret: TOKENIZER_SECRET'),
      });
      const dev = testPlatform();
      const prod = testPlatform();

      // WHEN
      load(workloadEnvironment(dev), [plain]);
      load(workloadEnvironment(prod, Profile.PROD), [acknowledged]);

      // THEN
      expect(dev.warnings).toEqual([expect.stringMatching(/^dev-shop\/orders: env\.TOKENIZER_SECRET: a literal that looks like a secret \(the name TOKENIZER_SECRET\)/)]);
      expect(prod.warnings).toEqual([]);
      expect(fs.readFileSync(path.join(prod.synth().outdir, 'report.md'), 'utf8'))
        .toContain('| prod-shop/orders | env.TOKENIZER_SECRET | literal kept (the name TOKENIZER_SECRET) | acknowledged: annotation paved.dev/not-secret |');
    });

    test('files: content with placeholders, source read next to the Score file, binaryContent, mode and noExpand', () => {
      // GIVEN
      const env = workloadEnvironment();
      const [file] = scoreFiles({
        'app/score.yaml': workload('orders', '', `    files:
      /etc/orders/app.conf:
        content: "name=\${metadata.name}\\nhome=$\${HOME}\\n"
      /etc/orders/from-source.txt:
        source: ./config/source.txt
        mode: "0600"
      /etc/orders/logo.bin:
        binaryContent: aGVsbG8gd29ybGQ=
      /etc/orders/template:
        content: "keep \${metadata.name} as written"
        noExpand: true
`),
        'app/config/source.txt': 'from ${metadata.name}',
      });
      // WHEN
      const { ConfigMap, Deployment } = objects(load(env, [file]).workloads[0]);
      // THEN
      const data = Object.values(ConfigMap.data);
      expect(data).toEqual(['name=orders\nhome=${HOME}\n', 'from orders', 'keep ${metadata.name} as written']);
      expect(Object.values(ConfigMap.binaryData)).toEqual(['aGVsbG8gd29ybGQ=']);
      const mounts = Deployment.spec.template.spec.containers[0].volumeMounts.map((m: any) => m.mountPath);
      expect(mounts).toEqual(['/tmp', '/etc/orders/app.conf', '/etc/orders/from-source.txt', '/etc/orders/logo.bin', '/etc/orders/template']);
      const items = Deployment.spec.template.spec.volumes.find((v: any) => v.name === 'config-files').configMap.items;
      expect(items.find((i: any) => i.key.startsWith('from-source.txt')).mode).toBe(0o600);
    });

    test('volume resources become emptyDir volumes or existing claims, mounted with sub path and read-only', () => {
      // GIVEN
      const env = workloadEnvironment();
      const files = scoreFiles({
        'a.yaml': workload('orders', `resources:
  cache:
    type: volume
    params:
      medium: memory
      sizeLimit: 64Mi
  uploads:
    type: volume
    params:
      claimName: orders-uploads
`, `    volumes:
      /var/cache/orders:
        source: \${resources.cache}
      /srv/uploads:
        source: \${resources.uploads}
        path: /orders
        readOnly: true
`),
      });
      // WHEN
      const spec = deploymentOf(load(env, files).workloads[0]);
      // THEN
      expect(spec.volumes.filter((v: any) => ['cache', 'uploads'].includes(v.name))).toEqual([
        { name: 'cache', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
        { name: 'uploads', persistentVolumeClaim: { claimName: 'orders-uploads' } },
      ]);
      expect(spec.containers[0].volumeMounts.slice(1)).toEqual([
        { name: 'cache', mountPath: '/var/cache/orders' },
        { name: 'uploads', mountPath: '/srv/uploads', subPath: 'orders', readOnly: true },
      ]);
    });

    test('probes: httpGet with host, scheme and headers; exec wins when both are given', () => {
      // GIVEN
      const env = workloadEnvironment();
      const files = scoreFiles({
        'a.yaml': workload('orders', '', `    livenessProbe:
      httpGet:
        port: 8080
        path: /alive
      exec:
        command: ["/bin/check", "--live"]
    readinessProbe:
      httpGet:
        port: 8081
        path: /ready
        scheme: HTTPS
        host: 127.0.0.1
        httpHeaders:
          - name: X-Probe
            value: paved
`),
      });
      // WHEN
      const c = deploymentOf(load(env, files).workloads[0]).containers[0];
      // THEN
      expect(c.livenessProbe.exec).toEqual({ command: ['/bin/check', '--live'] });
      expect(c.livenessProbe.httpGet).toBeUndefined();
      expect(c.readinessProbe.httpGet).toEqual({
        path: '/ready', port: 8081, scheme: 'HTTPS', host: '127.0.0.1', httpHeaders: [{ name: 'X-Probe', value: 'paved' }],
      });
      // The probe's port is declared on the container, which the kubelet needs.
      expect(c.ports).toContainEqual({ name: 'probe-8081', containerPort: 8081, protocol: 'TCP' });
    });

    test('without probes, a web workload is probed with TCP on its main port (Score apps need not answer paved\'s /livez; gRPC answers no HTTP)', () => {
      const c = deploymentOf(load(workloadEnvironment(), scoreFiles({ 'a.yaml': workload('orders') })).workloads[0]).containers[0];
      expect([c.livenessProbe.tcpSocket, c.readinessProbe.tcpSocket, c.startupProbe.tcpSocket]).toEqual([{ port: 'http' }, { port: 'http' }, { port: 'http' }]);
    });

    test('the other containers run as sidecars; one that must complete before another runs as an init container', () => {
      // GIVEN
      const files = scoreFiles({
        'a.yaml': workload('orders', `  proxy:
    image: registry.acme.io/infra/proxy:1.0.0
    variables:
      UPSTREAM: http://localhost:8080
    livenessProbe:
      exec:
        command: ["/bin/proxy", "health"]
  migrate:
    image: registry.acme.io/shop/orders-migrate:1.4.2
    args: ["up"]
    before:
      main:
        ready: complete
`),
      });
      // WHEN
      const spec = deploymentOf(load(workloadEnvironment(), files).workloads[0]);
      // THEN
      expect(spec.containers.map((c: any) => c.name)).toEqual(['orders', 'proxy']);
      expect(spec.containers[1].env).toEqual([{ name: 'UPSTREAM', value: 'http://localhost:8080' }]);
      expect(spec.initContainers.map((c: any) => [c.name, c.args])).toEqual([['migrate', ['up']]]);
    });

    test('--image style overrides replace images by container or by workload and container; "." needs one', () => {
      // GIVEN
      const files = scoreFiles({
        'a.yaml': workload('orders').replace(`image: ${IMAGE}`, 'image: .'),
        'b.yaml': workload('payments').replace(`image: ${IMAGE}`, 'image: .'),
      });
      // WHEN
      const score = load(workloadEnvironment(), files, {
        images: { 'main': 'registry.acme.io/shop/any:1.0.0', 'orders.main': 'registry.acme.io/shop/orders:2.0.0' },
      });
      // THEN
      expect(score.workloads.map(w => deploymentOf(w).containers[0].image)).toEqual(
        ['registry.acme.io/shop/orders:2.0.0', 'registry.acme.io/shop/any:1.0.0']);
    });

    test('resource annotations go on the resource\'s ExternalSecret', () => {
      const files = scoreFiles({
        'a.yaml': workload('orders', `resources:
  db:
    type: postgres
    metadata:
      annotations:
        acme.io/owner: data-team
`),
      });
      const w = load(workloadEnvironment(), files).workloads[0];
      expect(objects(w).ExternalSecret.metadata.annotations).toEqual({ 'acme.io/owner': 'data-team', 'argocd.argoproj.io/sync-wave': '-2' });
    });
  });

  describe('resources', () => {
    test('a class picks the size of the resource: by size name in any case, small/medium/large/xlarge, or a platform class', () => {
      // GIVEN
      const env = workloadEnvironment();
      const files = scoreFiles({
        'a.yaml': workload('orders', `resources:
  db-a:
    type: postgres
    class: xl
  db-b:
    type: postgres
    class: small
  db-c:
    type: postgres
    class: analytics
  db-d:
    type: postgres
    class: default
`),
      });
      // WHEN
      load(env, files, { classes: { analytics: Size.L } });
      // THEN
      const classes = resourcesOf(synthStack(env.tenantScope('shop')), 'aws_db_instance').map(db => [db.db_name, db.instance_class]);
      expect(classes).toEqual([
        ['orders_db_a', Size.XL.database.instanceClass],
        ['orders_db_b', Size.S.database.instanceClass],
        ['orders_db_c', Size.L.database.instanceClass],
        ['orders_db_d', Size.M.database.instanceClass],
      ]);
    });

    test('params reach the provisioner, with ${metadata...} expanded', () => {
      const env = workloadEnvironment();
      load(env, scoreFiles({
        'a.yaml': workload('orders', `resources:
  db:
    type: postgres
    params:
      databaseName: \${metadata.name}_main
`),
      }));
      expect(resourcesOf(synthStack(env.tenantScope('shop')), 'aws_db_instance')[0].db_name).toBe('orders_main');
    });

    test('a route sets the Ingress host (from a dns output) and path', () => {
      // GIVEN
      const env = workloadEnvironment();
      Dns.fromZoneAttributes(env, 'Dns', { zoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'dev.acme.io' });
      const files = scoreFiles({
        'a.yaml': workload('orders', `resources:
  dns:
    type: dns
  route:
    type: route
    params:
      host: \${resources.dns.host}
      path: /api
      port: 8080
`),
      });
      // WHEN
      const { Ingress } = objects(load(env, files).workloads[0]);
      // THEN
      expect(Ingress.spec.rules).toEqual([{
        host: 'orders-dns.shop.dev.acme.io',
        http: { paths: [{ path: '/api', pathType: 'Prefix', backend: { service: { name: 'orders', port: { name: 'http' } } } }] },
      }]);
    });

    test('a multi-service application: service resources connect the workloads, one database is shared through its id', () => {
      // GIVEN three Score files: web calls orders, orders calls payments; orders and payments share database "main"
      const env = workloadEnvironment();
      const files = scoreFiles({
        'web.yaml': workload('web', `resources:
  orders:
    type: service
`, `    variables:
      ORDERS_URL: \${resources.orders.url}
`),
        'orders.yaml': workload('orders', `resources:
  payments:
    type: service
    params:
      port: api
  db:
    type: postgres
    id: main
`, `    variables:
      PAYMENTS: \${resources.payments.host}:\${resources.payments.port}
      DB_PASSWORD: \${resources.db.password}
`).replace('    web:\n      port: 8080', '    web:\n      port: 80\n      targetPort: 8080'),
        'payments.yaml': workload('payments', `resources:
  db:
    type: postgres
    id: main
`, `    variables:
      DB_HOST: \${resources.db.host}
`).replace('    web:\n      port: 8080', '    api:\n      port: 8443'),
      });

      // WHEN
      const score = load(env, files);

      // THEN one database, one connection secret, a grant for each workload
      const stack = synthStack(env.tenantScope('shop'));
      expect(resourcesOf(stack, 'aws_db_instance').map(db => db.identifier)).toEqual([expect.stringMatching(/^dev-shop-shared-postgres-main/)]);
      expect(resourcesOf(stack, 'aws_secretsmanager_secret').map(s => s.name)).toContain('paved/dev/shop/shared/postgres-main');
      // One application user for the shared database (no IAM grant: it logs in with its generated password).
      expect(resourcesOf(stack, 'aws_secretsmanager_secret').map(s => s.name)).toContain('paved/dev/shop/shared/postgres-main/credentials');
      expect(resourcesOf(stack, 'aws_iam_role_policy').filter(p => p.name === 'paved-grants')).toEqual([]);
      expectNoDanglingReferences(stack);

      // AND the outputs of the other workloads' Services, and an ExternalSecret per workload for the shared database
      const [web, orders, payments] = score.workloads;
      expect(deploymentOf(web).containers[0].env).toEqual([{ name: 'ORDERS_URL', value: 'http://orders.shop.svc.cluster.local:80' }]);
      expect(deploymentOf(orders).containers[0].env).toEqual([
        { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'orders-db', key: 'password' } } },
        { name: 'PAYMENTS', value: 'payments.shop.svc.cluster.local:8443' },
      ]);
      for (const w of [orders, payments]) {
        expect(objects(w).ExternalSecret.spec.data[0].remoteRef.key).toBe('paved/dev/shop/shared/postgres-main');
      }

      // AND both NetworkPolicies admit each call, on the callee's container port
      const egress = objects(web).NetworkPolicy.spec.egress;
      expect(egress).toContainEqual({
        to: [{
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } },
          podSelector: { matchLabels: { 'app.kubernetes.io/name': 'orders', 'app.kubernetes.io/instance': 'orders' } },
        }],
        ports: [{ protocol: 'TCP', port: 8080 }],
      });
      expect(objects(orders).NetworkPolicy.spec.ingress).toContainEqual({
        from: [{
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } },
          podSelector: { matchLabels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'web' } },
        }],
        ports: [{ protocol: 'TCP', port: 8080 }],
      });
      expect(objects(payments).NetworkPolicy.spec.ingress[1].from[0].podSelector.matchLabels['app.kubernetes.io/name']).toBe('orders');
      expect(env.platform.validate()).toEqual([]);
    });

    test('workloads that call each other resolve in either order', () => {
      // GIVEN a cycle: alpha calls beta, beta calls alpha
      const env = workloadEnvironment();
      const files = scoreFiles({
        'a.yaml': workload('alpha', 'resources:\n  beta:\n    type: service\n', '    variables:\n      B: ${resources.beta.url}\n'),
        'b.yaml': workload('beta', 'resources:\n  alpha:\n    type: service\n', '    variables:\n      A: ${resources.alpha.url}\n'),
      });
      // WHEN
      const [a, b] = load(env, files).workloads;
      // THEN
      expect(env.platform.validate()).toEqual([]);
      expect(deploymentOf(a).containers[0].env[0].value).toBe('http://beta.shop.svc.cluster.local:8080');
      expect(deploymentOf(b).containers[0].env[0].value).toBe('http://alpha.shop.svc.cluster.local:8080');
      expect(objects(a).NetworkPolicy.spec.ingress).toHaveLength(2);
      expect(objects(b).NetworkPolicy.spec.ingress).toHaveLength(2);
    });

    test('a service resource may name a workload declared in code', () => {
      // GIVEN
      const env = workloadEnvironment();
      new Workload(env, 'legacy', { tenant: 'shop', image: IMAGE, port: 9000 });
      // WHEN
      const w = load(env, scoreFiles({
        'a.yaml': workload('orders', 'resources:\n  legacy:\n    type: service\n', '    variables:\n      LEGACY: ${resources.legacy.host}\n'),
      })).workloads[0];
      // THEN
      expect(deploymentOf(w).containers[0].env).toEqual([{ name: 'LEGACY', value: 'legacy.shop.svc.cluster.local' }]);
    });
  });

  describe('kinds', () => {
    const bare = (name: string, annotations: string = '', container: string = '', extra: string = '') => `apiVersion: score.dev/v1b1
metadata:
  name: ${name}
${annotations ? `  annotations:\n${annotations}` : ''}containers:
  main:
    image: ${IMAGE}
${container}${extra}`;

    test('a workload without service ports is a worker: no Service, probes only where declared', () => {
      // GIVEN
      const env = workloadEnvironment();
      const files = scoreFiles({
        'loadgen.yaml': bare('loadgen', '', '    variables:\n      FRONTEND_ADDR: "${resources.frontend.name}:80"\n', 'resources:\n  frontend:\n    type: service\n'),
        'health.yaml': bare('health', '', '    livenessProbe:\n      httpGet:\n        port: 9000\n        path: /alive\n'),
        'frontend.yaml': workload('frontend'),
      });
      // WHEN
      const [loadgen, health] = load(env, files).workloads;
      // THEN
      const o = objects(loadgen);
      expect(loadgen.kind.name).toBe('worker');
      expect(o).not.toHaveProperty('Service');
      expect(o.Deployment.spec.template.spec.containers[0]).not.toHaveProperty('livenessProbe');
      expect(o.Deployment.spec.template.spec.containers[0].env).toEqual([{ name: 'FRONTEND_ADDR', value: 'frontend:80' }]);
      const probed = deploymentOf(health).containers[0];
      expect(probed.livenessProbe.httpGet).toEqual({ path: '/alive', port: 9000, scheme: 'HTTP' });
      expect(probed.ports).toEqual([{ name: 'probe-9000', containerPort: 9000, protocol: 'TCP' }]);
    });

    test('paved.dev/schedule makes a scheduled job, in the time zone of paved.dev/time-zone', () => {
      const w = load(workloadEnvironment(), scoreFiles({
        'a.yaml': bare('report', '    paved.dev/schedule: "30 2 * * *"\n    paved.dev/time-zone: Europe/Berlin\n'),
      })).workloads[0];
      expect(objects(w).CronJob.spec).toMatchObject({ schedule: '30 2 * * *', timeZone: 'Europe/Berlin' });
      // The annotations are the pods' too, like every workload annotation.
      expect(objects(w).CronJob.spec.jobTemplate.spec.template.metadata.annotations['paved.dev/schedule']).toBe('30 2 * * *');
    });

    test('paved.dev/kind: job makes a one-off job, before the workloads unless paved.dev/job-hook says after', () => {
      const [migrate, smoke] = load(workloadEnvironment(), scoreFiles({
        'a.yaml': bare('migrate', '    paved.dev/kind: job\n'),
        'b.yaml': bare('smoke', '    paved.dev/kind: job\n    paved.dev/job-hook: after-workloads\n'),
      })).workloads;
      expect(objects(migrate).Job.metadata.annotations['argocd.argoproj.io/hook']).toBe('Sync');
      expect(objects(smoke).Job.metadata.annotations['argocd.argoproj.io/hook']).toBe('PostSync');
    });

    test('paved.dev/scale-on-queue names the queue resource a worker scales on', () => {
      // GIVEN an environment whose cluster paved creates (KEDA has its role there)
      const platform = testPlatform();
      const env = new Environment(platform, 'dev', { account: '123456789012', region: 'eu-central-1', profile: Profile.DEV });
      new Network(env, 'Network', { cidr: '10.10.0.0/16' });
      new Cluster(env, 'Cluster', { adminRoleArns: [] });
      // WHEN
      const w = load(env, scoreFiles({ 'a.yaml': bare('billing', '    paved.dev/scale-on-queue: jobs\n', '', 'resources:\n  jobs:\n    type: queue\n') })).workloads[0];
      // THEN
      expect(objects(w).ScaledObject.spec.triggers[0].metadata.queueURL).toMatch(/\/dev-shop-billing-jobs$/);
    });

    test('a service resource used only by name needs no port, even when its target has several', () => {
      const files = scoreFiles({
        'a.yaml': bare('frontend', '', '    variables:\n      CART: "${resources.cart.name}:7070"\n', 'resources:\n  cart:\n    type: service\n'),
        'b.yaml': `${workload('cart')}\n`.replace('    web:\n      port: 8080\n', '    grpc:\n      port: 7070\n    admin:\n      port: 9000\n'),
      });
      const [frontend] = load(workloadEnvironment(), files).workloads;
      expect(objects(frontend).NetworkPolicy.spec.egress.at(-1).ports).toEqual([{ protocol: 'TCP', port: 7070 }, { protocol: 'TCP', port: 9000 }]);
    });

    test('a :latest image is a warning in DEV and a problem in PROD', () => {
      const latest = workload('orders').replace(`image: ${IMAGE}`, 'image: registry.acme.io/shop/orders:latest');
      const env = workloadEnvironment();
      load(env, scoreFiles({ 'a.yaml': latest }));
      expect(env.platform.warnings).toEqual([expect.stringMatching(/^dev\/shop\/orders\/WebApp: image: image "registry\.acme\.io\/shop\/orders:latest" is not pinned/)]);
      expect(errorOf(() => load(workloadEnvironment(testPlatform(), Profile.PROD), scoreFiles({ 'a.yaml': latest }))))
        .toMatch(/a\.yaml:10: containers\.main\.image: got "registry\.acme\.io\/shop\/orders:latest"; expected a tag other than "latest"/);
    });

    function problems(files: { [name: string]: string }): string {
      return errorOf(() => load(workloadEnvironment(), scoreFiles(files)));
    }

    test('fails when a schedule is one cron cannot parse, naming the annotation\'s line', () => {
      expect(problems({ 'a.yaml': bare('report', '    paved.dev/schedule: "0 25 * * *"\n') }))
        .toMatch(/a\.yaml:5: metadata\.annotations\["paved\.dev\/schedule"\]: got "0 25 \* \* \*"; expected a cron schedule of five fields.*\(hour: 25 is out of range 0-23\)/);
    });

    test('fails when a time zone is unknown', () => {
      expect(problems({ 'a.yaml': bare('report', '    paved.dev/schedule: "@daily"\n    paved.dev/time-zone: Mars/Olympus\n') }))
        .toMatch(/a\.yaml:6: metadata\.annotations\["paved\.dev\/time-zone"\]: got "Mars\/Olympus"; expected an IANA time zone name/);
    });

    test('fails when a paved.dev annotation is unknown or its kind is', () => {
      expect(problems({ 'a.yaml': bare('report', '    paved.dev/schedul: "@daily"\n') }))
        .toMatch(/metadata\.annotations\["paved\.dev\/schedul"\]: got "paved\.dev\/schedul"; expected an annotation paved knows: paved\.dev\/kind, paved\.dev\/schedule/);
      expect(problems({ 'a.yaml': bare('report', '    paved.dev/kind: daemon\n') }))
        .toMatch(/metadata\.annotations\["paved\.dev\/kind"\]: got "daemon"; expected one of web, worker, cron-job, job/);
    });

    test('fails when an annotation does not fit the kind', () => {
      expect(problems({ 'a.yaml': workload('orders', '', '').replace('  name: orders\n', '  name: orders\n  annotations:\n    paved.dev/job-hook: after-workloads\n') }))
        .toMatch(/metadata\.annotations\["paved\.dev\/job-hook"\]: got "after-workloads"; expected no job hook for a web workload \(only a job has one\)/);
      expect(problems({ 'a.yaml': bare('report', '    paved.dev/kind: cron-job\n') }))
        .toMatch(/metadata\.annotations\["paved\.dev\/kind"\]: got "cron-job"; expected a paved\.dev\/schedule annotation/);
    });

    test('fails when a job has service ports, probes or sidecars, or a worker a route', () => {
      const job = (extra: string) => bare('migrate', '    paved.dev/kind: job\n', '    livenessProbe:\n      exec:\n        command: ["true"]\n', extra);
      expect(problems({ 'a.yaml': job('service:\n  ports:\n    web:\n      port: 8080\n') }))
        .toMatch(/service\.ports: got \["web"\]; expected no service ports for a job workload \(paved\.dev\/kind: job\): only a web workload has a Service/);
      expect(problems({ 'a.yaml': job('') }))
        .toMatch(/containers\.main\.livenessProbe: got "livenessProbe"; expected no probe on a job workload/);
      expect(problems({ 'a.yaml': bare('worker', '', '', 'resources:\n  route:\n    type: route\n    params:\n      host: w.acme.io\n') }))
        .toMatch(/resources\.route: got "route"; expected no route for a worker workload: only a web workload serves a host/);
    });

    test('fails when a web workload has no service ports', () => {
      expect(problems({ 'a.yaml': bare('orders', '    paved.dev/kind: web\n') }))
        .toMatch(/service\.ports: got \[\]; expected service ports for a web workload \(paved\.dev\/kind: web\): without them it is a worker/);
    });

    test('fails when a service resource names a workload without service ports', () => {
      expect(problems({
        'a.yaml': workload('frontend', 'resources:\n  loadgen:\n    type: service\n'),
        'b.yaml': bare('loadgen'),
      })).toMatch(/resources\.loadgen\.params\.workload: got "loadgen"; expected a workload with service ports: "loadgen" has none, so it has no Service/);
    });

    test('fails when the queue to scale on is no resource of the workload', () => {
      expect(problems({ 'a.yaml': bare('billing', '    paved.dev/scale-on-queue: jobs\n') }))
        .toMatch(/metadata\.annotations\["paved\.dev\/scale-on-queue"\]: got "jobs"; expected the name of a queue resource of the workload \(resources: none\)/);
    });
  });

  describe('bad input', () => {
    /** The error of loading `files` (name -> YAML) into a fresh environment. */
    function problems(files: { [name: string]: string }, props: Partial<ScoreWorkloadsProps> = {}): string {
      return errorOf(() => load(workloadEnvironment(), scoreFiles(files), props));
    }

    test('fails when the apiVersion is wrong', () => {
      expect(problems({ 'a.yaml': workload('orders').replace('score.dev/v1b1', 'score.dev/v1') }))
        .toMatch(/a\.yaml:1: apiVersion: got "score\.dev\/v1"; expected "score\.dev\/v1b1"/);
    });

    test('fails when the name is not an RFC 1123 label', () => {
      expect(problems({ 'a.yaml': workload('Orders_API') }))
        .toMatch(/a\.yaml:3: metadata\.name: got "Orders_API"; expected an RFC 1123 label/);
    });

    test('fails when a container has no image', () => {
      expect(problems({ 'a.yaml': workload('orders').replace(`    image: ${IMAGE}\n`, '    command: ["x"]\n') }))
        .toMatch(/a\.yaml:\d+: containers\.main\.image: got undefined; expected an image reference/);
    });

    test('fails when a resource type is unknown, naming it', () => {
      expect(problems({ 'a.yaml': workload('orders', 'resources:\n  db:\n    type: oracle\n') }))
        .toMatch(/a\.yaml:13: resources\.db\.type: got "oracle"; expected a resource type paved supports: dns, kafka-topic, mongodb, mysql, postgres, queue, redis, route, s3, service, volume \(type "oracle" is not supported\)/);
    });

    test('fails when a placeholder names an unknown resource or output', () => {
      const message = problems({
        'a.yaml': workload('orders', 'resources:\n  db:\n    type: postgres\n',
          '    variables:\n      A: ${resources.cache.host}\n      B: ${resources.db.hostname}\n'),
      });
      expect(message).toMatch(/containers\.main\.variables\.A: got "\$\{resources\.cache\.host\}"; expected a placeholder to a declared resource \(db\); "cache" is not one/);
      expect(message).toMatch(/containers\.main\.variables\.B: got "\$\{resources\.db\.hostname\}"; expected an output of db: host, port, name, database, username, password; "hostname" is not one/);
    });

    test('fails when a file has both content and source', () => {
      expect(problems({ 'a.yaml': workload('orders', '', '    files:\n      /etc/a:\n        content: x\n        source: a.txt\n') }))
        .toMatch(/containers\.main\.files\["\/etc\/a"\]: got \["content","source"\]; expected exactly one of content, binaryContent or source/);
    });

    test('fails when a source file does not exist', () => {
      expect(problems({ 'a.yaml': workload('orders', '', '    files:\n      /etc/a:\n        source: missing.txt\n') }))
        .toMatch(/a\.yaml:13: containers\.main\.files\["\/etc\/a"\]\.source: got "missing\.txt"; expected a file in the Score file's folder or below, .*; \/.*\/missing\.txt does not exist$/);
    });

    describe('fails when files[].source leaves the Score file\'s folder or is no regular text file', () => {
      const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'paved-source-')));
      fs.mkdirSync(path.join(dir, 'app'));
      fs.writeFileSync(path.join(dir, 'secret.txt'), 'outside');
      fs.writeFileSync(path.join(dir, 'app', 'big.txt'), 'x'.repeat(1024 * 1024 + 1));
      fs.writeFileSync(path.join(dir, 'app', 'binary.txt'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff]));
      fs.symlinkSync('/etc/passwd', path.join(dir, 'app', 'passwd'));
      execFileSync('mkfifo', [path.join(dir, 'app', 'fifo')]);
      const allowed = 'expected a file in the Score file\'s folder or below, by a relative path without "..", and a regular file of UTF-8 text of at most 1 MiB (1048576 bytes)';

      test.each([
        ['an absolute path', '/etc/passwd', 'the path is absolute'],
        ['/proc/self/environ', '/proc/self/environ', 'the path is absolute'],
        ['/dev/zero', '/dev/zero', 'the path is absolute'],
        ['"../x"', '../secret.txt', 'the path holds ".."'],
        ['a symbolic link to /etc/passwd', 'passwd', `it resolves to /etc/passwd through a symbolic link, outside ${dir}/app`],
        ['a FIFO', 'fifo', `${dir}/app/fifo is a FIFO (named pipe), not a regular file`],
        ['a file over 1 MiB', 'big.txt', `${dir}/app/big.txt has 1048577 bytes; at most 1 MiB (1048576 bytes) are read`],
        ['a binary file', 'binary.txt', `${dir}/app/binary.txt holds a NUL byte at line 1 after "PK\\u0003\\u0004": it is binary, not UTF-8 text (line 1)`],
      ])('(%s)', (_what, source, reason) => {
        // GIVEN
        const file = path.join(dir, 'app', 'score.yaml');
        fs.writeFileSync(file, workload('orders', '', `    files:\n      /etc/orders/app.conf:\n        source: ${JSON.stringify(source)}\n`));
        // WHEN
        const message = errorOf(() => load(workloadEnvironment(), [file]));
        // THEN
        expect(message.split('\n')[1]).toBe(`  ${file}:13: containers.main.files["/etc/orders/app.conf"].source: got ${JSON.stringify(source)}; ${allowed}; ${reason}`);
      });
    });

    describe('fails when a Score file is no regular UTF-8 text file of at most 1 MiB', () => {
      const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'paved-scorefile-')));
      fs.writeFileSync(path.join(dir, 'big.yaml'), `${workload('orders')}\n#${'x'.repeat(1024 * 1024)}\n`);
      fs.writeFileSync(path.join(dir, 'binary.yaml'), Buffer.concat([Buffer.from('apiVersion: score.dev/v1b1\n'), Buffer.alloc(9800, 0)]));
      execFileSync('mkfifo', [path.join(dir, 'fifo.yaml')]);
      const allowed = 'expected a Score file: a regular file of UTF-8 YAML text, at most 1 MiB (1048576 bytes)';

      test.each([
        ['a file over 1 MiB', 'big.yaml', '', `the file has ${fs.statSync(path.join(dir, 'big.yaml')).size} bytes; at most 1 MiB (1048576 bytes) are read`],
        ['a binary file, without echoing it', 'binary.yaml', ':2', 'the file holds a NUL byte at line 2: it is binary, not UTF-8 text'],
        ['a FIFO, without waiting', 'fifo.yaml', '', 'the file is a FIFO (named pipe), not a regular file'],
        ['a device', '/dev/zero', '', 'the file is a character device, not a regular file'],
        ['a folder', '.', '', 'the file is a folder, not a regular file'],
      ])('(%s)', (_what, name, line, reason) => {
        const file = path.resolve(dir, name);
        const message = errorOf(() => load(workloadEnvironment(), [file]));
        expect(message).toBe(`${file}: score: 1 problem(s) in the Score files:\n  ${file}${line}: (document): ${reason}; ${allowed}`);
      });
    });

    test('fails when a PROD workload holds a secret-looking literal, with the file and line of the variable, never the value', () => {
      // GIVEN
      const [file] = scoreFiles({ 'a.yaml': workload('orders', '', '    variables:\n      LOG_LEVEL: info\n      DB_PASSWORD: hunter2-hunter2\n') });
      // WHEN
      const message = errorOf(() => load(workloadEnvironment(testPlatform(), Profile.PROD), [file]));
      // THEN
      expect(message.split('\n')[1]).toMatch(/^ {2}\/.*\/a\.yaml:13: containers\.main\.variables\.DB_PASSWORD: prod-shop\/orders: env\.DB_PASSWORD: got a literal that looks like a secret \(the name DB_PASSWORD\); expected a reference to a secret output .*paved\.dev\/not-secret: "DB_PASSWORD"/);
      expect(message).not.toContain('hunter2');
    });

    test('fails when a PROD sidecar\'s file holds a private key, at the line of its source', () => {
      const [file] = scoreFiles({
        'a.yaml': workload('orders', '', `  proxy:
    image: ${IMAGE}
    livenessProbe:
      exec:
        command: ["/bin/true"]
    files:
      /etc/proxy/key.pem:
        source: key.pem
`),
        'key.pem': ['-----BEGIN EC ', 'PRIVATE KEY-----\nMHcCAQEE\n-----END EC ', 'PRIVATE KEY-----\n'].join(''),
      });
      expect(errorOf(() => load(workloadEnvironment(testPlatform(), Profile.PROD), [file])).split('\n')[1])
        .toMatch(/a\.yaml:18: containers\.proxy\.files\["\/etc\/proxy\/key\.pem"\]\.source: prod-shop\/orders: containers\[0\]\.files\[0\]\.content: got a literal that looks like a secret \(a PEM private key\)/);
    });

    test('fails when two workloads have the same name', () => {
      expect(problems({ 'a.yaml': workload('orders'), 'b.yaml': workload('orders') }))
        .toMatch(/b\.yaml:3: metadata\.name: got "orders"; expected a workload name no other Score file of this synth has \(.*a\.yaml has it\)/);
    });

    test('fails when a service resource names a workload that is not part of the synth', () => {
      expect(problems({ 'a.yaml': workload('orders', 'resources:\n  billing:\n    type: service\n') }))
        .toMatch(/resources\.billing\.params\.workload: got "billing"; expected a workload of this synth: none/);
    });

    test('fails when the image is "." without an override', () => {
      expect(problems({ 'a.yaml': workload('orders').replace(`image: ${IMAGE}`, 'image: .') }))
        .toMatch(/containers\.main\.image: got "\."; expected the image to run: "\." stands for the image the pipeline builds, so pass it as an override \(images "main" or "orders\.main"; paved --image main=<image>\)/);
    });

    test('fails when an image has no tag, in PROD', () => {
      expect(errorOf(() => load(workloadEnvironment(testPlatform(), Profile.PROD), scoreFiles({ 'a.yaml': workload('orders').replace(`image: ${IMAGE}`, 'image: busybox') }))))
        .toMatch(/containers\.main\.image: got "busybox"; expected an image with a tag or a digest/);
    });

    test('fails when an image override names no container', () => {
      expect(problems({ 'a.yaml': workload('orders') }, { images: { web: IMAGE } }))
        .toMatch(/images: web: got "web"; expected a container of a Score file, as <container> or <workload>\.<container>: orders\.main/);
    });

    test('fails when a file references a secret output (files are kept in a ConfigMap)', () => {
      expect(problems({
        'a.yaml': workload('orders', 'resources:\n  db:\n    type: postgres\n', '    files:\n      /etc/db:\n        content: "pw=${resources.db.password}"\n'),
      })).toMatch(/a\.yaml:13: containers\.main\.files\["\/etc\/db"\]\.content: dev-shop\/orders: files\[0\]\.content: got "\$\{resources\.db\.password\}"; expected placeholders to outputs known at synth: db\.password is secret/);
    });

    test('fails when a variable name is not a C identifier', () => {
      expect(problems({ 'a.yaml': workload('orders', '', '    variables:\n      my-var: x\n') }))
        .toMatch(/containers\.main\.variables\.my-var: got "my-var"; expected a variable name of letters, digits and "_"/);
    });

    test('fails when a request is above its limit', () => {
      expect(problems({ 'a.yaml': workload('orders', '', '    resources:\n      requests:\n        cpu: "2"\n      limits:\n        cpu: 500m\n') }))
        .toMatch(/containers\.main\.resources\.requests\.cpu: got "2"; expected at most the cpu limit "500m"/);
    });

    test('fails when a class names no size', () => {
      expect(problems({ 'a.yaml': workload('orders', 'resources:\n  db:\n    type: postgres\n    class: huge\n') }))
        .toMatch(/resources\.db\.class: got "huge"; expected "default", a size of the platform by name in any case \(S, M, L, XL; small, medium, large, xlarge/);
    });

    test('fails when a volume source is not a volume resource', () => {
      expect(problems({ 'a.yaml': workload('orders', '', '    volumes:\n      /data:\n        source: ${resources.data}\n') }))
        .toMatch(/containers\.main\.volumes\["\/data"\]\.source: got "\$\{resources\.data\}"; expected a volume resource/);
    });

    test('fails when a sidecar has no liveness probe', () => {
      expect(problems({ 'a.yaml': workload('orders', `  proxy:\n    image: ${IMAGE}\n`) }))
        .toMatch(/containers\.proxy\.livenessProbe: got undefined; expected a liveness probe on every container but the first/);
    });

    test('fails when a container must only be started or healthy before another', () => {
      expect(problems({ 'a.yaml': workload('orders', `  proxy:\n    image: ${IMAGE}\n    before:\n      main:\n        ready: healthy\n`) }))
        .toMatch(/containers\.proxy\.before\.main\.ready: got "healthy"; expected "complete" \(an init container\)/);
    });

    test('fails when a shared id is used with another size', () => {
      expect(problems({
        'a.yaml': workload('orders', 'resources:\n  db:\n    type: postgres\n    id: main\n    class: large\n'),
        'b.yaml': workload('payments', 'resources:\n  db:\n    type: postgres\n    id: main\n'),
      })).toMatch(/b\.yaml:12: resources\.db\.class: dev-shop\/payments: resources\.db\.size: got "M"; expected size "L": postgres "main", first requested by orders \(resources\.db\), has that size/);
    });

    test('fails with the first 50 problems of a file and a count of the others', () => {
      const variables = Array.from({ length: 60 }, (_, i) => `      ${i}BAD: x\n`).join('');
      const lines = problems({ 'a.yaml': workload('orders', '', `    variables:\n${variables}`) }).split('\n');
      expect(lines[0]).toMatch(/: score: 60 problem\(s\) in the Score files:$/);
      expect(lines).toHaveLength(1 + 50 + 1);
      expect(lines[51]).toMatch(/^ {2}\/.*\/a\.yaml: and 10 more problem\(s\)$/);
    });

    test('reports every problem of every file at once, each with file, line and path', () => {
      // GIVEN
      const message = problems({
        'a.yaml': workload('orders', 'resources:\n  db:\n    type: amqp\n', '    variables:\n      A: 1\n'),
        'b.yaml': 'apiVersion: score.dev/v1b1\nmetadata: {}\ncontainers: {}\nextra: true\n',
      });
      // THEN
      expect(message).toMatch(/^\/.*\/a\.yaml, \/.*\/b\.yaml: score: 5 problem\(s\) in the Score files:\n/);
      expect(message.split('\n').slice(1).map(line => line.replace(/^ *\/.*\/([ab]\.yaml)/, '$1'))).toEqual([
        'a.yaml:12: containers.main.variables.A: got 1; expected a string (quote numbers and booleans)',
        'a.yaml:15: resources.db.type: got "amqp"; expected a resource type paved supports: dns, kafka-topic, mongodb, mysql, postgres, queue, redis, route, s3, service, volume (type "amqp" is not supported)',
        'b.yaml:2: metadata.name: got undefined; expected an RFC 1123 label of 2-63 lowercase letters, digits and "-", starting and ending with a letter or digit',
        'b.yaml:3: containers: got {}; expected a mapping of at least one container name to its container',
        'b.yaml:4: extra: got "extra"; expected one of the fields of score.dev/v1b1 here: apiVersion, metadata, service, containers, resources',
      ]);
    });
  });
});

describe('a workload that fails half-way', () => {
  /** Every file a synth of `env`'s platform writes, by path below the output folder. */
  function outputs(env: Environment): { [file: string]: string } {
    const result = env.platform.synth();
    const files: { [file: string]: string } = {};
    const walk = (dir: string): void => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) { walk(full); } else { files[path.relative(result.outdir, full)] = fs.readFileSync(full, 'utf8'); }
      }
    };
    walk(result.outdir);
    return files;
  }

  const ORDERS = workload('orders', 'resources:\n  db:\n    type: postgres\n    id: main\n');
  // Warns about a secret-looking literal (DEV), joins the shared database, gets a queue, calls orders (which admits
  // it), then fails on the bucket's params.
  const PAYMENTS = workload('payments', 'resources:\n  db:\n    type: postgres\n    id: main\n  jobs:\n    type: queue\n'
    + '  orders:\n    type: service\n  store:\n    type: s3\n    params:\n      versioned: true\n', '    variables:\n      DB_PASSWORD: hunter2\n');

  test('is rolled back: the platform synthesizes exactly as one where it was never declared', () => {
    // GIVEN
    const failed = workloadEnvironment();
    const clean = workloadEnvironment();
    // WHEN
    const [orders, payments] = scoreFiles({ 'orders.yaml': ORDERS, 'payments.yaml': PAYMENTS });
    expect(() => load(failed, [orders, payments])).toThrow(/resources\.store\.params: got \["versioned"\]; expected no params \(s3 accepts none\)/);
    // The first workload of a tenant that fails takes its tenant with it.
    const [invoices] = scoreFiles({ 'invoices.yaml': PAYMENTS.replace('payments', 'invoices').replace('id: main', 'id: billing') });
    expect(() => load(failed, [invoices], { tenant: 'billing' })).toThrow(/s3 accepts none/);
    load(clean, scoreFiles({ 'orders.yaml': ORDERS }));
    // THEN no warning, no tenant stack dev-billing, nothing else
    expect(failed.platform.warnings).toEqual([]);
    expect(failed.platform.terraform.node.tryFindChild('dev-billing')).toBeUndefined();
    expect(outputs(failed)).toEqual(outputs(clean));
  });

  test('leaves its name, its resources\' names and its tenant free for a workload declared after it', () => {
    // GIVEN
    const env = workloadEnvironment();
    const [orders, payments] = scoreFiles({ 'orders.yaml': ORDERS, 'payments.yaml': PAYMENTS });
    expect(() => load(env, [orders, payments])).toThrow(/s3 accepts none/);
    // WHEN
    const fixed = scoreFiles({ 'payments.yaml': PAYMENTS.replace('  store:\n    type: s3\n    params:\n      versioned: true\n', '') });
    const { workloads } = load(env, fixed);
    // THEN
    expect(workloads.map(w => w.name)).toEqual(['payments']);
    expect(resourcesOf(synthStack(env.tenantScope('shop')), 'aws_sqs_queue').map(q => q.name)).toEqual(['dev-shop-payments-jobs-dlq', 'dev-shop-payments-jobs']);
  });
});

describe('Workload, as Score uses it', () => {
  function orders(env: Environment, props: Partial<WorkloadProps> = {}, name: string = 'orders'): Workload {
    return new Workload(env, name, { tenant: 'shop', image: IMAGE, port: 8080, ...props });
  }

  test('a resource shared through its id is made once, under SharedResources, whoever asks first', () => {
    // GIVEN
    const env = workloadEnvironment();
    // WHEN
    orders(env, { resources: { db: Resource.postgres({ id: 'main' }) } });
    orders(env, { resources: { store: Resource.postgres({ id: 'main' }) } }, 'payments');
    // THEN
    const stack = synthStack(env.tenantScope('shop'));
    const [id] = Object.keys(stack.resource.aws_db_instance);
    expect(id).toMatch(/^SharedResources_postgres-main_Postgres_/);
    expect(resourcesOf(stack, 'aws_eks_pod_identity_association')).toHaveLength(2);
  });

  test('two tenants with one shared id each get their own resource, in their own stack (per-tenant stacks)', () => {
    const env = workloadEnvironment();
    orders(env, { resources: { db: Resource.postgres({ id: 'main' }) } });
    orders(env, { tenant: 'billing', resources: { db: Resource.postgres({ id: 'main' }) } }, 'invoices');
    expect(resourcesOf(synthStack(env.tenantScope('shop')), 'aws_db_instance').map(db => db.identifier)).toEqual([expect.stringMatching(/^dev-shop-shared-postgres-main-[0-9a-f]{8}$/)]);
    expect(resourcesOf(synthStack(env.tenantScope('billing')), 'aws_db_instance').map(db => db.identifier)).toEqual([expect.stringMatching(/^dev-billing-shared-postgres-main-[0-9a-f]{8}$/)]);
  });

  test('fails when a shared id is taken by another tenant (single stack)', () => {
    const env = workloadEnvironment(undefined, undefined, undefined, StackLayout.SINGLE_STACK);
    orders(env, { resources: { db: Resource.postgres({ id: 'main' }) } });
    expect(() => orders(env, { tenant: 'billing', resources: { db: Resource.postgres({ id: 'main' }) } }, 'invoices'))
      .toThrow('dev/invoices: resources.db.id: got "main"; expected an id not taken by another tenant: postgres "main", first requested by orders (resources.db), belongs to tenant "shop" (tenants never share resources)');
  });

  test('fails when a shared resource is requested with other params', () => {
    const env = workloadEnvironment();
    orders(env, { resources: { db: Resource.postgres({ id: 'main' }) } });
    expect(() => orders(env, { resources: { db: Resource.postgres({ id: 'main', params: { databaseName: 'pay' } }) } }, 'payments'))
      .toThrow('dev-shop/payments: resources.db.params: got {"databaseName":"pay"}; expected the params {}: postgres "main", first requested by orders (resources.db), has them');
  });

  test('fails when a shared id is not a DNS label', () => {
    expect(() => orders(workloadEnvironment(), { resources: { db: Resource.postgres({ id: 'main.db' }) } }))
      .toThrow('dev-shop/orders: resources.db.id: got "main.db"; expected a DNS label of 1-30 lowercase letters, digits and dashes');
  });

  test('fails when a workload is named "shared"', () => {
    expect(() => orders(workloadEnvironment(), {}, 'shared'))
      .toThrow('dev-shop/shared: name: got "shared"; expected a name other than "shared" (reserved for resources shared through an id)');
  });

  test('a service resource makes no ExternalSecret: its outputs are known at synth', () => {
    const env = workloadEnvironment();
    orders(env, {}, 'payments');
    const w = orders(env, { resources: { payments: Resource.of('service') }, env: { PAYMENTS: '${resources.payments.name}' } });
    expect(Object.keys(objects(w))).not.toContain('ExternalSecret');
    expect(w.externalSecrets).toEqual({});
  });

  test('a service resource to a workload declared later takes the port number and resolves when it is declared', () => {
    // GIVEN
    const env = workloadEnvironment();
    const caller = orders(env, { resources: { api: Resource.of('service', { params: { workload: 'payments', port: 9000 } }) } });
    // WHEN
    const payments = orders(env, { port: 9000 }, 'payments');
    // THEN
    expect(env.platform.validate()).toEqual([]);
    expect(objects(caller).NetworkPolicy.spec.egress.at(-1).ports).toEqual([{ protocol: 'TCP', port: 9000 }]);
    expect(objects(payments).NetworkPolicy.spec.ingress.at(-1).from[0].podSelector.matchLabels['app.kubernetes.io/name']).toBe('orders');
  });

  test('fails at synth when a service resource names a workload that is never declared', () => {
    const env = workloadEnvironment();
    orders(env, { resources: { api: Resource.of('service', { params: { workload: 'payments', port: 9000 } }) } });
    expect(env.platform.validate()).toEqual([
      'dev-shop/orders: resources.api: service "payments" is not a workload of this synth (workloads of dev: orders)',
    ]);
  });

  test('a service resource without a port admits every port of its target, declared before or after, and offers name and host only', () => {
    // GIVEN
    const env = workloadEnvironment();
    const servicePorts = [{ name: 'grpc', port: 9090 }, { name: 'dns', port: 5353, protocol: 'UDP' }];
    const caller = orders(env, { resources: { api: Resource.of('service', { params: { workload: 'payments' } }) }, env: { API: '${resources.api.host}' } });
    // WHEN
    const payments = orders(env, { port: 9000, servicePorts }, 'payments');
    const earlier = orders(env, { resources: { api: Resource.of('service', { params: { workload: 'payments' } }) } }, 'refunds');
    // THEN
    expect(env.platform.validate()).toEqual([]);
    for (const w of [caller, earlier]) {
      expect(objects(w).NetworkPolicy.spec.egress.slice(-2).map((r: any) => r.ports)).toEqual([
        [{ protocol: 'TCP', port: 9000 }, { protocol: 'TCP', port: 9090 }],
        [{ protocol: 'UDP', port: 5353 }],
      ]);
    }
    expect(objects(payments).NetworkPolicy.spec.ingress.filter((r: any) => r.from[0].podSelector).length).toBe(4);
    expect(objects(caller).Deployment.spec.template.spec.containers[0].env).toContainEqual({ name: 'API', value: 'payments.shop.svc.cluster.local' });
  });

  test('fails when a service resource without a port, to a Service with several, is asked for its port or url', () => {
    const env = workloadEnvironment();
    orders(env, { port: 9000, servicePorts: [{ name: 'grpc', port: 9090 }] }, 'payments');
    expect(() => orders(env, { resources: { api: Resource.of('service', { params: { workload: 'payments' } }) }, env: { API: '${resources.api.url}' } }))
      .toThrow('dev-shop/orders: env.API: got "${resources.api.url}"; expected a port of workload "payments" named in resources.api.params.port, '
        + 'for its url: its Service has several ports, and without one the link admits them all but has no single url');
  });

  test('fails when a service resource names a workload without a Service', () => {
    const env = workloadEnvironment();
    new Workload(env, 'payments', { tenant: 'shop', image: 'ghcr.io/acme/payments:1.0.0', kind: Kind.worker() });
    expect(() => orders(env, { resources: { api: Resource.of('service', { params: { workload: 'payments' } }) } }))
      .toThrow('dev-shop/orders: resources.api.params.workload: got "payments"; expected a workload with a Service: "payments" has none (only a web workload has one)');
  });

  test('fails when a service resource names a port the workload does not have', () => {
    const env = workloadEnvironment();
    orders(env, {}, 'payments');
    expect(() => orders(env, { resources: { payments: Resource.of('service', { params: { port: 'grpc' } }) } }))
      .toThrow('dev-shop/orders: resources.payments.params.port: got "grpc"; expected a port of workload "payments": http (8080)');
  });

  test('fails when a service port name is not a container port name', () => {
    expect(() => orders(workloadEnvironment(), { servicePorts: [{ name: 'a-very-long-port-name', port: 9000 }] }))
      .toThrow('dev/shop/orders/WebApp: servicePorts[0].name: got "a-very-long-port-name"; expected a port name not used by another port');
  });

  test('fails when two service ports share a number', () => {
    expect(() => orders(workloadEnvironment(), { servicePorts: [{ name: 'grpc', port: 8080 }] }))
      .toThrow('dev/shop/orders/WebApp: servicePorts[0].port: got 8080; expected a Service port number not used by another port');
  });

  test('fails when the host names an output known only after deployment', () => {
    expect(() => orders(workloadEnvironment(), { resources: { db: Resource.postgres() }, host: '${resources.db.host}' }))
      .toThrow(/dev-shop\/orders: host: got "\$\{resources\.db\.host\}"; expected placeholders to outputs known at synth: db\.host is known only after deployment/);
  });
});
