export * from './network';
export * from './cluster';
export * from './key';
export * from './postgres';
export type { PolicyCondition, PolicyStatement } from './policy-statement';
export { WorkloadIdentity } from './workload-identity';
export type { IWorkloadIdentity, WorkloadIdentityProps } from './workload-identity';
