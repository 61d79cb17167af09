-- Access control: users with roles, clinicians' device assignments, refresh tokens (hashed,
-- rotated) and the audit log. Identical on plain PostgreSQL and TimescaleDB.

CREATE TABLE users (
  id            bigserial PRIMARY KEY,
  username      text NOT NULL UNIQUE CHECK (username ~ '^[A-Za-z0-9_.@-]{1,64}$'),
  role          text NOT NULL CHECK (role IN ('admin', 'clinician', 'operator')),
  -- scrypt$N$r$p$salt$hash (base64url): parameters and salt travel with the hash.
  password_hash text NOT NULL,
  disabled      boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Devices a clinician may see: the devices of the subjects in their care.
CREATE TABLE user_devices (
  user_id   bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  device_id text NOT NULL,
  PRIMARY KEY (user_id, device_id)
);

-- Opaque refresh tokens, stored as SHA-256 of the token. Using one rotates it: the row is
-- marked rotated and a new one issued; a rotated or revoked token is refused.
CREATE TABLE refresh_tokens (
  id          bigserial PRIMARY KEY,
  user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  token_hash  text NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  revoked_at  timestamptz,
  rotated_at  timestamptz,
  replaced_by bigint REFERENCES refresh_tokens (id) ON DELETE SET NULL
);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

-- Who did what and when. actor is the username (kept if the user is deleted).
CREATE TABLE audit_log (
  id      bigserial PRIMARY KEY,
  at      timestamptz NOT NULL DEFAULT now(),
  actor   text NOT NULL,
  action  text NOT NULL,
  target  text,
  details jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor_at ON audit_log (actor, at);
CREATE INDEX audit_log_action_at ON audit_log (action, at);
