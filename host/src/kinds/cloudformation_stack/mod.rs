//! CloudFormation stacks, per region: every stack but deleted ones, with its
//! status, drift status and last update, and (group "resources") the KMS
//! keys it manages, so that a key can be told managed as code.

mod collect;
pub(crate) mod rules;

use serde::{Deserialize, Serialize};

use super::KindDef;
use crate::inventory::{Api, KindInfo, Level};
use crate::output::Tabular;

/// The APIs this kind calls.
pub mod cloudformation_api {
    pub const DESCRIBE_STACKS: &str = "cloudformation:DescribeStacks";
    pub const LIST_STACK_RESOURCES: &str = "cloudformation:ListStackResources";
}

/// The kind's name in rule metadata and findings.
pub const KIND_NAME: &str = "cloudformation-stack";

pub static INFO: KindInfo = KindInfo {
    name: KIND_NAME,
    service: "cloudformation",
    aws_service: "cloudformation",
    table: "cloudformation_stacks",
    aws_type: "AWS::CloudFormation::Stack",
    title: "CloudFormation stacks",
    level: Level::Region,
    listing: &[cloudformation_api::DESCRIBE_STACKS],
    apis: &[
        Api { name: cloudformation_api::DESCRIBE_STACKS, group: None },
        Api { name: cloudformation_api::LIST_STACK_RESOURCES, group: Some("resources") },
    ],
    field_groups: &["resources"],
    on_demand_groups: &[],
};

/// The registry's entry.
pub static KIND: KindDef<CloudFormationStack> = KindDef { info: &INFO, collect: collect::collect };

/// One stack (from `DescribeStacks` unless said otherwise).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CloudFormationStack {
    pub run_id: String,
    pub account_id: String,
    pub account_name: String,
    pub ou_path: String,
    pub org_id: String,
    pub region: String,
    /// The stack's ARN.
    pub stack_id: String,
    pub name: String,
    /// `CREATE_COMPLETE`, `UPDATE_COMPLETE`, `ROLLBACK_COMPLETE`, `*_FAILED`, `*_IN_PROGRESS`, …
    pub status: Option<String>,
    pub status_reason: Option<String>,
    /// `IN_SYNC`, `DRIFTED`, `NOT_CHECKED` or `UNKNOWN`.
    pub drift_status: Option<String>,
    pub drift_checked_at: Option<i64>,
    pub created_at: Option<i64>,
    pub last_updated_at: Option<i64>,
    pub termination_protection: Option<bool>,
    /// A nested stack's root stack.
    pub root_id: Option<String>,
    /// From `ListStackResources`: the ids of the KMS keys (`AWS::KMS::Key`)
    /// the stack manages; null when it was not read.
    pub kms_key_ids: Option<Vec<String>>,
    /// The APIs whose fields could not be read for this stack.
    pub unread: Vec<String>,
    pub collected_at: i64,
}

impl Tabular for CloudFormationStack {
    const TIMESTAMPS: &'static [&'static str] = &["drift_checked_at", "created_at", "last_updated_at", "collected_at"];
}

super::record!(CloudFormationStack, INFO, id: stack_id);
