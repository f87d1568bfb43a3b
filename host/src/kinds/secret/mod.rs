//! Secrets Manager secrets, metadata only: rotation, access and change
//! dates, the KMS key, owning service, replication, tags and the resource
//! policy. Never `GetSecretValue`.

mod collect;
pub(crate) mod rules;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::KindDef;
use crate::inventory::{Api, KindInfo, Level};
use crate::output::Tabular;

/// The APIs this kind calls.
pub mod secrets_api {
    pub const LIST_SECRETS: &str = "secretsmanager:ListSecrets";
    pub const GET_RESOURCE_POLICY: &str = "secretsmanager:GetResourcePolicy";
    pub const DESCRIBE_SECRET: &str = "secretsmanager:DescribeSecret";
}

/// The kind's name in rule metadata and findings.
pub const KIND_NAME: &str = "secret";

pub static INFO: KindInfo = KindInfo {
    name: KIND_NAME,
    service: "secretsmanager",
    aws_service: "secretsmanager",
    table: "secrets",
    aws_type: "AWS::SecretsManager::Secret",
    title: "Secrets Manager secrets",
    level: Level::Region,
    listing: &[secrets_api::LIST_SECRETS],
    apis: &[
        Api { name: secrets_api::LIST_SECRETS, group: None },
        Api { name: secrets_api::GET_RESOURCE_POLICY, group: Some("resource-policy") },
        Api { name: secrets_api::DESCRIBE_SECRET, group: Some("replication") },
    ],
    field_groups: &["resource-policy", "replication"],
    on_demand_groups: &[],
};

/// The registry's entry.
pub static KIND: KindDef<Secret> = KindDef { info: &INFO, collect: collect::collect };

/// One secret's metadata (from `ListSecrets` unless said otherwise).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Secret {
    pub run_id: String,
    pub account_id: String,
    pub account_name: String,
    pub ou_path: String,
    pub org_id: String,
    pub region: String,
    pub secret_arn: String,
    pub name: String,
    pub description: Option<String>,
    /// Null: encrypted with the AWS-managed key `aws/secretsmanager`.
    pub kms_key_id: Option<String>,
    pub rotation_enabled: bool,
    pub rotation_lambda_arn: Option<String>,
    pub rotation_every_days: Option<i64>,
    pub rotation_schedule: Option<String>,
    pub last_rotated_date: Option<i64>,
    pub last_changed_date: Option<i64>,
    /// AWS keeps the date only.
    pub last_accessed_date: Option<i64>,
    pub next_rotation_date: Option<i64>,
    pub deleted_date: Option<i64>,
    pub created_date: Option<i64>,
    pub owning_service: Option<String>,
    pub primary_region: Option<String>,
    /// From `DescribeSecret`; null when it failed.
    pub replica_regions: Option<Vec<String>>,
    pub tags: BTreeMap<String, String>,
    /// From `GetResourcePolicy`: whether the secret has a resource policy;
    /// null when it could not be read.
    pub has_resource_policy: Option<bool>,
    /// The resource policy as JSON, when it has one.
    pub resource_policy: Option<String>,
    /// The APIs whose fields could not be read for this secret.
    pub unread: Vec<String>,
    pub collected_at: i64,
}

impl Tabular for Secret {
    const TIMESTAMPS: &'static [&'static str] = &[
        "last_rotated_date",
        "last_changed_date",
        "last_accessed_date",
        "next_rotation_date",
        "deleted_date",
        "created_date",
        "collected_at",
    ];
}

super::record!(Secret, INFO, id: secret_arn);
