import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import { Dns } from '../../lib/aws/dns';
import { Platform } from '../../lib/core/platform';
import { ScoreWorkloads } from '../../lib/score/score';
import { DatabaseAuthentication } from '../../lib/workload/database-user';
import { Provisioners } from '../../lib/workload/provisioners';
import { RedisProvisioner } from '../../lib/workload/redis-provisioner';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { testPlatform, workloadEnvironment } from '../support/synth';
import { expectNoDanglingReferences } from '../support/tf-references';

/**
 * Every Score file of the Score project's specification and examples
 * (test/fixtures/score/, Apache-2.0, copied from score-spec/spec and
 * score-spec/examples) either synthesizes into valid
 * Terraform JSON and Kubernetes objects, or fails with the problems listed
 * here: the Score features paved does not support, and the specification
 * sample's own mistakes. A file added there must synthesize or be listed.
 */
const SAMPLES = path.join(__dirname, '../fixtures/score');

const UNSUPPORTED_TYPE = (type: string) => new RegExp(`resources\\.[a-z0-9-]+\\.type: got "${type}"; expected a resource type paved supports: .*\\(type "${type}" is not supported\\)`);

/** File (relative to test/fixtures/score) -> every problem paved reports for it. */
const EXPECTED_PROBLEMS: { [file: string]: RegExp[] } = {
  // Unsupported: amqp resources. (Workloads without service ports are workers.)
  'resources/amqp/score.yaml': [UNSUPPORTED_TYPE('amqp')],
  // paved's caches log in with IAM by default: the sample synthesizes where the platform makes passwords its default (below).
  'resources/redis/score.yaml': [
    /env\.REDIS_PASSWORD: got "\$\{resources\.my-redis\.password\}"; expected an output of my-redis: host, port, username, cacheName, region; "password" is not one/,
  ],
  // The array form of files and volumes is read; its volume names no volume resource.
  'spec-samples/score-deprecated-files-and-volumes.yaml': [
    /containers\.main\.volumes\[0\]\.source: got "some-volume"; expected a volume resource/,
  ],
  // The full sample shows every field, with placeholder values that no platform could provision.
  'spec-samples/score-full.yaml': [
    UNSUPPORTED_TYPE('Resource-One'), UNSUPPORTED_TYPE('Resource-Two'), UNSUPPORTED_TYPE('Type-Three'),
    /requests\.cpu: got "1000m"; expected at most the cpu limit "0\.24"/,
    /requests\.memory: got "10Gi"; expected at most the memory limit "128M"/,
    /files\["\/my\/file"\]\.source: got "file\.txt"; expected a file in the Score file's folder or below, .*; .*\/file\.txt does not exist/,
    /volumes\["\/mnt\/something"\]\.source: got "volume-name"; expected a volume resource/,
    /volumes\["\/mnt\/something-else"\]\.source: got "volume-two"; expected a volume resource/,
    /containers\.container-two2\.livenessProbe: got undefined; expected a liveness probe on every container but the first/,
  ],
};

function scoreFilesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) { return scoreFilesUnder(full); }
    return /\.ya?ml$/.test(entry.name) ? [full] : [];
  }).sort();
}

