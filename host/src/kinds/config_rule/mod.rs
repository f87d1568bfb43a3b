//! AWS Config rules, per region: every rule (conformance packs' included),
//! with its source and state, and (group "compliance") its compliance.

mod collect;
pub(crate) mod rules;

use serde::{Deserialize, Serialize};

use super::KindDef;
use crate::inventory::{Api, KindInfo, Level};
use crate::output::Tabular;

/// The APIs this kind calls.
pub mod config_api {
    pub const DESCRIBE_CONFIG_RULES: &str = "config:DescribeConfigRules";
    pub const DESCRIBE_COMPLIANCE_BY_CONFIG_RULE: &str = "config:DescribeComplianceByConfigRule";
}

/// The kind's name in rule metadata and findings.
pub const KIND_NAME: &str = "config-rule";

pub static INFO: KindInfo = KindInfo {
    name: KIND_NAME,
    service: "config-rules",
    aws_service: "config",
    table: "config_rules",
    aws_type: "AWS::Config::ConfigRule",
    title: "Config rules",
    level: Level::Region,
    listing: &[config_api::DESCRIBE_CONFIG_RULES],
    apis: &[
        Api { name: config_api::DESCRIBE_CONFIG_RULES, group: None },
        Api { name: config_api::DESCRIBE_COMPLIANCE_BY_CONFIG_RULE, group: Some("compliance") },
    ],
    field_groups: &["compliance"],
    on_demand_groups: &[],
};

/// The registry's entry.
pub static KIND: KindDef<ConfigRule> = KindDef { info: &INFO, collect: collect::collect };

/// One Config rule (from `DescribeConfigRules` unless said otherwise).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfigRule {
    pub run_id: String,
    pub account_id: String,
    pub account_name: String,
    pub ou_path: String,
    pub org_id: String,
    pub region: String,
    pub rule_arn: String,
    pub name: String,
    pub rule_id: Option<String>,
    /// `AWS` (a managed rule), `CUSTOM_LAMBDA` or `CUSTOM_POLICY`.
    pub owner: Option<String>,
    /// A managed rule's identifier, such as `CMK_BACKING_KEY_ROTATION_ENABLED`.
    pub source_identifier: Option<String>,
    /// `ACTIVE`, `EVALUATING`, `DELETING`, `DELETING_RESULTS`.
    pub state: Option<String>,
    /// The service that made it (`config-conforms.amazonaws.com` for a conformance pack's rules).
    pub created_by: Option<String>,
    /// From `DescribeComplianceByConfigRule`: `COMPLIANT`, `NON_COMPLIANT`,
    /// `NOT_APPLICABLE` or `INSUFFICIENT_DATA` (also for a rule the answer
    /// leaves out); null when not read.
    pub compliance: Option<String>,
    pub unread: Vec<String>,
    pub collected_at: i64,
}

impl Tabular for ConfigRule {
    const TIMESTAMPS: &'static [&'static str] = &["collected_at"];
}

super::record!(ConfigRule, INFO, id: rule_arn);
