//! Findings as OCSF 1.3 Compliance Finding records (class 2003), the shape
//! Amazon Security Lake reads, with keyaudit's own facts (rule id, verdict,
//! OU path, resource kind, evidence) in `unmapped`.
//!
//! Field choices: `time` and `finding_info.created_time` are epoch
//! milliseconds (OCSF `timestamp_t`), with their date-time forms in `*_dt`
//! (the `datetime` profile); `compliance.control` is the rule id,
//! `compliance.standards` the frameworks the rule maps to and
//! `compliance.requirements` the controls ("AWS Security Hub FSBP KMS.4");
//! `compliance.status_id` is the class's: 1 Pass, 3 Fail, 2 Warning ("did
//! not yield a result due to missing information": keyaudit's ERROR) and 99
//! Other for INFO, with `compliance.status` its caption ("Info" for Other)
//! and `compliance.status_code` keyaudit's verdict (PASS, FAIL, INFO,
//! ERROR); the finding's own `status_id` is 1 New (each run reports afresh);
//! `metadata.correlation_uid` is the run id; `finding_info.uid` a stable id
//! from rule, account, region, resource and subject, the same in every run
//! for the same thing; `resources[].type` the AWS resource type name
//! (`AWS::KMS::Key`, `AWS::::Account` for account-level checks);
//! `cloud.org.ou_name` and `ou_uid` the account's own OU, its path in
//! `unmapped.ou_path`.

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
/// OCSF account type "AWS Account".
pub const ACCOUNT_TYPE_AWS: i32 = 10;
/// OCSF finding status "New".
pub const STATUS_NEW: i32 = 1;
/// The profiles every record follows.
pub const PROFILES: [&str; 2] = ["cloud", "datetime"];
/// The resource type of an account-level check, as AWS Config names it.
pub const ACCOUNT_RESOURCE_TYPE: &str = "AWS::::Account";

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
    /// `cloud`, `datetime`.
    pub profiles: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FindingInfo {
    /// Stable across runs for the same rule, account, region, resource and subject.
    pub uid: String,
    /// The rule's title and description, shared by its rows.
    pub title: Arc<str>,
    pub desc: Arc<str>,
    /// Epoch milliseconds.
    pub created_time: i64,
    pub created_time_dt: i64,
    pub types: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Compliance {
    /// The caption of `status_id`: `Pass`, `Fail`, `Warning` (an ERROR) or `Info`.
    pub status: String,
    /// OCSF: 1 Pass, 3 Fail, 2 Warning (ERROR: missing information), 99 Other (INFO).
    pub status_id: i32,
    /// keyaudit's verdict: PASS, FAIL, INFO or ERROR.
    pub status_code: String,
    /// The rule id.
    pub control: String,
    pub standards: Arc<[String]>,
    pub requirements: Arc<[String]>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CloudAccount {
    pub uid: String,
    pub name: String,
    /// `AWS Account`.
    #[serde(rename = "type")]
    pub type_name: String,
    /// 10, AWS Account.
    pub type_id: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CloudOrg {
    pub uid: String,
    /// The account's own OU's name, such as `Prod` (its path is `unmapped.ou_path`).
    pub ou_name: String,
    /// That OU's id (`ou-…`, or the root's `r-…`).
    pub ou_uid: String,
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
    /// The AWS resource type name: `AWS::KMS::Key`, `AWS::::Account`, …
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
    const TIMESTAMPS: &'static [&'static str] = &["time_dt", "created_time_dt"];
}

/// One row of the `findings` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FindingRow {
    /// When the run evaluated the rule (its start), epoch milliseconds.
    pub time: i64,
    pub time_dt: i64,
    /// 0: times are UTC.
    pub timezone_offset: i32,
    pub class_uid: i32,
    pub class_name: String,
    pub category_uid: i32,
    pub category_name: String,
    pub type_uid: i64,
    pub type_name: String,
    pub activity_id: i32,
    pub activity_name: String,
    pub severity_id: i32,
    pub severity: String,
    /// The finding's status: 1 New.
    pub status_id: i32,
    pub status: String,
    pub message: String,
    pub metadata: Metadata,
    pub finding_info: FindingInfo,
    pub compliance: Compliance,
    pub cloud: Cloud,
    pub resources: Vec<ResourceDetails>,
    pub remediation: Remediation,
    /// `rule_id`, `status`, `ou_path`, `resource_kind`, `subject` and `evidence.<key>` entries.
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
        Status::Error => ("Warning", 2),
    };
    let mut unmapped = BTreeMap::from([
        ("rule_id".to_owned(), rule.id.clone()),
        ("status".to_owned(), finding.status.name().to_owned()),
        ("ou_path".to_owned(), account.ou_path.clone()),
        ("resource_kind".to_owned(), finding.resource_type.to_owned()),
    ]);
    let resource_type =
        crate::kinds::by_name(finding.resource_type).map_or(ACCOUNT_RESOURCE_TYPE, |k| k.info().aws_type);
    let uid = finding_uid(&rule.id, &account.account_id, &finding);
    if let Some(subject) = &finding.subject {
        unmapped.insert("subject".to_owned(), subject.clone());
    }
    for (key, value) in finding.evidence {
        unmapped.insert(format!("evidence.{key}"), value);
    }
    FindingRow {
        time,
        time_dt: time,
        timezone_offset: 0,
        class_uid: CLASS_UID,
        class_name: "Compliance Finding".to_owned(),
        category_uid: CATEGORY_UID,
        category_name: "Findings".to_owned(),
        type_uid: i64::from(CLASS_UID) * 100 + i64::from(ACTIVITY_CREATE),
        type_name: "Compliance Finding: Create".to_owned(),
        activity_id: ACTIVITY_CREATE,
        activity_name: "Create".to_owned(),
        severity_id: rule.severity.ocsf_id(),
        severity: rule.severity.caption().to_owned(),
        status_id: STATUS_NEW,
        status: "New".to_owned(),
        message: finding.message,
        metadata: Metadata {
            version: OCSF_VERSION.to_owned(),
            product: Product {
                name: "keyaudit".to_owned(),
                vendor_name: "keyaudit".to_owned(),
                version: env!("CARGO_PKG_VERSION").to_owned(),
            },
            correlation_uid: run_id.to_owned(),
            profiles: PROFILES.iter().map(|p| (*p).to_owned()).collect(),
        },
        finding_info: FindingInfo {
            uid,
            title: text.title.clone(),
            desc: text.desc.clone(),
            created_time: time,
            created_time_dt: time,
            types: vec!["Key Management".to_owned()],
        },
        compliance: Compliance {
            status: status.to_owned(),
            status_id,
            status_code: finding.status.name().to_owned(),
            control: rule.id.clone(),
            standards: text.standards.clone(),
            requirements: text.requirements.clone(),
        },
        cloud: Cloud {
            provider: "AWS".to_owned(),
            region: finding.region.clone(),
            account: CloudAccount {
                uid: account.account_id.clone(),
                name: account.account_name.clone(),
                type_name: "AWS Account".to_owned(),
                type_id: ACCOUNT_TYPE_AWS,
            },
            org: CloudOrg {
                uid: account.org_id.clone(),
                ou_name: last_segment(&account.ou_path),
                ou_uid: last_segment(&account.ou_id_path),
            },
        },
        resources: vec![ResourceDetails {
            uid: finding.resource_id.unwrap_or_else(|| account.account_id.clone()),
            kind: resource_type.to_owned(),
            region: finding.region.clone(),
        }],
        remediation: Remediation { desc: text.remediation.clone(), references: text.references.clone() },
        unmapped,
    }
}

