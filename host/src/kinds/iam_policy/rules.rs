//! What a 0.3 rule sees of an IAM policy (`iam-policy.list`).

use super::{IamPolicy, KIND_NAME};
use crate::rules::bindings::v0_3::keyaudit::rules::iam_policy as wit;
use crate::rules::sandbox::SandboxState;

impl wit::Host for SandboxState {
    fn list(&mut self) -> wasmtime::Result<Vec<wit::IamPolicy>> {
        let (records, _) = self.records::<IamPolicy>(KIND_NAME)?;
        Ok(records
            .iter()
            .map(|p| wit::IamPolicy {
                arn: p.policy_arn.clone(),
                name: p.name.clone(),
                policy_type: p.policy_type.clone(),
                attached_to: p.attached_to.clone(),
                // Unparsed documents are voided by the host (`unread`).
                kms_statements: p
                    .kms_statements
                    .iter()
                    .flatten()
                    .map(|s| wit::KmsStatement {
                        sid: s.sid.clone(),
                        effect: s.effect.clone(),
                        actions: s.actions.clone(),
                        not_action: s.not_action,
                        resources: s.resources.clone(),
                        not_resource: s.not_resource,
                        condition: s.condition.clone(),
                    })
                    .collect(),
            })
            .collect())
    }
}
