export * from './minmax-decimator';
