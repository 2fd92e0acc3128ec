-- 010_citus_ready.sql - the last obstacle between a shard's schema and a
-- Citus coordinator (sql/fleet/citus_check.sql lists none after this).
--
-- blocks is a reference table under Citus (every node keeps the block
-- list), incidents is distributed by id, and Citus refuses a foreign key
-- from a reference table to a distributed one. The key only checked what
-- the correlator already guarantees: it writes an incident and the block
-- it decides in one transaction (correlator/fleet.c), and nothing deletes
-- incidents. blocks.incident_id stays, a plain column; joins through it
-- (swctl incident show, the fleet query database) are unchanged.
--
-- api_endpoints' natural key UNIQUE (authority, method, template,
-- protocol), which sw_api_merge upserts on, needs no change: the placing
-- in citus_check.sql makes api_endpoints a reference table (one row per
-- endpoint of the fleet, bounded by the per-authority quota of 005 and
-- the authority spray rules of 009), while its per-host and per-parameter
-- children stay distributed by endpoint_id with their keys to it (a
-- distributed table may reference a reference table).

ALTER TABLE blocks DROP CONSTRAINT IF EXISTS blocks_incident_id_fkey;
