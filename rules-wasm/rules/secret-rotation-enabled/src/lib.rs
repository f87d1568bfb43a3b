//! secret-rotation-enabled: secrets rotate automatically.

use keyaudit_rule_sdk::frameworks::*;
use keyaudit_rule_sdk::*;

struct RotationEnabled;

impl Guest for RotationEnabled {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "secret-rotation-enabled".into(),
            title: "Secrets Manager secrets rotate automatically".into(),
            description: "Every secret has automatic rotation turned on.".into(),
            severity: Severity::Medium,
            reads: vec![reads(secrets::KIND, &[])],
            parameters: vec![],
            frameworks: vec![maps_to(SECURITY_HUB, "SecretsManager.1"), maps_to(FEDRAMP, "KSI-SVC-06")],
            remediation: "aws secretsmanager rotate-secret --secret-id <arn> --rotation-lambda-arn <function> \
                          --rotation-rules AutomaticallyAfterDays=30 (or use managed rotation)."
                .into(),
            references: vec![
                "https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets.html".into(),
            ],
        }
    }

    fn evaluate(_scope: AccountScope) -> Result<Vec<Finding>, String> {
        let all = secrets::list();
        Ok(items(&all)
            .map(|s| {
                let evidence = vec![("rotation_enabled", s.rotation_enabled.to_string())];
                if s.rotation_enabled {
                    s.pass("automatic rotation is on", evidence)
                } else {
                    s.fail("automatic rotation is off", evidence)
                }
            })
            .collect())
    }
}

export_rule!(RotationEnabled);
