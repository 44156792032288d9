-- Raw clicks and conversions get a lifecycle: both become range-partitioned by day, so
-- that retention drops whole days (a catalogue change) instead of deleting rows. Rollups
-- are not partitioned and keep every hour forever.
--
-- Idempotency moves to click_keys. A partitioned table's unique keys must contain its
-- partition key, so clicks can no longer hold UNIQUE (click_id): caller-supplied click_ids
-- carry no time. click_keys holds one narrow row per click, with click_id as its primary
-- key: its identity (time, affiliate, campaign) and its sub-ids, which is everything a
-- replay answers with and a conversion copies, so that neither reads clicks (whose day a
-- caller's click_id does not tell). Ingest inserts the key first and writes the click only
-- when the key was new. Retention deletes the keys of the days it drops, so "a click_id is
-- unique for as long as its click is retained".
--
-- conversions are partitioned by their click's timestamp, copied onto each conversion
-- (click_timestamp). It is fixed per click_id, so UNIQUE (click_id, txn_id, click_timestamp)
-- is exactly as unique as the old (click_id, txn_id), and a conversion is dropped with its
-- click, never before or after it: that, and ingest inserting conversions only for a
-- click found in click_keys, is what the foreign key to clicks used to hold. Reports still
-- count a conversion at its own "timestamp". Every unique key contains click_id, which is
-- what a distributed engine (Citus) needs to shard these tables by click_id.
--
-- Existing rows stay where they are: the old clicks table becomes the partition
-- clicks_history, covering every time before the day after this migration, attached after
-- a validated CHECK (one scan, no copy). Its keys are copied into click_keys (one narrow
-- row per click), and conversions, which need their click's timestamp, are copied into
-- the new table. Daily partitions from then on are created ahead of time by ingest
-- (packages/shared/src/partitions.ts). There is no DEFAULT partition: a row in it would
-- block creating the partition it belongs to; the partitions are created days ahead instead.

CREATE TABLE click_keys (
  click_id text NOT NULL,
  "timestamp" timestamptz NOT NULL DEFAULT now(),
  affiliate_id integer NOT NULL,
  campaign_id integer NOT NULL,
  sub1 text,
  sub2 text,
  sub3 text,
  sub4 text,
  sub5 text
);
INSERT INTO click_keys (click_id, "timestamp", affiliate_id, campaign_id, sub1, sub2, sub3, sub4, sub5)
SELECT click_id, "timestamp", affiliate_id, campaign_id, sub1, sub2, sub3, sub4, sub5 FROM clicks;
-- Built after the copy: one sort instead of an index insert per row.
ALTER TABLE click_keys ADD CONSTRAINT click_keys_pkey PRIMARY KEY (click_id);
-- Retention deletes a dropped day's keys by time. Keys arrive in time order, so a BRIN
-- index (a few pages, next to nothing per insert) bounds each DELETE to the pages of its
-- minutes, read in order.
CREATE INDEX click_keys_timestamp_brin ON click_keys USING brin ("timestamp");

-- The old tables give up their names, and the constraints and indexes that the new
-- tables declare again.
ALTER TABLE conversions DROP CONSTRAINT conversions_click_id_fkey;
ALTER TABLE conversions RENAME TO conversions_unpartitioned;
ALTER INDEX conversions_pkey RENAME TO conversions_unpartitioned_pkey;
ALTER INDEX conversions_click_id_txn_id_key RENAME TO conversions_unpartitioned_click_id_txn_id_key;
ALTER INDEX conversions_affiliate_time_idx RENAME TO conversions_unpartitioned_affiliate_time_idx;

ALTER TABLE clicks RENAME TO clicks_history;
ALTER TABLE clicks_history DROP CONSTRAINT clicks_pkey;
ALTER TABLE clicks_history DROP CONSTRAINT clicks_click_id_key;
ALTER TABLE clicks_history ALTER COLUMN id DROP IDENTITY;
ALTER INDEX clicks_affiliate_time_idx RENAME TO clicks_history_affiliate_time_idx;
ALTER TABLE clicks_history RENAME CONSTRAINT clicks_affiliate_id_fkey TO clicks_history_affiliate_id_fkey;
ALTER TABLE clicks_history RENAME CONSTRAINT clicks_campaign_id_fkey TO clicks_history_campaign_id_fkey;

-- The same columns, defaults and CHECKs (LIKE copies them by name, which ATTACH requires).
-- id stays for the original spec's column list; it is no longer a key: it comes from the
-- identity sequence only (GENERATED ALWAYS), which is what keeps it unique.
CREATE TABLE clicks (
  LIKE clicks_history INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE,
  PRIMARY KEY (click_id, "timestamp"),
  FOREIGN KEY (affiliate_id) REFERENCES affiliates (id),
  FOREIGN KEY (campaign_id) REFERENCES campaigns (id)
) PARTITION BY RANGE ("timestamp");
ALTER TABLE clicks ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY;
SELECT setval(pg_get_serial_sequence('clicks', 'id'), coalesce(max(id), 0) + 1, false) FROM clicks_history;
CREATE INDEX clicks_affiliate_time_idx ON clicks (affiliate_id, "timestamp")
  INCLUDE (campaign_id, is_bot, sub1, sub2, sub3, sub4, sub5);
-- Storage parameters live on leaf partitions only: clicks_history keeps migration 022's,
-- and partitions.ts gives every daily partition the same.

CREATE TABLE conversions (
  id bigint GENERATED ALWAYS AS IDENTITY,
  click_id text NOT NULL,
  txn_id text NOT NULL DEFAULT '' CHECK (length(txn_id) <= 128),
  amount numeric(18, 4) NOT NULL CHECK (amount >= 0),
  currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  status text NOT NULL DEFAULT 'approved' CHECK (status IN ('approved', 'pending', 'rejected')),
  "timestamp" timestamptz NOT NULL DEFAULT now(),
  affiliate_id integer NOT NULL REFERENCES affiliates (id),
  campaign_id integer NOT NULL REFERENCES campaigns (id),
  source_ip inet,
  raw_request jsonb,
  -- The click's "timestamp": the partition key, fixed per click_id.
  click_timestamp timestamptz NOT NULL,
  -- The click's sub-ids, copied like affiliate and campaign: the sub-id breakdown counts
  -- conversions without joining clicks.
  sub1 text,
  sub2 text,
  sub3 text,
  sub4 text,
  sub5 text,
  CONSTRAINT conversions_click_id_txn_id_key UNIQUE (click_id, txn_id, click_timestamp)
) PARTITION BY RANGE (click_timestamp);
CREATE INDEX conversions_affiliate_time_idx ON conversions (affiliate_id, "timestamp" DESC, id DESC);

-- The history partitions end where the first daily partition will begin: at the start of
-- the UTC day after today, so that rows written today, before or after this migration,
-- have a partition. Bounds are literals, hence the dynamic SQL.
DO $$
DECLARE
  bound text := quote_literal(date_trunc('day', now(), 'UTC') + interval '24 hours');
BEGIN
  EXECUTE format('ALTER TABLE clicks_history ADD CONSTRAINT clicks_history_bound CHECK ("timestamp" < %s)', bound);
  EXECUTE format('ALTER TABLE clicks ATTACH PARTITION clicks_history FOR VALUES FROM (MINVALUE) TO (%s)', bound);
  EXECUTE format('CREATE TABLE conversions_history PARTITION OF conversions FOR VALUES FROM (MINVALUE) TO (%s)', bound);
END
$$;
-- ATTACH used the CHECK instead of scanning again; the partition bound now says the same.
ALTER TABLE clicks_history DROP CONSTRAINT clicks_history_bound;

INSERT INTO conversions (id, click_id, txn_id, amount, currency, status, "timestamp", affiliate_id, campaign_id,
                         source_ip, raw_request, click_timestamp, sub1, sub2, sub3, sub4, sub5)
OVERRIDING SYSTEM VALUE
SELECT c.id, c.click_id, c.txn_id, c.amount, c.currency, c.status, c."timestamp", c.affiliate_id, c.campaign_id,
       c.source_ip, c.raw_request, k."timestamp", k.sub1, k.sub2, k.sub3, k.sub4, k.sub5
FROM conversions_unpartitioned c JOIN click_keys k USING (click_id);
SELECT setval(pg_get_serial_sequence('conversions', 'id'), coalesce(max(id), 0) + 1, false) FROM conversions_unpartitioned;
DROP TABLE conversions_unpartitioned;

-- What retention has dropped: raw rows before dropped_before are gone, their rollups stay.
-- Reconcile compares and rebuilds only after it. One row at most.
CREATE TABLE raw_retention (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  dropped_before timestamptz NOT NULL
);
