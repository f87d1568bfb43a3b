//! A hostile rule: as many findings as it may return, each as large as it
//! may be, in every account; the host must not hold them all at once.

use keyaudit_rule_sdk::*;

struct Hostile;

impl Guest for Hostile {
    fn metadata() -> RuleMetadata {
        hostile_common::metadata(
            "hostile-flood",
            "returns a flood of large findings",
            vec![parameter("count", "findings per account", ParamValue::Integer(5000))],
        )
    }

    fn evaluate(scope: AccountScope) -> Result<Vec<Finding>, String> {
        let count = scope.integer("count")?;
        let message = "m".repeat(4000);
        Ok((0..count)
            .map(|n| account_finding(Some(&format!("flood:{n}")), Status::Info, message.clone(), vec![]))
            .collect())
    }
}

export_rule!(Hostile);
