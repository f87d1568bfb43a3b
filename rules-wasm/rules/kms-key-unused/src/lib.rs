//! kms-key-unused: customer-managed keys are in use.

use keyaudit_rule_sdk::frameworks::*;
use keyaudit_rule_sdk::time::{days_between, iso_date};
use keyaudit_rule_sdk::*;

struct KeyUnused;

impl Guest for KeyUnused {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "kms-key-unused".into(),
            title: "KMS keys are in use".into(),
            description: "Disabled customer-managed keys, and keys with no successful cryptographic use in \
                          max_idle_days (KMS GetKeyLastUsage), cost money and widen the attack surface. A key \
                          not used since KMS began tracking it fails only when tracking covers max_idle_days; \
                          a shorter history is INFO (usage unknown that far back), and unread usage is ERROR, \
                          never 'unused'."
                .into(),
            severity: Severity::Low,
            reads: vec![reads(kms::KIND, &[kms::group::LAST_USAGE])],
            parameters: vec![parameter(
                "max_idle_days",
                "Days without use after which a key counts as unused",
                ParamValue::Integer(90),
            )],
            frameworks: vec![maps_to(KMS_CHECKLIST, "Unused keys"), maps_to(WELL_ARCHITECTED, "SEC08-BP01")],
            remediation: "Confirm the key protects no data still needed, then aws kms schedule-key-deletion \
                          --key-id <key-id> --pending-window-in-days 30; or re-enable it if it is needed."
                .into(),
            references: vec![
                "https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys-determining-usage.html".into(),
                "https://docs.aws.amazon.com/kms/latest/APIReference/API_GetKeyLastUsage.html".into(),
            ],
        }
    }

    fn evaluate(scope: AccountScope) -> Result<Vec<Finding>, String> {
        let resources = kms::list();
        let usage = kms::usage();
        let max_idle = scope.integer("max_idle_days")?;
        let now = scope.evaluated_at;
        Ok(kms_keys(&resources)
            .filter(|key| key.is_customer_managed() && !key.is_pending_deletion())
            .map(|key| {
                if matches!(key.key_state, Some(KeyState::Disabled)) {
                    return key.fail("the key is disabled", vec![("key_state", "Disabled".into())]);
                }
                let Some(Some(usage)) = usage.get(key.index as usize) else {
                    return key.error("usage unknown: its last use (kms:GetKeyLastUsage) could not be read");
                };
                let tracked = days_between(usage.tracking_start, now);
                let mut evidence = vec![("tracked_since", iso_date(usage.tracking_start))];
                match usage.last_used {
                    Some(last) => {
                        let idle = days_between(last, now);
                        evidence.extend([("last_used", iso_date(last)), ("idle_days", idle.to_string())]);
                        if let Some(operation) = &usage.operation {
                            evidence.push(("operation", operation.clone()));
                        }
                        if idle > max_idle {
                            key.fail(format!("not used for {idle} days"), evidence)
                        } else {
                            key.pass(format!("used {idle} days ago"), evidence)
                        }
                    }
                    None if tracked > max_idle => {
                        key.fail(format!("not used in the {tracked} days KMS has tracked its use"), evidence)
                    }
                    None => key.info(
                        format!(
                            "no use in the {tracked} days KMS has tracked it; use before that is unknown (fewer \
                             than {max_idle} days)"
                        ),
                        evidence,
                    ),
                }
            })
            .collect())
    }
}

export_rule!(KeyUnused);
