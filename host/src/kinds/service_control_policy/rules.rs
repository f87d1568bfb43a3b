//! What a 0.3 rule sees of the SCPs (`service-control-policy.list`,
//! contract 0.3.2): every policy, with where it is attached on the
//! evaluated account's path from the root.

use std::sync::Arc;

use wasmtime::component::Linker;

use super::{KIND_NAME, PolicyTarget, ServiceControlPolicy};
use crate::kinds::Want;
use crate::rules::bindings::v0_3::keyaudit::rules::service_control_policy as wit;
use crate::rules::sandbox::SandboxState;

/// Serves `list` from the account's view (the policies are the run's; where
/// they apply is the account's).
pub(crate) fn link(linker: &mut Linker<SandboxState>) -> wasmtime::Result<()> {
    crate::rules::sandbox::link_list(linker, KIND_NAME, view)
}

fn view(state: &SandboxState) -> wasmtime::Result<Arc<[wit::ServiceControlPolicy]>> {
    let path = state.organisation_path();
    state.rule_view(KIND_NAME, |records: &[ServiceControlPolicy], fields: &Want| {
        let (document, targets) = (fields.wants("document"), fields.wants("targets"));
        let target = |t: &PolicyTarget| wit::PolicyTarget {
            target_id: t.target_id.clone(),
            target_type: t.target_type.clone(),
            name: t.name.clone(),
        };
        records
            .iter()
            .map(|p| wit::ServiceControlPolicy {
                arn: p.policy_arn.clone(),
                id: p.policy_id.clone(),
                name: p.name.clone(),
                description: p.description.clone(),
                aws_managed: p.aws_managed,
                document: p.document.clone().filter(|_| document),
                targets: p.targets.as_ref().filter(|_| targets).map(|ts| ts.iter().map(target).collect()),
                attached_on_path: p
                    .attached_on_path(&path)
                    .filter(|_| targets)
                    .map(|on_path| on_path.into_iter().map(target).collect()),
            })
            .collect()
    })
}
