import { checkArguments } from '../core/api-guard';
import { Size } from '../core/size';

/** Options of a resource request. */
export interface ResourceOptions {
  /**
   * Share one resource between workloads: requests with the same type and id
   * in one environment get the same resource (Score's `id`).
   * @default - the resource belongs to this workload alone
   */
  readonly id?: string;
  /**
   * Capacity of the resource.
   * @default - the workload's size
   */
  readonly size?: Size;
  /**
   * Provisioner-specific parameters (Score's `params`), validated by the provisioner.
   * @default - none
   */
  readonly params?: { [key: string]: any };
}

/**
 * A resource a workload needs ("I need a postgres"). The environment's
 * provisioner for the type creates it and binds it to the workload.
 */
export class Resource {
  /** A PostgreSQL database (RDS). Outputs: host, port, name, database, username, password. */
  public static postgres(options: ResourceOptions = {}): Resource {
    checkArguments('Resource.postgres', arguments);
    return new Resource('postgres', options);
  }

  /**
   * A MySQL 8.4 database (RDS). Outputs: host, port, name, database,
   * username, password (the RDS-managed master password).
   */
  public static mysql(options: ResourceOptions = {}): Resource {
    checkArguments('Resource.mysql', arguments);
    return new Resource('mysql', options);
  }

  /** An SQS queue with its dead-letter queue. Outputs: url, arn, name, region. */
  public static queue(options: ResourceOptions = {}): Resource {
    checkArguments('Resource.queue', arguments);
    return new Resource('queue', options);
  }

  /** An S3 bucket. Outputs: bucket, region, arn, endpoint. */
  public static s3(options: ResourceOptions = {}): Resource {
    checkArguments('Resource.s3', arguments);
    return new Resource('s3', options);
  }

  /**
   * A Valkey/Redis cache (ElastiCache) with IAM authentication. Outputs: host,
   * port, username, cacheName, region; no password exists (clients sign an
   * IAM auth token with the workload identity).
   */
  public static redis(options: ResourceOptions = {}): Resource {
    checkArguments('Resource.redis', arguments);
    return new Resource('redis', options);
  }

  /**
   * A MongoDB-compatible database (Amazon DocumentDB) with a user of its
   * own. Outputs: host, port, username, password, database, connection (a
   * `mongodb://` URI with TLS), caFile.
   */
  public static mongodb(options: ResourceOptions = {}): Resource {
    checkArguments('Resource.mongodb', arguments);
    return new Resource('mongodb', options);
  }

  /** A host name in the environment's DNS zone. Outputs: host. */
  public static dns(options: ResourceOptions = {}): Resource {
    checkArguments('Resource.dns', arguments);
    return new Resource('dns', options);
  }

  /** A resource of any registered type, e.g. one a platform engineer added. */
  public static of(type: string, options: ResourceOptions = {}): Resource {
    checkArguments('Resource.of', arguments);
    return new Resource(type, options);
  }

  /** Resource type, e.g. `postgres`. */
  public readonly type: string;
  /** Shared id, if any. */
  public readonly id?: string;
  /** Requested size, if any. */
  public readonly size?: Size;
  /** Provisioner parameters. */
  public readonly params: { [key: string]: any };

  private constructor(type: string, options: ResourceOptions) {
    this.type = type;
    this.id = options.id;
    this.size = options.size;
    this.params = { ...options.params };
  }
}
