//! A hostile rule: declares an invalid id

use keyaudit_rule_sdk::*;

struct Hostile;

impl Guest for Hostile {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "Not A Valid Id!".into(),
            title: "hostile: badmeta".into(),
            description: "declares an invalid id".into(),
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
        Ok(vec![])
    }
}

export_rule!(Hostile);
