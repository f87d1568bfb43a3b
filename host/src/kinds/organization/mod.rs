//! The AWS Organization, once per run with the scanning credentials: its
//! feature set, management account and roots with their enabled policy
//! types. Rules get the record when they evaluate any account.

mod collect;
pub(crate) mod rules;

use serde::{Deserialize, Serialize};

use super::KindDef;
use crate::inventory::{Api, KindInfo, Level};
use crate::output::Tabular;

/// The APIs this kind calls.
pub mod organizations_api {
    pub const DESCRIBE_ORGANIZATION: &str = "organizations:DescribeOrganization";
    pub const LIST_ROOTS: &str = "organizations:ListRoots";
}

/// The error Organizations answers when the caller's account is in no
/// organisation: nothing to collect, and nothing unknown.
pub const NOT_IN_USE: &str = "AWSOrganizationsNotInUseException";

/// The kind's name in rule metadata and findings.
pub const KIND_NAME: &str = "organization";

pub static INFO: KindInfo = KindInfo {
    name: KIND_NAME,
    service: "organizations",
    aws_service: "organizations",
    table: "organizations",
    aws_type: "AWS::Organizations::Organization",
    title: "organisations",
    level: Level::Organisation,
    listing: &[organizations_api::DESCRIBE_ORGANIZATION],
    apis: &[
        Api { name: organizations_api::DESCRIBE_ORGANIZATION, group: None },
        Api { name: organizations_api::LIST_ROOTS, group: None },
    ],
    field_groups: &[],
    on_demand_groups: &[],
};

/// The registry's entry.
pub static KIND: KindDef<Organization> = KindDef { info: &INFO, collect: collect::collect };

/// The organisation (from `DescribeOrganization` unless said otherwise).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organization {
    pub run_id: String,
    /// The account whose credentials read it (the management account or a
    /// delegated administrator).
    pub account_id: String,
    pub account_name: String,
    pub ou_path: String,
    pub org_id: String,
    /// Always `global`.
    pub region: String,
    pub arn: String,
    /// `ALL` or `CONSOLIDATED_BILLING`.
    pub feature_set: Option<String>,
    pub management_account_id: Option<String>,
    /// From `ListRoots`; null when they could not be read.
    pub roots: Option<Vec<OrganizationRoot>>,
    /// The APIs whose fields could not be read.
    pub unread: Vec<String>,
    pub collected_at: i64,
}

/// A root and the policy types enabled on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationRoot {
    pub id: String,
    pub name: String,
    pub policy_types: Vec<PolicyTypeStatus>,
}

/// A policy type's status on a root (`SERVICE_CONTROL_POLICY`, `ENABLED`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyTypeStatus {
    pub policy_type: String,
    pub status: String,
}

impl Tabular for Organization {
    const TIMESTAMPS: &'static [&'static str] = &["collected_at"];
}

super::record!(Organization, INFO, id: arn);
