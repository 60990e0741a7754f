import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { EXIT_OK, main } from '../../lib/cli/main';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { expectNoDanglingReferences } from '../support/tf-references';

/*
 * Score applications in the style of public microservice demos
 * (test/fixtures/score-apps/README.md), synthesized by `paved synth` as a
 * pipeline would: the platform's file, its one provisioners file, and
 * `--image` only for the containers whose image is `.`.
 */

const APPS = path.join(__dirname, '../fixtures/score-apps');

interface Synth {
  readonly code: number;
  readonly stderr: string;
  /** Kubernetes objects by manifest file name (without `.k8s.yaml`) and `Kind/name`. */
  readonly objects: { [manifest: string]: { [kindAndName: string]: any } };
  /** Every Kubernetes object written. */
  readonly all: any[];
  /** Terraform JSON by stack name. */
  readonly stacks: { [stack: string]: any };
}

/** The Score files of `app` and the --image options for their `image: .` containers. */
function inputs(app: string): { files: string[]; images: string[] } {
  const dirs = fs.readdirSync(path.join(APPS, app)).sort();
  const files = dirs.map(d => path.join(APPS, app, d, 'score.yaml'));
  const images = files.flatMap(file => {
    const doc = YAML.parse(fs.readFileSync(file, 'utf8'));
    return Object.entries(doc.containers as { [name: string]: { image: string } })
      .filter(([, c]) => c.image === '.')
      .map(([container]) => `--image=${doc.metadata.name}.${container}=registry.acme.io/${app}/${doc.metadata.name}:1.0.0`);
  });
  return { files, images };
}

const synthesized: { [app: string]: Synth } = {};

/** The outputs of `paved synth` for `app`, made once per test file. */
function synth(app: string): Synth {
  synthesized[app] ??= runSynth(app);
  return synthesized[app];
}

function runSynth(app: string): Synth {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), `paved-apps-${app}-`)), 'out');
  const { files, images } = inputs(app);
  const err: string[] = [];
  const code = main(['synth', ...files.flatMap(f => ['-f', f]), '--tenant', app, '--config', path.join(APPS, 'platform.json'),
    '--provisioners', path.join(APPS, 'provisioners.yaml'), '--out', out, ...images], { out: () => {}, err: line => err.push(line) });
  const objects: Synth['objects'] = {};
  const all: any[] = [];
  const k8s = path.join(out, 'k8s/dev', app);
  for (const file of fs.existsSync(k8s) ? fs.readdirSync(k8s) : []) {
    const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(k8s, file), 'utf8')).map(d => d.toJS());
    all.push(...docs);
    objects[file.replace(/\.k8s\.yaml$/, '')] = Object.fromEntries(docs.map(o => [`${o.kind}/${o.metadata.name}`, o]));
  }
  const stacks: Synth['stacks'] = {};
  const stackDir = path.join(out, 'cdktf.out/stacks');
  for (const stack of fs.existsSync(stackDir) ? fs.readdirSync(stackDir) : []) {
    stacks[stack] = JSON.parse(fs.readFileSync(path.join(stackDir, stack, 'cdk.tf.json'), 'utf8'));
  }
  return { code, stderr: err.join('\n'), objects, all, stacks };
}

function env(container: any): { [name: string]: any } {
  return Object.fromEntries((container.env ?? []).map((e: any) => [e.name, e.value ?? e.valueFrom]));
}

describe.each(['boutique', 'voting', 'assistant'])('the %s app', app => {
  let result: Synth;
  beforeAll(() => { result = synth(app); }, 120_000);

  test('synthesizes with only --image overrides and the provisioners file', () => {
    expect(result.stderr.split('\n').filter(l => l !== '' && !l.startsWith('paved: warning: '))).toEqual([]);
    expect(result.code).toBe(EXIT_OK);
    expect(Object.keys(result.stacks).sort()).toEqual(['dev', `dev-${app}`]);
  });

  test('writes only Kubernetes objects that pass the schema checks', () => {
    expect(result.all.length).toBeGreaterThan(0);
    expectValidKubernetesObjects(result.all);
  });

  test('writes Terraform whose references all resolve', () => {
    Object.values(result.stacks).forEach(stack => expectNoDanglingReferences(stack));
  });
});

