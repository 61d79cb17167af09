// Epoch artifact rejection by per-channel peak-to-peak (too large) and flatness (too small),
// reporting every violation so the caller can see why an epoch was dropped.

export interface RejectCriteria {
  /** Reject if max - min of any channel exceeds this (scalar or one per channel), e.g. 150 uV. */
  peakToPeakMax?: number | ArrayLike<number>;
  /** Reject if max - min of any channel is below this (scalar or one per channel), e.g. 1 uV. */
  flatMin?: number | ArrayLike<number>;
}

export interface RejectionReason {
  channel: number;
  /** Channel label when labels were given. */
  channelLabel?: string;
  criterion: 'peakToPeakMax' | 'flatMin';
  /** The channel's peak-to-peak value in this epoch. */
  value: number;
  threshold: number;
}

function thresholdFor(t: number | ArrayLike<number> | undefined, c: number, n: number, name: string): number | undefined {
  if (t === undefined) return undefined;
  if (typeof t === 'number') return t;
  if (t.length !== n) throw new RangeError(`${name} has ${t.length} values for ${n} channels`);
  return t[c];
}

/** Peak-to-peak (max - min) of every channel; NaN if the channel has a NaN sample. */
export function peakToPeak(data: ReadonlyArray<ArrayLike<number>>): Float64Array {
  const out = new Float64Array(data.length);
  data.forEach((ch, c) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < ch.length; i++) {
      const v = ch[i];
      if (v !== v) {
        lo = hi = NaN;
        break;
      }
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    out[c] = ch.length ? hi - lo : 0;
  });
  return out;
}

/** Every criterion violated by this epoch; empty means keep it. NaN samples count as a violation. */
export function checkEpoch(data: ReadonlyArray<ArrayLike<number>>, criteria: RejectCriteria, labels?: ReadonlyArray<string>): RejectionReason[] {
  const reasons: RejectionReason[] = [];
  const p2p = peakToPeak(data);
  const n = data.length;
  for (let c = 0; c < n; c++) {
    const label = labels?.[c];
    const extra = label === undefined ? {} : { channelLabel: label };
    const max = thresholdFor(criteria.peakToPeakMax, c, n, 'peakToPeakMax');
    const min = thresholdFor(criteria.flatMin, c, n, 'flatMin');
    // `!(x <= max)` also rejects NaN, which would otherwise slip through comparisons.
    if (max !== undefined && !(p2p[c] <= max)) reasons.push({ channel: c, ...extra, criterion: 'peakToPeakMax', value: p2p[c], threshold: max });
    if (min !== undefined && !(p2p[c] >= min)) reasons.push({ channel: c, ...extra, criterion: 'flatMin', value: p2p[c], threshold: min });
  }
  return reasons;
}

export interface RejectionResult<T> {
  kept: T[];
  /** index = position in the input list. */
  rejected: { index: number; item: T; reasons: RejectionReason[] }[];
}

/** Split epochs into kept and rejected (with reasons). */
export function rejectEpochs<T extends { data: ReadonlyArray<ArrayLike<number>> }>(
  epochs: ReadonlyArray<T>,
  criteria: RejectCriteria,
  labels?: ReadonlyArray<string>,
): RejectionResult<T> {
  const result: RejectionResult<T> = { kept: [], rejected: [] };
  epochs.forEach((e, index) => {
    const reasons = checkEpoch(e.data, criteria, labels);
    if (reasons.length) result.rejected.push({ index, item: e, reasons });
    else result.kept.push(e);
  });
  return result;
}
