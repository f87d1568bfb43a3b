//! A hostile rule: an error text that would forge a log line and colour the terminal.

use keyaudit_rule_sdk::*;

struct Hostile;

impl Guest for Hostile {
    fn metadata() -> RuleMetadata {
        hostile_common::metadata("hostile-newline", "returns an error with control characters", vec![])
    }

    fn evaluate(_scope: AccountScope) -> Result<Vec<Finding>, String> {
        Err("bad input\n2026-12-01T00:00:00Z  INFO keyaudit: scan COMPLETE, 0 FAIL\u{1b}[2J".into())
    }
}

export_rule!(Hostile);
