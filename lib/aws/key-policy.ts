import { Environment } from '../core/environment';

/**
 * The key policy statement every paved KMS key starts with: the account
 * administers the key and delegates its use to IAM policies. Without it IAM
 * policies could not grant use of the key, and nobody in the account could
 * ever change the key policy again.
 * @internal
 */
export function accountAdminStatement(env: Environment, sid: string = 'AccountAdministersAndDelegatesToIam'): object {
  return {
    Sid: sid,
    Effect: 'Allow',
    Principal: { AWS: `arn:${env.partition}:iam::${env.account}:root` },
    Action: 'kms:*',
    Resource: '*',
  };
}
