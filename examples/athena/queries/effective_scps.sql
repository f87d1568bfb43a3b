-- Each scanned account's service control policies in the latest scan: those
-- attached to the organisation's root, to an OU on the account's path, or to
-- the account itself (SCPs never restrict the management account, though
-- they are listed for it too).
WITH latest AS (
    SELECT max(run_id) AS run_id
    FROM runs
    WHERE inventory_run_id IS NULL
)
SELECT
    a.account_id,
    a.account_name,
    a.ou_path,
    p.name AS policy,
    p.policy_id,
    t.target_type AS attached_to,
    t.name AS attached_at
FROM accounts a
JOIN latest l ON a.run_id = l.run_id
JOIN service_control_policies p ON p.run_id = a.run_id
CROSS JOIN UNNEST(p.targets) AS u (t)
WHERE t.target_id = a.account_id
   OR strpos('/' || a.ou_id_path || '/', '/' || t.target_id || '/') > 0
ORDER BY a.account_id, p.name, t.target_type
