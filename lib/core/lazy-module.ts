/**
 * The module `id`, loaded when one of its exports is first read.
 *
 * paved's constructs reach the Terraform providers' classes (AWS,
 * Kubernetes, Helm) through it, so `require('paved')` (and `import paved`)
 * does not load the ~80 provider modules a program may never use; each is
 * loaded when the first construct that creates its resource is made.
 * Imports used only as types are `import type` and emit nothing
 * (bench/tools/codemod-lazy-providers.js rewrites eager imports).
 * yaml and the RDS certificate bundle load the same way, when the first
 * YAML is written or read and the first data store is made.
 *
 * @param id module to require, resolved from paved's own location
 * @internal
 */
export function lazyModule<T extends object>(id: string): T {
  let loaded: T | undefined;
  return new Proxy({} as T, {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading on first use is the point
    get: (_target, property) => (loaded ??= require(id) as T)[property as keyof T],
  });
}
