-- What the latest run could not collect, by account, region, service and API.
SELECT account_id, region, service, api, error_code, count(*) AS errors, min(message) AS example
FROM collection_errors
WHERE run_id = (SELECT max(run_id) FROM runs)
GROUP BY account_id, region, service, api, error_code
ORDER BY account_id, region, service, api
