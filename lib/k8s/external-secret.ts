import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { validateDnsSubdomain, validateLabels } from './labels';
import { validateAnnotations } from './pod-template';
import { SyncWave, syncWaveAnnotation } from './sync-wave';
import { checkArguments } from '../core/api-guard';
import { invalid } from '../core/errors';
import { Naming } from '../core/naming';

/** One key of the Kubernetes Secret, read from a secret of the store by name. */
export interface ExternalSecretData {
  /** Key in the Kubernetes Secret. */
  readonly secretKey: string;
  /** Name of the remote secret, e.g. `paved/prod/shop/orders/db` in AWS Secrets Manager. */
  readonly remoteKey: string;
  /**
   * JSON property of the remote secret's value.
   * @default - the whole value
   */
  readonly property?: string;
}

/**
 * Keys of the Kubernetes Secret read from a remote secret found by its
 * tags, for secrets whose name is known only after they exist (the
 * RDS-managed master password).
 */
export interface ExternalSecretFind {
  /** Tags that identify exactly one remote secret. */
  readonly tags: { [key: string]: string };
  /** Kubernetes Secret key -> JSON property of the found secret's value. */
  readonly properties: { [secretKey: string]: string };
}

/** Properties of an {@link ExternalSecret}. */
export interface ExternalSecretProps {
  /** Name of the ExternalSecret and of the Kubernetes Secret it writes (and owns). */
  readonly name: string;
  /**
   * Labels of the ExternalSecret.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
  /**
   * Annotations of the ExternalSecret, on top of its Argo CD sync wave
   * (which they may replace).
   * @default - only `argocd.argoproj.io/sync-wave: "-2"` ({@link SyncWave.SECRETS}): Argo CD
   * creates the Secret before the workloads (wave 0) whose pods read it
   */
  readonly annotations?: { [key: string]: string };
  /**
   * The SecretStore of the namespace to read through.
   * @default 'paved' - the tenant's store (Naming.SECRET_STORE)
   */
  readonly secretStoreName?: string;
  /**
   * Keys read from remote secrets by name.
   * @default - none; then `find` is required
   */
  readonly data?: ExternalSecretData[];
  /**
   * Keys read from remote secrets found by their tags.
   * @default - none; then `data` is required
   */
  readonly find?: ExternalSecretFind[];
  /**
   * How often the operator reads the remote secrets again, e.g. `1h`, `15m`.
   * @default '1h'
   */
  readonly refreshInterval?: string;
  /**
   * Keys of the Secret composed from its other keys with External Secrets
   * templates (engine v2), e.g. `{ url: 'postgres://{{ .username }}:{{ .password }}@{{ .host }}/db' }`.
   * The other keys stay in the Secret.
   * @default - none
   */
  readonly templates?: { [secretKey: string]: string };
}

const DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;
const SECRET_KEY = /^[-._a-zA-Z0-9]{1,253}$/;

/**
 * An ExternalSecret (`external-secrets.io/v1`): the External Secrets
 * Operator reads remote secrets through a SecretStore of the namespace
 * (for a tenant, the store `paved`, which may read only the tenant's
 * secrets in AWS Secrets Manager) and writes them as one Kubernetes Secret
 * of the same name, which it owns (`creationPolicy: Owner`: deleting the
 * ExternalSecret deletes the Secret). Keys of secrets found by tags are
 * merged into the Secret through a template. It is in Argo CD's sync wave
 * {@link SyncWave.SECRETS}, before the workloads that read the Secret.
 *
 * A Workload makes one per resource with connection details; use it
 * directly for secrets of your own that live in the tenant's path.
 *
 * @example
 * new ExternalSecret(chart, 'ApiToken', {
 *   name: 'orders-api-token',
 *   data: [{ secretKey: 'token', remoteKey: 'paved/prod/shop/orders/api-token', property: 'token' }],
 * });
 */
export class ExternalSecret extends ApiObject {
  /** Name of the ExternalSecret and of the Secret it writes. */
  public readonly secretName: string;

  constructor(scope: Construct, id: string, props: ExternalSecretProps) {
    checkArguments('ExternalSecret', arguments);
    const name = props.name;
    const data = props.data ?? [];
    const find = props.find ?? [];
    const template: { [key: string]: string } = { ...props.templates };
    find.forEach((f, i) => {
      for (const [key, property] of Object.entries(f?.properties ?? {})) {
        template[key] = `{{ (index . "found-${i}" | fromJson).${property} }}`;
      }
    });
    super(scope, id, {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: {
        name,
        labels: props.labels ? { ...props.labels } : undefined,
        annotations: { ...syncWaveAnnotation(SyncWave.SECRETS), ...props.annotations },
      },
      spec: {
        refreshInterval: props.refreshInterval ?? '1h',
        secretStoreRef: { kind: 'SecretStore', name: props.secretStoreName ?? Naming.SECRET_STORE },
        target: {
          name,
          creationPolicy: 'Owner',
          ...(Object.keys(template).length > 0 ? { template: { engineVersion: 'v2', mergePolicy: 'Merge', data: template } } : {}),
        },
        data: data.map(d => ({ secretKey: d.secretKey, remoteRef: { key: d.remoteKey, property: d.property } })),
        ...(find.length > 0 ? {
          dataFrom: find.map((f, i) => ({
            find: { tags: { ...f.tags } },
            rewrite: [{ regexp: { source: '^.*$', target: `found-${i}` } }],
          })),
        } : {}),
      },
    });
    this.secretName = name;
    validateDnsSubdomain(this, 'name', name);
    if (props.labels !== undefined) { validateLabels(this, 'labels', props.labels); }
    validateAnnotations(this, 'annotations', props.annotations);
    if (props.secretStoreName !== undefined) { validateDnsSubdomain(this, 'secretStoreName', props.secretStoreName); }
    if (props.refreshInterval !== undefined && (typeof props.refreshInterval !== 'string' || !DURATION.test(props.refreshInterval))) {
      throw invalid(this, 'refreshInterval', props.refreshInterval, 'a duration such as "1h" or "15m"');
    }
    if (!Array.isArray(data) || !Array.isArray(find) || data.length + find.length === 0) {
      throw invalid(this, 'data', props.data, 'at least one key to read: data or find');
    }
    const keys = new Set<string>();
    const checkKey = (property: string, key: string) => {
      if (typeof key !== 'string' || !SECRET_KEY.test(key) || keys.has(key)) {
        throw invalid(this, property, key, 'a Secret key of letters, digits, "-", "_" and ".", not used by another key');
      }
      keys.add(key);
    };
    data.forEach((d, i) => {
      checkKey(`data[${i}].secretKey`, d?.secretKey);
      if (typeof d.remoteKey !== 'string' || d.remoteKey.length === 0) {
        throw invalid(this, `data[${i}].remoteKey`, d.remoteKey, 'the name of the remote secret');
      }
    });
    for (const [key, text] of Object.entries(props.templates ?? {})) {
      checkKey('templates', key);
      if (typeof text !== 'string' || text.length === 0) {
        throw invalid(this, `templates.${key}`, text, 'an External Secrets template (a non-empty string)');
      }
    }
    find.forEach((f, i) => {
      if (f === null || typeof f !== 'object' || typeof f.tags !== 'object' || f.tags === null || Object.keys(f.tags).length === 0) {
        throw invalid(this, `find[${i}].tags`, f?.tags, 'at least one tag that identifies the remote secret');
      }
      Object.keys(f.properties ?? {}).forEach(key => checkKey(`find[${i}].properties`, key));
    });
  }
}
