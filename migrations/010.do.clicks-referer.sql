-- The Referer header of a click, cleaned and cut by the ingest service: evidence of
-- where traffic came from, never a reason to refuse a click.
ALTER TABLE clicks ADD COLUMN referer text CHECK (length(referer) <= 1024);
