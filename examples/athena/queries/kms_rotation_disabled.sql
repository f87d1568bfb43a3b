-- Customer-managed symmetric keys with KMS key material, enabled, whose
-- automatic rotation is off (CIS AWS Foundations 3.6 / Security Hub KMS.4),
-- in the latest run.
SELECT account_id, account_name, ou_path, region, key_id, aliases
FROM kms_keys
WHERE run_id = (SELECT max(run_id) FROM runs)
  AND key_manager = 'CUSTOMER'
  AND key_spec = 'SYMMETRIC_DEFAULT'
  AND origin = 'AWS_KMS'
  AND key_state = 'Enabled'
  AND rotation_enabled = false
ORDER BY account_id, region, key_id
