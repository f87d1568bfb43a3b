//! CloudTrail trails, per region: every trail that applies to the region
//! (`DescribeTrails` with shadow trails, so a multi-Region or organisation
//! trail is a record in each region it covers), and, on the record in its
//! home region, whether it is logging and which management events it records.

mod collect;
pub(crate) mod rules;

use serde::{Deserialize, Serialize};

use super::KindDef;
use crate::inventory::{Api, KindInfo, Level};
use crate::output::Tabular;

/// The APIs this kind calls.
pub mod cloudtrail_api {
    pub const DESCRIBE_TRAILS: &str = "cloudtrail:DescribeTrails";
    pub const GET_TRAIL_STATUS: &str = "cloudtrail:GetTrailStatus";
    pub const GET_EVENT_SELECTORS: &str = "cloudtrail:GetEventSelectors";
}

/// The kind's name in rule metadata and findings.
pub const KIND_NAME: &str = "cloudtrail-trail";

pub static INFO: KindInfo = KindInfo {
    name: KIND_NAME,
    service: "cloudtrail",
    aws_service: "cloudtrail",
    table: "cloudtrail_trails",
    aws_type: "AWS::CloudTrail::Trail",
    title: "CloudTrail trails",
    level: Level::Region,
    listing: &[cloudtrail_api::DESCRIBE_TRAILS],
    apis: &[
        Api { name: cloudtrail_api::DESCRIBE_TRAILS, group: None },
        Api { name: cloudtrail_api::GET_TRAIL_STATUS, group: Some("status") },
        Api { name: cloudtrail_api::GET_EVENT_SELECTORS, group: Some("event-selectors") },
    ],
    field_groups: &["status", "event-selectors"],
    on_demand_groups: &[],
};

/// The registry's entry.
pub static KIND: KindDef<CloudTrailTrail> = KindDef { info: &INFO, collect: collect::collect };

/// One trail as it applies to one region (`region`); a trail created in
/// another region (`home_region`) or account is a shadow of it here.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CloudTrailTrail {
    pub run_id: String,
    pub account_id: String,
    pub account_name: String,
    pub ou_path: String,
    pub org_id: String,
    pub region: String,
    pub trail_arn: String,
    pub name: String,
    pub home_region: Option<String>,
    pub multi_region: Option<bool>,
    pub organization_trail: Option<bool>,
    /// The KMS key encrypting the log files; null: S3's own encryption.
    pub kms_key_id: Option<String>,
    pub log_file_validation: Option<bool>,
    pub s3_bucket: Option<String>,
    pub cloudwatch_logs_group_arn: Option<String>,
    /// From `GetTrailStatus`, read in the trail's home region: null on a
    /// shadow record (see the record in `home_region`), or when it failed.
    pub logging: Option<bool>,
    pub latest_delivery: Option<i64>,
    pub latest_delivery_error: Option<String>,
    /// From `GetEventSelectors`, read in the home region like the status:
    /// `All`, `ReadOnly`, `WriteOnly` or `None`.
    pub management_events: Option<String>,
    /// From `GetEventSelectors`: whether KMS's own management events are
    /// among those logged (selectors can exclude `kms.amazonaws.com`).
    pub kms_events_logged: Option<bool>,
    /// The APIs whose fields could not be read for this trail.
    pub unread: Vec<String>,
    pub collected_at: i64,
}

impl Tabular for CloudTrailTrail {
    const TIMESTAMPS: &'static [&'static str] = &["latest_delivery", "collected_at"];
}

super::record!(CloudTrailTrail, INFO, id: trail_arn);
