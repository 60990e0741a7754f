import { Resource, Size } from '../../lib';

describe('Resource', () => {
  test.each([
    ['postgres', Resource.postgres()],
    ['mysql', Resource.mysql()],
    ['queue', Resource.queue()],
    ['s3', Resource.s3()],
    ['redis', Resource.redis()],
    ['dns', Resource.dns()],
    ['acme-kafka', Resource.of('acme-kafka')],
  ])('%s factory sets the type', (type, resource) => {
    expect(resource.type).toBe(type);
  });

  test('defaults: not shared, size of the workload, no params', () => {
    const resource = Resource.postgres();
    expect(resource.id).toBeUndefined();
    expect(resource.size).toBeUndefined();
    expect(resource.params).toEqual({});
  });

  test('keeps id, size and a copy of params', () => {
    const params = { databaseName: 'orders' };
    const resource = Resource.postgres({ id: 'shared-db', size: Size.L, params });
    params.databaseName = 'changed';
    expect(resource.id).toBe('shared-db');
    expect(resource.size).toBe(Size.L);
    expect(resource.params).toEqual({ databaseName: 'orders' });
  });
});
