//! A careless rule, as a user might write one: it reads grants, aliases and
//! tags without asking whether they could be read, and passes everything.
//! The host must not let its verdicts on unread data stand.

use keyaudit_rule_sdk::*;

struct Naive;

impl Guest for Naive {
    fn metadata() -> RuleMetadata {
        let mut meta = hostile_common::metadata("hostile-naive", "passes keys without checking for unknowns", vec![]);
        meta.reads = vec![reads(kms::KIND, &[kms::group::GRANTS, kms::group::ALIASES, kms::group::TAGS])];
        meta
    }

    fn evaluate(_scope: AccountScope) -> Result<Vec<Finding>, String> {
        let resources = kms::list();
        let mut findings: Vec<Finding> = kms_keys(&resources)
            .map(|key| {
                let grants = key.grants.as_deref().unwrap_or_default().len();
                key_finding(key, Status::Pass, format!("{grants} grants, all fine"), vec![])
            })
            .collect();
        findings.push(account_finding(None, Status::Pass, "every key is fine", vec![]));
        Ok(findings)
    }
}

export_rule!(Naive);
