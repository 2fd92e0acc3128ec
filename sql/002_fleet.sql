-- 002_fleet.sql - cross-host incidents and the fleet block list.
--
-- Every change to the block list goes through the sw_block_* / sw_allow_*
-- functions below, whoever makes it (correlator detectors, the sweeper,
-- swctl): each committed change gets the next list version, with no gaps,
-- and a row per touched block in block_versions. The correlator tails
-- block_versions (woken by NOTIFY sw_blocks) and publishes one delta per
-- version; a collector that misses one asks for a snapshot.

-- Incidents: a lifecycle, who and what was involved, sample evidence.
ALTER TABLE incidents
    ADD COLUMN state      text        NOT NULL DEFAULT 'open'
        CHECK (state IN ('open', 'acknowledged', 'closed')),
    ADD COLUMN first_seen timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN last_seen  timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN sources    text[]      NOT NULL DEFAULT '{}', -- IPs, /24s, identities
    ADD COLUMN evidence   text[]      NOT NULL DEFAULT '{}', -- "host/seq/idx" event ids, capped
    ADD COLUMN dedupe_key text;                              -- rule + subject: extend, not duplicate
CREATE INDEX incidents_open_key ON incidents (dedupe_key, last_seen)
    WHERE state <> 'closed';

-- Blocks: where they come from and why; one active row per subject.
ALTER TABLE blocks
    ADD COLUMN origin     text NOT NULL DEFAULT 'correlator'
        CHECK (origin IN ('local', 'correlator', 'operator')),
    ADD COLUMN reason     text,
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN removed_reason text; -- expired | operator | allowlisted
CREATE UNIQUE INDEX blocks_active_subject
    ON blocks ((coalesce(addr::text, '')), (coalesce(identity, '')))
    WHERE removed_at IS NULL;
CREATE INDEX blocks_expiry ON blocks (expires_at)
    WHERE removed_at IS NULL AND expires_at IS NOT NULL;
CREATE INDEX blocks_addr_created ON blocks (addr, created_at);

-- The list version. 001's block_list_version sequence stays unused: a
-- sequence leaves holes on rollback and lets a later version commit before
-- an earlier one; a row lock serialises writers, so versions commit in
-- order and without gaps.
CREATE TABLE block_list_head (
    one     boolean PRIMARY KEY DEFAULT true CHECK (one),
    version bigint  NOT NULL
);
INSERT INTO block_list_head VALUES (true, 0);

-- What each version changed: add (new, or expiry moved) or del.
CREATE TABLE block_versions (
    version  bigint      NOT NULL,
    block_id bigint      NOT NULL REFERENCES blocks (id),
    op       text        NOT NULL CHECK (op IN ('add', 'del')),
    at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (version, block_id)
);

ALTER TABLE allow ADD COLUMN removed_at timestamptz;

-- Does an active allow entry overlap this subject? (&&: either contains
-- the other, so a /8 block over an allowlisted /32 is refused too.)
CREATE FUNCTION sw_allowed(p_addr cidr, p_identity text) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (SELECT 1 FROM allow a WHERE a.removed_at IS NULL AND (
        (p_addr IS NOT NULL AND a.addr IS NOT NULL AND p_addr && a.addr) OR
        (p_identity IS NOT NULL AND a.identity = p_identity)))
$$;

-- Lock the head (serialises every list writer until COMMIT).
CREATE FUNCTION sw_lock_head() RETURNS bigint LANGUAGE sql AS $$
    SELECT version FROM block_list_head FOR UPDATE
$$;

CREATE FUNCTION sw_bump_head() RETURNS bigint LANGUAGE sql AS $$
    UPDATE block_list_head SET version = version + 1 RETURNING version
$$;

-- Block a subject. Returns the block id and the new list version; both
-- NULL when the allow list refuses it, version NULL when an active block
-- of the same subject already lasts at least as long (nothing changed).
-- p_ttl NULL: never expires.
CREATE FUNCTION sw_block_add(p_addr cidr, p_identity text, p_origin text,
                             p_rule text, p_reason text, p_incident bigint,
                             p_ttl interval,
                             OUT o_block_id bigint, OUT o_version bigint)
LANGUAGE plpgsql AS $$
DECLARE
    v_exp timestamptz := CASE WHEN p_ttl IS NULL THEN NULL ELSE now() + p_ttl END;
    v_id  bigint;
    v_old timestamptz;
BEGIN
    IF p_addr IS NULL AND (p_identity IS NULL OR p_identity = '') THEN
        RAISE EXCEPTION 'a block needs an address or an identity';
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

-- Remove active blocks matching p_where_ids; one version for all of them.
CREATE FUNCTION sw_block_remove_ids(p_ids bigint[], p_reason text)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    v_ver bigint;
    v_n   integer;
BEGIN
    PERFORM sw_lock_head();
    SELECT count(*) INTO v_n FROM blocks WHERE id = ANY (p_ids) AND removed_at IS NULL;
    IF v_n = 0 THEN
        RETURN NULL;
    END IF;
    v_ver := sw_bump_head();
    INSERT INTO block_versions (version, block_id, op)
        SELECT v_ver, id, 'del' FROM blocks WHERE id = ANY (p_ids) AND removed_at IS NULL;
    UPDATE blocks SET removed_at = now(), removed_reason = p_reason,
           list_version = v_ver, updated_at = now()
     WHERE id = ANY (p_ids) AND removed_at IS NULL;
    PERFORM pg_notify('sw_blocks', v_ver::text);
    RETURN v_ver;
END $$;

CREATE FUNCTION sw_block_remove(p_id bigint, p_reason text) RETURNS bigint
LANGUAGE sql AS $$ SELECT sw_block_remove_ids(ARRAY[p_id], p_reason) $$;

-- The sweeper: every due block leaves the list in one version.
CREATE FUNCTION sw_block_expire() RETURNS bigint LANGUAGE sql AS $$
    SELECT sw_block_remove_ids(array_agg(id), 'expired') FROM blocks
     WHERE removed_at IS NULL AND expires_at IS NOT NULL AND expires_at <= now()
    HAVING count(*) > 0
$$;

-- Allow a subject and lift every active block that overlaps it.
CREATE FUNCTION sw_allow_add(p_addr cidr, p_identity text, p_note text,
                             OUT o_allow_id bigint, OUT o_version bigint)
LANGUAGE plpgsql AS $$
BEGIN
    IF p_addr IS NULL AND (p_identity IS NULL OR p_identity = '') THEN
        RAISE EXCEPTION 'an allow entry needs an address or an identity';
    END IF;
    INSERT INTO allow (addr, identity, note) VALUES (p_addr, nullif(p_identity, ''), p_note)
        RETURNING id INTO o_allow_id;
    o_version := sw_block_remove_ids(ARRAY(
        SELECT id FROM blocks WHERE removed_at IS NULL AND (
            (p_addr IS NOT NULL AND addr IS NOT NULL AND addr && p_addr) OR
            (coalesce(p_identity, '') <> '' AND identity = p_identity))), 'allowlisted');
END $$;

CREATE FUNCTION sw_allow_remove(p_id bigint) RETURNS boolean LANGUAGE sql AS $$
    UPDATE allow SET removed_at = now() WHERE id = p_id AND removed_at IS NULL
    RETURNING true
$$;
