import { isIP } from 'net';
import { ContainerPort, ExecAction, HttpGetAction, IntOrString, TcpSocketAction } from 'cdk8s-plus-28/lib/imports/k8s';
import { IConstruct } from 'constructs';
import { isDnsSubdomain } from './labels';
import { validateLiteral } from './literal';
import { validateCommand, validateProbePath } from './pod-template';
import { checkArguments } from '../core/api-guard';
import { invalid } from '../core/errors';
import { validateInteger } from '../core/validation';

/** Protocol of an HTTP probe. */
export enum ProbeScheme {
  /** Plain HTTP. */
  HTTP = 'HTTP',
  /** HTTPS; the kubelet does not verify the certificate, so a self-signed one works. */
  HTTPS = 'HTTPS',
}

/** A header an HTTP probe sends. */
export interface HttpHeader {
  /** Header name, an HTTP token such as `X-Probe` (letters, digits and ``!#$%&'*+-.^_`|~``). */
  readonly name: string;
  /** Header value, without line breaks. */
  readonly value: string;
}

/** Options of {@link Probe.httpGet}. */
export interface HttpGetProbeOptions {
  /** Absolute HTTP path the probe requests, e.g. `/readyz`. */
  readonly path: string;
  /**
   * Container port the probe calls; the container must declare it.
   * @default - the main container's `port`; a sidecar's first port
   */
  readonly port?: number;
  /**
   * Protocol of the request.
   * @default ProbeScheme.HTTP
   */
  readonly scheme?: ProbeScheme;
  /**
   * Host (IP address or DNS name) the kubelet connects to. Leave it unset to
   * probe the pod itself; use `headers` to send a `Host` header.
   * @default - the pod's IP address
   */
  readonly host?: string;
  /**
   * Headers the request carries, in order.
   * @default - none
   */
  readonly headers?: HttpHeader[];
}

/** Options of {@link Probe.tcpSocket}. */
export interface TcpSocketProbeOptions {
  /**
   * Container port the probe connects to; the container must declare it.
   * @default - the main container's `port`; a sidecar's first port
   */
  readonly port?: number;
}

/** An HTTP token (RFC 9110), what a header name may be. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Visible characters, spaces and tabs: a header value without line breaks or other control characters. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\uffff]*$/;

/**
 * A check the kubelet runs against a container: readiness (is it able to
 * serve?) or liveness (is it stuck?). A failing readiness probe takes the
 * pod out of its Service; a failing liveness probe restarts the container.
 *
 * Timings are paved's: readiness every 5 s, liveness every 10 s, 3 failures
 * in a row to act, 2 s timeout per call. A startup probe derived from the
 * liveness probe holds liveness back while the container starts.
 */
export class Probe {
  /** An HTTP GET request; a status from 200 to 399 is a success. */
  public static httpGet(options: HttpGetProbeOptions): Probe {
    checkArguments('Probe.httpGet', arguments);
    return new Probe(options, undefined);
  }

  /**
   * A command run inside the container; exit code 0 is a success. The
   * command runs without a shell: pass `['sh', '-c', '...']` for one, if the
   * image has it.
   */
  public static exec(command: string[]): Probe {
    checkArguments('Probe.exec', arguments);
    return new Probe(undefined, Array.isArray(command) ? [...command] : command);
  }

  /**
   * A TCP connection to a port; a connection accepted is a success. For
   * servers that speak no HTTP (gRPC, a database protocol): it tells that
   * the process listens, not that it works.
   */
  public static tcpSocket(options: TcpSocketProbeOptions = {}): Probe {
    checkArguments('Probe.tcpSocket', arguments);
    return new Probe(undefined, undefined, { ...options });
  }

  private constructor(
    private readonly httpGetOptions: HttpGetProbeOptions | undefined,
    private readonly command: string[] | undefined,
    private readonly tcpSocketOptions?: TcpSocketProbeOptions,
  ) {}

