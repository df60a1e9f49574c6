-- Many committees in one installation (issue 15).
--
-- 1. `organisations`: a tree of associations (national, provincial or
--    city level) and, under them, mediation committees (调委会). `path` is
--    the ids from the root down, `/1/2/`, so an organisation's subtree is
--    one prefix. There is one root, an association.
--
--    An existing installation becomes one committee (id 2) under one
--    association (id 1). Both are left unnamed: the configuration's
--    `association_name` names them at start-up (store::orgs::name_unnamed),
--    which a migration cannot read. A committee's `case_prefix` is NULL
--    only for that first committee, whose numbers go on with the
--    configured `case_prefix`; every committee added later has its own.
CREATE TABLE organisations (
    id          INTEGER PRIMARY KEY,
    parent_id   INTEGER REFERENCES organisations (id),
    kind        TEXT NOT NULL CHECK (kind IN ('association', 'committee')),
    level       TEXT CHECK (level IN ('national', 'provincial', 'city')),
    name        TEXT CHECK (name IS NULL OR length(name) > 0),
    region_code TEXT CHECK (region_code IS NULL OR (length(region_code) = 6 AND region_code NOT GLOB '*[^0-9]*')),
    case_prefix TEXT CHECK (case_prefix IS NULL OR length(case_prefix) > 0),
    path        TEXT NOT NULL UNIQUE,
    retired_on  TEXT,
    created_at  TEXT NOT NULL,
    -- An association has a level; a committee sits under an association.
    CHECK ((kind = 'association') = (level IS NOT NULL)),
    CHECK (kind = 'association' OR parent_id IS NOT NULL)
) STRICT;
-- One root.
CREATE UNIQUE INDEX organisations_root ON organisations (kind) WHERE parent_id IS NULL;
-- Two committees with one prefix would number two cases alike.
CREATE UNIQUE INDEX organisations_prefix ON organisations (case_prefix) WHERE case_prefix IS NOT NULL;
CREATE INDEX organisations_parent ON organisations (parent_id);

INSERT INTO organisations (id, parent_id, kind, level, name, region_code, case_prefix, path, created_at)
VALUES (1, NULL, 'association', 'city', NULL, NULL, NULL, '/1/', strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
       (2, 1, 'committee', NULL, NULL, NULL, NULL, '/1/2/', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));

-- 2. Every case and mediator belongs to one committee, every user to one
--    organisation (a supervisor to an association). SQLite adds a column
--    with a foreign key only with a NULL default; the columns are filled,
--    then declared NOT NULL by editing their stored definition, which
--    SQLite documents as safe for a constraint every row already meets
--    (https://sqlite.org/lang_altertable.html, as 0015 did for a CHECK).
ALTER TABLE cases ADD COLUMN committee_id INTEGER REFERENCES organisations (id);
ALTER TABLE mediators ADD COLUMN committee_id INTEGER REFERENCES organisations (id);
ALTER TABLE users ADD COLUMN org_id INTEGER REFERENCES organisations (id);
UPDATE cases SET committee_id = 2;
UPDATE mediators SET committee_id = 2;
UPDATE users SET org_id = 2;

-- 3. A committee numbers its own cases: `(case_year, case_seq)` is unique
--    within a committee. The UNIQUE constraint of 0001 is widened in the
--    stored definition, and its index (`sqlite_autoindex_cases_2`, the
--    table's second UNIQUE) is rebuilt by REINDEX from the new definition.
--    The role CHECK gains `supervisor`, which only loosens it.
PRAGMA writable_schema = ON;
UPDATE sqlite_schema
SET sql = replace(replace(sql,
        'committee_id INTEGER REFERENCES organisations (id)',
        'committee_id INTEGER NOT NULL REFERENCES organisations (id)'),
        'UNIQUE (case_year, case_seq)', 'UNIQUE (committee_id, case_year, case_seq)')
WHERE type = 'table' AND name IN ('cases', 'mediators');
UPDATE sqlite_schema
SET sql = replace(replace(sql,
        'org_id INTEGER REFERENCES organisations (id)',
        'org_id INTEGER NOT NULL REFERENCES organisations (id)'),
        '''admin'', ''secretary'', ''mediator'')', '''admin'', ''secretary'', ''mediator'', ''supervisor'')')
WHERE type = 'table' AND name = 'users';
PRAGMA writable_schema = RESET;
PRAGMA writable_schema = OFF;
REINDEX sqlite_autoindex_cases_2;

CREATE INDEX cases_committee ON cases (committee_id, received_on DESC, id DESC);
CREATE INDEX mediators_committee ON mediators (committee_id, id);
CREATE INDEX users_org ON users (org_id, id);

-- 4. Case numbers counted per committee and year.
CREATE TABLE case_counters_by_committee (
    committee_id INTEGER NOT NULL REFERENCES organisations (id),
    year         INTEGER NOT NULL,
    last_seq     INTEGER NOT NULL CHECK (last_seq >= 0),
    PRIMARY KEY (committee_id, year)
) STRICT;
INSERT INTO case_counters_by_committee (committee_id, year, last_seq)
SELECT 2, year, last_seq FROM case_counters;
DROP TABLE case_counters;
ALTER TABLE case_counters_by_committee RENAME TO case_counters;
