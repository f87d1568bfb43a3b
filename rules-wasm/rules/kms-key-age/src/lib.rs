//! kms-key-age: symmetric key material is younger than `max_days`.

use keyaudit_rule_sdk::frameworks::*;
use keyaudit_rule_sdk::time::{days_between, iso_date};
use keyaudit_rule_sdk::*;

struct KeyAge;

impl Guest for KeyAge {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "kms-key-age".into(),
            title: "KMS key material is not too old".into(),
            description: "The current key material of enabled customer-managed symmetric keys (created, or last \
                          rotated) is at most max_days days old."
                .into(),
            severity: Severity::Low,
            reads: vec![reads(kms::KIND, &[])],
            parameters: vec![parameter("max_days", "Oldest allowed key material, in days", ParamValue::Integer(365))],
            frameworks: vec![maps_to(WELL_ARCHITECTED, "SEC08-BP01")],
            remediation: "Turn on automatic rotation (aws kms enable-key-rotation) or rotate now \
                          (aws kms rotate-key-on-demand)."
                .into(),
            references: vec![
                "https://docs.aws.amazon.com/kms/latest/developerguide/rotating-keys-on-demand.html".into(),
            ],
        }
    }

    fn evaluate(scope: AccountScope) -> Result<Vec<Finding>, String> {
        let resources = kms::list();
        let max_days = scope.integer("max_days")?;
        Ok(kms_keys(&resources)
            .filter(|key| key.is_customer_managed() && key.is_symmetric() && key.is_enabled())
            .map(|key| {
                let material_date = match (key.creation_date, key.last_rotation_date) {
                    (Some(created), Some(rotated)) => created.max(rotated),
                    (Some(created), None) => created,
                    (None, Some(rotated)) => rotated,
                    (None, None) => {
                        return key_finding(key, Status::Error, "the key's creation date is unknown", vec![]);
                    }
                };
                let age = days_between(material_date, scope.evaluated_at);
                let evidence = vec![("material_date", iso_date(material_date)), ("age_days", age.to_string())];
                if age > max_days {
                    key_finding(
                        key,
                        Status::Fail,
                        format!("key material is {age} days old, more than {max_days}"),
                        evidence,
                    )
                } else {
                    key_finding(key, Status::Pass, format!("key material is {age} days old"), evidence)
                }
            })
            .collect())
    }
}

export_rule!(KeyAge);
