import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { appLabels, validateDnsSubdomain } from './labels';
import { SyncWave, syncWaveAnnotation } from './sync-wave';
import { checkedScope } from '../core/api-guard';
import { validateInteger } from '../core/validation';

/** Properties of a {@link GeneratedPassword}. */
export interface GeneratedPasswordProps {
  /** Name of the generator, of the ExternalSecret and of the Secret it writes. */
  readonly name: string;
  /**
   * Length of the password, 24 to 128 characters.
   * @default 32
   */
  readonly length?: number;
  /**
   * What the password belongs to (`app.kubernetes.io/part-of`), e.g. the tenant.
   * @default - none
   */
  readonly partOf?: string;
}

/**
 * A password generated in the cluster by the External Secrets Operator:
 * a `Password` generator (`generators.external-secrets.io/v1alpha1`) and
 * an ExternalSecret that writes its output once (`refreshPolicy:
 * CreatedOnce`) into the Secret `name`, key `password`. The value never
 * exists outside the cluster unless pushed ({@link PushSecret}); deleting
 * the Secret makes a new one.
 *
 * Letters and digits only (no symbols): the password goes into URLs and
 * connection strings unchanged, since percent-encoding leaves letters and
 * digits as they are, and into SQL and shell without quoting. 32
 * characters of 62 kinds carry about 190 bits.
 */
export class GeneratedPassword extends Construct {
  /** The key of the password in the Secret. */
  public static readonly KEY: string = 'password';

  /** Name of the Secret with the password. */
  public readonly secretName: string;
  /** The generator. */
  public readonly generator: ApiObject;
  /** The ExternalSecret that writes the Secret. */
  public readonly externalSecret: ApiObject;

  constructor(scope: Construct, id: string, props: GeneratedPasswordProps) {
    super(checkedScope(scope, 'GeneratedPassword', arguments), id);
    const name = props?.name;
    validateDnsSubdomain(this, 'name', name);
    const length = props.length ?? 32;
    validateInteger(this, 'length', length, 24, 128);
    const metadata = (wave: number) => ({
      name,
      labels: appLabels({ name, component: 'generated-password', partOf: props.partOf }),
      annotations: syncWaveAnnotation(wave),
    });
    this.generator = new ApiObject(this, 'Generator', {
      apiVersion: 'generators.external-secrets.io/v1alpha1',
      kind: 'Password',
      metadata: metadata(SyncWave.SECRETS - 1),
      spec: { length, digits: Math.floor(length / 4), symbols: 0, noUpper: false, allowRepeat: true },
    });
    this.externalSecret = new ApiObject(this, 'ExternalSecret', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: metadata(SyncWave.SECRETS),
      spec: {
        // Generated once: a new password only when someone deletes the Secret.
        refreshPolicy: 'CreatedOnce',
        target: { name, creationPolicy: 'Owner' },
        dataFrom: [{
          sourceRef: { generatorRef: { apiVersion: 'generators.external-secrets.io/v1alpha1', kind: 'Password', name } },
        }],
      },
    });
    this.secretName = name;
  }
}
