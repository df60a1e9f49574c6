-- The official report's summary (issue 12: /reports/official at a million
-- cases). `official_monthly` holds the report's figures (migration 0030,
-- `store::stats::official`) of the counted cases (voided ones in none) by
-- committee, month of acceptance and Accord's own category and source. The
-- national mapping is applied when the report is read (a join on
-- official_category_map / official_source_map), so an admin's change of
-- the mapping needs no rebuild.
--
-- Kept exact as `stats_monthly` is: triggers on `cases` subtract a case's
-- old contribution and add its new one (a transfer moves it to its new
-- committee); when `people_involved` is NULL a case counts its parties, so
-- the triggers on `parties` move a case's people with each party added,
-- removed or moved to another case. Bulk writes (0014) add their cases once,
-- grouped (store::stats::add_deferred); `summary_drift` checks the table.
-- A row never goes: one whose cases all left holds zeros, which readers skip.
CREATE TABLE official_monthly (
    committee_id    INTEGER NOT NULL,
    month           TEXT NOT NULL,            -- YYYY-MM of accepted_on
    category        TEXT NOT NULL,
    source          TEXT NOT NULL,
    accepted        INTEGER NOT NULL DEFAULT 0,
    settled         INTEGER NOT NULL DEFAULT 0,
    in_mediation    INTEGER NOT NULL DEFAULT 0,
    amount_agreed   INTEGER NOT NULL DEFAULT 0, -- fen, settled cases only
    people          INTEGER NOT NULL DEFAULT 0,
    fulfilled       INTEGER NOT NULL DEFAULT 0,
    crime_cases     INTEGER NOT NULL DEFAULT 0,
    crime_people    INTEGER NOT NULL DEFAULT 0,
    petition_cases  INTEGER NOT NULL DEFAULT 0,
    petition_people INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (committee_id, month, category, source)
) STRICT, WITHOUT ROWID;

-- The cases on record, the way store::stats::add_deferred adds them.
INSERT INTO official_monthly (committee_id, month, category, source, accepted, settled, in_mediation, amount_agreed,
    people, fulfilled, crime_cases, crime_people, petition_cases, petition_people)
SELECT c.committee_id, substr(c.accepted_on, 1, 7), c.category, c.source, COUNT(*),
    SUM(c.status = 'settled'), SUM(c.status = 'in_mediation'),
    SUM(CASE WHEN c.status = 'settled' THEN coalesce(c.amount_agreed, 0) ELSE 0 END),
    SUM(coalesce(c.people_involved, p.n, 0)),
    SUM(c.status = 'settled' AND c.fulfilment IS 'fulfilled'),
    SUM(c.prevented_crime_people > 0), SUM(c.prevented_crime_people),
    SUM(c.prevented_petition_people > 0), SUM(c.prevented_petition_people)
FROM cases c LEFT JOIN (SELECT case_id, COUNT(*) AS n FROM parties GROUP BY case_id) p ON p.case_id = c.id
WHERE c.status <> 'voided' AND c.accepted_on IS NOT NULL
GROUP BY c.committee_id, substr(c.accepted_on, 1, 7), c.category, c.source;

CREATE TRIGGER official_case_insert AFTER INSERT ON cases
WHEN NEW.accepted_on IS NOT NULL AND NEW.status <> 'voided' AND NOT EXISTS (SELECT 1 FROM stats_deferred)
BEGIN
    INSERT INTO official_monthly (committee_id, month, category, source, accepted, settled, in_mediation,
        amount_agreed, people, fulfilled, crime_cases, crime_people, petition_cases, petition_people)
    VALUES (NEW.committee_id, substr(NEW.accepted_on, 1, 7), NEW.category, NEW.source, 1,
        NEW.status = 'settled', NEW.status = 'in_mediation',
        CASE WHEN NEW.status = 'settled' THEN coalesce(NEW.amount_agreed, 0) ELSE 0 END,
        coalesce(NEW.people_involved, (SELECT COUNT(*) FROM parties WHERE case_id = NEW.id)),
        NEW.status = 'settled' AND NEW.fulfilment IS 'fulfilled',
        NEW.prevented_crime_people > 0, NEW.prevented_crime_people,
        NEW.prevented_petition_people > 0, NEW.prevented_petition_people)
    ON CONFLICT (committee_id, month, category, source) DO UPDATE SET
        accepted = accepted + excluded.accepted, settled = settled + excluded.settled,
        in_mediation = in_mediation + excluded.in_mediation, amount_agreed = amount_agreed + excluded.amount_agreed,
        people = people + excluded.people, fulfilled = fulfilled + excluded.fulfilled,
        crime_cases = crime_cases + excluded.crime_cases, crime_people = crime_people + excluded.crime_people,
        petition_cases = petition_cases + excluded.petition_cases,
        petition_people = petition_people + excluded.petition_people;
END;

-- The old values out, the new ones in; the parties are the same for both.
CREATE TRIGGER official_case_update AFTER UPDATE OF accepted_on, status, committee_id, category, source, fulfilment,
    amount_agreed, people_involved, prevented_crime_people, prevented_petition_people ON cases
