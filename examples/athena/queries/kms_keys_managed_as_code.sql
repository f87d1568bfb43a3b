-- Each customer-managed KMS key of the latest scan, with the CloudFormation
-- stack of its account and region that manages it (null when none does):
-- keys made by hand are the ones to bring under a stack. A stack names a key
-- by its id (or, rarely, its ARN).
WITH latest AS (
    -- The latest scan of the last 7 days: the dt predicates keep Athena to those days.
    SELECT run_id, dt FROM keyaudit.runs
    WHERE dt >= CAST(current_date - INTERVAL '7' DAY AS varchar) AND inventory_run_id IS NULL
    ORDER BY started_at DESC
    LIMIT 1
),
managed AS (
    SELECT s.run_id, s.account_id, s.region, s.name AS stack, m.key_id
    FROM keyaudit.cloudformation_stacks s
    JOIN latest l ON s.run_id = l.run_id AND s.dt = l.dt
    CROSS JOIN UNNEST(s.kms_key_ids) AS m (key_id)
    WHERE s.dt >= CAST(current_date - INTERVAL '7' DAY AS varchar)
)
SELECT
    k.account_id,
    k.region,
    k.key_id,
    k.key_state,
    m.stack AS managed_by_stack
FROM keyaudit.kms_keys k
JOIN latest l ON k.run_id = l.run_id AND k.dt = l.dt
LEFT JOIN managed m
    ON m.run_id = k.run_id
   AND m.account_id = k.account_id
   AND m.region = k.region
   AND (m.key_id = k.key_id OR m.key_id = k.key_arn)
WHERE k.dt >= CAST(current_date - INTERVAL '7' DAY AS varchar)
  AND k.key_manager = 'CUSTOMER'
ORDER BY k.account_id, k.region, k.key_id
