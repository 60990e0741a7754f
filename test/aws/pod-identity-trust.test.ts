import { podIdentityTrustPolicy } from '../../lib/aws/pod-identity-trust';
import { devEnvironment } from '../support/synth';

describe('podIdentityTrustPolicy', () => {
  const env = devEnvironment();
  const CLUSTER = 'arn:aws:eks:eu-central-1:123456789012:cluster/dev-main';

  test('lets only EKS Pod Identity assume the role and tag the session', () => {
    // WHEN
    const policy: any = podIdentityTrustPolicy(env, [CLUSTER], 'shop', 'orders');
    // THEN
    expect(policy.Version).toBe('2012-10-17');
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0]).toEqual(expect.objectContaining({
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
    }));
  });

  test('pins account, cluster, namespace and service account through the session tags Pod Identity sets', () => {
    // WHEN
    const policy: any = podIdentityTrustPolicy(env, [CLUSTER], 'shop', 'orders');
    // THEN
    expect(policy.Statement[0].Condition).toEqual({
      StringEquals: {
        'aws:SourceAccount': '123456789012',
        'aws:RequestTag/eks-cluster-arn': CLUSTER,
        'aws:RequestTag/kubernetes-namespace': 'shop',
        'aws:RequestTag/kubernetes-service-account': 'orders',
      },
    });
  });

  test('never conditions on aws:SourceArn, which Pod Identity sets to the association, not the cluster', () => {
    // WHEN
    const text = JSON.stringify(podIdentityTrustPolicy(env, [CLUSTER], 'shop', 'orders'));
    // THEN
    expect(text).not.toContain('SourceArn');
    expect(text).not.toContain('ArnLike');
  });

  test('lists several clusters as alternatives of one condition', () => {
    // GIVEN
    const other = 'arn:aws:eks:eu-central-1:123456789012:cluster/dev-blue';
    // WHEN
    const policy: any = podIdentityTrustPolicy(env, [CLUSTER, other], 'keda', 'keda-operator');
    // THEN
    expect(policy.Statement[0].Condition.StringEquals['aws:RequestTag/eks-cluster-arn']).toEqual([CLUSTER, other]);
  });
});
