export * from './connection-secret';
export * from './environment-secrets-key';
export * from './postgres-provisioner';
export * from './provisioner';
export * from './provisioners';
export * from './resource';
export * from './tenant-secret-access';
export * from './workload';
