-- Each customer-managed KMS key of the latest scan, with the CloudFormation
-- stack of its account and region that manages it (null when none does):
-- keys made by hand are the ones to bring under a stack. A stack names a key
-- by its id (or, rarely, its ARN).
WITH latest AS (
    SELECT max(run_id) AS run_id
    FROM runs
    WHERE inventory_run_id IS NULL
),
managed AS (
    SELECT s.run_id, s.account_id, s.region, s.name AS stack, m.key_id
    FROM cloudformation_stacks s
    CROSS JOIN UNNEST(s.kms_key_ids) AS m (key_id)
)
SELECT
    k.account_id,
    k.region,
    k.key_id,
    k.key_state,
    m.stack AS managed_by_stack
FROM kms_keys k
JOIN latest l ON k.run_id = l.run_id
LEFT JOIN managed m
    ON m.run_id = k.run_id
   AND m.account_id = k.account_id
   AND m.region = k.region
   AND (m.key_id = k.key_id OR m.key_id = k.key_arn)
WHERE k.key_manager = 'CUSTOMER'
ORDER BY k.account_id, k.region, k.key_id
