import { DnsProvisioner } from './dns-provisioner';
import { KafkaTopicProvisioner } from './kafka-provisioner';
import { MongodbProvisioner } from './mongodb-provisioner';
import { MysqlProvisioner } from './mysql-provisioner';
import { PostgresProvisioner } from './postgres-provisioner';
import { IProvisioner } from './provisioner';
import { QueueProvisioner } from './queue-provisioner';
import { RedisProvisioner } from './redis-provisioner';
import { S3Provisioner } from './s3-provisioner';
import { checkArguments } from '../core/api-guard';
import { invalid } from '../core/errors';
import { LookupKey } from '../core/lookup';
import { Platform } from '../core/platform';

/**
 * The provisioners of a platform, by resource type. Per platform, not per
 * environment: a platform engineer registers a resource type once and every
 * environment's golden path offers it.
 */
const PROVISIONERS = new LookupKey<IProvisioner>('provisioners');
const BUILT_INS = new LookupKey<boolean>('built-in-provisioners');

/** The provisioners of a platform, by resource type. */
export class Provisioners {
  /**
   * Adds (or replaces) the provisioner of `provisioner.type` on `platform`.
   */
  public static register(platform: Platform, provisioner: IProvisioner): void {
    checkArguments('Provisioners.register', arguments);
    if (!/^[a-z][a-z0-9-]*$/.test(provisioner.type ?? '')) {
      throw invalid('Provisioners', 'type', provisioner.type, 'a lowercase resource type such as "postgres" or "acme-kafka"');
    }
    Provisioners.withBuiltIns(platform);
    platform._lookup.set(PROVISIONERS, provisioner.type, provisioner);
  }

  /** The provisioner for `type`; fails listing the known types. */
  public static find(platform: Platform, type: string, where: string): IProvisioner {
    checkArguments('Provisioners.find', arguments);
    const provisioner = Provisioners.withBuiltIns(platform).get(PROVISIONERS, type);
    if (!provisioner) {
      throw invalid(where, 'type', type, `a resource type with a provisioner: ${Provisioners.types(platform).join(', ')}`);
    }
    return provisioner;
  }

  /** Resource types known on `platform`. */
  public static types(platform: Platform): string[] {
    checkArguments('Provisioners.types', arguments);
    return Provisioners.withBuiltIns(platform).entries(PROVISIONERS).map(p => p.type).sort();
  }

  /** The platform's lookup, with the built-in provisioners registered on first use. */
  private static withBuiltIns(platform: Platform): Platform['_lookup'] {
    platform._lookup.singleton(BUILT_INS, 'loaded', () => {
      builtIns().forEach(p => platform._lookup.set(PROVISIONERS, p.type, p));
      return true;
    });
    return platform._lookup;
  }

  private constructor() {}
}

/** The provisioners every platform starts with. */
function builtIns(): IProvisioner[] {
  return [
    new PostgresProvisioner(), new MysqlProvisioner(), new QueueProvisioner(), new S3Provisioner(), new RedisProvisioner(), new DnsProvisioner(),
    new MongodbProvisioner(), new KafkaTopicProvisioner(),
  ];
}
