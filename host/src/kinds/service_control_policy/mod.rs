//! Service control policies, once per run with the scanning credentials:
//! every SCP of the organisation, with (group "document") its JSON and
//! (group "targets") the roots, OUs and accounts it is attached to. Rules
//! also get, per evaluated account, where on its path each policy is
//! attached, which is what makes it apply there.

mod collect;
pub(crate) mod rules;

use serde::{Deserialize, Serialize};

use super::KindDef;
use crate::inventory::{Api, KindInfo, Level};
use crate::output::Tabular;

/// The APIs this kind calls.
pub mod organizations_api {
    pub const LIST_POLICIES: &str = "organizations:ListPolicies";
    pub const DESCRIBE_POLICY: &str = "organizations:DescribePolicy";
    pub const LIST_TARGETS_FOR_POLICY: &str = "organizations:ListTargetsForPolicy";
}

/// The kind's name in rule metadata and findings.
pub const KIND_NAME: &str = "service-control-policy";

pub static INFO: KindInfo = KindInfo {
    name: KIND_NAME,
    service: "scps",
    aws_service: "organizations",
    table: "service_control_policies",
    aws_type: "AWS::Organizations::Policy",
    title: "service control policies",
    level: Level::Organisation,
    listing: &[organizations_api::LIST_POLICIES],
    apis: &[
        Api { name: organizations_api::LIST_POLICIES, group: None },
        Api { name: organizations_api::DESCRIBE_POLICY, group: Some("document") },
        Api { name: organizations_api::LIST_TARGETS_FOR_POLICY, group: Some("targets") },
    ],
    field_groups: &["document", "targets"],
    on_demand_groups: &[],
};

/// The registry's entry.
pub static KIND: KindDef<ServiceControlPolicy> = KindDef { info: &INFO, collect: collect::collect };

/// One SCP (from `ListPolicies` unless said otherwise).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceControlPolicy {
    pub run_id: String,
    /// The account whose credentials read it.
    pub account_id: String,
    pub account_name: String,
    pub ou_path: String,
    pub org_id: String,
    /// Always `global`.
    pub region: String,
    pub policy_arn: String,
    pub policy_id: String,
    pub name: String,
    pub description: Option<String>,
    pub aws_managed: Option<bool>,
    /// From `DescribePolicy`: the policy's JSON; null when not read.
    pub document: Option<String>,
    /// From `ListTargetsForPolicy`: where it is attached; null when not read.
    pub targets: Option<Vec<PolicyTarget>>,
    /// The APIs whose fields could not be read for this policy.
    pub unread: Vec<String>,
    pub collected_at: i64,
}

/// A root, OU or account a policy is attached to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyTarget {
    pub target_id: String,
    /// `ROOT`, `ORGANIZATIONAL_UNIT` or `ACCOUNT`.
    pub target_type: String,
    pub name: String,
}

impl ServiceControlPolicy {
    /// Where on `path` (ids from the root down to an account: the root,
    /// its OUs, the account) this policy is attached, in path order; `None`
    /// when its targets were not read or the path is unknown (empty).
    pub fn attached_on_path(&self, path: &[&str]) -> Option<Vec<&PolicyTarget>> {
        let targets = self.targets.as_ref()?;
        if path.is_empty() {
            return None;
        }
        Some(path.iter().filter_map(|id| targets.iter().find(|t| t.target_id == *id)).collect())
    }
}

impl Tabular for ServiceControlPolicy {
    const TIMESTAMPS: &'static [&'static str] = &["collected_at"];
}

super::record!(ServiceControlPolicy, INFO, id: policy_arn);

#[cfg(test)]
mod tests {
    use super::*;

    fn target(id: &str, kind: &str) -> PolicyTarget {
        PolicyTarget { target_id: id.into(), target_type: kind.into(), name: id.into() }
    }

    #[test]
    fn a_policy_applies_where_it_is_attached_on_the_path_from_the_root() {
        let mut policy = ServiceControlPolicy {
            run_id: String::new(),
            account_id: String::new(),
            account_name: String::new(),
            ou_path: String::new(),
            org_id: String::new(),
            region: "global".into(),
            policy_arn: "arn".into(),
            policy_id: "p-1".into(),
            name: "p".into(),
            description: None,
            aws_managed: None,
            document: None,
            targets: None,
            unread: Vec::new(),
            collected_at: 0,
        };
        let path = ["r-1", "ou-1-a", "ou-1-b", "111111111111"];
        assert_eq!(policy.attached_on_path(&path), None, "targets unknown");
        policy.targets = Some(vec![target("ou-1-b", "ORGANIZATIONAL_UNIT"), target("r-1", "ROOT")]);
        let on_path: Vec<&str> =
            policy.attached_on_path(&path).unwrap().iter().map(|t| t.target_id.as_str()).collect();
        assert_eq!(on_path, ["r-1", "ou-1-b"], "root first");
        assert_eq!(policy.attached_on_path(&[]), None, "the account's place is unknown");
        assert!(policy.attached_on_path(&["r-2", "ou-2-a", "222222222222"]).unwrap().is_empty());
    }
}
