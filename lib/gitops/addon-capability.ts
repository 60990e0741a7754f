import { checkArguments } from '../core/api-guard';
import { invalid } from '../core/errors';
import { isDnsSubdomain, isQualifiedName } from '../k8s/labels';

/**
 * Something an addon serves in a cluster: the kinds of an API group it
 * installs (CRDs and their controller), one kind it makes work, an
 * IngressClass, or an annotation it acts on.
 *
 * paved checks every object it delivers to a cluster against the
 * capabilities of the cluster's addons: an object of a kind no addon serves
 * (a ScaledObject without KEDA), an Ingress of a class no addon serves, or
 * an annotation only a disabled addon acts on fails synthesis.
 */
export class AddonCapability {
  /** Every kind of an API group, e.g. `keda.sh`: the addon installs its CRDs and runs their controller. */
  public static apiGroup(group: string): AddonCapability {
    checkArguments('AddonCapability.apiGroup', arguments);
    if (typeof group !== 'string' || !isDnsSubdomain(group) || !group.includes('.')) {
      throw invalid('AddonCapability.apiGroup', 'group', group, 'an API group with a dot, such as "keda.sh" (the core and built-in groups need no addon)');
    }
    return new AddonCapability('apiGroup', group, undefined, `API group ${group}`);
  }

  /**
   * One kind of an API group, e.g. `autoscaling` `HorizontalPodAutoscaler`:
   * the addon makes objects of that kind work (metrics-server serves the
   * resource metrics an autoscaler reads). Use `''` for the core group.
   */
  public static kind(apiGroup: string, kind: string): AddonCapability {
    checkArguments('AddonCapability.kind', arguments);
    if (typeof apiGroup !== 'string' || (apiGroup !== '' && !isDnsSubdomain(apiGroup))) {
      throw invalid('AddonCapability.kind', 'apiGroup', apiGroup, 'an API group such as "autoscaling", or "" for the core group');
    }
    if (typeof kind !== 'string' || !/^[A-Z][A-Za-z0-9]*$/.test(kind)) {
      throw invalid('AddonCapability.kind', 'kind', kind, 'a kind such as "HorizontalPodAutoscaler"');
    }
    return new AddonCapability('kind', apiGroup, kind, `kind ${apiGroup ? `${apiGroup}/` : ''}${kind}`);
  }

  /** An IngressClass the addon's controller serves, e.g. `alb`. */
  public static ingressClass(name: string): AddonCapability {
    checkArguments('AddonCapability.ingressClass', arguments);
    if (typeof name !== 'string' || !isDnsSubdomain(name)) {
      throw invalid('AddonCapability.ingressClass', 'name', name, 'an IngressClass name (a DNS-1123 subdomain)');
    }
    return new AddonCapability('ingressClass', name, undefined, `IngressClass ${name}`);
  }

  /** An annotation the addon acts on, e.g. `secret.reloader.stakater.com/reload`. */
  public static annotation(key: string): AddonCapability {
    checkArguments('AddonCapability.annotation', arguments);
    if (typeof key !== 'string' || !isQualifiedName(key)) {
      throw invalid('AddonCapability.annotation', 'key', key, 'an annotation key ([prefix/]name)');
    }
    return new AddonCapability('annotation', key, undefined, `annotation ${key}`);
  }

  /** What the capability is, for messages: `API group keda.sh`, `IngressClass alb`. */
  public readonly description: string;
  /** @internal */
  public readonly _type: 'apiGroup' | 'kind' | 'ingressClass' | 'annotation';
  /** @internal */
  public readonly _value: string;
  /** @internal */
  public readonly _kind?: string;

  private constructor(type: 'apiGroup' | 'kind' | 'ingressClass' | 'annotation', value: string, kind: string | undefined, description: string) {
    this._type = type;
    this._value = value;
    this._kind = kind;
    this.description = description;
  }

  /**
   * Tells whether this capability serves `need`: the same capability, or an
   * API group serving a kind of that group.
   * @internal
   */
  public _serves(need: AddonCapability): boolean {
    if (this._type === 'apiGroup' && need._type === 'kind') { return this._value === need._value; }
    return this._type === need._type && this._value === need._value && this._kind === need._kind;
  }
}
