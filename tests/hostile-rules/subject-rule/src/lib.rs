//! A hostile rule: a finding whose subject is 1 MiB long.

use keyaudit_rule_sdk::*;

struct Hostile;

impl Guest for Hostile {
    fn metadata() -> RuleMetadata {
        hostile_common::metadata("hostile-subject", "returns an enormous subject", vec![])
    }

    fn evaluate(_scope: AccountScope) -> Result<Vec<Finding>, String> {
        let subject = "s".repeat(1 << 20);
        Ok(vec![account_finding(Some(&subject), Status::Pass, "fine", vec![])])
    }
}

export_rule!(Hostile);
