import { BadRequestException, Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { pickChannels } from '@bci/shared';
import { QueryRepository, type SensorResolution } from './query.repository';
import { parseRangeUs } from './time-range';
import { Roles, ScopeDevice } from '../auth/decorators';
import { FilterByDevice } from '../auth/device-filter.interceptor';

const MAX_EEG_CHUNKS = 20_000;
const HOUR_US = 3_600_000_000;

@Controller('api')
export class QueryController {
  constructor(private readonly repo: QueryRepository) {}

  /** Every role; each sees the devices it may (clinicians their assigned EEG devices, operators sensor devices). */
  @Roles('admin', 'clinician', 'operator')
  @FilterByDevice()
  @Get('devices')
  devices() {
    return this.repo.devices();
  }

  /**
   * A device's EEG for a time range, chunk by chunk in seq order, limited to the channels
   * asked for (?channels=C3,Cz,C4; all by default). Gaps between chunks are visible as t0Us jumps.
   */
  @Roles('admin', 'clinician')
  @ScopeDevice('param', 'deviceId')
  @Get('devices/:deviceId/eeg')
  async eeg(@Param('deviceId') deviceId: string, @Query('from') from?: string, @Query('to') to?: string, @Query('channels') channels?: string) {
    const device = await this.repo.device(deviceId);
    if (!device || device.kind !== 'eeg') throw new NotFoundException(`no EEG device ${deviceId}`);
    const { fromUs, toUs } = parseRangeUs(from, to, 10_000_000);
    const wanted = channels ? channels.split(',').map((c) => c.trim()).filter(Boolean) : device.channels;
    const indexes = wanted.map((name) => {
      const i = device.channels.indexOf(name);
      if (i < 0) throw new BadRequestException(`device ${deviceId} has no channel ${name}; it has ${device.channels.join(', ')}`);
      return i;
    });
    const chunks = await this.repo.eegChunks(deviceId, fromUs, toUs, MAX_EEG_CHUNKS + 1);
    if (chunks.length > MAX_EEG_CHUNKS) throw new BadRequestException(`range holds more than ${MAX_EEG_CHUNKS} chunks; ask for a shorter one`);
    return {
      deviceId,
      fsHz: device.fsHz,
      unit: device.unit,
      channels: wanted,
      fromUs,
      toUs,
      chunks: chunks.map((c) => ({
        seq: c.seq,
        t0Us: c.t0Us,
        nSamples: c.nSamples,
        receivedAt: c.receivedAt,
        storedAt: c.storedAt,
        samples: pickChannels(c.samples, device.channels.length, c.nSamples, indexes),
      })),
    };
  }

  @Roles('admin', 'clinician')
  @ScopeDevice('param', 'deviceId')
  @Get('devices/:deviceId/markers')
  markers(@Param('deviceId') deviceId: string, @Query('from') from?: string, @Query('to') to?: string) {
    const { fromUs, toUs } = parseRangeUs(from, to, HOUR_US);
    return this.repo.markers(deviceId, fromUs, toUs);
  }

  /** Sensor readings raw or from the 1-minute / 1-hour rollups (?resolution=raw|1m|1h). */
  @Roles('admin', 'operator')
  @ScopeDevice('param', 'deviceId')
  @Get('devices/:deviceId/sensor')
  sensor(
    @Param('deviceId') deviceId: string,
    @Query('metric') metric?: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
    @Query('resolution') resolution: string = 'raw',
  ) {
    if (!['raw', '1m', '1h'].includes(resolution)) throw new BadRequestException('resolution must be raw, 1m or 1h');
    const { fromUs, toUs } = parseRangeUs(from, to, 24 * HOUR_US);
    return this.repo.sensor(deviceId, metric, new Date(fromUs / 1000), new Date(toUs / 1000), resolution as SensorResolution);
  }

  @Roles('admin')
  @Get('rejected')
  rejected(@Query('deviceId') deviceId?: string, @Query('fault') fault?: string, @Query('limit') limit = '100') {
    const n = Number(limit);
    if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new BadRequestException('limit must be an integer in 1..10000');
    return this.repo.rejected(deviceId, fault, n);
  }
}
