-- 003_ingest.sql - less index upkeep per ingested event.
--
-- Every event row paid for five btrees. events_host_ts (host text, ts) was
-- the dearest (a text comparison under the database collation on every
-- insert) and the least needed: every query that names a host also bounds
-- ts (swctl events --host: ts range, newest first; swctl incident: ts
-- window and src_ip/identity), so events_ts (rows arrive in ts order, the
-- cheapest btree to append to) with a host filter serves them, and
-- events_src_ts / events_identity_ts keep the per-attacker lookups fast.
DROP INDEX IF EXISTS events_host_ts;
