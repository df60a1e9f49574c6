-- Attachments (附件) of a case, optionally of one of its sessions or return
-- visits. The bytes live under `files_dir`, named by their SHA-256, so the
-- same content uploaded twice is stored once; this table holds what a
-- person said about each upload. Nothing is deleted: a mistaken upload is
-- voided with a reason and stays listed (its file stays on disk).
CREATE TABLE attachments (
    id            INTEGER PRIMARY KEY,
    case_id       INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    session_id    INTEGER REFERENCES mediation_sessions (id) ON DELETE SET NULL,
    visit_id      INTEGER REFERENCES return_visits (id) ON DELETE SET NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('application', 'identity', 'evidence', 'signed_agreement',
                                                'performance_proof', 'photo', 'other')),
    note          TEXT NOT NULL DEFAULT '',
    original_name TEXT NOT NULL CHECK (length(original_name) BETWEEN 1 AND 255),
    size          INTEGER NOT NULL CHECK (size > 0),
    sha256        TEXT NOT NULL CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
    -- The type found in the content (magic bytes), never the name's.
    detected_type TEXT NOT NULL CHECK (detected_type IN ('pdf', 'jpeg', 'png', 'heic', 'webp', 'docx', 'xlsx',
                                                         'doc', 'xls', 'text')),
    uploaded_by   INTEGER REFERENCES users (id),
    uploaded_at   TEXT NOT NULL,
    voided_at     TEXT,
    voided_by     INTEGER REFERENCES users (id),
    voided_reason TEXT,
    CHECK (session_id IS NULL OR visit_id IS NULL),
    CHECK ((voided_at IS NULL) = (voided_reason IS NULL))
) STRICT;

CREATE INDEX attachments_case ON attachments (case_id, id);
-- `accord check` and the backup walk the distinct hashes.
CREATE INDEX attachments_sha256 ON attachments (sha256);
