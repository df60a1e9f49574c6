-- A blank 涉及金额 kept apart from zero (issue 10). `amount_claimed` stays
-- NOT NULL and holds 0 for a blank, so every sum and the stats triggers
-- (which count a blank as zero) stay as they are; the flag only says that
-- nobody entered an amount. Until now the form stored a blank as 0 and said
-- "leave blank if none", so an existing 0 is taken as a blank.
ALTER TABLE cases ADD COLUMN amount_claimed_blank INTEGER NOT NULL DEFAULT 0
    CHECK (amount_claimed_blank IN (0, 1) AND (amount_claimed_blank = 0 OR amount_claimed = 0));

UPDATE cases SET amount_claimed_blank = 1 WHERE amount_claimed = 0;
