//! kms-limited-admins: few principals can administer a key, and no wildcard one.

use std::collections::BTreeSet;

use keyaudit_rule_sdk::frameworks::*;
use keyaudit_rule_sdk::policy::{ADMIN_ACTIONS, PrincipalClass, allowed_principals, classify, principal_name};
use keyaudit_rule_sdk::*;

struct LimitedAdmins;

impl Guest for LimitedAdmins {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "kms-limited-admins".into(),
            title: "KMS key administrators are few".into(),
            description: "At most max_admins principals (besides the account root, which delegates to IAM) are \
                          allowed administrative actions (kms:*, Put*, Create*, Delete*, Disable*, \
                          ScheduleKeyDeletion, CancelKeyDeletion, UpdateKeyDescription, TagResource) in a \
                          customer-managed key's policy, and no wildcard principal is."
                .into(),
            severity: Severity::Medium,
            reads: vec![reads(kms::KIND, &[kms::group::KEY_POLICY])],
            parameters: vec![parameter("max_admins", "Most principals allowed to administer one key", ParamValue::Integer(3))],
            frameworks: vec![maps_to(KMS_CHECKLIST, "Limited administrators"), maps_to(WELL_ARCHITECTED, "SEC08-BP01")],
            remediation: "Grant key administration to a small set of roles in the key policy (aws kms put-key-policy) \
                          and use IAM policies through the account root statement for everyone else."
                .into(),
            references: vec!["https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-administrators".into()],
        }
    }

    fn evaluate(scope: AccountScope) -> Result<Vec<Finding>, String> {
        let resources = kms::list();
        let max_admins = scope.integer("max_admins")?;
        Ok(kms_keys(&resources)
            .filter(|key| key.is_customer_managed())
            .map(|key| {
                key.judge_policy(|statements| {
                    let mut admins = BTreeSet::new();
                    let mut wildcard = false;
                    for principal in allowed_principals(statements, ADMIN_ACTIONS) {
                        match classify(principal, &scope) {
                            PrincipalClass::AccountRoot => {}
                            PrincipalClass::Public => wildcard = true,
                            _ => {
                                admins.insert(principal_name(principal));
                            }
                        }
                    }
                    let evidence = vec![
                        ("admins", admins.iter().cloned().collect::<Vec<_>>().join(",")),
                        ("admin_count", admins.len().to_string()),
                        ("max_admins", max_admins.to_string()),
                    ];
                    if wildcard {
                        key_finding(key, Status::Fail, "a wildcard principal may administer the key", evidence)
                    } else if admins.len() as i64 > max_admins {
                        key_finding(
                            key,
                            Status::Fail,
                            format!("{} administrators, more than {max_admins}", admins.len()),
                            evidence,
                        )
                    } else {
                        key_finding(
                            key,
                            Status::Pass,
                            format!("{} administrators besides the account root", admins.len()),
                            evidence,
                        )
                    }
                })
            })
            .collect())
    }
}

export_rule!(LimitedAdmins);
