-- Athena tables and views over keyaudit's output. `keyaudit athena ddl --location
-- s3://bucket/prefix` prints them for your location; the copy in examples/athena/tables.sql
-- has placeholders (`keyaudit generate athena-ddl`; a test fails when it is stale).
-- Run each statement in the Athena console or with `aws athena start-query-execution`.
-- Partition projection on `dt` means no MSCK REPAIR or crawler is ever needed:
-- new days appear by themselves.

CREATE DATABASE IF NOT EXISTS keyaudit;

CREATE EXTERNAL TABLE IF NOT EXISTS keyaudit.accounts (
  `run_id` string,
  `account_id` string,
  `account_name` string,
  `ou_path` string,
  `ou_id_path` string,
  `org_id` string,
  `regions` array<string>,
  `entered` boolean,
  `resources` map<string,bigint>,
  `collection_errors` bigint
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
  `run_id` string,
  `account_id` string,
  `account_name` string,
  `ou_path` string,
  `org_id` string,
  `region` string,
  `key_id` string,
  `key_arn` string,
  `aliases` array<string>,
  `description` string,
  `key_manager` string,
  `key_state` string,
  `enabled` boolean,
  `key_usage` string,
  `key_spec` string,
  `origin` string,
  `multi_region` boolean,
  `multi_region_key_type` string,
  `multi_region_primary_arn` string,
  `multi_region_replica_arns` array<string>,
  `creation_date` timestamp,
  `deletion_date` timestamp,
  `pending_deletion_window_days` int,
  `valid_to` timestamp,
  `rotation_enabled` boolean,
  `rotation_period_days` int,
  `next_rotation_date` timestamp,
  `last_rotation_date` timestamp,
  `rotation_count` int,
  `last_used_date` timestamp,
  `last_used_operation` string,
  `last_used_event_id` string,
  `usage_tracked_since` timestamp,
  `key_policy` string,
  `grants` array<struct<grant_id:string,name:string,grantee_principal:string,retiring_principal:string,issuing_account:string,operations:array<string>,creation_date:timestamp,constraints:string>>,
  `tags` map<string,string>,
  `unread` array<string>,
  `collected_at` timestamp
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

CREATE EXTERNAL TABLE IF NOT EXISTS keyaudit.acm_certificates (
  `run_id` string,
  `account_id` string,
  `account_name` string,
  `ou_path` string,
  `org_id` string,
  `region` string,
  `certificate_arn` string,
  `domain_name` string,
  `subject_alternative_names` array<string>,
  `status` string,
  `certificate_type` string,
  `issuer` string,
  `serial` string,
  `not_before` timestamp,
  `not_after` timestamp,
  `key_algorithm` string,
  `signature_algorithm` string,
  `in_use_by` array<string>,
  `renewal_eligibility` string,
  `renewal_status` string,
  `renewal_status_reason` string,
  `transparency_logging` string,
  `validation_methods` array<string>,
  `failure_reason` string,
  `created_at` timestamp,
  `imported_at` timestamp,
  `issued_at` timestamp,
  `tags` map<string,string>,
  `unread` array<string>,
  `collected_at` timestamp
)
PARTITIONED BY (dt string)
STORED AS PARQUET
LOCATION 's3://BUCKET/PREFIX/acm_certificates/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = '2024-01-01,NOW',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'storage.location.template' = 's3://BUCKET/PREFIX/acm_certificates/dt=${dt}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS keyaudit.secrets (
  `run_id` string,
  `account_id` string,
  `account_name` string,
  `ou_path` string,
  `org_id` string,
  `region` string,
  `secret_arn` string,
  `name` string,
  `description` string,
  `kms_key_id` string,
  `rotation_enabled` boolean,
  `rotation_lambda_arn` string,
  `rotation_every_days` bigint,
  `rotation_schedule` string,
  `last_rotated_date` timestamp,
  `last_changed_date` timestamp,
  `last_accessed_date` timestamp,
  `next_rotation_date` timestamp,
  `deleted_date` timestamp,
  `created_date` timestamp,
  `owning_service` string,
  `primary_region` string,
  `replica_regions` array<string>,
  `tags` map<string,string>,
  `has_resource_policy` boolean,
  `resource_policy` string,
  `unread` array<string>,
  `collected_at` timestamp
)
PARTITIONED BY (dt string)
STORED AS PARQUET
LOCATION 's3://BUCKET/PREFIX/secrets/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = '2024-01-01,NOW',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'storage.location.template' = 's3://BUCKET/PREFIX/secrets/dt=${dt}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS keyaudit.ssm_parameters (
  `run_id` string,
  `account_id` string,
  `account_name` string,
  `ou_path` string,
  `org_id` string,
  `region` string,
  `parameter_arn` string,
  `name` string,
  `parameter_type` string,
  `key_id` string,
  `tier` string,
  `last_modified_date` timestamp,
  `last_modified_user` string,
  `version` bigint,
  `data_type` string,
  `description` string,
  `policies` array<string>,
  `unread` array<string>,
  `collected_at` timestamp
)
PARTITIONED BY (dt string)
STORED AS PARQUET
LOCATION 's3://BUCKET/PREFIX/ssm_parameters/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = '2024-01-01,NOW',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'storage.location.template' = 's3://BUCKET/PREFIX/ssm_parameters/dt=${dt}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS keyaudit.iam_server_certificates (
  `run_id` string,
  `account_id` string,
  `account_name` string,
  `ou_path` string,
  `org_id` string,
  `region` string,
  `arn` string,
  `name` string,
  `server_certificate_id` string,
  `path` string,
  `upload_date` timestamp,
  `not_before` timestamp,
  `not_after` timestamp,
  `key_algorithm` string,
  `key_size` int,
  `signature_algorithm` string,
  `subject` string,
  `issuer` string,
  `unread` array<string>,
  `collected_at` timestamp
)
PARTITIONED BY (dt string)
STORED AS PARQUET
LOCATION 's3://BUCKET/PREFIX/iam_server_certificates/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = '2024-01-01,NOW',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'storage.location.template' = 's3://BUCKET/PREFIX/iam_server_certificates/dt=${dt}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS keyaudit.iam_policies (
  `run_id` string,
  `account_id` string,
  `account_name` string,
  `ou_path` string,
  `org_id` string,
  `region` string,
  `policy_arn` string,
  `name` string,
  `policy_type` string,
  `attached_to` array<string>,
  `document` string,
  `kms_statements` array<struct<sid:string,effect:string,actions:array<string>,not_action:boolean,resources:array<string>,not_resource:boolean,condition:string>>,
  `unread` array<string>,
  `collected_at` timestamp
)
PARTITIONED BY (dt string)
STORED AS PARQUET
LOCATION 's3://BUCKET/PREFIX/iam_policies/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = '2024-01-01,NOW',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'storage.location.template' = 's3://BUCKET/PREFIX/iam_policies/dt=${dt}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS keyaudit.cloudtrail_trails (
  `run_id` string,
  `account_id` string,
  `account_name` string,
  `ou_path` string,
  `org_id` string,
  `region` string,
  `trail_arn` string,
  `name` string,
  `home_region` string,
  `multi_region` boolean,
  `organization_trail` boolean,
  `kms_key_id` string,
  `log_file_validation` boolean,
  `s3_bucket` string,
  `cloudwatch_logs_group_arn` string,
  `logging` boolean,
  `latest_delivery` timestamp,
  `latest_delivery_error` string,
  `management_events` string,
  `kms_events_logged` boolean,
  `unread` array<string>,
  `collected_at` timestamp
)
PARTITIONED BY (dt string)
STORED AS PARQUET
LOCATION 's3://BUCKET/PREFIX/cloudtrail_trails/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = '2024-01-01,NOW',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'storage.location.template' = 's3://BUCKET/PREFIX/cloudtrail_trails/dt=${dt}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS keyaudit.cloudtrail_key_activity (
  `run_id` string,
  `account_id` string,
  `account_name` string,
  `ou_path` string,
  `org_id` string,
  `region` string,
  `activity_id` string,
  `window_start` timestamp,
  `window_end` timestamp,
  `pages_read` int,
  `events_read` bigint,
  `truncated` boolean,
  `key_events` array<struct<event_id:string,event_name:string,event_time:bigint,username:string,key_arn:string>>,
  `usage` array<struct<key_arn:string,decrypt:bigint,encrypt:bigint,re_encrypt:bigint>>,
  `unread` array<string>,
  `collected_at` timestamp
)
PARTITIONED BY (dt string)
STORED AS PARQUET
LOCATION 's3://BUCKET/PREFIX/cloudtrail_key_activity/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = '2024-01-01,NOW',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'storage.location.template' = 's3://BUCKET/PREFIX/cloudtrail_key_activity/dt=${dt}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS keyaudit.cloudformation_stacks (
  `run_id` string,
  `account_id` string,
  `account_name` string,
  `ou_path` string,
  `org_id` string,
  `region` string,
  `stack_id` string,
  `name` string,
  `status` string,
  `status_reason` string,
  `drift_status` string,
  `drift_checked_at` timestamp,
  `created_at` timestamp,
  `last_updated_at` timestamp,
  `termination_protection` boolean,
  `root_id` string,
  `kms_key_ids` array<string>,
  `unread` array<string>,
  `collected_at` timestamp
)
PARTITIONED BY (dt string)
STORED AS PARQUET
LOCATION 's3://BUCKET/PREFIX/cloudformation_stacks/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = '2024-01-01,NOW',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'storage.location.template' = 's3://BUCKET/PREFIX/cloudformation_stacks/dt=${dt}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS keyaudit.config_rules (
  `run_id` string,
  `account_id` string,
  `account_name` string,
  `ou_path` string,
  `org_id` string,
  `region` string,
  `rule_arn` string,
  `name` string,
  `rule_id` string,
  `owner` string,
  `source_identifier` string,
  `state` string,
  `created_by` string,
  `compliance` string,
  `unread` array<string>,
  `collected_at` timestamp
)
PARTITIONED BY (dt string)
STORED AS PARQUET
LOCATION 's3://BUCKET/PREFIX/config_rules/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = '2024-01-01,NOW',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'storage.location.template' = 's3://BUCKET/PREFIX/config_rules/dt=${dt}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS keyaudit.config_recorders (
  `run_id` string,
  `account_id` string,
  `account_name` string,
  `ou_path` string,
  `org_id` string,
  `region` string,
  `recorder_arn` string,
  `name` string,
  `role_arn` string,
  `all_supported` boolean,
  `include_global_resource_types` boolean,
  `recording` boolean,
  `last_status` string,
  `last_status_changed_at` timestamp,
  `unread` array<string>,
  `collected_at` timestamp
)
PARTITIONED BY (dt string)
STORED AS PARQUET
LOCATION 's3://BUCKET/PREFIX/config_recorders/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = '2024-01-01,NOW',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'storage.location.template' = 's3://BUCKET/PREFIX/config_recorders/dt=${dt}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS keyaudit.config_conformance_packs (
  `run_id` string,
  `account_id` string,
  `account_name` string,
  `ou_path` string,
  `org_id` string,
  `region` string,
  `pack_arn` string,
  `name` string,
  `pack_id` string,
  `created_by` string,
  `last_update_requested_at` timestamp,
  `unread` array<string>,
  `collected_at` timestamp
)
PARTITIONED BY (dt string)
STORED AS PARQUET
LOCATION 's3://BUCKET/PREFIX/config_conformance_packs/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = '2024-01-01,NOW',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'storage.location.template' = 's3://BUCKET/PREFIX/config_conformance_packs/dt=${dt}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS keyaudit.organizations (
  `run_id` string,
  `account_id` string,
  `account_name` string,
  `ou_path` string,
  `org_id` string,
  `region` string,
  `arn` string,
  `feature_set` string,
  `management_account_id` string,
  `roots` array<struct<id:string,name:string,policy_types:array<struct<policy_type:string,status:string>>>>,
  `unread` array<string>,
  `collected_at` timestamp
)
PARTITIONED BY (dt string)
STORED AS PARQUET
LOCATION 's3://BUCKET/PREFIX/organizations/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = '2024-01-01,NOW',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'storage.location.template' = 's3://BUCKET/PREFIX/organizations/dt=${dt}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS keyaudit.service_control_policies (
  `run_id` string,
  `account_id` string,
  `account_name` string,
  `ou_path` string,
  `org_id` string,
  `region` string,
  `policy_arn` string,
  `policy_id` string,
  `name` string,
  `description` string,
  `aws_managed` boolean,
  `document` string,
  `targets` array<struct<target_id:string,target_type:string,name:string>>,
  `unread` array<string>,
  `collected_at` timestamp
)
PARTITIONED BY (dt string)
STORED AS PARQUET
LOCATION 's3://BUCKET/PREFIX/service_control_policies/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = '2024-01-01,NOW',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'storage.location.template' = 's3://BUCKET/PREFIX/service_control_policies/dt=${dt}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS keyaudit.collection_errors (
  `run_id` string,
  `account_id` string,
  `account_name` string,
  `region` string,
  `service` string,
  `api` string,
  `resource_id` string,
  `error_code` string,
  `message` string,
  `occurred_at` timestamp
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

