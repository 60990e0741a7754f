import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Entity } from '@backstage/catalog-model';
import * as YAML from 'yaml';
import { buildPlatform } from '../../examples/platform/main';
import {
  CatalogDomains, Cluster, Environment, Network, Platform, Portal, PriceTable, Profile, Provisioners, Resource, Size,
  SizeCatalogue, TenantSecretAccess, TerraformState, Workload,
} from '../../lib';
import { unresolvedReferences, validateEntity } from '../support/backstage';
import { testPlatform } from '../support/synth';

/** A DEV platform with one cluster, two tenants and a workload calling another through a `service` resource. */
function smallPlatform(platform: Platform = testPlatform(), region: string = 'eu-central-1'): { platform: Platform; env: Environment } {
  const env = new Environment(platform, 'dev', { account: '123456789012', region, profile: Profile.DEV, state: TerraformState.local() });
  new Network(env, 'Network', { cidr: '10.10.0.0/16' });
  new Cluster(env, 'Cluster');
  TenantSecretAccess.declare(env, 'shop', { owner: 'shop-team' });
  new Workload(env, 'orders', {
    tenant: 'shop',
    image: 'ghcr.io/acme/orders:1.0.0',
    port: 8080,
    size: Size.S,
    resources: { db: Resource.postgres(), cache: Resource.redis({ size: Size.M }) },
  });
  new Workload(env, 'web', { tenant: 'shop', image: 'ghcr.io/acme/web:1.0.0', port: 8080, resources: { orders: Resource.of('service') } });
  new Workload(env, 'insights', { tenant: 'analytics', image: 'ghcr.io/acme/insights:1.0.0', port: 8080, size: Size.S });
  return { platform, env };
}

function entitiesOf(dir: string, file: string): Entity[] {
  return YAML.parseAllDocuments(fs.readFileSync(path.join(dir, file), 'utf8')).map(d => d.toJSON());
}

