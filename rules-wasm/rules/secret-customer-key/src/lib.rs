//! secret-customer-key: secrets are encrypted with a customer-managed key.

use keyaudit_rule_sdk::frameworks::*;
use keyaudit_rule_sdk::*;

struct CustomerKey;

impl Guest for CustomerKey {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "secret-customer-key".into(),
            title: "Secrets are encrypted with a customer-managed KMS key".into(),
            description: "Secrets encrypted with a key the customer manages pass; those under the AWS-managed \
                          key aws/secretsmanager are reported (INFO): its policy cannot be scoped or audited."
                .into(),
            severity: Severity::Low,
            reads: vec![reads(secrets::KIND, &[])],
            parameters: vec![],
            frameworks: vec![maps_to(WELL_ARCHITECTED, "SEC08-BP01")],
            remediation: "aws secretsmanager update-secret --secret-id <arn> --kms-key-id <customer key>".into(),
            references: vec![
                "https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html".into(),
            ],
        }
    }

    fn evaluate(_scope: AccountScope) -> Result<Vec<Finding>, String> {
        let all = secrets::list();
        Ok(items(&all)
            .map(|s| {
                let key = s.kms_key_id.clone().unwrap_or_else(|| "alias/aws/secretsmanager".to_owned());
                let evidence = vec![("kms_key_id", key)];
                if s.uses_customer_key() {
                    s.pass("encrypted with a customer-managed key", evidence)
                } else {
                    s.info("encrypted with the AWS-managed key aws/secretsmanager", evidence)
                }
            })
            .collect())
    }
}

export_rule!(CustomerKey);
