export { TokenBuckets, type TokenBucketOptions } from './token-bucket';
export { LoginLimiter, type LoginLimiterOptions, type LimitDecision } from './login-limiter';
