import { App, Chart } from 'cdk8s';
import { ImagePolicy } from '../../lib/core';
import { WebApp } from '../../lib/k8s';
import { parseImage, validateImage } from '../../lib/k8s/image';
import { devEnvironment, testPlatform } from '../support/synth';

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

describe('image policy', () => {
  test('WARN_UNPINNED accepts latest and untagged images with a warning of the synth report', () => {
    // GIVEN
    const platform = testPlatform();
    const chart = devEnvironment(platform).chart('orders', 'shop');
    // WHEN
    new WebApp(chart, 'WebApp', {
      name: 'orders',
      image: 'ghcr.io/acme/orders:latest',
      imagePolicy: ImagePolicy.WARN_UNPINNED,
      initContainers: [{ name: 'migrate', image: 'ghcr.io/acme/migrate' }],
    });
    // THEN
    expect(platform.warnings).toEqual([
      'dev/shop/orders/WebApp: image: image "ghcr.io/acme/orders:latest" is not pinned (tag "latest"); replicas may run different code '
        + 'and a restart may change it. Pin a tag or digest before it reaches an environment whose image policy is require-pinned',
      'dev/shop/orders/WebApp: initContainers[0].image: image "ghcr.io/acme/migrate" is not pinned (no tag: the runtime pulls "latest"); '
        + 'replicas may run different code and a restart may change it. Pin a tag or digest before it reaches an environment whose image policy is require-pinned',
    ]);
  });

  test('WARN_UNPINNED warns about nothing pinned, and nothing without a construct', () => {
    expect(validateImage('X', 'image', 'app:latest', ImagePolicy.WARN_UNPINNED).tag).toBe('latest');
    const platform = testPlatform();
    new WebApp(devEnvironment(platform).chart('orders', 'shop'), 'WebApp', { name: 'orders', image: 'app:1.0', imagePolicy: ImagePolicy.WARN_UNPINNED });
    expect(platform.warnings).toEqual([]);
  });

  test('REQUIRE_DIGEST accepts only a digest', () => {
    expect(validateImage('X', 'image', `app:1.0@${DIGEST}`, ImagePolicy.REQUIRE_DIGEST).digest).toBe(DIGEST);
    expect(() => validateImage('X', 'image', 'app:1.0', ImagePolicy.REQUIRE_DIGEST))
      .toThrow('X: image: got "app:1.0"; expected an image pinned by a digest');
  });

  test('fails when the policy is unknown', () => {
    expect(() => new WebApp(new Chart(new App(), 'test'), 'orders', { image: 'app:1.0', imagePolicy: 'maybe' as ImagePolicy }))
      .toThrow('test/orders: imagePolicy: got "maybe"; expected one of');
  });
});
