import { PodSecurityContext, SecurityContext, Volume, VolumeMount } from 'cdk8s-plus-28/lib/imports/k8s';
import { IConstruct } from 'constructs';
import { validateInteger } from '../core/validation';

/**
 * Lowest user and group id paved runs containers as. Ids below 10000 may
 * coincide with users of the node (checkov CKV_K8S_40), where a container
 * escape would gain their rights.
 * @internal
 */
export const MIN_RUN_AS_ID = 10000;
/** @internal */
export const MAX_RUN_AS_ID = 2147483647;
/**
 * Default user and group id of containers.
 * @internal
 */
export const DEFAULT_RUN_AS_ID = 10001;
/** @internal */
export const TMP_VOLUME_NAME = 'tmp';

/**
 * Fails unless `value` is a user or group id from 10000 to 2^31-1.
 * @internal
 */
export function validateRunAsId(scope: IConstruct | string, property: string, value: number): void {
  validateInteger(scope, property, value, MIN_RUN_AS_ID, MAX_RUN_AS_ID);
}

/**
 * Pod-level security context of the "restricted" Pod Security Standard.
 * `fsGroup` makes projected files (service account and EKS Pod Identity
 * tokens) readable by the non-root user.
 * @internal
 */
export function restrictedPodSecurityContext(user: number, group: number): PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: user,
    runAsGroup: group,
    fsGroup: group,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/**
 * Container-level security context of the "restricted" Pod Security
 * Standard, with a read-only root filesystem. Repeats the pod's user and
 * seccomp settings so the container stays restricted when moved into
 * another pod spec.
 * @internal
 */
export function restrictedContainerSecurityContext(user: number, group: number): SecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: user,
    runAsGroup: group,
    privileged: false,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/**
 * The writable `/tmp` a read-only root filesystem still needs (most
 * runtimes and libraries write temporary files). Its usage counts against
 * the container's ephemeral-storage limit.
 * @internal
 */
export function tmpVolume(): Volume {
  return { name: TMP_VOLUME_NAME, emptyDir: {} };
}

/** @internal */
export function tmpVolumeMount(): VolumeMount {
  return { name: TMP_VOLUME_NAME, mountPath: '/tmp' };
}