/// The last `/`-separated part of a path: the account's own OU.
fn last_segment(path: &str) -> String {
    path.rsplit('/').next().unwrap_or_default().to_owned()
}

#[cfg(test)]
mod tests {
    use arrow_schema::{DataType, Field};

    use crate::output::Table;

    /// OCSF 1.3.0's required and recommended attributes of a Compliance
    /// Finding (class 2003) as keyaudit writes it: the base event, the
    /// `finding` class it extends, the class itself, the `compliance`,
    /// `finding_info`, `metadata`, `account` and `resource_details` objects,
    /// and the `cloud` and `datetime` profiles it declares.
    const OCSF_ATTRIBUTES: &[(&str, &str)] = &[
        // base_event: required
        ("activity_id", "int"),
        ("category_uid", "int"),
        ("class_uid", "int"),
        ("severity_id", "int"),
        ("time", "long"),
        ("type_uid", "long"),
        ("metadata.product.name", "string"),
        ("metadata.product.vendor_name", "string"),
        ("metadata.version", "string"),
        // base_event: recommended
        ("activity_name", "string"),
        ("category_name", "string"),
        ("class_name", "string"),
        ("message", "string"),
        ("severity", "string"),
        ("status", "string"),
        ("status_id", "int"),
        ("timezone_offset", "int"),
        ("type_name", "string"),
        ("metadata.profiles", "string[]"),
        // finding and compliance_finding
        ("finding_info.uid", "string"),
        ("finding_info.title", "string"),
        ("finding_info.created_time", "long"),
        ("compliance.standards", "string[]"),
        ("compliance.control", "string"),
        ("compliance.status", "string"),
        ("compliance.status_id", "int"),
        ("resources.uid", "string"),
        ("resources.type", "string"),
        ("remediation.desc", "string"),
        // cloud profile
        ("cloud.provider", "string"),
        ("cloud.region", "string"),
        ("cloud.account.uid", "string"),
        ("cloud.account.type_id", "int"),
        ("cloud.org.uid", "string"),
        ("cloud.org.ou_name", "string"),
        // datetime profile
        ("time_dt", "timestamp"),
        ("finding_info.created_time_dt", "timestamp"),
    ];

