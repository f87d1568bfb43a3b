-- Compliance of the organisation per day over the last 90 days: the latest
-- run of each day (the latest_runs view), its scored findings that pass.
SELECT r.dt,
       r.run_id,
       r.findings_pass,
       r.findings_fail,
       r.findings_error,
       round(100.0 * r.findings_pass / nullif(r.findings_pass + r.findings_fail, 0), 1) AS compliance_pct
FROM keyaudit.latest_runs r
WHERE r.dt >= CAST(current_date - INTERVAL '90' DAY AS varchar)
ORDER BY r.dt
