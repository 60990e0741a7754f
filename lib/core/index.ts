export { ErrorKind, Errors } from './errors';
export * from './environment';
export * from './naming';
export * from './platform';
export * from './profile';
export type { IScalingQueue } from './scaling-queue';
export * from './size';
export * from './terraform-state';
export type { ReportDecision } from './report';
