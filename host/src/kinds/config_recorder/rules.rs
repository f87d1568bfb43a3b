//! What a 0.3 rule sees of a Config recorder (`config-recorder.list`, contract 0.3.2).

use std::sync::Arc;

use wasmtime::component::Linker;

use super::{ConfigRecorder, KIND_NAME};
use crate::kinds::Want;
use crate::rules::bindings::v0_3::keyaudit::rules::config_recorder as wit;
use crate::rules::sandbox::SandboxState;

/// Serves `list` from the account's shared view.
pub(crate) fn link(linker: &mut Linker<SandboxState>) -> wasmtime::Result<()> {
    crate::rules::sandbox::link_list(linker, KIND_NAME, view)
}

fn view(state: &SandboxState) -> wasmtime::Result<Arc<[wit::ConfigRecorder]>> {
    state.rule_view(KIND_NAME, |records: &[ConfigRecorder], _: &Want| {
        records
            .iter()
            .map(|r| wit::ConfigRecorder {
                arn: r.recorder_arn.clone(),
                region: r.region.clone(),
                name: r.name.clone(),
                all_supported: r.all_supported,
                include_global_resource_types: r.include_global_resource_types,
                recording: r.recording,
                last_status: r.last_status.clone(),
            })
            .collect()
    })
}
