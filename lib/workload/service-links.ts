import { IConstruct } from 'constructs';
import { Environment } from '../core/environment';
import { invalid } from '../core/errors';
import { LookupKey } from '../core/lookup';
import { EgressRule } from '../k8s/egress-rule';
import { IngressRule } from '../k8s/ingress-rule';
import { selectorLabels } from '../k8s/labels';
import { ServicePort } from '../k8s/service-port';

/*
 * `service` resources: one workload calling another's Service. A link to a
 * workload declared earlier resolves at once; one to a workload declared
 * later assumes the caller's tenant (and the port number, when one is
 * given), and resolves when that workload is declared. Links still
 * unresolved at synth fail validation. Resolving a link admits the
 * connection in both NetworkPolicies: the caller's egress and the target's
 * ingress, on the port linked, or on every port of the target's Service
 * when the link names none (the caller uses only the Service's name).
 */

/** A workload as service links see it. @internal */
export interface LinkedWorkload extends IConstruct {
  readonly name: string;
  readonly tenant: string;
  /** The ports of its Service, `http` first. */
  readonly ports: ServicePort[];
  /** Lets its pods reach `rule`'s destination (now, or once its app exists); returns how to undo it. */
  _allowEgressTo(rule: EgressRule): () => void;
  /** Admits `rule`'s callers; returns how to undo it. */
  _allowIngressFrom(rule: IngressRule): () => void;
}

/** A `service` resource of a workload. */
interface ServiceLink {
  readonly caller: LinkedWorkload;
  readonly resourceName: string;
  readonly target: string;
  /** Tenant and port assumed when the target was not declared yet; no port: every port of the target's Service. */
  readonly tenant: string;
  readonly port?: number;
  resolved: boolean;
}

/** The workloads of an environment, in the order declared. @internal */
export const WORKLOADS = new LookupKey<LinkedWorkload>('workloads');
const LINKS = new LookupKey<ServiceLink>('service-links');
/** The workloads of an environment of one name, whatever their tenant. */
function named(name: string): LookupKey<LinkedWorkload> {
  return new LookupKey<LinkedWorkload>(`workloads-named-${name}`);
}

/**
 * Registers `workload` for the links that name it, and resolves the links
 * declared before it.
 * @internal
 */
export function declareLinkTarget(env: Environment, workload: LinkedWorkload): void {
  env._lookup.add(WORKLOADS, workload);
  env._lookup.add(named(workload.name), workload);
  for (const link of env._lookup.list(LINKS)) {
    if (link.target === workload.name && !link.resolved && problems(env, link).length === 0) {
      resolve(env, link, workload);
    }
  }
}

/**
 * The workload `name` a caller of `tenant` means: the one of its own
 * tenant, else the only one of that name in the environment.
 * @internal
 */
export function findWorkload(env: Environment, tenant: string, name: string): LinkedWorkload | undefined {
  const candidates = env._lookup.list(named(name));
  return candidates.find(w => w.tenant === tenant) ?? (candidates.length === 1 ? candidates[0] : undefined);
}

/**
 * Links `caller`'s resource `resourceName` to the Service of workload
 * `target`; returns the tenant and port the link assumes (no port: every
 * port of the Service, whose number the caller does not need).
 * @param requested the port as requested: a name, a number, or undefined (the only port, else every port)
 * @internal
 */
export function linkService(env: Environment, caller: LinkedWorkload, resourceName: string, target: string,
  requested: string | number | undefined): { tenant: string; port?: number } {
  const property = `resources.${resourceName}.params`;
  const candidates = env._lookup.list(named(target));
  const existing = findWorkload(env, caller.tenant, target);
  if (!existing && candidates.length > 1) {
    throw invalid(caller, `${property}.workload`, target,
      `a workload of tenant "${caller.tenant}", or one whose name no other tenant uses: "${target}" is a workload of tenants `
      + `${candidates.map(c => c.tenant).join(', ')}`);
  }
  let link: ServiceLink;
  if (existing) {
    if (existing.ports.length === 0) {
      throw invalid(caller, `${property}.workload`, target, `a workload with a Service: "${target}" has none (only a web workload has one)`);
    }
    const port = findPort(caller, property, existing, requested);
    link = { caller, resourceName, target, tenant: existing.tenant, port: port?.port, resolved: false };
    env._lookup.add(LINKS, link);
    resolve(env, link, existing);
  } else {
    if (requested !== undefined && typeof requested !== 'number') {
      throw invalid(caller, `${property}.port`, requested,
        `a port number, or none: workload "${target}" is not declared yet, so its port names are unknown (declare it first, or give the port number)`);
    }
    link = { caller, resourceName, target, tenant: caller.tenant, port: requested, resolved: false };
    env._lookup.add(LINKS, link);
  }
  caller.node.addValidation({ validate: () => problems(env, link) });
  return { tenant: link.tenant, port: link.port };
}

function problems(env: Environment, link: ServiceLink): string[] {
  const where = `resources.${link.resourceName}`;
  const target = findWorkload(env, link.tenant, link.target);
  if (!target) {
    const workloads = env._lookup.list(WORKLOADS).map(w => w.name);
    return [`${where}: service "${link.target}" is not a workload of this synth (workloads of ${env.name}: ${workloads.join(', ') || 'none'})`];
  }
  if (target.tenant !== link.tenant) {
    return [`${where}: workload "${link.target}" is in tenant "${target.tenant}", not "${link.tenant}" as assumed when "${link.caller.name}" `
      + `was declared before it; declare "${link.target}" first`];
  }
  if (target.ports.length === 0) {
    return [`${where}: workload "${link.target}" has no Service (only a web workload has one)`];
  }
  if (link.port !== undefined && !target.ports.some(p => p.port === link.port)) {
    return [`${where}: workload "${link.target}" has no Service port ${link.port} (ports: ${target.ports.map(p => `${p.name} ${p.port}`).join(', ')})`];
  }
  return [];
}

function resolve(env: Environment, link: ServiceLink, target: LinkedWorkload): void {
  const linked = link.port !== undefined ? target.ports.filter(p => p.port === link.port) : target.ports;
  const undos: (() => void)[] = [];
  // One rule per protocol: a NetworkPolicy rule's ports share the peers, not the protocol.
  for (const protocol of [...new Set(linked.map(p => p.protocol ?? 'TCP'))]) {
    const ports = [...new Set(linked.filter(p => (p.protocol ?? 'TCP') === protocol).map(p => p.targetPort ?? p.port))];
    undos.push(link.caller._allowEgressTo({ namespace: target.tenant, podLabels: selectorLabels(target.name), ports, protocol }));
    undos.push(target._allowIngressFrom({ namespace: link.caller.tenant, podLabels: selectorLabels(link.caller.name), ports, protocol }));
  }
  link.resolved = true;
  env._lookup.onRollback(() => {
    undos.reverse().forEach(undo => undo());
    link.resolved = false;
  });
}

/** The port `requested` of `target`'s Service; its only port when none is requested; undefined (every port) for several. */
function findPort(caller: LinkedWorkload, property: string, target: LinkedWorkload, requested: string | number | undefined): ServicePort | undefined {
  const ports = target.ports;
  if (requested === undefined) { return ports.length === 1 ? ports[0] : undefined; }
  const port = ports.find(p => p.name === requested || p.port === requested);
  if (!port) {
    throw invalid(caller, `${property}.port`, requested, `a port of workload "${target.name}": ${ports.map(p => `${p.name} (${p.port})`).join(', ')}`);
  }
  return port;
}
