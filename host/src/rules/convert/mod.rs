//! Conversions between keyaudit's records and the WIT types of each contract
//! version. The only place that builds WIT values from inventory.

pub mod v0_1;
pub mod v0_2;

use super::model::Status;

pub use crate::inventory::KMS_KEY_KIND;
/// Resource kinds this host can hand to rules.
pub const KNOWN_KINDS: &[&str] = &[KMS_KEY_KIND];

/// How a finding names its resource.
#[derive(Debug)]
pub enum ResourceRef {
    /// An account-level check.
    Account,
    /// By ARN or id (contract 0.1).
    Id(String),
    /// By position in the resources the rule was given (contract 0.2).
    Index(u32),
}

/// A finding as a rule returned it, before the host checks it; the same for
/// every contract version.
#[derive(Debug)]
pub struct RawFinding {
    pub resource: ResourceRef,
    pub subject: Option<String>,
    pub region: Option<String>,
    pub status: Status,
    pub message: String,
    pub evidence: Vec<(String, String)>,
}

/// Conversions for the types every contract version shares in shape
/// (severity, status, parameter values, metadata, findings). `$wit` is the
/// version's bindings module, with its result-side parameter value type
/// named `ParamValue`; `$version` its number, such as "0.2".
macro_rules! shared_conversions {
    ($wit:path, $version:literal) => {
        use $crate::rules::convert::RawFinding;
        use $crate::rules::model::{Mapping, ParamSpec, ParamValue, RuleInfo, Severity, Status};
        use $wit as wit;

        fn status(status: wit::Status) -> Status {
            match status {
                wit::Status::Pass => Status::Pass,
                wit::Status::Fail => Status::Fail,
                wit::Status::Info => Status::Info,
                wit::Status::Error => Status::Error,
            }
        }

        fn severity(severity: wit::Severity) -> Severity {
            match severity {
                wit::Severity::Informational => Severity::Informational,
                wit::Severity::Low => Severity::Low,
                wit::Severity::Medium => Severity::Medium,
                wit::Severity::High => Severity::High,
                wit::Severity::Critical => Severity::Critical,
            }
        }

        fn param_from_wit(value: wit::ParamValue) -> ParamValue {
            match value {
                wit::ParamValue::Boolean(b) => ParamValue::Boolean(b),
                wit::ParamValue::Integer(i) => ParamValue::Integer(i),
                wit::ParamValue::Number(n) => ParamValue::Number(n),
                wit::ParamValue::Text(t) => ParamValue::Text(t),
                wit::ParamValue::TextList(l) => ParamValue::TextList(l),
            }
        }

        /// A rule's metadata as the host keeps it.
        pub fn rule_info(meta: wit::RuleMetadata, source: String, builtin: bool) -> RuleInfo {
            RuleInfo {
                id: meta.id,
                title: meta.title,
                description: meta.description,
                severity: severity(meta.severity),
                resource_kinds: meta.resource_kinds,
                parameters: meta
                    .parameters
                    .into_iter()
                    .map(|p| ParamSpec { name: p.name, description: p.description, default: param_from_wit(p.default) })
                    .collect(),
                frameworks: meta
                    .frameworks
                    .into_iter()
                    .map(|m| Mapping { framework: m.framework, control: m.control })
                    .collect(),
                remediation: meta.remediation,
                references: meta.references,
                source,
                builtin,
                contract: $version,
            }
        }

        /// A finding in the host's terms, given how it names its resource.
        fn raw_finding(finding: wit::Finding, resource: $crate::rules::convert::ResourceRef) -> RawFinding {
            RawFinding {
                resource,
                subject: finding.subject,
                region: finding.region,
                status: status(finding.status),
                message: finding.message,
                evidence: finding.evidence,
            }
        }
    };
}
use shared_conversions;
