export const ALERTS_CONFIG = Symbol('ALERTS_CONFIG');
