-- Statistics packets up the hierarchy (issue 16). A parent installation
-- (a provincial association's, say) receives from its child installations
-- signed packets of one committee's figures for a period, through
-- POST /api/v1/rollup (store::rollup).
--
-- 1. A committee reported so is an organisation of its own here, under the
--    association of the account the packet came in with, marked by
--    `remote_key` (that account's user id and the committee's id at the
--    sender, `12:2`). It has no cases, users or case numbers here; its
--    figures are rows of the summary (`stats_monthly`, `stats_daily`) under
--    its id, which a new packet of the same period replaces. They are not
--    added to committee 0 (this installation's own cases): a supervisor's
--    figures add the committees under them, reported ones included.
ALTER TABLE organisations ADD COLUMN remote_key TEXT;
CREATE UNIQUE INDEX organisations_remote ON organisations (remote_key) WHERE remote_key IS NOT NULL;

-- 2. A token may be a rollup token, which does nothing but send packets.
--    SQLite changes a CHECK only by making the table again.
CREATE TABLE api_tokens_new (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id),
    label        TEXT NOT NULL DEFAULT '',
    scope        TEXT NOT NULL CHECK (scope IN ('read', 'write', 'rollup')),
    token_hash   TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    created_at   TEXT NOT NULL,
    created_by   INTEGER REFERENCES users (id),
    expires_at   TEXT,
    last_used_at TEXT,
    revoked_at   TEXT
) STRICT;
INSERT INTO api_tokens_new SELECT id, user_id, label, scope, token_hash, created_at, created_by, expires_at,
    last_used_at, revoked_at FROM api_tokens;
DROP TABLE api_tokens;
ALTER TABLE api_tokens_new RENAME TO api_tokens;
CREATE INDEX api_tokens_user ON api_tokens (user_id, id);

-- 3. A packet also carries the committee's lines of the official report
--    (migration 0030) by month of acceptance, national type and source
--    group, as the sender mapped them: the parent's official report adds
--    them to its own committees'. Replaced by month, as the summary rows.
CREATE TABLE official_reported (
    committee_id    INTEGER NOT NULL REFERENCES organisations (id),
    month           TEXT NOT NULL,            -- YYYY-MM, of acceptance
    national_type   TEXT NOT NULL,
    source_group    TEXT NOT NULL,
    accepted        INTEGER NOT NULL,
    settled         INTEGER NOT NULL,
    in_mediation    INTEGER NOT NULL,
    amount_agreed   INTEGER NOT NULL,         -- fen
    people          INTEGER NOT NULL,
    fulfilled       INTEGER NOT NULL,
    crime_cases     INTEGER NOT NULL,
    crime_people    INTEGER NOT NULL,
    petition_cases  INTEGER NOT NULL,
    petition_people INTEGER NOT NULL,
    PRIMARY KEY (committee_id, month, national_type, source_group)
) STRICT;
