//! A hostile rule: returns more findings than allowed

use keyaudit_rule_sdk::*;

struct Hostile;

impl Guest for Hostile {
    fn metadata() -> RuleMetadata {
        hostile_common::metadata("hostile-huge", "returns more findings than allowed", vec![])
    }

    #[allow(unreachable_code, unused_variables)]
    fn evaluate(scope: AccountScope) -> Result<Vec<Finding>, String> {
        let resources = kms::list();
        Ok((0..5000).map(|i| account_finding(Some(&format!("s{i}")), Status::Info, "spam", vec![])).collect())
    }
}

export_rule!(Hostile);
