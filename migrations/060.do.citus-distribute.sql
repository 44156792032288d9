-- On a Citus coordinator (the database has the citus extension), distribute the tables; on
-- plain PostgreSQL do nothing. Existing rows are copied to the shards, so a database that
-- ran here before Citus was added ends up the same as a new one. See docs/scaling.md.
--
-- - Reference tables (a copy on every node, joined locally): the small lookup tables.
-- - click_keys, clicks and conversions by click_id, colocated: a click's key, its row and its
--   conversions live on one shard, so ingest's statements, which name their click_ids,
--   go to the shards of their batch only. Every unique key of the three contains click_id
--   (migration 050). Partitions follow their parent, also those partitions.ts creates later.
-- - The rollups by affiliate_id, colocated: a report reads one affiliate's rows, one shard.
--
-- One statement (a DO block), so that Postgrator's one query per file never carries two
-- commands on a distributed table (Citus refuses that: migrations/README.md). Each table
-- is skipped once distributed, so a run cut off before schema_migrations recorded it can
-- run again. The shard count is the session's citus.shard_count (32 unless set).
DO $$
DECLARE
  t record;
BEGIN
  IF NOT EXISTS (SELECT FROM pg_extension WHERE extname = 'citus') THEN
    RETURN;
  END IF;
  -- Otherwise the first reference table makes every table with a foreign key to it a
  -- citus-local table, for good, and those cannot then be distributed.
  PERFORM set_config('citus.enable_local_reference_table_foreign_keys', 'off', true);
  FOR t IN
    SELECT * FROM (VALUES
      (1, 'affiliates', NULL, NULL),
      (2, 'campaigns', NULL, NULL),
      (3, 'api_keys', NULL, NULL),
      (4, 'raw_retention', NULL, NULL),
      (5, 'click_keys', 'click_id', 'none'),
      (6, 'clicks', 'click_id', 'click_keys'),
      (7, 'conversions', 'click_id', 'click_keys'),
      (8, 'click_stats_hourly', 'affiliate_id', 'none'),
      (9, 'conversion_stats_hourly', 'affiliate_id', 'click_stats_hourly')
    ) AS v (n, name, by_column, colocate_with)
    WHERE NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = v.name::regclass)
    ORDER BY n
  LOOP
    IF t.by_column IS NULL THEN
      PERFORM create_reference_table(t.name);
    ELSE
      PERFORM create_distributed_table(t.name, t.by_column, colocate_with => t.colocate_with);
    END IF;
  END LOOP;
  -- The copied rows stay on the coordinator's disk, invisible, until truncated there.
  FOR t IN
    SELECT p.logicalrelid FROM pg_dist_partition p JOIN pg_class c ON c.oid = p.logicalrelid
    WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
  LOOP
    PERFORM truncate_local_data_after_distributing_table(t.logicalrelid);
  END LOOP;
END
$$;
