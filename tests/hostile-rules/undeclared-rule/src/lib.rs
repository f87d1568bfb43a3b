//! Reads ACM certificates without declaring them in its metadata (it
//! declares only KMS keys): the host must refuse to load it, since the data
//! it would judge is outside what the host checks for gaps.

use keyaudit_rule_sdk::*;

struct Hostile;

impl Guest for Hostile {
    fn metadata() -> RuleMetadata {
        hostile_common::metadata("hostile-undeclared", "lists certificates it did not declare", vec![])
    }

    fn evaluate(_scope: AccountScope) -> Result<Vec<Finding>, String> {
        let certificates = acm::list();
        Ok(vec![account_finding(None, Status::Pass, format!("{} certificates", certificates.len()), vec![])])
    }
}

export_rule!(Hostile);
