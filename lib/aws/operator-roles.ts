import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { Lazy } from 'cdktf';
import { Construct } from 'constructs';
import { podIdentityTrustPolicy } from './pod-identity-trust';
import { Environment } from '../core/environment';
import { lazyModule } from '../core/lazy-module';
import { LookupKey } from '../core/lookup';
import { Naming } from '../core/naming';

const iamRoleLib = lazyModule<typeof import('@cdktf/provider-aws/lib/iam-role')>('@cdktf/provider-aws/lib/iam-role');
const iamRolePolicyLib = lazyModule<typeof import('@cdktf/provider-aws/lib/iam-role-policy')>('@cdktf/provider-aws/lib/iam-role-policy');

/*
 * The roles of the operators every paved cluster of an environment runs:
 * one role per environment, shared by its clusters, created with the first
 * cluster directly under the environment (their Terraform addresses do not
 * depend on any cluster). Each trusts the operator's service account on
 * every cluster paved creates in the environment, through EKS Pod Identity.
 */

/**
 * The ARNs of the clusters paved creates in an environment: the operators'
 * roles trust pods of these clusters.
 * @internal
 */
export const CREATED_CLUSTER_ARNS = new LookupKey<string>('created-cluster-arns');
const OPERATOR_ROLES = new LookupKey<IamRole>('operator-roles');
const EXTERNAL_SECRETS_ROLE_ID = 'ExternalSecretsOperatorRole';
const KEDA_ROLE_ID = 'KedaOperatorRole';

/**
 * The External Secrets Operator's role of `env`,
 * `paved-<env>-external-secrets`: it may assume the tenants' secret roles
 * (`<env>-*-secrets`) and their database admin roles (`<env>-*-db-admin`,
 * used only by the stores of the database admin namespace) and nothing else.
 * @internal
 */
export function externalSecretsOperatorRole(env: Environment): IamRole {
  return operatorRole(env, EXTERNAL_SECRETS_ROLE_ID, {
    name: Naming.externalSecretsOperatorRole(env.name),
    namespace: Naming.EXTERNAL_SECRETS_NAMESPACE,
    serviceAccount: Naming.EXTERNAL_SECRETS_SERVICE_ACCOUNT,
    purpose: 'assumes the tenants\' secret and database admin roles',
    policyName: 'assume-tenant-secret-roles',
    statement: {
      Sid: 'AssumeTenantSecretRoles',
      Effect: 'Allow',
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Resource: [Naming.tenantSecretsRolePattern(env.name), Naming.databaseAdminRolePattern(env.name)]
        .map(pattern => `arn:${env.partition}:iam::${env.account}:role/${pattern}`),
    },
  });
}

/**
 * KEDA's role of `env`, `paved-<env>-keda`: it may read the attributes
 * (depth, age) of the environment's queues (`<env>-*`) and nothing else.
 * @internal
 */
export function kedaOperatorRole(env: Environment): IamRole {
  return operatorRole(env, KEDA_ROLE_ID, {
    name: Naming.kedaOperatorRole(env.name),
    namespace: Naming.KEDA_NAMESPACE,
    serviceAccount: Naming.KEDA_SERVICE_ACCOUNT,
    purpose: 'reads queue depth to scale workers',
    policyName: 'read-queue-attributes',
    statement: {
      Sid: 'ReadQueueDepth',
      Effect: 'Allow',
      Action: 'sqs:GetQueueAttributes',
      Resource: `arn:${env.partition}:sqs:${env.region}:${env.account}:${Naming.queuePrefix(env.name)}*`,
    },
  });
}

interface OperatorRoleSpec {
  readonly name: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly purpose: string;
  readonly policyName: string;
  readonly statement: object;
}

function operatorRole(env: Environment, id: string, spec: OperatorRoleSpec): IamRole {
  return env._lookup.singleton(OPERATOR_ROLES, id, () => {
    const role = new iamRoleLib.IamRole(env, id, {
      name: spec.name,
      description: `${operatorTitle(id)} (${spec.namespace}/${spec.serviceAccount}) of paved ${env.name}: ${spec.purpose}`,
      assumeRolePolicy: Lazy.stringValue({
        produce: () => JSON.stringify(podIdentityTrustPolicy(env, [...env._lookup.list(CREATED_CLUSTER_ARNS)], spec.namespace, spec.serviceAccount)),
      }),
    });
    const policy = new iamRolePolicyLib.IamRolePolicy(env, `${id}Policy`, {
      role: role.name,
      name: spec.policyName,
      policy: JSON.stringify({ Version: '2012-10-17', Statement: [spec.statement] }),
    });
    env._lookup.removeOnRollback(policy as Construct);
    return role;
  });
}

function operatorTitle(id: string): string {
  return id === KEDA_ROLE_ID ? 'KEDA' : 'External Secrets Operator';
}
