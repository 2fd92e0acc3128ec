-- 011_fleet_projections.sql - projections a sharded correlator was sent
-- (SessionEvent.projection, issue 25), kept so that a restarted shard
-- warms its endpoint and identity windows with them (correlator/
-- fleet_warm.c). A projection is no row of `events` (its row is on its
-- source's shard); this table holds only what those detectors read, of
-- the projections that can feed them (a 401, 403 or 404, or an identity),
-- written in the same transaction as its batch's `batches` row, so a
-- resent batch adds none. The correlator deletes rows older than its
-- longest window of these families, plus a margin (fleet_projections_pruned
-- in --stats): the table holds minutes, not days, and needs no partitions.
-- bits: PROJ_ENDPOINT 1, PROJ_IDENTITY 2. Citus: distributed by host,
-- with batches and events (sql/fleet/citus_check.sql).

CREATE TABLE fleet_projections (
    host      text        NOT NULL,
    seq       bigint      NOT NULL,
    idx       integer     NOT NULL,
    recv_ts   timestamptz NOT NULL,
    bits      integer     NOT NULL CHECK (bits BETWEEN 1 AND 3),
    src_ip    inet,
    status    integer     NOT NULL,
    authority text        NOT NULL,
    path      text        NOT NULL,
    identity  text
);
CREATE INDEX fleet_projections_recv ON fleet_projections (recv_ts);
