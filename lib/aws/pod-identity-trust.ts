import { Environment } from '../core/environment';

/**
 * The trust policy of a role that pods get through EKS Pod Identity: only
 * the EKS Pod Identity service (`pods.eks.amazonaws.com`) may assume it
 * (`sts:AssumeRole`, and `sts:TagSession` for the session tags it sets),
 * acting for the environment's account, and only for the given service
 * account of the given namespace on the given clusters.
 *
 * The cluster, namespace and service account are pinned through the
 * session tags Pod Identity adds to every AssumeRole request
 * (`aws:RequestTag/eks-cluster-arn`, `kubernetes-namespace`,
 * `kubernetes-service-account`), as the EKS User Guide's "Create IAM role
 * with trust policy required by EKS Pod Identity" shows. `aws:SourceArn` is
 * not used: Pod Identity sets it to the ARN of the pod identity association,
 * not the cluster's, so a condition on the cluster ARN there would lock
 * every pod out.
 *
 * @param clusterArns the clusters whose pods may assume the role (at least one)
 * @internal
 */
export function podIdentityTrustPolicy(env: Environment, clusterArns: string[], namespace: string, serviceAccount: string): object {
  return {
    Version: '2012-10-17',
    Statement: [{
      Sid: 'EksPodIdentity',
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
      Condition: {
        StringEquals: {
          'aws:SourceAccount': env.account,
          'aws:RequestTag/eks-cluster-arn': clusterArns.length === 1 ? clusterArns[0] : [...clusterArns],
          'aws:RequestTag/kubernetes-namespace': namespace,
          'aws:RequestTag/kubernetes-service-account': serviceAccount,
        },
      },
    }],
  };
}
