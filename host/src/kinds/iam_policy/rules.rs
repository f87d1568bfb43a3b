//! What a 0.3 rule sees of an IAM policy (`iam-policy.list`).

use std::sync::Arc;

use wasmtime::component::Linker;

use super::{IamPolicy, KIND_NAME};
use crate::kinds::Want;
use crate::rules::bindings::v0_3::keyaudit::rules::iam_policy as wit;
use crate::rules::sandbox::SandboxState;

/// Serves `list` from the account's shared view.
pub(crate) fn link(linker: &mut Linker<SandboxState>) -> wasmtime::Result<()> {
    crate::rules::sandbox::link_list(linker, KIND_NAME, view)
}

/// The account's records as rules see them, built once per account and set
/// of field groups the rules read.
fn view(state: &SandboxState) -> wasmtime::Result<Arc<[wit::IamPolicy]>> {
    state.rule_view(KIND_NAME, |records: &[IamPolicy], _: &Want| {
        records
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
            .collect()
    })
}
