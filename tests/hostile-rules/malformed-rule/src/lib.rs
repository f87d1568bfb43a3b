//! A hostile rule: names a resource it was not given

use keyaudit_rule_sdk::*;

struct Hostile;

impl Guest for Hostile {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "hostile-malformed".into(),
            title: "hostile: malformed".into(),
            description: "names a resource it was not given".into(),
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
        Ok(vec![Finding {
            resource_id: Some("arn:aws:kms:us-east-1:111111111111:key/never-given".into()),
            subject: None,
            region: Some("us-east-1".into()),
            status: Status::Fail,
            message: "made up".into(),
            evidence: vec![],
        }])
    }
}

export_rule!(Hostile);
