/*
 * The platform model: a plain, typed description of what a platform
 * declares, built from the construct tree at synth by `collectModel`
 * (model-collector.ts) and read by every generator of this layer (the
 * Backstage catalog, the software templates, the platform page, the cost
 * estimate) and by `paved model --format json`. Kinds of workloads and
 * types of resources are open sets (strings): a kind or type added by a
 * provisioner shows up without a change here.
 */

/** A profile field whose value differs from its preset. */
export interface ModelProfileOverride {
  /** Field, e.g. `backupRetentionDays`. */
  readonly field: string;
  /** Value of the preset, as text. */
  readonly presetValue: string;
  /** Value in force, as text. */
  readonly value: string;
}

/** One AWS resource in the Terraform output: what a cost estimate prices and a diagram links. */
export interface ModelCloudResource {
  /** Terraform resource type, e.g. `aws_db_instance`. */
  readonly terraformType: string;
  /** Construct path below the platform's Terraform tree, e.g. `dev-shop/orders/db/Postgres/Resource`. */
  readonly path: string;
  /** The Terraform stack it is in. */
  readonly stack: string;
  /**
   * The arguments a price depends on, resolved where paved knows them at
   * synth (`instance_class`, `allocated_storage`, `multi_az`, `node_type`,
   * `num_cache_clusters`, `engine`, `scaling_config`, `instance_types`, ...);
   * values known only after apply are left out.
   */
  readonly attributes: { [name: string]: any };
}

/** A resource of a workload, of a tenant or of the environment (a database, a cluster, a DNS zone). */
export interface ModelResource {
  /**
   * Unique key in the model: `<env>/<tenant>/<workload>/<name>` for a
   * workload's own resource, `<env>/<tenant>/shared/<type>-<id>` for a
   * shared one, `<env>/<tenant>/<construct id>` for one a tenant made by hand,
   * `<env>/<construct id>` for the environment's.
   */
  readonly key: string;
  /** Its name: the resource name in the workload (`db`), the shared id, or the construct id. */
  readonly name: string;
  /** Resource type: a provisioner's type (`postgres`, `redis`, `queue`, `s3`, `dns`, or one a platform engineer registered) or, for what paved's constructs make by hand, `cluster`, `dns-zone`, `container-registry`, `network`, `certificate`, `queue`, `s3`, ... */
  readonly type: string;
  /** The tenant it belongs to; undefined for the environment's own (foundation) resources. */
  readonly tenant?: string;
  /** The workloads that use it (by name, in its tenant). */
  readonly usedBy: string[];
  /** Shared id (`Resource.postgres({ id })`), if shared. */
  readonly id?: string;
  /** The size it was asked with, or the workload's. */
  readonly size?: string;
  /** The Secrets Manager secret its connection details are written to, if any. */
  readonly secretName?: string;
  /** The AWS resources it consists of. */
  readonly cloudResources: ModelCloudResource[];
}

/** A port a workload serves. */
export interface ModelPort {
  /** Port name. */
  readonly name: string;
  /** Port number of the Service (or of the container, without a Service). */
  readonly port: number;
  /** `TCP` or `UDP`. */
  readonly protocol: string;
}

/** A container of a workload's pod. */
export interface ModelContainer {
  /** Container name. */
  readonly name: string;
  /** Image reference. */
  readonly image: string;
  /** CPU request in millicores, if set. */
  readonly cpuRequestMillis?: number;
  /** Memory request in MiB, if set. */
  readonly memoryRequestMiB?: number;
  /** CPU limit in millicores, if set. */
  readonly cpuLimitMillis?: number;
  /** Memory limit in MiB, if set. */
  readonly memoryLimitMiB?: number;
}

/** A connection between two workloads (a `service` resource). */
export interface ModelDependency {
  /** The workload called. */
  readonly workload: string;
  /** Its tenant. */
  readonly tenant: string;
  /** The port called. */
  readonly port: number;
}

/** A Grafana dashboard delivered for a workload or tenant. */
export interface ModelDashboard {
  /** Grafana uid. */
  readonly uid: string;
  /** Title. */
  readonly title: string;
  /** Grafana folder. */
  readonly folder: string;
}

