//! Contract 0.2: records that borrow the host's inventory, built per rule
//! call with only the optional KMS key field groups the rule asked for, so
//! nothing is cloned on the host and nothing unrequested crosses into the rule.

use super::ResourceRef;
use crate::inventory::{Account, KmsGrant, KmsKey};

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

from_aws!(key_manager -> KeyManager { "AWS" => Aws, "CUSTOMER" => Customer });
from_aws!(key_state -> KeyState {
    "Creating" => Creating,
    "Enabled" => Enabled,
    "Disabled" => Disabled,
    "PendingDeletion" => PendingDeletion,
    "PendingImport" => PendingImport,
    "PendingReplicaDeletion" => PendingReplicaDeletion,
    "Unavailable" => Unavailable,
    "Updating" => Updating,
});
from_aws!(key_usage -> KeyUsage {
    "ENCRYPT_DECRYPT" => EncryptDecrypt,
    "SIGN_VERIFY" => SignVerify,
    "GENERATE_VERIFY_MAC" => GenerateVerifyMac,
    "KEY_AGREEMENT" => KeyAgreement,
});
from_aws!(key_spec -> KeySpec {
    "SYMMETRIC_DEFAULT" => SymmetricDefault,
    "RSA_2048" => Rsa2048,
    "RSA_3072" => Rsa3072,
    "RSA_4096" => Rsa4096,
    "ECC_NIST_P256" => EccNistP256,
    "ECC_NIST_P384" => EccNistP384,
    "ECC_NIST_P521" => EccNistP521,
    "ECC_SECG_P256K1" => EccSecgP256k1,
    "ECC_NIST_EDWARDS25519" => EccNistEdwards25519,
    "HMAC_224" => Hmac224,
    "HMAC_256" => Hmac256,
    "HMAC_384" => Hmac384,
    "HMAC_512" => Hmac512,
    "SM2" => Sm2,
    "ML_DSA_44" => MlDsa44,
    "ML_DSA_65" => MlDsa65,
    "ML_DSA_87" => MlDsa87,
});
from_aws!(key_origin -> KeyOrigin {
    "AWS_KMS" => AwsKms,
    "EXTERNAL" => External,
    "AWS_CLOUDHSM" => AwsCloudhsm,
    "EXTERNAL_KEY_STORE" => ExternalKeyStore,
});
from_aws!(multi_region_key_type -> MultiRegionKeyType { "PRIMARY" => Primary, "REPLICA" => Replica });

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

/// The lists one key's records point into; empty unless their group is asked for.
#[derive(Default)]
struct KeyLists<'a> {
    aliases: Vec<&'a str>,
    tags: Vec<(&'a str, &'a str)>,
    replica_arns: Vec<&'a str>,
    grant_operations: Vec<Vec<&'a str>>,
}

impl<'a> KeyLists<'a> {
    fn new(key: &'a KmsKey, fields: KmsKeyFields) -> Self {
        let strs = |items: &'a [String]| items.iter().map(String::as_str).collect();
        let mut lists = KeyLists::default();
        if fields.contains(KmsKeyFields::ALIASES) {
            lists.aliases = strs(&key.aliases);
        }
        if fields.contains(KmsKeyFields::TAGS) {
            lists.tags = key.tags.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        }
        if fields.contains(KmsKeyFields::MULTI_REGION) {
            lists.replica_arns = strs(&key.multi_region_replica_arns);
        }
        if fields.contains(KmsKeyFields::GRANTS) {
            lists.grant_operations = key.grants.iter().map(|g| strs(&g.operations)).collect();
        }
        lists
    }
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
        .map(|(key, lists)| key.grants.iter().zip(&lists.grant_operations).map(|(g, ops)| grant(g, ops)).collect())
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
        aliases: wanted(KmsKeyFields::ALIASES).then_some(lists.aliases.as_slice()),
        description: wanted(KmsKeyFields::DESCRIPTION).then_some(key.description.as_str()),
        key_policy: if wanted(KmsKeyFields::KEY_POLICY) { key.key_policy.as_deref() } else { None },
        grants: wanted(KmsKeyFields::GRANTS).then_some(grants),
        tags: wanted(KmsKeyFields::TAGS).then_some(lists.tags.as_slice()),
        multi_region_configuration: (wanted(KmsKeyFields::MULTI_REGION) && key.multi_region).then(|| {
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
        enabled: key.enabled,
        key_usage: key.key_usage.as_deref().map(key_usage),
        key_spec: key.key_spec.as_deref().map(key_spec),
        origin: key.origin.as_deref().map(key_origin),
        multi_region: key.multi_region,
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