    /// The OCSF type of an Arrow type, as Security Lake reads Parquet.
    fn ocsf_type(data_type: &DataType) -> String {
        match data_type {
            DataType::Utf8 | DataType::LargeUtf8 => "string".to_owned(),
            DataType::Int32 | DataType::Int16 | DataType::Int8 => "int".to_owned(),
            DataType::Int64 => "long".to_owned(),
            DataType::Timestamp(..) => "timestamp".to_owned(),
            DataType::List(item) | DataType::LargeList(item) => match item.data_type() {
                DataType::Struct(_) => "object[]".to_owned(),
                other => format!("{}[]", ocsf_type(other)),
            },
            DataType::Struct(_) => "object".to_owned(),
            other => format!("{other:?}"),
        }
    }

    fn find<'a>(fields: &'a [arrow_schema::FieldRef], path: &str) -> Option<&'a Field> {
        let (head, rest) = path.split_once('.').map_or((path, None), |(h, r)| (h, Some(r)));
        let field = fields.iter().find(|f| f.name() == head)?;
        match rest {
            None => Some(field),
            Some(rest) => match field.data_type() {
                DataType::Struct(children) => find(children, rest),
                DataType::List(item) => match item.data_type() {
                    DataType::Struct(children) => find(children, rest),
                    _ => None,
                },
                _ => None,
            },
        }
    }

    #[test]
    fn findings_carry_ocsf_1_3_compliance_finding_attributes_with_their_types() {
        let table = Table::findings();
        let problems: Vec<String> = OCSF_ATTRIBUTES
            .iter()
            .filter_map(|(path, expected)| match find(table.fields(), path) {
                None => Some(format!("{path} is missing")),
                Some(field) if ocsf_type(field.data_type()) != *expected => {
                    Some(format!("{path} is {} where OCSF has {expected}", ocsf_type(field.data_type())))
                }
                Some(_) => None,
            })
            .collect();
        assert!(problems.is_empty(), "{problems:#?}");
    }
}
