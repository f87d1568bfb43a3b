-- Secrets Manager secrets of the latest scan that have never been rotated
-- (no last rotation date), with whether rotation is even configured.
WITH latest AS (
    -- The latest scan of the last 7 days: the dt predicates keep Athena to those days.
    SELECT run_id, dt FROM keyaudit.runs
    WHERE dt >= CAST(current_date - INTERVAL '7' DAY AS varchar) AND inventory_run_id IS NULL
    ORDER BY started_at DESC
    LIMIT 1
)
SELECT s.account_id, s.account_name, s.region, s.name, s.rotation_enabled, s.created_date
FROM keyaudit.secrets s
JOIN latest l ON s.run_id = l.run_id AND s.dt = l.dt
WHERE s.dt >= CAST(current_date - INTERVAL '7' DAY AS varchar)
  AND s.last_rotated_date IS NULL
ORDER BY s.account_id, s.region, s.name
