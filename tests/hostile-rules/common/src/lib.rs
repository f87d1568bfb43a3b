//! What every hostile test rule declares about itself.

use keyaudit_rule_sdk::{Parameter, RuleMetadata, Severity, kms, reads};

/// Metadata for a hostile rule reading KMS keys.
pub fn metadata(id: &str, description: &str, parameters: Vec<Parameter>) -> RuleMetadata {
    RuleMetadata {
        id: id.into(),
        title: format!("hostile: {id}"),
        description: description.into(),
        severity: Severity::Low,
        reads: vec![reads(kms::KIND, &[])],
        parameters,
        frameworks: vec![],
        remediation: String::new(),
        references: vec![],
    }
}
