-- The reporting service's own tables and its SELECT-only role.

-- API keys for AUTH_MODE=key. Only the SHA-256 of a key is stored: keys are 256 random bits,
-- so a fast hash is enough (nothing to brute-force) and costs a request nothing.
CREATE TABLE api_keys (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  key_hash bytea NOT NULL UNIQUE CHECK (length(key_hash) = 32),
  -- NULL with is_admin: an operator's key that sees every affiliate.
  affiliate_id integer REFERENCES affiliates (id),
  is_admin boolean NOT NULL DEFAULT false,
  label text CHECK (length(label) <= 200),
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  CHECK (is_admin = (affiliate_id IS NULL))
);

-- The reporting service only reads: its sessions SET ROLE to this role when the server
-- allows it (see services/reporting/src/db.ts), so even a bug cannot write. Roles are
-- cluster-wide, hence IF NOT EXISTS; a server where the migrating user may not create
-- roles (some managed services) skips this and the service keeps its own privileges.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'affiliate_reporting') THEN
    CREATE ROLE affiliate_reporting NOLOGIN;
  END IF;
  GRANT USAGE ON SCHEMA public TO affiliate_reporting;
  GRANT SELECT ON ALL TABLES IN SCHEMA public TO affiliate_reporting;
  -- Tables that later migrations create are readable too.
  ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO affiliate_reporting;
  -- A superuser may SET ROLE to anything; anyone else needs the membership.
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    EXECUTE format('GRANT affiliate_reporting TO %I', current_user);
  END IF;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'role affiliate_reporting not set up: %', SQLERRM;
END
$$;
