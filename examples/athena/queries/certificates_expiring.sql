-- ACM and IAM server certificates that expire within 30 days (or have
-- expired), in the latest run, soonest first.
SELECT account_id,
       region,
       'acm' AS store,
       certificate_arn AS arn,
       domain_name AS name,
       not_after,
       date_diff('day', current_timestamp, not_after) AS days_left
FROM acm_certificates
WHERE run_id = (SELECT max(run_id) FROM runs WHERE inventory_run_id IS NULL)
  AND not_after < current_timestamp + INTERVAL '30' DAY
UNION ALL
SELECT account_id,
       region,
       'iam' AS store,
       arn,
       name,
       not_after,
       date_diff('day', current_timestamp, not_after) AS days_left
FROM iam_server_certificates
WHERE run_id = (SELECT max(run_id) FROM runs WHERE inventory_run_id IS NULL)
  AND not_after < current_timestamp + INTERVAL '30' DAY
ORDER BY days_left
