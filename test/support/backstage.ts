import {
  DefaultNamespaceEntityPolicy, Entity, FieldFormatEntityPolicy, NoForeignRootFieldsEntityPolicy, SchemaValidEntityPolicy,
  apiEntityV1alpha1Validator, componentEntityV1alpha1Validator, domainEntityV1alpha1Validator, groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator, parseEntityRef, resourceEntityV1alpha1Validator, stringifyEntityRef, systemEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import { templateEntityV1beta3Validator } from '@backstage/plugin-scaffolder-common';

/*
 * Checks Backstage entities with @backstage/catalog-model's own validators,
 * the ones the catalog runs when it ingests a file: the envelope schema,
 * the default namespace, field formats, no foreign root fields, and the
 * kind's schema (the scaffolder's for Templates). Then every reference
 * between the entities must name one of them.
 */
const KIND_VALIDATORS = [
  apiEntityV1alpha1Validator, componentEntityV1alpha1Validator, domainEntityV1alpha1Validator, groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator, resourceEntityV1alpha1Validator, systemEntityV1alpha1Validator, templateEntityV1beta3Validator,
];
const POLICIES = [
  new SchemaValidEntityPolicy(), new DefaultNamespaceEntityPolicy(), new NoForeignRootFieldsEntityPolicy(), new FieldFormatEntityPolicy(),
];

/** Fails with the entity and the validator's message when Backstage would refuse it. */
export async function validateEntity(entity: Entity): Promise<void> {
  const where = `${entity.kind} ${entity.metadata?.namespace ?? 'default'}/${entity.metadata?.name}`;
  let current: Entity | undefined = JSON.parse(JSON.stringify(entity));
  for (const policy of POLICIES) {
    try {
      current = await policy.enforce(current!);
    } catch (e: any) {
      throw new Error(`${where}: ${e.message}`);
    }
  }
  const results: boolean[] = [];
  for (const validator of KIND_VALIDATORS) {
    try {
      results.push(await validator.check(current!));
    } catch (e: any) {
      throw new Error(`${where}: ${e.message}`);
    }
  }
  if (!results.includes(true)) { throw new Error(`${where}: no Backstage validator knows kind ${entity.kind} (${entity.apiVersion})`); }
}

/** Fields holding references, with the kind a reference without one defaults to. */
const REFERENCES: [string, string | undefined][] = [
  ['owner', 'group'], ['system', 'system'], ['domain', 'domain'], ['parent', 'group'], ['children', 'group'],
  ['dependsOn', undefined], ['providesApis', 'api'], ['consumesApis', 'api'], ['subcomponentOf', 'component'],
];

/** The references of `entities` that name no entity among them. */
export function unresolvedReferences(entities: Entity[]): string[] {
  const known = new Set(entities.map(e => stringifyEntityRef(e)));
  const missing: string[] = [];
  for (const e of entities) {
    for (const [field, defaultKind] of REFERENCES) {
      const value = (e.spec as any)?.[field];
      for (const ref of (Array.isArray(value) ? value : value === undefined ? [] : [value])) {
        const parsed = parseEntityRef(ref, { defaultKind, defaultNamespace: e.metadata.namespace ?? 'default' });
        const full = stringifyEntityRef(parsed);
        if (!known.has(full)) { missing.push(`${stringifyEntityRef(e)} spec.${field}: ${ref}`); }
      }
    }
  }
  return missing;
}
