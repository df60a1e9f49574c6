-- `accord purge CASE_NO` removes the files of a voided case's attachments
-- (issue 13: "the file stays until the case is voided and purged by an
-- admin command"). The rows stay, as everything in a case file does, with
-- the time their files were removed; nothing reads or checks those files.
ALTER TABLE attachments ADD COLUMN purged_at TEXT;
