-- KMS keys per account and region in the latest run, by state.
SELECT account_id,
       account_name,
       region,
       count(*) AS keys,
       count_if(key_state = 'Enabled') AS enabled,
       count_if(key_state = 'Disabled') AS disabled,
       count_if(key_state = 'PendingDeletion') AS pending_deletion,
       count_if(multi_region) AS multi_region
FROM kms_keys
WHERE run_id = (SELECT max(run_id) FROM runs)
GROUP BY account_id, account_name, region
ORDER BY account_id, region
