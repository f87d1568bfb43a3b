//! kms-rotation-period: keys that rotate do so at least every `max_days`.

use keyaudit_rule_sdk::frameworks::*;
use keyaudit_rule_sdk::*;

/// AWS's rotation period when none is reported (the only period before custom periods existed).
const AWS_DEFAULT_PERIOD_DAYS: i64 = 365;

struct RotationPeriod;

impl Guest for RotationPeriod {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "kms-rotation-period".into(),
            title: "KMS key rotation period is short enough".into(),
            description: "Keys with automatic rotation rotate at least every max_days days. Applies to the keys \
                          kms-rotation-enabled evaluates, when rotation is on."
                .into(),
            severity: Severity::Low,
            reads: vec![reads(kms::KIND, &[])],
            parameters: vec![parameter(
                "max_days",
                "Longest allowed rotation period, in days",
                ParamValue::Integer(365),
            )],
            frameworks: vec![maps_to(WELL_ARCHITECTED, "SEC08-BP01")],
            remediation: "aws kms enable-key-rotation --key-id <key-id> --rotation-period-in-days <days>".into(),
            references: vec!["https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html".into()],
        }
    }

    fn evaluate(scope: AccountScope) -> Result<Vec<Finding>, String> {
        let resources = kms::list();
        let max_days = scope.integer("max_days")?;
        Ok(kms_keys(&resources)
            .filter(|key| key.rotation_applies() && key.rotation_enabled == Some(true))
            .map(|key| {
                let (period, reported) = match key.rotation_period_days {
                    Some(days) => (i64::from(days), "reported"),
                    None => (AWS_DEFAULT_PERIOD_DAYS, "not reported; AWS default assumed"),
                };
                let evidence = vec![
                    ("rotation_period_days", period.to_string()),
                    ("period_source", reported.to_owned()),
                    ("max_days", max_days.to_string()),
                ];
                if period <= max_days {
                    key_finding(key, Status::Pass, format!("rotates every {period} days"), evidence)
                } else {
                    key_finding(
                        key,
                        Status::Fail,
                        format!("rotates every {period} days, more than {max_days}"),
                        evidence,
                    )
                }
            })
            .collect())
    }
}

export_rule!(RotationPeriod);