/** Every entity of a synthesized catalog, by the Location's targets (which must cover every YAML file but the skeletons). */
function catalogOf(outdir: string): { entities: Entity[]; location: any; files: string[] } {
  const dir = path.join(outdir, 'catalog');
  const location = YAML.parse(fs.readFileSync(path.join(dir, 'catalog-info.yaml'), 'utf8'));
  const files = (fs.readdirSync(dir, { recursive: true }) as string[]).filter(f => f.endsWith('.yaml') && f !== 'catalog-info.yaml' && !f.includes('-skeleton')).sort();
  const entities = location.spec.targets.flatMap((t: string) => entitiesOf(dir, t.replace(/^\.\//, '')));
  return { entities, location, files };
}

describe('Portal', () => {
  let outdir: string;
  let entities: Entity[];
  let location: any;
  let files: string[];

  beforeAll(() => {
    const platform = buildPlatform(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'paved-portal-')), 'out'));
    outdir = platform.synth().outdir;
    ({ entities, location, files } = catalogOf(outdir));
  });

  test('writes a Location listing every catalog file', () => {
    expect(location.kind).toBe('Location');
    expect(location.spec.targets.map((t: string) => t.slice(2)).sort()).toEqual(files);
    expect(files).toEqual(expect.arrayContaining(['groups.yaml', 'dev/platform.yaml', 'dev/shop.yaml', 'prod/analytics.yaml', 'templates/new-workload.yaml']));
  });

  test('every entity of the example passes Backstage\'s own validators', async () => {
    for (const entity of entities) { await validateEntity(entity); }
    expect(entities.length).toBeGreaterThan(20);
  });

  test('every reference between the entities resolves within the catalog', () => {
    expect(unresolvedReferences(entities)).toEqual([]);
  });

  test('a System per tenant and environment, a Domain per environment, a Group per owner', () => {
    const names = (kind: string) => entities.filter(e => e.kind === kind).map(e => `${e.metadata.namespace}/${e.metadata.name}`).sort();
    expect(names('System')).toEqual(['dev/analytics', 'dev/platform', 'dev/shop', 'prod/analytics', 'prod/platform', 'prod/shop']);
    expect(names('Domain')).toEqual(['dev/dev', 'prod/prod']);
    expect(names('Group')).toEqual(['default/analytics-team', 'default/platform-team', 'default/shop-team']);
    expect(entities.find(e => e.kind === 'System' && e.metadata.name === 'shop')?.spec?.owner).toBe('group:default/shop-team');
  });

  test('a Component per workload with its owner, lifecycle from the profile, Kubernetes, Argo CD and cost annotations, and links', () => {
    const orders = entities.find(e => e.kind === 'Component' && e.metadata.namespace === 'prod' && e.metadata.name === 'orders')!;
    expect(orders.spec).toMatchObject({ type: 'service', lifecycle: 'production', owner: 'group:default/shop-team', system: 'shop' });
    expect(entities.find(e => e.kind === 'Component' && e.metadata.namespace === 'dev' && e.metadata.name === 'orders')!.spec!.lifecycle).toBe('experimental');
    expect(orders.metadata.annotations).toMatchObject({
      'backstage.io/kubernetes-id': 'orders',
      'backstage.io/kubernetes-namespace': 'shop',
      'backstage.io/kubernetes-label-selector': 'app.kubernetes.io/instance=orders,app.kubernetes.io/name=orders',
      'argocd/app-name': 'tenant-shop',
      'paved.dev/size': 'M',
      'paved.dev/kind': 'web',
    });
    expect(Number(orders.metadata.annotations!['paved.dev/monthly-cost-usd'])).toBeGreaterThan(0);
    expect(orders.metadata.links).toEqual(expect.arrayContaining([
      { url: 'https://argocd.prod.acme.io/applications/argocd/tenant-shop', title: 'Argo CD: tenant-shop on prod-cluster', icon: 'dashboard' },
      { url: 'https://orders.prod.acme.io', title: 'orders.prod.acme.io', icon: 'web' },
    ]));
    expect(orders.spec!.dependsOn).toEqual(['resource:prod/shop-orders-db', 'resource:prod/shop-orders-cache', 'resource:prod/shop-orders-uploads',
      'resource:prod/shop-shared-queue-orders-jobs']);
    const worker = entities.find(e => e.kind === 'Component' && e.metadata.namespace === 'prod' && e.metadata.name === 'orders-worker')!;
    expect(worker.spec).toMatchObject({ type: 'worker', dependsOn: ['resource:prod/shop-shared-queue-orders-jobs'] });
    expect(entities.find(e => e.metadata.name === 'orders-report')!.spec!.type).toBe('cron-job');
  });

  test('a Resource per provisioned resource and per foundation cluster, zone and registry', () => {
    const resource = (ns: string, name: string) => entities.find(e => e.kind === 'Resource' && e.metadata.namespace === ns && e.metadata.name === name);
    expect(resource('prod', 'shop-orders-db')!.spec).toEqual({ type: 'database', owner: 'group:default/shop-team', system: 'shop' });
    expect(resource('prod', 'shop-orders-db')!.metadata.annotations!['paved.dev/connection-secret']).toBe('paved/prod/shop/orders/db');
    expect(resource('prod', 'shop-orders-cache')!.spec!.type).toBe('cache');
    expect(resource('prod', 'shop-orders-uploads')!.spec!.type).toBe('bucket');
    expect(resource('prod', 'shop-shared-queue-orders-jobs')!.spec!.type).toBe('queue');
    expect(resource('prod', 'prod-cluster')!.spec).toEqual({ type: 'kubernetes-cluster', owner: 'group:default/platform-team', system: 'platform' });
    expect(resource('prod', 'prod-batch')!.spec!.type).toBe('kubernetes-cluster');
    expect(resource('prod', 'Dns')!.spec!.type).toBe('dns-zone');
    expect(resource('prod', 'OrdersRegistry')!.spec!.type).toBe('container-registry');
  });

  test('the "new workload" template offers the platform\'s sizes, tenants, environments and resource types, and opens a pull request', () => {
    const template = entities.find(e => e.kind === 'Template')! as any;
    expect(template.apiVersion).toBe('scaffolder.backstage.io/v1beta3');
    const [workload, resources] = template.spec.parameters;
    expect(workload.properties.tenant.enum).toEqual(['analytics', 'shop']);
    expect(workload.properties.environment.enum).toEqual(['dev', 'prod']);
    expect(resources.properties.resources.items.properties.size.enum).toEqual(['S', 'M', 'L', 'XL']);
    expect(resources.properties.resources.items.properties.type.enum).toEqual(['dns', 'kafka-topic', 'mongodb', 'mysql', 'postgres', 'queue', 'redis', 's3']);
    expect(template.spec.steps.map((s: any) => s.action)).toEqual(['fetch:template', 'publish:github:pull-request']);
    expect(template.spec.steps[1].input.repoUrl).toBe('github.com?owner=acme&repo=platform');
    expect(template.spec.steps[0].input.targetPath).toBe('./workloads/${{ parameters.environment }}/${{ parameters.tenant }}/${{ parameters.name }}');
    const skeleton = fs.readFileSync(path.join(outdir, 'catalog/templates/new-workload-skeleton/score.yaml'), 'utf8');
    expect(skeleton).toContain('apiVersion: score.dev/v1b1');
    expect(skeleton).toContain('    type: ${{ resource.type }}');
  });

  test('report.md has the cost estimate, labelled an estimate, with what it leaves out and its price sources', () => {
    const report = fs.readFileSync(path.join(outdir, 'report.md'), 'utf8');
    const section = report.slice(report.indexOf('## Cost estimate'), report.indexOf('## Defaults chosen'));
    expect(section).toContain('**An estimate**, not a bill');
    expect(section).toMatch(/\| prod \| shop\/orders \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \| [0-9.]+ \|/);
    expect(section).toContain('- data transfer');
    expect(section).toContain('- eu-central-1: as of 2026-12-01, https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/current/eu-central-1/index.json');
  });

  test('the platform page has a row per workload and a diagram node per workload and resource, with nothing loaded from elsewhere', () => {
    const html = fs.readFileSync(path.join(outdir, 'site/index.html'), 'utf8');
    for (const w of ['dev/shop/orders', 'prod/shop/orders-worker', 'prod/shop/orders-report', 'prod/analytics/insights']) {
      const [env, tenant, name] = w.split('/');
      expect(html).toMatch(new RegExp(`<table id="workloads-${env}">[\\s\\S]*data-workload="${tenant}/${name}"`));
      expect(html).toMatch(new RegExp(`<svg [^>]*data-environment="${env}"[\\s\\S]*data-node="workload" data-id="${tenant}/${name}"`));
    }
    expect(html).toContain('data-node="resource" data-id="prod/shop/orders/db"');
    expect(html).toContain('data-node="identity" data-id="prod-shop-orders"');
    expect(html).toContain('data-node="secret" data-id="shop/orders-db"');
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });
});

