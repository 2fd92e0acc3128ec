-- Per host: the endpoints it serves, when it first and last served each,
-- and its own share of the calls. psql -v host=NAME narrows it to one host
-- (the value goes in as a quoted literal, :'host').
\if :{?host}
\else
\set host ''
\endif
SELECT h.host,
       a.id,
       a.method || ' ' || a.authority || a.template AS endpoint,
       h.first_seen, h.last_seen, h.calls,
       a.calls AS fleet_calls
FROM api_endpoint_hosts h
JOIN api_endpoints a ON a.id = h.endpoint_id
WHERE :'host' = '' OR h.host = :'host'
ORDER BY h.host, h.calls DESC;
