-- Statistics packets up the hierarchy (issue 16): SQLite's 0033, whose
-- comments say why.
ALTER TABLE organisations ADD COLUMN remote_key TEXT;
CREATE UNIQUE INDEX organisations_remote ON organisations (remote_key) WHERE remote_key IS NOT NULL;

ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_scope_check;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_scope_check CHECK (scope IN ('read', 'write', 'rollup'));
