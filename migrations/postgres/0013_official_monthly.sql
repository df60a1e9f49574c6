-- The official report's summary (issue 12; SQLite's 0034). `official_monthly`
-- holds the report's figures (0008, `store::stats::official`) of the
-- counted cases (voided ones in none) by committee, month of acceptance and
-- Accord's own category and source; the national mapping is applied when
-- the report is read, so an admin's change of it needs no rebuild.
--
-- Kept exact as `stats_monthly` is: `official_add` subtracts a case's old
-- contribution and adds its new one (a transfer moves it to its new
-- committee); when `people_involved` is NULL a case counts its parties, so
-- the triggers on `parties` move a case's people with each party added,
-- removed or moved. Bulk writes add their cases once, grouped
-- (store::stats::add_deferred); `summary_drift` checks the table. A row
-- never goes: one whose cases all left holds zeros, which readers skip.
--
-- Lock order (0001): the triggers on `cases` are named `stats_official_*`,
-- so they fire after those that move data_version (`cases_after_insert`,
-- `data_version_case_update`, `stats_case_delete`). The party triggers do
-- not move it (as party_type_usage's do not): every write path writes a
-- case before its parties (store::cases: the case row, then
-- replace_parties), so data_version is already held when they run.
CREATE TABLE official_monthly (
    committee_id    BIGINT NOT NULL,
    month           TEXT NOT NULL,            -- YYYY-MM of accepted_on
    category        TEXT NOT NULL,
    source          TEXT NOT NULL,
    accepted        BIGINT NOT NULL DEFAULT 0,
    settled         BIGINT NOT NULL DEFAULT 0,
    in_mediation    BIGINT NOT NULL DEFAULT 0,
    amount_agreed   BIGINT NOT NULL DEFAULT 0, -- fen, settled cases only
    people          BIGINT NOT NULL DEFAULT 0,
    fulfilled       BIGINT NOT NULL DEFAULT 0,
    crime_cases     BIGINT NOT NULL DEFAULT 0,
    crime_people    BIGINT NOT NULL DEFAULT 0,
    petition_cases  BIGINT NOT NULL DEFAULT 0,
    petition_people BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (committee_id, month, category, source)
);

-- The cases on record, the way store::stats::add_deferred adds them.
INSERT INTO official_monthly (committee_id, month, category, source, accepted, settled, in_mediation, amount_agreed,
    people, fulfilled, crime_cases, crime_people, petition_cases, petition_people)
SELECT c.committee_id, to_char(c.accepted_on, 'YYYY-MM'), c.category, c.source, COUNT(*),
    SUM((c.status = 'settled')::int), SUM((c.status = 'in_mediation')::int),
    SUM(CASE WHEN c.status = 'settled' THEN coalesce(c.amount_agreed, 0) ELSE 0 END),
    SUM(coalesce(c.people_involved, p.n, 0)),
    SUM((c.status = 'settled' AND c.fulfilment IS NOT DISTINCT FROM 'fulfilled')::int),
    SUM((c.prevented_crime_people > 0)::int), SUM(c.prevented_crime_people),
    SUM((c.prevented_petition_people > 0)::int), SUM(c.prevented_petition_people)
FROM cases c LEFT JOIN (SELECT case_id, COUNT(*) AS n FROM parties GROUP BY case_id) p ON p.case_id = c.id
WHERE c.status <> 'voided' AND c.accepted_on IS NOT NULL
GROUP BY c.committee_id, to_char(c.accepted_on, 'YYYY-MM'), c.category, c.source;

-- Adds one case's figures, times `sgn` (+1 new values, -1 old values), if it counts.
CREATE FUNCTION official_add(k cases, sgn BIGINT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF k.accepted_on IS NULL OR k.status = 'voided' THEN
        RETURN;
    END IF;
    INSERT INTO official_monthly AS s (committee_id, month, category, source, accepted, settled, in_mediation,
        amount_agreed, people, fulfilled, crime_cases, crime_people, petition_cases, petition_people)
    VALUES (k.committee_id, to_char(k.accepted_on, 'YYYY-MM'), k.category, k.source, sgn,
        sgn * (k.status = 'settled')::int, sgn * (k.status = 'in_mediation')::int,
        sgn * CASE WHEN k.status = 'settled' THEN coalesce(k.amount_agreed, 0) ELSE 0 END,
        sgn * coalesce(k.people_involved, (SELECT COUNT(*) FROM parties p WHERE p.case_id = k.id)),
        sgn * (k.status = 'settled' AND k.fulfilment IS NOT DISTINCT FROM 'fulfilled')::int,
        sgn * (k.prevented_crime_people > 0)::int, sgn * k.prevented_crime_people,
        sgn * (k.prevented_petition_people > 0)::int, sgn * k.prevented_petition_people)
    ON CONFLICT (committee_id, month, category, source) DO UPDATE SET
        accepted = s.accepted + excluded.accepted, settled = s.settled + excluded.settled,
        in_mediation = s.in_mediation + excluded.in_mediation,
        amount_agreed = s.amount_agreed + excluded.amount_agreed, people = s.people + excluded.people,
        fulfilled = s.fulfilled + excluded.fulfilled, crime_cases = s.crime_cases + excluded.crime_cases,
        crime_people = s.crime_people + excluded.crime_people,
        petition_cases = s.petition_cases + excluded.petition_cases,
        petition_people = s.petition_people + excluded.petition_people;
END;
$$;

CREATE FUNCTION stats_official_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT stats_deferred() THEN
        PERFORM official_add(NEW, 1);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER stats_official_insert AFTER INSERT ON cases
    FOR EACH ROW EXECUTE FUNCTION stats_official_insert();

CREATE FUNCTION stats_official_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM official_add(OLD, -1);
    PERFORM official_add(NEW, 1);
    RETURN NULL;
END;
$$;
CREATE TRIGGER stats_official_update AFTER UPDATE OF accepted_on, status, committee_id, category, source, fulfilment,
    amount_agreed, people_involved, prevented_crime_people, prevented_petition_people ON cases
    FOR EACH ROW EXECUTE FUNCTION stats_official_update();

-- BEFORE, so the case's parties are still there to be counted; the cascade
-- that then deletes them finds no case and subtracts nothing.
CREATE FUNCTION stats_official_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM official_add(OLD, -1);
    RETURN OLD;
END;
$$;
CREATE TRIGGER stats_official_delete BEFORE DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION stats_official_delete();

-- A party of a counted case without `people_involved` is one of its people:
-- adds `sgn` to that case's people.
CREATE FUNCTION official_party(case_id BIGINT, sgn BIGINT) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    k cases;
BEGIN
    SELECT * INTO k FROM cases c WHERE c.id = official_party.case_id;
    IF NOT FOUND OR k.people_involved IS NOT NULL OR k.accepted_on IS NULL OR k.status = 'voided' THEN
        RETURN;
    END IF;
    UPDATE official_monthly SET people = people + sgn
    WHERE committee_id = k.committee_id AND month = to_char(k.accepted_on, 'YYYY-MM') AND category = k.category
        AND source = k.source;
END;
$$;

CREATE FUNCTION stats_official_party() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NOT stats_deferred() THEN
            PERFORM official_party(NEW.case_id, 1);
        END IF;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM official_party(OLD.case_id, -1);
    ELSE
        PERFORM official_party(OLD.case_id, -1);
        PERFORM official_party(NEW.case_id, 1);
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER stats_official_party AFTER INSERT OR DELETE OR UPDATE OF case_id ON parties
    FOR EACH ROW EXECUTE FUNCTION stats_official_party();
