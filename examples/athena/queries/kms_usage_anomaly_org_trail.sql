-- KMS usage anomalies over an organisation trail's own logs: the test of the
-- kms-usage-anomaly rule (Decrypt > 10 × Encrypt/GenerateDataKey, at least
-- 10 decrypts, over 30 days) on every event the trail delivered, rather than
-- the newest pages of each account-region's event history that a scan reads
-- (scan.key_events_max_pages). Use it where the rule says a region's history
-- was truncated, or for organisations too busy to page through it.
--
-- `cloudtrail_logs` is the table over the trail's S3 prefix that the
-- CloudTrail console's "Create Athena table" makes (or the DDL in the
-- CloudTrail user guide, "Creating the table for CloudTrail logs in Athena
-- using partition projection"); change the name and the thresholds to yours.
WITH uses AS (
    SELECT
        recipientaccountid AS account_id,
        awsregion AS region,
        r.arn AS key_arn,
        eventname
    FROM cloudtrail_logs
    CROSS JOIN UNNEST(resources) AS t (r)
    WHERE eventsource = 'kms.amazonaws.com'
      AND r.type = 'AWS::KMS::Key'
      AND errorcode IS NULL
      AND eventname IN ('Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext',
                        'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext')
      AND from_iso8601_timestamp(eventtime) > current_timestamp - INTERVAL '30' DAY
)
SELECT
    account_id,
    region,
    key_arn,
    count_if(eventname = 'Decrypt') AS decrypts,
    count_if(eventname <> 'Decrypt') AS encrypts
FROM uses
GROUP BY account_id, region, key_arn
HAVING count_if(eventname = 'Decrypt') >= 10
   AND count_if(eventname = 'Decrypt') > 10 * count_if(eventname <> 'Decrypt')
ORDER BY decrypts DESC, key_arn
