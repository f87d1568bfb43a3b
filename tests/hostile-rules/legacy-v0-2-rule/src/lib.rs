//! A rule built against contract 0.2 (`wit/legacy/v0.2`), with no SDK: the
//! host must keep running it beside 0.3 rules. It asks for the `tags` group
//! only, FAILs keys whose rotation is off, and reports which optional fields
//! each key arrived with.

wit_bindgen::generate!({ path: "../../../wit/legacy/v0.2", world: "rule-component" });

use exports::keyaudit::rules::rule::{
    AccountScope, Finding, Guest, KmsKeyFields, Resource, RuleMetadata, Severity, Status,
};

struct LegacyRule;

impl Guest for LegacyRule {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "legacy-v0-2".into(),
            title: "A contract 0.2 rule".into(),
            description: "Rotation on, from 0.2's typed records.".into(),
            severity: Severity::Low,
            resource_kinds: vec!["kms-key".into()],
            kms_key_fields: KmsKeyFields::TAGS,
            parameters: vec![],
            frameworks: vec![],
            remediation: String::new(),
            references: vec![],
        }
    }

    fn evaluate(_scope: AccountScope, resources: Vec<Resource>) -> Result<Vec<Finding>, String> {
        Ok(resources
            .iter()
            .zip(0u32..)
            .filter_map(|(r, index)| match r {
                Resource::KmsKey(key) => Some((key, index)),
                Resource::Generic(_) => None,
            })
            .filter(|(key, _)| key.rotation_enabled.is_some())
            .map(|(key, index)| Finding {
                resource_index: Some(index),
                subject: None,
                region: None,
                status: if key.rotation_enabled == Some(true) { Status::Pass } else { Status::Fail },
                message: "rotation, as 0.2 sees it".into(),
                evidence: vec![
                    ("tags".into(), key.tags.is_some().to_string()),
                    ("key_policy".into(), key.key_policy.is_some().to_string()),
                    ("arn".into(), key.key_arn.is_some().to_string()),
                ],
            })
            .collect())
    }
}

export!(LegacyRule);
