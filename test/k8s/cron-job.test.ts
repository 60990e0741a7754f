import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, JsonPatch } from 'cdk8s';
import { Token } from 'cdktf';
import { Size } from '../../lib/core';
import { ConcurrencyPolicy, CronJob, CronJobProps, Volume } from '../../lib/k8s';
import { expectValidKubernetesObjects } from '../support/k8s-schema';
import { prodEnvironment, synthChart, testPlatform } from '../support/synth';

const IMAGE = 'registry.example.com/shop/report:1.2.0';
const SCHEDULE = '30 2 * * *';
const SELECTOR = { 'app.kubernetes.io/name': 'report', 'app.kubernetes.io/instance': 'report' };

function newChart(): Chart {
  return new Chart(new App(), 'test', { namespace: 'shop', disableResourceNameHashes: true });
}

/** The objects of a CronJob `report` in namespace `shop`, keyed by kind. */
function synth(props: Partial<CronJobProps> = {}): { [kind: string]: any } {
  const chart = newChart();
  new CronJob(chart, 'report', { image: IMAGE, schedule: SCHEDULE, ...props });
  return Object.fromEntries(synthChart(chart).map(o => [o.kind, o]));
}

function cronSpec(props: Partial<CronJobProps> = {}): any {
  return synth(props).CronJob.spec;
}

function podSpec(props: Partial<CronJobProps> = {}): any {
  return cronSpec(props).jobTemplate.spec.template.spec;
}

function attempt(props: Partial<CronJobProps>, id: string = 'report'): () => CronJob {
  return () => new CronJob(newChart(), id, { image: IMAGE, schedule: SCHEDULE, ...props });
}

