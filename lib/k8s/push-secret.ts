import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { appLabels, validateDnsSubdomain } from './labels';
import { SyncWave, syncWaveAnnotation } from './sync-wave';
import { checkedScope } from '../core/api-guard';
import { invalid } from '../core/errors';

/** One key of the Kubernetes Secret a {@link PushSecret} writes to the store. */
export interface PushSecretData {
  /** Key in the Kubernetes Secret. */
  readonly secretKey: string;
  /** Name of the remote secret, e.g. `paved/prod/shop/orders/db/credentials` in AWS Secrets Manager. */
  readonly remoteKey: string;
  /** JSON property of the remote secret's value the key is written to (other properties are kept). */
  readonly property: string;
}

/** Properties of a {@link PushSecret}. */
export interface PushSecretProps {
  /** Name of the PushSecret. */
  readonly name: string;
  /** The Kubernetes Secret of the namespace whose keys are pushed. */
  readonly secretName: string;
  /** The SecretStore of the namespace to write through. */
  readonly secretStoreName: string;
  /** The keys to push. */
  readonly data: PushSecretData[];
  /**
   * What the PushSecret belongs to (`app.kubernetes.io/part-of`), e.g. the tenant.
   * @default - none
   */
  readonly partOf?: string;
  /**
   * Argo CD sync wave.
   * @default 1 - after the workloads' wave, so a job of wave 0 that uses the value first has run
   */
  readonly syncWave?: number;
  /**
   * How often the operator writes the Secret again (a changed Secret is written at once).
   * @default '1h'
   */
  readonly refreshInterval?: string;
}

const SECRET_KEY = /^[-._a-zA-Z0-9]{1,253}$/;
const REMOTE_KEY = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const PROPERTY = /^[A-Za-z0-9_-]{1,128}$/;
const DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;

/**
 * A PushSecret (`external-secrets.io/v1alpha1`): the External Secrets
 * Operator writes keys of a Kubernetes Secret of the namespace into remote
 * secrets through a SecretStore, as JSON properties in plain text
 * (`secretPushFormat: string`). The remote secret is left in place when the
 * PushSecret is deleted (`deletionPolicy: None`): whoever made it (Terraform)
 * owns it. AWS Secrets Manager only accepts a write to a secret tagged
 * `managed-by: external-secrets`.
 *
 * paved pushes the passwords it generates in the database admin namespace
 * to the secret the tenant's SecretStore reads them from.
 */
export class PushSecret extends ApiObject {
  constructor(scope: Construct, id: string, props: PushSecretProps) {
    super(checkedScope(scope, 'PushSecret', arguments), id, {
      apiVersion: 'external-secrets.io/v1alpha1',
      kind: 'PushSecret',
      metadata: {
        name: props?.name,
        labels: appLabels({ name: props?.name, component: 'push-secret', partOf: props?.partOf }),
        annotations: syncWaveAnnotation(props?.syncWave ?? SyncWave.MONITORING),
      },
      spec: {
        refreshInterval: props?.refreshInterval ?? '1h',
        updatePolicy: 'Replace',
        deletionPolicy: 'None',
        secretStoreRefs: [{ kind: 'SecretStore', name: props?.secretStoreName }],
        selector: { secret: { name: props?.secretName } },
        data: (Array.isArray(props?.data) ? props.data : []).map(d => ({
          match: { secretKey: d?.secretKey, remoteRef: { remoteKey: d?.remoteKey, property: d?.property } },
          metadata: { apiVersion: 'kubernetes.external-secrets.io/v1alpha1', kind: 'PushSecretMetadata', spec: { secretPushFormat: 'string' } },
        })),
      },
    });
    validateDnsSubdomain(this, 'name', props?.name);
    validateDnsSubdomain(this, 'secretName', props.secretName);
    validateDnsSubdomain(this, 'secretStoreName', props.secretStoreName);
    if (props.refreshInterval !== undefined && (typeof props.refreshInterval !== 'string' || !DURATION.test(props.refreshInterval))) {
      throw invalid(this, 'refreshInterval', props.refreshInterval, 'a duration such as "1h" or "15m"');
    }
    if (props.syncWave !== undefined && (!Number.isInteger(props.syncWave) || Math.abs(props.syncWave) > 100)) {
      throw invalid(this, 'syncWave', props.syncWave, 'an integer from -100 to 100 (see SyncWave)');
    }
    if (!Array.isArray(props.data) || props.data.length === 0) {
      throw invalid(this, 'data', props.data, 'at least one key to push');
    }
    props.data.forEach((d, i) => {
      if (typeof d?.secretKey !== 'string' || !SECRET_KEY.test(d.secretKey)) {
        throw invalid(this, `data[${i}].secretKey`, d?.secretKey, 'a Secret key of letters, digits, "-", "_" and "."');
      }
      if (typeof d.remoteKey !== 'string' || !REMOTE_KEY.test(d.remoteKey)) {
        throw invalid(this, `data[${i}].remoteKey`, d.remoteKey, 'a Secrets Manager secret name: 1-512 letters, digits and /_+=.@-');
      }
      if (typeof d.property !== 'string' || !PROPERTY.test(d.property)) {
        throw invalid(this, `data[${i}].property`, d.property, 'a JSON property name of 1-128 letters, digits, "_" and "-"');
      }
    });
  }
}
