//! Contract 0.2: records that borrow the host's inventory, built per rule
//! call with only the optional KMS key field groups the rule asked for, so
//! nothing is cloned on the host and nothing unrequested crosses into the rule.

use super::ResourceRef;
use crate::inventory::Account;
use crate::kinds::kms_key::{KIND_NAME, KmsGrant, KmsKey};

super::shared_conversions!(crate::rules::bindings::v0_2, "0.2");

pub use wit::KmsKeyFields;

impl From<wit::Finding> for RawFinding {
    fn from(finding: wit::Finding) -> Self {
        let resource = finding.resource_index.map_or(ResourceRef::Account, ResourceRef::Index);
        raw_finding(finding, resource)
    }
}

/// Maps AWS's spelling of an enum to the WIT variant, keeping unknown values as `other`.
macro_rules! from_aws {
    ($fn:ident -> $type:ident { $($aws:literal => $case:ident),* $(,)? }) => {
        fn $fn(value: &str) -> wit::$type<'_> {
            match value {
                $($aws => wit::$type::$case,)*
                other => wit::$type::Other(other),
            }
        }
    };
}
super::kms_enums!(from_aws);

/// Calls `call` with the scope of one account and one rule's parameters.
pub fn with_scope<R>(
    account: &Account,
    regions: &[String],
    parameters: &[(String, ParamValue)],
    evaluated_at: i64,
    call: impl FnOnce(wit::AccountScope<'_>) -> R,
) -> R {
    let regions: Vec<&str> = regions.iter().map(String::as_str).collect();
    let text_lists: Vec<Vec<&str>> = parameters
        .iter()
        .map(|(_, value)| match value {
            ParamValue::TextList(items) => items.iter().map(String::as_str).collect(),
            _ => Vec::new(),
        })
        .collect();
    let parameters: Vec<(&str, wit::ParamValueParam<'_>)> = parameters
        .iter()
        .zip(&text_lists)
        .map(|((name, value), list)| {
            let value = match value {
                ParamValue::Boolean(b) => wit::ParamValueParam::Boolean(*b),
                ParamValue::Integer(i) => wit::ParamValueParam::Integer(*i),
                ParamValue::Number(n) => wit::ParamValueParam::Number(*n),
                ParamValue::Text(t) => wit::ParamValueParam::Text(t),
                ParamValue::TextList(_) => wit::ParamValueParam::TextList(list),
            };
            (name.as_str(), value)
        })
        .collect();
    call(wit::AccountScope {
        account_id: &account.account_id,
        account_name: &account.account_name,
        ou_path: &account.ou_path,
        org_id: &account.org_id,
        regions: &regions,
        parameters: &parameters,
        evaluated_at,
    })
}

/// The lists one key's records point into; empty unless their group is asked
/// for, and `None` where the key's list could not be read.
#[derive(Default)]
struct KeyLists<'a> {
    aliases: Option<Vec<&'a str>>,
    tags: Option<Vec<(&'a str, &'a str)>>,
    replica_arns: Vec<&'a str>,
    grant_operations: Vec<Vec<&'a str>>,
}

impl<'a> KeyLists<'a> {
    fn new(key: &'a KmsKey, fields: KmsKeyFields) -> Self {
        let strs = |items: &'a [String]| items.iter().map(String::as_str).collect();
        let mut lists = KeyLists::default();
        if fields.contains(KmsKeyFields::ALIASES) {
            lists.aliases = key.aliases.as_deref().map(strs);
        }
        if fields.contains(KmsKeyFields::TAGS) {
            lists.tags = key.tags.as_ref().map(|tags| tags.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect());
        }
        if fields.contains(KmsKeyFields::MULTI_REGION)
            && let Some(replicas) = &key.multi_region_replica_arns
        {
            lists.replica_arns = strs(replicas);
        }
        if fields.contains(KmsKeyFields::GRANTS)
            && let Some(grants) = &key.grants
        {
            lists.grant_operations = grants.iter().map(|g| strs(&g.operations)).collect();
        }
        lists
    }
}

/// A 0.2 rule's reads: its kinds, and for KMS keys the groups its flags name.
fn reads(meta: &wit::RuleMetadata) -> Vec<KindRead> {
    let groups = [
        (KmsKeyFields::ARN, "arn"),
        (KmsKeyFields::ALIASES, "aliases"),
        (KmsKeyFields::DESCRIPTION, "description"),
        (KmsKeyFields::KEY_POLICY, "key-policy"),
        (KmsKeyFields::GRANTS, "grants"),
        (KmsKeyFields::TAGS, "tags"),
        (KmsKeyFields::MULTI_REGION, "multi-region"),
    ];
    meta.resource_kinds
        .iter()
        .map(|kind| KindRead {
            kind: kind.clone(),
            fields: if kind == KIND_NAME {
                groups
                    .iter()
                    .filter(|(flag, _)| meta.kms_key_fields.contains(*flag))
                    .map(|(_, g)| (*g).to_owned())
                    .collect()
            } else {
                Vec::new()
            },
        })
        .collect()
}

/// The records of `keys` without any optional group: built once per account
/// and handed as they are to every rule that asks for no group.
pub fn base_kms_keys(keys: &[KmsKey]) -> Vec<wit::Resource<'_>> {
    keys.iter().map(|key| wit::Resource::KmsKey(base_kms_key(key))).collect()
}

