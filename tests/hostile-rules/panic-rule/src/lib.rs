//! A hostile rule: panics

use keyaudit_rule_sdk::*;

struct Hostile;

impl Guest for Hostile {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "hostile-panic".into(),
            title: "hostile: panic".into(),
            description: "panics".into(),
            severity: Severity::Low,
            resource_kinds: vec!["kms-key".into()],
            parameters: vec![],
            frameworks: vec![],
            remediation: String::new(),
            references: vec![],
        }
    }

    #[allow(unreachable_code, unused_variables)]
    fn evaluate(scope: AccountScope, resources: Vec<Resource>) -> Result<Vec<Finding>, String> {
        panic!("boom from a hostile rule")
    }
}

export_rule!(Hostile);
