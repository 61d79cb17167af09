// Which devices a user may see: admins all, clinicians their assigned (EEG) devices,
// operators the sensor devices.
import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service';
import type { AuthUser } from './auth.types';

export type DeviceKind = 'eeg' | 'sensor';

@Injectable()
export class DeviceAccess {
  constructor(private readonly db: DatabaseService) {}

  async kindOf(deviceId: string): Promise<DeviceKind | undefined> {
    const { rows } = await this.db.pool.query('SELECT kind FROM devices WHERE device_id = $1', [deviceId]);
    return rows[0]?.kind;
  }

  /** Pure rule, given the device's kind when known. */
  static allows(user: Pick<AuthUser, 'role' | 'deviceIds'>, deviceId: string, kind: DeviceKind | undefined): boolean {
    switch (user.role) {
      case 'admin':
        return true;
      case 'clinician':
        return kind !== 'sensor' && user.deviceIds.includes(deviceId);
      case 'operator':
        return kind !== 'eeg';
      default:
        return false;
    }
  }

  async mayAccess(user: AuthUser, deviceId: string): Promise<boolean> {
    if (user.role === 'admin') return true;
    return DeviceAccess.allows(user, deviceId, await this.kindOf(deviceId));
  }

  /** The device a session or model belongs to (undefined if there is no such row). */
  async deviceOf(table: 'session' | 'model', id: string): Promise<string | undefined> {
    try {
      const { rows } = await this.db.pool.query(`SELECT device_id FROM ${table === 'session' ? 'sessions' : 'models'} WHERE id = $1`, [id]);
      return rows[0]?.device_id;
    } catch (err) {
      if ((err as { code?: string }).code === '42P01') return undefined; // table not migrated yet
      throw err;
    }
  }

  /** Keeps the items of an array response whose device the user may see. */
  async filter<T>(user: AuthUser, items: T[]): Promise<T[]> {
    if (user.role === 'admin') return items;
    const kinds = new Map<string, DeviceKind | undefined>();
    const out: T[] = [];
    for (const item of items) {
      const it = item as { deviceId?: unknown; kind?: unknown };
      if (typeof it?.deviceId !== 'string') continue;
      let kind = it.kind === 'eeg' || it.kind === 'sensor' ? it.kind : kinds.get(it.deviceId);
      if (kind === undefined && !kinds.has(it.deviceId)) kinds.set(it.deviceId, (kind = await this.kindOf(it.deviceId)));
      if (DeviceAccess.allows(user, it.deviceId, kind)) out.push(item);
    }
    return out;
  }
}
