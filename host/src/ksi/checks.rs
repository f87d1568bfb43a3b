//! The eleven sub-checks of KSI-SVC-06 (seed 000): what each counts in an
//! account's inventory, and how a count becomes a verdict and a figure.
//!
//! Each sub-check reads one kind. Its count is unknown when the kind was not
//! collected for the account, when one of the kind's listing APIs failed in
//! any region (what exists is unknown), or when a field the count needs was
//! not read for some record: unknown is never a verdict.

use super::{Count, Status};
use crate::kinds::Inventory;
use crate::kinds::acm_certificate::AcmCertificate;
use crate::kinds::cloudformation_stack::CloudFormationStack;
use crate::kinds::cloudtrail_key_activity::CloudTrailKeyActivity;
use crate::kinds::config_rule::ConfigRule;
use crate::kinds::iam_server_certificate::IamServerCertificate;
use crate::kinds::kms_key::KmsKey;
use crate::kinds::organization::Organization;
use crate::kinds::secret::Secret;
use crate::kinds::ssm_parameter::SsmParameter;

/// One sub-check: its id (the `sub_check` column), its heading as seed 000
/// words it, the kind it reads, how it counts and how it judges a count.
pub struct SubCheck {
    pub id: &'static str,
    pub title: &'static str,
    pub kind: &'static str,
    /// The account's count as of the run's start (epoch milliseconds), or
    /// which field could not be read.
    pub count: fn(&Inventory, i64) -> Result<Count, String>,
    /// The verdict and figure of a known count (one account's or the
    /// organisation's sum).
    pub judge: fn(&Count) -> (Status, String),
}

/// Managed Config rules that watch key management: the rule SDK's list, the
/// one `config-key-rules-present` uses by default.
use keyaudit_rule_sdk::config::KEY_MANAGEMENT_RULES;

/// The CloudFormation stack states seed 000 counts as successful.
const SUCCESSFUL_STACK_STATES: [&str; 3] = ["CREATE_COMPLETE", "UPDATE_COMPLETE", "IMPORT_COMPLETE"];

/// Share of stacks that must be in a successful state for a PASS (a stack
/// mid-update is neither failed nor successful).
const STACKS_SUCCESSFUL_PERCENT: i64 = 90;

