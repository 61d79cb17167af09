// JetStream streams the server owns. Limits retention keeps messages for replay by any number
// of consumers (ingest today; live processors and replays later) independent of acks.
import { DiscardPolicy, RetentionPolicy, StorageType, type StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { subjects, type IngestKind } from '@bci/shared';

const DAY_MS = 86_400_000;

export const STREAM_NAMES: Record<IngestKind | 'dlq', string> = {
  eeg: 'BCI_EEG',
  markers: 'BCI_MARKERS',
  sensor: 'BCI_SENSOR',
  dlq: 'BCI_DLQ',
};

export function streamConfigs(): (Partial<StreamConfig> & { name: string })[] {
  const common = {
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    // Devices retry a publish with the same Nats-Msg-Id; inside this window JetStream drops the copy.
    duplicate_window: nanos(2 * 60_000),
    num_replicas: 1,
  };
  return [
    { ...common, name: STREAM_NAMES.eeg, subjects: [subjects.all('eeg')], max_age: nanos(DAY_MS), max_bytes: 8 * 1024 ** 3 },
    { ...common, name: STREAM_NAMES.markers, subjects: [subjects.all('markers')], max_age: nanos(7 * DAY_MS) },
    { ...common, name: STREAM_NAMES.sensor, subjects: [subjects.all('sensor')], max_age: nanos(7 * DAY_MS) },
    { ...common, name: STREAM_NAMES.dlq, subjects: [subjects.all('dlq')], max_age: nanos(30 * DAY_MS) },
  ];
}
