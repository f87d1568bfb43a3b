//! A hostile rule: a 16 MiB title, which would be copied into every finding row.

use keyaudit_rule_sdk::*;

struct Hostile;

impl Guest for Hostile {
    fn metadata() -> RuleMetadata {
        let mut meta = hostile_common::metadata("hostile-bigmeta", "has an enormous title", vec![]);
        meta.title = "T".repeat(16 << 20);
        meta
    }

    fn evaluate(_scope: AccountScope) -> Result<Vec<Finding>, String> {
        Ok(vec![])
    }
}

export_rule!(Hostile);
