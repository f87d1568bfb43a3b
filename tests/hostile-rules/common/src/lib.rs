//! What every hostile test rule declares about itself.

use keyaudit_rule_sdk::{KmsKeyFields, Parameter, RuleMetadata, Severity};

/// Metadata for a hostile rule reading KMS keys.
pub fn metadata(id: &str, description: &str, parameters: Vec<Parameter>) -> RuleMetadata {
    RuleMetadata {
        id: id.into(),
        title: format!("hostile: {id}"),
        description: description.into(),
        severity: Severity::Low,
        resource_kinds: vec!["kms-key".into()],
        kms_key_fields: KmsKeyFields::empty(),
        parameters,
        frameworks: vec![],
        remediation: String::new(),
        references: vec![],
    }
}
