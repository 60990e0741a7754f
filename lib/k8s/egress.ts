import { isIPv4, isIPv6 } from 'net';
import { IntOrString, NetworkPolicyEgressRule, NetworkPolicyIngressRule, NetworkPolicyPeer, NetworkPolicyPort } from 'cdk8s-plus-28/lib/imports/k8s';
import { IConstruct } from 'constructs';
import { EgressRule } from './egress-rule';
import { IngressRule } from './ingress-rule';
import { validateLabels } from './labels';
import { validateLiteral } from './literal';
import { invalid } from '../core/errors';
import { validateDnsLabel, validateInteger } from '../core/validation';

/**
 * The NetworkPolicy egress rule of `rule`; fails on a bad CIDR, namespace, label or port.
 *
 * @param property where the rule sits in the props, e.g. `egress[2]`
 * @internal
 */
export function renderEgressRule(scope: IConstruct, property: string, rule: EgressRule): NetworkPolicyEgressRule {
  if (rule === null || typeof rule !== 'object') {
    throw invalid(scope, property, rule, 'an egress rule: { cidr or namespace, ports }');
  }
  if ((rule.cidr === undefined) === (rule.namespace === undefined)) {
    throw invalid(scope, property, { cidr: rule.cidr, namespace: rule.namespace }, 'exactly one of cidr and namespace');
  }
  const ports = renderPorts(scope, property, rule.ports, rule.protocol);
  let peer: NetworkPolicyPeer;
  if (rule.cidr !== undefined) {
    validateLiteral(scope, `${property}.cidr`, rule.cidr);
    if (!isCidr(rule.cidr)) {
      throw invalid(scope, `${property}.cidr`, rule.cidr, 'an IPv4 or IPv6 range in CIDR notation, e.g. "10.0.0.0/16" or "2001:db8::/32"');
    }
    if (rule.podLabels !== undefined) {
      throw invalid(scope, `${property}.podLabels`, rule.podLabels, 'no podLabels with cidr (pod labels narrow a namespace)');
    }
    peer = { ipBlock: { cidr: rule.cidr } };
  } else {
    peer = namespacePeer(scope, property, rule.namespace!, rule.podLabels);
  }
  return { to: [peer], ports };
}

/**
 * The NetworkPolicy ingress rule of `rule`; fails on a bad namespace, label or port.
 *
 * @param property where the rule is given, e.g. `allowIngressFrom`
 * @internal
 */
export function renderIngressRule(scope: IConstruct, property: string, rule: IngressRule): NetworkPolicyIngressRule {
  if (rule === null || typeof rule !== 'object') {
    throw invalid(scope, property, rule, 'an ingress rule: { namespace, podLabels?, ports }');
  }
  const ports = renderPorts(scope, property, rule.ports, rule.protocol);
  return { from: [namespacePeer(scope, property, rule.namespace, rule.podLabels)], ports };
}

function namespacePeer(scope: IConstruct, property: string, namespace: string, podLabels: { [key: string]: string } | undefined): NetworkPolicyPeer {
  validateDnsLabel(scope, `${property}.namespace`, namespace);
  if (podLabels !== undefined) {
    validateLabels(scope, `${property}.podLabels`, podLabels);
  }
  return {
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
    podSelector: podLabels !== undefined ? { matchLabels: { ...podLabels } } : undefined,
  };
}

function renderPorts(scope: IConstruct, property: string, ports: number[], protocol: string | undefined): NetworkPolicyPort[] {
  if (!Array.isArray(ports) || ports.length === 0) {
    throw invalid(scope, `${property}.ports`, ports, 'at least one port (a rule without ports would open every port)');
  }
  ports.forEach((port, i) => {
    validateLiteral(scope, `${property}.ports[${i}]`, port);
    validateInteger(scope, `${property}.ports[${i}]`, port, 1, 65535);
  });
  const proto = protocol ?? 'TCP';
  if (proto !== 'TCP' && proto !== 'UDP') {
    throw invalid(scope, `${property}.protocol`, protocol, '"TCP" or "UDP"');
  }
  return ports.map(port => ({ protocol: proto, port: IntOrString.fromNumber(port) }));
}

/**
 * One line describing a rule for the synth report, e.g. `10.0.0.0/16 TCP 5432`.
 * @internal
 */
export function describeEgressRule(rule: EgressRule): string {
  const to = rule.cidr ?? (rule.podLabels
    ? `namespace ${rule.namespace} pods ${Object.entries(rule.podLabels).map(([k, v]) => `${k}=${v}`).join(',')}`
    : `namespace ${rule.namespace}`);
  return `${to} ${rule.protocol ?? 'TCP'} ${rule.ports.join(',')}`;
}

/**
 * DNS lookups through the cluster's CoreDNS (`k8s-app: kube-dns` in
 * `kube-system`, the label EKS and kubeadm give it), over UDP and TCP 53.
 * @internal
 */
export function kubeDnsEgressRule(): NetworkPolicyEgressRule {
  return {
    to: [{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
      podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
    }],
    ports: [
      { protocol: 'UDP', port: IntOrString.fromNumber(53) },
      { protocol: 'TCP', port: IntOrString.fromNumber(53) },
    ],
  };
}

/**
 * Whether `value` is an IPv4 or IPv6 range in CIDR notation (host bits may be set, as Kubernetes allows).
 * @internal
 */
export function isCidr(value: string): boolean {
  if (typeof value !== 'string') { return false; }
  const match = /^([^/]+)\/(0|[1-9]\d{0,2})$/.exec(value);
  if (!match) { return false; }
  const prefix = Number(match[2]);
  if (isIPv4(match[1])) { return prefix <= 32; }
  if (isIPv6(match[1])) { return prefix <= 128; }
  return false;
}
