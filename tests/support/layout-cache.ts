// An in-memory LayoutCache for sortBatch in unit tests (the server keeps its own over its maps).
import type { DeviceLayout } from '@bci/shared';
import type { LayoutCache } from '../../server/src/ingest/ingest-batch';

export function memoryLayoutCache(): LayoutCache {
  const eeg = new Map<string, DeviceLayout>();
  const sensors = new Set<string>();
  return { get: (id) => eeg.get(id), set: (id, l) => eeg.set(id, l), hasSensor: (id) => sensors.has(id), addSensor: (id) => sensors.add(id) };
}
