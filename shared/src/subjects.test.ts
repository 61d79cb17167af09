import { decodeIngestMessage, encodeMarker, type Marker } from './index';
import { fnv1a32, parseSubject, partitionMappings, partitionOf, subjects } from './subjects';

describe('subjects and partitions', () => {
  it('parses plain and partition-mapped device subjects, and nothing else', () => {
    expect(parseSubject('bci.eeg.hs-1')).toEqual({ kind: 'eeg', deviceId: 'hs-1', partition: null });
    expect(parseSubject('bci.eeg.3.hs-1')).toEqual({ kind: 'eeg', deviceId: 'hs-1', partition: 3 });
    expect(parseSubject('bci.markers.0.hs-1')).toEqual({ kind: 'markers', deviceId: 'hs-1', partition: 0 });
    for (const bad of ['bci.eeg', 'bci.eeg.x.hs-1', 'bci.eeg.03.hs-1', 'bci.eeg.1.2.hs-1', 'foo.eeg.hs-1', 'bci.dlq.eeg.hs-1'])
      expect(parseSubject(bad)).toBeNull();
  });

  it('decodes a message on a mapped subject as its device', () => {
    const m: Marker = { deviceId: 'hs-1', timeUs: 1, code: 'cue_left', label: 'T1' };
    const d = decodeIngestMessage('bci.markers.2.hs-1', encodeMarker(m), 'application/json');
    expect(d).toMatchObject({ ok: true, kind: 'markers', deviceId: 'hs-1' });
  });

  it('hashes ids with 32-bit FNV-1a (reference vectors) into stable partitions', () => {
    // Published FNV-1a test vectors (Fowler/Noll/Vo): "" and "a" and "foobar".
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
    expect(partitionOf('foobar', 7)).toBe(0xbf9cf968 % 7);
    const ids = Array.from({ length: 400 }, (_, i) => `hs-${i}`);
    const sizes = [0, 0, 0, 0];
    for (const id of ids) sizes[partitionOf(id, 4)]++;
    // Roughly even: each partition within a third of its share.
    for (const n of sizes) expect(Math.abs(n - 100)).toBeLessThan(34);
  });

  it('maps every ingest kind with the partition inserted before the device id', () => {
    expect(partitionMappings(8)).toEqual({
      'bci.eeg.*': 'bci.eeg.{{partition(8,1)}}.{{wildcard(1)}}',
      'bci.markers.*': 'bci.markers.{{partition(8,1)}}.{{wildcard(1)}}',
      'bci.sensor.*': 'bci.sensor.{{partition(8,1)}}.{{wildcard(1)}}',
    });
    expect(subjects.partition('eeg', 5)).toBe('bci.eeg.5.*');
  });
});