/** An Argo CD Application that delivers a workload or a tenant's boundary. */
export interface ModelArgoCdApp {
  /** Application name, e.g. `tenant-shop`. */
  readonly name: string;
  /** The cluster whose Argo CD runs it. */
  readonly cluster: string;
  /** Its AppProject. */
  readonly project: string;
}

/** A Kubernetes Secret a workload reads, and where its values come from. */
export interface ModelSecret {
  /** Name of the Kubernetes Secret, in the workload's namespace. */
  readonly kubernetesName: string;
  /** Secrets Manager secrets it is filled from (by name; RDS-managed secrets are found by tag and listed as `tags:<key>=<value>`). */
  readonly remoteSecrets: string[];
  /** The resource it holds the connection details of, if any (a `ModelResource.key`). */
  readonly resource?: string;
}

/** The AWS identity of a workload: an IAM role bound to its ServiceAccount by EKS Pod Identity. */
export interface ModelIdentity {
  /** IAM role name. */
  readonly roleName: string;
  /** Namespace of the ServiceAccount. */
  readonly namespace: string;
  /** ServiceAccount. */
  readonly serviceAccount: string;
  /** Resources it is granted access to (`ModelResource.key`s). */
  readonly grantedResources: string[];
  /** Actions it is granted, sorted. */
  readonly actions: string[];
}

/** A workload: one manifest file of a tenant with a Deployment, StatefulSet, CronJob or Job. */
export interface ModelWorkload {
  /** Name (the manifest file and the app's name). */
  readonly name: string;
  /** Tenant and namespace. */
  readonly tenant: string;
  /** Environment. */
  readonly environment: string;
  /** Kind: `web` (serves a Service), `worker`, `cron-job`, `job`, or a kind a newer paved declares. */
  readonly kind: string;
  /** Whether it was declared through the golden path (`Workload`, Score) rather than by hand from Kubernetes constructs. */
  readonly goldenPath: boolean;
  /** The size it was declared with, when known. */
  readonly size?: string;
  /** Containers (main first; init containers not included). */
  readonly containers: ModelContainer[];
  /** Served ports. */
  readonly ports: ModelPort[];
  /** Public host names (Ingress or HTTPRoute). */
  readonly hosts: string[];
  /**
   * The load balancers its Ingresses get from the AWS Load Balancer
   * Controller (class `alb`): `group:<name>` for an Ingress group (one
   * load balancer per group and cluster), else `ingress:<namespace>/<name>`.
   */
  readonly loadBalancers: string[];
  /** Replicas at rest: the autoscaler's minimum, the Deployment's replicas, or 1 for a job's run. */
  readonly minReplicas: number;
  /** Most replicas the autoscaler may run. */
  readonly maxReplicas: number;
  /** Schedule of a cron job. */
  readonly schedule?: string;
  /** Labels that select its pods. */
  readonly selectorLabels: { [key: string]: string };
  /** Its manifest, relative to the output folder. */
  readonly manifest: string;
  /** The clusters it runs on. */
  readonly clusters: string[];
  /** Its AWS identity, if it has one. */
  readonly identity?: ModelIdentity;
  /** Keys of the resources it uses (`ModelResource.key`). */
  readonly resources: string[];
  /** The Kubernetes Secrets it reads. */
  readonly secrets: ModelSecret[];
  /** The workloads it calls. */
  readonly dependsOn: ModelDependency[];
  /** Argo CD Applications that deliver it. */
  readonly argoCdApps: ModelArgoCdApp[];
  /** Its dashboards. */
  readonly dashboards: ModelDashboard[];
}

