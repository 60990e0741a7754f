import { checkArguments } from './api-guard';
import { invalid } from './errors';
import { validateInteger } from './validation';

/** Database capacity of a size. */
export interface DatabaseSize {
  /** RDS instance class, e.g. `db.t4g.medium`. */
  readonly instanceClass: string;
  /** Storage allocated at creation, GiB (20-65536). */
  readonly storageGiB: number;
  /** Upper bound for storage autoscaling, GiB; at least `storageGiB`. */
  readonly maxStorageGiB: number;
}

/** Cache capacity of a size. */
export interface CacheSize {
  /** ElastiCache node type, e.g. `cache.t4g.small`. */
  readonly nodeType: string;
  /** Read replicas besides the primary (0-5). */
  readonly replicas: number;
}

/** Kubernetes node group capacity of a size. */
export interface NodeGroupSize {
  /** EC2 instance types, most preferred first. */
  readonly instanceTypes: string[];
  /** Minimum nodes. */
  readonly minSize: number;
  /** Maximum nodes; at least `minSize`. */
  readonly maxSize: number;
  /** Nodes at creation; between `minSize` and `maxSize`. */
  readonly desiredSize: number;
}

/** Capacity of one web app, worker or job. */
export interface AppSize {
  /** Replicas when nothing autoscales. */
  readonly replicas: number;
  /** CPU request, millicores. */
  readonly cpuRequestMillis: number;
  /** CPU limit, millicores; at least the request. */
  readonly cpuLimitMillis: number;
  /** Memory request, MiB. */
  readonly memoryRequestMiB: number;
  /** Memory limit, MiB; at least the request. */
  readonly memoryLimitMiB: number;
  /** Ephemeral storage request, MiB. */
  readonly ephemeralStorageRequestMiB: number;
  /** Ephemeral storage limit, MiB; at least the request. */
  readonly ephemeralStorageLimitMiB: number;
  /** Autoscaling lower bound. */
  readonly minReplicas: number;
  /** Autoscaling upper bound; above `minReplicas`. */
  readonly maxReplicas: number;
  /** Average CPU utilization (% of the request) the autoscaler aims for. */
  readonly targetCpuUtilization: number;
}

/** Values of a custom {@link Size}. */
export interface SizeProps {
  /** Database capacity. */
  readonly database: DatabaseSize;
  /** Cache capacity. */
  readonly cache: CacheSize;
  /** Node group capacity. */
  readonly nodeGroup: NodeGroupSize;
  /** Workload capacity. */
  readonly app: AppSize;
}

/** Fields to replace when deriving a size with {@link Size.extend}. */
export interface SizeOverrides {
  /**
   * Database capacity of the new size.
   * @default - the base size's database capacity
   */
  readonly database?: DatabaseSize;
  /**
   * Cache capacity of the new size.
   * @default - the base size's cache capacity
   */
  readonly cache?: CacheSize;
  /**
   * Node group capacity of the new size.
   * @default - the base size's node group capacity
   */
  readonly nodeGroup?: NodeGroupSize;
  /**
   * Workload capacity of the new size.
   * @default - the base size's workload capacity
   */
  readonly app?: AppSize;
}

/**
 * A t-shirt size: one name that fixes concrete capacity for every capability
 * (database, cache, nodes, workloads).
 */
export class Size {
  /** Small: burstable instances, one replica. */
  public static readonly S = new Size('S', {
    database: { instanceClass: 'db.t4g.small', storageGiB: 20, maxStorageGiB: 100 },
    cache: { nodeType: 'cache.t4g.micro', replicas: 1 },
    nodeGroup: { instanceTypes: ['t3.large', 't3a.large'], minSize: 1, maxSize: 3, desiredSize: 2 },
    app: {
      replicas: 1,
      cpuRequestMillis: 100,
      cpuLimitMillis: 500,
      memoryRequestMiB: 128,
      memoryLimitMiB: 256,
      ephemeralStorageRequestMiB: 64,
      ephemeralStorageLimitMiB: 256,
      minReplicas: 1,
      maxReplicas: 3,
      targetCpuUtilization: 70,
    },
  });

