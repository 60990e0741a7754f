import { AddonCapability } from '../../lib';

describe('AddonCapability', () => {
  test('describes what it serves', () => {
    expect(AddonCapability.apiGroup('keda.sh').description).toBe('API group keda.sh');
    expect(AddonCapability.kind('autoscaling', 'HorizontalPodAutoscaler').description).toBe('kind autoscaling/HorizontalPodAutoscaler');
    expect(AddonCapability.kind('', 'Service').description).toBe('kind Service');
    expect(AddonCapability.ingressClass('alb').description).toBe('IngressClass alb');
    expect(AddonCapability.annotation('secret.reloader.stakater.com/reload').description).toBe('annotation secret.reloader.stakater.com/reload');
  });

  test('an API group serves every kind of that group, and nothing else', () => {
    const group = AddonCapability.apiGroup('keda.sh');
    expect(group._serves(AddonCapability.kind('keda.sh', 'ScaledObject'))).toBe(true);
    expect(group._serves(AddonCapability.kind('keda.sh', 'TriggerAuthentication'))).toBe(true);
    expect(group._serves(AddonCapability.kind('monitoring.coreos.com', 'ServiceMonitor'))).toBe(false);
    expect(group._serves(AddonCapability.annotation('keda.sh/paused'))).toBe(false);
  });

  test('a kind, class or annotation serves exactly itself', () => {
    expect(AddonCapability.kind('autoscaling', 'HorizontalPodAutoscaler')._serves(AddonCapability.kind('autoscaling', 'HorizontalPodAutoscaler'))).toBe(true);
    expect(AddonCapability.kind('autoscaling', 'HorizontalPodAutoscaler')._serves(AddonCapability.kind('apps', 'HorizontalPodAutoscaler'))).toBe(false);
    expect(AddonCapability.ingressClass('alb')._serves(AddonCapability.ingressClass('alb'))).toBe(true);
    expect(AddonCapability.ingressClass('alb')._serves(AddonCapability.ingressClass('nginx'))).toBe(false);
    expect(AddonCapability.annotation('a.io/b')._serves(AddonCapability.annotation('a.io/b'))).toBe(true);
    expect(AddonCapability.annotation('a.io/b')._serves(AddonCapability.ingressClass('a.io'))).toBe(false);
  });

  test('fails when an API group is a built-in one or malformed', () => {
    expect(() => AddonCapability.apiGroup('apps')).toThrow(
      'AddonCapability.apiGroup: group: got "apps"; expected an API group with a dot, such as "keda.sh" (the core and built-in groups need no addon)');
    expect(() => AddonCapability.apiGroup('Keda.sh')).toThrow('AddonCapability.apiGroup: group: got "Keda.sh"');
  });

  test('fails when a kind or its group is malformed', () => {
    expect(() => AddonCapability.kind('autoscaling', 'horizontalPodAutoscaler'))
      .toThrow('AddonCapability.kind: kind: got "horizontalPodAutoscaler"; expected a kind such as "HorizontalPodAutoscaler"');
    expect(() => AddonCapability.kind('Auto_scaling', 'HorizontalPodAutoscaler'))
      .toThrow('AddonCapability.kind: apiGroup: got "Auto_scaling"; expected an API group such as "autoscaling", or "" for the core group');
  });

  test('fails when an IngressClass or annotation key is malformed', () => {
    expect(() => AddonCapability.ingressClass('ALB')).toThrow('AddonCapability.ingressClass: name: got "ALB"; expected an IngressClass name');
    expect(() => AddonCapability.annotation('a b')).toThrow('AddonCapability.annotation: key: got "a b"; expected an annotation key ([prefix/]name)');
  });
});
