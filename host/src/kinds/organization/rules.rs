//! What a 0.3 rule sees of the organisation (`organization.list`, contract 0.3.2).

use std::sync::Arc;

use wasmtime::component::Linker;

use super::{KIND_NAME, Organization};
use crate::kinds::Want;
use crate::rules::bindings::v0_3::keyaudit::rules::organization as wit;
use crate::rules::sandbox::SandboxState;

/// Serves `list` from the run's shared view.
pub(crate) fn link(linker: &mut Linker<SandboxState>) -> wasmtime::Result<()> {
    crate::rules::sandbox::link_list(linker, KIND_NAME, view)
}

fn view(state: &SandboxState) -> wasmtime::Result<Arc<[wit::Organization]>> {
    state.rule_view(KIND_NAME, |records: &[Organization], _: &Want| {
        records
            .iter()
            .map(|o| wit::Organization {
                arn: o.arn.clone(),
                id: o.org_id.clone(),
                feature_set: o.feature_set.clone(),
                management_account_id: o.management_account_id.clone(),
                roots: o.roots.as_ref().map(|roots| {
                    roots
                        .iter()
                        .map(|r| wit::OrganizationRoot {
                            id: r.id.clone(),
                            name: r.name.clone(),
                            policy_types: r
                                .policy_types
                                .iter()
                                .map(|t| wit::PolicyTypeStatus {
                                    policy_type: t.policy_type.clone(),
                                    status: t.status.clone(),
                                })
                                .collect(),
                        })
                        .collect()
                }),
            })
            .collect()
    })
}
