-- The official statistics report (issue 16): the Ministry of Justice's
-- people's-mediation statistics, with the national dispute types and the
-- three source groups.
--
-- Three case fields the report needs. `people_involved` (涉及当事人人数)
-- NULL means "not entered": the report then counts the case's parties. The
-- two prevented-escalation figures (防止民转刑, 防止群体性上访) are people
-- counts; 0 means the case prevented none (the flag is "more than 0").
ALTER TABLE cases ADD COLUMN people_involved BIGINT
    CHECK (people_involved IS NULL OR people_involved BETWEEN 1 AND 99999);
ALTER TABLE cases ADD COLUMN prevented_crime_people BIGINT NOT NULL DEFAULT 0
    CHECK (prevented_crime_people BETWEEN 0 AND 99999);
ALTER TABLE cases ADD COLUMN prevented_petition_people BIGINT NOT NULL DEFAULT 0
    CHECK (prevented_petition_people BETWEEN 0 AND 99999);

-- Accord's codes onto the national lists, edited by an admin. A category or
-- source without a row (added after this migration) counts as 物业
-- (`property`) or 申请调解 (`application`) until an admin maps it.
CREATE TABLE official_category_map (
    category      TEXT PRIMARY KEY REFERENCES categories (code) ON DELETE CASCADE,
    national_type TEXT NOT NULL CHECK (national_type IN ('marriage_family', 'neighbourhood', 'housing_land',
        'contract', 'business', 'damages', 'forest_land', 'land_requisition', 'environment', 'labour',
        'consumer', 'medical', 'traffic', 'property', 'other'))
);

CREATE TABLE official_source_map (
    source       TEXT PRIMARY KEY REFERENCES sources (code) ON DELETE CASCADE,
    source_group TEXT NOT NULL CHECK (source_group IN ('initiative', 'application', 'referral'))
);

-- DOMAIN.md's defaults.
INSERT INTO official_category_map (category, national_type)
SELECT code, CASE code WHEN 'neighbour' THEN 'neighbourhood' WHEN 'safety_loss' THEN 'damages' ELSE 'property' END
FROM categories;

INSERT INTO official_source_map (source, source_group)
SELECT code, CASE
    WHEN code = 'committee_initiative' THEN 'initiative'
    WHEN code IN ('party_application', 'hotline_12345') THEN 'application'
    ELSE 'referral' END
FROM sources;
