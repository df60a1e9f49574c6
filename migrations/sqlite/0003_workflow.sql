-- The mediation workflow: sessions (调解记录) with the mediators present,
-- return visits (回访记录), and the judicial-confirmation application date.
-- Status, agreement and follow-up fields already live on `cases` (0001).

-- The day the parties applied for judicial confirmation (司法确认), kept so
-- the case page can show it next to the 30-day deadline (art. 33).
ALTER TABLE cases ADD COLUMN judicial_applied_on TEXT;

-- Deadline flags filter on these; the status comes first as every flag
-- names one status.
CREATE INDEX cases_performance_due ON cases (status, performance_due);
CREATE INDEX cases_agreement_on ON cases (status, agreement_on);

CREATE TABLE mediation_sessions (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    held_on    TEXT NOT NULL,
    form       TEXT NOT NULL CHECK (form IN ('on_site', 'phone', 'online')),
    notes      TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL
) STRICT;

CREATE INDEX mediation_sessions_case ON mediation_sessions (case_id, held_on);

CREATE TABLE session_mediators (
    session_id  INTEGER NOT NULL REFERENCES mediation_sessions (id) ON DELETE CASCADE,
    mediator_id INTEGER NOT NULL REFERENCES mediators (id),
    PRIMARY KEY (session_id, mediator_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE return_visits (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    visited_on   TEXT NOT NULL,
    visitor      TEXT NOT NULL,
    performance  TEXT NOT NULL CHECK (performance IN ('pending', 'fulfilled', 'partial', 'unfulfilled')),
    satisfaction TEXT NOT NULL CHECK (satisfaction IN ('satisfied', 'basically_satisfied', 'dissatisfied')),
    notes        TEXT NOT NULL DEFAULT '',
    created_by   INTEGER REFERENCES users (id),
    created_at   TEXT NOT NULL
) STRICT;

CREATE INDEX return_visits_case ON return_visits (case_id, visited_on);
