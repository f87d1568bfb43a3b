-- Athena tables over keyaudit's output. Replace s3://BUCKET/PREFIX with your
-- --output location, then run each statement in the Athena console or with
-- `aws athena start-query-execution`. Partition projection on `dt` means no
-- MSCK REPAIR or crawler is ever needed: new days appear by themselves.

CREATE DATABASE IF NOT EXISTS keyaudit;

CREATE EXTERNAL TABLE IF NOT EXISTS keyaudit.kms_keys (
  run_id string,
  account_id string,
  account_name string,
  ou_path string,
  org_id string,
  region string,
  key_id string,
  key_arn string,
  aliases array<string>,
  description string,
  key_manager string,
  key_state string,
  enabled boolean,
  key_usage string,
  key_spec string,
  origin string,
  multi_region boolean,
  multi_region_key_type string,
  multi_region_primary_arn string,
  multi_region_replica_arns array<string>,
  creation_date timestamp,
  deletion_date timestamp,
  pending_deletion_window_days int,
  valid_to timestamp,
  rotation_enabled boolean,
  rotation_period_days int,
  next_rotation_date timestamp,
  last_rotation_date timestamp,
  rotation_count int,
  key_policy string,
  grants array<struct<grant_id:string,name:string,grantee_principal:string,retiring_principal:string,issuing_account:string,operations:array<string>,creation_date:timestamp,constraints:string>>,
  tags map<string,string>,
  collected_at timestamp
)
PARTITIONED BY (dt string)
STORED AS PARQUET
LOCATION 's3://BUCKET/PREFIX/kms_keys/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = '2024-01-01,NOW',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'storage.location.template' = 's3://BUCKET/PREFIX/kms_keys/dt=${dt}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS keyaudit.collection_errors (
  run_id string,
  account_id string,
  account_name string,
  region string,
  service string,
  api string,
  resource_id string,
  error_code string,
  message string,
  occurred_at timestamp
)
PARTITIONED BY (dt string)
STORED AS PARQUET
LOCATION 's3://BUCKET/PREFIX/collection_errors/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = '2024-01-01,NOW',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'storage.location.template' = 's3://BUCKET/PREFIX/collection_errors/dt=${dt}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS keyaudit.runs (
  run_id string,
  started_at timestamp,
  finished_at timestamp,
  keyaudit_version string,
  config_digest string,
  caller_arn string,
  org_id string,
  regions array<string>,
  services array<string>,
  accounts_discovered bigint,
  accounts_selected bigint,
  accounts_scanned bigint,
  accounts_failed bigint,
  kms_keys bigint,
  collection_errors bigint,
  api_calls bigint,
  complete boolean
)
PARTITIONED BY (dt string)
STORED AS PARQUET
LOCATION 's3://BUCKET/PREFIX/runs/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = '2024-01-01,NOW',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'storage.location.template' = 's3://BUCKET/PREFIX/runs/dt=${dt}/'
);
