-- 005_inventory_quota.sql - bounds on what collectors can make the
-- inventory hold. A collector (or one that lies, or a client sending random
-- Host headers through it) must not grow PostgreSQL without end:
--   * quotas: endpoints per authority, authorities and endpoints per host,
--     parameters per endpoint; what is over is refused and counted in
--     api_inventory_refusals (per host and reason);
--   * incarnations: an endpoint keeps at most gens_per_host incarnations per
--     host; older ones are folded into one row (gen_us 0, which no collector
--     sends: invcheck.c refuses it), and a summary of an incarnation already
--     folded is refused (it would count twice);
--   * retention: sw_api_retain() deletes endpoints not seen for
--     retention_days (the correlator calls it every minute, invstore.c).
-- The limits are one row of api_inventory_limits; operators change them
-- with UPDATE, and the next merge uses them.

CREATE TABLE api_inventory_limits (
    id                      boolean PRIMARY KEY DEFAULT true CHECK (id),
    endpoints_per_authority integer NOT NULL DEFAULT 5000,
    authorities_per_host    integer NOT NULL DEFAULT 200,
    endpoints_per_host      integer NOT NULL DEFAULT 20000,
    params_per_endpoint     integer NOT NULL DEFAULT 64,
    gens_per_host           integer NOT NULL DEFAULT 4,
    retention_days          integer NOT NULL DEFAULT 30
);
INSERT INTO api_inventory_limits DEFAULT VALUES;

CREATE TABLE api_inventory_refusals (
    host    text NOT NULL,
    reason  text NOT NULL,  -- one of the words in sw_api_refuse's callers
    count   bigint NOT NULL DEFAULT 0,
    last_at timestamptz NOT NULL,
    PRIMARY KEY (host, reason)
);

-- Counters the quotas read, kept by sw_api_merge_q and rebuilt by
-- sw_api_recount after retention deletes.
CREATE TABLE api_authority_counts (
    authority text PRIMARY KEY,
    endpoints integer NOT NULL DEFAULT 0
);
CREATE TABLE api_host_counts (
    host        text PRIMARY KEY,
    authorities integer NOT NULL DEFAULT 0,
    endpoints   integer NOT NULL DEFAULT 0
);
CREATE TABLE api_host_authorities (
    host      text NOT NULL,
    authority text NOT NULL,
    PRIMARY KEY (host, authority)
);
-- The highest incarnation folded per endpoint and host.
CREATE TABLE api_endpoint_folds (
    endpoint_id bigint NOT NULL REFERENCES api_endpoints ON DELETE CASCADE,
    host        text NOT NULL,
    upto        bigint NOT NULL,
    PRIMARY KEY (endpoint_id, host)
);
CREATE INDEX api_endpoints_last_seen ON api_endpoints (last_seen);

INSERT INTO api_authority_counts
SELECT authority, count(*) FROM api_endpoints GROUP BY authority;
INSERT INTO api_host_authorities
SELECT DISTINCT h.host, a.authority
FROM api_endpoint_hosts h JOIN api_endpoints a ON a.id = h.endpoint_id;
INSERT INTO api_host_counts
SELECT host, (SELECT count(*) FROM api_host_authorities x WHERE x.host = h.host),
       count(*)
FROM api_endpoint_hosts h GROUP BY host;

CREATE FUNCTION sw_api_refuse(p_host text, p_reason text, n bigint)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO api_inventory_refusals AS r (host, reason, count, last_at)
    VALUES (p_host, p_reason, n, now())
    ON CONFLICT (host, reason) DO UPDATE
        SET count = r.count + excluded.count, last_at = excluded.last_at;
$$;

