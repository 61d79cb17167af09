import type { Role } from '@bci/shared';

/** The authenticated user of a request or socket, loaded fresh from the database. */
export interface AuthUser {
  id: number;
  username: string;
  role: Role;
  /** Assigned devices (clinicians). */
  deviceIds: string[];
  /** Expiry of the access token that authenticated this user (seconds since the epoch). */
  exp: number;
}
