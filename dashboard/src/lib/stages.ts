import { STAGE_NAMES, type StageNumber } from './types';

export const STAGE_COLORS: Record<StageNumber, string> = {
  0: '#5b8a72',
  1: '#38bdf8',
  2: '#facc15',
  3: '#fb923c',
  4: '#ef4444',
};

export function stageColor(stage: number): string {
  return STAGE_COLORS[(Math.max(0, Math.min(4, Math.round(stage))) as StageNumber)];
}

export function stageName(stage: number): string {
  const s = STAGE_NAMES[(Math.max(0, Math.min(4, Math.round(stage))) as StageNumber)];
  return `${s.en} ${s.ko}`;
}

export const ALERT_STAGES: StageNumber[] = [1, 2, 3, 4];
