import type { DataAwsEksCluster } from '@cdktf/provider-aws/lib/data-aws-eks-cluster';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import type { Release } from '@cdktf/provider-helm/lib/release';
import type { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import type { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import type { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { Fn, TerraformDataSource, TerraformProvider, TerraformResource, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { Addon } from './addon';
import { ARGOCD_NAMESPACE, IN_CLUSTER, podSecurityLabels } from './applications';
import { ARGO_CD_APPS_CHART, ARGO_CD_CHART, ArgoCdOptions, OIDC_SECRET_NAME, argoCdUrl, argoCdValues, resolveArgoCd } from './argo-cd';
import { RepositoryCredentials } from './repository-credentials';
import { Cluster } from '../aws/cluster';
import { podIdentityTrustPolicy } from '../aws/pod-identity-trust';
import { renderPolicyStatement, validatePolicyStatement } from '../aws/policy-statement';
import { IAM_ROLE_NAMES } from '../aws/workload-identity';
import { checkArguments, checkedScope } from '../core/api-guard';
import { Environment } from '../core/environment';
import { invalid } from '../core/errors';
import { lazyModule } from '../core/lazy-module';
import { Naming } from '../core/naming';
import { Platform } from '../core/platform';
import { isLabelValue } from '../k8s/labels';

const dataAwsEksClusterLib = lazyModule<typeof import('@cdktf/provider-aws/lib/data-aws-eks-cluster')>('@cdktf/provider-aws/lib/data-aws-eks-cluster');
const eksPodIdentityAssociationLib = lazyModule<typeof import('@cdktf/provider-aws/lib/eks-pod-identity-association')>('@cdktf/provider-aws/lib/eks-pod-identity-association');
const iamRoleLib = lazyModule<typeof import('@cdktf/provider-aws/lib/iam-role')>('@cdktf/provider-aws/lib/iam-role');
const iamRolePolicyLib = lazyModule<typeof import('@cdktf/provider-aws/lib/iam-role-policy')>('@cdktf/provider-aws/lib/iam-role-policy');
const helmProviderLib = lazyModule<typeof import('@cdktf/provider-helm/lib/provider')>('@cdktf/provider-helm/lib/provider');
const helmReleaseLib = lazyModule<typeof import('@cdktf/provider-helm/lib/release')>('@cdktf/provider-helm/lib/release');
const kubernetesNamespaceV1Lib = lazyModule<typeof import('@cdktf/provider-kubernetes/lib/namespace-v1')>('@cdktf/provider-kubernetes/lib/namespace-v1');
const kubernetesProviderLib = lazyModule<typeof import('@cdktf/provider-kubernetes/lib/provider')>('@cdktf/provider-kubernetes/lib/provider');
const kubernetesSecretV1Lib = lazyModule<typeof import('@cdktf/provider-kubernetes/lib/secret-v1')>('@cdktf/provider-kubernetes/lib/secret-v1');

/** Properties of a {@link ClusterBootstrap}. */
export interface ClusterBootstrapProps {
  /** The cluster to bootstrap; one paved created (`new Cluster(...)`). */
  readonly cluster: Cluster;
  /** The platform's Git repository, `https://...` or `ssh://...` (or `git@host:path`). */
  readonly repoUrl: string;
  /** The branch, tag or commit Argo CD follows. */
  readonly revision: string;
  /**
   * The folder of this cluster's Argo CD objects in the repository, the root
   * Application's source, e.g. `out/argocd/prod/prod-cluster`.
   */
  readonly rootPath: string;
  /**
   * How Argo CD authenticates to the repository.
   * @default RepositoryCredentials.none() — a public repository
   */
  readonly credentials?: RepositoryCredentials;
  /**
   * How Argo CD is installed.
   * @default - paved's defaults: admin account off, no SSO, HA in production
   */
  readonly argoCd?: ArgoCdOptions;
  /**
   * The addons Argo CD installs in the cluster (from the repository): the
   * bootstrap makes the IAM roles of those with AWS permissions, lets the
   * `platform` project deploy their charts, and writes their roles onto the
   * cluster's registration.
   * @default - none
   */
  readonly addons?: Addon[];
}

/**
 * The Terraform stack that hands a cluster to Argo CD, once: the "GitOps
 * bridge". Named `bootstrap-<cluster name>`, it depends on the
 * environment's stack (recorded in `manifest.json`, so `cdktf deploy`
 * applies the cluster first) and uses the environment's state backend.
 *
 * It makes:
 * - the namespace `argocd`, with the `restricted` Pod Security Standard enforced;
 * - Argo CD from its Helm chart (pinned), without its local admin account,
 *   with SSO and RBAC when configured, highly available in production;
 * - the cluster's registration: the Argo CD cluster Secret for the cluster
 *   itself (`https://kubernetes.default.svc`), labelled and annotated with
 *   the environment, account, region, cluster name, VPC id and every
 *   addon's IAM role, namespace and service account (the GitOps Bridge
 *   convention: `enable_<addon>` labels, `<addon>_iam_role_arn` annotations);
 * - the IAM roles (EKS Pod Identity, trust pinned to the addon's namespace
 *   and service account on this cluster) of the addons with AWS permissions;
 * - the repository credentials, when the repository is private, copied from
 *   Secrets Manager through a write-only attribute;
 * - the AppProject `platform` and the root Application, which syncs the
 *   cluster's folder of Argo CD objects: from there Argo CD installs the
 *   addons and everything else.
 *
 * Providers: `kubernetes` and `helm` are configured from the
 * `aws_eks_cluster` data source, and authenticate with `aws eks get-token`
 * (the AWS CLI must be on the runner's PATH); no kubeconfig and no token
 * is written into the state. Whoever runs Terraform needs an access entry
 * on the cluster (`adminRoleArns` of the Cluster) and a network path to its
 * API endpoint (private unless `publicEndpoint`).
 *
 * Two-phase apply: the providers need the cluster at plan time, so the
 * bootstrap stack can only be planned once the environment's stack has
 * been applied (a first `cdktf deploy` of everything does that in order;
 * `cdktf diff` of a fresh environment fails for this stack). Never merge
 * the two stacks: providers configured from a resource created in the same
 * apply are unknown at plan time.
 */
export class ClusterBootstrap extends TerraformStack {
  /** The stack name of a cluster's bootstrap. */
  public static stackName(cluster: Cluster): string {
    checkArguments('ClusterBootstrap.stackName', arguments);
    return `bootstrap-${cluster.name}`;
  }

  /**
   * What the bootstrap stack of `cluster` is called in errors about stack names.
   * @internal
   */
  public static _holder(cluster: Cluster): string {
    return `the bootstrap stack of cluster ${cluster.node.path}`;
  }

  /** The cluster. */
  public readonly cluster: Cluster;
  /** The cluster's environment. */
  public readonly environment: Environment;
  /** Run Argo CD highly available. */
  public readonly highAvailability: boolean;
  /** The URL of this cluster's Argo CD; undefined without `argoCd.url`. */
  public readonly argoCdUrl?: string;
  /** @internal */
  public readonly _clusterData: DataAwsEksCluster;
  /** The cluster, read at plan time (`aws_eks_cluster` data source). */
  public get clusterData(): TerraformDataSource {
    return this._clusterData;
  }
  /** @internal */
  public readonly _awsProvider: AwsProvider;
  /** The AWS provider (the environment's account and region). */
  public get awsProvider(): TerraformProvider {
    return this._awsProvider;
  }
  /** @internal */
  public readonly _kubernetesProvider: KubernetesProvider;
  /** The kubernetes provider. */
  public get kubernetesProvider(): TerraformProvider {
    return this._kubernetesProvider;
  }
  /** @internal */
  public readonly _helmProvider: HelmProvider;
  /** The helm provider. */
  public get helmProvider(): TerraformProvider {
    return this._helmProvider;
  }
  /** @internal */
  public readonly _namespace: NamespaceV1;
  /** The namespace `argocd`. */
  public get namespace(): TerraformResource {
    return this._namespace;
  }
  /** @internal */
  public readonly _argoCd: Release;
  /** The Argo CD release (`argo-cd` chart). */
  public get argoCd(): TerraformResource {
    return this._argoCd;
  }
  /** @internal */
  public readonly _clusterSecret: SecretV1;
  /** The cluster's registration with Argo CD. */
  public get clusterSecret(): TerraformResource {
    return this._clusterSecret;
  }
  /** @internal */
  public readonly _repositorySecret?: SecretV1;
  /** The repository Secret; undefined for a public repository. */
  public get repositorySecret(): TerraformResource | undefined {
    return this._repositorySecret;
  }
  /** @internal */
  public readonly _oidcSecret?: SecretV1;
  /** The Secret holding the OIDC client secret; undefined without SSO. */
  public get oidcSecret(): TerraformResource | undefined {
    return this._oidcSecret;
  }
  /** @internal */
  public readonly _rootApplication: Release;
  /** The release (`argocd-apps` chart) of the AppProject `platform` and the root Application. */
  public get rootApplication(): TerraformResource {
    return this._rootApplication;
  }
  /** @internal */
  public readonly _addonRoles: { [addon: string]: IamRole } = {};
  /** The IAM roles this stack makes for addons, by addon name. */
  public get addonRoles(): { [addon: string]: TerraformResource } {
    return this._addonRoles;
  }
  /** The IAM role ARN of every addon that has one (made here or by the environment), by addon name. */
  public readonly addonRoleArns: { [addon: string]: string } = {};

  constructor(scope: Construct, id: string, props: ClusterBootstrapProps) {
    super(preflight(checkedScope(scope, 'ClusterBootstrap', arguments), id, props), id);
    const cluster = props.cluster;
    const env = Environment.containing(cluster);
    const platform = Platform.of(env);
    const argoCdOptions = resolveArgoCd(this, props.argoCd ?? {});
    const addons = props.addons ?? [];
    this.cluster = cluster;
    this.environment = env;
    this.highAvailability = argoCdOptions.highAvailability ?? env.profile.isProduction;
    this.argoCdUrl = argoCdUrl(argoCdOptions, env.name, cluster.name);
    this.addDependency(env);
    platform.recordDefault(this, 'argoCd.highAvailability', String(this.highAvailability),
      argoCdOptions.highAvailability === undefined ? `profile ${env.profile.name}` : 'override');
    platform.recordDefault(this, 'argoCd.adminEnabled', String(argoCdOptions.adminEnabled),
      argoCdOptions.adminEnabled ? '**override: local admin account kept (insecure)**' : 'paved default');
    platform.recordDefault(this, 'argoCd.chartVersion', argoCdOptions.chartVersion,
      props.argoCd?.chartVersion === undefined ? 'paved pin' : 'override');

    this._awsProvider = env._configureStack(this);
    this._clusterData = new dataAwsEksClusterLib.DataAwsEksCluster(this, 'Cluster', { name: cluster.name });
    const host = this._clusterData.endpoint;
    const caCertificate = Fn.base64decode(this._clusterData.certificateAuthority.get(0).data);
    // A token fetched per run by the AWS CLI: nothing to store, nothing that expires in the state.
    const exec = {
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      command: 'aws',
      args: ['eks', 'get-token', '--cluster-name', cluster.name, '--region', env.region, '--output', 'json'],
    };
    this._kubernetesProvider = new kubernetesProviderLib.KubernetesProvider(this, 'kubernetes', { host, clusterCaCertificate: caCertificate, exec: [exec] });
    this._helmProvider = new helmProviderLib.HelmProvider(this, 'helm', { kubernetes: { host, clusterCaCertificate: caCertificate, exec } });

    this._namespace = new kubernetesNamespaceV1Lib.NamespaceV1(this, 'Namespace', {
      metadata: {
        name: ARGOCD_NAMESPACE,
        labels: {
          'app.kubernetes.io/managed-by': 'paved',
          ...podSecurityLabels('restricted'),
        },
      },
    });

    const vpcId = this._clusterData.vpcConfig.get(0).vpcId;
    this.makeAddonRoles(addons, `arn:${env.partition}:ec2:${env.region}:${env.account}:vpc/${vpcId}`);

    if (argoCdOptions.oidc !== undefined) {
      const secret = argoCdOptions.oidc.clientSecret;
      this._oidcSecret = new kubernetesSecretV1Lib.SecretV1(this, 'OidcClientSecret', {
        metadata: {
          name: OIDC_SECRET_NAME,
          namespace: this._namespace.metadata.name,
          // Argo CD resolves `$<secret>:<key>` only in Secrets labelled as its own.
          labels: { 'app.kubernetes.io/part-of': 'argocd', 'app.kubernetes.io/managed-by': 'paved' },
        },
        dataWoRevision: secret.revision,
      });
      this._oidcSecret.addOverride('data_wo', { clientSecret: `\${${secret._read(this, 'oidc_client_secret')}}` });
    }

    this._argoCd = new helmReleaseLib.Release(this, 'ArgoCd', {
      name: 'argocd',
      namespace: this._namespace.metadata.name,
      repository: ARGO_CD_CHART.repoUrl,
      chart: ARGO_CD_CHART.chart,
      version: argoCdOptions.chartVersion,
      values: [JSON.stringify(argoCdValues(argoCdOptions, this.argoCdUrl, this.highAvailability))],
      // Roll back a failed install or upgrade, and wait until Argo CD runs before the root Application.
      atomic: true,
      cleanupOnFail: true,
      wait: true,
      timeout: 900,
      dependsOn: this._oidcSecret ? [this._oidcSecret] : undefined,
    });

    this._clusterSecret = new kubernetesSecretV1Lib.SecretV1(this, 'ClusterSecret', {
      metadata: {
        name: `cluster-${cluster.name.toLowerCase().replace(/_/g, '-')}`,
        namespace: this._namespace.metadata.name,
        labels: this.clusterLabels(addons),
        annotations: this.clusterAnnotations(addons, vpcId, props),
      },
      // The cluster Argo CD runs in, with Argo CD's own service account: no credentials here.
      data: { name: cluster.name, server: IN_CLUSTER, config: JSON.stringify({ tlsClientConfig: { insecure: false } }) },
    });

    const credentials = props.credentials ?? RepositoryCredentials.none();
    if (credentials.secret !== undefined) {
      this._repositorySecret = new kubernetesSecretV1Lib.SecretV1(this, 'RepositorySecret', {
        metadata: {
          name: 'platform-repository',
          namespace: this._namespace.metadata.name,
          labels: { 'argocd.argoproj.io/secret-type': 'repository', 'app.kubernetes.io/managed-by': 'paved' },
        },
        dataWoRevision: credentials.secret.revision,
      });
      const read = credentials.secret._read(this, 'repository_credentials');
      this._repositorySecret.addOverride('data_wo',
        `\${merge(jsondecode(${read}), { "type" = "git", "url" = ${JSON.stringify(props.repoUrl)} })}`);
    }

    this._rootApplication = new helmReleaseLib.Release(this, 'RootApplication', {
      name: 'argocd-root',
      namespace: this._namespace.metadata.name,
      repository: ARGO_CD_APPS_CHART.repoUrl,
      chart: ARGO_CD_APPS_CHART.chart,
      version: ARGO_CD_APPS_CHART.version,
      values: [JSON.stringify(this.rootValues(props, addons))],
      // Argo CD creates the `default` project at start; the release locks it down.
      takeOwnership: true,
      atomic: true,
      wait: true,
      dependsOn: [this._argoCd, this._clusterSecret, ...(this._repositorySecret ? [this._repositorySecret] : [])],
    });
  }

  /** The addons' roles: those the environment has, and one per addon with permissions, made here. */
  private makeAddonRoles(addons: Addon[], vpcArn: string): void {
    const env = this.environment;
    for (const addon of addons) {
      const spec = addon._spec;
      if (spec.environmentRoleName) {
        this.addonRoleArns[addon.name] = `arn:${env.partition}:iam::${env.account}:role/${spec.environmentRoleName(env)}`;
        continue;
      }
      if (!spec.permissions) { continue; }
      const scope = new Construct(this, `Addon-${addon.name}`);
      const statements = spec.permissions({ scope, environment: env, cluster: this.cluster, vpcArn });
      statements.forEach((statement, i) => validatePolicyStatement(scope, `${addon.name}.permissions[${i}]`, statement));
      const name = Naming.clusterRole(this.cluster.name, addon.name);
      const taken = env._lookup.claim(IAM_ROLE_NAMES, name, scope);
      if (taken) {
        throw invalid(this, 'addons', addon.name, `an addon whose role name ${JSON.stringify(name)} is not taken by ${taken.node.path} of environment ${env.name}`);
      }
      const role = new iamRoleLib.IamRole(scope, 'Role', {
        name,
        description: `${addon.name} (${addon.namespace}/${spec.serviceAccount}) on EKS cluster ${this.cluster.name}`,
        assumeRolePolicy: JSON.stringify(podIdentityTrustPolicy(env, [this.cluster.clusterArn], addon.namespace, spec.serviceAccount!)),
      });
      new iamRolePolicyLib.IamRolePolicy(scope, 'Policy', {
        role: role.name,
        name: addon.name,
        policy: JSON.stringify({ Version: '2012-10-17', Statement: statements.map(renderPolicyStatement) }),
      });
      new eksPodIdentityAssociationLib.EksPodIdentityAssociation(scope, 'PodIdentityAssociation', {
        clusterName: this.cluster.name,
        namespace: addon.namespace,
        serviceAccount: spec.serviceAccount!,
        roleArn: role.arn,
      });
      this._addonRoles[addon.name] = role;
      this.addonRoleArns[addon.name] = `arn:${env.partition}:iam::${env.account}:role/${name}`;
    }
  }

  /** The GitOps Bridge labels: where the cluster is, and `enable_<addon>` for each addon. */
  private clusterLabels(addons: Addon[]): { [key: string]: string } {
    const env = this.environment;
    const labels: { [key: string]: string } = {
      'argocd.argoproj.io/secret-type': 'cluster',
      'app.kubernetes.io/managed-by': 'paved',
      'environment': env.name,
      'aws_region': env.region,
      'aws_account_id': env.account,
    };
    // EKS allows 100 characters and underscores; a label value has at most 63.
    if (isLabelValue(this.cluster.name)) { labels.aws_cluster_name = this.cluster.name; }
    for (const addon of addons) { labels[`enable_${snake(addon.name)}`] = 'true'; }
    return labels;
  }

  /** The GitOps Bridge annotations: the values addons and ApplicationSets template from. */
  private clusterAnnotations(addons: Addon[], vpcId: string, props: ClusterBootstrapProps): { [key: string]: string } {
    const env = this.environment;
    const annotations: { [key: string]: string } = {
      environment: env.name,
      aws_account_id: env.account,
      aws_region: env.region,
      aws_cluster_name: this.cluster.name,
      aws_vpc_id: vpcId,
      addons_repo_url: props.repoUrl,
      addons_repo_revision: props.revision,
      addons_repo_basepath: props.rootPath,
    };
    for (const addon of addons) {
      const key = snake(addon.name);
      annotations[`${key}_namespace`] = addon.namespace;
      const roleArn = this.addonRoleArns[addon.name];
      if (roleArn !== undefined) {
        annotations[`${key}_iam_role_arn`] = roleArn;
        annotations[`${key}_service_account`] = addon._spec.serviceAccount!;
      }
    }
    return annotations;
  }

  /** The `argocd-apps` values: the projects and the root Application. */
  private rootValues(props: ClusterBootstrapProps, addons: Addon[]): any {
    const labels = { 'app.kubernetes.io/managed-by': 'paved' };
    const chartRepos = [...new Set(addons.map(a => a.repoUrl))];
    return {
      projects: {
        platform: {
          namespace: ARGOCD_NAMESPACE,
          additionalLabels: labels,
          description: 'paved platform: addons, tenant boundaries and platform-wide objects',
          sourceRepos: [props.repoUrl, ...chartRepos.filter(r => r !== props.repoUrl)],
          destinations: [{ server: IN_CLUSTER, namespace: '*' }],
          clusterResourceWhitelist: [{ group: '*', kind: '*' }],
        },
        // Nothing may deploy through the project every Application falls back to.
        default: {
          namespace: ARGOCD_NAMESPACE,
          additionalLabels: labels,
          description: 'Locked by paved: Applications use the platform project or their tenant\'s',
          sourceRepos: [],
          destinations: [],
          clusterResourceWhitelist: [],
        },
      },
      applications: {
        root: {
          namespace: ARGOCD_NAMESPACE,
          additionalLabels: labels,
          project: 'platform',
          source: { repoURL: props.repoUrl, targetRevision: props.revision, path: props.rootPath },
          destination: { server: IN_CLUSTER, namespace: ARGOCD_NAMESPACE },
          syncPolicy: {
            automated: { prune: true, selfHeal: true },
            syncOptions: ['PruneLast=true'],
            retry: { limit: 10, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } },
          },
        },
      },
    };
  }
}

/** `aws-load-balancer-controller` -> `aws_load_balancer_controller`, the GitOps Bridge spelling. */
function snake(name: string): string {
  return name.replace(/-/g, '_');
}

/** The stack's scope, once its cluster is one paved created and its name is free. */
function preflight(scope: Construct, id: string, props: ClusterBootstrapProps): Construct {
  const cluster = props?.cluster;
  if (!(cluster instanceof Cluster)) {
    throw invalid(id, 'cluster', (cluster as any)?.node?.path ?? cluster,
      'a cluster paved created (new Cluster(...)); an imported cluster has no addon roles or associations paved manages');
  }
  Platform.of(scope)._claimStackName(id, ClusterBootstrap._holder(cluster), id, 'id', id, 'an id');
  return scope;
}
