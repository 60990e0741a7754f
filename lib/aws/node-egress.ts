import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { hasHostBits, parseCidr } from './cidr';
import { checkArguments } from '../core/api-guard';
import { invalid } from '../core/errors';
import { validateInteger } from '../core/validation';

/** The IP protocol of a {@link NodeEgressRule}. */
export enum NodeEgressProtocol {
  /** TCP. */
  TCP = 'tcp',
  /** UDP. */
  UDP = 'udp',
  /** Every protocol and port. */
  ALL = 'all',
}

/** One destination the nodes (and pods) of a cluster may open connections to. */
export interface NodeEgressRule {
  /** The destination, an IPv4 CIDR block written as its first address, e.g. `"203.0.113.0/24"`. */
  readonly cidr: string;
  /**
   * The protocol.
   * @default NodeEgressProtocol.TCP
   */
  readonly protocol?: NodeEgressProtocol;
  /**
   * The destination port (1-65535), or the first of a range ending at
   * `toPort`. Required for TCP and UDP; not with `NodeEgressProtocol.ALL`.
   * @default - none: only with NodeEgressProtocol.ALL
   */
  readonly port?: number;
  /**
   * The last port of the range starting at `port`.
   * @default - `port`: a single port
   */
  readonly toPort?: number;
  /** What the destination is, for the rule's description (1-255 characters). */
  readonly description: string;
}

/** Options of {@link NodeEgress.restricted}. */
export interface RestrictedNodeEgressOptions {
  /**
   * Allow HTTPS (TCP 443) to any IPv4 address: the AWS APIs (EKS, ECR, S3,
   * STS, Secrets Manager), image registries and HTTPS services on the
   * internet, through the NAT gateways.
   * @default true
   */
  readonly httpsToAnywhere?: boolean;
  /**
   * Further destinations, e.g. an SMTP relay or a partner's IP range.
   * @default - none
   */
  readonly allow?: NodeEgressRule[];
}

/** An egress rule of the node security group, ready for `VpcSecurityGroupEgressRule`. @internal */
export interface RenderedEgressRule {
  readonly id: string;
  readonly cidr: string;
  readonly protocol: string;
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly description: string;
}

const MAX_RULES = 50;

/**
 * What the security group of a cluster's nodes (and so of its pods, which
 * share it) lets out.
 *
 * Inside the cluster, the NetworkPolicies paved writes decide which pod
 * reaches what; the security group is the layer below them, and the only
 * one for the nodes' own processes (kubelet, the add-ons). Traffic to the
 * VPC's DNS resolver, the instance metadata service and the Amazon Time
 * Sync Service is never filtered by security groups.
 */
export class NodeEgress {
  /**
   * Every protocol to any IPv4 address (`0.0.0.0/0`): what EKS's own
   * node security group allows, and paved's default. Pods are still held
   * back by their NetworkPolicies; the nodes' processes are not.
   */
  public static unrestricted(): NodeEgress {
    return new NodeEgress(undefined);
  }

  /**
   * Everything to the VPC (the control plane's network interfaces, other
   * nodes, data stores, VPC endpoints), HTTPS to anywhere unless turned
   * off, and the destinations in `allow`; nothing else. A workload that
   * connects elsewhere (SMTP, a database outside the VPC on another port)
   * needs its destination in `allow`.
   */
  public static restricted(options: RestrictedNodeEgressOptions = {}): NodeEgress {
    checkArguments('NodeEgress.restricted', arguments);
    return new NodeEgress(options ?? {});
  }

  private constructor(private readonly options: RestrictedNodeEgressOptions | undefined) {}

  /**
   * Whether only listed destinations are allowed.
   * @internal
   */
  public get _restricted(): boolean {
    return this.options !== undefined;
  }

