import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { validateIamRoleArn } from './iam-role-arn';
import { appLabels, validateDnsSubdomain } from './labels';
import { validateLiteral } from './literal';
import { SyncWave, syncWaveAnnotation } from './sync-wave';
import { checkedScope } from '../core/api-guard';
import { invalid } from '../core/errors';
import { AWS_REGIONS, partitionOf } from '../core/regions';

/** Properties of a {@link SecretsManagerStore}. */
export interface SecretsManagerStoreProps {
  /** Name of the SecretStore, which ExternalSecrets and PushSecrets of its namespace name. */
  readonly name: string;
  /** The AWS region of the secrets. */
  readonly region: string;
  /**
   * The IAM role the External Secrets Operator assumes for this store: all
   * the store can read or write is what the role may. A literal ARN.
   */
  readonly roleArn: string;
  /**
   * What the store belongs to (`app.kubernetes.io/part-of`), e.g. the tenant.
   * @default - none
   */
  readonly partOf?: string;
}

/**
 * An External Secrets `SecretStore` (`external-secrets.io/v1`) of the
 * chart's namespace for AWS Secrets Manager, through an IAM role the
 * operator assumes. In Argo CD's sync wave {@link SyncWave.TENANT_BOUNDARIES},
 * before the ExternalSecrets and PushSecrets that use it.
 */
export class SecretsManagerStore extends ApiObject {
  /** Name of the store. */
  public readonly storeName: string;

  constructor(scope: Construct, id: string, props: SecretsManagerStoreProps) {
    super(checkedScope(scope, 'SecretsManagerStore', arguments), id, {
      apiVersion: 'external-secrets.io/v1',
      kind: 'SecretStore',
      metadata: {
        name: props?.name,
        labels: appLabels({ name: props?.name, component: 'secret-store', partOf: props?.partOf }),
        annotations: syncWaveAnnotation(SyncWave.TENANT_BOUNDARIES),
      },
      spec: { provider: { aws: { service: 'SecretsManager', region: props?.region, role: props?.roleArn } } },
    });
    validateDnsSubdomain(this, 'name', props?.name);
    this.storeName = props.name;
    validateLiteral(this, 'region', props.region);
    if (!AWS_REGIONS.includes(props.region)) {
      throw invalid(this, 'region', props.region, `an AWS region: ${AWS_REGIONS.join(', ')}`);
    }
    validateIamRoleArn(this, 'roleArn', props.roleArn);
    const partition = partitionOf(props.region);
    if (!props.roleArn.startsWith(`arn:${partition}:`)) {
      throw invalid(this, 'roleArn', props.roleArn, `a role in partition ${partition}, the partition of region ${props.region}`);
    }
  }
}
