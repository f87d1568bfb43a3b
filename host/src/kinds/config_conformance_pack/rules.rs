//! What a 0.3 rule sees of a conformance pack (`config-conformance-pack.list`, contract 0.3.2).

use std::sync::Arc;

use wasmtime::component::Linker;

use super::{ConfigConformancePack, KIND_NAME};
use crate::kinds::Want;
use crate::rules::bindings::v0_3::keyaudit::rules::config_conformance_pack as wit;
use crate::rules::sandbox::SandboxState;

/// Serves `list` from the account's shared view.
pub(crate) fn link(linker: &mut Linker<SandboxState>) -> wasmtime::Result<()> {
    crate::rules::sandbox::link_list(linker, KIND_NAME, view)
}

fn view(state: &SandboxState) -> wasmtime::Result<Arc<[wit::ConfigConformancePack]>> {
    state.rule_view(KIND_NAME, |records: &[ConfigConformancePack], _: &Want| {
        records
            .iter()
            .map(|p| wit::ConfigConformancePack {
                arn: p.pack_arn.clone(),
                region: p.region.clone(),
                name: p.name.clone(),
                created_by: p.created_by.clone(),
                last_update_requested: p.last_update_requested_at,
            })
            .collect()
    })
}
