//! A hostile rule: exits the "process" with status 1.

use keyaudit_rule_sdk::*;

struct Hostile;

impl Guest for Hostile {
    fn metadata() -> RuleMetadata {
        hostile_common::metadata("hostile-exit", "calls exit(1)", vec![])
    }

    #[allow(unreachable_code)]
    fn evaluate(_scope: AccountScope) -> Result<Vec<Finding>, String> {
        std::process::exit(1);
    }
}

export_rule!(Hostile);
