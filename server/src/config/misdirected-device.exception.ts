// The answer to a request about a device another server process owns (AppConfig.partitions,
// ownsDevice in @bci/shared): the live state it would change lives in that process.
import { HttpException, HttpStatus } from '@nestjs/common';
import { partitionOf, type PartitionAssignment } from '@bci/shared';

/** 421 Misdirected Request naming the device's partition, so a router or the caller can resend it to the owner. */
export class MisdirectedDeviceException extends HttpException {
  constructor(p: PartitionAssignment, deviceId: string) {
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
