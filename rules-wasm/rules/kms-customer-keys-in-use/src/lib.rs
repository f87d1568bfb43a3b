//! kms-customer-keys-in-use: the account has at least one enabled customer-managed key.

use keyaudit_rule_sdk::frameworks::*;
use keyaudit_rule_sdk::*;

struct CustomerKeysInUse;

impl Guest for CustomerKeysInUse {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "kms-customer-keys-in-use".into(),
            title: "Customer-managed KMS keys are in use".into(),
            description: "The account has at least one Enabled customer-managed key, rather than relying only on \
                          AWS-managed keys whose policies and rotation it cannot control."
                .into(),
            severity: Severity::Low,
            reads: vec![reads(kms::KIND, &[])],
            parameters: vec![],
            frameworks: vec![maps_to(FEDRAMP, "KSI-SVC-06"), maps_to(KMS_CHECKLIST, "Customer-managed keys in use")],
            remediation: "Create customer-managed keys for the account's data (see examples/deploy) and use them in \
                          place of AWS-managed keys."
                .into(),
            references: vec!["https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#customer-cmk".into()],
        }
    }

    fn evaluate(scope: AccountScope) -> Result<Vec<Finding>, String> {
        let resources = kms::list();
        let keys: Vec<Key> = kms_keys(&resources).collect();
        let customer = keys.iter().filter(|k| k.is_customer_managed()).count();
        let enabled = keys.iter().filter(|k| k.is_customer_managed() && k.is_enabled()).count();
        let evidence = vec![
            ("kms_keys", keys.len().to_string()),
            ("customer_managed", customer.to_string()),
            ("aws_managed", (keys.len() - customer).to_string()),
            ("customer_managed_enabled", enabled.to_string()),
        ];
        let undescribed = keys.iter().filter(|k| !k.is_described()).count();
        let unlisted = scope.kms_regions_unlisted();
        let finding = if enabled > 0 {
            account_finding(None, Status::Pass, format!("{enabled} enabled customer-managed keys"), evidence)
        } else if undescribed > 0 || !unlisted.is_empty() {
            // One of the keys we could not see may be an enabled customer key.
            let message = format!(
                "cannot tell: {undescribed} keys could not be described and keys in [{}] could not be listed",
                unlisted.join(", ")
            );
            account_finding(None, Status::Error, message, evidence)
        } else {
            account_finding(None, Status::Fail, "no enabled customer-managed key", evidence)
        };
        Ok(vec![finding])
    }
}

export_rule!(CustomerKeysInUse);
