export { fft, rfft, isPowerOfTwo, RealFftPower } from './fft';
export { welchPsd, hannPeriodic, WelchPlan } from './welch';
export type { Psd, WelchOptions } from './welch';
export { bandPowers, integratePsd, EEG_BANDS, PsdIntegral, BandPowerPlan } from './bandPowers';
export type { Band, BandPowerResult } from './bandPowers';
export { signalQuality, SignalQualityPlan } from './signalQuality';
export type { ChannelQuality, ChannelVerdict, SignalQualityOptions } from './signalQuality';
export { FeatureBlockPlan } from './featureBlock';
export type { FeatureBlockOptions } from './featureBlock';
