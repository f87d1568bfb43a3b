//! What a 0.3 rule sees of a KMS key (`kms-key.list`): the metadata and
//! rotation fields, plus the optional groups the rule reads.

use std::sync::Arc;

use wasmtime::component::Linker;

use super::{KIND_NAME, KmsGrant, KmsKey};
use crate::kinds::Want;
use crate::rules::bindings::v0_3::keyaudit::rules::kms_key as wit;
use crate::rules::bindings::v0_3::keyaudit::rules::kms_key_usage as usage;
use crate::rules::sandbox::SandboxState;

/// Maps AWS's spelling of an enum to the WIT variant, keeping unknown values as `other`.
macro_rules! from_aws {
    ($fn:ident -> $type:ident { $($aws:literal => $case:ident),* $(,)? }) => {
        fn $fn(value: &str) -> wit::$type {
            match value {
                $($aws => wit::$type::$case,)*
                other => wit::$type::Other(other.to_owned()),
            }
        }
    };
}
crate::rules::kms_enums!(from_aws);

/// Serves `list` from the account's shared view, and `kms-key-usage.usage`.
pub(crate) fn link(linker: &mut Linker<SandboxState>) -> wasmtime::Result<()> {
    crate::rules::sandbox::link_list(linker, KIND_NAME, view)?;
    crate::rules::sandbox::link_view(linker, "kms-key-usage", "usage", usage_view)
}

/// Each key's usage, at its position in `list` (group "last-usage").
fn usage_view(state: &SandboxState) -> wasmtime::Result<Arc<[Option<usage::KeyLastUsage>]>> {
    state.rule_view(KIND_NAME, |records: &[KmsKey], fields: &Want| {
        let read = fields.wants("last-usage");
        records
            .iter()
            .map(|key| {
                let since = key.usage_tracked_since.filter(|_| read)?;
                Some(usage::KeyLastUsage {
                    tracking_start: since,
                    last_used: key.last_used_date,
                    operation: key.last_used_operation.clone(),
                    cloudtrail_event_id: key.last_used_event_id.clone(),
                })
            })
            .collect()
    })
    .and_then(|view| {
        // Only a rule that reads the group may ask.
        let (_, want) = state.records::<KmsKey>(KIND_NAME)?;
        if want.wants("last-usage") {
            Ok(view)
        } else {
            Err(wasmtime::format_err!(
                "called kms-key-usage.usage, but its metadata does not read kms-key's field group \"last-usage\""
            ))
        }
    })
}

/// The account's keys as rules see them, built once per account and set of
/// field groups the rules read: every rule that reads no group (rotation,
/// state, usage) lowers the very same records.
fn view(state: &SandboxState) -> wasmtime::Result<Arc<[wit::KmsKey]>> {
    state.rule_view(KIND_NAME, |records: &[KmsKey], fields: &Want| {
        let arn = fields.wants("arn");
        let aliases = fields.wants("aliases");
        let description = fields.wants("description");
        let policy = fields.wants("key-policy");
        let grants = fields.wants("grants");
        let tags = fields.wants("tags");
        let multi_region = fields.wants("multi-region");
        let last_usage = fields.wants("last-usage");
        records
            .iter()
            .map(|key| wit::KmsKey {
                key_arn: arn.then(|| key.key_arn.clone()),
                aliases: if aliases { key.aliases.clone() } else { None },
                description: if description { key.description.clone() } else { None },
                key_policy: if policy { key.key_policy.clone() } else { None },
                grants: if grants { key.grants.as_ref().map(|g| g.iter().map(grant).collect()) } else { None },
                tags: if tags { key.tags.as_ref().map(|t| t.clone().into_iter().collect()) } else { None },
                multi_region_configuration: (multi_region && key.multi_region == Some(true)).then(|| {
                    wit::MultiRegionConfiguration {
                        key_type: key.multi_region_key_type.as_deref().map(multi_region_key_type),
                        primary_arn: key.multi_region_primary_arn.clone(),
                        replica_arns: key.multi_region_replica_arns.clone().unwrap_or_default(),
                    }
                }),
                last_used_date: key.last_used_date.filter(|_| last_usage),
                ..base_record(key)
            })
            .collect()
    })
}

/// A key's record without any optional group.
fn base_record(key: &KmsKey) -> wit::KmsKey {
    wit::KmsKey {
        key_manager: key.key_manager.as_deref().map(key_manager),
        key_state: key.key_state.as_deref().map(key_state),
        // The record cannot say "unknown" here; the host voids any verdict
        // on a key whose metadata was not read (`rules::gaps`).
        enabled: key.enabled == Some(true),
        key_usage: key.key_usage.as_deref().map(key_usage),
        key_spec: key.key_spec.as_deref().map(key_spec),
        origin: key.origin.as_deref().map(key_origin),
        multi_region: key.multi_region == Some(true),
        creation_date: key.creation_date,
        deletion_date: key.deletion_date,
        valid_to: key.valid_to,
        rotation_enabled: key.rotation_enabled,
        rotation_period_days: key.rotation_period_days,
        next_rotation_date: key.next_rotation_date,
        last_rotation_date: key.last_rotation_date,
        last_used_date: key.last_used_date,
        key_arn: None,
        aliases: None,
        description: None,
        key_policy: None,
        grants: None,
        tags: None,
        multi_region_configuration: None,
    }
}

fn grant(grant: &KmsGrant) -> wit::KmsGrant {
    wit::KmsGrant {
        grant_id: grant.grant_id.clone(),
        name: grant.name.clone(),
        grantee_principal: grant.grantee_principal.clone(),
        retiring_principal: grant.retiring_principal.clone(),
        issuing_account: grant.issuing_account.clone(),
        operations: grant.operations.clone(),
        creation_date: grant.creation_date,
    }
}
