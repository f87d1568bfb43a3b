//! iam-no-kms-full-access: no IAM policy allows `kms:*`.

use keyaudit_rule_sdk::frameworks::*;
use keyaudit_rule_sdk::*;

struct FullAccess;

impl Guest for FullAccess {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "iam-no-kms-full-access".into(),
            title: "IAM policies do not allow full KMS access".into(),
            description: "No customer-managed or inline IAM policy allows every KMS action (kms:*, *, or a \
                          NotAction that spares KMS)."
                .into(),
            severity: Severity::High,
            reads: vec![reads(iam::POLICY_KIND, &[])],
            parameters: vec![],
            frameworks: vec![maps_to(PROWLER, "iam_policy_no_full_access_to_kms")],
            remediation: "List the KMS actions the principal needs instead of kms:*.".into(),
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
                    .filter(|s| s.is_allow() && s.covers_action("kms:*"))
                    .map(|s| {
                        let what = if s.not_action {
                            format!("NotAction {}", s.actions.join(","))
                        } else {
                            s.actions.join(",")
                        };
                        format!("{}: {what}", s.sid.as_deref().unwrap_or("no Sid"))
                    })
                    .collect();
                let evidence = vec![("policy_type", p.policy_type.clone())];
                if offending.is_empty() {
                    p.pass("does not allow every KMS action", evidence)
                } else {
                    let mut evidence = evidence;
                    evidence.push(("statements", offending.join("; ")));
                    p.fail("allows every KMS action", evidence)
                }
            })
            .collect())
    }
}

export_rule!(FullAccess);