-- Element-wise sum of two arrays (the longer one's length), and as an
-- aggregate.
CREATE FUNCTION sw_arr_add(a bigint[], b bigint[]) RETURNS bigint[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(array_agg(coalesce(a[i], 0) + coalesce(b[i], 0) ORDER BY i),
                    '{}')
    FROM generate_series(1, greatest(coalesce(cardinality(a), 0),
                                     coalesce(cardinality(b), 0))) i;
$$;
CREATE AGGREGATE sw_arr_sum(bigint[]) (
    SFUNC = sw_arr_add, STYPE = bigint[], INITCOND = '{}'
);

-- Fold an endpoint's incarnations on a host, all but the newest keep, into
-- the row of gen_us 0. Totals (sums over incarnations) do not change.
CREATE FUNCTION sw_api_fold(eid bigint, p_host text, keep integer)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    olds bigint[];
    g api_endpoint_gens%ROWTYPE;
    pars record;
    pl text[];
    pn text[];
    ps bigint[];
BEGIN
    olds := ARRAY(SELECT x.gen_us FROM api_endpoint_gens x
                  WHERE x.endpoint_id = eid AND x.host = p_host AND x.gen_us <> 0
                  ORDER BY x.gen_us DESC OFFSET greatest(keep, 1));
    IF cardinality(olds) = 0 THEN
        RETURN 0;
    END IF;
    INSERT INTO api_endpoint_folds AS f VALUES (eid, p_host, olds[1])
    ON CONFLICT (endpoint_id, host) DO UPDATE SET upto = greatest(f.upto, excluded.upto);
    olds := olds || 0::bigint; -- the earlier fold joins this one

    SELECT eid, p_host, 0, max(x.last_seen), sum(x.calls),
           sw_arr_sum(x.status), sw_arr_sum(x.latency), sw_arr_sum(x.req_bytes),
           sw_arr_sum(x.resp_bytes), '{}', '{}', sum(x.ok), sum(x.ok_no_auth),
           ARRAY(SELECT DISTINCT a FROM api_endpoint_gens y, unnest(y.jwt_algs) a
                 WHERE y.endpoint_id = eid AND y.host = p_host
                 AND y.gen_us = ANY(olds) ORDER BY a LIMIT 8),
           sum(x.jwt_exp), sum(x.jwt_no_exp), sum(x.jwt_none_ok),
           sum(x.jwt_no_exp_ok), sum(x.tls_calls),
           ARRAY(SELECT DISTINCT c FROM api_endpoint_gens y, unnest(y.content_types) c
                 WHERE y.endpoint_id = eid AND y.host = p_host
                 AND y.gen_us = ANY(olds) ORDER BY c LIMIT 8),
           '{}', '{}', sum(x.params_dropped)
    INTO g FROM api_endpoint_gens x
    WHERE x.endpoint_id = eid AND x.host = p_host AND x.gen_us = ANY(olds);
    SELECT coalesce(array_agg(nm ORDER BY nm), '{}'),
           coalesce(array_agg(c ORDER BY nm), '{}')
    INTO g.auth_names, g.auth_counts
    FROM (SELECT u.nm, sum(u.c)::bigint c FROM api_endpoint_gens x,
          unnest(x.auth_names, x.auth_counts) u(nm, c)
          WHERE x.endpoint_id = eid AND x.host = p_host AND x.gen_us = ANY(olds)
          AND u.nm IS NOT NULL GROUP BY u.nm) z;
    SELECT coalesce(array_agg(nm ORDER BY nm), '{}'),
           coalesce(array_agg(c ORDER BY nm), '{}')
    INTO g.data_names, g.data_counts
    FROM (SELECT u.nm, sum(u.c)::bigint c FROM api_endpoint_gens x,
          unnest(x.data_names, x.data_counts) u(nm, c)
          WHERE x.endpoint_id = eid AND x.host = p_host AND x.gen_us = ANY(olds)
          AND u.nm IS NOT NULL GROUP BY u.nm) z;
    SELECT coalesce(array_agg(location ORDER BY location, name), '{}'),
           coalesce(array_agg(name ORDER BY location, name), '{}'),
           coalesce(array_agg(s ORDER BY location, name), '{}')
    INTO pl, pn, ps
    FROM (SELECT location, name, sum(seen)::bigint s FROM api_param_gens
          WHERE endpoint_id = eid AND host = p_host AND gen_us = ANY(olds)
          GROUP BY location, name) z;

    DELETE FROM api_endpoint_gens
    WHERE endpoint_id = eid AND host = p_host AND gen_us = ANY(olds);
    INSERT INTO api_endpoint_gens SELECT g.*;
    INSERT INTO api_param_gens (endpoint_id, host, gen_us, location, name, seen)
    SELECT eid, p_host, 0, u.l, u.n, u.s FROM unnest(pl, pn, ps) u(l, n, s);
    RETURN cardinality(olds) - 1;
END $$;

-- sw_api_merge under the quotas: the same parameters; returns the
-- endpoint's id, or NULL when the summary was refused (and counted).
CREATE FUNCTION sw_api_merge_q(
    p_host text, p_gen bigint, p_authority text, p_method text, p_tmpl text,
    p_proto text, p_first timestamptz, p_last timestamptz, p_calls bigint,
    p_status bigint[], p_lat bigint[], p_reqb bigint[], p_respb bigint[],
    p_auth_names text[], p_auth_counts bigint[], p_ok bigint,
    p_ok_no_auth bigint, p_algs text[], p_jwt_exp bigint, p_jwt_no_exp bigint,
    p_jwt_none_ok bigint, p_jwt_no_exp_ok bigint, p_tls bigint,
    p_ctypes text[], p_data_names text[], p_data_counts bigint[],
    p_params_dropped bigint,
    p_par_where text[], p_par_names text[], p_par_types integer[],
    p_par_seen bigint[], p_par_min integer[], p_par_max integer[],
    p_par_enum integer[], p_par_over boolean[],
    p_shape_idx integer[], p_shapes text[]) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    lim api_inventory_limits%ROWTYPE;
    eid bigint;
    new_ha boolean;
    new_he boolean;
    was_new boolean;
    room integer;
    kept integer[];
    n integer;
BEGIN
    SELECT * INTO lim FROM api_inventory_limits;
    SELECT id INTO eid FROM api_endpoints
    WHERE authority = p_authority AND method = p_method AND template = p_tmpl
      AND protocol = p_proto;
    was_new := eid IS NULL;
    new_ha := NOT EXISTS (SELECT 1 FROM api_host_authorities
                          WHERE host = p_host AND authority = p_authority);
    new_he := eid IS NULL OR NOT EXISTS (SELECT 1 FROM api_endpoint_hosts
                                         WHERE endpoint_id = eid AND host = p_host);
    IF new_ha AND coalesce((SELECT authorities FROM api_host_counts
                            WHERE host = p_host), 0) >= lim.authorities_per_host THEN
        PERFORM sw_api_refuse(p_host, 'authorities_per_host', 1);
        RETURN NULL;
    END IF;
    IF new_he AND coalesce((SELECT endpoints FROM api_host_counts
                            WHERE host = p_host), 0) >= lim.endpoints_per_host THEN
        PERFORM sw_api_refuse(p_host, 'endpoints_per_host', 1);
        RETURN NULL;
    END IF;
    IF eid IS NULL AND coalesce((SELECT endpoints FROM api_authority_counts
                                 WHERE authority = p_authority), 0)
                       >= lim.endpoints_per_authority THEN
        PERFORM sw_api_refuse(p_host, 'endpoints_per_authority', 1);
        RETURN NULL;
    END IF;
    IF eid IS NOT NULL AND p_gen <= coalesce((SELECT upto FROM api_endpoint_folds
                                WHERE endpoint_id = eid AND host = p_host), 0)
       AND NOT EXISTS (SELECT 1 FROM api_endpoint_gens WHERE endpoint_id = eid
                       AND host = p_host AND gen_us = p_gen) THEN
        PERFORM sw_api_refuse(p_host, 'folded_incarnation', 1);
        RETURN NULL;
    END IF;

    -- parameters: the ones the endpoint has, and new ones while there is room
    room := lim.params_per_endpoint;
    IF eid IS NOT NULL THEN
        room := room - (SELECT count(*) FROM api_params WHERE endpoint_id = eid);
    END IF;
    kept := ARRAY(
        SELECT ord FROM (
            SELECT u.ord, k.known,
                   row_number() OVER (PARTITION BY k.known ORDER BY u.ord) rn
            FROM unnest(p_par_where, p_par_names) WITH ORDINALITY u(w, nm, ord),
                 LATERAL (SELECT EXISTS (SELECT 1 FROM api_params p
                          WHERE p.endpoint_id = eid AND p.location = u.w
                          AND p.name = u.nm) known) k) z
        WHERE known OR rn <= room ORDER BY ord);
    n := coalesce(cardinality(p_par_names), 0) - cardinality(kept);
    IF n > 0 THEN
        PERFORM sw_api_refuse(p_host, 'params_per_endpoint', n);
        p_params_dropped := p_params_dropped + n;
        p_par_where := ARRAY(SELECT p_par_where[k] FROM unnest(kept) k);
        p_par_names := ARRAY(SELECT p_par_names[k] FROM unnest(kept) k);
        p_par_types := ARRAY(SELECT p_par_types[k] FROM unnest(kept) k);
        p_par_seen := ARRAY(SELECT p_par_seen[k] FROM unnest(kept) k);
        p_par_min := ARRAY(SELECT p_par_min[k] FROM unnest(kept) k);
        p_par_max := ARRAY(SELECT p_par_max[k] FROM unnest(kept) k);
        p_par_enum := ARRAY(SELECT p_par_enum[k] FROM unnest(kept) k);
        p_par_over := ARRAY(SELECT p_par_over[k] FROM unnest(kept) k);
        SELECT coalesce(array_agg(array_position(kept, x.i) ORDER BY x.o), '{}'),
               coalesce(array_agg(x.s ORDER BY x.o), '{}')
        INTO p_shape_idx, p_shapes
        FROM unnest(p_shape_idx, p_shapes) WITH ORDINALITY x(i, s, o)
        WHERE x.i = ANY(kept);
    END IF;

    eid := sw_api_merge(p_host, p_gen, p_authority, p_method, p_tmpl, p_proto,
        p_first, p_last, p_calls, p_status, p_lat, p_reqb, p_respb,
        p_auth_names, p_auth_counts, p_ok, p_ok_no_auth, p_algs, p_jwt_exp,
        p_jwt_no_exp, p_jwt_none_ok, p_jwt_no_exp_ok, p_tls, p_ctypes,
        p_data_names, p_data_counts, p_params_dropped, p_par_where,
        p_par_names, p_par_types, p_par_seen, p_par_min, p_par_max,
        p_par_enum, p_par_over, p_shape_idx, p_shapes);

    INSERT INTO api_host_counts (host) VALUES (p_host) ON CONFLICT DO NOTHING;
    IF was_new THEN
        INSERT INTO api_authority_counts AS c (authority, endpoints)
        VALUES (p_authority, 1)
        ON CONFLICT (authority) DO UPDATE SET endpoints = c.endpoints + 1;
    END IF;
    IF new_ha THEN
        INSERT INTO api_host_authorities VALUES (p_host, p_authority);
        UPDATE api_host_counts SET authorities = authorities + 1 WHERE host = p_host;
    END IF;
    IF new_he THEN
        UPDATE api_host_counts SET endpoints = endpoints + 1 WHERE host = p_host;
    END IF;
    PERFORM sw_api_fold(eid, p_host, lim.gens_per_host);
    RETURN eid;
END $$;

-- Rebuild the quota counters from the tables (after deletes).
CREATE FUNCTION sw_api_recount() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM api_authority_counts;
    INSERT INTO api_authority_counts
    SELECT authority, count(*) FROM api_endpoints GROUP BY authority;
    DELETE FROM api_host_authorities;
    INSERT INTO api_host_authorities
    SELECT DISTINCT h.host, a.authority
    FROM api_endpoint_hosts h JOIN api_endpoints a ON a.id = h.endpoint_id;
    DELETE FROM api_host_counts;
    INSERT INTO api_host_counts
    SELECT host, (SELECT count(*) FROM api_host_authorities x WHERE x.host = h.host),
           count(*)
    FROM api_endpoint_hosts h GROUP BY host;
END $$;

-- Delete up to `batch` endpoints not seen for retention_days; returns how
-- many. Counters are rebuilt when any went.
CREATE FUNCTION sw_api_retain(batch integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    n integer;
BEGIN
    DELETE FROM api_endpoints WHERE id IN (
        SELECT id FROM api_endpoints
        WHERE last_seen < now() - make_interval(days =>
              (SELECT retention_days FROM api_inventory_limits))
        ORDER BY last_seen LIMIT batch);
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n > 0 THEN
        PERFORM sw_api_recount();
    END IF;
    RETURN n;
END $$;
