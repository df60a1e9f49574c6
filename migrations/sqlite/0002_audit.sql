-- The audit trail: append-only. Triggers refuse UPDATE and DELETE.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,              -- UTC, RFC 3339
    user_id   INTEGER REFERENCES users (id),
    entity    TEXT NOT NULL,              -- case, party, session, visit, user, mediator, category ...
    entity_id INTEGER,
    case_id   INTEGER,                    -- the case a change belongs to, for its timeline
    action    TEXT NOT NULL,              -- create, update, delete, accept, settle ...
    before    TEXT,                       -- JSON
    after     TEXT                        -- JSON
) STRICT;

CREATE INDEX audit_case ON audit_log (case_id, id);
CREATE INDEX audit_user ON audit_log (user_id, id);
CREATE INDEX audit_entity ON audit_log (entity, id);
CREATE INDEX audit_at ON audit_log (at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
