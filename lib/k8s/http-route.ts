import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';

/** @internal */
export interface HttpRouteObjectOptions {
  /** Name of the route and of the Service it sends traffic to. */
  readonly name: string;
  readonly labels: { [key: string]: string };
  readonly gatewayName: string;
  readonly gatewayNamespace: string;
  readonly sectionName?: string;
  readonly host: string;
  /** Path prefix, matched segment by segment. */
  readonly path: string;
  /** The Service's port. */
  readonly port: number;
}

const GATEWAY_GROUP = 'gateway.networking.k8s.io';

/**
 * A Gateway API HTTPRoute (id `HTTPRoute`) sending `host` + `path` to the
 * workload's Service.
 * @internal
 */
export function httpRoute(scope: Construct, options: HttpRouteObjectOptions): ApiObject {
  return new ApiObject(scope, 'HTTPRoute', {
    apiVersion: `${GATEWAY_GROUP}/v1`,
    kind: 'HTTPRoute',
    metadata: { name: options.name, labels: { ...options.labels } },
    spec: {
      parentRefs: [{
        group: GATEWAY_GROUP,
        kind: 'Gateway',
        name: options.gatewayName,
        namespace: options.gatewayNamespace,
        sectionName: options.sectionName,
      }],
      hostnames: [options.host],
      rules: [{
        matches: [{ path: { type: 'PathPrefix', value: options.path } }],
        backendRefs: [{ group: '', kind: 'Service', name: options.name, port: options.port }],
      }],
    },
  });
}
