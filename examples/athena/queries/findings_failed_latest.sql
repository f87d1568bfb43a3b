-- Failed and errored findings of the latest run, most severe first.
WITH latest AS (
    -- The latest run (scan or re-evaluation, which is dated as its scan) of
    -- the last 7 days: the dt predicates keep Athena to those days.
    SELECT run_id, dt FROM keyaudit.runs
    WHERE dt >= CAST(current_date - INTERVAL '7' DAY AS varchar)
    ORDER BY finished_at DESC, run_id DESC
    LIMIT 1
)
SELECT f.compliance.control AS rule_id,
       f.severity,
       f.compliance.status_code AS status,
       f.cloud.account.uid AS account_id,
       f.cloud.account.name AS account_name,
       f.unmapped['ou_path'] AS ou_path,
       f.cloud.region AS region,
       f.resources[1].uid AS resource,
       f.message
FROM keyaudit.findings f
JOIN latest l ON f.metadata.correlation_uid = l.run_id AND f.dt = l.dt
WHERE f.dt >= CAST(current_date - INTERVAL '7' DAY AS varchar)
  AND f.compliance.status_code IN ('FAIL', 'ERROR')
ORDER BY f.severity_id DESC, rule_id, account_id, resource
