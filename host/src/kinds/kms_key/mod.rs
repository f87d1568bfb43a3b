//! KMS keys: metadata, rotation, aliases, the `default` key policy, tags and
//! grants, per account and region.

mod collect;
pub(crate) mod rules;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::KindDef;
use crate::inventory::{Api, KindInfo, Level};
use crate::output::Tabular;

/// What a KMS key is to the registry.
pub static INFO: KindInfo = KindInfo {
    name: KIND_NAME,
    service: "kms",
    aws_service: "kms",
    table: "kms_keys",
    aws_type: "AWS::KMS::Key",
    title: "KMS keys",
    level: Level::Region,
    listing: &[kms_api::LIST_KEYS],
    apis: &[
        Api { name: kms_api::LIST_KEYS, group: None },
        Api { name: kms_api::LIST_ALIASES, group: Some("aliases") },
        Api { name: kms_api::DESCRIBE_KEY, group: None },
        Api { name: kms_api::GET_KEY_ROTATION_STATUS, group: None },
        Api { name: kms_api::LIST_KEY_ROTATIONS, group: None },
        Api { name: kms_api::GET_KEY_POLICY, group: Some("key-policy") },
        Api { name: kms_api::LIST_RESOURCE_TAGS, group: Some("tags") },
        Api { name: kms_api::LIST_GRANTS, group: Some("grants") },
        Api { name: kms_api::GET_KEY_LAST_USAGE, group: Some("last-usage") },
    ],
    field_groups: &["arn", "aliases", "description", "key-policy", "grants", "tags", "multi-region", "last-usage"],
    on_demand_groups: &["last-usage"],
};

/// The kind's name in rule metadata and findings.
pub const KIND_NAME: &str = "kms-key";

/// The registry's entry.
pub static KIND: KindDef<KmsKey> = KindDef { info: &INFO, collect: collect::collect };

/// The KMS APIs whose answers fill a key's fields, as named in `unread` and
/// in `collection_errors.api`.
pub mod kms_api {
    /// Lists the account-region's keys (id and ARN).
    pub const LIST_KEYS: &str = "kms:ListKeys";
    /// `aliases`.
    pub const LIST_ALIASES: &str = "kms:ListAliases";
    /// Description, manager, state, enabled, usage, spec, origin, multi-Region, dates.
    pub const DESCRIBE_KEY: &str = "kms:DescribeKey";
    /// `rotation_enabled`, `rotation_period_days`, `next_rotation_date`.
    pub const GET_KEY_ROTATION_STATUS: &str = "kms:GetKeyRotationStatus";
    /// `last_rotation_date`, `rotation_count`.
    pub const LIST_KEY_ROTATIONS: &str = "kms:ListKeyRotations";
    /// `key_policy`.
    pub const GET_KEY_POLICY: &str = "kms:GetKeyPolicy";
    /// `tags`.
    pub const LIST_RESOURCE_TAGS: &str = "kms:ListResourceTags";
    /// `last_used_date`, `last_used_operation`, `last_used_event_id`,
    /// `usage_tracked_since` (customer-managed keys).
    pub const GET_KEY_LAST_USAGE: &str = "kms:GetKeyLastUsage";
    /// `grants`.
    pub const LIST_GRANTS: &str = "kms:ListGrants";
    /// Every per-key API, in collection order.
    pub const PER_KEY: &[&str] = &[
        LIST_ALIASES,
        DESCRIBE_KEY,
        GET_KEY_ROTATION_STATUS,
        LIST_KEY_ROTATIONS,
        GET_KEY_POLICY,
        LIST_RESOURCE_TAGS,
        LIST_GRANTS,
    ];
}

/// The resource kind of KMS keys, in rule metadata, findings and gaps.
pub const KMS_KEY_KIND: &str = "kms-key";


/// One KMS key with everything collected about it. A field whose API failed
/// is `None` and that API is in `unread`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KmsKey {
    pub run_id: String,
    pub account_id: String,
    pub account_name: String,
    pub ou_path: String,
    pub org_id: String,
    pub region: String,
    pub key_id: String,
    /// From `ListKeys`.
    pub key_arn: String,
    /// Null when `ListAliases` failed.
    pub aliases: Option<Vec<String>>,
    /// The fields from here to `valid_to` are null when `DescribeKey` failed.
    pub description: Option<String>,
    /// `CUSTOMER` or `AWS`.
    pub key_manager: Option<String>,
    pub key_state: Option<String>,
    pub enabled: Option<bool>,
    pub key_usage: Option<String>,
    pub key_spec: Option<String>,
    pub origin: Option<String>,
    pub multi_region: Option<bool>,
    /// `PRIMARY` or `REPLICA` for multi-Region keys.
    pub multi_region_key_type: Option<String>,
    pub multi_region_primary_arn: Option<String>,
    /// Empty for a key that is not a multi-Region primary.
    pub multi_region_replica_arns: Option<Vec<String>>,
    pub creation_date: Option<i64>,
    pub deletion_date: Option<i64>,
    pub pending_deletion_window_days: Option<i32>,
    pub valid_to: Option<i64>,
    /// Whether automatic rotation is on; null where rotation does not apply
    /// (asymmetric, HMAC, imported or external key material) or could not be read.
    pub rotation_enabled: Option<bool>,
    pub rotation_period_days: Option<i32>,
    pub next_rotation_date: Option<i64>,
    /// Date of the newest rotation, automatic or on demand.
    pub last_rotation_date: Option<i64>,
    pub rotation_count: Option<i32>,
    /// From `GetKeyLastUsage` (customer-managed keys): the last successful
    /// cryptographic use since `usage_tracked_since`; null when there was
    /// none since then, or when it was not read (then `usage_tracked_since`
    /// is null too).
    pub last_used_date: Option<i64>,
    /// That use's operation (`Decrypt`, `GenerateDataKey`, …).
    pub last_used_operation: Option<String>,
    /// That use's CloudTrail event id.
    pub last_used_event_id: Option<String>,
    /// Since when KMS has recorded the key's use (`TrackingStartDate`).
    pub usage_tracked_since: Option<i64>,
    /// The `default` key policy, as JSON text.
    pub key_policy: Option<String>,
    pub grants: Option<Vec<KmsGrant>>,
    /// Empty for AWS-managed keys, which have no tags.
    pub tags: Option<BTreeMap<String, String>>,
    /// The APIs (`kms:ListGrants`, …) whose fields could not be read for this
    /// key; empty when everything was read.
    pub unread: Vec<String>,
    pub collected_at: i64,
}

impl KmsKey {
    /// Whether the data `api` fills could not be read for this key.
    pub fn is_unread(&self, api: &str) -> bool {
        self.unread.iter().any(|u| u == api)
    }
}

/// One grant on a KMS key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KmsGrant {
    pub grant_id: String,
    pub name: Option<String>,
    pub grantee_principal: Option<String>,
    pub retiring_principal: Option<String>,
    pub issuing_account: Option<String>,
    pub operations: Vec<String>,
    pub creation_date: Option<i64>,
    /// Encryption-context constraints, as JSON text.
    pub constraints: Option<String>,
}

impl Tabular for KmsKey {
    const TIMESTAMPS: &'static [&'static str] = &[
        "creation_date",
        "deletion_date",
        "valid_to",
        "next_rotation_date",
        "last_rotation_date",
        "last_used_date",
        "usage_tracked_since",
        "collected_at",
    ];
}

super::record!(KmsKey, INFO, id: key_arn);
