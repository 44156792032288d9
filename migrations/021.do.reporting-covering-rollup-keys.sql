-- Reports sum thousands of rollup rows per request (an affiliate's campaigns × hours).
-- With the counts INCLUDEd in the primary keys those sums are index-only scans over one
-- contiguous key range, instead of a heap fetch per row: the figures cost the same at any
-- raw volume once every (affiliate, campaign, hour) exists. Ingest's upserts still infer
-- these keys (ON CONFLICT (affiliate_id, hour, campaign_id[, status, currency])); an
-- update now also writes the index entry, one per touched rollup row per batch.
ALTER TABLE click_stats_hourly
  DROP CONSTRAINT click_stats_hourly_pkey,
  ADD CONSTRAINT click_stats_hourly_pkey PRIMARY KEY (affiliate_id, hour, campaign_id) INCLUDE (clicks, bot_clicks);

ALTER TABLE conversion_stats_hourly
  DROP CONSTRAINT conversion_stats_hourly_pkey,
  ADD CONSTRAINT conversion_stats_hourly_pkey
    PRIMARY KEY (affiliate_id, hour, campaign_id, status, currency) INCLUDE (conversions, amount);

-- Index-only scans skip the heap only for pages marked all-visible: vacuum the rollups
-- (small, constantly updated in the current hour) early rather than at the default 20%.
ALTER TABLE click_stats_hourly SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_insert_scale_factor = 0.01);
ALTER TABLE conversion_stats_hourly SET (autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_insert_scale_factor = 0.01);