CREATE EXTERNAL TABLE IF NOT EXISTS keyaudit.findings (
  `time` bigint,
  `time_dt` timestamp,
  `timezone_offset` int,
  `class_uid` int,
  `class_name` string,
  `category_uid` int,
  `category_name` string,
  `type_uid` bigint,
  `type_name` string,
  `activity_id` int,
  `activity_name` string,
  `severity_id` int,
  `severity` string,
  `status_id` int,
  `status` string,
  `message` string,
  `metadata` struct<version:string,product:struct<name:string,vendor_name:string,version:string>,correlation_uid:string,profiles:array<string>>,
  `finding_info` struct<uid:string,title:string,desc:string,created_time:bigint,created_time_dt:timestamp,types:array<string>>,
  `compliance` struct<status:string,status_id:int,status_code:string,control:string,standards:array<string>,requirements:array<string>>,
  `cloud` struct<provider:string,region:string,account:struct<uid:string,name:string,type:string,type_id:int>,org:struct<uid:string,ou_name:string,ou_uid:string>>,
  `resources` array<struct<uid:string,type:string,region:string>>,
  `remediation` struct<desc:string,references:array<string>>,
  `unmapped` map<string,string>
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

CREATE EXTERNAL TABLE IF NOT EXISTS keyaudit.ksi_scores (
  `run_id` string,
  `ksi` string,
  `scope` string,
  `account_id` string,
  `account_name` string,
  `ou_path` string,
  `sub_check` string,
  `title` string,
  `status` string,
  `figure` string,
  `numerator` bigint,
  `denominator` bigint
)
PARTITIONED BY (dt string)
STORED AS PARQUET
LOCATION 's3://BUCKET/PREFIX/ksi_scores/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.format' = 'yyyy-MM-dd',
  'projection.dt.range' = '2024-01-01,NOW',
  'projection.dt.interval' = '1',
  'projection.dt.interval.unit' = 'DAYS',
  'storage.location.template' = 's3://BUCKET/PREFIX/ksi_scores/dt=${dt}/'
);

