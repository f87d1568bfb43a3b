//! secret-rotated-recently: secrets were rotated within `max_days` days.

use keyaudit_rule_sdk::frameworks::*;
use keyaudit_rule_sdk::*;

struct RotatedRecently;

impl Guest for RotatedRecently {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "secret-rotated-recently".into(),
            title: "Secrets Manager secrets were rotated recently".into(),
            description: "Every secret was rotated within max_days days; a secret never rotated counts from its \
                          creation."
                .into(),
            severity: Severity::Medium,
            reads: vec![reads(secrets::KIND, &[])],
            parameters: vec![parameter("max_days", "Most days since the last rotation", ParamValue::Integer(90))],
            frameworks: vec![maps_to(SECURITY_HUB, "SecretsManager.4"), maps_to(FEDRAMP, "KSI-SVC-06")],
            remediation: "aws secretsmanager rotate-secret --secret-id <arn>, and turn on automatic rotation.".into(),
            references: vec![
                "https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets.html".into(),
            ],
        }
    }

    fn evaluate(scope: AccountScope) -> Result<Vec<Finding>, String> {
        let all = secrets::list();
        let max_days = scope.integer("max_days")?;
        Ok(items(&all)
            .map(|s| {
                let since = last_or_creation(s.last_rotated, "rotated", s.created, "created (never rotated)");
                s.within_days(
                    since,
                    scope.evaluated_at,
                    max_days,
                    "neither the last rotation nor the creation date is known",
                )
            })
            .collect())
    }
}

export_rule!(RotatedRecently);
