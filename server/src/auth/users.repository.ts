// Users, clinicians' device assignments and refresh tokens in PostgreSQL.
import { Injectable } from '@nestjs/common';
import type { Role, UserView } from '@bci/shared';
import { DatabaseService } from '../database/database.service';

export interface UserRow extends UserView {
  passwordHash: string;
}

const USER_COLUMNS = `u.id::int AS id, u.username, u.role, u.disabled, u.password_hash AS "passwordHash",
  to_char(u.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
  coalesce((SELECT array_agg(d.device_id ORDER BY d.device_id) FROM user_devices d WHERE d.user_id = u.id), '{}') AS "deviceIds"`;

export function toView(u: UserRow): UserView {
  return { id: u.id, username: u.username, role: u.role, disabled: u.disabled, deviceIds: u.deviceIds, createdAt: u.createdAt };
}

@Injectable()
export class UsersRepository {
  constructor(private readonly db: DatabaseService) {}

  async list(): Promise<UserRow[]> {
    return (await this.db.pool.query(`SELECT ${USER_COLUMNS} FROM users u ORDER BY u.id`)).rows;
  }

  async byId(id: number): Promise<UserRow | undefined> {
    return (await this.db.pool.query(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1`, [id])).rows[0];
  }

  async byUsername(username: string): Promise<UserRow | undefined> {
    return (await this.db.pool.query(`SELECT ${USER_COLUMNS} FROM users u WHERE lower(u.username) = lower($1)`, [username])).rows[0];
  }

  async countActiveAdmins(): Promise<number> {
    const { rows } = await this.db.pool.query(`SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND NOT disabled`);
    return rows[0].n;
  }

  async create(u: { username: string; role: Role; passwordHash: string; deviceIds: string[] }): Promise<UserRow> {
    const client = await this.db.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query(`INSERT INTO users (username, role, password_hash) VALUES ($1, $2, $3) RETURNING id::int AS id`, [u.username, u.role, u.passwordHash]);
      const id = rows[0].id as number;
      if (u.deviceIds.length) await client.query(`INSERT INTO user_devices (user_id, device_id) SELECT $1, unnest($2::text[])`, [id, u.deviceIds]);
      await client.query('COMMIT');
      return (await this.byId(id))!;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  async update(id: number, p: { role?: Role; passwordHash?: string; disabled?: boolean; deviceIds?: string[] }): Promise<UserRow | undefined> {
    const client = await this.db.pool.connect();
    try {
      await client.query('BEGIN');
      const { rowCount } = await client.query(
        `UPDATE users SET role = coalesce($2, role), password_hash = coalesce($3, password_hash), disabled = coalesce($4, disabled), updated_at = now() WHERE id = $1`,
        [id, p.role ?? null, p.passwordHash ?? null, p.disabled ?? null],
      );
      if (!rowCount) {
        await client.query('ROLLBACK');
        return undefined;
      }
      if (p.deviceIds) {
        await client.query('DELETE FROM user_devices WHERE user_id = $1', [id]);
        if (p.deviceIds.length) await client.query(`INSERT INTO user_devices (user_id, device_id) SELECT $1, unnest($2::text[])`, [id, p.deviceIds]);
      }
      // A new password, a disabled account or a changed role ends every session.
      if (p.passwordHash || p.disabled || p.role) await client.query('UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [id]);
      await client.query('COMMIT');
      return this.byId(id);
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  async delete(id: number): Promise<boolean> {
    return ((await this.db.pool.query('DELETE FROM users WHERE id = $1', [id])).rowCount ?? 0) > 0;
  }

  async insertRefresh(userId: number, tokenHash: string, ttlS: number): Promise<number> {
    const { rows } = await this.db.pool.query(
      `INSERT INTO refresh_tokens (user_id, token_hash, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3)) RETURNING id::int AS id`,
      [userId, tokenHash, ttlS],
    );
    return rows[0].id;
  }

  /**
   * Marks the token used and returns its user, atomically: of two concurrent uses of one
   * token only one wins. Undefined for an unknown, expired, revoked or already rotated token.
   */
  async consumeRefresh(tokenHash: string): Promise<{ id: number; userId: number } | undefined> {
    const { rows } = await this.db.pool.query(
      `UPDATE refresh_tokens SET rotated_at = now()
        WHERE token_hash = $1 AND rotated_at IS NULL AND revoked_at IS NULL AND expires_at > now()
        RETURNING id::int AS id, user_id::int AS "userId"`,
      [tokenHash],
    );
    return rows[0];
  }

  /** A rotated token presented again: someone replays it; revoke the user's whole family. */
  async wasRotated(tokenHash: string): Promise<number | undefined> {
    const { rows } = await this.db.pool.query(`SELECT user_id::int AS "userId" FROM refresh_tokens WHERE token_hash = $1 AND rotated_at IS NOT NULL`, [tokenHash]);
    return rows[0]?.userId;
  }

  async linkReplacement(oldId: number, newId: number): Promise<void> {
    await this.db.pool.query('UPDATE refresh_tokens SET replaced_by = $2 WHERE id = $1', [oldId, newId]);
  }

  async revokeRefresh(tokenHash: string): Promise<number | undefined> {
    const { rows } = await this.db.pool.query(
      `UPDATE refresh_tokens SET revoked_at = now() WHERE token_hash = $1 AND revoked_at IS NULL RETURNING user_id::int AS "userId"`,
      [tokenHash],
    );
    return rows[0]?.userId;
  }

  async revokeAllFor(userId: number): Promise<void> {
    await this.db.pool.query('UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [userId]);
  }

  async deleteExpiredRefresh(): Promise<void> {
    await this.db.pool.query(`DELETE FROM refresh_tokens WHERE expires_at < now() - interval '1 day'`);
  }
}
