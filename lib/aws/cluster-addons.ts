import { IConstruct } from 'constructs';
import { invalid } from '../core/errors';

/*
 * The EKS add-ons a Cluster installs and the versions paved has pinned for
 * each Kubernetes version it accepts: the one file to edit when EKS ships
 * new add-on builds or a new Kubernetes version.
 */

/**
 * Versions of the EKS add-ons a {@link Cluster} installs, each written
 * `v<major>.<minor>.<patch>-eksbuild.<build>` (as listed by
 * `aws eks describe-addon-versions --kubernetes-version <version> --addon-name <name>`).
 */
export interface ClusterAddonVersions {
  /**
   * Version of `vpc-cni` (the Amazon VPC CNI: pod networking).
   * @default - the version paved pins for the cluster's Kubernetes version
   */
  readonly vpcCni?: string;
  /**
   * Version of `coredns` (cluster DNS).
   * @default - the version paved pins for the cluster's Kubernetes version
   */
  readonly coreDns?: string;
  /**
   * Version of `kube-proxy`; must belong to the cluster's Kubernetes minor
   * version (`v1.35.x-eksbuild.y` for 1.35).
   * @default - the version paved pins for the cluster's Kubernetes version
   */
  readonly kubeProxy?: string;
  /**
   * Version of `eks-pod-identity-agent` (hands AWS credentials to pods).
   * @default - the version paved pins for the cluster's Kubernetes version
   */
  readonly podIdentityAgent?: string;
  /**
   * Version of `aws-ebs-csi-driver` (persistent volumes on EBS).
   * @default - the version paved pins for the cluster's Kubernetes version
   */
  readonly ebsCsiDriver?: string;
}

/** Add-on versions paved has pinned for one Kubernetes version. @internal */
export interface PinnedAddons {
  readonly vpcCni: string;
  readonly coreDns: string;
  readonly kubeProxy: string;
  readonly podIdentityAgent: string;
  readonly ebsCsiDriver: string;
}

/**
 * Add-on versions per Kubernetes version, taken from the EKS User Guide's
 * version tables (kube-proxy, CoreDNS) and `describe-addon-versions`
 * (VPC CNI, Pod Identity Agent, EBS CSI driver) as of 2026. A key of this
 * table is a version paved accepts.
 * @internal
 */
export const PINNED_ADDONS = new Map<string, PinnedAddons>([
  ['1.32', {
    vpcCni: 'v1.22.2-eksbuild.1',
    coreDns: 'v1.11.4-eksbuild.40',
    kubeProxy: 'v1.32.13-eksbuild.16',
    podIdentityAgent: 'v1.3.10-eksbuild.3',
    ebsCsiDriver: 'v1.61.1-eksbuild.1',
  }],
  ['1.33', {
    vpcCni: 'v1.22.2-eksbuild.1',
    coreDns: 'v1.12.4-eksbuild.18',
    kubeProxy: 'v1.33.10-eksbuild.13',
    podIdentityAgent: 'v1.3.10-eksbuild.3',
    ebsCsiDriver: 'v1.61.1-eksbuild.1',
  }],
  ['1.34', {
    vpcCni: 'v1.22.2-eksbuild.1',
    coreDns: 'v1.13.2-eksbuild.11',
    kubeProxy: 'v1.34.6-eksbuild.13',
    podIdentityAgent: 'v1.3.10-eksbuild.3',
    ebsCsiDriver: 'v1.61.1-eksbuild.1',
  }],
  ['1.35', {
    vpcCni: 'v1.22.2-eksbuild.1',
    coreDns: 'v1.14.3-eksbuild.3',
    kubeProxy: 'v1.35.3-eksbuild.13',
    podIdentityAgent: 'v1.3.10-eksbuild.3',
    ebsCsiDriver: 'v1.61.1-eksbuild.1',
  }],
]);

/** The Kubernetes version a cluster gets unless it asks for another. @internal */
export const DEFAULT_KUBERNETES_VERSION = '1.35';
const ADDON_VERSION = /^v\d+\.\d+\.\d+-eksbuild\.\d+$/;

/**
 * The pinned add-on versions of Kubernetes `version` with `given`
 * overrides, validated: every version is an EKS add-on build and kube-proxy
 * belongs to the cluster's minor version.
 * @internal
 */
export function addonVersionsFor(scope: IConstruct, version: string, given: ClusterAddonVersions): PinnedAddons {
  const pinned = PINNED_ADDONS.get(version)!;
  const merged: PinnedAddons = {
    vpcCni: given.vpcCni ?? pinned.vpcCni,
    coreDns: given.coreDns ?? pinned.coreDns,
    kubeProxy: given.kubeProxy ?? pinned.kubeProxy,
    podIdentityAgent: given.podIdentityAgent ?? pinned.podIdentityAgent,
    ebsCsiDriver: given.ebsCsiDriver ?? pinned.ebsCsiDriver,
  };
  for (const [addon, value] of Object.entries(merged)) {
    if (typeof value !== 'string' || !ADDON_VERSION.test(value)) {
      throw invalid(scope, `addonVersions.${addon}`, value, 'an EKS add-on version such as "v1.22.2-eksbuild.1"');
    }
  }
  if (!merged.kubeProxy.startsWith(`v${version}.`)) {
    throw invalid(scope, 'addonVersions.kubeProxy', merged.kubeProxy,
      `a kube-proxy version of Kubernetes ${version} ("v${version}.<patch>-eksbuild.<build>")`);
  }
  return merged;
}
