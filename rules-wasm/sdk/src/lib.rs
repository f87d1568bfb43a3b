//! The Rust SDK for keyaudit rules: the bindings of `wit/rules.wit`
//! (contract 0.3.2) plus the helpers most rules need, so that a rule is a few
//! dozen lines.
//!
//! A rule is a `cdylib` crate that implements [`Guest`] and calls
//! [`export_rule!`]:
//!
//! ```text
//! use keyaudit_rule_sdk::*;
//!
//! struct NotPendingDeletion;
//!
//! impl Guest for NotPendingDeletion {
//!     fn metadata() -> RuleMetadata { /* id, title, severity, reads, parameters, mappings */ }
//!     fn evaluate(scope: AccountScope) -> Result<Vec<Finding>, String> {
//!         let keys = kms::list();
//!         Ok(kms_keys(&keys)
//!             .filter(|key| key.is_customer_managed())
//!             .map(|key| match key.key_state {
//!                 Some(KeyState::PendingDeletion) => key_finding(key, Status::Fail, "scheduled for deletion", vec![]),
//!                 _ => key_finding(key, Status::Pass, "not scheduled for deletion", vec![]),
//!             })
//!             .collect())
//!     }
//! }
//!
//! keyaudit_rule_sdk::export_rule!(NotPendingDeletion);
//! ```
//!
//! Build with `cargo build --target wasm32-wasip2 --release`.

wit_bindgen::generate!({
    path: "../../wit",
    world: "rule-component",
    pub_export_macro: true,
    export_macro_name: "export_rule",
    default_bindings_module: "keyaudit_rule_sdk",
});

pub mod acm;
pub mod cloudformation;
pub mod cloudtrail;
pub mod config;
pub mod findings;
pub mod iam;
pub mod items;
pub mod kms;
pub mod names;
pub mod organizations;
pub mod params;
pub mod policy;
pub mod secrets;
pub mod ssm;
pub mod time;

pub use exports::keyaudit::rules::rule::Guest;
pub use findings::{account_finding, key_finding};
pub use items::{Item, Listed, Since, items, last_or_creation};
pub use keyaudit::rules::acm_certificate::AcmCertificate;
pub use keyaudit::rules::cloudformation_stack::CloudformationStack;
pub use keyaudit::rules::cloudtrail_key_activity::{CloudtrailKeyActivity, KeyEvent, KeyUseCount};
pub use keyaudit::rules::cloudtrail_trail::CloudtrailTrail;
pub use keyaudit::rules::config_conformance_pack::ConfigConformancePack;
pub use keyaudit::rules::config_recorder::ConfigRecorder;
pub use keyaudit::rules::config_rule::ConfigRule;
pub use keyaudit::rules::iam_policy::{IamPolicy, KmsStatement};
pub use keyaudit::rules::iam_server_certificate::IamServerCertificate;
pub use keyaudit::rules::kms_key::{
    KeyManager, KeyOrigin, KeySpec, KeyState, KeyUsage, KmsGrant, KmsKey, MultiRegionConfiguration, MultiRegionKeyType,
};
pub use keyaudit::rules::kms_key_usage::KeyLastUsage;
pub use keyaudit::rules::organization::{Organization, OrganizationRoot, PolicyTypeStatus};
pub use keyaudit::rules::secret::Secret;
pub use keyaudit::rules::service_control_policy::{PolicyTarget, ServiceControlPolicy};
pub use keyaudit::rules::ssm_parameter::SsmParameter;
pub use keyaudit::rules::types::{
    AccountScope, Finding, FrameworkMapping, KindRead, ParamValue, Parameter, ResourceRef, RuleMetadata, Severity,
    Status,
};
pub use kms::{Key, Unknown, kms_keys};
pub use names::AwsName;

/// What a rule reads of one kind: `reads(kms::KIND, &[kms::group::KEY_POLICY])`.
pub fn reads(kind: &str, fields: &[&str]) -> KindRead {
    KindRead { kind: kind.to_owned(), fields: fields.iter().map(|f| (*f).to_owned()).collect() }
}

/// A framework mapping, shorter to write.
pub fn maps_to(framework: &str, control: &str) -> FrameworkMapping {
    FrameworkMapping { framework: framework.to_owned(), control: control.to_owned() }
}

/// A parameter declaration, shorter to write.
pub fn parameter(name: &str, description: &str, default: ParamValue) -> Parameter {
    Parameter { name: name.to_owned(), description: description.to_owned(), default }
}

/// Frameworks named the same way by every built-in rule.
pub mod frameworks {
    pub const CIS: &str = "CIS AWS Foundations Benchmark";
    pub const SECURITY_HUB: &str = "AWS Security Hub FSBP";
    pub const FEDRAMP: &str = "FedRAMP 20x";
    pub const WELL_ARCHITECTED: &str = "AWS Well-Architected";
    pub const KMS_CHECKLIST: &str = "KMS monitoring checklist";
    pub const PROWLER: &str = "Prowler";
}
