-- Accounts, sessions, throttling and the audit log: the foundation every area builds on.

CREATE TYPE user_role AS ENUM ('member', 'moderator', 'admin');

CREATE TABLE users (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email             TEXT NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    display_name      TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 60),
    password_hash     TEXT NOT NULL,
    role              user_role NOT NULL DEFAULT 'member',
    bio               TEXT NOT NULL DEFAULT '' CHECK (length(bio) <= 2000),
    bio_html          TEXT NOT NULL DEFAULT '',
    department        TEXT NOT NULL DEFAULT '' CHECK (length(department) <= 80),
    pronouns          TEXT NOT NULL DEFAULT '' CHECK (length(pronouns) <= 40),
    time_zone         TEXT NOT NULL DEFAULT 'UTC' CHECK (length(time_zone) <= 64),
    suspended_until   TIMESTAMPTZ,
    suspension_reason TEXT CHECK (length(suspension_reason) <= 500),
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One account per address, whatever its case.
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));

-- Sessions live in Postgres so every server instance shares them and a logout, suspension or
-- role change takes effect on the next request. Only a hash of the token is stored.
CREATE TABLE sessions (
    token_hash   BYTEA PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

-- Fixed-window counters for throttling (login, registration, later posting). Shared by all
-- instances; old windows are swept periodically.
CREATE TABLE rate_limit_windows (
    bucket       TEXT NOT NULL,
    window_start TIMESTAMPTZ NOT NULL,
    hits         INTEGER NOT NULL DEFAULT 0 CHECK (hits >= 0),
    PRIMARY KEY (bucket, window_start)
);
CREATE INDEX rate_limit_windows_start_idx ON rate_limit_windows (window_start);

-- What staff did to accounts and content, for accountability. Moderation builds on this.
CREATE TABLE audit_log (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor_id       BIGINT REFERENCES users (id) ON DELETE SET NULL,
    action         TEXT NOT NULL,
    target_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    details        JSONB NOT NULL DEFAULT '{}'::jsonb,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_created_idx ON audit_log (created_at DESC, id DESC);
