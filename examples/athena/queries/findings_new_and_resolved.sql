-- Findings that changed between the last two runs of the last 7 days: FAIL
-- now but not before ("new"), and FAIL before but not now ("resolved"), by
-- the finding's stable id (rule, account, region, resource, subject).
WITH ranked AS (
    SELECT run_id, dt, row_number() OVER (ORDER BY finished_at DESC, run_id DESC) AS recency
    FROM keyaudit.runs
    WHERE dt >= CAST(current_date - INTERVAL '7' DAY AS varchar)
),
failing AS (
    SELECT k.recency, f.finding_info.uid AS uid, f.compliance.control AS rule_id,
           f.cloud.account.uid AS account_id, f.resources[1].uid AS resource, f.message
    FROM keyaudit.findings f
    JOIN ranked k ON f.metadata.correlation_uid = k.run_id AND f.dt = k.dt
    WHERE f.dt >= CAST(current_date - INTERVAL '7' DAY AS varchar)
      AND k.recency <= 2
      AND f.compliance.status_code = 'FAIL'
)
SELECT 'new' AS change, n.rule_id, n.account_id, n.resource, n.message
FROM failing n
WHERE n.recency = 1 AND n.uid NOT IN (SELECT uid FROM failing WHERE recency = 2)
UNION ALL
SELECT 'resolved' AS change, o.rule_id, o.account_id, o.resource, o.message
FROM failing o
WHERE o.recency = 2 AND o.uid NOT IN (SELECT uid FROM failing WHERE recency = 1)
ORDER BY change, rule_id, account_id, resource
