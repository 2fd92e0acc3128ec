-- sql/fleet/fleet.sql - the query database's half of tools/fleet-query.
-- Run by fleet-query inside one transaction, before it calls the
-- functions below; safe to run again (every object is created if missing
-- or replaced).
--
-- The query database holds no rows of its own. For each shard (one
-- sidewatch PostgreSQL written by one correlator) it has a postgres_fdw
-- server sw_shard_NAME, a user mapping, and a schema sw_shard_NAME with a
-- foreign table per table of the shard's schema. Each fleet table is
-- public.T, an empty local table the shards' foreign tables inherit from:
-- SELECT ... FROM T reads every shard (one foreign scan each, run
-- concurrently: async_capable), and tableoid says which shard a row came
-- from (sw_fleet.shard_of). The few tables every shard holds one copy of
-- (sw_fleet.first_shard_tables) are views of the first shard's instead.
-- The views of the shard schema (api_inventory, verdicts) are created
-- again here from the first shard's own definitions (pg_get_viewdef), over
-- the fleet tables.
--
-- Names and option values reach DDL only through format('%I' / '%L');
-- fleet-query passes them as parameters, never as SQL text.
--
-- Citus (README, "Fleet query database"): events and batches would be
-- distributed by host, incidents by id, api_* by endpoint id;
-- first_shard_tables plus hosts, blocks, block_versions, allow and
-- protected_addrs would be reference tables. sql/fleet/citus_check.sql
-- lists what in today's schema stands in the way.

CREATE EXTENSION IF NOT EXISTS postgres_fdw;
CREATE SCHEMA IF NOT EXISTS sw_fleet;

CREATE TABLE IF NOT EXISTS sw_fleet.shards (
    name   text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_]{0,39}$'),
    pos    integer NOT NULL UNIQUE,
    set_at timestamptz NOT NULL DEFAULT now()
);
-- What the last setup created in public, in creation order (dropped in
-- reverse by sw_fleet.reset).
CREATE TABLE IF NOT EXISTS sw_fleet.objects (
    ord  serial PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('table', 'view')),
    name text NOT NULL UNIQUE
);

-- Tables each shard holds one copy of: the schema's version, singletons
-- (the block list head, the inventory limits) and the data-class catalogue
-- every correlator writes from the same C table. A union would repeat
-- their rows once per shard (and "SELECT version FROM block_list_head"
-- would return several rows), so the fleet reads the first shard's.
CREATE OR REPLACE FUNCTION sw_fleet.first_shard_tables() RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT ARRAY['schema_version', 'block_list_head', 'api_inventory_limits',
                 'api_data_class_kinds']
$$;

-- The shard a row of a fleet table came from: shard_of(tableoid).
CREATE OR REPLACE FUNCTION sw_fleet.shard_of(p_rel oid) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT s.name FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN sw_fleet.shards s ON n.nspname = 'sw_shard_' || s.name
    WHERE c.oid = p_rel
$$;

-- Drop what the last setup made: its views and tables in public (newest
-- first), then each shard's server (with its user mapping and foreign
-- tables) and schema. An object of someone else's that depends on one of
-- them makes this fail, and with it the whole setup (nothing changes).
CREATE OR REPLACE FUNCTION sw_fleet.reset() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT kind, name FROM sw_fleet.objects ORDER BY ord DESC LOOP
        IF r.kind = 'view' THEN
            EXECUTE format('DROP VIEW IF EXISTS public.%I', r.name);
        END IF;
    END LOOP;
    FOR r IN SELECT name FROM sw_fleet.shards LOOP
        EXECUTE format('DROP SERVER IF EXISTS %I CASCADE', 'sw_shard_' || r.name);
        EXECUTE format('DROP SCHEMA IF EXISTS %I CASCADE', 'sw_shard_' || r.name);
    END LOOP;
    FOR r IN SELECT kind, name FROM sw_fleet.objects ORDER BY ord DESC LOOP
        IF r.kind = 'table' THEN
            EXECUTE format('DROP TABLE IF EXISTS public.%I', r.name);
        END IF;
    END LOOP;
    DELETE FROM sw_fleet.objects;
    DELETE FROM sw_fleet.shards;
END $$;

-- "k 'v', ..." for an OPTIONS clause; NULL when there is none.
CREATE OR REPLACE FUNCTION sw_fleet.options(p_keys text[], p_vals text[])
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT string_agg(format('%I %L', k, v), ', ' ORDER BY o)
    FROM unnest(p_keys, p_vals) WITH ORDINALITY u(k, v, o)
$$;

