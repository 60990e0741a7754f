import { DnsProvisioner } from './dns-provisioner';
import { MysqlProvisioner } from './mysql-provisioner';
import { PostgresProvisioner } from './postgres-provisioner';
import { IProvisioner } from './provisioner';
import { QueueProvisioner } from './queue-provisioner';
import { RedisProvisioner } from './redis-provisioner';
import { S3Provisioner } from './s3-provisioner';
import { invalid } from '../core/errors';
import { Platform } from '../core/platform';

const REGISTRIES = new WeakMap<Platform, Map<string, IProvisioner>>();

/** The provisioners of a platform, by resource type. */
export class Provisioners {
  /**
   * Adds (or replaces) the provisioner of `provisioner.type` on `platform`.
   */
  public static register(platform: Platform, provisioner: IProvisioner): void {
    if (!/^[a-z][a-z0-9-]*$/.test(provisioner.type ?? '')) {
      throw invalid('Provisioners', 'type', provisioner.type, 'a lowercase resource type such as "postgres" or "acme-kafka"');
    }
    Provisioners.registry(platform).set(provisioner.type, provisioner);
  }

  /** The provisioner for `type`; fails listing the known types. */
  public static find(platform: Platform, type: string, where: string): IProvisioner {
    const registry = Provisioners.registry(platform);
    const provisioner = registry.get(type);
    if (!provisioner) {
      throw invalid(where, 'type', type, `a resource type with a provisioner: ${[...registry.keys()].sort().join(', ')}`);
    }
    return provisioner;
  }

  /** Resource types known on `platform`. */
  public static types(platform: Platform): string[] {
    return [...Provisioners.registry(platform).keys()].sort();
  }

  private static registry(platform: Platform): Map<string, IProvisioner> {
    let registry = REGISTRIES.get(platform);
    if (!registry) {
      registry = new Map(builtIns().map(p => [p.type, p]));
      REGISTRIES.set(platform, registry);
    }
    return registry;
  }

  private constructor() {}
}

/** The provisioners every platform starts with. */
function builtIns(): IProvisioner[] {
  return [
    new PostgresProvisioner(), new MysqlProvisioner(), new QueueProvisioner(), new S3Provisioner(), new RedisProvisioner(), new DnsProvisioner(),
  ];
}
