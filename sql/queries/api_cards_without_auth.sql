-- Endpoints that returned payment card numbers in 2xx answers to clients
-- without any credential (api_* tables: sql/004_inventory.sql and
-- sql/008_inventory_data.sql), riskiest first.
SELECT a.id,
       a.method || ' ' || a.authority || a.template AS endpoint,
       d.count                       AS cards_returned,
       a.unauth_data                 AS sensitive_answers_without_credentials,
       a.ok_no_auth                  AS ok_2xx_without_credentials,
       a.ok_no_auth_share            AS share_2xx_without_credentials,
       array_to_string(a.auth_kinds, ',') AS auth_seen,
       a.first_seen, a.last_seen
FROM api_endpoints a
JOIN api_data_classes d ON d.endpoint_id = a.id AND d.class = 'card'
     AND d.direction = 'response' AND d.path = '*'
WHERE a.unauth_data > 0
ORDER BY a.unauth_data DESC, d.count DESC;
