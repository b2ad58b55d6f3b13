-- Accounts, organisations, credentials and the audit log (spec services.md 8.1), plus scopes: the account's own,
-- those an organisation grants its members, and an optional narrowing per credential (JSON arrays).

CREATE TABLE accounts (
    id           TEXT PRIMARY KEY,
    email        TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL DEFAULT '',
    access_level TEXT NOT NULL DEFAULT 'user' CHECK (access_level IN ('admin', 'user', 'service')),
    status       TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'deactivated')),
    scopes       TEXT NOT NULL DEFAULT '[]',
    metadata     TEXT NOT NULL DEFAULT '{}',
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);

CREATE TABLE organizations (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    slug       TEXT NOT NULL UNIQUE,
    owner_id   TEXT NOT NULL REFERENCES accounts (id) ON DELETE RESTRICT,
    scopes     TEXT NOT NULL DEFAULT '[]',
    metadata   TEXT NOT NULL DEFAULT '{}',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE organization_members (
    id               TEXT PRIMARY KEY,
    org_id           TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    account_id       TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    membership_level TEXT NOT NULL DEFAULT 'member' CHECK (membership_level IN ('owner', 'admin', 'member')),
    metadata         TEXT NOT NULL DEFAULT '{}',
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL,
    UNIQUE (org_id, account_id)
);
CREATE INDEX organization_members_account ON organization_members (account_id);

CREATE TABLE api_keys (
    id            TEXT PRIMARY KEY,
    owner_id      TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- the public first 12 characters (alk_ + 8): how a key is found before its hash is compared in constant time
    key_prefix    TEXT NOT NULL UNIQUE,
    key_hash      TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL DEFAULT '',
    scopes        TEXT,
    enabled       INTEGER NOT NULL DEFAULT 1,
    expires_at    BIGINT,
    revoked_at    BIGINT,
    rotated_to_id TEXT REFERENCES api_keys (id) ON DELETE SET NULL,
    last_used_at  BIGINT,
    metadata      TEXT NOT NULL DEFAULT '{}',
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
CREATE INDEX api_keys_owner ON api_keys (owner_id);

CREATE TABLE peer_credentials (
    id              TEXT PRIMARY KEY,
    owner_id        TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    credential_type TEXT NOT NULL CHECK (credential_type IN ('ssh_key', 'cert_authority')),
    fingerprint     TEXT NOT NULL UNIQUE,
    public_key_data TEXT NOT NULL,
    name            TEXT NOT NULL DEFAULT '',
    scopes          TEXT,
    enabled         INTEGER NOT NULL DEFAULT 1,
    expires_at      BIGINT,
    revoked_at      BIGINT,
    metadata        TEXT NOT NULL DEFAULT '{}',
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX peer_credentials_owner ON peer_credentials (owner_id);

CREATE TABLE audit_logs (
    id              TEXT PRIMARY KEY,
    action          TEXT NOT NULL,
    -- no foreign keys to accounts or credentials: the log outlives what it names
    owner_id        TEXT,
    credential_id   TEXT,
    credential_type TEXT,
    org_id          TEXT REFERENCES organizations (id) ON DELETE SET NULL,
    details         TEXT NOT NULL DEFAULT '{}',
    metadata        TEXT NOT NULL DEFAULT '{}',
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX audit_logs_owner ON audit_logs (owner_id);
CREATE INDEX audit_logs_created ON audit_logs (created_at);
