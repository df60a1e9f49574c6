-- The mediators' own counter beside the data version (0025), moved by
-- every change to a mediator in the same transaction: the case list, the
-- case form and its check keep a committee's mediators in memory while it
-- stands (issue 12: 300 mediators read for every /cases page were a fifth
-- of its time), and a change by any process moves it.
ALTER TABLE data_version ADD COLUMN mediators INTEGER NOT NULL DEFAULT 0;

DROP TRIGGER data_version_mediator_insert;
DROP TRIGGER data_version_mediator_update;
CREATE TRIGGER data_version_mediator_insert AFTER INSERT ON mediators
BEGIN UPDATE data_version SET n = n + 1, mediators = mediators + 1; END;
CREATE TRIGGER data_version_mediator_update AFTER UPDATE ON mediators
BEGIN UPDATE data_version SET n = n + 1, mediators = mediators + 1; END;
CREATE TRIGGER data_version_mediator_delete AFTER DELETE ON mediators
BEGIN UPDATE data_version SET n = n + 1, mediators = mediators + 1; END;
