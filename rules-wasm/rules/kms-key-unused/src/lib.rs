//! kms-key-unused: customer-managed keys are in use.

use keyaudit_rule_sdk::cloudtrail::{self, ACTIVITY};
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
                          a shorter history is INFO (usage unknown that far back). Where GetKeyLastUsage \
                          could not be read, a use in CloudTrail's event history passes the key; otherwise its \
                          usage is unknown (ERROR), never 'unused'."
                .into(),
            severity: Severity::Low,
            // The rule handles unread last usage itself: CloudTrail can still show a use.
            reads: vec![
                reads(kms::KIND, &[kms::group::ARN, kms::group::LAST_USAGE_SELF_CHECKED]),
                reads(ACTIVITY, &[]),
            ],
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
        let history = cloudtrail::activity();
        let max_idle = scope.integer("max_idle_days")?;
        let now = scope.evaluated_at;
        Ok(kms_keys(&resources)
            .filter(|key| key.is_customer_managed() && !key.is_pending_deletion())
            .map(|key| {
                if matches!(key.key_state, Some(KeyState::Disabled)) {
                    return key.fail("the key is disabled", vec![("key_state", "Disabled".into())]);
                }
                let Some(Some(usage)) = usage.get(key.index as usize) else {
                    return from_cloudtrail(key, &history, &scope);
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

/// Without GetKeyLastUsage: a use in the region's CloudTrail event history
/// shows the key in use; no use there proves nothing (the window is shorter
/// than the idle threshold, or cut at the page cap), so the usage is unknown.
fn from_cloudtrail(key: Key<'_>, history: &[CloudtrailKeyActivity], scope: &AccountScope) -> Finding {
    let region = key.region();
    let unknown = "usage unknown: its last use (kms:GetKeyLastUsage) could not be read";
    let Some(activity) = history.iter().find(|a| a.region == region).filter(|_| scope.listed(ACTIVITY, region)) else {
        return key.error(format!("{unknown}, nor {region}'s CloudTrail event history"));
    };
    let used = activity.use_of(key.key_arn.as_deref().unwrap_or_default());
    let uses = used.decrypt + used.encrypt + used.re_encrypt;
    let days = days_between(activity.window_start, activity.window_end);
    if uses > 0 {
        key.pass(
            format!("used {uses} times in the last {days} days (CloudTrail; GetKeyLastUsage could not be read)"),
            vec![("cloudtrail_uses", uses.to_string()), ("window_days", days.to_string())],
        )
    } else {
        key.error(format!("{unknown}, and CloudTrail shows no use in the last {days} days"))
    }
}

export_rule!(KeyUnused);
