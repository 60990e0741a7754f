import { Quantity, ResourceRequirements } from 'cdk8s-plus-28/lib/imports/k8s';
import { AppSize } from '../core/size';

/**
 * CPU quantity in millicores, e.g. `250m`.
 * @internal
 */
export function millicores(value: number): string {
  return `${value}m`;
}

/**
 * Memory or storage quantity in mebibytes, e.g. `256Mi`.
 * @internal
 */
export function mebibytes(value: number): string {
  return `${value}Mi`;
}

/**
 * Requests and limits for cpu, memory and ephemeral-storage from a size.
 * Ephemeral storage is bounded too: an unbounded container can fill the
 * node's disk (logs, `/tmp`) and get every pod on the node evicted.
 * @internal
 */
export function resourceRequirements(app: AppSize): ResourceRequirements {
  return {
    requests: {
      'cpu': Quantity.fromString(millicores(app.cpuRequestMillis)),
      'memory': Quantity.fromString(mebibytes(app.memoryRequestMiB)),
      'ephemeral-storage': Quantity.fromString(mebibytes(app.ephemeralStorageRequestMiB)),
    },
    limits: {
      'cpu': Quantity.fromString(millicores(app.cpuLimitMillis)),
      'memory': Quantity.fromString(mebibytes(app.memoryLimitMiB)),
      'ephemeral-storage': Quantity.fromString(mebibytes(app.ephemeralStorageLimitMiB)),
    },
  };
}

/** A Kubernetes quantity: a non-negative decimal number and an optional SI, binary or exponent suffix. */
const QUANTITY = /^(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d{1,3})?$/;
const SUFFIXES: { [suffix: string]: number } = {
  'Ki': 2 ** 10,
  'Mi': 2 ** 20,
  'Gi': 2 ** 30,
  'Ti': 2 ** 40,
  'Pi': 2 ** 50,
  'Ei': 2 ** 60,
  'n': 1e-9,
  'u': 1e-6,
  'm': 1e-3,
  '': 1,
  'k': 1e3,
  'M': 1e6,
  'G': 1e9,
  'T': 1e12,
  'P': 1e15,
  'E': 1e18,
};

/**
 * A quantity as Kubernetes writes it: Score's upper-case `K` (kilo) becomes
 * the `k` Kubernetes expects; everything else is returned unchanged.
 * @internal
 */
export function normalizeQuantity(value: string): string {
  return typeof value === 'string' ? value.replace(/^(\d+(?:\.\d*)?|\.\d+)K$/, '$1k') : value;
}

/**
 * The value of a Kubernetes quantity (cores for cpu, bytes for memory), or
 * undefined when `value` is not one.
 * @internal
 */
export function parseQuantity(value: string): number | undefined {
  const match = typeof value === 'string' ? QUANTITY.exec(normalizeQuantity(value)) : null;
  if (!match) { return undefined; }
  const suffix = match[2] ?? '';
  const factor = /^[eE]/.test(suffix) ? 10 ** Number(suffix.slice(1)) : SUFFIXES[suffix];
  return Number(match[1]) * factor;
}
