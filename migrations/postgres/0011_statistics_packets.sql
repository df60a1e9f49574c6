-- Statistics packets up the hierarchy (issue 16): SQLite's 0033, whose
-- comments say why.
ALTER TABLE organisations ADD COLUMN remote_key TEXT;
CREATE UNIQUE INDEX organisations_remote ON organisations (remote_key) WHERE remote_key IS NOT NULL;

ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_scope_check;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_scope_check CHECK (scope IN ('read', 'write', 'rollup'));

CREATE TABLE official_reported (
    committee_id    BIGINT NOT NULL REFERENCES organisations (id),
    month           TEXT NOT NULL,
    national_type   TEXT NOT NULL,
    source_group    TEXT NOT NULL,
    accepted        BIGINT NOT NULL,
    settled         BIGINT NOT NULL,
    in_mediation    BIGINT NOT NULL,
    amount_agreed   BIGINT NOT NULL,
    people          BIGINT NOT NULL,
    fulfilled       BIGINT NOT NULL,
    crime_cases     BIGINT NOT NULL,
    crime_people    BIGINT NOT NULL,
    petition_cases  BIGINT NOT NULL,
    petition_people BIGINT NOT NULL,
    PRIMARY KEY (committee_id, month, national_type, source_group)
);
