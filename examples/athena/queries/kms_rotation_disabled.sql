-- Customer-managed symmetric keys with KMS key material, enabled, whose
-- automatic rotation is off (CIS AWS Foundations 3.6 / Security Hub KMS.4),
-- in the latest scan.
WITH latest AS (
    -- The latest scan of the last 7 days: the dt predicates keep Athena to those days.
    SELECT run_id, dt FROM keyaudit.runs
    WHERE dt >= CAST(current_date - INTERVAL '7' DAY AS varchar) AND inventory_run_id IS NULL
    ORDER BY started_at DESC
    LIMIT 1
)
SELECT k.account_id, k.account_name, k.ou_path, k.region, k.key_id, k.aliases
FROM keyaudit.kms_keys k
JOIN latest l ON k.run_id = l.run_id AND k.dt = l.dt
WHERE k.dt >= CAST(current_date - INTERVAL '7' DAY AS varchar)
  AND k.key_manager = 'CUSTOMER'
  AND k.key_spec = 'SYMMETRIC_DEFAULT'
  AND k.origin = 'AWS_KMS'
  AND k.key_state = 'Enabled'
  AND k.rotation_enabled = false
ORDER BY k.account_id, k.region, k.key_id
