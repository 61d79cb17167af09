// BCI_PARTITIONS / BCI_PARTITIONS_OWNED: which devices a server process owns.
import { ownsDevice, partitionOf } from '@bci/shared';
import { loadConfig } from '../../server/src/config/config';
import { devicePublishSubjects } from '../../deploy/nats/make-config';

describe('partition configuration', () => {
  it('defaults to one partition owned whole', () => {
    const { partitions } = loadConfig({});
    expect(partitions).toEqual({ count: 1, owned: [0] });
    expect(ownsDevice(partitions, 'any-device')).toBe(true);
  });

  it('owns all partitions unless told, and lists and ranges when told', () => {
    expect(loadConfig({ BCI_PARTITIONS: '4' }).partitions).toEqual({ count: 4, owned: [0, 1, 2, 3] });
    expect(loadConfig({ BCI_PARTITIONS: '8', BCI_PARTITIONS_OWNED: '6, 0-2,1' }).partitions).toEqual({ count: 8, owned: [0, 1, 2, 6] });
  });

  it('refuses counts and partitions out of range', () => {
    expect(() => loadConfig({ BCI_PARTITIONS: '0' })).toThrow(/BCI_PARTITIONS=0/);
    expect(() => loadConfig({ BCI_PARTITIONS: '2.5' })).toThrow(/integer/);
    expect(() => loadConfig({ BCI_PARTITIONS: '4', BCI_PARTITIONS_OWNED: '4' })).toThrow(/"4" is not a partition or range within 0-3/);
    expect(() => loadConfig({ BCI_PARTITIONS: '4', BCI_PARTITIONS_OWNED: '3-1' })).toThrow(/BCI_PARTITIONS_OWNED/);
    expect(() => loadConfig({ BCI_PARTITIONS: '4', BCI_PARTITIONS_OWNED: 'one' })).toThrow(/BCI_PARTITIONS_OWNED/);
  });

  it('owns exactly the devices whose partition it was given', () => {
    const p = loadConfig({ BCI_PARTITIONS: '4', BCI_PARTITIONS_OWNED: '1,3' }).partitions;
    for (const id of Array.from({ length: 50 }, (_, i) => `d${i}`)) expect(ownsDevice(p, id)).toBe([1, 3].includes(partitionOf(id, 4)));
  });

  it('lets a device publish on its mapped subjects too (nats-server checks permissions after mapping)', () => {
    expect(devicePublishSubjects('hs-1')).toEqual(['bci.eeg.hs-1', 'bci.markers.hs-1', 'bci.sensor.hs-1']);
    const p = partitionOf('hs-1', 4);
    expect(devicePublishSubjects('hs-1', 4)).toEqual([
      'bci.eeg.hs-1',
      'bci.markers.hs-1',
      'bci.sensor.hs-1',
      `bci.eeg.${p}.hs-1`,
      `bci.markers.${p}.hs-1`,
      `bci.sensor.${p}.hs-1`,
    ]);
  });
});