describe('CronJob', () => {
  describe('objects', () => {
    test('makes a ServiceAccount, CronJob and NetworkPolicy named after the job, valid against the Kubernetes schema', () => {
      // GIVEN
      const chart = newChart();
      new CronJob(chart, 'report', { image: IMAGE, schedule: SCHEDULE });
      // WHEN
      const objects = synthChart(chart);
      // THEN
      expect(objects.map(o => `${o.apiVersion} ${o.kind}`)).toEqual(['v1 ServiceAccount', 'batch/v1 CronJob', 'networking.k8s.io/v1 NetworkPolicy']);
      expect(objects.every(o => o.metadata.name === 'report' && o.metadata.namespace === 'shop')).toBe(true);
      expectValidKubernetesObjects(objects);
    });

    test('every object is valid against the Kubernetes schema, with every option set', () => {
      // GIVEN
      const chart = newChart();
      new CronJob(chart, 'report', {
        image: IMAGE,
        schedule: '*/15 8-18 * JAN-MAR,OCT mon-fri',
        timeZone: 'Europe/Berlin',
        command: ['/app/report'],
        args: ['--since', '1d'],
        concurrencyPolicy: ConcurrencyPolicy.REPLACE,
        startingDeadlineSeconds: 60,
        activeDeadlineSeconds: 600,
        backoffLimit: 0,
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 5,
        suspend: true,
        size: Size.S,
        serviceAccountName: 'report-runtime',
        automountServiceAccountToken: true,
        podAnnotations: { 'example.com/team': 'shop' },
        env: { LOG_LEVEL: 'info' },
        secretEnv: { DB_PASSWORD: { secretName: 'report-db', key: 'password' } },
        egress: [{ cidr: '10.0.0.0/16', ports: [5432] }],
        runAsUser: 20000,
        runAsGroup: 20000,
        partOf: 'webshop',
      });
      // THEN
      expectValidKubernetesObjects(synthChart(chart));
    });

    test('exposes every object for escape hatches: a JSON patch survives synthesis', () => {
      // GIVEN
      const chart = newChart();
      const job = new CronJob(chart, 'report', { image: IMAGE, schedule: SCHEDULE });
      // WHEN
      job.resource.addJsonPatch(JsonPatch.add('/spec/jobTemplate/spec/ttlSecondsAfterFinished', 86400));
      // THEN
      const cronJob = synthChart(chart).find(o => o.kind === 'CronJob');
      expect(cronJob.spec.jobTemplate.spec.ttlSecondsAfterFinished).toBe(86400);
      expectValidKubernetesObjects([cronJob]);
      expect([job.serviceAccount, job.networkPolicy].every(o => o !== undefined)).toBe(true);
    });

    test('name defaults to the construct id and can be set', () => {
      expect(synth().CronJob.metadata.name).toBe('report');
      expect(Object.values(synth({ name: 'nightly-report' })).map(o => o.metadata.name)).toEqual(Array(3).fill('nightly-report'));
    });

    test('matches the snapshot', () => {
      const chart = newChart();
      new CronJob(chart, 'report', { image: IMAGE, schedule: SCHEDULE, egress: [{ cidr: '10.0.0.0/16', ports: [5432] }] });
      expect(synthChart(chart)).toMatchSnapshot();
    });
  });

  describe('schedule', () => {
    test('writes the schedule given, in UTC by default', () => {
      const spec = cronSpec();
      expect(spec.schedule).toBe(SCHEDULE);
      expect(spec.timeZone).toBe('Etc/UTC');
    });

    test('takes an IANA time zone, including aliases ICU does not list', () => {
      expect(cronSpec({ timeZone: 'Europe/Berlin' }).timeZone).toBe('Europe/Berlin');
      expect(cronSpec({ timeZone: 'Asia/Kolkata' }).timeZone).toBe('Asia/Kolkata');
      expect(cronSpec({ timeZone: 'UTC' }).timeZone).toBe('UTC');
    });

    test.each([
      '* * * * *',
      '0 0 1 1 0',
      '59 23 31 12 6',
      '*/5 * * * *',
      '0 9-17/2 * * MON-FRI',
      '0,15,30,45 * * * *',
      '0 0 * jan,Jul sun',
      '5/10 * * * *',
      '0 0 29 2 *',
      '0 0 31 2 1',
      '@hourly', '@daily', '@midnight', '@weekly', '@monthly', '@yearly', '@annually',
    ])('accepts %s', schedule => {
      expect(cronSpec({ schedule }).schedule).toBe(schedule);
    });
  });

  describe('job', () => {
    test('forbids overlapping runs by default, or takes the policy given', () => {
      expect(cronSpec().concurrencyPolicy).toBe('Forbid');
      expect(cronSpec({ concurrencyPolicy: ConcurrencyPolicy.ALLOW }).concurrencyPolicy).toBe('Allow');
    });

    test('lets a missed run start up to 300 seconds late by default', () => {
      expect(cronSpec().startingDeadlineSeconds).toBe(300);
      expect(cronSpec({ startingDeadlineSeconds: 30 }).startingDeadlineSeconds).toBe(30);
    });

    test('stops a run after 3600 seconds by default', () => {
      expect(cronSpec().jobTemplate.spec.activeDeadlineSeconds).toBe(3600);
      expect(cronSpec({ activeDeadlineSeconds: 120 }).jobTemplate.spec.activeDeadlineSeconds).toBe(120);
    });

    test('retries a failed run 3 times by default', () => {
      expect(cronSpec().jobTemplate.spec.backoffLimit).toBe(3);
      expect(cronSpec({ backoffLimit: 0 }).jobTemplate.spec.backoffLimit).toBe(0);
    });

    test('keeps 3 successful and 1 failed Job by default', () => {
      expect(cronSpec()).toMatchObject({ successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
      expect(cronSpec({ successfulJobsHistoryLimit: 0, failedJobsHistoryLimit: 2 }))
        .toMatchObject({ successfulJobsHistoryLimit: 0, failedJobsHistoryLimit: 2 });
    });

    test('is not suspended by default', () => {
      expect(cronSpec().suspend).toBe(false);
      expect(cronSpec({ suspend: true }).suspend).toBe(true);
    });

    test('restarts a failed container in its pod', () => {
      expect(podSpec().restartPolicy).toBe('OnFailure');
    });
  });

  describe('pods', () => {
    test('labels the Jobs and the pods like the CronJob', () => {
      const spec = cronSpec();
      const expected = {
        ...SELECTOR,
        'app.kubernetes.io/component': 'job',
        'app.kubernetes.io/version': '1.2.0',
        'app.kubernetes.io/part-of': 'shop',
        'app.kubernetes.io/managed-by': 'paved',
      };
      expect(spec.jobTemplate.metadata.labels).toEqual(expected);
      expect(spec.jobTemplate.spec.template.metadata.labels).toEqual(expected);
      expect(synth().CronJob.metadata.labels).toEqual(expected);
    });

    test('runs the pod and the container under the restricted Pod Security Standard', () => {
      const spec = podSpec();
      expect(spec.securityContext).toEqual({
        runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(spec.containers[0].securityContext).toMatchObject({
        runAsNonRoot: true, allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] },
      });
    });

    test('gives the container a writable /tmp, no API token and no service links', () => {
      const spec = podSpec();
      expect(spec.volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
      expect(spec.containers[0].volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
      expect(spec.automountServiceAccountToken).toBe(false);
      expect(spec.enableServiceLinks).toBe(false);
      expect(synth().ServiceAccount.automountServiceAccountToken).toBe(false);
    });

    test('runs as the ServiceAccount named after the job', () => {
      expect(podSpec().serviceAccountName).toBe('report');
      expect(podSpec({ serviceAccountName: 'report-runtime' }).serviceAccountName).toBe('report-runtime');
    });

    test('requests and limits cpu, memory and ephemeral-storage from Size.M by default, or the size given', () => {
      expect(podSpec().containers[0].resources).toEqual({
        requests: { 'cpu': '250m', 'memory': '256Mi', 'ephemeral-storage': '128Mi' },
        limits: { 'cpu': '1000m', 'memory': '512Mi', 'ephemeral-storage': '512Mi' },
      });
      expect(podSpec({ size: Size.L }).containers[0].resources.requests.cpu).toBe('500m');
    });

    test('has no probes, no ports and no spreading: a job runs once and ends', () => {
      const spec = podSpec();
      for (const field of ['readinessProbe', 'livenessProbe', 'startupProbe', 'ports']) {
        expect(spec.containers[0]).not.toHaveProperty(field);
      }
      expect(spec).not.toHaveProperty('topologySpreadConstraints');
      expect(spec).not.toHaveProperty('affinity');
    });

    test('sets the command, arguments and environment when given', () => {
      const c = podSpec({ command: ['/app/report'], args: ['--since', '1d'], env: { LOG_LEVEL: 'info' } }).containers[0];
      expect(c.command).toEqual(['/app/report']);
      expect(c.args).toEqual(['--since', '1d']);
      expect(c.env).toEqual([{ name: 'LOG_LEVEL', value: 'info' }]);
      expect(c.imagePullPolicy).toBe('Always');
    });
    test('runs init containers, files, volumes and resource overrides like every paved pod', () => {
      // GIVEN
      const scratch = Volume.emptyDir('scratch', { sizeLimitMiB: 512 });
      // WHEN
      const objects = synth({
        initContainers: [{ name: 'fetch', image: 'registry.example.com/shop/fetch:1.0.0', args: ['--to', '/scratch'] }],
        files: [{ path: '/etc/report/query.sql', content: 'select 1' }],
        volumes: [scratch],
        volumeMounts: [{ volume: scratch, path: '/scratch' }],
        containerResources: { cpuLimit: '2' },
        priorityClassName: 'batch-low',
      });
      // THEN
      const spec = objects.CronJob.spec.jobTemplate.spec.template.spec;
      expect(spec.initContainers.map((c: any) => c.name)).toEqual(['fetch']);
      expect(spec.containers[0].volumeMounts.map((m: any) => m.mountPath)).toEqual(['/tmp', '/etc/report/query.sql', '/scratch']);
      expect(spec.containers[0].resources.limits.cpu).toBe('2');
      expect(spec.priorityClassName).toBe('batch-low');
      expect(objects.ConfigMap.metadata.name).toBe('report-files');
      expectValidKubernetesObjects(Object.values(objects));
    });
  });

  describe('network policy', () => {
    test('selects the job pods, denies all ingress and allows DNS and the declared egress', () => {
      expect(synth({ egress: [{ cidr: '10.0.0.0/16', ports: [5432] }] }).NetworkPolicy.spec).toEqual({
        podSelector: { matchLabels: SELECTOR },
        policyTypes: ['Ingress', 'Egress'],
        egress: [
          {
            to: [{
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            }],
            ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
          },
          { to: [{ ipBlock: { cidr: '10.0.0.0/16' } }], ports: [{ protocol: 'TCP', port: 5432 }] },
        ],
      });
    });
  });

  describe('in a platform', () => {
    test('reports the time zone, concurrency policy and deadline', () => {
      // GIVEN
      const platform = testPlatform();
      const env = prodEnvironment(platform);
      new CronJob(env.chart('report', 'shop'), 'report', { image: IMAGE, schedule: SCHEDULE, timeZone: 'Europe/Berlin' });
      // WHEN
      const result = platform.synth();
      // THEN
      const report = fs.readFileSync(path.join(result.outdir, result.report), 'utf8');
      expect(report).toContain('| prod/shop/report/report | timeZone | Europe/Berlin | **override** |');
      expect(report).toContain('| prod/shop/report/report | concurrencyPolicy | Forbid | paved default |');
      expect(report).toContain('| prod/shop/report/report | activeDeadlineSeconds | 3600 | paved default |');
    });
  });

  describe('validation', () => {
    test.each([
      ['0 0 * *', '4 fields instead of 5'],
      ['0 0 * * * *', '6 fields instead of 5'],
      ['60 * * * *', 'minute: 60 is out of range 0-59'],
      ['0 24 * * *', 'hour: 24 is out of range 0-23'],
      ['0 0 0 * *', 'day-of-month: 0 is out of range 1-31'],
      ['0 0 * 13 *', 'month: 13 is out of range 1-12'],
      ['0 0 * * 7', 'day-of-week: 7 is out of range 0-6'],
      ['0 0 * * MOX', 'day-of-week: "MOX" is neither a number nor one of SUN, MON, TUE, WED, THU, FRI, SAT'],
      ['0 0 * FEB-JAN *', 'month: range "FEB-JAN" ends before it starts'],
      ['*/0 * * * *', 'minute: step 0 is outside 1-60'],
      ['0,,5 * * * *', 'minute: "" is not "*", a number, a name, a range or a step'],
      ['0 0 30 2 *', 'the days of month given do not exist in the months given, so it never fires'],
      ['@reboot', 'unknown macro "@reboot"'],
      ['CRON_TZ=UTC 0 0 * * *', '6 fields instead of 5'],
    ])('fails when the cron expression is invalid: %s', (schedule, problem) => {
      expect(attempt({ schedule })).toThrow(`test/report: schedule: got ${JSON.stringify(schedule)}; expected a cron schedule of five fields`);
      expect(attempt({ schedule })).toThrow(`(${problem})`);
    });

    test('fails when the schedule is a Terraform reference', () => {
      const schedule = Token.asString({ resolve: () => SCHEDULE });
      expect(attempt({ schedule })).toThrow(/test\/report: schedule: got ".*"; expected a literal value known at synth time/);
    });

    test.each(['Mars/Olympus', 'europe/berlin', 'CET+1', '+01:00', ''])('fails when the time zone is invalid: %s', timeZone => {
      expect(attempt({ timeZone })).toThrow(`test/report: timeZone: got ${JSON.stringify(timeZone)}; expected an IANA time zone name`);
    });

    test('fails when a deadline, retry or history count is out of range', () => {
      expect(attempt({ startingDeadlineSeconds: 5 })).toThrow('test/report: startingDeadlineSeconds: got 5; expected an integer from 10 to 86400');
      expect(attempt({ activeDeadlineSeconds: 0 })).toThrow('test/report: activeDeadlineSeconds: got 0; expected an integer from 1 to 604800');
      expect(attempt({ backoffLimit: -1 })).toThrow('test/report: backoffLimit: got -1; expected an integer from 0 to 100');
      expect(attempt({ successfulJobsHistoryLimit: 1.5 })).toThrow('test/report: successfulJobsHistoryLimit: got 1.5; expected an integer from 0 to 100');
      expect(attempt({ failedJobsHistoryLimit: 101 })).toThrow('test/report: failedJobsHistoryLimit: got 101; expected an integer from 0 to 100');
    });

    test('fails when the concurrency policy is unknown', () => {
      expect(attempt({ concurrencyPolicy: 'Sometimes' as ConcurrencyPolicy }))
        .toThrow('test/report: concurrencyPolicy: got "Sometimes"; expected one of "Forbid", "Allow", "Replace"');
    });

    test('fails when the name is longer than 52 characters', () => {
      const name = `r${'e'.repeat(52)}`;
      expect(attempt({ name })).toThrow(`test/report: name: got "${name}"; expected at most 52 characters`);
    });

    test('fails when the name is not a DNS-1035 label', () => {
      expect(attempt({ name: 'Report' })).toThrow('test/report: name: got "Report"; expected a DNS-1035 label');
    });

    test('fails when the image has no tag', () => {
      expect(attempt({ image: 'registry.example.com/shop/report' }))
        .toThrow('test/report: image: got "registry.example.com/shop/report"; expected an image with a tag or a digest');
    });

    test('fails when the arguments are not strings', () => {
      expect(attempt({ args: ['--days', 3 as any] })).toThrow('test/report: args[1]: got 3; expected a string');
    });
  });
});
