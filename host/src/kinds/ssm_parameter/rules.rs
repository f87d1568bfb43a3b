//! What a 0.3 rule sees of an SSM parameter (`ssm-parameter.list`).

use std::sync::Arc;

use wasmtime::component::Linker;

use super::{KIND_NAME, SsmParameter};
use crate::kinds::Want;
use crate::rules::bindings::v0_3::keyaudit::rules::ssm_parameter as wit;
use crate::rules::sandbox::SandboxState;

/// Serves `list` from the account's shared view.
pub(crate) fn link(linker: &mut Linker<SandboxState>) -> wasmtime::Result<()> {
    crate::rules::sandbox::link_list(linker, KIND_NAME, view)
}

/// The account's records as rules see them, built once per account and set
/// of field groups the rules read.
fn view(state: &SandboxState) -> wasmtime::Result<Arc<[wit::SsmParameter]>> {
    state.rule_view(KIND_NAME, |records: &[SsmParameter], _: &Want| {
        records
            .iter()
            .map(|p| wit::SsmParameter {
                arn: p.parameter_arn.clone(),
                region: p.region.clone(),
                name: p.name.clone(),
                parameter_type: p.parameter_type.clone(),
                key_id: p.key_id.clone(),
                tier: p.tier.clone(),
                last_modified: p.last_modified_date,
                last_modified_user: p.last_modified_user.clone(),
                version: Some(p.version),
                data_type: p.data_type.clone(),
                description: p.description.clone(),
                policies: p.policies.clone(),
            })
            .collect()
    })
}
