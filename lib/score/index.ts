export * from './score';
export * from './score-workloads-props';
