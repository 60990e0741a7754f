export * from './egress-rule';
export * from './secret-key-ref';
export * from './web-app';
export { IScalingQueue } from './queue-scaling';
export * from './worker';
export * from './cron-job';
export * from './tenant';
