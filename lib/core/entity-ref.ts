import { invalid } from './errors';

/*
 * Backstage entity references (`[<kind>:][<namespace>/]<name>`), checked
 * with the rules of @backstage/catalog-model's default validators, so an
 * owner named on a tenant is a reference the catalog accepts.
 */

/** Entity names: 1-63 letters and digits, single `-`, `_` or `.` between them. */
const NAME = /^[A-Za-z0-9]([-_.]?[A-Za-z0-9])*$/;
/** Namespaces: DNS labels. */
const NAMESPACE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const KIND = /^[A-Za-z][A-Za-z0-9]*$/;

/** A parsed entity reference, kind lowercased. @internal */
export interface EntityRef {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

/**
 * Parses `ref` as a reference to an entity of kind `kind` (lowercase, the
 * default when the reference names none); fails with paved's usual error.
 * @internal
 */
export function parseEntityRef(scope: string, property: string, ref: unknown, kind: string): EntityRef {
  const allowed = `a Backstage entity reference to a ${kind}: [${kind}:][<namespace>/]<name>, e.g. "${kind}:default/shop-team" `
    + '(name: 1-63 letters and digits, single "-", "_" or "." between them; namespace: a DNS label)';
  if (typeof ref !== 'string') { throw invalid(scope, property, ref, allowed); }
  const colon = ref.indexOf(':');
  const givenKind = colon >= 0 ? ref.slice(0, colon) : kind;
  const rest = colon >= 0 ? ref.slice(colon + 1) : ref;
  const slash = rest.indexOf('/');
  const namespace = slash >= 0 ? rest.slice(0, slash) : 'default';
  const name = slash >= 0 ? rest.slice(slash + 1) : rest;
  const ok = KIND.test(givenKind) && givenKind.toLowerCase() === kind
    && namespace.length <= 63 && NAMESPACE.test(namespace)
    && name.length <= 63 && NAME.test(name);
  if (!ok) { throw invalid(scope, property, ref, allowed); }
  return { kind, namespace, name };
}

/** `kind:namespace/name`. @internal */
export function formatEntityRef(ref: EntityRef): string {
  return `${ref.kind}:${ref.namespace}/${ref.name}`;
}
