//! iam-no-kms-decrypt-on-all-keys: no IAM policy allows decryption with every key.

use keyaudit_rule_sdk::frameworks::*;
use keyaudit_rule_sdk::*;

struct DecryptOnAllKeys;

const DECRYPT_ACTIONS: &[&str] = &["kms:Decrypt", "kms:ReEncryptFrom"];

impl Guest for DecryptOnAllKeys {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "iam-no-kms-decrypt-on-all-keys".into(),
            title: "IAM policies do not allow decryption with all KMS keys".into(),
            description: "No customer-managed or inline IAM policy allows kms:Decrypt or kms:ReEncryptFrom on \
                          every key (Resource \"*\"): grant them on the keys a principal needs."
                .into(),
            severity: Severity::Medium,
            reads: vec![reads(iam::POLICY_KIND, &[])],
            parameters: vec![],
            frameworks: vec![maps_to(SECURITY_HUB, "KMS.1"), maps_to(SECURITY_HUB, "KMS.2")],
            remediation: "Replace Resource \"*\" in the statement with the ARNs of the keys the principal needs \
                          (or add a kms:ViaService / encryption-context condition)."
                .into(),
            references: vec![
                "https://docs.aws.amazon.com/kms/latest/developerguide/iam-policies-best-practices.html".into(),
            ],
        }
    }

    fn evaluate(_scope: AccountScope) -> Result<Vec<Finding>, String> {
        let policies = iam::policies();
        Ok(items(&policies)
            .map(|p| {
                let offending: Vec<String> = p
                    .kms_statements
                    .iter()
                    .filter(|s| s.is_allow() && s.on_all_keys())
                    .filter_map(|s| {
                        let actions: Vec<&str> =
                            DECRYPT_ACTIONS.iter().copied().filter(|a| s.covers_action(a)).collect();
                        (!actions.is_empty()).then(|| {
                            let sid = s.sid.as_deref().unwrap_or("no Sid");
                            let condition = if s.is_conditional() { ", with a condition" } else { "" };
                            format!("{sid}: {}{condition}", actions.join(","))
                        })
                    })
                    .collect();
                let evidence = vec![("policy_type", p.policy_type.clone())];
                if offending.is_empty() {
                    p.pass("allows no decryption with every key", evidence)
                } else {
                    let mut evidence = evidence;
                    evidence.push(("statements", offending.join("; ")));
                    p.fail("allows decryption with every KMS key", evidence)
                }
            })
            .collect())
    }
}

export_rule!(DecryptOnAllKeys);
