//! IAM policies that can grant KMS use, once per account: customer-managed
//! policies (their default version) and the inline policies of users,
//! groups and roles, each with the statements that name KMS actions.

mod collect;
pub(crate) mod rules;
mod statements;

use serde::{Deserialize, Serialize};

use super::KindDef;
use crate::inventory::{Api, KindInfo, Level};
use crate::output::Tabular;

/// The APIs this kind calls.
pub mod iam_api {
    pub const GET_ACCOUNT_AUTHORIZATION_DETAILS: &str = "iam:GetAccountAuthorizationDetails";
}

/// The kind's name in rule metadata and findings.
pub const KIND_NAME: &str = "iam-policy";

pub static INFO: KindInfo = KindInfo {
    name: KIND_NAME,
    service: "iam-policies",
    aws_service: "iam",
    table: "iam_policies",
    aws_type: "AWS::IAM::Policy",
    title: "IAM policies",
    level: Level::Account,
    listing: &[iam_api::GET_ACCOUNT_AUTHORIZATION_DETAILS],
    apis: &[Api { name: iam_api::GET_ACCOUNT_AUTHORIZATION_DETAILS, group: None }],
    field_groups: &[],
    on_demand_groups: &[],
};

/// The registry's entry.
pub static KIND: KindDef<IamPolicy> = KindDef { info: &INFO, collect: collect::collect };

/// One customer-managed or inline IAM policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IamPolicy {
    pub run_id: String,
    pub account_id: String,
    pub account_name: String,
    pub ou_path: String,
    pub org_id: String,
    /// Always `global`.
    pub region: String,
    /// The policy's ARN; for an inline policy, its principal's ARN,
    /// `/inline-policy/` and its name.
    pub policy_arn: String,
    pub name: String,
    /// `managed` (customer-managed) or `inline`.
    pub policy_type: String,
    /// For an inline policy, the user, group or role holding it; for a
    /// managed policy, those it is attached to.
    pub attached_to: Vec<String>,
    /// The policy document (the default version of a managed policy), as JSON.
    pub document: Option<String>,
    /// The statements that can match a KMS action; null when the document
    /// could not be parsed.
    pub kms_statements: Option<Vec<KmsStatement>>,
    pub unread: Vec<String>,
    pub collected_at: i64,
}

/// A policy statement that can match a KMS action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KmsStatement {
    pub sid: Option<String>,
    /// `Allow` or `Deny`.
    pub effect: String,
    /// The statement's actions that can match KMS actions, as written (with
    /// `not_action`, the actions it excludes, all of them).
    pub actions: Vec<String>,
    pub not_action: bool,
    /// As written (with `not_resource`, the resources it excludes).
    pub resources: Vec<String>,
    pub not_resource: bool,
    /// The Condition block as JSON, when there is one.
    pub condition: Option<String>,
}

impl Tabular for IamPolicy {
    const TIMESTAMPS: &'static [&'static str] = &["collected_at"];
}

super::record!(IamPolicy, INFO, id: policy_arn);
