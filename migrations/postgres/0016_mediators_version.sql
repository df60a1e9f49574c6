-- SQLite's 0036: the mediators' own counter beside the data version,
-- moved with it by every change to a mediator.
ALTER TABLE data_version ADD COLUMN mediators BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION data_version_mediator_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE data_version SET n = n + 1, mediators = mediators + 1;
    RETURN NULL;
END;
$$;
DROP TRIGGER data_version_mediator_insert ON mediators;
DROP TRIGGER data_version_mediator_update ON mediators;
CREATE TRIGGER data_version_mediator_insert AFTER INSERT ON mediators
    FOR EACH ROW EXECUTE FUNCTION data_version_mediator_row();
CREATE TRIGGER data_version_mediator_update AFTER UPDATE ON mediators
    FOR EACH ROW EXECUTE FUNCTION data_version_mediator_row();
CREATE TRIGGER data_version_mediator_delete AFTER DELETE ON mediators
    FOR EACH ROW EXECUTE FUNCTION data_version_mediator_row();
