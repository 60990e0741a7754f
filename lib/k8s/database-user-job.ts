import { ApiObject } from 'cdk8s';
import { IntOrString, KubeJob, KubeNetworkPolicy, Quantity } from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { DEFAULT_RUN_AS_ID, restrictedContainerSecurityContext, restrictedPodSecurityContext } from './container-security';
import { DatabaseAdminNamespace } from './database-admin-namespace';
import { isCidr } from './egress';
import { validateImage } from './image';
import { appLabels } from './labels';
import { SyncWave, syncWaveAnnotation } from './sync-wave';
import { checkedScope } from '../core/api-guard';
import { invalid } from '../core/errors';
import { validateDnsLabel, validateInteger } from '../core/validation';

/** A key of a Secret of the job's namespace, read into an environment variable. */
export interface JobSecretEnv {
  /** The Secret. */
  readonly secretName: string;
  /** The key in the Secret. */
  readonly key: string;
}

/** A destination the job's pod may connect to (its NetworkPolicy egress). */
export interface JobEgress {
  /** Destination CIDR. */
  readonly cidr: string;
  /** TCP port. */
  readonly port: number;
}

/** Properties of a {@link DatabaseUserJob}. */
export interface DatabaseUserJobProps {
  /** Name of the Job and of its NetworkPolicy: a DNS label of at most 57 characters. */
  readonly name: string;
  /** The client image, pinned by a digest (a tag alone can be moved to other code). */
  readonly image: string;
  /** The POSIX shell script the container runs (`/bin/sh -c`); it must exit non-zero on any failure. */
  readonly script: string;
  /**
   * Plain environment variables.
   * @default - none
   */
  readonly env?: { [name: string]: string };
  /**
   * Environment variables read from Secrets of the namespace.
   * @default - none
   */
  readonly secretEnv?: { [name: string]: JobSecretEnv };
  /** Where the job connects: the data store's endpoint. */
  readonly egress: JobEgress[];
  /**
   * What the job belongs to (`app.kubernetes.io/part-of`), e.g. the tenant.
   * @default - none
   */
  readonly partOf?: string;
  /**
   * Seconds the job may run, all attempts included, before it fails.
   * @default 600
   */
  readonly activeDeadlineSeconds?: number;
  /**
   * The ServiceAccount the job runs as, e.g. one with an AWS identity (EKS Pod Identity).
   * @default DatabaseAdminNamespace.SERVICE_ACCOUNT - no AWS identity
   */
  readonly serviceAccountName?: string;
}

/** Where the root certificates of {@link DatabaseAdminNamespace.CA_CONFIG_MAP} are mounted. */
const CA_DIRECTORY = '/etc/paved/ca';
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Label of the job's pods that its NetworkPolicy selects. */
const POD_LABEL = 'paved.dev/database-user';
/** Long enough for Argo CD to see the job finish; then it is gone for the next `kubectl apply`. */
const TTL_SECONDS_AFTER_FINISHED = 600;
const BACKOFF_LIMIT = 4;

/**
 * A one-shot Job that sets up a data store's application user, in the
 * database admin namespace ({@link DatabaseAdminNamespace}), and the
 * NetworkPolicy that lets its pod reach that one data store.
 *
 * The Job is an Argo CD Sync hook (`argocd.argoproj.io/hook: Sync`, in sync
 * wave 0, deleted before the next sync creates it again): it runs on every
 * sync of its Application, after the Secrets it reads (wave -1) are ready,
 * so its script must be idempotent. Without Argo CD it is an ordinary Job
 * that Kubernetes deletes 10 minutes after it finished
 * (`ttlSecondsAfterFinished`), so the next `kubectl apply` runs it again.
 *
 * Its pod runs under the restricted Pod Security Standard (user 10001,
 * read-only root filesystem, `/tmp` writable and `HOME`), without a
 * Kubernetes API token, with the root certificates of the namespace's
 * ConfigMap in `/etc/paved/ca/ca.pem` (`CA_FILE`), and is retried up to 4
 * times within `activeDeadlineSeconds`.
 */
export class DatabaseUserJob extends Construct {
  /** Path of the root certificates in the container. */
  public static readonly CA_FILE: string = `${CA_DIRECTORY}/${DatabaseAdminNamespace.CA_KEY}`;

  /** The Job. */
  public readonly job: ApiObject;
  /** The NetworkPolicy of its pods. */
  public readonly networkPolicy: ApiObject;

