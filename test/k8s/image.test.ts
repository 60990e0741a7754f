import { parseImage, validateImage } from '../../lib/k8s/image';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

describe('parseImage', () => {
  test.each([
    ['nginx:1.27', { repository: 'nginx', tag: '1.27', digest: undefined }],
    ['registry.example.com:5000/team/app:v1.2.3-rc.1', { repository: 'registry.example.com:5000/team/app', tag: 'v1.2.3-rc.1', digest: undefined }],
    [`123456789012.dkr.ecr.eu-central-1.amazonaws.com/shop/orders@${DIGEST}`,
      { repository: '123456789012.dkr.ecr.eu-central-1.amazonaws.com/shop/orders', tag: undefined, digest: DIGEST }],
    [`ghcr.io/a/b_c__d:1@${DIGEST}`, { repository: 'ghcr.io/a/b_c__d', tag: '1', digest: DIGEST }],
    ['app', { repository: 'app', tag: undefined, digest: undefined }],
  ])('splits %s', (image, expected) => {
    expect(parseImage(image)).toEqual(expected);
  });

  test.each([
    'Team/App:1', 'app:', 'app:-1', `app@sha256:${'a'.repeat(63)}`, `app@md5:${'a'.repeat(64)}`, 'app:1 ', '/app:1', 'a//b:1',
    `${'a'.repeat(256)}:1`,
  ])('rejects %s', image => {
    expect(parseImage(image)).toBeUndefined();
  });
});

describe('validateImage', () => {
  test('accepts a pinned tag, a digest, and latest pinned by a digest', () => {
    expect(validateImage('X', 'image', 'app:1.0').tag).toBe('1.0');
    expect(validateImage('X', 'image', `app@${DIGEST}`).digest).toBe(DIGEST);
    expect(validateImage('X', 'image', `app:latest@${DIGEST}`).digest).toBe(DIGEST);
  });

  test('fails when the tag is latest in any case', () => {
    expect(() => validateImage('X', 'image', 'app:LATEST')).toThrow('X: image: got "app:LATEST"; expected a tag other than "latest"');
  });

  test('fails when there is neither tag nor digest', () => {
    expect(() => validateImage('X', 'image', 'app')).toThrow('X: image: got "app"; expected an image with a tag or a digest');
  });

  test('fails when the reference is malformed', () => {
    expect(() => validateImage('X', 'image', 'App:1')).toThrow('X: image: got "App:1"; expected an image reference');
  });
});