CREATE EXTERNAL TABLE IF NOT EXISTS keyaudit.runs (
  `run_id` string,
  `started_at` timestamp,
  `finished_at` timestamp,
  `keyaudit_version` string,
  `config_digest` string,
  `caller_arn` string,
  `org_id` string,
  `inventory_run_id` string,
  `org_account_ids` array<string>,
  `regions` array<string>,
  `services` array<string>,
  `accounts_discovered` bigint,
  `accounts_selected` bigint,
  `accounts_scanned` bigint,
  `accounts_failed` bigint,
  `resources` map<string,bigint>,
  `inventory` boolean,
  `collection_errors` bigint,
  `api_calls` bigint,
  `rules` bigint,
  `findings_pass` bigint,
  `findings_fail` bigint,
  `findings_info` bigint,
  `findings_error` bigint,
  `complete` boolean
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

-- The latest run of each day (scans and re-evaluations alike; a
-- re-evaluation is dated as its scan, so the last to finish).
CREATE OR REPLACE VIEW keyaudit.latest_runs AS
SELECT * FROM (
  SELECT r.*, row_number() OVER (PARTITION BY dt ORDER BY finished_at DESC, run_id DESC) AS recency
  FROM keyaudit.runs r
) ranked
WHERE recency = 1;

-- The latest finding per rule and resource (and subject) over the last
-- 7 days: what is true now, one row each.
CREATE OR REPLACE VIEW keyaudit.latest_findings AS
SELECT * FROM (
  SELECT f.*, row_number() OVER (PARTITION BY finding_info.uid ORDER BY "time" DESC, metadata.correlation_uid DESC) AS recency
  FROM keyaudit.findings f
  WHERE dt >= CAST(current_date - INTERVAL '7' DAY AS varchar)
) ranked
WHERE recency = 1;

-- The KSI-SVC-06 scorecards of the latest scan within the last 7 days.
CREATE OR REPLACE VIEW keyaudit.latest_ksi_scores AS
SELECT k.*
FROM keyaudit.ksi_scores k
JOIN (
  SELECT run_id, dt FROM keyaudit.runs
  WHERE dt >= CAST(current_date - INTERVAL '7' DAY AS varchar) AND inventory_run_id IS NULL
  ORDER BY started_at DESC
  LIMIT 1
) latest ON k.run_id = latest.run_id AND k.dt = latest.dt
WHERE k.dt >= CAST(current_date - INTERVAL '7' DAY AS varchar);
