//! What a 0.3 rule sees of a secret (`secret.list`).

use std::sync::Arc;

use wasmtime::component::Linker;

use super::{KIND_NAME, Secret};
use crate::kinds::Want;
use crate::rules::bindings::v0_3::keyaudit::rules::secret as wit;
use crate::rules::sandbox::SandboxState;

/// Serves `list` from the account's shared view.
pub(crate) fn link(linker: &mut Linker<SandboxState>) -> wasmtime::Result<()> {
    crate::rules::sandbox::link_list(linker, KIND_NAME, view)
}

/// The account's records as rules see them, built once per account and set
/// of field groups the rules read.
fn view(state: &SandboxState) -> wasmtime::Result<Arc<[wit::Secret]>> {
    state.rule_view(KIND_NAME, |records: &[Secret], fields: &Want| {
        let policy = fields.wants("resource-policy");
        let replication = fields.wants("replication");
        records
            .iter()
            .map(|s| wit::Secret {
                arn: s.secret_arn.clone(),
                region: s.region.clone(),
                name: s.name.clone(),
                description: s.description.clone(),
                kms_key_id: s.kms_key_id.clone(),
                rotation_enabled: s.rotation_enabled,
                rotation_every_days: s.rotation_every_days,
                rotation_schedule: s.rotation_schedule.clone(),
                last_rotated: s.last_rotated_date,
                last_accessed: s.last_accessed_date,
                last_changed: s.last_changed_date,
                next_rotation: s.next_rotation_date,
                created: s.created_date,
                owning_service: s.owning_service.clone(),
                primary_region: s.primary_region.clone(),
                replica_regions: if replication { s.replica_regions.clone() } else { None },
                tags: s.tags.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
                resource_policy: if policy { s.resource_policy.clone() } else { None },
            })
            .collect()
    })
}
