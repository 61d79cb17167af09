// Channel montages and the scalp weights of the simulated rhythm generators. Weights are by
// channel name (case-insensitive) so any montage, e.g. an 8-channel headset, picks up the
// sources it covers.

/** The 64 channels of PhysioNet EEGMMIDB (BCI2000 10-10), in file order. */
export const MONTAGE_64 = [
  'Fc5', 'Fc3', 'Fc1', 'Fcz', 'Fc2', 'Fc4', 'Fc6', 'C5', 'C3', 'C1', 'Cz', 'C2', 'C4', 'C6',
  'Cp5', 'Cp3', 'Cp1', 'Cpz', 'Cp2', 'Cp4', 'Cp6', 'Fp1', 'Fpz', 'Fp2', 'Af7', 'Af3', 'Afz',
  'Af4', 'Af8', 'F7', 'F5', 'F3', 'F1', 'Fz', 'F2', 'F4', 'F6', 'F8', 'Ft7', 'Ft8', 'T7', 'T8',
  'T9', 'T10', 'Tp7', 'Tp8', 'P7', 'P5', 'P3', 'P1', 'Pz', 'P2', 'P4', 'P6', 'P8', 'Po7', 'Po3',
  'Poz', 'Po4', 'Po8', 'O1', 'Oz', 'O2', 'Iz',
] as const;

/** A typical 8-channel motor-imagery headset: sensorimotor strip plus midline and occipital. */
export const MONTAGE_8 = ['Fz', 'Fc3', 'Fc4', 'C3', 'Cz', 'C4', 'Pz', 'Oz'] as const;

export type Topography = Record<string, number>;

/** Posterior alpha: strongest occipital, weaker parietal, faint elsewhere. */
export const ALPHA_TOPO: Topography = {
  o1: 1, oz: 1, o2: 1, iz: 0.8, po7: 0.8, po3: 0.85, poz: 0.9, po4: 0.85, po8: 0.8,
  pz: 0.75, p1: 0.65, p2: 0.65, p3: 0.6, p4: 0.6, p5: 0.5, p6: 0.5, p7: 0.5, p8: 0.5,
};

/** Left sensorimotor (hand area over C3): drives right-hand rhythms. */
export const LEFT_MOTOR_TOPO: Topography = { c3: 1, fc3: 0.6, cp3: 0.6, c1: 0.5, c5: 0.5, fc5: 0.3, cp5: 0.3, fc1: 0.3, cp1: 0.3 };
/** Right sensorimotor (C4): drives left-hand rhythms. */
export const RIGHT_MOTOR_TOPO: Topography = { c4: 1, fc4: 0.6, cp4: 0.6, c2: 0.5, c6: 0.5, fc6: 0.3, cp6: 0.3, fc2: 0.3, cp2: 0.3 };
/** Midline (feet area near Cz). */
export const MID_MOTOR_TOPO: Topography = { cz: 1, fcz: 0.6, cpz: 0.6, c1: 0.35, c2: 0.35, fc1: 0.3, fc2: 0.3, cp1: 0.3, cp2: 0.3 };

/** Weight per channel; channels not named get `floor` (volume conduction keeps a trace everywhere). */
export function topographyWeights(channels: readonly string[], topo: Topography, floor = 0.05): Float64Array {
  return Float64Array.from(channels, (ch) => topo[ch.toLowerCase()] ?? floor);
}