  /** Medium: the usual service. */
  public static readonly M = new Size('M', {
    database: { instanceClass: 'db.t4g.medium', storageGiB: 50, maxStorageGiB: 200 },
    cache: { nodeType: 'cache.t4g.small', replicas: 1 },
    nodeGroup: { instanceTypes: ['m6i.large', 'm5.large'], minSize: 2, maxSize: 6, desiredSize: 3 },
    app: {
      replicas: 2,
      cpuRequestMillis: 250,
      cpuLimitMillis: 1000,
      memoryRequestMiB: 256,
      memoryLimitMiB: 512,
      ephemeralStorageRequestMiB: 128,
      ephemeralStorageLimitMiB: 512,
      minReplicas: 2,
      maxReplicas: 6,
      targetCpuUtilization: 70,
    },
  });

  /** Large: memory-optimized data stores, more replicas. */
  public static readonly L = new Size('L', {
    database: { instanceClass: 'db.r6g.large', storageGiB: 100, maxStorageGiB: 500 },
    cache: { nodeType: 'cache.r6g.large', replicas: 2 },
    nodeGroup: { instanceTypes: ['m6i.xlarge', 'm5.xlarge'], minSize: 3, maxSize: 10, desiredSize: 3 },
    app: {
      replicas: 3,
      cpuRequestMillis: 500,
      cpuLimitMillis: 2000,
      memoryRequestMiB: 512,
      memoryLimitMiB: 1024,
      ephemeralStorageRequestMiB: 256,
      ephemeralStorageLimitMiB: 1024,
      minReplicas: 3,
      maxReplicas: 12,
      targetCpuUtilization: 70,
    },
  });

  /** Extra large. */
  public static readonly XL = new Size('XL', {
    database: { instanceClass: 'db.r6g.2xlarge', storageGiB: 200, maxStorageGiB: 1000 },
    cache: { nodeType: 'cache.r6g.xlarge', replicas: 2 },
    nodeGroup: { instanceTypes: ['m6i.2xlarge', 'm5.2xlarge'], minSize: 3, maxSize: 20, desiredSize: 4 },
    app: {
      replicas: 4,
      cpuRequestMillis: 1000,
      cpuLimitMillis: 4000,
      memoryRequestMiB: 1024,
      memoryLimitMiB: 2048,
      ephemeralStorageRequestMiB: 512,
      ephemeralStorageLimitMiB: 2048,
      minReplicas: 4,
      maxReplicas: 24,
      targetCpuUtilization: 70,
    },
  });

  /** A size with every value given. */
  public static custom(name: string, props: SizeProps): Size {
    checkArguments('Size.custom', arguments);
    return new Size(name, props);
  }

  /** Size name, e.g. `M` or `M-highmem`. */
  public readonly name: string;
  /** Database capacity. */
  public readonly database: DatabaseSize;
  /** Cache capacity. */
  public readonly cache: CacheSize;
  /** Node group capacity. */
  public readonly nodeGroup: NodeGroupSize;
  /** Workload capacity. */
  public readonly app: AppSize;

  private constructor(name: string, props: SizeProps) {
    const where = `Size ${name}`;
    if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/.test(name ?? '')) {
      throw invalid('Size', 'name', name, '1-32 letters, digits and dashes, starting with a letter or digit');
    }
    validateSize(where, props);
    this.name = name;
    this.database = props.database;
    this.cache = props.cache;
    this.nodeGroup = { ...props.nodeGroup, instanceTypes: [...props.nodeGroup.instanceTypes] };
    this.app = props.app;
  }

  /** A new size named `name`: this one with some capabilities replaced. */
  public extend(name: string, overrides: SizeOverrides): Size {
    return new Size(name, {
      database: overrides.database ?? this.database,
      cache: overrides.cache ?? this.cache,
      nodeGroup: overrides.nodeGroup ?? this.nodeGroup,
      app: overrides.app ?? this.app,
    });
  }
}

