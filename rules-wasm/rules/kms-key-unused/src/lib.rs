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
            description: "Disabled customer-managed keys, and keys not used for max_idle_days where their last use \
                          is known, cost money and widen the attack surface. Where last use is unknown the \
                          finding is INFO."
                .into(),
            severity: Severity::Low,
            reads: vec![reads(kms::KIND, &[])],
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
            ],
        }
    }

    fn evaluate(scope: AccountScope) -> Result<Vec<Finding>, String> {
        let resources = kms::list();
        let max_idle = scope.integer("max_idle_days")?;
        Ok(kms_keys(&resources)
            .filter(|key| key.is_customer_managed() && !key.is_pending_deletion())
            .map(|key| {
                if matches!(key.key_state, Some(KeyState::Disabled)) {
                    return key_finding(
                        key,
                        Status::Fail,
                        "the key is disabled",
                        vec![("key_state", "Disabled".into())],
                    );
                }
                match key.last_used_date {
                    Some(last) => {
                        let idle = days_between(last, scope.evaluated_at);
                        let evidence = vec![("last_used", iso_date(last)), ("idle_days", idle.to_string())];
                        if idle > max_idle {
                            key_finding(key, Status::Fail, format!("not used for {idle} days"), evidence)
                        } else {
                            key_finding(key, Status::Pass, format!("used {idle} days ago"), evidence)
                        }
                    }
                    None => key_finding(key, Status::Info, "enabled; last use unknown (needs CloudTrail data)", vec![]),
                }
            })
            .collect())
    }
}

export_rule!(KeyUnused);
