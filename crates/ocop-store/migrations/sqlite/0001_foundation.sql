-- Foundation: localities, organizations, users, sessions, API tokens, audit log.
-- Timestamps are RFC 3339 text in UTC (sqlx's chrono encoding).

CREATE TABLE localities (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('province', 'commune')),
    division    TEXT NOT NULL,
    parent_code TEXT REFERENCES localities (code)
);
CREATE INDEX localities_parent ON localities (parent_code);

CREATE TABLE organizations (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT NOT NULL,
    kind          TEXT NOT NULL,
    commune_code  TEXT NOT NULL REFERENCES localities (code),
    province_code TEXT NOT NULL REFERENCES localities (code),
    tax_code      TEXT,
    address       TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX organizations_commune ON organizations (commune_code);
CREATE INDEX organizations_province ON organizations (province_code);

CREATE TABLE users (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    email           TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('central', 'admin', 'officer', 'evaluator', 'producer', 'inspector')),
    locality_code   TEXT REFERENCES localities (code),
    province_code   TEXT REFERENCES localities (code),
    commune_code    TEXT REFERENCES localities (code),
    organization_id INTEGER REFERENCES organizations (id),
    password_hash   TEXT NOT NULL,
    disabled        INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX users_province ON users (province_code);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    revoked_at   TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE audit_log (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    at            TEXT NOT NULL,
    actor_id      INTEGER REFERENCES users (id),
    actor_label   TEXT NOT NULL,
    action        TEXT NOT NULL,
    target        TEXT NOT NULL,
    province_code TEXT,
    details       TEXT NOT NULL
);
CREATE INDEX audit_log_province ON audit_log (province_code, id);
