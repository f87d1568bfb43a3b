//! A rule built against contract 0.1 (`wit/legacy/v0.1`), with no SDK: the
//! host must keep running it beside 0.2 rules. It FAILs keys whose rotation
//! is off and reports, per account, what the 0.1 scope carried.

wit_bindgen::generate!({ path: "../../../wit/legacy/v0.1", world: "rule-component" });

use exports::keyaudit::rules::rule::{AccountScope, Finding, Guest, Resource, RuleMetadata, Severity, Status};

struct LegacyRule;

impl Guest for LegacyRule {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "legacy-v0-1".into(),
            title: "A contract 0.1 rule".into(),
            description: "Rotation on, judged from 0.1's string fields.".into(),
            severity: Severity::Low,
            resource_kinds: vec!["kms-key".into()],
            parameters: vec![],
            frameworks: vec![],
            remediation: String::new(),
            references: vec![],
        }
    }

    fn evaluate(scope: AccountScope, resources: Vec<Resource>) -> Result<Vec<Finding>, String> {
        let mut findings: Vec<Finding> = resources
            .iter()
            .filter_map(|r| match r {
                Resource::KmsKey(key) => Some(key),
                Resource::Generic(_) => None,
            })
            .map(|key| Finding {
                resource_id: Some(key.key_arn.clone()),
                subject: None,
                region: Some(key.region.clone()),
                status: if key.rotation_enabled == Some(true) { Status::Pass } else { Status::Fail },
                message: format!("{} key, state {}", key.key_manager.as_deref().unwrap_or("?"), key.state()),
                evidence: vec![("tags".into(), key.tags.len().to_string())],
            })
            .collect();
        findings.push(Finding {
            resource_id: None,
            subject: Some("scope".into()),
            region: None,
            status: Status::Info,
            message: format!("{} organisation accounts", scope.org_account_ids.len()),
            evidence: vec![],
        });
        Ok(findings)
    }
}

impl exports::keyaudit::rules::rule::KmsKey {
    fn state(&self) -> &str {
        self.key_state.as_deref().unwrap_or("?")
    }
}

export!(LegacyRule);
