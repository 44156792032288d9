-- On a Citus coordinator only: the rollup rule's functions (migration 040) in PL/pgSQL, same
-- names, arguments, rows and rule. Citus cannot plan a SQL function's body when it reads a
-- distributed table ("parameterized queries for SQL functions referencing distributed tables
-- are not supported"), while PL/pgSQL hands it its arguments as values. On plain PostgreSQL
-- this does nothing: there the SQL bodies stay, inlined into the calling query.
--
-- One DO block (one statement per file, migrations/README.md); each body is one EXECUTE.
DO $do$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_extension WHERE extname = 'citus') THEN
    RETURN;
  END IF;
  EXECUTE $sql$
    CREATE OR REPLACE FUNCTION click_stats_hourly_of(since timestamptz DEFAULT '-infinity', until timestamptz DEFAULT 'infinity')
    RETURNS TABLE (affiliate_id integer, hour timestamptz, campaign_id integer, clicks bigint, bot_clicks bigint)
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    AS $$
    BEGIN
      RETURN QUERY
      SELECT c.affiliate_id, date_trunc('hour', c."timestamp", 'UTC'), c.campaign_id,
             count(*) FILTER (WHERE NOT c.is_bot), count(*) FILTER (WHERE c.is_bot)
      FROM clicks c
      WHERE c."timestamp" >= since AND c."timestamp" < until
      GROUP BY 1, 2, 3;
    END
    $$
  $sql$;
  EXECUTE $sql$
    CREATE OR REPLACE FUNCTION conversion_stats_hourly_of(since timestamptz DEFAULT '-infinity', until timestamptz DEFAULT 'infinity')
    RETURNS TABLE (affiliate_id integer, hour timestamptz, campaign_id integer, status text, currency char(3),
                   conversions bigint, amount numeric)
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    AS $$
    BEGIN
      RETURN QUERY
      SELECT c.affiliate_id, date_trunc('hour', c."timestamp", 'UTC'), c.campaign_id, c.status, c.currency,
             count(*), sum(c.amount)
      FROM conversions c
      WHERE c."timestamp" >= since AND c."timestamp" < until
      GROUP BY 1, 2, 3, 4, 5;
    END
    $$
  $sql$;
END
$do$;
