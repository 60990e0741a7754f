export * from './egress-rule';
export * from './secret-key-ref';
export * from './web-app';
