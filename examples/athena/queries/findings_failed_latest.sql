-- Failed and errored findings of the latest run, most severe first.
SELECT compliance.control AS rule_id,
       severity,
       compliance.status AS status,
       cloud.account.uid AS account_id,
       cloud.account.name AS account_name,
       cloud.org.ou_name AS ou_path,
       cloud.region AS region,
       resources[1].uid AS resource,
       message
FROM findings
WHERE metadata.correlation_uid = (SELECT max(run_id) FROM runs)
  AND compliance.status IN ('Fail', 'Error')
ORDER BY severity_id DESC, rule_id, account_id, resource
