//! kms-rotation-enabled: automatic rotation is on for every key it applies to.

use keyaudit_rule_sdk::frameworks::*;
use keyaudit_rule_sdk::*;

struct RotationEnabled;

impl Guest for RotationEnabled {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "kms-rotation-enabled".into(),
            title: "KMS key rotation is enabled".into(),
            description: "Automatic yearly rotation of key material is on for customer-managed, enabled, \
                          symmetric keys whose material KMS generated. Asymmetric, HMAC, imported and \
                          custom-key-store keys cannot rotate automatically and are not evaluated."
                .into(),
            severity: Severity::Medium,
            reads: vec![reads(kms::KIND, &[])],
            parameters: vec![],
            frameworks: vec![
                maps_to(CIS, "3.6 (v3-v5)"),
                maps_to(CIS, "3.8 (v1.4-v2)"),
                maps_to(CIS, "4.6 (v6+)"),
                maps_to(SECURITY_HUB, "KMS.4"),
                maps_to(KMS_CHECKLIST, "Key rotation"),
            ],
            remediation: "aws kms enable-key-rotation --key-id <key-id> [--rotation-period-in-days 365]".into(),
            references: vec![
                "https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html".into(),
                "https://docs.aws.amazon.com/securityhub/latest/userguide/kms-controls.html#kms-4".into(),
            ],
        }
    }

    fn evaluate(_scope: AccountScope) -> Result<Vec<Finding>, String> {
        let resources = kms::list();
        Ok(kms_keys(&resources)
            .filter(|key| key.rotation_applies())
            .map(|key| match key.rotation_enabled {
                Some(true) => key_finding(key, Status::Pass, "automatic rotation is enabled", vec![]),
                Some(false) => key_finding(
                    key,
                    Status::Fail,
                    "automatic rotation is disabled",
                    vec![("rotation_enabled", "false".into())],
                ),
                None => key_finding(key, Status::Error, "the rotation status could not be read", vec![]),
            })
            .collect())
    }
}

export_rule!(RotationEnabled);
