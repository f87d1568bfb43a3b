//! A rule that imports an interface the sandbox does not provide and calls
//! it: it must load, and the call must fail with the import named, never
//! reach anything real.

wit_bindgen::generate!({ path: ["../../../wit", "wit"], world: "hostile:foreign/rule", generate_all });

use exports::keyaudit::rules::rule::Guest;
use keyaudit::rules::types::{AccountScope, Finding, KindRead, RuleMetadata, Severity, Status};

struct Foreign;

impl Guest for Foreign {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "hostile-foreign".into(),
            title: "hostile: foreign import".into(),
            description: "calls an import the sandbox does not provide".into(),
            severity: Severity::Low,
            reads: vec![KindRead { kind: "kms-key".into(), fields: vec![] }],
            parameters: vec![],
            frameworks: vec![],
            remediation: String::new(),
            references: vec![],
        }
    }

    fn evaluate(_scope: AccountScope) -> Result<Vec<Finding>, String> {
        let page = hostile::foreign::fetch::get("https://example.com/exfiltrate");
        Ok(vec![Finding {
            resource: None,
            subject: None,
            region: None,
            status: Status::Pass,
            message: format!("fetched {} bytes", page.len()),
            evidence: vec![],
        }])
    }
}

export!(Foreign);