/** A tenant of an environment. */
export interface ModelTenant {
  /** Name and namespace. */
  readonly name: string;
  /** The owner, a Backstage entity reference (`group:default/shop-team`). */
  readonly owner: string;
  /** Whether the owner was given (`TenantOptions.owner`) rather than defaulted to `group:default/<tenant>`. */
  readonly ownerDeclared: boolean;
  /** The Terraform stack of its resources. */
  readonly stack: string;
  /** The clusters it runs on. */
  readonly clusters: string[];
  /** Its workloads. */
  readonly workloads: ModelWorkload[];
  /** The IAM role External Secrets reads its secrets with. */
  readonly secretsRole?: string;
  /** Argo CD Applications of its boundary and workloads. */
  readonly argoCdApps: ModelArgoCdApp[];
  /** Its dashboards (besides its workloads'). */
  readonly dashboards: ModelDashboard[];
}

/** A node group of a cluster. */
export interface ModelNodeGroup {
  /** Construct id. */
  readonly name: string;
  /** EC2 instance types, most preferred first. */
  readonly instanceTypes: string[];
  /** Minimum nodes. */
  readonly minSize: number;
  /** Maximum nodes. */
  readonly maxSize: number;
  /** Nodes at creation. */
  readonly desiredSize: number;
  /** `ON_DEMAND` or `SPOT`. */
  readonly capacityType: string;
}

/** An EKS cluster. */
export interface ModelCluster {
  /** Cluster name. */
  readonly name: string;
  /** Whether paved creates it (false: imported with `Cluster.fromAttributes`). */
  readonly managed: boolean;
  /** Kubernetes version, when paved creates it. */
  readonly version?: string;
  /** Its node groups. */
  readonly nodeGroups: ModelNodeGroup[];
}

/** A value a profile, size or default chose, or an override of it. */
export interface ModelDecision {
  /** Construct path. */
  readonly path: string;
  /** Property. */
  readonly property: string;
  /** Value in force. */
  readonly value: string;
  /** Where it came from (`profile prod`, `size M`, `override ...`). */
  readonly source: string;
}

/** One environment: an AWS account and region with a profile. */
export interface ModelEnvironment {
  /** Name. */
  readonly name: string;
  /** AWS account id. */
  readonly account: string;
  /** AWS region. */
  readonly region: string;
  /** Profile preset (`dev`, `staging`, `prod`). */
  readonly profile: string;
  /** Profile fields that differ from the preset. */
  readonly profileOverrides: ModelProfileOverride[];
  /** Stack layout (`PER_TENANT`, `SINGLE_STACK`). */
  readonly stackLayout: string;
  /** Clusters. */
  readonly clusters: ModelCluster[];
  /** Tenants. */
  readonly tenants: ModelTenant[];
  /** Every resource of the environment: the foundation's, the tenants' and the workloads'. */
  readonly resources: ModelResource[];
  /** AWS resources of the foundation and tenant stacks that belong to no resource above (networking, keys, roles). */
  readonly otherCloudResources: ModelCloudResource[];
}

/** A size of the catalogue. */
export interface ModelSize {
  /** Name. */
  readonly name: string;
  /** RDS instance class. */
  readonly databaseInstanceClass: string;
  /** Database storage at creation, GiB. */
  readonly databaseStorageGiB: number;
  /** ElastiCache node type. */
  readonly cacheNodeType: string;
  /** Cache read replicas. */
  readonly cacheReplicas: number;
  /** Node group instance types. */
  readonly nodeInstanceTypes: string[];
  /** Nodes at creation. */
  readonly nodeDesiredSize: number;
  /** Workload minimum replicas. */
  readonly appMinReplicas: number;
  /** Workload maximum replicas. */
  readonly appMaxReplicas: number;
  /** CPU request per replica, millicores. */
  readonly appCpuRequestMillis: number;
  /** Memory request per replica, MiB. */
  readonly appMemoryRequestMiB: number;
}

/** Everything the platform declares, as plain data. */
export interface PlatformModel {
  /** Environments, in the order declared. */
  readonly environments: ModelEnvironment[];
  /** The size catalogue. */
  readonly sizes: ModelSize[];
  /** Resource types a workload may ask for: every provisioner's type, and `service`. */
  readonly resourceTypes: string[];
  /** Values chosen by profiles, sizes and defaults, overrides included. */
  readonly decisions: ModelDecision[];
  /** The platform's warnings. */
  readonly warnings: string[];
}
