-- Incidents by rule over the last 7 days: how many, how severe, how wide.
SELECT rule,
       count(*)                                  AS incidents,
       count(*) FILTER (WHERE closed_at IS NULL) AS open,
       max(severity)                             AS max_severity,
       max(cardinality(hosts))                   AS widest_hosts,
       sum(event_count)                          AS events,
       max(opened_at)                            AS latest
FROM incidents
WHERE opened_at > now() - interval '7 days'
GROUP BY rule
ORDER BY incidents DESC;
