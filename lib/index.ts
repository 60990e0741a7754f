export * from './core';
export * from './aws';
export * from './k8s';
export * from './ops';
export * from './workload';
export * from './score';
export * from './gitops';
export * from './portal';
