import {
  restrictedContainerSecurityContext, restrictedPodSecurityContext, tmpVolume, tmpVolumeMount, validateRunAsId,
} from '../../lib/k8s/container-security';

describe('container security', () => {
  test('the pod context is non-root with RuntimeDefault seccomp and the group as fsGroup', () => {
    expect(restrictedPodSecurityContext(10002, 10003)).toEqual({
      runAsNonRoot: true, runAsUser: 10002, runAsGroup: 10003, fsGroup: 10003, seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  test('the container context drops everything and keeps the root filesystem read-only', () => {
    expect(restrictedContainerSecurityContext(10002, 10003)).toEqual({
      runAsNonRoot: true,
      runAsUser: 10002,
      runAsGroup: 10003,
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  test('/tmp is an emptyDir', () => {
    expect(tmpVolume()).toEqual({ name: 'tmp', emptyDir: {} });
    expect(tmpVolumeMount()).toEqual({ name: 'tmp', mountPath: '/tmp' });
  });

  test('fails when a user or group id is below 10000 or above 2^31-1', () => {
    expect(() => validateRunAsId('X', 'runAsUser', 9999)).toThrow('X: runAsUser: got 9999; expected an integer from 10000 to 2147483647');
    expect(() => validateRunAsId('X', 'runAsGroup', 2 ** 31)).toThrow('X: runAsGroup: got 2147483648');
    expect(() => validateRunAsId('X', 'runAsUser', 10000)).not.toThrow();
  });
});
