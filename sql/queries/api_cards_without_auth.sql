-- Endpoints that carry payment card numbers and answered 2xx without any
-- credential (api_* tables: sql/004_inventory.sql), riskiest first.
SELECT a.id,
       a.method || ' ' || a.authority || a.template AS endpoint,
       d.count                       AS card_findings,
       a.ok_no_auth                  AS ok_2xx_without_credentials,
       a.ok_no_auth_share            AS share_2xx_without_credentials,
       array_to_string(a.auth_kinds, ',') AS auth_seen,
       a.first_seen, a.last_seen
FROM api_endpoints a
JOIN api_data_classes d ON d.endpoint_id = a.id AND d.class = 'card'
WHERE a.ok_no_auth > 0
ORDER BY a.ok_no_auth DESC, d.count DESC;
