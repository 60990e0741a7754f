import { Size, SizeCatalogue } from '../../lib';

const APP = Size.M.app;

describe('Size', () => {
  test('the four presets grow monotonically', () => {
    const sizes = [Size.S, Size.M, Size.L, Size.XL];
    for (let i = 1; i < sizes.length; i++) {
      expect(sizes[i].database.storageGiB).toBeGreaterThan(sizes[i - 1].database.storageGiB);
      expect(sizes[i].app.cpuRequestMillis).toBeGreaterThan(sizes[i - 1].app.cpuRequestMillis);
      expect(sizes[i].app.maxReplicas).toBeGreaterThan(sizes[i - 1].app.maxReplicas);
    }
  });

  test('M gives concrete values for every capability', () => {
    expect(Size.M.database).toEqual({ instanceClass: 'db.t4g.medium', storageGiB: 50, maxStorageGiB: 200 });
    expect(Size.M.cache).toEqual({ nodeType: 'cache.t4g.small', replicas: 1 });
    expect(Size.M.nodeGroup).toEqual({ instanceTypes: ['m6i.large', 'm5.large'], minSize: 2, maxSize: 6, desiredSize: 3 });
    expect(Size.M.app).toMatchObject({ cpuRequestMillis: 250, cpuLimitMillis: 1000, memoryRequestMiB: 256, memoryLimitMiB: 512 });
  });

  test('custom sizes carry every value given', () => {
    // WHEN
    const size = Size.custom('gpu', { ...Size.L, nodeGroup: { instanceTypes: ['g5.xlarge'], minSize: 0, maxSize: 2, desiredSize: 0 } });
    // THEN
    expect(size.name).toBe('gpu');
    expect(size.nodeGroup.instanceTypes).toEqual(['g5.xlarge']);
    expect(size.database).toEqual(Size.L.database);
  });

  test('extend() replaces only the given capabilities', () => {
    // WHEN
    const size = Size.M.extend('M-highmem', { app: { ...APP, memoryRequestMiB: 2048, memoryLimitMiB: 4096 } });
    // THEN
    expect(size.app.memoryLimitMiB).toBe(4096);
    expect(size.database).toEqual(Size.M.database);
  });

  test('fails when the CPU request is above the limit', () => {
    expect(() => Size.M.extend('bad', { app: { ...APP, cpuRequestMillis: 2000, cpuLimitMillis: 1000 } }))
      .toThrow(/Size bad: app.cpuLimitMillis: got 1000; expected an integer from 2000 to 256000/);
  });

  test('fails when the memory request is above the limit', () => {
    expect(() => Size.M.extend('bad', { app: { ...APP, memoryRequestMiB: 1024, memoryLimitMiB: 512 } }))
      .toThrow(/app.memoryLimitMiB: got 512/);
  });

  test('fails when the ephemeral storage request is above the limit', () => {
    expect(() => Size.M.extend('bad', { app: { ...APP, ephemeralStorageRequestMiB: 1024, ephemeralStorageLimitMiB: 512 } }))
      .toThrow(/app.ephemeralStorageLimitMiB: got 512/);
  });

  test('fails when autoscaling bounds are inverted', () => {
    expect(() => Size.M.extend('bad', { app: { ...APP, minReplicas: 5, maxReplicas: 2 } })).toThrow(/app.maxReplicas: got 2; expected an integer from 5/);
  });

  test('fails when the replica count or utilization is out of range', () => {
    expect(() => Size.M.extend('bad', { app: { ...APP, replicas: 0 } })).toThrow(/app.replicas: got 0/);
    expect(() => Size.M.extend('bad', { app: { ...APP, targetCpuUtilization: 150 } })).toThrow(/app.targetCpuUtilization: got 150/);
    expect(() => Size.M.extend('bad', { app: { ...APP, cpuRequestMillis: 0 } })).toThrow(/app.cpuRequestMillis: got 0/);
    expect(() => Size.M.extend('bad', { app: { ...APP, memoryRequestMiB: 1 } })).toThrow(/app.memoryRequestMiB: got 1/);
    expect(() => Size.M.extend('bad', { app: { ...APP, ephemeralStorageRequestMiB: 0 } })).toThrow(/app.ephemeralStorageRequestMiB: got 0/);
    expect(() => Size.M.extend('bad', { app: { ...APP, minReplicas: 0 } })).toThrow(/app.minReplicas: got 0/);
  });

  test('fails when database storage is out of range or max is below allocated', () => {
    expect(() => Size.M.extend('bad', { database: { instanceClass: 'db.t4g.small', storageGiB: 10, maxStorageGiB: 100 } }))
      .toThrow(/database.storageGiB: got 10; expected an integer from 20 to 65536/);
    expect(() => Size.M.extend('bad', { database: { instanceClass: 'db.t4g.small', storageGiB: 100, maxStorageGiB: 50 } }))
      .toThrow(/database.maxStorageGiB: got 50; expected an integer from 100 to 65536/);
  });

  test('fails when the instance class, node type or instance types are malformed', () => {
    expect(() => Size.M.extend('bad', { database: { ...Size.M.database, instanceClass: 't4g.small' } })).toThrow(/database.instanceClass: got "t4g.small"/);
    expect(() => Size.M.extend('bad', { cache: { nodeType: 'r6g.large', replicas: 1 } })).toThrow(/cache.nodeType: got "r6g.large"/);
    expect(() => Size.M.extend('bad', { cache: { nodeType: 'cache.r6g.large', replicas: 6 } })).toThrow(/cache.replicas: got 6/);
    expect(() => Size.M.extend('bad', { nodeGroup: { ...Size.M.nodeGroup, instanceTypes: [] } })).toThrow(/nodeGroup.instanceTypes: got \[\]/);
  });

  test('fails when node group min > max or desired outside the bounds', () => {
    expect(() => Size.M.extend('bad', { nodeGroup: { instanceTypes: ['m6i.large'], minSize: 5, maxSize: 3, desiredSize: 3 } }))
      .toThrow(/nodeGroup.maxSize: got 3; expected an integer from 5 to 1000/);
    expect(() => Size.M.extend('bad', { nodeGroup: { instanceTypes: ['m6i.large'], minSize: 1, maxSize: 3, desiredSize: 4 } }))
      .toThrow(/nodeGroup.desiredSize: got 4; expected an integer from 1 to 3/);
    expect(() => Size.M.extend('bad', { nodeGroup: { instanceTypes: ['m6i.large'], minSize: -1, maxSize: 3, desiredSize: 1 } }))
      .toThrow(/nodeGroup.minSize: got -1/);
  });

  test('fails when the name is not a short identifier', () => {
    expect(() => Size.M.extend('extra large!', {})).toThrow(/Size: name: got "extra large!"; expected 1-32 letters, digits and dashes/);
  });
});

describe('SizeCatalogue', () => {
  test('defaults hold S, M, L, XL', () => {
    expect(SizeCatalogue.defaults().names).toEqual(['S', 'M', 'L', 'XL']);
  });

  test('platform engineers extend or replace the catalogue', () => {
    // GIVEN
    const highmem = Size.M.extend('M-highmem', {});
    // WHEN
    const extended = SizeCatalogue.defaults().add(highmem);
    const replaced = SizeCatalogue.of([highmem]);
    // THEN
    expect(extended.get('M-highmem')).toBe(highmem);
    expect(extended.all).toHaveLength(5);
    expect(replaced.names).toEqual(['M-highmem']);
  });

  test('fails when a size is unknown, listing the known ones', () => {
    expect(() => SizeCatalogue.defaults().get('XXL', 'prod/orders'))
      .toThrow('prod/orders: size: got "XXL"; expected one of the sizes in the catalogue: S, M, L, XL');
  });
});
