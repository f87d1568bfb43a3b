//! KMS activity from CloudTrail's event history, per region: the
//! key-management events of the last `scan.key_events_days` days
//! (`LookupEvents` on `kms.amazonaws.com`), and per key how often it was
//! used to decrypt and to encrypt, read within LookupEvents' quota of two
//! requests a second and at most `scan.key_events_max_pages` pages.

mod collect;
pub(crate) mod rules;

use serde::{Deserialize, Serialize};

use super::KindDef;
use crate::inventory::{Api, KindInfo, Level};
use crate::output::Tabular;

/// The APIs this kind calls.
pub mod cloudtrail_api {
    pub const LOOKUP_EVENTS: &str = "cloudtrail:LookupEvents";
}

/// The kind's name in rule metadata and findings.
pub const KIND_NAME: &str = "cloudtrail-key-activity";

pub static INFO: KindInfo = KindInfo {
    name: KIND_NAME,
    service: "cloudtrail-events",
    aws_service: "cloudtrail",
    table: "cloudtrail_key_activity",
    // No CloudFormation type names an account-region's event history; named like one.
    aws_type: "AWS::CloudTrail::EventHistory",
    title: "CloudTrail KMS activity summaries",
    level: Level::Region,
    listing: &[cloudtrail_api::LOOKUP_EVENTS],
    apis: &[Api { name: cloudtrail_api::LOOKUP_EVENTS, group: None }],
    field_groups: &[],
    on_demand_groups: &[],
};

/// The registry's entry.
pub static KIND: KindDef<CloudTrailKeyActivity> = KindDef { info: &INFO, collect: collect::collect };

/// The KMS activity of one account-region over the window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CloudTrailKeyActivity {
    pub run_id: String,
    pub account_id: String,
    pub account_name: String,
    pub ou_path: String,
    pub org_id: String,
    pub region: String,
    /// `arn:<partition>:cloudtrail:<region>:<account>:key-activity`: a name
    /// for the summary, not an AWS resource.
    pub activity_id: String,
    pub window_start: i64,
    pub window_end: i64,
    pub pages_read: i32,
    pub events_read: i64,
    /// The page cap stopped the read before the window's start: the events
    /// and counts are the newest ones only.
    pub truncated: bool,
    /// Key-management events (CreateKey, ScheduleKeyDeletion, PutKeyPolicy, …), newest first.
    pub key_events: Vec<KeyEvent>,
    /// Per key, its cryptographic use seen in the window.
    pub usage: Vec<KeyUseCount>,
    /// `cloudtrail:LookupEvents` when a page failed after others were read.
    pub unread: Vec<String>,
    pub collected_at: i64,
}

/// One key-management event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyEvent {
    pub event_id: String,
    pub event_name: String,
    pub event_time: Option<i64>,
    pub username: Option<String>,
    /// The key the event was about (its ARN), when CloudTrail names one.
    pub key_arn: Option<String>,
}

/// How often one key was used in the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyUseCount {
    pub key_arn: String,
    pub decrypt: i64,
    /// `Encrypt` and `GenerateDataKey*`.
    pub encrypt: i64,
    pub re_encrypt: i64,
}

impl Tabular for CloudTrailKeyActivity {
    const TIMESTAMPS: &'static [&'static str] = &["window_start", "window_end", "collected_at"];
}

super::record!(CloudTrailKeyActivity, INFO, id: activity_id);
