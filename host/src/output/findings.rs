//! Findings as OCSF 1.3 Compliance Finding records (class 2003), the shape
//! Amazon Security Lake uses, with keyaudit's own facts (rule id, run id,
//! evidence) in `unmapped`.
//!
//! Field choices: `compliance.control` is the rule id; `compliance.standards`
//! the frameworks the rule maps to and `compliance.requirements` the controls
//! ("AWS Security Hub FSBP KMS.4"); `metadata.correlation_uid` the run id;
//! `finding_info.uid` a stable id from rule, account, region, resource and
//! subject, the same in every run for the same thing.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sha2::Digest;

use crate::inventory::Account;
use crate::rules::{RuleFinding, RuleInfo, Status};

/// The OCSF schema version declared in every record.
pub const OCSF_VERSION: &str = "1.3.0";
/// OCSF Compliance Finding.
pub const CLASS_UID: i32 = 2003;
/// OCSF Findings category.
pub const CATEGORY_UID: i32 = 2;
/// OCSF activity "Create".
pub const ACTIVITY_CREATE: i32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Product {
    pub name: String,
    pub vendor_name: String,
    pub version: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    pub version: String,
    pub product: Product,
    /// The run id: every finding of one run shares it.
    pub correlation_uid: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FindingInfo {
    /// Stable across runs for the same rule, account, region, resource and subject.
    pub uid: String,
    /// The rule's title and description, shared by its rows.
    pub title: Arc<str>,
    pub desc: Arc<str>,
    pub created_time: i64,
    pub types: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Compliance {
    /// `Pass`, `Fail`, `Info` or `Error`.
    pub status: String,
    /// OCSF: 1 Pass, 3 Fail, 99 Other (Info), 0 Unknown (Error).
    pub status_id: i32,
    /// The rule id.
    pub control: String,
    pub standards: Arc<[String]>,
    pub requirements: Arc<[String]>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CloudAccount {
    pub uid: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CloudOrg {
    pub uid: String,
    /// The OU path, such as `Root/Workloads/Prod`.
    pub ou_name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cloud {
    pub provider: String,
    pub region: Option<String>,
    pub account: CloudAccount,
    pub org: CloudOrg,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResourceDetails {
    /// ARN or id; for account-level findings, the account id.
    pub uid: String,
    /// `kms-key`, `account`, …
    #[serde(rename = "type")]
    pub kind: String,
    pub region: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Remediation {
    pub desc: Arc<str>,
    pub references: Arc<[String]>,
}

impl super::Tabular for FindingRow {
    const TIMESTAMPS: &'static [&'static str] = &["time", "created_time"];
}

/// One row of the `findings` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FindingRow {
    pub time: i64,
    pub class_uid: i32,
    pub category_uid: i32,
    pub type_uid: i32,
    pub activity_id: i32,
    pub severity_id: i32,
    pub severity: String,
    pub message: String,
    pub metadata: Metadata,
    pub finding_info: FindingInfo,
    pub compliance: Compliance,
    pub cloud: Cloud,
    pub resources: Vec<ResourceDetails>,
    pub remediation: Remediation,
    /// `rule_id`, `status`, `subject` and `evidence.<key>` entries.
    pub unmapped: BTreeMap<String, String>,
}

/// The stable id of a finding.
pub fn finding_uid(rule_id: &str, account_id: &str, finding: &RuleFinding) -> String {
    let identity = [
        rule_id,
        account_id,
        finding.region.as_deref().unwrap_or(""),
        finding.resource_id.as_deref().unwrap_or(""),
        finding.subject.as_deref().unwrap_or(""),
    ]
    .join("\u{1f}");
    hex::encode(&sha2::Sha256::digest(identity.as_bytes())[..16])
}

/// What every row of one rule shares, built once per rule: rows hold
/// references to it, not copies (rule text can be kilobytes, and a rule can
/// make a hundred thousand findings).
#[derive(Debug, Clone)]
pub struct RuleText {
    title: Arc<str>,
    desc: Arc<str>,
    remediation: Arc<str>,
    references: Arc<[String]>,
    standards: Arc<[String]>,
    requirements: Arc<[String]>,
}

impl RuleText {
    pub fn new(rule: &RuleInfo) -> Self {
        let mut standards: Vec<String> = rule.frameworks.iter().map(|m| m.framework.clone()).collect();
        standards.dedup();
        Self {
            title: rule.title.as_str().into(),
            desc: rule.description.as_str().into(),
            remediation: rule.remediation.as_str().into(),
            references: rule.references.clone().into(),
            standards: standards.into(),
            requirements: rule.frameworks.iter().map(|m| m.label()).collect(),
        }
    }
}

/// Builds the OCSF row for one rule finding, moving its text into the row.
pub fn finding_row(
    finding: RuleFinding,
    rule: &RuleInfo,
    text: &RuleText,
    account: &Account,
    run_id: &str,
    time: i64,
) -> FindingRow {
    let (status, status_id) = match finding.status {
        Status::Pass => ("Pass", 1),
        Status::Fail => ("Fail", 3),
        Status::Info => ("Info", 99),
        Status::Error => ("Error", 0),
    };
    let mut unmapped = BTreeMap::from([
        ("rule_id".to_owned(), rule.id.clone()),
        ("status".to_owned(), finding.status.name().to_owned()),
    ]);
    let uid = finding_uid(&rule.id, &account.account_id, &finding);
    if let Some(subject) = &finding.subject {
        unmapped.insert("subject".to_owned(), subject.clone());
    }
    for (key, value) in finding.evidence {
        unmapped.insert(format!("evidence.{key}"), value);
    }
    FindingRow {
        time,
        class_uid: CLASS_UID,
        category_uid: CATEGORY_UID,
        type_uid: CLASS_UID * 100 + ACTIVITY_CREATE,
        activity_id: ACTIVITY_CREATE,
        severity_id: rule.severity.ocsf_id(),
        severity: rule.severity.caption().to_owned(),
        message: finding.message,
        metadata: Metadata {
            version: OCSF_VERSION.to_owned(),
            product: Product {
                name: "keyaudit".to_owned(),
                vendor_name: "keyaudit".to_owned(),
                version: env!("CARGO_PKG_VERSION").to_owned(),
            },
            correlation_uid: run_id.to_owned(),
        },
        finding_info: FindingInfo {
            uid,
            title: text.title.clone(),
            desc: text.desc.clone(),
            created_time: time,
            types: vec!["Key Management".to_owned()],
        },
        compliance: Compliance {
            status: status.to_owned(),
            status_id,
            control: rule.id.clone(),
            standards: text.standards.clone(),
            requirements: text.requirements.clone(),
        },
        cloud: Cloud {
            provider: "AWS".to_owned(),
            region: finding.region.clone(),
            account: CloudAccount { uid: account.account_id.clone(), name: account.account_name.clone() },
            org: CloudOrg { uid: account.org_id.clone(), ou_name: account.ou_path.clone() },
        },
        resources: vec![ResourceDetails {
            uid: finding.resource_id.unwrap_or_else(|| account.account_id.clone()),
            kind: finding.resource_type.to_owned(),
            region: finding.region.clone(),
        }],
        remediation: Remediation { desc: text.remediation.clone(), references: text.references.clone() },
        unmapped,
    }
}
