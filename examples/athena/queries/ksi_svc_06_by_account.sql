-- The KSI-SVC-06 score of each account (and the organisation, with a null
-- account) in the latest scan: its overall line, worst first.
SELECT coalesce(account_id, 'organisation') AS account,
       account_name,
       ou_path,
       status,
       numerator AS sub_checks_passed,
       denominator AS sub_checks,
       figure
FROM keyaudit.latest_ksi_scores
WHERE sub_check = 'overall'
ORDER BY numerator ASC NULLS FIRST, account
