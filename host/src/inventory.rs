//! Typed inventory records: what collectors produce, what output writes as
//! Parquet rows, and (later) what rules read.
//!
//! Records are plain serde data with no AWS SDK types, so that `output` and
//! `rules` never depend on the SDK. Timestamps are epoch milliseconds (UTC),
//! matching Athena's millisecond timestamps.
//!
//! **Unknown is never a value.** A field that AWS could not tell us is `None`
//! (null in Parquet), never an empty list, `false` or `""`, and the API that
//! failed is named in the record's `unread` list and in a
//! [`CollectionError`] row. A field that is absent in AWS (a key with no tags)
//! is an empty value, and its API is not in `unread`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// An account to scan, as discovery found it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub account_id: String,
    /// Account name from Organizations; empty for an explicit account list.
    pub account_name: String,
    /// OU names from the root, such as `Root/Workloads/Prod`; empty when unknown.
    pub ou_path: String,
    /// OU ids from the root, such as `r-ab12/ou-ab12-11111111`; empty when unknown.
    pub ou_id_path: String,
    /// Organisation id (`o-…`); empty when unknown.
    pub org_id: String,
}

/// One scanned account in one run: what was covered. A row per selected
/// account, whether or not its role could be assumed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountRecord {
    pub run_id: String,
    pub account_id: String,
    pub account_name: String,
    pub ou_path: String,
    pub ou_id_path: String,
    pub org_id: String,
    /// The regions scanned (or attempted).
    pub regions: Vec<String>,
    /// False when the audit role could not be assumed.
    pub entered: bool,
    pub kms_keys: i64,
    pub collection_errors: i64,
}

impl AccountRecord {
    /// The account as discovery described it.
    pub fn account(&self) -> Account {
        Account {
            account_id: self.account_id.clone(),
            account_name: self.account_name.clone(),
            ou_path: self.ou_path.clone(),
            ou_id_path: self.ou_id_path.clone(),
            org_id: self.org_id.clone(),
        }
    }
}

/// Where a record came from: one account and region in one run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scope {
    pub run_id: String,
    /// The AWS partition (`aws`, `aws-cn`, …) the account is in.
    pub partition: String,
    pub account_id: String,
    pub account_name: String,
    pub ou_path: String,
    pub org_id: String,
    pub region: String,
}

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

/// Entering an account: its failure leaves the whole account unlisted.
pub const ASSUME_ROLE_API: &str = "sts:AssumeRole";
/// Finding (or checking) an account's regions: its failure leaves them unlisted.
pub const DESCRIBE_REGIONS_API: &str = "ec2:DescribeRegions";
/// APIs whose failure leaves a whole account or region unlisted, for every kind.
pub const SCOPE_APIS: &[&str] = &[ASSUME_ROLE_API, DESCRIBE_REGIONS_API];

/// The listing APIs of a resource kind: when one fails in a region, the
/// kind's resources there are not known, so no account-level verdict about
/// the kind can be given for that region.
pub fn listing_apis(kind: &str) -> &'static [&'static str] {
    match kind {
        KMS_KEY_KIND => &[kms_api::LIST_KEYS],
        _ => &[],
    }
}

/// A region (or `*`: every region) of an account where some resource kind
/// could not be listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListingGap {
    pub region: String,
    /// The kind, or `*` for every kind.
    pub kind: String,
    /// The API that failed and its error code, such as `kms:ListKeys (ThrottlingException)`.
    pub cause: String,
}

impl ListingGap {
    /// The gaps an account's collection errors imply.
    pub fn from_errors(errors: &[CollectionError], kinds: &[&str]) -> Vec<ListingGap> {
        errors
            .iter()
            .filter(|e| e.resource_id.is_none())
            .filter_map(|e| {
                let kind = if SCOPE_APIS.contains(&e.api.as_str()) {
                    "*"
                } else {
                    kinds.iter().copied().find(|kind| listing_apis(kind).contains(&e.api.as_str()))?
                };
                Some(ListingGap {
                    region: e.region.clone(),
                    kind: kind.to_owned(),
                    cause: format!("{} ({})", e.api, e.error_code),
                })
            })
            .collect()
    }

    /// Whether this gap hides resources of `kind` in `region` (`None`: any region).
    pub fn covers(&self, kind: &str, region: Option<&str>) -> bool {
        (self.kind == "*" || self.kind == kind) && (self.region == "*" || region.is_none_or(|r| r == self.region))
    }
}

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
    /// Last cryptographic use, where known. Null until usage is collected
    /// (from CloudTrail); rules then report usage as unknown.
    pub last_used_date: Option<i64>,
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

/// One thing that could not be collected. Every account × region × service is
/// either collected or has at least one of these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectionError {
    pub run_id: String,
    pub account_id: String,
    pub account_name: String,
    /// The region, or `*` when the failure stopped every region of the account.
    pub region: String,
    /// The service being collected, such as `kms`.
    pub service: String,
    /// The API that failed, such as `kms:GetKeyPolicy` or `sts:AssumeRole`.
    pub api: String,
    /// The resource the call was about, when it was about one.
    pub resource_id: Option<String>,
    /// The AWS error code (`AccessDeniedException`), or `HTTP 403`, `Timeout`, ….
    pub error_code: String,
    pub message: String,
    pub occurred_at: i64,
}

impl Scope {
    /// A collection error in this scope.
    pub fn error(
        &self,
        service: &str,
        api: &str,
        resource_id: Option<String>,
        error_code: String,
        message: String,
    ) -> CollectionError {
        CollectionError {
            run_id: self.run_id.clone(),
            account_id: self.account_id.clone(),
            account_name: self.account_name.clone(),
            region: self.region.clone(),
            service: service.to_owned(),
            api: api.to_owned(),
            resource_id,
            error_code,
            message,
            occurred_at: now_millis(),
        }
    }
}

/// Records collected from some scope, and what could not be collected.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Inventory {
    pub kms_keys: Vec<KmsKey>,
    pub errors: Vec<CollectionError>,
}

impl Inventory {
    /// Moves every record of `other` into `self`.
    pub fn extend(&mut self, other: Inventory) {
        self.kms_keys.extend(other.kms_keys);
        self.errors.extend(other.errors);
    }
}

/// Milliseconds since the Unix epoch, now.
pub fn now_millis() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
