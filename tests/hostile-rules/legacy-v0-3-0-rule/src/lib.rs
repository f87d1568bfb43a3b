//! A rule built against contract 0.3.0 (a frozen copy of its WIT in `wit/`),
//! with no SDK: it imports `kms-key@0.3.0` and exports `rule@0.3.0`, and the
//! host, now at a later 0.3.x, must link it by semver-compatible names and
//! run it unchanged. It FAILs keys whose rotation is off.

wit_bindgen::generate!({ path: "wit", world: "rule-component" });

use exports::keyaudit::rules::rule::Guest;
use keyaudit::rules::kms_key;
use keyaudit::rules::types::{AccountScope, Finding, KindRead, ResourceRef, RuleMetadata, Severity, Status};

struct Rule030;

impl Guest for Rule030 {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "legacy-v0-3-0".into(),
            title: "A contract 0.3.0 rule".into(),
            description: "Rotation on, from 0.3.0's kms-key interface.".into(),
            severity: Severity::Low,
            reads: vec![KindRead { kind: "kms-key".into(), fields: vec!["arn".into()] }],
            parameters: vec![],
            frameworks: vec![],
            remediation: String::new(),
            references: vec![],
        }
    }

    fn evaluate(_scope: AccountScope) -> Result<Vec<Finding>, String> {
        Ok(kms_key::list()
            .iter()
            .zip(0u32..)
            .filter(|(key, _)| key.rotation_enabled.is_some())
            .map(|(key, index)| Finding {
                resource: Some(ResourceRef { kind: "kms-key".into(), index }),
                subject: None,
                region: None,
                status: if key.rotation_enabled == Some(true) { Status::Pass } else { Status::Fail },
                message: "rotation, as 0.3.0 sees it".into(),
                evidence: vec![("arn".into(), key.key_arn.is_some().to_string())],
            })
            .collect())
    }
}

export!(Rule030);
