//! SSM Parameter Store parameters, metadata only: type, KMS key, tier,
//! version, dates, policies. Never `GetParameter(s)`.

mod collect;
pub(crate) mod rules;

use serde::{Deserialize, Serialize};

use super::KindDef;
use crate::inventory::{Api, KindInfo, Level};
use crate::output::Tabular;

/// The APIs this kind calls.
pub mod ssm_api {
    pub const DESCRIBE_PARAMETERS: &str = "ssm:DescribeParameters";
}

/// The kind's name in rule metadata and findings.
pub const KIND_NAME: &str = "ssm-parameter";

pub static INFO: KindInfo = KindInfo {
    name: KIND_NAME,
    service: "ssm",
    aws_service: "ssm",
    table: "ssm_parameters",
    aws_type: "AWS::SSM::Parameter",
    title: "SSM parameters",
    level: Level::Region,
    listing: &[ssm_api::DESCRIBE_PARAMETERS],
    apis: &[Api { name: ssm_api::DESCRIBE_PARAMETERS, group: None }],
    field_groups: &[],
    on_demand_groups: &[],
};

/// The registry's entry.
pub static KIND: KindDef<SsmParameter> = KindDef { info: &INFO, collect: collect::collect };

/// One parameter's metadata, from `DescribeParameters`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SsmParameter {
    pub run_id: String,
    pub account_id: String,
    pub account_name: String,
    pub ou_path: String,
    pub org_id: String,
    pub region: String,
    pub parameter_arn: String,
    pub name: String,
    /// `String`, `StringList` or `SecureString`.
    pub parameter_type: Option<String>,
    /// For a SecureString: the KMS key, as AWS reports it (`alias/aws/ssm`, an id or an ARN).
    pub key_id: Option<String>,
    /// `Standard`, `Advanced` or `Intelligent-Tiering`.
    pub tier: Option<String>,
    pub last_modified_date: Option<i64>,
    pub last_modified_user: Option<String>,
    pub version: i64,
    pub data_type: Option<String>,
    pub description: Option<String>,
    /// The parameter policies, as JSON texts.
    pub policies: Vec<String>,
    /// Always empty: everything comes from the listing.
    pub unread: Vec<String>,
    pub collected_at: i64,
}

impl Tabular for SsmParameter {
    const TIMESTAMPS: &'static [&'static str] = &["last_modified_date", "collected_at"];
}

super::record!(SsmParameter, INFO, id: parameter_arn);
