//! AWS Config conformance packs, per region: the packs that deploy Config
//! rules together (their rules are `config-rule` records too).

mod collect;
pub(crate) mod rules;

use serde::{Deserialize, Serialize};

use super::KindDef;
use crate::inventory::{Api, KindInfo, Level};
use crate::output::Tabular;

/// The APIs this kind calls.
pub mod config_api {
    pub const DESCRIBE_CONFORMANCE_PACKS: &str = "config:DescribeConformancePacks";
}

/// The kind's name in rule metadata and findings.
pub const KIND_NAME: &str = "config-conformance-pack";

pub static INFO: KindInfo = KindInfo {
    name: KIND_NAME,
    service: "config-conformance-packs",
    aws_service: "config",
    table: "config_conformance_packs",
    aws_type: "AWS::Config::ConformancePack",
    title: "Config conformance packs",
    level: Level::Region,
    listing: &[config_api::DESCRIBE_CONFORMANCE_PACKS],
    apis: &[Api { name: config_api::DESCRIBE_CONFORMANCE_PACKS, group: None }],
    field_groups: &[],
    on_demand_groups: &[],
};

/// The registry's entry.
pub static KIND: KindDef<ConfigConformancePack> = KindDef { info: &INFO, collect: collect::collect };

/// One conformance pack (from `DescribeConformancePacks`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfigConformancePack {
    pub run_id: String,
    pub account_id: String,
    pub account_name: String,
    pub ou_path: String,
    pub org_id: String,
    pub region: String,
    pub pack_arn: String,
    pub name: String,
    pub pack_id: Option<String>,
    /// The service that deployed it (`config-multiaccountsetup.amazonaws.com`
    /// for an organisation's pack).
    pub created_by: Option<String>,
    pub last_update_requested_at: Option<i64>,
    pub unread: Vec<String>,
    pub collected_at: i64,
}

impl Tabular for ConfigConformancePack {
    const TIMESTAMPS: &'static [&'static str] = &["last_update_requested_at", "collected_at"];
}

super::record!(ConfigConformancePack, INFO, id: pack_arn);
