//! ssm-securestring-customer-key: SecureString parameters use a customer-managed key.

use keyaudit_rule_sdk::frameworks::*;
use keyaudit_rule_sdk::*;

struct CustomerKey;

impl Guest for CustomerKey {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "ssm-securestring-customer-key".into(),
            title: "SecureString parameters use a customer-managed KMS key".into(),
            description: "SecureString parameters encrypted with a key the customer manages pass; those under \
                          the AWS-managed key alias/aws/ssm are reported (INFO)."
                .into(),
            severity: Severity::Low,
            reads: vec![reads(ssm::KIND, &[])],
            parameters: vec![],
            frameworks: vec![maps_to(FEDRAMP, "KSI-SVC-06")],
            remediation: "aws ssm put-parameter --name <name> --type SecureString --key-id <customer key> \
                          --overwrite --value <value>"
                .into(),
            references: vec!["https://docs.aws.amazon.com/systems-manager/latest/userguide/secure-string-parameter-kms-encryption.html".into()],
        }
    }

    fn evaluate(_scope: AccountScope) -> Result<Vec<Finding>, String> {
        let parameters = ssm::list();
        Ok(items(&parameters)
            .filter(|p| p.is_secure_string())
            .map(|p| {
                let key = p.key_id.clone().unwrap_or_else(|| "alias/aws/ssm".to_owned());
                let evidence = vec![("key_id", key)];
                if p.uses_customer_key() {
                    p.pass("encrypted with a customer-managed key", evidence)
                } else {
                    p.info("encrypted with the AWS-managed key alias/aws/ssm", evidence)
                }
            })
            .collect())
    }
}

export_rule!(CustomerKey);
