export * from './addon';
export * from './addon-capability';
export type { ArgoCdOidc, ArgoCdOptions } from './argo-cd';
export * from './bootstrap-secret';
export * from './cluster-bootstrap';
export * from './gitops';
export * from './repository-credentials';
