-- What the latest scan could not collect, by account, region, service and API.
WITH latest AS (
    -- The latest scan of the last 7 days: the dt predicates keep Athena to those days.
    SELECT run_id, dt FROM keyaudit.runs
    WHERE dt >= CAST(current_date - INTERVAL '7' DAY AS varchar) AND inventory_run_id IS NULL
    ORDER BY started_at DESC
    LIMIT 1
)
SELECT e.account_id, e.region, e.service, e.api, e.error_code, count(*) AS errors, min(e.message) AS example
FROM keyaudit.collection_errors e
JOIN latest l ON e.run_id = l.run_id AND e.dt = l.dt
WHERE e.dt >= CAST(current_date - INTERVAL '7' DAY AS varchar)
GROUP BY e.account_id, e.region, e.service, e.api, e.error_code
ORDER BY e.account_id, e.region, e.service, e.api
