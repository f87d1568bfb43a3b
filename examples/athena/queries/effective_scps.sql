-- Each scanned account's service control policies in the latest scan: those
-- attached to the organisation's root, to an OU on the account's path, or to
-- the account itself (SCPs never restrict the management account, though
-- they are listed for it too).
WITH latest AS (
    -- The latest scan of the last 7 days: the dt predicates keep Athena to those days.
    SELECT run_id, dt FROM keyaudit.runs
    WHERE dt >= CAST(current_date - INTERVAL '7' DAY AS varchar) AND inventory_run_id IS NULL
    ORDER BY started_at DESC
    LIMIT 1
)
SELECT
    a.account_id,
    a.account_name,
    a.ou_path,
    p.name AS policy,
    p.policy_id,
    t.target_type AS attached_to,
    t.name AS attached_at
FROM keyaudit.accounts a
JOIN latest l ON a.run_id = l.run_id AND a.dt = l.dt
JOIN keyaudit.service_control_policies p ON p.run_id = a.run_id AND p.dt = a.dt
CROSS JOIN UNNEST(p.targets) AS u (t)
WHERE a.dt >= CAST(current_date - INTERVAL '7' DAY AS varchar)
  AND p.dt >= CAST(current_date - INTERVAL '7' DAY AS varchar)
  AND (t.target_id = a.account_id
       OR strpos('/' || a.ou_id_path || '/', '/' || t.target_id || '/') > 0)
ORDER BY a.account_id, p.name, t.target_type
