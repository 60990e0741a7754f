export * from './score';
export * from './score-workloads-props';
export * from './score-annotations';
export * from './provisioners-file';