  /**
   * The egress rules of the nodes' security group in a VPC of `vpcCidr`, validated.
   * @internal
   */
  public _rules(scope: IConstruct, property: string, vpcCidr: string): RenderedEgressRule[] {
    if (this.options === undefined) {
      return [{ id: 'NodeEgress', cidr: '0.0.0.0/0', protocol: '-1', description: 'Nodes and pods to the control plane, AWS APIs, image registries and data stores' }];
    }
    // Types are checked by NodeEgress.restricted's entry check; values here.
    const httpsToAnywhere = this.options.httpsToAnywhere ?? true;
    const allow = this.options.allow ?? [];
    if (allow.length > MAX_RULES) {
      throw invalid(scope, `${property}.allow`, allow, `a list of at most ${MAX_RULES} rules`);
    }
    const rules: RenderedEgressRule[] = [
      { id: 'NodeEgressToVpc', cidr: vpcCidr, protocol: '-1', description: 'Nodes and pods to the VPC: control plane, nodes, data stores, VPC endpoints' },
    ];
    if (httpsToAnywhere) {
      rules.push({
        id: 'NodeEgressHttps',
        cidr: '0.0.0.0/0',
        protocol: 'tcp',
        fromPort: 443,
        toPort: 443,
        description: 'Nodes and pods to HTTPS anywhere: AWS APIs, image registries',
      });
    }
    const seen = new Set(rules.map(r => key(r)));
    allow.forEach((rule, i) => {
      const rendered = renderRule(scope, `${property}.allow[${i}]`, rule);
      if (seen.has(key(rendered))) {
        throw invalid(scope, `${property}.allow[${i}]`, rule, 'a destination not allowed already (by the VPC rule, HTTPS to anywhere or an earlier rule)');
      }
      seen.add(key(rendered));
      rules.push({ ...rendered, id: `NodeEgressAllow${i + 1}` });
    });
    return rules;
  }

  /**
   * One line for the synth report.
   * @internal
   */
  public _describe(vpcCidr: string): string {
    if (this.options === undefined) { return 'unrestricted: all protocols to 0.0.0.0/0'; }
    const parts = [`all to the VPC (${vpcCidr})`];
    if (this.options.httpsToAnywhere ?? true) { parts.push('HTTPS to 0.0.0.0/0'); }
    for (const rule of this.options.allow ?? []) {
      const ports = rule.port === undefined ? '' : rule.toPort !== undefined && rule.toPort !== rule.port ? ` ${rule.port}-${rule.toPort}` : ` ${rule.port}`;
      parts.push(`${rule.protocol ?? NodeEgressProtocol.TCP}${ports} to ${rule.cidr}`);
    }
    return `restricted: ${parts.join(', ')}`;
  }
}

function renderRule(scope: IConstruct, property: string, rule: NodeEgressRule): Omit<RenderedEgressRule, 'id'> {
  const cidr = parseCidr(rule.cidr);
  if (Token.isUnresolved(rule.cidr) || !cidr || hasHostBits(cidr)) {
    throw invalid(scope, `${property}.cidr`, rule.cidr, 'an IPv4 CIDR block written as its first address, such as "203.0.113.0/24"');
  }
  const protocol = rule.protocol ?? NodeEgressProtocol.TCP;
  const description = rule.description;
  if (description.trim() === '' || description.length > 255 || !/^[\x20-\x7e]+$/.test(description)) {
    throw invalid(scope, `${property}.description`, description, 'a description of 1-255 printable ASCII characters (what security groups accept)');
  }
  if (protocol === NodeEgressProtocol.ALL) {
    if (cidr.prefix === 0) {
      throw invalid(scope, `${property}.cidr`, rule.cidr, 'a narrower range for every protocol (NodeEgress.unrestricted() allows all traffic to anywhere)');
    }
    for (const field of ['port', 'toPort'] as const) {
      if (rule[field] !== undefined) {
        throw invalid(scope, `${property}.${field}`, rule[field], 'no port with NodeEgressProtocol.ALL (it allows every port)');
      }
    }
    return { cidr: rule.cidr, protocol: '-1', description };
  }
  if (rule.port === undefined) {
    throw invalid(scope, `${property}.port`, rule.port, `a port from 1 to 65535 for protocol ${protocol}`);
  }
  validateInteger(scope, `${property}.port`, rule.port, 1, 65535);
  const toPort = rule.toPort ?? rule.port;
  validateInteger(scope, `${property}.toPort`, toPort, rule.port, 65535);
  return { cidr: rule.cidr, protocol, fromPort: rule.port, toPort, description };
}

function key(rule: Omit<RenderedEgressRule, 'id'>): string {
  return `${rule.cidr}|${rule.protocol}|${rule.fromPort ?? ''}|${rule.toPort ?? ''}`;
}