describe('Score conformance', () => {
  const files = scoreFilesUnder(SAMPLES).map(f => path.relative(SAMPLES, f));

  test('the Score samples are in the repository, with their license', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
    expect(fs.readFileSync(path.join(SAMPLES, 'LICENSE'), 'utf8')).toContain('Apache License');
  });

  test('every listed file still exists', () => {
    expect(Object.keys(EXPECTED_PROBLEMS).filter(f => !files.includes(f))).toEqual([]);
  });

  test.each(files)('%s', relative => {
    // GIVEN
    const file = path.join(SAMPLES, relative);

    // WHEN
    const { platform, error } = loadSample(file);

    // THEN
    const expected = EXPECTED_PROBLEMS[relative];
    if (expected) {
      expect(error?.name).toBe('PavedError');
      const problems = error!.message.split('\n').slice(1);
      expect(problems.filter(p => !expected.some(re => re.test(p)))).toEqual([]);
      expect(expected.filter(re => !problems.some(p => re.test(p))).map(String)).toEqual([]);
      return;
    }
    expect(error).toBeUndefined();
    expectValidOutputs(platform);
  });

  // The samples without service ports run as workers; with a service port added they run as web
  // apps (TCP probes on the port), and every feature they use (files from a source, binary content,
  // modes, volumes, variables, limits, annotations, a postgres, a mysql) works there too.
  const withoutPorts = files.filter(f => !EXPECTED_PROBLEMS[f]
    && YAML.parse(fs.readFileSync(path.join(SAMPLES, f), 'utf8'))?.service === undefined);

  test('resources/redis/score.yaml with a service port needs a password the platform opts into', () => {
    // GIVEN the sample with a service port
    const original = path.join(SAMPLES, 'resources/redis/score.yaml');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'paved-conformance-')), 'score.yaml');
    fs.writeFileSync(file, YAML.stringify({ ...YAML.parse(fs.readFileSync(original, 'utf8')), service: { ports: { web: { port: 8080 } } } }));
    // WHEN the platform keeps IAM authentication, THEN the password is refused with how to get one
    expect(loadSample(file).error?.message).toMatch(/env\.REDIS_PASSWORD: got "\$\{resources\.my-redis\.password\}"; expected an output of my-redis: host, port, username, cacheName, region; "password" is not one \(the cache has no password: the workload signs IAM tokens; for clients that cannot, set params\.auth: password \(weaker\)\)/);
    // WHEN the platform makes passwords its default, THEN it synthesizes
    const passwords = new RedisProvisioner({ authentication: DatabaseAuthentication.PASSWORD });
    const { platform, error } = loadSample(file, p => Provisioners.register(p, passwords));
    expect(error).toBeUndefined();
    expectValidOutputs(platform);
  });

  test('the samples without service ports are there to run as workers', () => {
    expect(withoutPorts.length).toBeGreaterThanOrEqual(8);
  });

  test.each(withoutPorts)('%s with a service port', relative => {
    // GIVEN a copy of the sample's folder (for its source files) with a service port added
    const original = path.join(SAMPLES, relative);
    const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'paved-conformance-')), 'sample');
    fs.cpSync(path.dirname(original), copy, { recursive: true });
    const file = path.join(copy, path.basename(original));
    const document = YAML.parse(fs.readFileSync(original, 'utf8'));
    fs.writeFileSync(file, YAML.stringify({ ...document, service: { ports: { web: { port: 8080 } } } }));

    // WHEN
    const { platform, error } = loadSample(file);

    // THEN
    expect(error).toBeUndefined();
    expectValidOutputs(platform);
  });
});

/**
 * Loads one Score file into an environment with a network, a cluster and a
 * DNS zone, with its images pinned as a pipeline would (the samples use
 * untagged images such as "busybox", which paved refuses).
 */
function loadSample(file: string, configure: (platform: Platform) => void = () => {}): { platform: Platform; error?: Error } {
  const platform = testPlatform();
  configure(platform);
  const env = workloadEnvironment(platform);
  Dns.fromZoneAttributes(env, 'Dns', { zoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'dev.example.com' });
  const containers = Object.keys(YAML.parse(fs.readFileSync(file, 'utf8')).containers ?? {});
  const images = Object.fromEntries(containers.map(c => [c, `registry.example.com/conformance/${c}:1.0.0`]));
  try {
    ScoreWorkloads.load(env, { files: [file], tenant: 'conformance', images });
    return { platform };
  } catch (e: any) {
    return { platform, error: e };
  }
}

/** Synthesizes the platform; every Kubernetes object is schema-valid, every Terraform reference resolves. */
function expectValidOutputs(platform: Platform): void {
  const result = platform.synth();
  expect(result.manifests.length).toBeGreaterThan(0);
  for (const manifest of result.manifests) {
    expectValidKubernetesObjects(YAML.parseAllDocuments(fs.readFileSync(path.join(result.outdir, manifest), 'utf8')).map(d => d.toJS()));
  }
  for (const stack of result.stacks) {
    expectNoDanglingReferences(JSON.parse(fs.readFileSync(path.join(result.outdir, 'cdktf.out', 'stacks', stack, 'cdk.tf.json'), 'utf8')));
  }
}
