-- Case transfer (移交, issue 15): a committee hands an open case to
-- another (wrong district, conflict of interest), with a reason; the
-- receiving committee accepts it (the case takes a number in the
-- receiver's series; `old_case_no` keeps the one it had) or returns it
-- (with a reason; the case stays as it was). A row is never deleted: it is
-- the history both committees see. `decision` NULL is a transfer pending,
-- and a case has at most one pending at a time.
CREATE TABLE case_transfers (
    id              INTEGER PRIMARY KEY,
    case_id         INTEGER NOT NULL REFERENCES cases (id),
    from_committee  INTEGER NOT NULL REFERENCES organisations (id),
    to_committee    INTEGER NOT NULL REFERENCES organisations (id),
    reason          TEXT NOT NULL CHECK (length(reason) > 0),
    old_case_no     TEXT NOT NULL,
    sent_by         INTEGER REFERENCES users (id),
    sent_at         TEXT NOT NULL,
    decision        TEXT CHECK (decision IN ('accepted', 'returned')),
    decision_reason TEXT,
    decided_by      INTEGER REFERENCES users (id),
    decided_at      TEXT,
    CHECK (from_committee <> to_committee),
    CHECK ((decision IS NULL) = (decided_at IS NULL))
) STRICT;
CREATE UNIQUE INDEX case_transfers_pending ON case_transfers (case_id) WHERE decision IS NULL;
CREATE INDEX case_transfers_case ON case_transfers (case_id, id);
CREATE INDEX case_transfers_to ON case_transfers (to_committee, id);
CREATE INDEX case_transfers_from ON case_transfers (from_committee, id);
