//! What a 0.3 rule sees of a stack (`cloudformation-stack.list`, contract 0.3.1).

use std::sync::Arc;

use wasmtime::component::Linker;

use super::{CloudFormationStack, KIND_NAME};
use crate::kinds::Want;
use crate::rules::bindings::v0_3::keyaudit::rules::cloudformation_stack as wit;
use crate::rules::sandbox::SandboxState;

/// Serves `list` from the account's shared view.
pub(crate) fn link(linker: &mut Linker<SandboxState>) -> wasmtime::Result<()> {
    crate::rules::sandbox::link_list(linker, KIND_NAME, view)
}

/// The account's records as rules see them, built once per account and set
/// of field groups the rules read.
fn view(state: &SandboxState) -> wasmtime::Result<Arc<[wit::CloudformationStack]>> {
    state.rule_view(KIND_NAME, |records: &[CloudFormationStack], fields: &Want| {
        let resources = fields.wants("resources");
        records
            .iter()
            .map(|s| wit::CloudformationStack {
                arn: s.stack_id.clone(),
                region: s.region.clone(),
                name: s.name.clone(),
                status: s.status.clone(),
                status_reason: s.status_reason.clone(),
                drift_status: s.drift_status.clone(),
                created: s.created_at,
                last_updated: s.last_updated_at,
                kms_key_ids: s.kms_key_ids.clone().filter(|_| resources),
            })
            .collect()
    })
}
