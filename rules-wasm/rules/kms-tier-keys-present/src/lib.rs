//! kms-tier-keys-present: one customer-managed key per application tier.

use keyaudit_rule_sdk::frameworks::*;
use keyaudit_rule_sdk::*;

struct TierKeysPresent;

impl Guest for TierKeysPresent {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "kms-tier-keys-present".into(),
            title: "Each application tier has its own KMS key".into(),
            description: "For every tier there is an Enabled customer-managed key, recognised by the tier tag \
                          (tag_key = tier) or by an alias containing the tier's pattern (tiers and \
                          alias_patterns are paired by position)."
                .into(),
            severity: Severity::Low,
            reads: vec![reads(kms::KIND, &[kms::group::TAGS, kms::group::ALIASES, kms::group::ARN])],
            parameters: vec![
                parameter("tag_key", "Tag naming a key's tier", ParamValue::Text("tier".into())),
                parameter(
                    "tiers",
                    "Tiers that need a key",
                    ParamValue::TextList(vec!["web".into(), "app".into(), "database".into()]),
                ),
                parameter(
                    "alias_patterns",
                    "Alias fragment recognising each tier's key, in the order of tiers",
                    ParamValue::TextList(vec!["-web-".into(), "-app-".into(), "-db-".into()]),
                ),
            ],
            frameworks: vec![maps_to(KMS_CHECKLIST, "Tier keys (web, app, database)")],
            remediation: "Create a customer-managed key per tier with rotation on and tag it tier=<tier> \
                          (examples/deploy has a template)."
                .into(),
            references: vec!["https://docs.aws.amazon.com/kms/latest/developerguide/create-keys.html".into()],
        }
    }

    fn evaluate(scope: AccountScope) -> Result<Vec<Finding>, String> {
        let resources = kms::list();
        let tag_key = scope.text("tag_key")?;
        let tiers = scope.text_list("tiers")?;
        let patterns = scope.text_list("alias_patterns")?;
        let candidates: Vec<Key> = kms_keys(&resources).filter(|k| k.is_customer_managed() && k.is_enabled()).collect();
        // Keys that might be a tier's key, but whose data could not be read.
        let unknown = kms_keys(&resources).filter(|k| !k.is_described()).count()
            + candidates.iter().filter(|k| k.tags().is_err() || k.aliases().is_err()).count();
        let unlisted = scope.kms_regions_unlisted();
        Ok(tiers
            .iter()
            .enumerate()
            .map(|(i, tier)| {
                let pattern = patterns.get(i).map(String::as_str);
                let found = candidates.iter().find(|key| {
                    key.tag(tag_key).is_ok_and(|v| v.is_some_and(|v| v.eq_ignore_ascii_case(tier)))
                        || pattern.is_some_and(|p| key.aliases().is_ok_and(|names| names.iter().any(|a| a.contains(p))))
                });
                let subject = format!("tier:{tier}");
                match found {
                    Some(key) => account_finding(
                        Some(&subject),
                        Status::Pass,
                        format!("the {tier} tier has a key: {}", key.key_id()),
                        vec![("tier", tier.clone()), ("key_arn", key.arn().to_owned())],
                    ),
                    None if unknown > 0 || !unlisted.is_empty() => account_finding(
                        Some(&subject),
                        Status::Error,
                        format!(
                            "cannot tell whether the {tier} tier has a key: {unknown} keys could not be read \
                             and keys in [{}] could not be listed",
                            unlisted.join(", ")
                        ),
                        vec![("tier", tier.clone())],
                    ),
                    None => account_finding(
                        Some(&subject),
                        Status::Fail,
                        format!("no enabled customer-managed key for the {tier} tier"),
                        vec![("tier", tier.clone())],
                    ),
                }
            })
            .collect())
    }
}

export_rule!(TierKeysPresent);
