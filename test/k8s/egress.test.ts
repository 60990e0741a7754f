import { App, Chart } from 'cdk8s';
import { describeEgressRule, isCidr, kubeDnsEgressRule, renderEgressRule } from '../../lib/k8s/egress';

const scope = new Chart(new App(), 'test');

describe('isCidr', () => {
  test.each(['10.0.0.0/16', '0.0.0.0/0', '169.254.170.23/32', '10.0.0.1/16', '::/0', 'fd00:ec2::23/128', '2001:db8::/32'])('accepts %s', cidr => {
    expect(isCidr(cidr)).toBe(true);
  });
  test.each(['10.0.0.0', '10.0.0.0/33', '10.0.0.256/8', '010.0.0.0/8', '10.0.0.0/08', '::/129', 'example.com/24', ''])('rejects %s', cidr => {
    expect(isCidr(cidr)).toBe(false);
  });
});

describe('renderEgressRule', () => {
  test('renders a CIDR rule on TCP ports', () => {
    expect(JSON.parse(JSON.stringify(renderEgressRule(scope, 'egress[0]', { cidr: '10.0.0.0/16', ports: [5432, 6379] }))))
      .toEqual({ to: [{ ipBlock: { cidr: '10.0.0.0/16' } }], ports: [{ protocol: 'TCP', port: { value: 5432 } }, { protocol: 'TCP', port: { value: 6379 } }] });
  });

  test('fails when a port is out of range', () => {
    expect(() => renderEgressRule(scope, 'egress[0]', { cidr: '10.0.0.0/16', ports: [0] }))
      .toThrow('test: egress[0].ports[0]: got 0; expected an integer from 1 to 65535');
  });

  test('fails when pod labels come with a CIDR', () => {
    expect(() => renderEgressRule(scope, 'egress[0]', { cidr: '10.0.0.0/16', podLabels: { a: 'b' }, ports: [80] }))
      .toThrow('test: egress[0].podLabels: got {"a":"b"}; expected no podLabels with cidr');
  });

  test('fails when neither CIDR nor namespace is given', () => {
    expect(() => renderEgressRule(scope, 'egress[0]', { ports: [80] }))
      .toThrow('test: egress[0]: got {}; expected exactly one of cidr and namespace');
  });

  test('fails when the namespace or a pod label is malformed', () => {
    expect(() => renderEgressRule(scope, 'egress[0]', { namespace: 'Payments', ports: [80] }))
      .toThrow('test: egress[0].namespace: got "Payments"');
    expect(() => renderEgressRule(scope, 'egress[0]', { namespace: 'payments', podLabels: { app: 'a b' }, ports: [80] }))
      .toThrow('test: egress[0].podLabels.app: got "a b"; expected a label value');
  });
});

describe('describeEgressRule', () => {
  test('says where and which ports', () => {
    expect(describeEgressRule({ cidr: '10.0.0.0/16', ports: [5432] })).toBe('10.0.0.0/16 TCP 5432');
    expect(describeEgressRule({ namespace: 'payments', ports: [80, 443] })).toBe('namespace payments TCP 80,443');
    expect(describeEgressRule({ namespace: 'payments', podLabels: { app: 'pay' }, ports: [80] })).toBe('namespace payments pods app=pay TCP 80');
  });
});

describe('kubeDnsEgressRule', () => {
  test('allows CoreDNS in kube-system over UDP and TCP 53', () => {
    const rule = kubeDnsEgressRule();
    expect(rule.to).toEqual([{
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
      podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
    }]);
    expect(rule.ports!.map(p => `${p.protocol}/${p.port!.value}`)).toEqual(['UDP/53', 'TCP/53']);
  });
});
