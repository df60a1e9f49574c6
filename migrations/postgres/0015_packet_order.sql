-- Statistics packets arrive in any order (SQLite migration 0035): each
-- month of a reported committee remembers when the packet that last wrote
-- it was made, and an older packet is refused.
CREATE TABLE packet_months (
    committee_id BIGINT NOT NULL REFERENCES organisations (id),
    month        TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (committee_id, month)
);
