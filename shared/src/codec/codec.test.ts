import {
  decodeIngestMessage,
  encodeEegFrame,
  encodeEegJson,
  EEG_FRAME_CONTENT_TYPE,
  type EegChunk,
  subjects,
} from '../index';

function chunk(overrides: Partial<EegChunk> = {}): EegChunk {
  const channels = ['C3', 'Cz', 'C4'];
  const nSamples = 5;
  const samples = new Float32Array(channels.length * nSamples).map((_, k) => Math.sin(k) * 40);
  return { deviceId: 'hs-1', seq: 7, t0Us: 1_764_000_000_000_000, fsHz: 160, channels, unit: 'uV', nSamples, samples, ...overrides };
}

describe('EEG codecs', () => {
  it.each([
    ['binary frame', EEG_FRAME_CONTENT_TYPE, encodeEegFrame],
    ['JSON', 'application/json', encodeEegJson],
  ])('%s round-trips every field and sample', (_name, type, encode) => {
    const c = chunk();
    const d = decodeIngestMessage(subjects.eeg('hs-1'), encode(c), type);
    expect(d.ok).toBe(true);
    if (!d.ok || d.kind !== 'eeg') throw new Error('not decoded');
    expect(d.value).toEqual(c);
  });

  it('binary frame is much smaller than JSON for a 64-channel chunk', () => {
    const channels = Array.from({ length: 64 }, (_, i) => `Ch${i}`);
    const c = chunk({ channels, nSamples: 16, samples: new Float32Array(64 * 16).map((_, k) => Math.cos(k) * 12.345) });
    expect(encodeEegFrame(c).length * 3).toBeLessThan(encodeEegJson(c).length);
  });

  const refusals: [string, Uint8Array, string | undefined, string][] = [
    ['invalid JSON', new TextEncoder().encode('{"deviceId":'), 'application/json', 'decode'],
    ['bad magic', new Uint8Array(64), EEG_FRAME_CONTENT_TYPE, 'decode'],
    ['truncated frame', encodeEegFrame(chunk()).subarray(0, 60), EEG_FRAME_CONTENT_TYPE, 'channel_count'],
    ['NaN sample', encodeEegFrame(chunk({ samples: new Float32Array(15).fill(NaN) })), EEG_FRAME_CONTENT_TYPE, 'non_finite'],
    ['Infinity via JSON overflow', new TextEncoder().encode(JSON.stringify({ ...JSON.parse(new TextDecoder().decode(encodeEegJson(chunk()))), samples: [[1e39, 1, 1, 1, 1], [1, 1, 1, 1, 1], [1, 1, 1, 1, 1]] })), 'application/json', 'non_finite'],
    ['row count differs from channels', new TextEncoder().encode(JSON.stringify({ ...JSON.parse(new TextDecoder().decode(encodeEegJson(chunk()))), channels: ['C3', 'Cz'] })), 'application/json', 'channel_count'],
    ['negative seq', encodeEegFrame(chunk({ seq: -1 })), EEG_FRAME_CONTENT_TYPE, 'schema'],
    ['other device in payload', encodeEegFrame(chunk({ deviceId: 'hs-2' })), EEG_FRAME_CONTENT_TYPE, 'device_mismatch'],
    ['unknown content type', encodeEegFrame(chunk()), 'text/csv', 'decode'],
  ];
  it.each(refusals)('refuses %s with fault %s', (_name, payload, type, fault) => {
    const d = decodeIngestMessage(subjects.eeg('hs-1'), payload, type);
    expect(d.ok).toBe(false);
    if (!d.ok) {
      expect(d.fault).toBe(fault);
      expect(d.reason.length).toBeGreaterThan(10);
      expect(d.deviceId).toBe('hs-1');
    }
  });

  it('binary frames of one layout share one frozen channel list; other layouts are not confused with it', () => {
    const decode = (c: EegChunk) => {
      const d = decodeIngestMessage(subjects.eeg(c.deviceId), encodeEegFrame(c), EEG_FRAME_CONTENT_TYPE);
      if (!d.ok || d.kind !== 'eeg') throw new Error(d.ok ? 'not eeg' : d.reason);
      return d.value;
    };
    const a = decode(chunk({ seq: 1 }));
    const b = decode(chunk({ seq: 2 }));
    expect(b.channels).toBe(a.channels);
    expect(Object.isFrozen(a.channels)).toBe(true);
    const other = decode(chunk({ seq: 3, deviceId: 'hs-9', channels: ['C3', 'CZ', 'C4'] }));
    expect(other).toMatchObject({ deviceId: 'hs-9', channels: ['C3', 'CZ', 'C4'] });
    expect(decode(chunk({ seq: 4, unit: 'mV' })).unit).toBe('mV');
    // A layout that failed validation is refused every time, not remembered as checked.
    for (let i = 0; i < 2; i++) {
      const d = decodeIngestMessage(subjects.eeg('hs-1'), encodeEegFrame(chunk({ channels: ['C3', 'C3', 'C4'] })), EEG_FRAME_CONTENT_TYPE);
      expect(d).toMatchObject({ ok: false, fault: 'schema' });
    }
  });

  it('refuses an oversize payload before decoding it', () => {
    const d = decodeIngestMessage(subjects.eeg('hs-1'), new Uint8Array(2000), 'application/json', { maxPayloadBytes: 1000 });
    expect(d).toMatchObject({ ok: false, fault: 'oversize' });
  });
});

describe('sensor and marker codecs', () => {
  const enc = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));
  it('accepts a minute reading and normalises its time to UTC', () => {
    const d = decodeIngestMessage(subjects.sensor('pump-3'), enc({ deviceId: 'pump-3', time: '2026-11-25T10:00:00+09:00', metrics: { flow_rate: 12.5, pressure: 3.1 } }), undefined);
    expect(d).toMatchObject({ ok: true, kind: 'sensor', value: { time: '2026-11-25T01:00:00.000Z', metrics: { flow_rate: 12.5, pressure: 3.1 } } });
  });
  it.each([
    [{ deviceId: 'pump-3', time: '2026-11-25 10:00', metrics: { flow_rate: 1 } }, 'schema'],
    [{ deviceId: 'pump-3', time: '2026-11-25T10:00:00Z', metrics: {} }, 'schema'],
    [{ deviceId: 'pump-3', time: '2026-11-25T10:00:00Z', metrics: { flow_rate: 'high' } }, 'schema'],
  ])('refuses reading %j', (o, fault) => {
    expect(decodeIngestMessage(subjects.sensor('pump-3'), enc(o), undefined)).toMatchObject({ ok: false, fault });
  });
  it('accepts a cue marker and refuses an unknown code', () => {
    expect(decodeIngestMessage(subjects.markers('hs-1'), enc({ deviceId: 'hs-1', timeUs: 5e15, code: 'cue_left', label: 'T1', durationS: 4.1 }), undefined)).toMatchObject({ ok: true, value: { code: 'cue_left' } });
    expect(decodeIngestMessage(subjects.markers('hs-1'), enc({ deviceId: 'hs-1', timeUs: 5e15, code: 'jump', label: '' }), undefined)).toMatchObject({ ok: false, fault: 'schema' });
  });
});
