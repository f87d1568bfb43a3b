-- Athena tables over keyaudit's output. Replace s3://BUCKET/PREFIX with your
-- --output location, then run each statement in the Athena console or with
-- `aws athena start-query-execution`. Partition projection on `dt` means no
-- MSCK REPAIR or crawler is ever needed: new days appear by themselves.

CREATE DATABASE IF NOT EXISTS keyaudit;

CREATE EXTERNAL TABLE IF NOT EXISTS keyaudit.accounts (
  run_id string,
  account_id string,
  account_name string,
  ou_path string,
  ou_id_path string,
  org_id string,
  regions array<string>,
  entered boolean,
  kms_keys bigint,
  collection_errors bigint
)
PARTITIONED BY (dt string)
STORED AS PARQUET
LOCATION 's3://BUCKET/PREFIX/accounts/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = '2024-01-01,NOW',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'storage.location.template' = 's3://BUCKET/PREFIX/accounts/dt=${dt}/'
);

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
  last_used_date timestamp,
  key_policy string,
  grants array<struct<grant_id:string,name:string,grantee_principal:string,retiring_principal:string,issuing_account:string,operations:array<string>,creation_date:timestamp,constraints:string>>,
  tags map<string,string>,
  unread array<string>,
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

-- OCSF 1.3 Compliance Finding (class_uid 2003).
CREATE EXTERNAL TABLE IF NOT EXISTS keyaudit.findings (
  time timestamp,
  class_uid int,
  category_uid int,
  type_uid int,
  activity_id int,
  severity_id int,
  severity string,
  message string,
  metadata struct<version:string,product:struct<name:string,vendor_name:string,version:string>,correlation_uid:string>,
  finding_info struct<uid:string,title:string,desc:string,created_time:timestamp,types:array<string>>,
  compliance struct<status:string,status_id:int,control:string,standards:array<string>,requirements:array<string>>,
  cloud struct<provider:string,region:string,account:struct<uid:string,name:string>,org:struct<uid:string,ou_name:string>>,
  resources array<struct<uid:string,type:string,region:string>>,
  remediation struct<desc:string,references:array<string>>,
  unmapped map<string,string>
)
PARTITIONED BY (dt string)
STORED AS PARQUET
LOCATION 's3://BUCKET/PREFIX/findings/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = '2024-01-01,NOW',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'storage.location.template' = 's3://BUCKET/PREFIX/findings/dt=${dt}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS keyaudit.runs (
  run_id string,
  started_at timestamp,
  finished_at timestamp,
  keyaudit_version string,
  config_digest string,
  caller_arn string,
  org_id string,
  inventory_run_id string,
  org_account_ids array<string>,
  regions array<string>,
  services array<string>,
  accounts_discovered bigint,
  accounts_selected bigint,
  accounts_scanned bigint,
  accounts_failed bigint,
  kms_keys bigint,
  collection_errors bigint,
  api_calls bigint,
  rules bigint,
  findings_pass bigint,
  findings_fail bigint,
  findings_info bigint,
  findings_error bigint,
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
