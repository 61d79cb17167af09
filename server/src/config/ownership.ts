// Which devices this process owns (AppConfig.partitions), and the answer to a request about
// someone else's device: the live state it would change lives in another server process.
import { HttpException, HttpStatus } from '@nestjs/common';
import { partitionOf } from '@bci/shared';
import type { PartitionConfig } from './config';

/** Whether this process owns a device: its ingest consumers get the device's messages. */
export function ownsDevice(p: PartitionConfig, deviceId: string): boolean {
  return p.count === 1 || p.owned.includes(partitionOf(deviceId, p.count));
}

/** 421 Misdirected Request naming the device's partition, so a router or the caller can resend it to the owner. */
export class MisdirectedDeviceException extends HttpException {
  constructor(p: PartitionConfig, deviceId: string) {
    const partition = partitionOf(deviceId, p.count);
    super(
      {
        statusCode: HttpStatus.MISDIRECTED,
        error: 'Misdirected Request',
        message: `device ${deviceId} is in partition ${partition} of ${p.count}, which this server does not own`,
        partition,
      },
      HttpStatus.MISDIRECTED,
    );
  }
}