/// Calls `call` with the records of a rule that reads `fields`: `base`
/// (from [`base_kms_keys`] over `keys`) plus the groups asked for.
pub fn with_kms_keys<'a, R>(
    keys: &'a [KmsKey],
    base: &[wit::Resource<'a>],
    fields: KmsKeyFields,
    call: impl FnOnce(&[wit::Resource<'_>]) -> R,
) -> R {
    if fields == KmsKeyFields::empty() {
        return call(base);
    }
    // Only the list-valued groups need storage of their own.
    let lists: Vec<KeyLists<'_>> = keys.iter().map(|key| KeyLists::new(key, fields)).collect();
    let grants: Vec<Vec<wit::KmsGrant<'_>>> = keys
        .iter()
        .zip(&lists)
        .map(|(key, lists)| {
            let grants = key.grants.as_deref().unwrap_or(&[]);
            grants.iter().zip(&lists.grant_operations).map(|(g, ops)| grant(g, ops)).collect()
        })
        .collect();
    let resources: Vec<wit::Resource<'_>> = keys
        .iter()
        .zip(lists.iter().zip(&grants))
        .map(|(key, (lists, grants))| wit::Resource::KmsKey(kms_key(key, fields, lists, grants)))
        .collect();
    call(&resources)
}

/// A key's record with the groups in `fields`.
fn kms_key<'a>(
    key: &'a KmsKey,
    fields: KmsKeyFields,
    lists: &'a KeyLists<'a>,
    grants: &'a [wit::KmsGrant<'a>],
) -> wit::KmsKey<'a> {
    let wanted = |group: KmsKeyFields| fields.contains(group);
    wit::KmsKey {
        key_arn: wanted(KmsKeyFields::ARN).then_some(key.key_arn.as_str()),
        // A group asked for but not read stays `none`.
        aliases: lists.aliases.as_deref(),
        description: if wanted(KmsKeyFields::DESCRIPTION) { key.description.as_deref() } else { None },
        key_policy: if wanted(KmsKeyFields::KEY_POLICY) { key.key_policy.as_deref() } else { None },
        grants: (wanted(KmsKeyFields::GRANTS) && key.grants.is_some()).then_some(grants),
        tags: lists.tags.as_deref(),
        multi_region_configuration: (wanted(KmsKeyFields::MULTI_REGION) && key.multi_region == Some(true)).then(|| {
            wit::MultiRegionConfiguration {
                key_type: key.multi_region_key_type.as_deref().map(multi_region_key_type),
                primary_arn: key.multi_region_primary_arn.as_deref(),
                replica_arns: &lists.replica_arns,
            }
        }),
        ..base_kms_key(key)
    }
}

/// A key's record without any optional group.
fn base_kms_key(key: &KmsKey) -> wit::KmsKey<'_> {
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

fn grant<'a>(grant: &'a KmsGrant, operations: &'a [&'a str]) -> wit::KmsGrant<'a> {
    wit::KmsGrant {
        grant_id: &grant.grant_id,
        name: grant.name.as_deref(),
        grantee_principal: grant.grantee_principal.as_deref(),
        retiring_principal: grant.retiring_principal.as_deref(),
        issuing_account: grant.issuing_account.as_deref(),
        operations,
        creation_date: grant.creation_date,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_enum_values_map_to_cases_and_unknown_ones_are_kept() {
        assert!(matches!(key_state("PendingReplicaDeletion"), wit::KeyState::PendingReplicaDeletion));
        assert!(matches!(key_spec("ML_DSA_65"), wit::KeySpec::MlDsa65));
        assert!(matches!(key_spec("FUTURE_SPEC"), wit::KeySpec::Other("FUTURE_SPEC")));
        assert!(matches!(key_origin("EXTERNAL_KEY_STORE"), wit::KeyOrigin::ExternalKeyStore));
    }
}
