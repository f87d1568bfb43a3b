-- Compliance per organisational unit (OU path) in the latest run.
WITH latest AS (
    -- The latest run (scan or re-evaluation, which is dated as its scan) of
    -- the last 7 days: the dt predicates keep Athena to those days.
    SELECT run_id, dt FROM keyaudit.runs
    WHERE dt >= CAST(current_date - INTERVAL '7' DAY AS varchar)
    ORDER BY finished_at DESC, run_id DESC
    LIMIT 1
)
SELECT f.unmapped['ou_path'] AS ou_path,
       count(DISTINCT f.cloud.account.uid) AS accounts,
       count_if(f.compliance.status_code = 'PASS') AS passed,
       count_if(f.compliance.status_code = 'FAIL') AS failed,
       count_if(f.compliance.status_code = 'ERROR') AS errors,
       round(100.0 * count_if(f.compliance.status_code = 'PASS')
             / nullif(count_if(f.compliance.status_code IN ('PASS', 'FAIL')), 0), 1) AS compliance_pct
FROM keyaudit.findings f
JOIN latest l ON f.metadata.correlation_uid = l.run_id AND f.dt = l.dt
WHERE f.dt >= CAST(current_date - INTERVAL '7' DAY AS varchar)
GROUP BY f.unmapped['ou_path']
ORDER BY compliance_pct ASC NULLS LAST, ou_path
