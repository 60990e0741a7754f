import { ConnectionSecret } from './connection-secret';
import { IProvisioner, ProvisionContext, ProvisionResult } from './provisioner';
import { Dns } from '../aws/dns';
import { invalid } from '../core/errors';

const OUTPUTS = ['host'];
const MAX_NAME = 253;

/**
 * Provisions `dns` resources: a host name for the workload under its
 * tenant's subdomain of the environment's zone (`Dns.of(env)`),
 * `<workload>-<resource>.<tenant>.<zone>`, e.g. `orders-web.shop.prod.acme.io`:
 * workload names are unique per tenant, so the tenant keeps two tenants'
 * `api` apart. (A certificate for a tenant's hosts names each host, or
 * `*.<tenant>.<zone>`.)
 *
 * Output (Score's dns output): `host`, a literal known at synth time, also
 * written to the connection secret. No record is created: what the name
 * points to (the load balancer of the workload's Ingress) exists only once
 * the cluster has made it, so the Ingress controller or external-dns writes
 * the record into the zone.
 */
export class DnsProvisioner implements IProvisioner {
  /** The resource type, `dns`. */
  public readonly type = 'dns';
  /** The outputs a `dns` resource offers. */
  public readonly outputNames = OUTPUTS;

  /** Creates the resource under `context.scope` and returns how the workload reaches it. */
  public provision(context: ProvisionContext): ProvisionResult {
    const unknown = Object.keys(context.resource.params);
    if (unknown.length > 0) {
      throw invalid(context.scope, `resources.${context.resourceName}.params`, unknown, 'no params (dns accepts none)');
    }
    const zone = Dns.of(context.scope);
    // Workload and resource names are DNS labels of at most 30 characters: the label fits 63, and so does the tenant.
    const host = `${context.workload}-${context.resourceName}.${context.tenant}.${zone.zoneName}`;
    if (host.length > MAX_NAME) {
      throw invalid(context.scope, `resources.${context.resourceName}`, host,
        `a host name of at most ${MAX_NAME} characters (zone "${zone.zoneName}" and tenant "${context.tenant}" leave room for `
        + `${MAX_NAME - zone.zoneName.length - context.tenant.length - 2})`);
    }
    new ConnectionSecret(context.scope, 'ConnectionSecret', {
      secretName: context.secretName,
      values: { host },
    });
    return {
      outputs: [{ name: 'host', secret: false, value: host }],
      remoteKeys: [{ secretKey: 'host', remoteKey: context.secretName, property: 'host' }],
    };
  }
}
