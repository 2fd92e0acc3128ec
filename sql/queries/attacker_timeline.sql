-- One attacker's timeline across every host, oldest first. Set the client
-- address (or identity) with psql variables:
--   psql "$SIDEWATCH_PG" -v addr="'198.51.100.7'" -v ident="''" \
--        -f sql/queries/attacker_timeline.sql
SELECT ts, host, kind, proto, method, authority, path, status,
       rule, action, identity,
       ts - lag(ts) OVER (ORDER BY ts) AS gap
FROM events
WHERE (src_ip = :addr::inet OR (identity IS NOT NULL AND identity = :ident))
  AND ts > now() - interval '7 days'
ORDER BY ts
LIMIT 1000;
