// Montage groups by 10-10/10-20 label prefix (labels like "Fc5." from PhysioNet are normalised).
export type Group = 'frontal' | 'central' | 'temporal' | 'parietal' | 'occipital' | 'other';

export const GROUPS: { id: Group; label: string; color: string }[] = [
  { id: 'frontal', label: 'Frontal', color: '#7dd3fc' },
  { id: 'central', label: 'Central', color: '#86efac' },
  { id: 'temporal', label: 'Temporal', color: '#fcd34d' },
  { id: 'parietal', label: 'Parietal', color: '#f9a8d4' },
  { id: 'occipital', label: 'Occipital', color: '#c4b5fd' },
  { id: 'other', label: 'Other', color: '#cbd5e1' },
];

export function normaliseLabel(label: string): string {
  return label.replace(/\.+$/, '').trim();
}

export function groupOf(label: string): Group {
  const l = normaliseLabel(label).toUpperCase();
  if (/^(FP|AF)/.test(l)) return 'frontal';
  if (/^FT|^T\d|^TP|^T[Z]?$|^A\d|^M\d/.test(l)) return 'temporal';
  if (/^FC|^C(?!B)/.test(l)) return 'central';
  if (/^F/.test(l)) return 'frontal';
  if (/^PO|^O|^I|^CB/.test(l)) return 'occipital';
  if (/^P/.test(l)) return 'parietal';
  return 'other';
}

export function groupColor(g: Group): string {
  return GROUPS.find((x) => x.id === g)!.color;
}