describe('the apps\' workloads', () => {
  test('boutique: a workload without ports is a worker; services are reached by name without a port; an untagged image is a warning in DEV', () => {
    const { objects, stderr } = synth('boutique');
    const loadgenerator = objects.loadgenerator;
    expect(Object.keys(loadgenerator).filter(k => k.startsWith('Service/'))).toEqual([]);
    expect(env(loadgenerator['Deployment/loadgenerator'].spec.template.spec.containers[0]).FRONTEND_ADDR).toBe('frontend:80');
    // Probes only where declared: none for a worker without them.
    expect(loadgenerator['Deployment/loadgenerator'].spec.template.spec.containers[0].livenessProbe).toBeUndefined();
    const frontend = objects.frontend['Deployment/frontend'].spec.template.spec.containers[0];
    expect(env(frontend)).toMatchObject({
      CART_SERVICE_ADDR: 'cartservice.boutique.svc.cluster.local:7070',
      PRODUCT_CATALOG_SERVICE_ADDR: 'productcatalogservice:3550',
      SHOPPING_ASSISTANT_URL: 'http://shopping-assistant.apis.svc.cluster.local:80',
    });
    expect(frontend.livenessProbe.httpGet).toMatchObject({ path: '/_healthz', port: 8080 });
    expect(objects.frontend['Ingress/frontend'].spec.rules[0].host).toBe('frontend-dns.boutique.dev.acme.io');
    expect(objects.productcatalogservice['Service/productcatalogservice'].spec.ports.map((p: any) => p.port)).toEqual([3550, 9464]);
    expect(objects.emailservice['Service/emailservice'].spec.ports[0]).toMatchObject({ port: 5000, targetPort: 'http' });
    expect(objects.emailservice['Deployment/emailservice'].spec.template.spec.containers[0].ports).toContainEqual(expect.objectContaining({ name: 'http', containerPort: 8080 }));
    expect(stderr).toMatch(/warning: .*emailservice.*image "ghcr\.io\/acme-demo\/emailservice" is not pinned/);
  });

  test('voting: a worker shares Redis and Postgres with the web workloads by id; a job runs after the workloads', () => {
    const { objects, stacks } = synth('voting');
    expect(Object.keys(objects.worker).filter(k => k.startsWith('Service/'))).toEqual([]);
    expect(env(objects.worker['Deployment/worker'].spec.template.spec.containers[0]).DB_PASSWORD).toEqual({ secretKeyRef: { name: 'worker-db', key: 'password' } });
    expect(Object.keys(stacks['dev-voting'].resource.aws_db_instance)).toHaveLength(1);
    const seed = objects.seed['Job/seed'];
    expect(seed.metadata.annotations['argocd.argoproj.io/hook']).toBe('PostSync');
    expect(env(seed.spec.template.spec.containers[0]).VOTE_URL).toBe('http://vote:8080/');
  });

  test('assistant: custom types from the provisioners file, a worker scaled on the shared queue, a cron job and a migration', () => {
    const { objects, stacks } = synth('assistant');
    const chat = objects.chat['Deployment/chat'].spec.template.spec.containers[0];
    expect(env(chat)).toMatchObject({
      OPENAI_BASE_URL: 'http://llm-gateway.ai.svc.cluster.local:4000/v1',
      OPENAI_MODEL: 'ai/llama3.2:1B-Q8_0',
      OPENAI_API_KEY: { secretKeyRef: { name: 'chat-llm-llm-key', key: 'api-key' } },
      SEARCH_URL: 'http://vector-search.apis.svc.cluster.local:6333',
      SEARCH_API_KEY: { secretKeyRef: { name: 'chat-search', key: 'api-key' } },
    });
    expect(objects.chat['ConfigMap/chat-llm-llm'].data).toEqual({ model: 'ai/llama3.2:1B-Q8_0', secret: 'chat-llm-llm-key' });
    expect(objects.chat['ExternalSecret/chat-search'].spec.data).toEqual([
      { secretKey: 'api-key', remoteRef: { key: 'paved/dev/assistant/apis/vector-search', property: 'api-key' } },
    ]);
    expect(objects.indexer['ScaledObject/indexer'].spec.triggers[0].type).toBe('aws-sqs-queue');
    expect(objects['nightly-digest']['CronJob/nightly-digest'].spec).toMatchObject({ schedule: '0 6 * * 1-5', timeZone: 'Europe/Berlin' });
    expect(objects.migrate['Job/migrate'].metadata.annotations).toMatchObject({ 'argocd.argoproj.io/hook': 'Sync', 'argocd.argoproj.io/sync-wave': '-1' });
    const parameters = Object.values(stacks['dev-assistant'].resource.aws_ssm_parameter) as any[];
    expect(parameters.map(p => p.name).sort()).toEqual([
      '/paved/dev/assistant/chat/llm/llm-usage', '/paved/dev/assistant/indexer/embeddings/llm-usage', '/paved/dev/assistant/nightly-digest/llm/llm-usage',
    ]);
  });
});
