//! Asks for the `tags` group only, and reports which optional KMS key fields
//! arrived and what the host says about organisation membership.

use keyaudit_rule_sdk::*;

struct FieldsProbe;

impl Guest for FieldsProbe {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "fields-probe".into(),
            title: "Which KMS key fields arrive".into(),
            description: "Reports the optional fields it was given.".into(),
            severity: Severity::Informational,
            reads: vec![reads(kms::KIND, &[kms::group::TAGS])],
            parameters: vec![],
            frameworks: vec![],
            remediation: String::new(),
            references: vec![],
        }
    }

    fn evaluate(scope: AccountScope) -> Result<Vec<Finding>, String> {
        let resources = kms::list();
        let mut findings: Vec<Finding> = kms_keys(&resources)
            .map(|key| {
                let present = |name: &'static str, here: bool| (name, here.to_string());
                key_finding(
                    key,
                    Status::Info,
                    "probed",
                    vec![
                        present("arn", key.key_arn.is_some()),
                        present("aliases", key.aliases.is_some()),
                        present("description", key.description.is_some()),
                        present("key_policy", key.key_policy.is_some()),
                        present("grants", key.grants.is_some()),
                        present("tags", key.tags.is_some()),
                        present("multi_region_configuration", key.multi_region_configuration.is_some()),
                    ],
                )
            })
            .collect();
        let member = |id: &str| scope.in_organisation(id).to_string();
        findings.push(account_finding(
            Some("organisation"),
            Status::Info,
            "membership",
            vec![("self", member(&scope.account_id)), ("stranger", member("999999999999"))],
        ));
        Ok(findings)
    }
}

export_rule!(FieldsProbe);
