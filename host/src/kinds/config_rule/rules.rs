//! What a 0.3 rule sees of a Config rule (`config-rule.list`, contract 0.3.2).

use std::sync::Arc;

use wasmtime::component::Linker;

use super::{ConfigRule, KIND_NAME};
use crate::kinds::Want;
use crate::rules::bindings::v0_3::keyaudit::rules::config_rule as wit;
use crate::rules::sandbox::SandboxState;

/// Serves `list` from the account's shared view.
pub(crate) fn link(linker: &mut Linker<SandboxState>) -> wasmtime::Result<()> {
    crate::rules::sandbox::link_list(linker, KIND_NAME, view)
}

fn view(state: &SandboxState) -> wasmtime::Result<Arc<[wit::ConfigRule]>> {
    state.rule_view(KIND_NAME, |records: &[ConfigRule], fields: &Want| {
        let compliance = fields.wants("compliance");
        records
            .iter()
            .map(|r| wit::ConfigRule {
                arn: r.rule_arn.clone(),
                region: r.region.clone(),
                name: r.name.clone(),
                owner: r.owner.clone(),
                source_identifier: r.source_identifier.clone(),
                state: r.state.clone(),
                created_by: r.created_by.clone(),
                compliance: r.compliance.clone().filter(|_| compliance),
            })
            .collect()
    })
}
