//! secret-unused: secrets were used within `max_days` days.

use keyaudit_rule_sdk::frameworks::*;
use keyaudit_rule_sdk::*;

struct Unused;

impl Guest for Unused {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "secret-unused".into(),
            title: "Secrets Manager secrets are in use".into(),
            description: "Every secret was last read within max_days days; a secret never read counts from its \
                          creation."
                .into(),
            severity: Severity::Medium,
            reads: vec![reads(secrets::KIND, &[])],
            parameters: vec![parameter(
                "max_days",
                "Most days since the secret was last read",
                ParamValue::Integer(90),
            )],
            frameworks: vec![maps_to(SECURITY_HUB, "SecretsManager.3")],
            remediation: "Confirm nothing needs it, then aws secretsmanager delete-secret --secret-id <arn> \
                          --recovery-window-in-days 30."
                .into(),
            references: vec![
                "https://docs.aws.amazon.com/secretsmanager/latest/userguide/manage_delete-secret.html".into(),
            ],
        }
    }

    fn evaluate(scope: AccountScope) -> Result<Vec<Finding>, String> {
        let all = secrets::list();
        let max_days = scope.integer("max_days")?;
        Ok(items(&all)
            .map(|s| {
                let since = last_or_creation(s.last_accessed, "last read", s.created, "never read; created");
                s.within_days(
                    since,
                    scope.evaluated_at,
                    max_days,
                    "neither the last access nor the creation date is known",
                )
            })
            .collect())
    }
}

export_rule!(Unused);
