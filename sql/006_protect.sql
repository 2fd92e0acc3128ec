-- 006_protect.sql - addresses no fleet block may cover: the correlator's
-- own (its interface and bind addresses) and every collector's (the peer
-- address of each CURVE-authenticated uplink). The correlator maintains
-- the table; sw_block_add consults it, so every path (detectors, swctl,
-- psql) meets the same check. An operator's block is refused with an
-- error (SQLSTATE SWP01); any other origin is skipped: o_block_id NULL
-- and o_version 0 (a real version is >= 1), which the correlator counts.
CREATE TABLE protected_addrs (
    addr    inet        PRIMARY KEY,
    kind    text        NOT NULL CHECK (kind IN ('correlator', 'collector')),
    seen_at timestamptz NOT NULL DEFAULT now()
);

CREATE OR REPLACE FUNCTION sw_block_add(p_addr cidr, p_identity text, p_origin text,
                             p_rule text, p_reason text, p_incident bigint,
                             p_ttl interval,
                             OUT o_block_id bigint, OUT o_version bigint)
LANGUAGE plpgsql AS $$
DECLARE
    v_exp timestamptz := CASE WHEN p_ttl IS NULL THEN NULL ELSE now() + p_ttl END;
    v_id  bigint;
    v_old timestamptz;
    v_pa  inet;
    v_pk  text;
BEGIN
    IF p_addr IS NULL AND (p_identity IS NULL OR p_identity = '') THEN
        RAISE EXCEPTION 'a block needs an address or an identity';
    END IF;
    IF p_addr IS NOT NULL THEN
        SELECT addr, kind INTO v_pa, v_pk FROM protected_addrs
         WHERE addr <<= p_addr ORDER BY kind DESC, addr LIMIT 1;
        IF v_pa IS NOT NULL THEN
            IF p_origin = 'operator' THEN
                RAISE EXCEPTION USING ERRCODE = 'SWP01',
                    MESSAGE = format('refused: %s covers %s, the address of %s',
                                     p_addr, host(v_pa),
                                     CASE v_pk WHEN 'correlator' THEN 'the correlator itself'
                                               ELSE 'a connected collector' END);
            END IF;
            o_version := 0;
            RETURN;
        END IF;
    END IF;
    PERFORM sw_lock_head();
    IF sw_allowed(p_addr, p_identity) THEN
        RETURN;
    END IF;
    SELECT id, expires_at INTO v_id, v_old FROM blocks
     WHERE removed_at IS NULL AND coalesce(addr::text, '') = coalesce(p_addr::text, '')
       AND coalesce(identity, '') = coalesce(p_identity, '');
    IF v_id IS NOT NULL AND (v_old IS NULL OR (v_exp IS NOT NULL AND v_exp <= v_old)) THEN
        o_block_id := v_id;
        RETURN;
    END IF;
    o_version := sw_bump_head();
    IF v_id IS NOT NULL THEN
        UPDATE blocks SET expires_at = v_exp, list_version = o_version,
               updated_at = now(), reason = coalesce(p_reason, reason),
               incident_id = coalesce(p_incident, incident_id)
         WHERE id = v_id;
        o_block_id := v_id;
    ELSE
        INSERT INTO blocks (expires_at, addr, identity, rule, incident_id,
                            list_version, origin, reason)
        VALUES (v_exp, p_addr, nullif(p_identity, ''), p_rule, p_incident,
                o_version, p_origin, p_reason)
        RETURNING id INTO o_block_id;
    END IF;
    INSERT INTO block_versions (version, block_id, op) VALUES (o_version, o_block_id, 'add');
    PERFORM pg_notify('sw_blocks', o_version::text);
END $$;
