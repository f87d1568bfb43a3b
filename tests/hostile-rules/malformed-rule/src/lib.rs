//! A hostile rule: names a resource it was not given

use keyaudit_rule_sdk::*;

struct Hostile;

impl Guest for Hostile {
    fn metadata() -> RuleMetadata {
        hostile_common::metadata("hostile-malformed", "names a resource it was not given", vec![])
    }

    #[allow(unreachable_code, unused_variables)]
    fn evaluate(scope: AccountScope) -> Result<Vec<Finding>, String> {
        let resources = kms::list();
        Ok(vec![Finding {
            // It is given one key (index 0); index 7 does not exist.
            resource: Some(ResourceRef { kind: "kms-key".into(), index: 7 }),
            subject: None,
            region: Some("us-east-1".into()),
            status: Status::Fail,
            message: "made up".into(),
            evidence: vec![],
        }])
    }
}

export_rule!(Hostile);
