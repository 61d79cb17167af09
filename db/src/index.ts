export * from './flavour';
export * from './migrations';
export * from './retention';
