-- Endpoints first seen anywhere in the fleet in the last 24 hours, with the
-- hosts that serve them.
SELECT a.id,
       a.method || ' ' || a.authority || a.template AS endpoint,
       a.protocol,
       a.first_seen,
       a.calls,
       (SELECT string_agg(h.host, ',' ORDER BY h.host)
        FROM api_endpoint_hosts h WHERE h.endpoint_id = a.id) AS hosts
FROM api_endpoints a
WHERE a.first_seen > now() - interval '24 hours'
ORDER BY a.first_seen DESC;
