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
