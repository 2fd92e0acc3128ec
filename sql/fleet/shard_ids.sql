-- sql/fleet/shard_ids.sql - run on one shard by fleet-query --ids N.
--
-- Each shard numbers its incidents, blocks, endpoints ... from its own
-- sequences; through the query database the shards' rows meet, and every
-- join on an id (api_endpoints.id = api_data_classes.endpoint_id,
-- blocks.incident_id, swctl incident show ID) must find one shard's row.
-- Shard N draws every id a table column owns from [N * 2^48 + 1,
-- (N + 1) * 2^48]: 2^48 ids a shard, and 2^63 / 2^48 shards. A sequence
-- whose table already holds ids outside the range is refused (the shard
-- stored rows before it had its range; its ids may be another shard's).
-- Nothing on the shard changes but the sequences' bounds: the function is
-- temporary (pg_temp), gone with the session.
CREATE FUNCTION pg_temp.sw_shard_ids(n integer) RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
    lo bigint := (n::bigint << 48) + 1;
    hi bigint := (n::bigint + 1) << 48;
    r record;
    mx bigint;
    last bigint;
BEGIN
    IF n IS NULL OR n < 0 OR n > 32766 THEN
        RAISE EXCEPTION 'shard number %: want 0..32766', n;
    END IF;
    FOR r IN
        SELECT s.oid AS seq, t.relname AS tab, a.attname AS col
        FROM pg_class s
        JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = s.oid
         AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
        JOIN pg_class t ON t.oid = d.refobjid
        JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
        WHERE s.relkind = 'S' AND t.relnamespace = 'public'::regnamespace
        ORDER BY t.relname, a.attname
    LOOP
        EXECUTE format('SELECT max(%I) FROM public.%I', r.col, r.tab) INTO mx;
        IF mx IS NOT NULL AND (mx < lo OR mx > hi) THEN
            RAISE EXCEPTION 'table %: ids up to % lie outside shard %''s range %..%; '
                'a shard gets its range before it stores rows', r.tab, mx, n, lo, hi;
        END IF;
        EXECUTE format('SELECT last_value FROM %s', r.seq::regclass) INTO last;
        IF last < lo THEN
            EXECUTE format('ALTER SEQUENCE %s MINVALUE %s MAXVALUE %s START %s RESTART %s',
                           r.seq::regclass, lo, hi, lo, lo);
            RETURN NEXT format('%s.%s: %s..%s (set)', r.tab, r.col, lo, hi);
        ELSIF last <= hi THEN
            EXECUTE format('ALTER SEQUENCE %s MINVALUE %s MAXVALUE %s START %s',
                           r.seq::regclass, lo, hi, lo);
            RETURN NEXT format('%s.%s: %s..%s (kept)', r.tab, r.col, lo, hi);
        ELSE
            RAISE EXCEPTION 'sequence %: at % beyond shard %''s range %..%',
                r.seq::regclass, last, n, lo, hi;
        END IF;
    END LOOP;
END $$;