  /**
   * The probe's action, checked against the container's ports.
   *
   * @param property where the probe sits in the props, e.g. `containers[0].livenessProbe`
   * @param ports the ports the container declares
   * @param defaultPort the named port an HTTP probe without `port` calls; undefined when the container has none
   * @internal
   */
  public _action(scope: IConstruct, property: string, ports: ContainerPort[], defaultPort?: string): ProbeAction {
    if (this.command !== undefined) {
      validateCommand(scope, `${property}.command`, this.command);
      return { exec: { command: [...this.command] } };
    }
    if (this.tcpSocketOptions !== undefined) {
      return { tcpSocket: { port: probePort(scope, `${property}.port`, this.tcpSocketOptions.port, ports, defaultPort) } };
    }
    const options = this.httpGetOptions;
    if (options === null || typeof options !== 'object') {
      throw invalid(scope, property, options, 'Probe.httpGet({ path, ... }) or Probe.exec([...])');
    }
    validateProbePath(scope, `${property}.path`, options.path);
    return {
      httpGet: {
        path: options.path,
        port: probePort(scope, `${property}.port`, options.port, ports, defaultPort),
        scheme: probeScheme(scope, `${property}.scheme`, options.scheme),
        host: probeHost(scope, `${property}.host`, options.host),
        httpHeaders: probeHeaders(scope, `${property}.headers`, options.headers),
      },
    };
  }
}

/**
 * What a probe does, without its timing.
 * @internal
 */
export interface ProbeAction {
  readonly httpGet?: HttpGetAction;
  readonly exec?: ExecAction;
  readonly tcpSocket?: TcpSocketAction;
}

function probePort(scope: IConstruct, property: string, port: number | undefined, ports: ContainerPort[],
  defaultPort: string | undefined): IntOrString {
  const declared = ports.length > 0 ? ports.map(p => `${p.name} ${p.containerPort}`).join(', ') : undefined;
  if (port === undefined) {
    if (defaultPort === undefined) {
      throw invalid(scope, property, port, 'a port the container declares in ports (it declares none)');
    }
    return IntOrString.fromString(defaultPort);
  }
  validateLiteral(scope, property, port);
  validateInteger(scope, property, port, 1, 65535);
  if (!ports.some(p => p.containerPort === port)) {
    throw invalid(scope, property, port, declared
      ? `one of the container's ports (${declared}): a probe on a port the container does not expose always fails`
      : 'a port the container declares in ports (it declares none)');
  }
  return IntOrString.fromNumber(port);
}

function probeScheme(scope: IConstruct, property: string, scheme: ProbeScheme | undefined): string {
  const value = scheme ?? ProbeScheme.HTTP;
  if (!Object.values(ProbeScheme).includes(value)) {
    throw invalid(scope, property, value, 'ProbeScheme.HTTP or ProbeScheme.HTTPS');
  }
  return value;
}

function probeHost(scope: IConstruct, property: string, host: string | undefined): string | undefined {
  if (host === undefined) { return undefined; }
  validateLiteral(scope, property, host);
  if (typeof host !== 'string' || (isIP(host) === 0 && !isDnsSubdomain(host))) {
    throw invalid(scope, property, host, 'an IP address or a lowercase DNS name');
  }
  return host;
}

function probeHeaders(scope: IConstruct, property: string, headers: HttpHeader[] | undefined): HttpHeader[] | undefined {
  if (headers === undefined) { return undefined; }
  if (!Array.isArray(headers)) {
    throw invalid(scope, property, headers, 'a list of { name, value } headers');
  }
  return headers.map((header, i) => {
    if (typeof header?.name !== 'string' || !HEADER_NAME.test(header.name)) {
      throw invalid(scope, `${property}[${i}].name`, header?.name, "an HTTP header name: letters, digits and !#$%&'*+-.^_`|~");
    }
    validateLiteral(scope, `${property}[${i}].value`, header.value);
    if (typeof header.value !== 'string' || !HEADER_VALUE.test(header.value)) {
      throw invalid(scope, `${property}[${i}].value`, header.value, 'a header value without line breaks or control characters');
    }
    return { name: header.name, value: header.value };
  });
}