BEGIN
    INSERT INTO official_monthly (committee_id, month, category, source, accepted, settled, in_mediation,
        amount_agreed, people, fulfilled, crime_cases, crime_people, petition_cases, petition_people)
    SELECT OLD.committee_id, substr(OLD.accepted_on, 1, 7), OLD.category, OLD.source, -1,
        -(OLD.status = 'settled'), -(OLD.status = 'in_mediation'),
        CASE WHEN OLD.status = 'settled' THEN -coalesce(OLD.amount_agreed, 0) ELSE 0 END,
        -coalesce(OLD.people_involved, (SELECT COUNT(*) FROM parties WHERE case_id = OLD.id)),
        -(OLD.status = 'settled' AND OLD.fulfilment IS 'fulfilled'),
        -(OLD.prevented_crime_people > 0), -OLD.prevented_crime_people,
        -(OLD.prevented_petition_people > 0), -OLD.prevented_petition_people
    WHERE OLD.accepted_on IS NOT NULL AND OLD.status <> 'voided'
    ON CONFLICT (committee_id, month, category, source) DO UPDATE SET
        accepted = accepted + excluded.accepted, settled = settled + excluded.settled,
        in_mediation = in_mediation + excluded.in_mediation, amount_agreed = amount_agreed + excluded.amount_agreed,
        people = people + excluded.people, fulfilled = fulfilled + excluded.fulfilled,
        crime_cases = crime_cases + excluded.crime_cases, crime_people = crime_people + excluded.crime_people,
        petition_cases = petition_cases + excluded.petition_cases,
        petition_people = petition_people + excluded.petition_people;
    INSERT INTO official_monthly (committee_id, month, category, source, accepted, settled, in_mediation,
        amount_agreed, people, fulfilled, crime_cases, crime_people, petition_cases, petition_people)
    SELECT NEW.committee_id, substr(NEW.accepted_on, 1, 7), NEW.category, NEW.source, 1,
        NEW.status = 'settled', NEW.status = 'in_mediation',
        CASE WHEN NEW.status = 'settled' THEN coalesce(NEW.amount_agreed, 0) ELSE 0 END,
        coalesce(NEW.people_involved, (SELECT COUNT(*) FROM parties WHERE case_id = NEW.id)),
        NEW.status = 'settled' AND NEW.fulfilment IS 'fulfilled',
        NEW.prevented_crime_people > 0, NEW.prevented_crime_people,
        NEW.prevented_petition_people > 0, NEW.prevented_petition_people
    WHERE NEW.accepted_on IS NOT NULL AND NEW.status <> 'voided'
    ON CONFLICT (committee_id, month, category, source) DO UPDATE SET
        accepted = accepted + excluded.accepted, settled = settled + excluded.settled,
        in_mediation = in_mediation + excluded.in_mediation, amount_agreed = amount_agreed + excluded.amount_agreed,
        people = people + excluded.people, fulfilled = fulfilled + excluded.fulfilled,
        crime_cases = crime_cases + excluded.crime_cases, crime_people = crime_people + excluded.crime_people,
        petition_cases = petition_cases + excluded.petition_cases,
        petition_people = petition_people + excluded.petition_people;
END;

-- BEFORE, so the case's parties are still there to be counted; the cascade
-- that then deletes them finds no case and subtracts nothing.
CREATE TRIGGER official_case_delete BEFORE DELETE ON cases
WHEN OLD.accepted_on IS NOT NULL AND OLD.status <> 'voided'
BEGIN
    UPDATE official_monthly SET accepted = accepted - 1,
        settled = settled - (OLD.status = 'settled'), in_mediation = in_mediation - (OLD.status = 'in_mediation'),
        amount_agreed = amount_agreed - CASE WHEN OLD.status = 'settled' THEN coalesce(OLD.amount_agreed, 0) ELSE 0 END,
        people = people - coalesce(OLD.people_involved, (SELECT COUNT(*) FROM parties WHERE case_id = OLD.id)),
        fulfilled = fulfilled - (OLD.status = 'settled' AND OLD.fulfilment IS 'fulfilled'),
        crime_cases = crime_cases - (OLD.prevented_crime_people > 0),
        crime_people = crime_people - OLD.prevented_crime_people,
        petition_cases = petition_cases - (OLD.prevented_petition_people > 0),
        petition_people = petition_people - OLD.prevented_petition_people
    WHERE committee_id = OLD.committee_id AND month = substr(OLD.accepted_on, 1, 7) AND category = OLD.category
        AND source = OLD.source;
END;

-- A party of a counted case without `people_involved` is one of its people.
CREATE TRIGGER official_party_insert AFTER INSERT ON parties
WHEN NOT EXISTS (SELECT 1 FROM stats_deferred)
BEGIN
    UPDATE official_monthly SET people = people + 1
    WHERE (committee_id, month, category, source) IN (
        SELECT c.committee_id, substr(c.accepted_on, 1, 7), c.category, c.source FROM cases c
        WHERE c.id = NEW.case_id AND c.people_involved IS NULL AND c.accepted_on IS NOT NULL
            AND c.status <> 'voided');
END;

CREATE TRIGGER official_party_delete AFTER DELETE ON parties
BEGIN
    UPDATE official_monthly SET people = people - 1
    WHERE (committee_id, month, category, source) IN (
        SELECT c.committee_id, substr(c.accepted_on, 1, 7), c.category, c.source FROM cases c
        WHERE c.id = OLD.case_id AND c.people_involved IS NULL AND c.accepted_on IS NOT NULL
            AND c.status <> 'voided');
END;

CREATE TRIGGER official_party_update AFTER UPDATE OF case_id ON parties
BEGIN
    UPDATE official_monthly SET people = people - 1
    WHERE (committee_id, month, category, source) IN (
        SELECT c.committee_id, substr(c.accepted_on, 1, 7), c.category, c.source FROM cases c
        WHERE c.id = OLD.case_id AND c.people_involved IS NULL AND c.accepted_on IS NOT NULL
            AND c.status <> 'voided');
    UPDATE official_monthly SET people = people + 1
    WHERE (committee_id, month, category, source) IN (
        SELECT c.committee_id, substr(c.accepted_on, 1, 7), c.category, c.source FROM cases c
        WHERE c.id = NEW.case_id AND c.people_involved IS NULL AND c.accepted_on IS NOT NULL
            AND c.status <> 'voided');
END;
