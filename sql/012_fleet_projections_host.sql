-- 012_fleet_projections_host.sql - the warm-up reads each collector
-- host's newest projections under a bound of their own (correlator/
-- fleet_warm.c, WARM_PROJ_HOST), so one collector key sending a flood of
-- projections cannot push every other host's out of a restarted shard's
-- warm-up: one index scan per host, newest first.

CREATE INDEX fleet_projections_host_recv ON fleet_projections (host, recv_ts DESC);
