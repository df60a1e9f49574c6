-- A counter every change to what the statistics read moves forward, in the
-- same transaction: the dashboard keeps its figures in memory and reads
-- them again only when this number has moved (issue 12: /dashboard at
-- 500 requests a second). Kept by triggers, so every writer counts,
-- another process's (`accord import`, `accord demo`) included; a bulk
-- write whose summary is deferred (0014) moves it once, in `add_deferred`.
CREATE TABLE data_version (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    n   INTEGER NOT NULL
) STRICT;
INSERT INTO data_version (one, n) VALUES (1, 0);

CREATE TRIGGER data_version_case_insert AFTER INSERT ON cases
WHEN NOT EXISTS (SELECT 1 FROM stats_deferred)
BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER data_version_case_update AFTER UPDATE ON cases
BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER data_version_case_delete AFTER DELETE ON cases
BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER data_version_link_insert AFTER INSERT ON case_mediators
WHEN NOT EXISTS (SELECT 1 FROM stats_deferred)
BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER data_version_link_delete AFTER DELETE ON case_mediators
BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER data_version_mediator_insert AFTER INSERT ON mediators
BEGIN UPDATE data_version SET n = n + 1; END;
CREATE TRIGGER data_version_mediator_update AFTER UPDATE ON mediators
BEGIN UPDATE data_version SET n = n + 1; END;
