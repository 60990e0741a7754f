export * from './platform-model';
export * from './price-table';
export type { CostEstimate, CostLine, EnvironmentCost, ResourceCost, SizeCost, TenantCost, WorkloadCost } from './cost-model';
export * from './portal';
