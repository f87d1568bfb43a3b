-- KMS keys per account and region in the latest scan, by state.
WITH latest AS (
    -- The latest scan of the last 7 days: the dt predicates keep Athena to those days.
    SELECT run_id, dt FROM keyaudit.runs
    WHERE dt >= CAST(current_date - INTERVAL '7' DAY AS varchar) AND inventory_run_id IS NULL
    ORDER BY started_at DESC
    LIMIT 1
)
SELECT k.account_id,
       k.account_name,
       k.region,
       count(*) AS keys,
       count_if(k.key_state = 'Enabled') AS enabled,
       count_if(k.key_state = 'Disabled') AS disabled,
       count_if(k.key_state = 'PendingDeletion') AS pending_deletion,
       count_if(k.multi_region) AS multi_region
FROM keyaudit.kms_keys k
JOIN latest l ON k.run_id = l.run_id AND k.dt = l.dt
WHERE k.dt >= CAST(current_date - INTERVAL '7' DAY AS varchar)
GROUP BY k.account_id, k.account_name, k.region
ORDER BY k.account_id, k.region
