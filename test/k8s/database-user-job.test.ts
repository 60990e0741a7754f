import { App, Chart } from 'cdk8s';
import { DatabaseUserJob } from '../../lib/k8s';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { synthChart } from '../support/synth';

const IMAGE = 'docker.io/library/postgres:17.6-alpine@sha256:ef257d85f76e48da1c64832459b59fcaba1a4dac97bf5d7450c77753542eee94';
const BASE = { name: 'shop-orders-db', image: IMAGE, script: 'set -eu\npsql -c "select 1"\n', egress: [{ cidr: '10.10.0.0/16', port: 5432 }] };

function render(props: any): { job: any; policy: any } {
  const chart = new Chart(new App(), 'user', { namespace: 'paved-db-admin', disableResourceNameHashes: true });
  new DatabaseUserJob(chart, 'Job', props);
  const objects = synthChart(chart);
  expectValidKubernetesObjects(objects);
  return { job: objects.find(o => o.kind === 'Job'), policy: objects.find(o => o.kind === 'NetworkPolicy') };
}

describe('DatabaseUserJob', () => {
  test('is an Argo CD Sync hook in wave 0, replaced on each sync, and deleted 10 minutes after it finished without Argo CD', () => {
    // WHEN
    const { job } = render(BASE);
    // THEN
    expect(job.metadata.annotations).toEqual({
      'argocd.argoproj.io/sync-wave': '0',
      'argocd.argoproj.io/hook': 'Sync',
      'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
    });
    expect(job.spec).toMatchObject({ backoffLimit: 4, activeDeadlineSeconds: 600, ttlSecondsAfterFinished: 600 });
  });

  test('runs the script as a restricted pod without an API token, with the root certificates and a memory-backed /tmp', () => {
    // WHEN
    const { job } = render({ ...BASE, env: { PGPORT: '5432' }, secretEnv: { ADMIN_PASSWORD: { secretName: 'shop-orders-db-admin', key: 'password' } } });
    // THEN
    const pod = job.spec.template.spec;
    expect(pod).toMatchObject({
      restartPolicy: 'Never',
      serviceAccountName: 'database-admin',
      automountServiceAccountToken: false,
      securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
    });
    const [container] = pod.containers;
    expect(container.command).toEqual(['/bin/sh', '-c', BASE.script]);
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(container.env).toEqual([
      { name: 'HOME', value: '/tmp' },
      { name: 'CA_FILE', value: '/etc/paved/ca/ca.pem' },
      { name: 'PGPORT', value: '5432' },
      { name: 'ADMIN_PASSWORD', valueFrom: { secretKeyRef: { name: 'shop-orders-db-admin', key: 'password' } } },
    ]);
    expect(container.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }, { name: 'ca', mountPath: '/etc/paved/ca', readOnly: true }]);
    expect(pod.volumes).toEqual([
      { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
      { name: 'ca', configMap: { name: 'database-ca' } },
    ]);
    expect(container.resources.limits).toEqual({ 'cpu': '500m', 'memory': '512Mi', 'ephemeral-storage': '256Mi' });
  });

  test('lets its pods reach the data store only, before the job runs', () => {
    // WHEN
    const { job, policy } = render({ ...BASE, activeDeadlineSeconds: 120 });
    // THEN
    expect(policy.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-3' });
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: { 'paved.dev/database-user': 'shop-orders-db' } },
      policyTypes: ['Egress'],
      egress: [{ to: [{ ipBlock: { cidr: '10.10.0.0/16' } }], ports: [{ protocol: 'TCP', port: 5432 }] }],
    });
    expect(job.spec.template.metadata.labels['paved.dev/database-user']).toBe('shop-orders-db');
    expect(job.spec.activeDeadlineSeconds).toBe(120);
  });

  describe('fails when', () => {
    test('the name is not a DNS label of at most 57 characters', () => {
      expect(() => render({ ...BASE, name: 'x'.repeat(58) })).toThrow('user/Job: name: got');
    });
    test('the image is not pinned by digest', () => {
      expect(() => render({ ...BASE, image: 'postgres:17.6-alpine' })).toThrow(
        'user/Job: image: got "postgres:17.6-alpine"; expected an image pinned by its digest');
      expect(() => render({ ...BASE, image: 'postgres' })).toThrow('user/Job: image: got "postgres"');
    });
    test('the script is empty', () => {
      expect(() => render({ ...BASE, script: ' ' })).toThrow('user/Job: script: got " "; expected a shell script');
    });
    test('a variable name is invalid or given twice', () => {
      expect(() => render({ ...BASE, env: { 'A-B': 'x' } })).toThrow('user/Job: env: got "A-B"');
      expect(() => render({ ...BASE, env: { A: 'x' }, secretEnv: { A: { secretName: 's', key: 'k' } } })).toThrow('user/Job: env: got "A"');
    });
    test('the egress is missing or invalid', () => {
      expect(() => render({ ...BASE, egress: [] })).toThrow('user/Job: egress: got []');
      expect(() => render({ ...BASE, egress: [{ cidr: 'vpc', port: 5432 }] })).toThrow('user/Job: egress[0].cidr: got "vpc"');
      expect(() => render({ ...BASE, egress: [{ cidr: '10.0.0.0/16', port: 0 }] })).toThrow('user/Job: egress[0].port: got 0');
    });
    test('the deadline is out of range', () => {
      expect(() => render({ ...BASE, activeDeadlineSeconds: 5 })).toThrow('user/Job: activeDeadlineSeconds: got 5');
    });
  });
});