/// Every sub-check, in seed 000's order.
pub static SUB_CHECKS: [SubCheck; 11] = [
    SubCheck {
        id: "kms-keys",
        title: "Automated key management infrastructure",
        kind: crate::kinds::kms_key::KIND_NAME,
        count: |inventory, _| {
            let keys = inventory.of::<KmsKey>();
            let unread = keys.iter().filter(|k| k.key_manager.is_none()).count();
            if unread > 0 {
                return Err(format!("the manager of {unread} KMS keys was not read (kms:DescribeKey)"));
            }
            let customer = keys.iter().filter(|k| k.key_manager.as_deref() == Some("CUSTOMER")).count();
            Ok(Count::of(customer, keys.len()))
        },
        judge: |c| {
            let figure = format!(
                "{} KMS keys ({} customer-managed, {} AWS-managed)",
                c.denominator,
                c.numerator,
                c.denominator - c.numerator
            );
            (if c.denominator > 0 { Status::Pass } else { Status::Info }, figure)
        },
    },
    SubCheck {
        id: "acm-certificates",
        title: "Automated certificate management",
        kind: crate::kinds::acm_certificate::KIND_NAME,
        count: |inventory, _| {
            let certificates = inventory.of::<AcmCertificate>();
            let unread = certificates.iter().filter(|c| c.status.is_none()).count();
            if unread > 0 {
                return Err(format!("the status of {unread} ACM certificates was not read (acm:DescribeCertificate)"));
            }
            let issued = certificates.iter().filter(|c| c.status.as_deref() == Some("ISSUED")).count();
            let pending = certificates.iter().filter(|c| c.status.as_deref() == Some("PENDING_VALIDATION")).count();
            Ok(Count { numerator: issued as i64, denominator: certificates.len() as i64, other: pending as i64 })
        },
        judge: |c| {
            let figure = format!("{} ACM certificates ({} issued, {} pending)", c.denominator, c.numerator, c.other);
            (if c.numerator > 0 { Status::Pass } else { Status::Info }, figure)
        },
    },
    SubCheck {
        id: "key-aliases",
        title: "Key governance structure",
        kind: crate::kinds::kms_key::KIND_NAME,
        count: |inventory, _| {
            let keys = inventory.of::<KmsKey>();
            let unread = keys.iter().filter(|k| k.aliases.is_none()).count();
            if unread > 0 {
                return Err(format!("the aliases of {unread} KMS keys were not read (kms:ListAliases)"));
            }
            let aliases = keys.iter().flat_map(|k| k.aliases.iter().flatten());
            let (all, customer) = aliases
                .fold((0, 0), |(all, customer), a| (all + 1, customer + usize::from(!a.starts_with("alias/aws/"))));
            Ok(Count::of(customer, all))
        },
        judge: |c| match c.percent() {
            None => (Status::Info, "No KMS key aliases".to_owned()),
            Some(percent) => (
                if c.numerator > 0 { Status::Pass } else { Status::Info },
                format!("{}/{} customer-managed aliases ({percent}%)", c.numerator, c.denominator),
            ),
        },
    },
    SubCheck {
        id: "securestring-parameters",
        title: "Automated encryption integration",
        kind: crate::kinds::ssm_parameter::KIND_NAME,
        count: |inventory, _| {
            let parameters = inventory.of::<SsmParameter>();
            let unread = parameters.iter().filter(|p| p.parameter_type.is_none()).count();
            if unread > 0 {
                return Err(format!("the type of {unread} SSM parameters was not read (ssm:DescribeParameters)"));
            }
            let secure = parameters.iter().filter(|p| p.parameter_type.as_deref() == Some("SecureString")).count();
            Ok(Count::of(secure, parameters.len()))
        },
        judge: |c| match c.numerator {
            0 => (Status::Info, "No KMS-encrypted SecureString parameters".to_owned()),
            n => (Status::Pass, format!("{n} KMS-encrypted SecureString parameters")),
        },
    },
    SubCheck {
        id: "secret-rotation",
        title: "Automated credential rotation",
        kind: crate::kinds::secret::KIND_NAME,
        count: |inventory, _| {
            let secrets = inventory.of::<Secret>();
            Ok(Count::of(secrets.iter().filter(|s| s.rotation_enabled).count(), secrets.len()))
        },
        judge: |c| match c.percent() {
            None => (Status::Info, "No Secrets Manager secrets".to_owned()),
            Some(percent) => (
                if c.numerator == c.denominator { Status::Pass } else { Status::Fail },
                format!("{}/{} secrets with automatic rotation ({percent}%)", c.numerator, c.denominator),
            ),
        },
    },
    SubCheck {
        id: "legacy-iam-certificates",
        title: "Modern certificate management",
        kind: crate::kinds::iam_server_certificate::KIND_NAME,
        count: |inventory, as_of| {
            let certificates = inventory.of::<IamServerCertificate>();
            let unread = certificates.iter().filter(|c| c.not_after.is_none()).count();
            if unread > 0 {
                return Err(format!(
                    "the expiry of {unread} IAM server certificates was not read (iam:GetServerCertificate)"
                ));
            }
            let expired = certificates.iter().filter(|c| c.not_after.is_some_and(|t| t < as_of)).count();
            Ok(Count::of(expired, certificates.len()))
        },
        judge: |c| match (c.denominator, c.numerator) {
            (0, _) => (Status::Pass, "No legacy IAM certificates".to_owned()),
            (n, 0) => (Status::Info, format!("{n} legacy IAM server certificates to move to ACM (none expired)")),
            (n, expired) => (Status::Fail, format!("{n} legacy IAM server certificates ({expired} expired)")),
        },
    },
    SubCheck {
        id: "iac-stacks",
        title: "Infrastructure as Code key management",
        kind: crate::kinds::cloudformation_stack::KIND_NAME,
        count: |inventory, _| {
            let stacks = inventory.of::<CloudFormationStack>();
            let unread = stacks.iter().filter(|s| s.status.is_none()).count();
            if unread > 0 {
                return Err(format!("the status of {unread} CloudFormation stacks was not read"));
            }
            let live: Vec<_> = stacks.iter().filter(|s| s.status.as_deref() != Some("DELETE_COMPLETE")).collect();
            let successful =
                live.iter().filter(|s| s.status.as_deref().is_some_and(|st| SUCCESSFUL_STACK_STATES.contains(&st)));
            Ok(Count::of(successful.count(), live.len()))
        },
        judge: |c| match c.percent() {
            None => (Status::Info, "No CloudFormation stacks".to_owned()),
            Some(percent) => (
                if c.numerator * 100 >= STACKS_SUCCESSFUL_PERCENT * c.denominator {
                    Status::Pass
                } else {
                    Status::Fail
                },
                format!("{}/{} successful CloudFormation stacks ({percent}%)", c.numerator, c.denominator),
            ),
        },
    },
    SubCheck {
        id: "config-key-rules",
        title: "Key management compliance monitoring",
        kind: crate::kinds::config_rule::KIND_NAME,
        count: |inventory, _| {
            let rules = inventory.of::<ConfigRule>();
            let watching = rules
                .iter()
                .filter(|r| r.source_identifier.as_deref().is_some_and(|s| KEY_MANAGEMENT_RULES.contains(&s)))
                .count();
            Ok(Count::of(watching, rules.len()))
        },
        judge: |c| match c.numerator {
            0 => (Status::Info, "No Config rules for key management compliance monitoring".to_owned()),
            n => (Status::Pass, format!("{n} Config rules for key management compliance monitoring")),
        },
    },
    SubCheck {
        id: "key-audit-trail",
        title: "Key management audit trail",
        kind: crate::kinds::cloudtrail_key_activity::KIND_NAME,
        count: |inventory, _| {
            let activity = inventory.of::<CloudTrailKeyActivity>();
            let events: usize = activity.iter().map(|a| a.key_events.len()).sum();
            let truncated = activity.iter().filter(|a| a.truncated).count();
            Ok(Count { numerator: events as i64, denominator: activity.len() as i64, other: truncated as i64 })
        },
        judge: |c| match (c.numerator, c.other) {
            (0, _) => (Status::Info, "No recent key management events tracked".to_owned()),
            (n, 0) => (Status::Pass, format!("{n} recent key management events tracked")),
            (n, _) => (Status::Pass, format!("At least {n} recent key management events tracked")),
        },
    },
    SubCheck {
        id: "organizations-governance",
        title: "Enterprise-wide key management governance",
        kind: crate::kinds::organization::KIND_NAME,
        count: |inventory, _| Ok(Count::of(usize::from(!inventory.of::<Organization>().is_empty()), 1)),
        judge: |c| match c.numerator {
            0 => (Status::Info, "Not part of an AWS Organization".to_owned()),
            _ => (Status::Pass, "AWS Organizations enables centralized key policies".to_owned()),
        },
    },
    SubCheck {
        id: "scp-enforcement",
        title: "Advanced organization features",
        kind: crate::kinds::organization::KIND_NAME,
        count: |inventory, _| {
            let Some(organization) = inventory.of::<Organization>().first() else { return Ok(Count::of(0, 1)) };
            let (Some(feature_set), Some(roots)) = (&organization.feature_set, &organization.roots) else {
                return Err("the organisation's feature set or roots were not read \
                            (organizations:DescribeOrganization, organizations:ListRoots)"
                    .to_owned());
            };
            let scps_enabled = feature_set == "ALL"
                && !roots.is_empty()
                && roots.iter().all(|root| {
                    root.policy_types.iter().any(|t| t.policy_type == "SERVICE_CONTROL_POLICY" && t.status == "ENABLED")
                });
            Ok(Count::of(usize::from(scps_enabled), 1))
        },
        judge: |c| {
            if c.numerator == c.denominator {
                (Status::Pass, "SCPs for key management policy enforcement enabled".to_owned())
            } else {
                (Status::Fail, "SCPs for key management policy enforcement not enabled".to_owned())
            }
        },
    },
];
