//! kms-cross-account-trusted: other accounts in key policies are trusted ones.

use std::collections::BTreeSet;

use keyaudit_rule_sdk::frameworks::*;
use keyaudit_rule_sdk::policy::{PrincipalClass, allowed_principals, classify};
use keyaudit_rule_sdk::*;

struct CrossAccountTrusted;

impl Guest for CrossAccountTrusted {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "kms-cross-account-trusted".into(),
            title: "KMS keys are shared only with trusted accounts".into(),
            description: "Every other account a customer-managed key's policy allows is in the organisation or \
                          in trusted_accounts. Public principals are kms-key-not-public's concern."
                .into(),
            severity: Severity::High,
            reads: vec![reads(kms::KIND, &[kms::group::KEY_POLICY])],
            parameters: vec![parameter(
                "trusted_accounts",
                "Account ids outside the organisation that may be granted key access",
                ParamValue::TextList(vec![]),
            )],
            frameworks: vec![maps_to(KMS_CHECKLIST, "Cross-account access")],
            remediation: "Remove the untrusted accounts from the key policy (aws kms put-key-policy), or add them \
                          to rules.parameters.kms-cross-account-trusted.trusted_accounts if they are trusted."
                .into(),
            references: vec![
                "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html"
                    .into(),
            ],
        }
    }

    fn evaluate(scope: AccountScope) -> Result<Vec<Finding>, String> {
        let resources = kms::list();
        let trusted = scope.text_list("trusted_accounts")?;
        Ok(kms_keys(&resources)
            .filter(|key| key.is_customer_managed())
            .map(|key| {
                key.judge_policy(|statements| {
                    let mut org = BTreeSet::new();
                    let mut untrusted = BTreeSet::new();
                    for principal in allowed_principals(statements, &[]) {
                        match classify(principal, &scope) {
                            PrincipalClass::OrgAccount(account) => {
                                org.insert(account);
                            }
                            PrincipalClass::ExternalAccount(account) if trusted.contains(&account) => {
                                org.insert(account);
                            }
                            PrincipalClass::ExternalAccount(account) => {
                                untrusted.insert(account);
                            }
                            _ => {}
                        }
                    }
                    let join = |set: &BTreeSet<String>| set.iter().cloned().collect::<Vec<_>>().join(",");
                    if untrusted.is_empty() {
                        let message = if org.is_empty() {
                            "the key is not shared with other accounts".to_owned()
                        } else {
                            format!("shared only with trusted accounts: {}", join(&org))
                        };
                        key_finding(key, Status::Pass, message, vec![("trusted_accounts", join(&org))])
                    } else {
                        key_finding(
                            key,
                            Status::Fail,
                            format!("the key policy allows accounts outside the organisation: {}", join(&untrusted)),
                            vec![("untrusted_accounts", join(&untrusted))],
                        )
                    }
                })
            })
            .collect())
    }
}

export_rule!(CrossAccountTrusted);
