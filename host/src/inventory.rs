//! Typed inventory records: what collectors produce, what output writes as
//! Parquet rows, and (later) what rules read.
//!
//! Records are plain serde data with no AWS SDK types, so that `output` and
//! `rules` never depend on the SDK. Timestamps are epoch milliseconds (UTC),
//! matching Athena's millisecond timestamps.

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
    pub account_id: String,
    pub account_name: String,
    pub ou_path: String,
    pub org_id: String,
    pub region: String,
}

/// One KMS key with everything collected about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KmsKey {
    pub run_id: String,
    pub account_id: String,
    pub account_name: String,
    pub ou_path: String,
    pub org_id: String,
    pub region: String,
    pub key_id: String,
    pub key_arn: String,
    pub aliases: Vec<String>,
    pub description: String,
    /// `CUSTOMER` or `AWS`.
    pub key_manager: Option<String>,
    pub key_state: Option<String>,
    pub enabled: bool,
    pub key_usage: Option<String>,
    pub key_spec: Option<String>,
    pub origin: Option<String>,
    pub multi_region: bool,
    /// `PRIMARY` or `REPLICA` for multi-Region keys.
    pub multi_region_key_type: Option<String>,
    pub multi_region_primary_arn: Option<String>,
    pub multi_region_replica_arns: Vec<String>,
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
    pub grants: Vec<KmsGrant>,
    pub tags: BTreeMap<String, String>,
    pub collected_at: i64,
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

/// Milliseconds since the Unix epoch, now.
pub fn now_millis() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
