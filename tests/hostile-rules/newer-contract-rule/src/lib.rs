//! A rule built against a later 0.3.x than the host's (a copy of the WIT
//! with its version raised to 0.3.9): the host refuses it at load, naming
//! both versions, rather than failing to link an interface it lacks.

wit_bindgen::generate!({ path: "wit", world: "rule-component" });

use exports::keyaudit::rules::rule::Guest;
use keyaudit::rules::types::{AccountScope, Finding, RuleMetadata, Severity};

struct Newer;

impl Guest for Newer {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "newer-contract".into(),
            title: "A rule from the future".into(),
            description: "Built against contract 0.3.9.".into(),
            severity: Severity::Low,
            reads: vec![],
            parameters: vec![],
            frameworks: vec![],
            remediation: String::new(),
            references: vec![],
        }
    }

    fn evaluate(_scope: AccountScope) -> Result<Vec<Finding>, String> {
        Ok(vec![])
    }
}

export!(Newer);
