//! AWS Config's configuration recorders, per region, with their status:
//! without a recording recorder, Config rules evaluate nothing.

mod collect;
pub(crate) mod rules;

use serde::{Deserialize, Serialize};

use super::KindDef;
use crate::inventory::{Api, KindInfo, Level};
use crate::output::Tabular;

/// The APIs this kind calls.
pub mod config_api {
    pub const DESCRIBE_CONFIGURATION_RECORDERS: &str = "config:DescribeConfigurationRecorders";
    pub const DESCRIBE_CONFIGURATION_RECORDER_STATUS: &str = "config:DescribeConfigurationRecorderStatus";
}

/// The kind's name in rule metadata and findings.
pub const KIND_NAME: &str = "config-recorder";

pub static INFO: KindInfo = KindInfo {
    name: KIND_NAME,
    service: "config-recorders",
    aws_service: "config",
    table: "config_recorders",
    aws_type: "AWS::Config::ConfigurationRecorder",
    title: "Config recorders",
    level: Level::Region,
    listing: &[config_api::DESCRIBE_CONFIGURATION_RECORDERS],
    apis: &[
        Api { name: config_api::DESCRIBE_CONFIGURATION_RECORDERS, group: None },
        Api { name: config_api::DESCRIBE_CONFIGURATION_RECORDER_STATUS, group: None },
    ],
    field_groups: &[],
    on_demand_groups: &[],
};

/// The registry's entry.
pub static KIND: KindDef<ConfigRecorder> = KindDef { info: &INFO, collect: collect::collect };

/// One configuration recorder and its status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfigRecorder {
    pub run_id: String,
    pub account_id: String,
    pub account_name: String,
    pub ou_path: String,
    pub org_id: String,
    pub region: String,
    /// Its ARN as AWS gives it, or `arn:<partition>:config:<region>:<account>:configuration-recorder/<name>`.
    pub recorder_arn: String,
    pub name: String,
    pub role_arn: Option<String>,
    /// Records every supported resource type.
    pub all_supported: Option<bool>,
    pub include_global_resource_types: Option<bool>,
    /// From `DescribeConfigurationRecorderStatus`: whether it is recording now.
    pub recording: Option<bool>,
    /// `SUCCESS`, `FAILURE` or `PENDING`.
    pub last_status: Option<String>,
    pub last_status_changed_at: Option<i64>,
    pub unread: Vec<String>,
    pub collected_at: i64,
}

impl Tabular for ConfigRecorder {
    const TIMESTAMPS: &'static [&'static str] = &["last_status_changed_at", "collected_at"];
}

super::record!(ConfigRecorder, INFO, id: recorder_arn);
