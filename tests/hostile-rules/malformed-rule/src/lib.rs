//! A hostile rule: names a resource it was not given (in account
//! 222222222222, by a kind it does not read, with a control character)

use keyaudit_rule_sdk::*;

struct Hostile;

impl Guest for Hostile {
    fn metadata() -> RuleMetadata {
        hostile_common::metadata("hostile-malformed", "names a resource it was not given", vec![])
    }

    #[allow(unreachable_code, unused_variables)]
    fn evaluate(scope: AccountScope) -> Result<Vec<Finding>, String> {
        let resources = kms::list();
        // It is given one key (index 0); index 7 does not exist.
        let resource = if scope.account_id == "222222222222" {
            ResourceRef { kind: "acm-certificate\u{1b}[2J".into(), index: 0 }
        } else {
            ResourceRef { kind: "kms-key".into(), index: 7 }
        };
        Ok(vec![Finding {
            resource: Some(resource),
            subject: None,
            region: Some("us-east-1".into()),
            status: Status::Fail,
            message: "made up".into(),
            evidence: vec![],
        }])
    }
}

export_rule!(Hostile);
