-- 009_inventory_spray.sql - a scanner's guesses cannot keep real endpoints
-- out of the inventory.
--
-- Every path a client asks for becomes an endpoint summary, answered or
-- not: a scanner guessing 5000 paths of a real authority (all answered
-- 404) used to fill its endpoints_per_authority quota (005), and every
-- real endpoint deployed after that was refused. Now a NEW endpoint that
-- was answered 2xx at least once (p_ok > 0), arriving at a full authority,
-- takes the place of that authority's least recently seen endpoint that
-- was never answered 2xx (ok = 0 fleet-wide), counted per host as the
-- refusal reason 'evicted_unanswered'. An endpoint answered 2xx is never
-- evicted this way; a never-answered endpoint never evicts; when no
-- never-answered endpoint is left, the quota refuses as before.
--
-- sw_api_merge_q keeps its signature (the correlator's statement is
-- unchanged): 005's body is renamed sw_api_merge_q_quota and the new
-- sw_api_merge_q makes room first, then calls it.

ALTER FUNCTION sw_api_merge_q(text, bigint, text, text, text, text,
    timestamptz, timestamptz, bigint, bigint[], bigint[], bigint[], bigint[],
    text[], bigint[], bigint, bigint, text[], bigint, bigint, bigint, bigint,
    bigint, text[], text[], bigint[], bigint, text[], text[], integer[],
    bigint[], integer[], integer[], integer[], boolean[], integer[], text[])
    RENAME TO sw_api_merge_q_quota;

-- Make room in a full authority for a new, answered endpoint by deleting
-- the authority's least recently seen never-answered one; the quota
-- counters follow. Returns the evicted endpoint's id, or NULL.
CREATE FUNCTION sw_api_make_room(p_host text, p_authority text,
    p_method text, p_tmpl text, p_proto text, p_ok bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    victim bigint;
    hosts text[];
    gone text[];
BEGIN
    IF p_ok <= 0 OR EXISTS (SELECT 1 FROM api_endpoints
            WHERE authority = p_authority AND method = p_method
              AND template = p_tmpl AND protocol = p_proto) THEN
        RETURN NULL;
    END IF;
    IF coalesce((SELECT endpoints FROM api_authority_counts
                 WHERE authority = p_authority), 0)
       < (SELECT endpoints_per_authority FROM api_inventory_limits) THEN
        RETURN NULL;
    END IF;
    SELECT id INTO victim FROM api_endpoints
    WHERE authority = p_authority AND ok = 0
    ORDER BY last_seen, id LIMIT 1 FOR UPDATE;
    IF victim IS NULL THEN
        RETURN NULL;
    END IF;
    hosts := ARRAY(SELECT host FROM api_endpoint_hosts WHERE endpoint_id = victim);
    DELETE FROM api_endpoints WHERE id = victim; -- its per-host rows cascade
    UPDATE api_authority_counts SET endpoints = endpoints - 1
    WHERE authority = p_authority;
    UPDATE api_host_counts SET endpoints = endpoints - 1 WHERE host = ANY(hosts);
    -- hosts left with no endpoint of the authority no longer serve it
    WITH d AS (
        DELETE FROM api_host_authorities ha
        WHERE ha.authority = p_authority AND ha.host = ANY(hosts)
          AND NOT EXISTS (SELECT 1 FROM api_endpoint_hosts x
                          JOIN api_endpoints a ON a.id = x.endpoint_id
                          WHERE x.host = ha.host AND a.authority = p_authority)
        RETURNING ha.host)
    SELECT coalesce(array_agg(host), '{}') INTO gone FROM d;
    UPDATE api_host_counts SET authorities = authorities - 1 WHERE host = ANY(gone);
    PERFORM sw_api_refuse(p_host, 'evicted_unanswered', 1);
    RETURN victim;
END $$;

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
BEGIN
    PERFORM sw_api_make_room(p_host, p_authority, p_method, p_tmpl, p_proto, p_ok);
    RETURN sw_api_merge_q_quota(p_host, p_gen, p_authority, p_method, p_tmpl,
        p_proto, p_first, p_last, p_calls, p_status, p_lat, p_reqb, p_respb,
        p_auth_names, p_auth_counts, p_ok, p_ok_no_auth, p_algs, p_jwt_exp,
        p_jwt_no_exp, p_jwt_none_ok, p_jwt_no_exp_ok, p_tls, p_ctypes,
        p_data_names, p_data_counts, p_params_dropped, p_par_where,
        p_par_names, p_par_types, p_par_seen, p_par_min, p_par_max,
        p_par_enum, p_par_over, p_shape_idx, p_shapes);
END $$;
