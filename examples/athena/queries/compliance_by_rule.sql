-- Compliance per rule in the latest run: the share of scored findings that pass.
SELECT compliance.control AS rule_id,
       max_by(severity, severity_id) AS severity,
       count_if(compliance.status = 'Pass') AS passed,
       count_if(compliance.status = 'Fail') AS failed,
       count_if(compliance.status = 'Error') AS errors,
       round(100.0 * count_if(compliance.status = 'Pass')
             / nullif(count_if(compliance.status IN ('Pass', 'Fail')), 0), 1) AS compliance_pct
FROM findings
WHERE metadata.correlation_uid = (SELECT max(run_id) FROM runs)
GROUP BY compliance.control
ORDER BY compliance_pct ASC NULLS LAST, rule_id
