-- The rollup rule, once: which raw rows make which rollup row. For the raw rows with
-- since <= "timestamp" < until, these return exactly the rows click_stats_hourly and
-- conversion_stats_hourly should hold for them (whole rows when since and until are whole
-- UTC hours). Reconcile compares and rebuilds with them, tests and the reporting bench
-- build their rollups from them; ingest's same-statement upserts
-- (services/ingest/src/queries/) are the one other statement of the rule, kept for speed,
-- and services/ingest/test/rollups.test.ts proves they agree.
--
-- The hour is truncated in UTC explicitly, so a session's TimeZone never moves a bucket
-- (in Asia/Kolkata a plain date_trunc('hour', …) would cut hours at :30 UTC).
--
-- Functions rather than views, with string bodies rather than BEGIN ATOMIC: both a view
-- and an atomic body bind to the tables they name when created, so replacing clicks or
-- conversions (e.g. by partitioned tables of the same name) would leave them reading the
-- old ones or block the drop. A string body is parsed when called, by name. Being plain
-- STABLE SQL they are inlined into the calling query (a STRICT or a SET clause would stop
-- that), so the range reaches the scan as a condition on "timestamp" that an index or time
-- partitions can serve (today no index leads with "timestamp": a range is one pass over
-- the table).

CREATE FUNCTION click_stats_hourly_of(since timestamptz DEFAULT '-infinity', until timestamptz DEFAULT 'infinity')
RETURNS TABLE (affiliate_id integer, hour timestamptz, campaign_id integer, clicks bigint, bot_clicks bigint)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  SELECT c.affiliate_id, date_trunc('hour', c."timestamp", 'UTC'), c.campaign_id,
         count(*) FILTER (WHERE NOT c.is_bot), count(*) FILTER (WHERE c.is_bot)
  FROM clicks c
  WHERE c."timestamp" >= since AND c."timestamp" < until
  GROUP BY 1, 2, 3
$$;

CREATE FUNCTION conversion_stats_hourly_of(since timestamptz DEFAULT '-infinity', until timestamptz DEFAULT 'infinity')
RETURNS TABLE (affiliate_id integer, hour timestamptz, campaign_id integer, status text, currency char(3),
               conversions bigint, amount numeric)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  SELECT c.affiliate_id, date_trunc('hour', c."timestamp", 'UTC'), c.campaign_id, c.status, c.currency,
         count(*), sum(c.amount)
  FROM conversions c
  WHERE c."timestamp" >= since AND c."timestamp" < until
  GROUP BY 1, 2, 3, 4, 5
$$;
