-- 004_inventory.sql - the fleet's API inventory, merged from the
-- collectors' EndpointSummary messages (proto/sidewatch.proto).
--
-- Counts arrive cumulative per incarnation of a collector's table entry
-- (host, gen_us). api_endpoint_gens keeps the latest summary of each
-- incarnation (a summary with fewer calls than the kept one is stale and
-- ignored), and every total below is the sum over incarnations, computed
-- again for the endpoint each time one of its summaries is merged: resent
-- or reordered batches and collector restarts never count twice.
--
-- Everything a collector sent comes in as a parameter of sw_api_merge()
-- (correlator/invstore.c), never as SQL text.

CREATE TABLE api_endpoints (
    id            bigserial PRIMARY KEY,
    authority     text NOT NULL,
    method        text NOT NULL,
    template      text NOT NULL,
    protocol      text NOT NULL,          -- http1, http2, grpc, websocket
    first_seen    timestamptz NOT NULL,
    last_seen     timestamptz NOT NULL,
    calls         bigint NOT NULL DEFAULT 0,
    status        bigint[] NOT NULL DEFAULT '{}', -- none, 1xx .. 5xx
    latency_hist  bigint[] NOT NULL DEFAULT '{}', -- log2 µs buckets
    req_bytes_hist  bigint[] NOT NULL DEFAULT '{}',
    resp_bytes_hist bigint[] NOT NULL DEFAULT '{}',
    p50_us        bigint NOT NULL DEFAULT 0,
    p99_us        bigint NOT NULL DEFAULT 0,
    auth_kinds    text[] NOT NULL DEFAULT '{}',
    ok            bigint NOT NULL DEFAULT 0,  -- 2xx answers
    ok_no_auth    bigint NOT NULL DEFAULT 0,  -- of them without credentials
    ok_no_auth_share real,                    -- NULL before any 2xx
    jwt_none_ok   bigint NOT NULL DEFAULT 0,
    jwt_no_exp_ok bigint NOT NULL DEFAULT 0,
    tls_calls     bigint NOT NULL DEFAULT 0,
    content_types text[] NOT NULL DEFAULT '{}',
    params_dropped bigint NOT NULL DEFAULT 0,
    UNIQUE (authority, method, template, protocol)
);
CREATE INDEX api_endpoints_first_seen ON api_endpoints (first_seen);

-- Per host: when it first and last served the endpoint, and its calls.
CREATE TABLE api_endpoint_hosts (
    endpoint_id bigint NOT NULL REFERENCES api_endpoints ON DELETE CASCADE,
    host        text NOT NULL,
    first_seen  timestamptz NOT NULL,
    last_seen   timestamptz NOT NULL,
    calls       bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (endpoint_id, host)
);
CREATE INDEX api_endpoint_hosts_host ON api_endpoint_hosts (host);

-- The latest cumulative summary of each incarnation.
CREATE TABLE api_endpoint_gens (
    endpoint_id bigint NOT NULL REFERENCES api_endpoints ON DELETE CASCADE,
    host        text NOT NULL,
    gen_us      bigint NOT NULL,
    last_seen   timestamptz NOT NULL,
    calls       bigint NOT NULL,
    status      bigint[] NOT NULL,
    latency     bigint[] NOT NULL,
    req_bytes   bigint[] NOT NULL,
    resp_bytes  bigint[] NOT NULL,
    auth_names  text[] NOT NULL,
    auth_counts bigint[] NOT NULL,
    ok          bigint NOT NULL,
    ok_no_auth  bigint NOT NULL,
    jwt_algs    text[] NOT NULL,
    jwt_exp     bigint NOT NULL,
    jwt_no_exp  bigint NOT NULL,
    jwt_none_ok bigint NOT NULL,
    jwt_no_exp_ok bigint NOT NULL,
    tls_calls   bigint NOT NULL,
    content_types text[] NOT NULL,
    data_names  text[] NOT NULL,
    data_counts bigint[] NOT NULL,
    params_dropped bigint NOT NULL,
    PRIMARY KEY (endpoint_id, host, gen_us)
);