-- One shard: its server (libpq options from its conninfo, fleet-query
-- splits them), the current user's mapping (user, password), and its
-- schema with a foreign table per table named in p_tables.
CREATE OR REPLACE FUNCTION sw_fleet.add_shard(
    p_name text, p_pos integer, p_srv_keys text[], p_srv_vals text[],
    p_map_keys text[], p_map_vals text[], p_tables text[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    srv  text := 'sw_shard_' || p_name;
    opts text;
BEGIN
    IF p_name IS NULL OR p_name !~ '^[a-z][a-z0-9_]{0,39}$' THEN
        RAISE EXCEPTION 'shard name "%": want a lower-case letter, then up to 39 of [a-z0-9_]', p_name;
    END IF;
    IF cardinality(p_tables) IS NULL THEN
        RAISE EXCEPTION 'shard %: no tables to import', p_name;
    END IF;
    INSERT INTO sw_fleet.shards (name, pos) VALUES (p_name, p_pos);
    -- fetch_size: rows per round trip (postgres_fdw's 100 makes a count of
    -- a million rows ten thousand round trips); async_capable: the
    -- shards of one Append are read at the same time
    opts := concat_ws(', ', sw_fleet.options(p_srv_keys, p_srv_vals),
                      'fetch_size ''10000''', 'async_capable ''true''');
    EXECUTE format('CREATE SERVER %I FOREIGN DATA WRAPPER postgres_fdw OPTIONS (%s)',
                   srv, opts);
    opts := sw_fleet.options(p_map_keys, p_map_vals);
    EXECUTE format('CREATE USER MAPPING FOR CURRENT_USER SERVER %I%s', srv,
                   CASE WHEN opts IS NULL THEN '' ELSE ' OPTIONS (' || opts || ')' END);
    EXECUTE format('CREATE SCHEMA %I', srv);
    EXECUTE format('IMPORT FOREIGN SCHEMA public LIMIT TO (%s) FROM SERVER %I INTO %I',
                   (SELECT string_agg(format('%I', t), ', ') FROM unnest(p_tables) t),
                   srv, srv);
END $$;

-- The fleet tables, once every shard is added: public.T inheriting each
-- shard's T (columns from the first shard's; a shard missing one, or
-- with another type, is named in the error), or for first_shard_tables
-- a view of the first shard's. A parent holds no rows (CHECK false, not
-- inherited): a write meant for a shard fails instead of landing here.
CREATE OR REPLACE FUNCTION sw_fleet.build(p_tables text[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    first text := (SELECT 'sw_shard_' || name FROM sw_fleet.shards ORDER BY pos LIMIT 1);
    t text;
    s text;
BEGIN
    FOREACH t IN ARRAY p_tables LOOP
        IF t = ANY (sw_fleet.first_shard_tables()) THEN
            IF to_regclass(format('public.%I', t)) IS NOT NULL THEN
                RAISE EXCEPTION 'the query database has a table % of its own (is it a shard?)', t;
            END IF;
            EXECUTE format('CREATE VIEW public.%I AS SELECT * FROM %I.%I', t, first, t);
            INSERT INTO sw_fleet.objects (kind, name) VALUES ('view', t);
            CONTINUE;
        END IF;
        IF to_regclass(format('public.%I', t)) IS NOT NULL THEN
            RAISE EXCEPTION 'the query database has a table % of its own (is it a shard?)', t;
        END IF;
        EXECUTE format('CREATE TABLE public.%I (LIKE %I.%I)', t, first, t);
        EXECUTE format('ALTER TABLE public.%I ADD CONSTRAINT sw_fleet_no_rows CHECK (false) NO INHERIT', t);
        INSERT INTO sw_fleet.objects (kind, name) VALUES ('table', t);
        FOR s IN SELECT name FROM sw_fleet.shards ORDER BY pos LOOP
            BEGIN
                EXECUTE format('ALTER FOREIGN TABLE %I.%I INHERIT public.%I',
                               'sw_shard_' || s, t, t);
            EXCEPTION WHEN OTHERS THEN
                RAISE EXCEPTION 'shard %: table % does not match the first shard''s: %',
                    s, t, SQLERRM;
            END;
        END LOOP;
    END LOOP;
END $$;

-- The shard schema's views over the fleet tables, from their definitions
-- (pg_get_viewdef on the first shard). A view that reads another is
-- retried after the others; a pass that creates none reports the error.
CREATE OR REPLACE FUNCTION sw_fleet.views(p_names text[], p_defs text[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    todo integer[] := ARRAY(SELECT generate_subscripts(p_names, 1));
    left_ integer[];
    i integer;
    err text;
BEGIN
    WHILE cardinality(todo) > 0 LOOP
        left_ := '{}';
        FOREACH i IN ARRAY todo LOOP
            BEGIN
                EXECUTE format('CREATE VIEW public.%I AS %s', p_names[i], p_defs[i]);
                INSERT INTO sw_fleet.objects (kind, name) VALUES ('view', p_names[i]);
            EXCEPTION WHEN OTHERS THEN
                left_ := left_ || i;
                err := format('view %s: %s', p_names[i], SQLERRM);
            END;
        END LOOP;
        IF cardinality(left_) = cardinality(todo) THEN
            RAISE EXCEPTION '%', err;
        END IF;
        todo := left_;
    END LOOP;
END $$;
