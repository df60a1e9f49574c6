-- Sign-in attempts, for throttling and for the record (never the password).
CREATE TABLE login_attempts (
    id       INTEGER PRIMARY KEY,
    username TEXT NOT NULL COLLATE NOCASE,
    at       INTEGER NOT NULL,            -- unix seconds, UTC
    success  INTEGER NOT NULL CHECK (success IN (0, 1))
) STRICT;

CREATE INDEX login_attempts_user ON login_attempts (username, at);