-- Parameters: name (query/form name, JSON path, template slot), where it
-- was, the union of the types seen (param.h PARAM_T_* bits), how often
-- present, length range and a few value shapes (never values).
CREATE TABLE api_params (
    endpoint_id bigint NOT NULL REFERENCES api_endpoints ON DELETE CASCADE,
    location    text NOT NULL,            -- path, query, form, json
    name        text NOT NULL,
    types       integer NOT NULL DEFAULT 0,
    seen        bigint NOT NULL DEFAULT 0,
    min_len     integer NOT NULL DEFAULT 0,
    max_len     integer NOT NULL DEFAULT 0,
    shapes      text[] NOT NULL DEFAULT '{}',
    n_enum      integer NOT NULL DEFAULT 0, -- distinct values counted
    enum_over   boolean NOT NULL DEFAULT false,
    PRIMARY KEY (endpoint_id, location, name)
);
CREATE TABLE api_param_gens (
    endpoint_id bigint NOT NULL,
    host        text NOT NULL,
    gen_us      bigint NOT NULL,
    location    text NOT NULL,
    name        text NOT NULL,
    seen        bigint NOT NULL,
    PRIMARY KEY (endpoint_id, host, gen_us, location, name),
    FOREIGN KEY (endpoint_id, host, gen_us)
        REFERENCES api_endpoint_gens ON DELETE CASCADE
);

