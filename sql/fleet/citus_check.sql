-- sql/fleet/citus_check.sql - what in a shard's schema stands in the way of
-- Citus. Run it on any shard (psql -f); one row per obstacle, none when a
-- Citus coordinator could take the schema as placed below.
--
-- The placing (README, "Fleet query database"):
--   distributed by host: events, batches and fleet_projections (co-located:
--     the correlator writes a batch's row, its events and its kept
--     projections in one transaction, which then touches one Citus shard), and the per-host inventory counters;
--   distributed by id: incidents; by endpoint_id: the API inventory's
--     per-host, per-generation and per-parameter tables (co-located);
--   api_authority_counts by authority;
--   reference (one copy on every node): api_endpoints (one row per
--     endpoint of the fleet; its natural key is what sw_api_merge upserts
--     on, and a reference table may keep it), hosts, the block list (blocks,
--     block_versions, block_list_head), allow, protected_addrs, the
--     inventory limits and the data-class catalogue, schema_version.
-- sidewatch has no rules table (rules are files the collectors read).
--
-- Citus refuses: a primary key or unique constraint (or unique index)
-- of a distributed table without its distribution column; a distribution
-- column that may be NULL (a row without one has no shard); a foreign key
-- between distributed tables that does not pair their distribution
-- columns; a foreign key from a reference table to a distributed one.
-- A table of the schema not placed here is listed too (a migration added
-- it: decide where it goes).
WITH place (tab, dist) AS (VALUES
    ('events', 'host'), ('batches', 'host'), ('fleet_projections', 'host'),
    ('api_inventory_refusals', 'host'), ('api_host_counts', 'host'),
    ('api_host_authorities', 'host'), ('api_authority_counts', 'authority'),
    ('incidents', 'id'), ('api_endpoints', NULL),
    ('api_endpoint_hosts', 'endpoint_id'), ('api_endpoint_gens', 'endpoint_id'),
    ('api_params', 'endpoint_id'), ('api_param_gens', 'endpoint_id'),
    ('api_data_classes', 'endpoint_id'), ('api_auth', 'endpoint_id'),
    ('api_endpoint_folds', 'endpoint_id'), ('api_data_gens', 'endpoint_id'),
    ('hosts', NULL), ('blocks', NULL), ('block_versions', NULL),
    ('block_list_head', NULL), ('allow', NULL), ('protected_addrs', NULL),
    ('api_inventory_limits', NULL), ('api_data_class_kinds', NULL),
    ('schema_version', NULL)
), pl AS (
    SELECT c.oid, c.relname, p.tab IS NOT NULL AS placed, p.dist,
           a.attnum AS distnum, a.attnotnull
    FROM pg_class c
    LEFT JOIN place p ON p.tab = c.relname
    LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = p.dist
    WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
      AND NOT c.relispartition
)
SELECT relname AS "table", 'not placed: neither distributed nor reference' AS obstacle
FROM pl WHERE NOT placed
UNION ALL
SELECT relname, format('distribution column %s: %s', dist,
       CASE WHEN distnum IS NULL THEN 'no such column' ELSE 'may be NULL' END)
FROM pl WHERE dist IS NOT NULL AND (distnum IS NULL OR NOT attnotnull)
UNION ALL
SELECT pl.relname, format('%s %s does not include %s',
       CASE k.contype WHEN 'p' THEN 'primary key' ELSE 'unique' END,
       pg_get_constraintdef(k.oid), pl.dist)
FROM pl JOIN pg_constraint k ON k.conrelid = pl.oid AND k.contype IN ('p', 'u')
WHERE pl.dist IS NOT NULL AND NOT (pl.distnum = ANY (k.conkey))
UNION ALL
SELECT pl.relname, format('unique index %s does not include %s', i.indexrelid::regclass, pl.dist)
FROM pl JOIN pg_index i ON i.indrelid = pl.oid AND i.indisunique
WHERE pl.dist IS NOT NULL AND NOT (pl.distnum = ANY (i.indkey::int2[]))
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
UNION ALL
SELECT c.relname, format('foreign key %s: %s', k.conname,
       CASE WHEN c.dist IS NULL THEN 'a reference table may not reference a distributed one'
            ELSE 'does not pair the distribution columns' END)
FROM pg_constraint k
JOIN pl c ON c.oid = k.conrelid
JOIN pl p ON p.oid = k.confrelid
WHERE k.contype = 'f' AND p.dist IS NOT NULL
  AND (c.dist IS NULL OR NOT EXISTS (
       SELECT 1 FROM unnest(k.conkey, k.confkey) u(a, b)
       WHERE u.a = c.distnum AND u.b = p.distnum))
ORDER BY 1, 2;
