export { fft, rfft, isPowerOfTwo } from './fft';
export { welchPsd, hannPeriodic } from './welch';
export type { Psd, WelchOptions } from './welch';
export { bandPowers, integratePsd, EEG_BANDS } from './bandPowers';
export type { Band, BandPowerResult } from './bandPowers';
export { signalQuality } from './signalQuality';
export type { ChannelQuality, ChannelVerdict, SignalQualityOptions } from './signalQuality';
