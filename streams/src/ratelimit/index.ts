export { TokenBuckets, type TokenBucketOptions } from './token-bucket';
