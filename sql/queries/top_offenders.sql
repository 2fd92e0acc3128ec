-- Top offenders of the last 24 hours: client addresses with the most
-- verdicts, how many rules and hosts they touched.
SELECT src_ip,
       count(*)                      AS verdicts,
       count(DISTINCT rule)          AS rules,
       count(DISTINCT host)          AS hosts,
       min(ts)                       AS first_seen,
       max(ts)                       AS last_seen,
       array_agg(DISTINCT action)    AS actions
FROM events
WHERE kind = 'verdict'
  AND ts > now() - interval '24 hours'
GROUP BY src_ip
ORDER BY verdicts DESC
LIMIT 20;
