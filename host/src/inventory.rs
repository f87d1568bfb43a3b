//! The inventory's shared vocabulary: accounts, scopes, collection errors,
//! listing gaps, and what a resource kind is ([`KindInfo`]). Each kind's own
//! record lives in its folder under `kinds/`.
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
    /// Resources collected, by kind (`kms-key` → 12); a kind not collected is absent.
    pub resources: BTreeMap<String, i64>,
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

/// Entering an account: its failure leaves the whole account unlisted.
pub const ASSUME_ROLE_API: &str = "sts:AssumeRole";
/// Finding (or checking) an account's regions: its failure leaves them unlisted.
pub const DESCRIBE_REGIONS_API: &str = "ec2:DescribeRegions";
/// APIs whose failure leaves a whole account or region unlisted, for every kind.
pub const SCOPE_APIS: &[&str] = &[ASSUME_ROLE_API, DESCRIBE_REGIONS_API];

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
    pub fn from_errors<'a>(
        errors: impl IntoIterator<Item = &'a CollectionError>,
        kinds: &[&KindInfo],
    ) -> Vec<ListingGap> {
        errors
            .into_iter()
            .filter(|e| e.resource_id.is_none())
            .filter_map(|e| {
                let kind = if SCOPE_APIS.contains(&e.api.as_str()) {
                    "*"
                } else {
                    kinds.iter().find(|kind| kind.listing.contains(&e.api.as_str()))?.name
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

/// Where a kind's resources live, hence how often it is collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Once per run, with the caller's own credentials (such as SCPs).
    Organisation,
    /// Once per account: a global service such as IAM. Its records' region is [`GLOBAL_REGION`].
    Account,
    /// In every scanned region of every account.
    Region,
}

/// The `region` of records of an account-level kind (IAM is global).
pub const GLOBAL_REGION: &str = "global";

/// An API a kind calls, as named in `collection_errors.api`, `unread` and
/// the audit role's IAM policy (the same string is the IAM action).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Api {
    pub name: &'static str,
    /// The field group the call fills, which rules name to get it; `None`
    /// for calls every record needs (listing, the core description).
    pub group: Option<&'static str>,
}

/// What a resource kind is: its names everywhere, its level and its APIs.
/// One value per kind, in the kind's folder; the registry (`kinds::ALL`)
/// lists them.
#[derive(Debug)]
pub struct KindInfo {
    /// The kind in rule metadata, findings and `collection.listed`, such as `kms-key`.
    pub name: &'static str,
    /// The name in `scan.services`, `--services` and `collection_errors.service`, such as `kms`.
    pub service: &'static str,
    /// The AWS service's endpoint prefix, as in the service-regions data file (`kms`, `iam`, …).
    pub aws_service: &'static str,
    /// The Parquet table (and Athena table) of its records, such as `kms_keys`.
    pub table: &'static str,
    /// Its AWS resource type name, as CloudFormation and OCSF findings'
    /// `resources[].type` spell it: `AWS::KMS::Key`.
    pub aws_type: &'static str,
    /// How people call its records, plural: "KMS keys".
    pub title: &'static str,
    pub level: Level,
    /// The APIs that list the kind: when one fails, what exists is unknown.
    pub listing: &'static [&'static str],
    /// Every API the collector may call, listing included, in collection order.
    pub apis: &'static [Api],
    /// The optional field groups rules may ask for (some filled by an API,
    /// some only withheld because they are costly to hand over).
    pub field_groups: &'static [&'static str],
    /// Groups read only when a selected rule reads them, even when the
    /// kind's table is written: their API's quota is too low to spend on
    /// the inventory alone (`GetKeyLastUsage`).
    pub on_demand_groups: &'static [&'static str],
}

impl KindInfo {
    /// The APIs whose data a rule reading `groups` of this kind depends on:
    /// every API without a group, and those of the groups named.
    pub fn apis_read<'a>(&'a self, groups: &'a [String]) -> impl Iterator<Item = &'static str> + 'a {
        self.apis.iter().filter(move |a| a.group.is_none_or(|g| groups.iter().any(|n| n == g))).map(|a| a.name)
    }
}

/// Milliseconds since the Unix epoch, now.
pub fn now_millis() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
