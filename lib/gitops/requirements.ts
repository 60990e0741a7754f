import { Addon } from './addon';
import { AddonCapability } from './addon-capability';

/**
 * API groups that need no addon: Kubernetes' own, Argo CD's (the bootstrap
 * installs it) and those of the EKS add-ons every paved cluster has (VPC
 * CNI, EBS CSI driver).
 */
const BUILT_IN_GROUPS = new Set([
  '', 'apps', 'batch', 'autoscaling', 'policy', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'discovery.k8s.io',
  'events.k8s.io', 'storage.k8s.io', 'scheduling.k8s.io', 'coordination.k8s.io', 'node.k8s.io', 'admissionregistration.k8s.io',
  'apiextensions.k8s.io', 'apiregistration.k8s.io', 'certificates.k8s.io', 'flowcontrol.apiserver.k8s.io', 'resource.k8s.io',
  'argoproj.io', 'crd.k8s.amazonaws.com', 'vpcresources.k8s.aws', 'networking.k8s.aws',
]);

/** Objects delivered to a cluster from one file. @internal */
export interface DeliveredFile {
  readonly file: string;
  readonly objects: any[];
}

/** An object nothing in the cluster would serve. @internal */
export interface UnservedObject {
  readonly object: string;
  readonly need: AddonCapability;
  /** The addon of paved's catalogue that serves it, when there is one. */
  readonly suggestion?: Addon;
}

/**
 * The objects of `files` that need a capability no addon of `enabled`
 * provides. An object needs: the API group or kind of a CRD (any group but
 * the built-in ones); a built-in kind that an addon of `catalogue` claims
 * (a HorizontalPodAutoscaler needs metrics-server); its Ingress class; each
 * annotation (on it or its pod template) an addon of `catalogue` claims.
 * @internal
 */
export function unservedObjects(files: DeliveredFile[], enabled: Addon[], catalogue: Addon[]): UnservedObject[] {
  const provided = enabled.flatMap(a => a.capabilities);
  const known = [...catalogue, ...enabled];
  const claimed = (need: AddonCapability) => known.some(a => a.capabilities.some(c => c._serves(need)));
  const found: UnservedObject[] = [];
  for (const { file, objects } of files) {
    for (const object of objects) {
      for (const need of needsOf(object)) {
        const builtIn = need._type === 'kind' && BUILT_IN_GROUPS.has(need._value);
        if ((builtIn || need._type === 'annotation') && !claimed(need)) { continue; }
        if (provided.some(c => c._serves(need))) { continue; }
        const namespace = object.metadata?.namespace ? `${object.metadata.namespace}/` : '';
        found.push({
          object: `${object.kind} ${namespace}${object.metadata?.name} (${file})`,
          need,
          suggestion: catalogue.find(a => a.capabilities.some(c => c._serves(need))),
        });
      }
    }
  }
  return found;
}

function needsOf(object: any): AddonCapability[] {
  const apiVersion: string = typeof object?.apiVersion === 'string' ? object.apiVersion : '';
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  const needs: AddonCapability[] = [];
  try {
    needs.push(AddonCapability.kind(group, object?.kind));
  } catch {
    // Not a kind paved could look up: the schema checks report the object.
  }
  if (group === 'networking.k8s.io' && object.kind === 'Ingress') {
    const className = object.spec?.ingressClassName ?? object.metadata?.annotations?.['kubernetes.io/ingress.class'];
    if (typeof className === 'string') { needs.push(AddonCapability.ingressClass(className)); }
  }
  const annotations = { ...object?.metadata?.annotations, ...object?.spec?.template?.metadata?.annotations };
  for (const key of Object.keys(annotations)) {
    try {
      needs.push(AddonCapability.annotation(key));
    } catch {
      // Not a valid key: the schema checks report it; it names no addon.
    }
  }
  return needs;
}
