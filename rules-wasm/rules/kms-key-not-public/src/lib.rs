//! kms-key-not-public: no key policy lets anyone use the key.

use keyaudit_rule_sdk::frameworks::*;
use keyaudit_rule_sdk::policy::principal_name;
use keyaudit_rule_sdk::*;

struct NotPublic;

impl Guest for NotPublic {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "kms-key-not-public".into(),
            title: "KMS key policy does not allow public access".into(),
            description: "No Allow statement in a customer-managed key's policy has a wildcard principal \
                          (or NotPrincipal) without a condition that restricts it to known accounts, \
                          organisations or sources (aws:PrincipalOrgID, aws:SourceAccount, \
                          kms:CallerAccount, aws:PrincipalAccount, …)."
                .into(),
            severity: Severity::Critical,
            reads: vec![reads(kms::KIND, &[kms::group::KEY_POLICY])],
            parameters: vec![],
            frameworks: vec![maps_to(SECURITY_HUB, "KMS.5"), maps_to(KMS_CHECKLIST, "Public keys")],
            remediation: "Replace the wildcard principal with the accounts or roles that need the key, or add an \
                          aws:PrincipalOrgID condition; then aws kms put-key-policy."
                .into(),
            references: vec!["https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html".into()],
        }
    }

    fn evaluate(_scope: AccountScope) -> Result<Vec<Finding>, String> {
        let resources = kms::list();
        Ok(kms_keys(&resources)
            .filter(|key| key.is_customer_managed())
            .map(|key| {
                key.judge_policy(|statements| {
                    let public: Vec<String> = statements
                        .iter()
                        .filter(|s| s.is_public_allow())
                        .map(|s| {
                            let who = s.principals.iter().map(principal_name).collect::<Vec<_>>().join(",");
                            format!("{} ({who}: {})", s.sid.as_deref().unwrap_or("no Sid"), s.actions.join(","))
                        })
                        .collect();
                    if public.is_empty() {
                        key_finding(key, Status::Pass, "the key policy allows no public access", vec![])
                    } else {
                        let evidence = vec![("public_statements", public.join("; "))];
                        key_finding(key, Status::Fail, "the key policy allows anyone to use the key", evidence)
                    }
                })
            })
            .collect())
    }
}

export_rule!(NotPublic);
