//! kms-not-pending-deletion: no customer-managed key is scheduled for deletion.

use keyaudit_rule_sdk::frameworks::*;
use keyaudit_rule_sdk::time::iso_date;
use keyaudit_rule_sdk::*;

struct NotPendingDeletion;

impl Guest for NotPendingDeletion {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "kms-not-pending-deletion".into(),
            title: "KMS keys are not scheduled for deletion".into(),
            description: "Customer-managed keys are not in PendingDeletion or PendingReplicaDeletion: data \
                          encrypted under a deleted key is lost for good."
                .into(),
            severity: Severity::High,
            reads: vec![reads(kms::KIND, &[])],
            parameters: vec![],
            frameworks: vec![maps_to(SECURITY_HUB, "KMS.3"), maps_to(KMS_CHECKLIST, "Scheduled deletion")],
            remediation: "If the deletion is unintended: aws kms cancel-key-deletion --key-id <key-id>, then \
                          aws kms enable-key --key-id <key-id>."
                .into(),
            references: vec!["https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html".into()],
        }
    }

    fn evaluate(_scope: AccountScope) -> Result<Vec<Finding>, String> {
        let resources = kms::list();
        Ok(kms_keys(&resources)
            .filter(|key| key.is_customer_managed())
            .map(|key| {
                if key.is_pending_deletion() {
                    let when = key.deletion_date.map(iso_date).unwrap_or_else(|| "an unknown date".into());
                    key_finding(
                        key,
                        Status::Fail,
                        format!("scheduled for deletion on {when}"),
                        vec![("key_state", key.state().to_owned()), ("deletion_date", when)],
                    )
                } else {
                    key_finding(key, Status::Pass, "not scheduled for deletion", vec![])
                }
            })
            .collect())
    }
}

export_rule!(NotPendingDeletion);