  constructor(scope: Construct, id: string, props: DatabaseUserJobProps) {
    super(checkedScope(scope, 'DatabaseUserJob', arguments), id);
    const name = props?.name;
    validateDnsLabel(this, 'name', name, 57);
    validateImage(this, 'image', props.image);
    if (!props.image.includes('@sha256:')) {
      throw invalid(this, 'image', props.image, 'an image pinned by its digest ("...@sha256:<64 hex digits>"): the job handles master credentials');
    }
    if (typeof props.script !== 'string' || props.script.trim() === '') {
      throw invalid(this, 'script', props.script, 'a shell script');
    }
    const activeDeadlineSeconds = props.activeDeadlineSeconds ?? 600;
    const serviceAccountName = props.serviceAccountName ?? DatabaseAdminNamespace.SERVICE_ACCOUNT;
    validateDnsLabel(this, 'serviceAccountName', serviceAccountName);
    validateInteger(this, 'activeDeadlineSeconds', activeDeadlineSeconds, 30, 86400);
    const env = Object.entries(props.env ?? {});
    const secretEnv = Object.entries(props.secretEnv ?? {});
    [...env, ...secretEnv].forEach(([variable], i, all) => {
      if (!ENV_NAME.test(variable) || all.findIndex(([other]) => other === variable) !== i) {
        throw invalid(this, 'env', variable, 'environment variable names of letters, digits and "_", each once in env and secretEnv');
      }
    });
    if (!Array.isArray(props.egress) || props.egress.length === 0) {
      throw invalid(this, 'egress', props.egress, 'the data store\'s CIDR and port');
    }
    props.egress.forEach((e, i) => {
      if (!isCidr(e?.cidr)) { throw invalid(this, `egress[${i}].cidr`, e?.cidr, 'a CIDR such as "10.0.0.0/16"'); }
      validateInteger(this, `egress[${i}].port`, e.port, 1, 65535);
    });

    const labels = appLabels({ name, component: 'database-user', partOf: props.partOf });
    this.networkPolicy = new ApiObject(this, 'NetworkPolicy', KubeNetworkPolicy.manifest({
      metadata: { name, labels, annotations: syncWaveAnnotation(SyncWave.TENANT_BOUNDARIES) },
      spec: {
        podSelector: { matchLabels: { [POD_LABEL]: name } },
        policyTypes: ['Egress'],
        egress: props.egress.map(e => ({
          to: [{ ipBlock: { cidr: e.cidr } }],
          ports: [{ protocol: 'TCP', port: IntOrString.fromNumber(e.port) }],
        })),
      },
    }));

    this.job = new ApiObject(this, 'Job', KubeJob.manifest({
      metadata: {
        name,
        labels,
        annotations: {
          ...syncWaveAnnotation(SyncWave.WORKLOADS),
          'argocd.argoproj.io/hook': 'Sync',
          'argocd.argoproj.io/hook-delete-policy': 'BeforeHookCreation',
        },
      },
      spec: {
        backoffLimit: BACKOFF_LIMIT,
        activeDeadlineSeconds,
        ttlSecondsAfterFinished: TTL_SECONDS_AFTER_FINISHED,
        template: {
          metadata: { labels: { ...labels, [POD_LABEL]: name } },
          spec: {
            restartPolicy: 'Never',
            serviceAccountName,
            automountServiceAccountToken: false,
            securityContext: restrictedPodSecurityContext(DEFAULT_RUN_AS_ID, DEFAULT_RUN_AS_ID),
            containers: [{
              name: 'setup',
              image: props.image,
              command: ['/bin/sh', '-c', props.script],
              env: [
                { name: 'HOME', value: '/tmp' },
                { name: 'CA_FILE', value: DatabaseUserJob.CA_FILE },
                ...env.map(([variable, value]) => ({ name: variable, value })),
                ...secretEnv.map(([variable, ref]) => ({
                  name: variable,
                  valueFrom: { secretKeyRef: { name: ref.secretName, key: ref.key } },
                })),
              ],
              securityContext: restrictedContainerSecurityContext(DEFAULT_RUN_AS_ID, DEFAULT_RUN_AS_ID),
              resources: {
                requests: { 'cpu': Quantity.fromString('50m'), 'memory': Quantity.fromString('128Mi'), 'ephemeral-storage': Quantity.fromString('64Mi') },
                limits: { 'cpu': Quantity.fromString('500m'), 'memory': Quantity.fromString('512Mi'), 'ephemeral-storage': Quantity.fromString('256Mi') },
              },
              volumeMounts: [
                { name: 'tmp', mountPath: '/tmp' },
                { name: 'ca', mountPath: CA_DIRECTORY, readOnly: true },
              ],
            }],
            volumes: [
              { name: 'tmp', emptyDir: { medium: 'Memory', sizeLimit: Quantity.fromString('64Mi') } },
              { name: 'ca', configMap: { name: DatabaseAdminNamespace.CA_CONFIG_MAP } },
            ],
          },
        },
      },
    }));
  }
}
