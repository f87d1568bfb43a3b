//! config-key-rules-present: in every scanned region, AWS Config records
//! and runs the managed rules that watch key management (seed 000, step 8).

use keyaudit_rule_sdk::config::{self, KEY_MANAGEMENT_RULES, recording_in};
use keyaudit_rule_sdk::frameworks::*;
use keyaudit_rule_sdk::*;

struct KeyRulesPresent;

impl Guest for KeyRulesPresent {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "config-key-rules-present".into(),
            title: "AWS Config watches key management in every region".into(),
            description: "In each scanned region a configuration recorder is recording and the AWS Config \
                          managed rules for key management are active (by default \
                          CMK_BACKING_KEY_ROTATION_ENABLED, KMS_CMK_NOT_SCHEDULED_FOR_DELETION, \
                          ACM_CERTIFICATE_EXPIRATION_CHECK and SECRETSMANAGER_ROTATION_ENABLED_CHECK, \
                          whether deployed alone or by a conformance pack)."
                .into(),
            severity: Severity::Medium,
            reads: vec![reads(config::RULE, &[]), reads(config::RECORDER, &[])],
            parameters: vec![parameter(
                "required_rules",
                "Source identifiers of the managed Config rules every region needs",
                ParamValue::TextList(KEY_MANAGEMENT_RULES.iter().map(|r| (*r).to_owned()).collect()),
            )],
            frameworks: vec![maps_to(FEDRAMP, "KSI-SVC-06"), maps_to(WELL_ARCHITECTED, "SEC08-BP01")],
            remediation: "Start a configuration recorder in the region (aws configservice \
                          start-configuration-recorder) and deploy the managed rules, for example with the \
                          Operational Best Practices conformance pack or aws configservice put-config-rule \
                          --config-rule '{\"Source\":{\"Owner\":\"AWS\",\"SourceIdentifier\":\
                          \"CMK_BACKING_KEY_ROTATION_ENABLED\"}}'."
                .into(),
            references: vec![
                "https://docs.aws.amazon.com/config/latest/developerguide/managed-rules-by-aws-config.html".into(),
                "https://docs.aws.amazon.com/config/latest/developerguide/cmk-backing-key-rotation-enabled.html".into(),
            ],
        }
    }

    fn evaluate(scope: AccountScope) -> Result<Vec<Finding>, String> {
        let required = scope.text_list("required_rules")?.to_vec();
        let rules = config::rules();
        let recorders = config::recorders();
        let mut findings = Vec::new();
        for region in &scope.regions {
            let finding = |status, message: String, evidence: Vec<(&str, String)>| {
                let mut finding = account_finding(Some(&format!("region:{region}")), status, message, evidence);
                finding.region = Some(region.clone());
                finding
            };
            if !scope.listed(config::RULE, region) || !scope.listed(config::RECORDER, region) {
                findings.push(finding(
                    Status::Error,
                    format!("the Config rules or recorders of {region} could not be listed"),
                    vec![],
                ));
                continue;
            }
            let here: Vec<&ConfigRule> = rules.iter().filter(|r| &r.region == region).collect();
            if here.iter().any(|r| r.is_active().is_none()) {
                findings.push(finding(Status::Error, format!("a Config rule's state in {region} is unknown"), vec![]));
                continue;
            }
            let active: Vec<&str> = here
                .iter()
                .filter(|r| r.is_active() == Some(true))
                .filter_map(|r| r.source_identifier.as_deref())
                .collect();
            let missing: Vec<&str> = required.iter().map(String::as_str).filter(|id| !active.contains(id)).collect();
            let present = required.len() - missing.len();
            let evidence = vec![("missing", missing.join(",")), ("present", format!("{present}/{}", required.len()))];
            findings.push(match (recording_in(&recorders, region), missing.is_empty()) {
                (None, _) => finding(Status::Error, format!("whether Config records in {region} is unknown"), vec![]),
                (Some(false), _) => finding(
                    Status::Fail,
                    format!("no configuration recorder is recording in {region}: Config rules evaluate nothing"),
                    evidence,
                ),
                (Some(true), true) => finding(
                    Status::Pass,
                    format!("recording, with the {present} key-management rules active"),
                    evidence,
                ),
                (Some(true), false) => finding(
                    Status::Fail,
                    format!("key-management Config rules missing in {region}: {}", missing.join(", ")),
                    evidence,
                ),
            });
        }
        Ok(findings)
    }
}

export_rule!(KeyRulesPresent);