describe('Portal on a small platform', () => {
  test('service resources become API entities the caller consumes and the callee provides, and a component dependency', async () => {
    // GIVEN
    const { platform } = smallPlatform();
    new Portal(platform, 'Portal', { repositoryUrl: 'https://gitlab.acme.io/platform/deploy.git', domains: CatalogDomains.SINGLE, domainName: 'acme' });
    // WHEN
    const { entities } = catalogOf(platform.synth().outdir);
    // THEN
    for (const entity of entities) { await validateEntity(entity); }
    expect(unresolvedReferences(entities)).toEqual([]);
    const component = (name: string) => entities.find(e => e.kind === 'Component' && e.metadata.name === name)!;
    expect(component('web').spec).toMatchObject({ consumesApis: ['api:dev/shop-orders-http'], dependsOn: ['component:dev/orders'] });
    expect(component('orders').spec).toMatchObject({ providesApis: ['api:dev/shop-orders-http'] });
    expect(entities.find(e => e.kind === 'API')!.spec).toMatchObject({ type: 'http', owner: 'group:default/shop-team', system: 'shop' });
    expect(entities.filter(e => e.kind === 'Domain').map(e => `${e.metadata.namespace}/${e.metadata.name}`)).toEqual(['default/acme']);
    expect(entities.find(e => e.kind === 'System' && e.metadata.name === 'analytics')!.spec).toEqual({ owner: 'group:default/analytics', domain: 'domain:default/acme' });
    const template = entities.find(e => e.kind === 'Template') as any;
    expect(template.spec.steps[1]).toMatchObject({ action: 'publish:gitlab:merge-request', input: { repoUrl: 'gitlab.acme.io?owner=platform&repo=deploy' } });
  });

  test('offers resource types registered by the platform engineer in its templates', () => {
    const platform = testPlatform();
    Provisioners.register(platform, { type: 'acme-kafka', outputNames: ['brokers'], provision: () => ({ outputs: [], remoteKeys: [] }) });
    smallPlatform(platform);
    const portal = new Portal(platform, 'Portal', { repositoryUrl: 'https://github.com/acme/platform' });
    platform.validate();
    const template = YAML.parse(portal.catalogFiles().find(f => f.path === 'templates/new-workload.yaml')!.content);
    expect(template.spec.parameters[1].properties.resources.items.properties.type.enum).toContain('acme-kafka');
    expect(portal.model().resourceTypes).toContain('acme-kafka');
  });

  test('writes no template without a GitHub or GitLab repository', () => {
    const { platform } = smallPlatform();
    const portal = new Portal(platform, 'Portal');
    platform.validate();
    expect(portal.catalogFiles().map(f => f.path).filter(p => p.startsWith('templates/'))).toEqual([]);
  });

  test('a template limited to some tenants and environments offers only those', () => {
    const { platform } = smallPlatform();
    const portal = new Portal(platform, 'Portal', { repositoryUrl: 'https://github.com/acme/platform', templates: [{ name: 'shop-service', tenants: ['shop'], environments: ['dev'] }] });
    expect(platform.validate()).toEqual([]);
    const template = YAML.parse(portal.catalogFiles().find(f => f.path === 'templates/shop-service.yaml')!.content);
    expect(template.spec.parameters[0].properties.tenant.enum).toEqual(['shop']);
  });

  test('fails when a template names a tenant that does not exist', () => {
    const { platform } = smallPlatform();
    new Portal(platform, 'Portal', { repositoryUrl: 'https://github.com/acme/platform', templates: [{ name: 'new-workload', tenants: ['billing'] }] });
    expect(platform.validate()).toEqual(['Portal: templates[0].tenants[0]: got "billing"; expected a tenant of the platform (shop, analytics)']);
    expect(() => platform.synth()).toThrow(/templates\[0\]\.tenants\[0\]: got "billing"; expected a tenant of the platform/);
    expect(fs.existsSync(path.join(platform.outdir, 'catalog'))).toBe(false);
  });

  test('fails when a template names an environment that does not exist', () => {
    const { platform } = smallPlatform();
    new Portal(platform, 'Portal', { templates: [{ name: 'new-workload', environments: ['prod'] }] });
    expect(platform.validate()).toEqual(['Portal: templates[0].environments[0]: got "prod"; expected an environment of the platform (dev)']);
  });

  test('fails when the price table lacks an instance class the platform uses, naming it', () => {
    const big = Size.M.extend('M-graviton3', { database: { instanceClass: 'db.m7g.large', storageGiB: 50, maxStorageGiB: 100 } });
    const platform = new Platform({ outdir: testPlatform().outdir, sizes: SizeCatalogue.defaults().add(big) });
    const { env } = smallPlatform(platform);
    new Workload(env, 'ledger', { tenant: 'shop', image: 'ghcr.io/acme/ledger:1.0.0', port: 8080, resources: { db: Resource.postgres({ size: big }) } });
    new Portal(platform, 'Portal');
    expect(platform.validate()).toEqual([expect.stringMatching(
      /^Portal: dev-shop\/ledger\/db\/Postgres\/Resource: price: got "postgres\/db.m7g.large"; expected a key of rdsInstanceHourlyUsd in the price table for eu-central-1 \(.*\): the table has no price for RDS instance class db.m7g.large \(postgres\)/)]);
    expect(() => platform.synth()).toThrow('no price for RDS instance class db.m7g.large');
  });

  test('fails when the price table has no prices for the platform\'s region, unless the engineer passes them', () => {
    const { platform } = smallPlatform(testPlatform(), 'ap-southeast-2');
    new Portal(platform, 'Portal');
    expect(platform.validate()).toEqual([
      'Portal: environment dev: region: got "ap-southeast-2"; expected a region of the price table (eu-central-1, us-east-1): pass prices for ap-southeast-2 '
      + 'with PriceTable.awsOnDemand().withRegion({...}) or PriceTable.of([...])',
    ]);
    const other = smallPlatform(testPlatform(), 'ap-southeast-2').platform;
    const sydney = { ...PriceTable.awsOnDemand().region('us-east-1'), region: 'ap-southeast-2', asOf: '2026-11-30' };
    const portal = new Portal(other, 'Portal', { prices: PriceTable.awsOnDemand().withRegion(sydney) });
    expect(other.validate()).toEqual([]);
    expect(portal.costEstimate().environments[0].region).toBe('ap-southeast-2');
  });

  test('fails when a second Portal is declared, or props are invalid', () => {
    const { platform } = smallPlatform();
    new Portal(platform, 'Portal');
    expect(() => new Portal(platform, 'Other')).toThrow('Other: platform: got "Portal"; expected one Portal per platform');
    const fresh = () => smallPlatform().platform;
    expect(() => new Portal(fresh(), 'Portal', { platformOwner: 'user:default/jane' })).toThrow(
      'Portal: platformOwner: got "user:default/jane"; expected a Backstage entity reference to a group');
    expect(() => new Portal(fresh(), 'Portal', { domains: 'BY_TEAM' as any })).toThrow('Portal: domains: got "BY_TEAM"; expected one of "PER_ENVIRONMENT", "SINGLE", "NONE" (CatalogDomains)');
    expect(() => new Portal(fresh(), 'Portal', { domainName: 'a b' })).toThrow('Portal: domainName: got "a b"; expected a Backstage entity name');
    expect(() => new Portal(fresh(), 'Portal', { grafanaUrl: 'http://grafana' })).toThrow('Portal: grafanaUrl: got "http://grafana"; expected an https:// URL');
    expect(() => new Portal(fresh(), 'Portal', { repositoryUrl: 'https://bitbucket.org/acme/platform' })).toThrow(
      'Portal: repositoryUrl: got "https://bitbucket.org/acme/platform"; expected an https:// URL of a GitHub or GitLab repository');
    expect(() => new Portal(fresh(), 'Portal', { workloadsPath: '../x' })).toThrow('Portal: workloadsPath: got "../x"; expected a folder of the repository');
    expect(() => new Portal(fresh(), 'Portal', { templates: [{ name: 'a' }, { name: 'a' }] })).toThrow('Portal: templates[1].name: got "a"; expected a name no other template has');
    expect(() => new Portal(fresh(), 'Portal', { templates: [{ name: 'new workload' }] })).toThrow('Portal: templates[0].name: got "new workload"; expected a Backstage entity name');
    expect(() => new Portal(fresh(), 'Portal', { templates: [{ name: 'a', tenants: [] }] })).toThrow('Portal: templates[0].tenants: got []; expected one or more tenants of the platform');
    expect(() => new Portal(fresh(), 'Portal', { prices: {} as any })).toThrow('Portal: prices: got {}; expected a PriceTable');
    expect(() => new Portal({} as any, 'Portal')).toThrow('Portal: platform: got {}; expected a Platform (new Platform(...) or Platform.of(...))');
  });

  test('the tenant owner defaults to a group named after the tenant, and fails when it is not a group reference', () => {
    const { platform, env } = smallPlatform();
    expect(TenantSecretAccess.allOf(env).map(t => [t.name, t.owner, t.ownerDeclared])).toEqual([
      ['shop', 'group:default/shop-team', true], ['analytics', 'group:default/analytics', false],
    ]);
    expect(platform.decisions.filter(d => d.property === 'owner').map(d => d.source)).toEqual(['tenant', 'paved default (the tenant\'s name)']);
    for (const owner of ['user:default/jane', 'Shop Team', 'group:Default/shop', 'group:default/-shop', 'a'.repeat(64)]) {
      expect(() => TenantSecretAccess.declare(env, `t${owner.length}`, { owner })).toThrow(
        `owner: got ${JSON.stringify(owner)}; expected a Backstage entity reference to a group: [group:][<namespace>/]<name>`);
    }
  });
});
