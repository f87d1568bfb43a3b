//! kms-separate-usage: each key serves few principals ("each application its own key").

use std::collections::BTreeSet;

use keyaudit_rule_sdk::frameworks::*;
use keyaudit_rule_sdk::policy::{PrincipalClass, USAGE_ACTIONS, allowed_principals, classify, principal_name};
use keyaudit_rule_sdk::*;

struct SeparateUsage;

impl Guest for SeparateUsage {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "kms-separate-usage".into(),
            title: "KMS keys are not shared by many principals".into(),
            description: "At most max_principals principals (key policy statements and grants, besides the account \
                          root) may Encrypt or Decrypt with one customer-managed key, so that each application \
                          has its own key."
                .into(),
            severity: Severity::Low,
            reads: vec![reads(kms::KIND, &[kms::group::KEY_POLICY, kms::group::GRANTS])],
            parameters: vec![parameter(
                "max_principals",
                "Most principals allowed to encrypt or decrypt with one key",
                ParamValue::Integer(5),
            )],
            frameworks: vec![maps_to(KMS_CHECKLIST, "Separate keys per application")],
            remediation: "Create a key per application or data class and move principals to their own key.".into(),
            references: vec!["https://docs.aws.amazon.com/prescriptive-guidance/latest/aws-kms-best-practices/data-protection-key-management.html".into()],
        }
    }

    fn evaluate(scope: AccountScope) -> Result<Vec<Finding>, String> {
        let resources = kms::list();
        let max_principals = scope.integer("max_principals")?;
        Ok(kms_keys(&resources)
            .filter(|key| key.is_customer_managed())
            .map(|key| {
                let grants = match key.grants() {
                    Ok(grants) => grants,
                    Err(unknown) => return key.error(unknown),
                };
                key.judge_policy(|statements| {
                    let mut users: BTreeSet<String> = allowed_principals(statements, USAGE_ACTIONS)
                        .filter(|principal| classify(principal, &scope) != PrincipalClass::AccountRoot)
                        .map(principal_name)
                        .collect();
                    for grant in grants {
                        let uses = grant.operations.iter().any(|op| op == "Encrypt" || op == "Decrypt");
                        if let (true, Some(grantee)) = (uses, &grant.grantee_principal) {
                            users.insert(grantee.clone());
                        }
                    }
                    let evidence = vec![
                        ("principals", users.iter().cloned().collect::<Vec<_>>().join(",")),
                        ("principal_count", users.len().to_string()),
                    ];
                    if users.len() as i64 > max_principals {
                        let message = format!("{} principals use the key, more than {max_principals}", users.len());
                        key_finding(key, Status::Fail, message, evidence)
                    } else {
                        key_finding(key, Status::Pass, format!("{} principals use the key", users.len()), evidence)
                    }
                })
            })
            .collect())
    }
}

export_rule!(SeparateUsage);
