//! Conversions between keyaudit's records and the WIT types of each contract
//! version. The only place that builds WIT values from inventory.

pub mod v0_1;
pub mod v0_2;
pub mod v0_3;

use super::model::Status;

/// AWS's spelling of each KMS enum value beside its WIT case, written once
/// for every contract version: `$apply!(fn -> Type { "AWS" => Case, … })`
/// for each enum.
macro_rules! kms_enums {
    ($apply:ident) => {
        $apply!(key_manager -> KeyManager { "AWS" => Aws, "CUSTOMER" => Customer });
        $apply!(key_state -> KeyState {
            "Creating" => Creating,
            "Enabled" => Enabled,
            "Disabled" => Disabled,
            "PendingDeletion" => PendingDeletion,
            "PendingImport" => PendingImport,
            "PendingReplicaDeletion" => PendingReplicaDeletion,
            "Unavailable" => Unavailable,
            "Updating" => Updating,
        });
        $apply!(key_usage -> KeyUsage {
            "ENCRYPT_DECRYPT" => EncryptDecrypt,
            "SIGN_VERIFY" => SignVerify,
            "GENERATE_VERIFY_MAC" => GenerateVerifyMac,
            "KEY_AGREEMENT" => KeyAgreement,
        });
        $apply!(key_spec -> KeySpec {
            "SYMMETRIC_DEFAULT" => SymmetricDefault,
            "RSA_2048" => Rsa2048,
            "RSA_3072" => Rsa3072,
            "RSA_4096" => Rsa4096,
            "ECC_NIST_P256" => EccNistP256,
            "ECC_NIST_P384" => EccNistP384,
            "ECC_NIST_P521" => EccNistP521,
            "ECC_SECG_P256K1" => EccSecgP256k1,
            "ECC_NIST_EDWARDS25519" => EccNistEdwards25519,
            "HMAC_224" => Hmac224,
            "HMAC_256" => Hmac256,
            "HMAC_384" => Hmac384,
            "HMAC_512" => Hmac512,
            "SM2" => Sm2,
            "ML_DSA_44" => MlDsa44,
            "ML_DSA_65" => MlDsa65,
            "ML_DSA_87" => MlDsa87,
        });
        $apply!(key_origin -> KeyOrigin {
            "AWS_KMS" => AwsKms,
            "EXTERNAL" => External,
            "AWS_CLOUDHSM" => AwsCloudhsm,
            "EXTERNAL_KEY_STORE" => ExternalKeyStore,
        });
        $apply!(multi_region_key_type -> MultiRegionKeyType { "PRIMARY" => Primary, "REPLICA" => Replica });
    };
}
pub(crate) use kms_enums;

/// How a finding names its resource.
#[derive(Debug)]
pub enum ResourceRef {
    /// An account-level check.
    Account,
    /// By ARN or id (contract 0.1).
    Id(String),
    /// By position in the resources the rule was given (contract 0.2).
    Index(u32),
    /// By kind and position in what that kind's `list` returned (contract
    /// 0.3); the kind is one the rule reads.
    KindIndex(&'static str, u32),
    /// By a kind the rule does not read (contract 0.3): malformed output.
    UnreadKind(String, u32),
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
        // Each version defines `fn reads(&wit::RuleMetadata) -> Vec<KindRead>`.
        use $crate::rules::convert::RawFinding;
        use $crate::rules::model::{KindRead, Mapping, ParamSpec, ParamValue, RuleInfo, Severity, Status};
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
            let reads = reads(&meta);
            RuleInfo {
                id: meta.id,
                title: meta.title,
                description: meta.description,
                severity: severity(meta.severity),
                reads,
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
        #[allow(dead_code, reason = "0.3 lifts its findings itself (v0_3::finding)")]
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