function validateSize(where: string, props: SizeProps): void {
  const { database, cache, nodeGroup, app } = props;
  if (!/^db\.[a-z0-9]+\.[a-z0-9]+$/.test(database.instanceClass)) {
    throw invalid(where, 'database.instanceClass', database.instanceClass, 'an RDS instance class such as "db.t4g.medium"');
  }
  validateInteger(where, 'database.storageGiB', database.storageGiB, 20, 65536);
  validateInteger(where, 'database.maxStorageGiB', database.maxStorageGiB, database.storageGiB, 65536);
  if (!/^cache\.[a-z0-9]+\.[a-z0-9]+$/.test(cache.nodeType)) {
    throw invalid(where, 'cache.nodeType', cache.nodeType, 'an ElastiCache node type such as "cache.t4g.small"');
  }
  validateInteger(where, 'cache.replicas', cache.replicas, 0, 5);
  if (nodeGroup.instanceTypes.length === 0 || nodeGroup.instanceTypes.some(t => !/^[a-z0-9-]+\.[a-z0-9]+$/.test(t))) {
    throw invalid(where, 'nodeGroup.instanceTypes', nodeGroup.instanceTypes, 'one or more EC2 instance types such as "m6i.large"');
  }
  validateInteger(where, 'nodeGroup.minSize', nodeGroup.minSize, 0, 1000);
  validateInteger(where, 'nodeGroup.maxSize', nodeGroup.maxSize, Math.max(1, nodeGroup.minSize), 1000);
  validateInteger(where, 'nodeGroup.desiredSize', nodeGroup.desiredSize, nodeGroup.minSize, nodeGroup.maxSize);
  validateInteger(where, 'app.replicas', app.replicas, 1, 1000);
  validateInteger(where, 'app.cpuRequestMillis', app.cpuRequestMillis, 1, 256000);
  validateInteger(where, 'app.cpuLimitMillis', app.cpuLimitMillis, app.cpuRequestMillis, 256000);
  validateInteger(where, 'app.memoryRequestMiB', app.memoryRequestMiB, 4, 4194304);
  validateInteger(where, 'app.memoryLimitMiB', app.memoryLimitMiB, app.memoryRequestMiB, 4194304);
  validateInteger(where, 'app.ephemeralStorageRequestMiB', app.ephemeralStorageRequestMiB, 1, 4194304);
  validateInteger(where, 'app.ephemeralStorageLimitMiB', app.ephemeralStorageLimitMiB, app.ephemeralStorageRequestMiB, 4194304);
  validateInteger(where, 'app.minReplicas', app.minReplicas, 1, 1000);
  validateInteger(where, 'app.maxReplicas', app.maxReplicas, app.minReplicas, 1000);
  validateInteger(where, 'app.targetCpuUtilization', app.targetCpuUtilization, 10, 100);
}

/**
 * The sizes a platform offers. Platform engineers start from the defaults
 * (S, M, L, XL), add their own, or start empty.
 */
export class SizeCatalogue {
  /** S, M, L and XL. */
  public static defaults(): SizeCatalogue {
    return new SizeCatalogue([Size.S, Size.M, Size.L, Size.XL]);
  }

  /** A catalogue of exactly the given sizes. */
  public static of(sizes: Size[]): SizeCatalogue {
    checkArguments('SizeCatalogue.of', arguments);
    return new SizeCatalogue(sizes);
  }

  private readonly sizes = new Map<string, Size>();

  private constructor(sizes: Size[]) {
    for (const size of sizes) { this.add(size); }
  }

  /** Adds a size, or replaces the size of the same name. Returns this catalogue. */
  public add(size: Size): SizeCatalogue {
    this.sizes.set(size.name, size);
    return this;
  }

  /** Names of the sizes, in the order added. */
  public get names(): string[] {
    return [...this.sizes.keys()];
  }

  /** All sizes, in the order added. */
  public get all(): Size[] {
    return [...this.sizes.values()];
  }

  /**
   * The size named `name`.
   * @param where construct path or file used in the error message
   */
  public get(name: string, where: string = 'SizeCatalogue'): Size {
    const size = this.sizes.get(name);
    if (!size) {
      throw invalid(where, 'size', name, `one of the sizes in the catalogue: ${this.names.join(', ')}`);
    }
    return size;
  }
}
