//! secret-rotation-succeeding: rotating secrets are not overdue.

use keyaudit_rule_sdk::frameworks::*;
use keyaudit_rule_sdk::time::{DAY_MS, iso_date};
use keyaudit_rule_sdk::*;

struct RotationSucceeding;

impl Guest for RotationSucceeding {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "secret-rotation-succeeding".into(),
            title: "Secrets Manager rotation is succeeding".into(),
            description: "Every secret with automatic rotation was rotated on schedule: its next rotation date \
                          (or last rotation plus its interval) is not in the past."
                .into(),
            severity: Severity::Medium,
            reads: vec![reads(secrets::KIND, &[])],
            parameters: vec![],
            frameworks: vec![maps_to(SECURITY_HUB, "SecretsManager.2"), maps_to(FEDRAMP, "KSI-SVC-06")],
            remediation: "Check the rotation function's CloudWatch logs, fix it, then \
                          aws secretsmanager rotate-secret --secret-id <arn>."
                .into(),
            references: vec![
                "https://docs.aws.amazon.com/secretsmanager/latest/userguide/troubleshoot_rotation.html".into(),
            ],
        }
    }

    fn evaluate(scope: AccountScope) -> Result<Vec<Finding>, String> {
        let all = secrets::list();
        Ok(items(&all)
            .filter(|s| s.rotation_enabled)
            .map(|s| {
                let due = s.next_rotation.or_else(|| {
                    let every = s.rotation_every_days?;
                    Some(s.last_rotated.or(s.created)? + every * DAY_MS)
                });
                let Some(due) = due else {
                    return s.error("when the next rotation is due is unknown");
                };
                let evidence = vec![("next_rotation", iso_date(due))];
                if due < scope.evaluated_at {
                    s.fail(format!("rotation was due on {} and has not happened", iso_date(due)), evidence)
                } else {
                    s.pass(format!("next rotation on {}", iso_date(due)), evidence)
                }
            })
            .collect())
    }
}

export_rule!(RotationSucceeding);
