import { Size } from '../../lib/core';
import { mebibytes, millicores, resourceRequirements } from '../../lib/k8s/quantities';

describe('quantities', () => {
  test('writes millicores and mebibytes', () => {
    expect(millicores(250)).toBe('250m');
    expect(mebibytes(512)).toBe('512Mi');
  });

  test('requests and limits every resource of a size', () => {
    const r = resourceRequirements(Size.XL.app);
    const values = (m: any) => Object.fromEntries(Object.entries(m).map(([k, q]: [string, any]) => [k, q.value]));
    expect(values(r.requests)).toEqual({ 'cpu': '1000m', 'memory': '1024Mi', 'ephemeral-storage': '512Mi' });
    expect(values(r.limits)).toEqual({ 'cpu': '4000m', 'memory': '2048Mi', 'ephemeral-storage': '2048Mi' });
  });
});
