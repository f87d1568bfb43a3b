//! Contract 0.1: every record is copied into owned WIT values, once per
//! account, and handed whole to every 0.1 rule.

use super::ResourceRef;
use crate::inventory::Account;
use crate::kinds::kms_key::{self, KmsGrant, KmsKey};

super::shared_conversions!(crate::rules::bindings::v0_1, "0.1");

impl From<wit::Finding> for RawFinding {
    fn from(mut finding: wit::Finding) -> Self {
        let resource = finding.resource_id.take().map_or(ResourceRef::Account, ResourceRef::Id);
        raw_finding(finding, resource)
    }
}

/// A 0.1 rule gets every field of the kinds it reads.
fn reads(meta: &wit::RuleMetadata) -> Vec<KindRead> {
    meta.resource_kinds
        .iter()
        .map(|kind| KindRead {
            kind: kind.clone(),
            fields: if kind == kms_key::KIND_NAME {
                kms_key::INFO.field_groups.iter().map(|g| (*g).to_owned()).collect()
            } else {
                Vec::new()
            },
        })
        .collect()
}

/// The scope of one account; `parameters` are filled in per rule.
pub fn scope(
    account: &Account,
    org_account_ids: Vec<String>,
    regions: &[String],
    evaluated_at: i64,
) -> wit::AccountScope {
    wit::AccountScope {
        account_id: account.account_id.clone(),
        account_name: account.account_name.clone(),
        ou_path: account.ou_path.clone(),
        org_id: account.org_id.clone(),
        org_account_ids,
        regions: regions.to_vec(),
        parameters: Vec::new(),
        evaluated_at,
    }
}

pub fn kms_key(key: &KmsKey) -> wit::Resource {
    wit::Resource::KmsKey(wit::KmsKey {
        account_id: key.account_id.clone(),
        region: key.region.clone(),
        key_id: key.key_id.clone(),
        key_arn: key.key_arn.clone(),
        aliases: or_empty(&key.aliases),
        description: key.description.clone().unwrap_or_default(),
        key_manager: key.key_manager.clone(),
        key_state: key.key_state.clone(),
        enabled: key.enabled == Some(true),
        key_usage: key.key_usage.clone(),
        key_spec: key.key_spec.clone(),
        origin: key.origin.clone(),
        multi_region: key.multi_region == Some(true),
        multi_region_key_type: key.multi_region_key_type.clone(),
        multi_region_primary_arn: key.multi_region_primary_arn.clone(),
        multi_region_replica_arns: or_empty(&key.multi_region_replica_arns),
        creation_date: key.creation_date,
        deletion_date: key.deletion_date,
        valid_to: key.valid_to,
        rotation_enabled: key.rotation_enabled,
        rotation_period_days: key.rotation_period_days,
        next_rotation_date: key.next_rotation_date,
        last_rotation_date: key.last_rotation_date,
        last_used_date: key.last_used_date,
        key_policy: key.key_policy.clone(),
        grants: key.grants.iter().flatten().map(grant).collect(),
        tags: key.tags.iter().flatten().map(|(k, v)| (k.clone(), v.clone())).collect(),
    })
}

/// Contract 0.1 has no way to say "unknown": an unread list goes as empty,
/// and the host voids every 0.1 verdict on a key with unread fields
/// (`rules::gaps`), since a 0.1 rule may read any of them.
fn or_empty<T: Clone>(list: &Option<Vec<T>>) -> Vec<T> {
    list.as_ref().map_or_else(Vec::new, Vec::clone)
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

pub fn param_to_wit(value: &ParamValue) -> wit::ParamValue {
    match value {
        ParamValue::Boolean(b) => wit::ParamValue::Boolean(*b),
        ParamValue::Integer(i) => wit::ParamValue::Integer(*i),
        ParamValue::Number(n) => wit::ParamValue::Number(*n),
        ParamValue::Text(t) => wit::ParamValue::Text(t.clone()),
        ParamValue::TextList(l) => wit::ParamValue::TextList(l.clone()),
    }
}
