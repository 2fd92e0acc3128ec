-- 008_inventory_data.sql - what endpoints return: data classes found in
-- response bodies, the JSON path and direction each class was found at,
-- bulk exposures (a response with many records of one sensitive class),
-- response content types; and one catalogue of data classes.
--
-- The catalogue (api_data_class_kinds) is not written here: the
-- correlator fills it at start-up from common/dataclass_kind.c, the same
-- table the collectors' posture checks read, so the SQL risk grade and the
-- collectors' findings can never disagree on which classes are sensitive.
--
-- Facts arrive cumulative per incarnation (host, gen_us) like
-- api_endpoint_gens (004); an incarnation the quota folded (005) is folded
-- here too, into the row of gen_us 0. Paths come from the bodies' keys,
-- chosen by clients in requests: they enter only as parameters.

CREATE TABLE api_data_class_kinds (
    class     text PRIMARY KEY,
    sensitive boolean NOT NULL
);

CREATE FUNCTION sw_api_data_kinds(p_names text[], p_sensitive boolean[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM api_data_class_kinds WHERE class <> ALL (p_names);
    INSERT INTO api_data_class_kinds (class, sensitive)
    SELECT u.n, u.s FROM unnest(p_names, p_sensitive) AS u(n, s)
    ON CONFLICT (class) DO UPDATE SET sensitive = excluded.sensitive;
END $$;

-- Classes per direction: rows of path '*' are an endpoint's totals of a
-- class (requests: 004's rows); other rows say where the class sat.
ALTER TABLE api_data_classes ADD COLUMN direction text NOT NULL DEFAULT 'request';
ALTER TABLE api_data_classes DROP CONSTRAINT api_data_classes_pkey;
ALTER TABLE api_data_classes ADD PRIMARY KEY (endpoint_id, direction, class, path);

ALTER TABLE api_endpoints
    ADD COLUMN resp_types text[] NOT NULL DEFAULT '{}',
    ADD COLUMN resp_scans bigint NOT NULL DEFAULT 0,  -- response bodies read
    ADD COLUMN resp_coded bigint NOT NULL DEFAULT 0,  -- of them, gzip'd etc.
    ADD COLUMN unauth_data bigint NOT NULL DEFAULT 0, -- 2xx without
                                   -- credentials returning a sensitive class
    ADD COLUMN bulk bigint NOT NULL DEFAULT 0,     -- bulk responses
    ADD COLUMN bulk_max integer NOT NULL DEFAULT 0,
    ADD COLUMN bulk_class text NOT NULL DEFAULT '',
    ADD COLUMN data_paths_dropped bigint NOT NULL DEFAULT 0,
    ADD COLUMN jwt_issuers text[] NOT NULL DEFAULT '{}',   -- "iss" seen
    ADD COLUMN jwt_audiences text[] NOT NULL DEFAULT '{}'; -- first "aud"

CREATE TABLE api_data_gens (
    endpoint_id  bigint NOT NULL REFERENCES api_endpoints ON DELETE CASCADE,
    host         text NOT NULL,
    gen_us       bigint NOT NULL,
    calls        bigint NOT NULL,
    resp_names   text[] NOT NULL,
    resp_counts  bigint[] NOT NULL,
    path_dirs    text[] NOT NULL,
    path_classes text[] NOT NULL,
    paths        text[] NOT NULL,
    path_counts  bigint[] NOT NULL,
    paths_dropped bigint NOT NULL,
    resp_types   text[] NOT NULL,
    resp_scans   bigint NOT NULL,
    resp_coded   bigint NOT NULL,
    unauth_data  bigint NOT NULL,
    bulk         bigint NOT NULL,
    bulk_max     integer NOT NULL,
    bulk_class   text NOT NULL,
    PRIMARY KEY (endpoint_id, host, gen_us)
);

-- The rows a fold takes: the earlier fold and the incarnations up to lim.
CREATE FUNCTION sw_api_data_src(eid bigint, p_host text, lim bigint)
RETURNS SETOF api_data_gens LANGUAGE sql STABLE AS $$
    SELECT * FROM api_data_gens d WHERE d.endpoint_id = eid AND d.host = p_host
    AND (d.gen_us = 0 OR d.gen_us <= lim)
$$;

-- Fold the incarnations 005 folded (gen_us <= upto) into gen_us 0: sums,
-- the largest bulk, the paths regrouped (at most 16 kept, by count).
CREATE FUNCTION sw_api_data_fold(eid bigint, p_host text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    lim bigint;
    g api_data_gens%ROWTYPE;
BEGIN
    SELECT f.upto INTO lim FROM api_endpoint_folds f
    WHERE f.endpoint_id = eid AND f.host = p_host;
    IF lim IS NULL OR NOT EXISTS (
            SELECT 1 FROM api_data_gens d WHERE d.endpoint_id = eid
            AND d.host = p_host AND d.gen_us <> 0 AND d.gen_us <= lim) THEN
        RETURN;
    END IF;
    g.endpoint_id := eid;
    g.host := p_host;
    g.gen_us := 0;
    SELECT sum(calls), sum(paths_dropped), sum(resp_scans), sum(resp_coded),
           sum(unauth_data), sum(bulk), max(bulk_max)
    INTO g.calls, g.paths_dropped, g.resp_scans, g.resp_coded,
         g.unauth_data, g.bulk, g.bulk_max
    FROM sw_api_data_src(eid, p_host, lim);
    g.bulk_class := coalesce((SELECT s.bulk_class FROM sw_api_data_src(eid, p_host, lim) s
                              ORDER BY s.bulk_max DESC LIMIT 1), '');
    SELECT coalesce(array_agg(nm ORDER BY nm), '{}'),
           coalesce(array_agg(c ORDER BY nm), '{}')
    INTO g.resp_names, g.resp_counts
    FROM (SELECT u.nm, sum(u.c)::bigint c FROM sw_api_data_src(eid, p_host, lim) s,
          unnest(s.resp_names, s.resp_counts) u(nm, c)
          WHERE u.nm IS NOT NULL GROUP BY u.nm) z;
    SELECT coalesce(array_agg(d ORDER BY c DESC, d, k, p), '{}'),
           coalesce(array_agg(k ORDER BY c DESC, d, k, p), '{}'),
           coalesce(array_agg(p ORDER BY c DESC, d, k, p), '{}'),
           coalesce(array_agg(c ORDER BY c DESC, d, k, p), '{}')
    INTO g.path_dirs, g.path_classes, g.paths, g.path_counts
    FROM (SELECT u.d, u.k, u.p, sum(u.c)::bigint c FROM sw_api_data_src(eid, p_host, lim) s,
          unnest(s.path_dirs, s.path_classes, s.paths, s.path_counts) u(d, k, p, c)
          WHERE u.p IS NOT NULL GROUP BY u.d, u.k, u.p
          ORDER BY c DESC, u.d, u.k, u.p LIMIT 16) z;
    g.resp_types := ARRAY(SELECT DISTINCT t FROM sw_api_data_src(eid, p_host, lim) s,
                          unnest(s.resp_types) t ORDER BY t LIMIT 8);
    DELETE FROM api_data_gens d WHERE d.endpoint_id = eid AND d.host = p_host
    AND (d.gen_us = 0 OR d.gen_us <= lim);
    INSERT INTO api_data_gens SELECT g.*;
END $$;

-- Merge one summary's response facts (after sw_api_merge_q accepted it);
-- recomputes the endpoint's data classes and response totals.
CREATE FUNCTION sw_api_merge_data(
    eid bigint, p_host text, p_gen bigint, p_calls bigint,
    p_resp_names text[], p_resp_counts bigint[],
    p_path_dirs text[], p_path_classes text[], p_paths text[],
    p_path_counts bigint[], p_paths_dropped bigint, p_resp_types text[],
    p_resp_scans bigint, p_resp_coded bigint, p_unauth_data bigint,
    p_bulk bigint, p_bulk_max integer, p_bulk_class text,
    p_iss text[], p_aud text[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO api_data_gens AS g VALUES (
        eid, p_host, p_gen, p_calls, p_resp_names, p_resp_counts,
        p_path_dirs, p_path_classes, p_paths, p_path_counts, p_paths_dropped,
        p_resp_types, p_resp_scans, p_resp_coded, p_unauth_data, p_bulk,
        p_bulk_max, p_bulk_class)
    ON CONFLICT (endpoint_id, host, gen_us) DO UPDATE
        SET calls = excluded.calls, resp_names = excluded.resp_names,
            resp_counts = excluded.resp_counts, path_dirs = excluded.path_dirs,
            path_classes = excluded.path_classes, paths = excluded.paths,
            path_counts = excluded.path_counts,
            paths_dropped = excluded.paths_dropped,
            resp_types = excluded.resp_types, resp_scans = excluded.resp_scans,
            resp_coded = excluded.resp_coded,
            unauth_data = excluded.unauth_data, bulk = excluded.bulk,
            bulk_max = excluded.bulk_max, bulk_class = excluded.bulk_class
        WHERE excluded.calls >= g.calls;
    PERFORM sw_api_data_fold(eid, p_host);

    DELETE FROM api_data_classes
    WHERE endpoint_id = eid AND (direction = 'response' OR path <> '*');
    INSERT INTO api_data_classes (endpoint_id, direction, class, path, count)
    SELECT eid, 'response', u.nm, '*', sum(u.c)::bigint
    FROM api_data_gens g, unnest(g.resp_names, g.resp_counts) AS u(nm, c)
    WHERE g.endpoint_id = eid AND u.nm IS NOT NULL AND u.c > 0
    GROUP BY u.nm;
    INSERT INTO api_data_classes (endpoint_id, direction, class, path, count)
    SELECT eid, u.d, u.k, u.p, sum(u.c)::bigint
    FROM api_data_gens g,
         unnest(g.path_dirs, g.path_classes, g.paths, g.path_counts) AS u(d, k, p, c)
    WHERE g.endpoint_id = eid AND u.p IS NOT NULL AND u.p <> '*'
      AND u.d IN ('request', 'response') AND u.c > 0
    GROUP BY u.d, u.k, u.p;

    UPDATE api_endpoints a SET
        resp_scans = t.resp_scans, resp_coded = t.resp_coded,
        unauth_data = t.unauth_data, bulk = t.bulk, bulk_max = t.bulk_max,
        data_paths_dropped = t.dropped,
        bulk_class = coalesce((SELECT g.bulk_class FROM api_data_gens g
                               WHERE g.endpoint_id = eid
                               ORDER BY g.bulk_max DESC LIMIT 1), ''),
        resp_types = ARRAY(SELECT DISTINCT x FROM api_data_gens g,
                           unnest(g.resp_types) x WHERE g.endpoint_id = eid
                           ORDER BY x LIMIT 8),
        -- JWT issuers and audiences: a union over hosts, 8 kept
        jwt_issuers = ARRAY(SELECT DISTINCT x FROM unnest(a.jwt_issuers || p_iss) x
                            WHERE x <> '' ORDER BY x LIMIT 8),
        jwt_audiences = ARRAY(SELECT DISTINCT x FROM unnest(a.jwt_audiences || p_aud) x
                              WHERE x <> '' ORDER BY x LIMIT 8)
    FROM (SELECT sum(resp_scans)::bigint resp_scans,
                 sum(resp_coded)::bigint resp_coded,
                 sum(unauth_data)::bigint unauth_data, sum(bulk)::bigint bulk,
                 coalesce(max(bulk_max), 0) bulk_max,
                 sum(paths_dropped)::bigint dropped
          FROM api_data_gens WHERE endpoint_id = eid) t
    WHERE a.id = eid;
END $$;

-- The operators' list again (004), its data classes from every direction
-- and its risk from the catalogue: high when it returned a sensitive class
-- to a client without credentials, returned a bulk of one, or accepted a
-- JWT with alg "none"; medium for any data class, 2xx without credentials,
-- or JWTs without exp accepted; low otherwise.
DROP VIEW api_inventory;
CREATE VIEW api_inventory AS
SELECT a.*,
       ARRAY(SELECT h.host FROM api_endpoint_hosts h
             WHERE h.endpoint_id = a.id ORDER BY h.host) AS hosts,
       ARRAY(SELECT DISTINCT d.class FROM api_data_classes d
             WHERE d.endpoint_id = a.id ORDER BY d.class) AS data_classes,
       ARRAY(SELECT DISTINCT d.class FROM api_data_classes d
             WHERE d.endpoint_id = a.id AND d.direction = 'response'
             ORDER BY d.class) AS resp_data_classes,
       CASE
         WHEN a.jwt_none_ok > 0 OR a.bulk > 0 OR a.unauth_data > 0 OR
              (a.ok_no_auth > 0 AND EXISTS (
               SELECT 1 FROM api_data_classes d
               JOIN api_data_class_kinds k ON k.class = d.class
               WHERE d.endpoint_id = a.id AND d.direction = 'response'
               AND k.sensitive AND a.ok_no_auth = a.ok))
           THEN 'high'
         WHEN a.ok_no_auth > 0 OR a.jwt_no_exp_ok > 0 OR EXISTS (
              SELECT 1 FROM api_data_classes d WHERE d.endpoint_id = a.id)
           THEN 'medium'
         ELSE 'low'
       END AS risk
FROM api_endpoints a;