-- Sensitive data classes seen. A collector counts them per endpoint, not
-- per JSON path, so path is '*' (anywhere in the endpoint's bodies) until
-- collectors send paths.
CREATE TABLE api_data_classes (
    endpoint_id bigint NOT NULL REFERENCES api_endpoints ON DELETE CASCADE,
    class       text NOT NULL,
    path        text NOT NULL DEFAULT '*',
    count       bigint NOT NULL,
    PRIMARY KEY (endpoint_id, class, path)
);
CREATE INDEX api_data_classes_class ON api_data_classes (class);

-- Credentials seen, by kind; the jwt row carries the algorithms and how
-- many tokens had an exp claim and how many had none.
CREATE TABLE api_auth (
    endpoint_id bigint NOT NULL REFERENCES api_endpoints ON DELETE CASCADE,
    kind        text NOT NULL,            -- none, basic, jwt, bearer, ...
    count       bigint NOT NULL,
    jwt_algs    text[] NOT NULL DEFAULT '{}',
    jwt_exp     bigint NOT NULL DEFAULT 0,
    jwt_no_exp  bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (endpoint_id, kind)
);

-- The q-quantile of a log2 histogram as its bucket's upper bound, like
-- endpoint_quantile() (collector/inventory/endpoint.c).
CREATE FUNCTION sw_hist_quantile(h bigint[], q float8) RETURNS bigint
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    total numeric := 0;
    acc numeric := 0;
    want numeric;
    k integer;
BEGIN
    SELECT coalesce(sum(v), 0) INTO total FROM unnest(h) v;
    IF total = 0 THEN
        RETURN 0;
    END IF;
    want := greatest(floor(q * total + 0.999999), 1);
    FOR k IN 1 .. coalesce(array_length(h, 1), 0) LOOP
        acc := acc + h[k];
        IF acc >= want THEN
            RETURN (2::numeric ^ least(k, 62) - 1)::bigint;
        END IF;
    END LOOP;
    RETURN (2::numeric ^ 62 - 1)::bigint;
END $$;

-- Element-wise sum of one array column over an endpoint's incarnations.
CREATE FUNCTION sw_api_hist_sum(eid bigint, col text) RETURNS bigint[]
LANGUAGE plpgsql STABLE AS $$
DECLARE
    r bigint[];
BEGIN
    -- col is one of four names chosen in this file, never a sender's word
    IF col NOT IN ('status', 'latency', 'req_bytes', 'resp_bytes') THEN
        RAISE EXCEPTION 'sw_api_hist_sum: no column %', col;
    END IF;
    EXECUTE format('SELECT coalesce(array_agg(s ORDER BY i), ''{}'') FROM '
                   '(SELECT i, sum(v)::bigint s FROM api_endpoint_gens g, '
                   'unnest(g.%I) WITH ORDINALITY u(v, i) '
                   'WHERE g.endpoint_id = $1 GROUP BY i) z', col)
        INTO r USING eid;
    RETURN r;
END $$;

-- Merge one summary; returns the endpoint's id. Arrays of a parameter's
-- fields are parallel; p_shape_idx says which parameter (1-based) each of
-- p_shapes belongs to.
CREATE FUNCTION sw_api_merge(
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
    eid bigint;
    n integer;
BEGIN
    INSERT INTO api_endpoints AS a
        (authority, method, template, protocol, first_seen, last_seen)
    VALUES (p_authority, p_method, p_tmpl, p_proto, p_first, p_last)
    ON CONFLICT (authority, method, template, protocol) DO UPDATE
        SET first_seen = least(a.first_seen, excluded.first_seen),
            last_seen = greatest(a.last_seen, excluded.last_seen)
    RETURNING id INTO eid;

    INSERT INTO api_endpoint_hosts AS h (endpoint_id, host, first_seen, last_seen)
    VALUES (eid, p_host, p_first, p_last)
    ON CONFLICT (endpoint_id, host) DO UPDATE
        SET first_seen = least(h.first_seen, excluded.first_seen),
            last_seen = greatest(h.last_seen, excluded.last_seen);

    INSERT INTO api_endpoint_gens AS g VALUES (
        eid, p_host, p_gen, p_last, p_calls, p_status, p_lat, p_reqb, p_respb,
        p_auth_names, p_auth_counts, p_ok, p_ok_no_auth, p_algs, p_jwt_exp,
        p_jwt_no_exp, p_jwt_none_ok, p_jwt_no_exp_ok, p_tls, p_ctypes,
        p_data_names, p_data_counts, p_params_dropped)
    ON CONFLICT (endpoint_id, host, gen_us) DO UPDATE
        SET last_seen = excluded.last_seen, calls = excluded.calls,
            status = excluded.status, latency = excluded.latency,
            req_bytes = excluded.req_bytes, resp_bytes = excluded.resp_bytes,
            auth_names = excluded.auth_names, auth_counts = excluded.auth_counts,
            ok = excluded.ok, ok_no_auth = excluded.ok_no_auth,
            jwt_algs = excluded.jwt_algs, jwt_exp = excluded.jwt_exp,
            jwt_no_exp = excluded.jwt_no_exp, jwt_none_ok = excluded.jwt_none_ok,
            jwt_no_exp_ok = excluded.jwt_no_exp_ok, tls_calls = excluded.tls_calls,
            content_types = excluded.content_types,
            data_names = excluded.data_names, data_counts = excluded.data_counts,
            params_dropped = excluded.params_dropped
        WHERE excluded.calls >= g.calls;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n = 0 THEN
        RETURN eid; -- stale: an incarnation's newer summary is already in
    END IF;

    -- parameters: this incarnation's presence counts, then what is known
    -- of each (types, lengths, shapes) widened
    INSERT INTO api_param_gens AS pg (endpoint_id, host, gen_us, location, name, seen)
    SELECT DISTINCT ON (w, nm) eid, p_host, p_gen, w, nm, s
    FROM unnest(p_par_where, p_par_names, p_par_seen) AS u(w, nm, s)
    ORDER BY w, nm, s DESC
    ON CONFLICT (endpoint_id, host, gen_us, location, name) DO UPDATE
        SET seen = excluded.seen;

    INSERT INTO api_params AS p
        (endpoint_id, location, name, types, min_len, max_len, shapes, n_enum, enum_over)
    SELECT DISTINCT ON (u.w, u.nm) eid, u.w, u.nm, u.t, u.mn, u.mx,
           ARRAY(SELECT x.s FROM unnest(p_shape_idx, p_shapes) AS x(i, s)
                 WHERE x.i = u.ord AND x.s IS NOT NULL LIMIT 3),
           u.en, coalesce(u.ov, false)
    FROM unnest(p_par_where, p_par_names, p_par_types, p_par_min, p_par_max,
                p_par_enum, p_par_over)
         WITH ORDINALITY AS u(w, nm, t, mn, mx, en, ov, ord)
    ORDER BY u.w, u.nm, u.ord
    ON CONFLICT (endpoint_id, location, name) DO UPDATE
        SET types = p.types | excluded.types,
            min_len = least(p.min_len, excluded.min_len),
            max_len = greatest(p.max_len, excluded.max_len),
            shapes = ARRAY(SELECT DISTINCT s FROM unnest(p.shapes || excluded.shapes) s
                           ORDER BY s LIMIT 6),
            n_enum = greatest(p.n_enum, excluded.n_enum),
            enum_over = p.enum_over OR excluded.enum_over;

    UPDATE api_params p SET seen = (
        SELECT coalesce(sum(g.seen), 0) FROM api_param_gens g
        WHERE g.endpoint_id = eid AND g.location = p.location AND g.name = p.name)
    WHERE p.endpoint_id = eid;

    UPDATE api_endpoint_hosts h SET calls = (
        SELECT coalesce(sum(g.calls), 0) FROM api_endpoint_gens g
        WHERE g.endpoint_id = eid AND g.host = p_host)
    WHERE h.endpoint_id = eid AND h.host = p_host;

    -- the endpoint's totals over every incarnation
    UPDATE api_endpoints a SET
        calls = t.calls, ok = t.ok, ok_no_auth = t.ok_no_auth,
        ok_no_auth_share = CASE WHEN t.ok > 0 THEN t.ok_no_auth::real / t.ok END,
        jwt_none_ok = t.jwt_none_ok, jwt_no_exp_ok = t.jwt_no_exp_ok,
        tls_calls = t.tls_calls, params_dropped = t.params_dropped,
        status = sw_api_hist_sum(eid, 'status'),
        latency_hist = sw_api_hist_sum(eid, 'latency'),
        req_bytes_hist = sw_api_hist_sum(eid, 'req_bytes'),
        resp_bytes_hist = sw_api_hist_sum(eid, 'resp_bytes'),
        content_types = ARRAY(SELECT DISTINCT c FROM api_endpoint_gens g,
                              unnest(g.content_types) c
                              WHERE g.endpoint_id = eid ORDER BY c LIMIT 8)
    FROM (SELECT sum(calls)::bigint calls, sum(ok)::bigint ok,
                 sum(ok_no_auth)::bigint ok_no_auth,
                 sum(jwt_none_ok)::bigint jwt_none_ok,
                 sum(jwt_no_exp_ok)::bigint jwt_no_exp_ok,
                 sum(tls_calls)::bigint tls_calls,
                 sum(params_dropped)::bigint params_dropped
          FROM api_endpoint_gens WHERE endpoint_id = eid) t
    WHERE a.id = eid;
    UPDATE api_endpoints SET p50_us = sw_hist_quantile(latency_hist, 0.5),
                             p99_us = sw_hist_quantile(latency_hist, 0.99)
    WHERE id = eid;

    DELETE FROM api_data_classes WHERE endpoint_id = eid;
    INSERT INTO api_data_classes (endpoint_id, class, path, count)
    SELECT eid, u.nm, '*', sum(u.c)::bigint
    FROM api_endpoint_gens g, unnest(g.data_names, g.data_counts) AS u(nm, c)
    WHERE g.endpoint_id = eid AND u.nm IS NOT NULL AND u.c > 0
    GROUP BY u.nm;

    DELETE FROM api_auth WHERE endpoint_id = eid;
    INSERT INTO api_auth (endpoint_id, kind, count)
    SELECT eid, u.nm, sum(u.c)::bigint
    FROM api_endpoint_gens g, unnest(g.auth_names, g.auth_counts) AS u(nm, c)
    WHERE g.endpoint_id = eid AND u.nm IS NOT NULL AND u.c > 0
    GROUP BY u.nm;
    UPDATE api_auth SET
        jwt_algs = ARRAY(SELECT DISTINCT x FROM api_endpoint_gens g,
                         unnest(g.jwt_algs) x WHERE g.endpoint_id = eid
                         ORDER BY x LIMIT 8),
        jwt_exp = (SELECT sum(jwt_exp) FROM api_endpoint_gens WHERE endpoint_id = eid),
        jwt_no_exp = (SELECT sum(jwt_no_exp) FROM api_endpoint_gens WHERE endpoint_id = eid)
    WHERE endpoint_id = eid AND kind = 'jwt';
    UPDATE api_endpoints SET auth_kinds = ARRAY(
        SELECT kind FROM api_auth WHERE endpoint_id = eid ORDER BY kind)
    WHERE id = eid;
    RETURN eid;
END $$;

-- What operators list (swctl apis): one row per endpoint with its hosts,
-- data classes and a risk grade: high when it answered 2xx without
-- credentials and returns a sensitive class, or accepted a JWT with alg
-- "none"; medium for sensitive data behind credentials, 2xx without
-- credentials, or JWTs without exp accepted; low otherwise.
CREATE VIEW api_inventory AS
SELECT a.*,
       ARRAY(SELECT h.host FROM api_endpoint_hosts h
             WHERE h.endpoint_id = a.id ORDER BY h.host) AS hosts,
       ARRAY(SELECT d.class FROM api_data_classes d
             WHERE d.endpoint_id = a.id ORDER BY d.class) AS data_classes,
       CASE
         WHEN a.jwt_none_ok > 0 OR (a.ok_no_auth > 0 AND EXISTS (
              SELECT 1 FROM api_data_classes d WHERE d.endpoint_id = a.id
              AND d.class IN ('card', 'iban', 'ssn', 'private_key', 'secret',
                              'aws_key', 'github_token', 'gitlab_token',
                              'slack_token', 'google_key', 'jwt', 'bearer')))
           THEN 'high'
         WHEN a.ok_no_auth > 0 OR a.jwt_no_exp_ok > 0 OR EXISTS (
              SELECT 1 FROM api_data_classes d WHERE d.endpoint_id = a.id)
           THEN 'medium'
         ELSE 'low'
       END AS risk
FROM api_endpoints a;
