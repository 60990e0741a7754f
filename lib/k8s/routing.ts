import { checkArguments } from '../core/api-guard';
/** Options of {@link Routing.ingress}. */
export interface IngressRoutingOptions {
  /**
   * IngressClass that serves the Ingress.
   * @default 'nginx'
   */
  readonly className?: string;
  /**
   * Secret in the app's namespace holding the TLS certificate for the host
   * (written by cert-manager or an ExternalSecret).
   * @default '<name>-tls'
   */
  readonly tlsSecretName?: string;
  /**
   * Annotations of the Ingress, e.g. `{ 'cert-manager.io/cluster-issuer': 'letsencrypt' }`.
   * @default - none
   */
  readonly annotations?: { [key: string]: string };
  /**
   * Namespace of the ingress controller's pods; the NetworkPolicy admits
   * traffic on the app's port from it. Not with `sourceCidrs`.
   * @default 'ingress-nginx'
   */
  readonly controllerNamespace?: string;
  /**
   * Address ranges the routed traffic comes from, admitted by the
   * NetworkPolicy on the app's port instead of a controller namespace: a
   * load balancer that sends straight to pod IPs, such as an AWS
   * Application Load Balancer of the AWS Load Balancer Controller (class
   * `alb`, IP targets), whose addresses are in the subnets it runs in.
   * Not with `controllerNamespace`.
   * @default - none: traffic is admitted from `controllerNamespace`
   */
  readonly sourceCidrs?: string[];
}

/** Options of {@link Routing.httpRoute}. */
export interface HttpRouteOptions {
  /** Name of the Gateway the route attaches to. */
  readonly gatewayName: string;
  /**
   * Namespace of the Gateway. Its listener must admit routes from the
   * app's namespace (`allowedRoutes.namespaces`).
   */
  readonly gatewayNamespace: string;
  /**
   * Listener of the Gateway to attach to, e.g. `https`. TLS terminates at
   * the Gateway, so attach to an HTTPS listener whose certificate covers the host.
   * @default - every listener of the Gateway that admits the route
   */
  readonly sectionName?: string;
  /**
   * Namespace of the Gateway's proxy pods, which the NetworkPolicy admits
   * on the app's port. Some implementations run the proxies apart from the
   * Gateway object (Envoy Gateway: `envoy-gateway-system`).
   * @default - the `gatewayNamespace`
   */
  readonly proxyNamespace?: string;
}

/**
 * How traffic from outside the cluster reaches a web app's `host`: an
 * Ingress, or a Gateway API HTTPRoute attached to a shared Gateway.
 */
export class Routing {
  /**
   * An Ingress (networking.k8s.io/v1) with TLS from a Secret: paved's default for a host.
   */
  public static ingress(options: IngressRoutingOptions = {}): Routing {
    checkArguments('Routing.ingress', arguments);
    return new Routing({ ...(options ?? {}) }, undefined);
  }

  /**
   * A Gateway API HTTPRoute (gateway.networking.k8s.io/v1) attached to a
   * Gateway, instead of an Ingress. TLS terminates at the Gateway's listener.
   */
  public static httpRoute(options: HttpRouteOptions): Routing {
    checkArguments('Routing.httpRoute', arguments);
    return new Routing(undefined, { ...(options ?? {}) } as HttpRouteOptions);
  }

  /**
   * Options of the Ingress; undefined for an HTTPRoute.
   * @internal
   */
  public readonly _ingress?: IngressRoutingOptions;
  /**
   * Options of the HTTPRoute; undefined for an Ingress.
   * @internal
   */
  public readonly _httpRoute?: HttpRouteOptions;

  private constructor(ingress: IngressRoutingOptions | undefined, route: HttpRouteOptions | undefined) {
    this._ingress = ingress;
    this._httpRoute = route;
  }
}
