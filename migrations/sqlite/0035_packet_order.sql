-- Statistics packets arrive in any order (issue 16). Each month of a
-- reported committee remembers when the packet that last wrote it was
-- made at the sender (`created_at`, UTC, `2026-10-05T08:00:00Z`): a packet
-- made before that, sent late or sent again, is refused instead of putting
-- older figures back over newer ones (store::rollup).
CREATE TABLE packet_months (
    committee_id INTEGER NOT NULL REFERENCES organisations (id),
    month        TEXT NOT NULL,             -- YYYY-MM
    created_at   TEXT NOT NULL,
    PRIMARY KEY (committee_id, month)
) STRICT, WITHOUT ROWID;
