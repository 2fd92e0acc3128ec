-- 001_init.sql - sidewatch's first schema. Applied once by the correlator
-- inside a transaction (schema_version records it).

-- One row per batch a collector sent and we committed: (host, seq) makes a
-- resent batch a no-op, in the same transaction as its events.
CREATE TABLE batches (
    host        text        NOT NULL,
    seq         bigint      NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    events      integer     NOT NULL,
    status      text        NOT NULL DEFAULT 'stored', -- stored | rejected
    error       text,
    PRIMARY KEY (host, seq)
);
CREATE INDEX batches_received_at ON batches (received_at);

-- Every session event and verdict, partitioned by day (UTC). The
-- correlator creates partitions ahead and drops the expired ones.
CREATE TABLE events (
    host        text        NOT NULL,
    seq         bigint      NOT NULL,   -- batch seq
    idx         integer     NOT NULL,   -- position in the batch
    ts          timestamptz NOT NULL,   -- first request byte
    ts_clamped  boolean     NOT NULL DEFAULT false, -- ts out of range: recv_ts used
    recv_ts     timestamptz NOT NULL,
    kind        text        NOT NULL,   -- session | verdict
    proto       text        NOT NULL,   -- http1 | http2 | grpc | websocket
    src_ip      inet,
    src_port    bigint,
    dst_ip      inet,
    dst_port    bigint,
    pid         bigint,
    comm        text,
    tls         boolean,
    method      text,
    authority   text,
    path        text,
    query       text,
    status      integer,
    req_bytes   bigint,
    resp_bytes  bigint,
    latency_us  bigint,
    stream_id   bigint,
    service     text,
    rpc         text,
    grpc_status integer,
    req_msgs    bigint,
    resp_msgs   bigint,
    ws_phase    text,
    origin      text,
    subprotocol text,
    client_msgs bigint,
    server_msgs bigint,
    client_bytes bigint,
    server_bytes bigint,
    close_code  integer,
    identity    text,
    anomalies   jsonb,                  -- {"h1.parse_error": 2, ...}
    rule        text,
    severity    text,
    action      text,                   -- alert | kill | block
    detect_latency_us  bigint,
    enforce_latency_us bigint,
    flags       bigint,                 -- SESS_F_* bits
    trunc       bigint,                 -- SESS_TRUNC_* / PBCONV_TRUNC_* bits
    sanitized   boolean     NOT NULL DEFAULT false, -- bytes replaced by U+FFFD
    conn_id     bigint
) PARTITION BY RANGE (ts);
CREATE INDEX events_ts ON events (ts);
CREATE INDEX events_host_ts ON events (host, ts);
CREATE INDEX events_src_ts ON events (src_ip, ts);
CREATE INDEX events_rule_ts ON events (rule, ts) WHERE rule IS NOT NULL;
CREATE INDEX events_identity_ts ON events (identity, ts) WHERE identity IS NOT NULL;

-- Verdicts are events of kind 'verdict'; a view keeps queries readable.
CREATE VIEW verdicts AS
    SELECT * FROM events WHERE kind = 'verdict';

-- One row per collector, refreshed by every batch and heartbeat.
CREATE TABLE hosts (
    host        text PRIMARY KEY,
    first_seen  timestamptz NOT NULL DEFAULT now(),
    last_seen   timestamptz NOT NULL DEFAULT now(),
    last_seq    bigint,
    events_total bigint     NOT NULL DEFAULT 0,
    version     text,
    uptime_s    bigint,
    counters    jsonb,
    blocklist_version bigint,
    last_heartbeat timestamptz,
    lag_ms      bigint      -- receive time minus the collector's send time
);

-- Cross-host findings (filled by the detectors of later work).
CREATE TABLE incidents (
    id          bigserial PRIMARY KEY,
    opened_at   timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    closed_at   timestamptz,
    rule        text        NOT NULL,
    severity    text        NOT NULL,
    src_ip      inet,
    identity    text,
    hosts       text[]      NOT NULL DEFAULT '{}',
    event_count bigint      NOT NULL DEFAULT 0,
    summary     text,
    details     jsonb
);
CREATE INDEX incidents_opened_at ON incidents (opened_at);
CREATE INDEX incidents_rule ON incidents (rule, opened_at);

-- Fleet block list: each change bumps list_version; collectors get a
-- snapshot then sequenced deltas (later work).
CREATE TABLE blocks (
    id          bigserial PRIMARY KEY,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz,
    removed_at  timestamptz,
    addr        cidr,
    identity    text,
    rule        text        NOT NULL,
    incident_id bigint REFERENCES incidents (id),
    list_version bigint     NOT NULL,
    CHECK (addr IS NOT NULL OR identity IS NOT NULL)
);
CREATE INDEX blocks_active ON blocks (list_version) WHERE removed_at IS NULL;
CREATE SEQUENCE block_list_version;

-- Known-good clients that cross-host detectors must never block.
CREATE TABLE allow (
    id          bigserial PRIMARY KEY,
    created_at  timestamptz NOT NULL DEFAULT now(),
    addr        cidr,
    identity    text,
    note        text,
    CHECK (addr IS NOT NULL OR identity IS NOT NULL)
);
