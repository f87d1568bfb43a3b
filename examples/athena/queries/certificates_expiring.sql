-- ACM and IAM server certificates that expire within 30 days (or have
-- expired), in the latest scan, soonest first.
WITH latest AS (
    -- The latest scan of the last 7 days: the dt predicates keep Athena to those days.
    SELECT run_id, dt FROM keyaudit.runs
    WHERE dt >= CAST(current_date - INTERVAL '7' DAY AS varchar) AND inventory_run_id IS NULL
    ORDER BY started_at DESC
    LIMIT 1
)
SELECT c.account_id,
       c.region,
       'acm' AS store,
       c.certificate_arn AS arn,
       c.domain_name AS name,
       c.not_after,
       date_diff('day', current_timestamp, c.not_after) AS days_left
FROM keyaudit.acm_certificates c
JOIN latest l ON c.run_id = l.run_id AND c.dt = l.dt
WHERE c.dt >= CAST(current_date - INTERVAL '7' DAY AS varchar)
  AND c.not_after < current_timestamp + INTERVAL '30' DAY
UNION ALL
SELECT c.account_id,
       c.region,
       'iam' AS store,
       c.arn,
       c.name,
       c.not_after,
       date_diff('day', current_timestamp, c.not_after) AS days_left
FROM keyaudit.iam_server_certificates c
JOIN latest l ON c.run_id = l.run_id AND c.dt = l.dt
WHERE c.dt >= CAST(current_date - INTERVAL '7' DAY AS varchar)
  AND c.not_after < current_timestamp + INTERVAL '30' DAY
ORDER BY days_left
