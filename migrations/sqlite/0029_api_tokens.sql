-- API tokens (issue 16): the keys of the JSON API under /api/v1. An admin
-- issues one to a user (on the users page or `accord token issue`); the
-- token acts as that user, with their role and committee, and its scope
-- says whether it may change anything. Only the SHA-256 of the secret is
-- kept (the secret is 32 random bytes, so a plain hash is enough); the
-- token itself is shown once. A token is revoked, never deleted.
-- `last_used_at` moves at most once a minute per token.
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    label        TEXT NOT NULL DEFAULT '',
    scope        TEXT NOT NULL CHECK (scope IN ('read', 'write')),
    token_hash   TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    created_at   TEXT NOT NULL,
    created_by   INTEGER REFERENCES users (id),
    expires_at   TEXT,
    last_used_at TEXT,
    revoked_at   TEXT
) STRICT;
CREATE INDEX api_tokens_user ON api_tokens (user_id, id);
