// Access-control contract shared by the server and the dashboard.
// REST: Authorization: Bearer <accessToken> on every /api route except login, refresh,
// health and docs. socket.io: io(url + '/live', { auth: { token: accessToken } }).

export const ROLES = ['admin', 'clinician', 'operator'] as const;
export type Role = (typeof ROLES)[number];

export interface UserView {
  id: number;
  username: string;
  role: Role;
  disabled: boolean;
  /** Devices a clinician is assigned to (the subjects they care for); empty for other roles. */
  deviceIds: string[];
  createdAt: string;
}

/** POST /api/auth/login {username, password} and POST /api/auth/refresh {refreshToken} answer this. */
export interface TokenPair {
  accessToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  refreshToken: string;
  user: UserView;
}

export interface LoginRequest {
  username: string;
  password: string;
}

/** POST /api/users (admin) */
export interface CreateUserRequest {
  username: string;
  password: string;
  role: Role;
  deviceIds?: string[];
}

/** PATCH /api/users/:id (admin) */
export interface UpdateUserRequest {
  role?: Role;
  password?: string;
  disabled?: boolean;
  deviceIds?: string[];
}

/** GET /api/audit (admin) rows. */
export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
}
