export * from './flavour';
export * from './migrations';
export * from './retention';
export * from './copy-binary';
export * from './copy-into';
