-- How completely the latest scan collected each account: the collection
-- errors per account and service (zero rows for an account means complete),
-- so that missing data is never mistaken for compliance.
WITH latest AS (
    -- The latest scan of the last 7 days: the dt predicates keep Athena to those days.
    SELECT run_id, dt FROM keyaudit.runs
    WHERE dt >= CAST(current_date - INTERVAL '7' DAY AS varchar) AND inventory_run_id IS NULL
    ORDER BY started_at DESC
    LIMIT 1
)
SELECT a.account_id,
       a.account_name,
       a.entered,
       count(e.api) AS collection_errors,
       count(DISTINCT e.service) AS services_incomplete
FROM keyaudit.accounts a
JOIN latest l ON a.run_id = l.run_id AND a.dt = l.dt
LEFT JOIN keyaudit.collection_errors e
    ON e.run_id = a.run_id AND e.dt = a.dt AND e.account_id = a.account_id
WHERE a.dt >= CAST(current_date - INTERVAL '7' DAY AS varchar)
GROUP BY a.account_id, a.account_name, a.entered
ORDER BY collection_errors DESC, a.account_id
