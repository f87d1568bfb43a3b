//! Conversions between keyaudit's records and the WIT types of the rule
//! contract. The only place that builds WIT values from inventory.

use super::bindings::v0_1 as wit;
use super::model::{Mapping, ParamSpec, ParamValue, RuleInfo, Severity, Status};
use crate::inventory::{KmsGrant, KmsKey};

/// The resource kind of KMS keys, in rule metadata and findings.
pub const KMS_KEY_KIND: &str = "kms-key";
/// Resource kinds this host can hand to rules.
pub const KNOWN_KINDS: &[&str] = &[KMS_KEY_KIND];

pub fn kms_key(key: &KmsKey) -> wit::Resource {
    wit::Resource::KmsKey(wit::KmsKey {
        account_id: key.account_id.clone(),
        region: key.region.clone(),
        key_id: key.key_id.clone(),
        key_arn: key.key_arn.clone(),
        aliases: key.aliases.clone(),
        description: key.description.clone(),
        key_manager: key.key_manager.clone(),
        key_state: key.key_state.clone(),
        enabled: key.enabled,
        key_usage: key.key_usage.clone(),
        key_spec: key.key_spec.clone(),
        origin: key.origin.clone(),
        multi_region: key.multi_region,
        multi_region_key_type: key.multi_region_key_type.clone(),
        multi_region_primary_arn: key.multi_region_primary_arn.clone(),
        multi_region_replica_arns: key.multi_region_replica_arns.clone(),
        creation_date: key.creation_date,
        deletion_date: key.deletion_date,
        valid_to: key.valid_to,
        rotation_enabled: key.rotation_enabled,
        rotation_period_days: key.rotation_period_days,
        next_rotation_date: key.next_rotation_date,
        last_rotation_date: key.last_rotation_date,
        last_used_date: key.last_used_date,
        key_policy: key.key_policy.clone(),
        grants: key.grants.iter().map(grant).collect(),
        tags: key.tags.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
    })
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

fn param_from_wit(value: wit::ParamValue) -> ParamValue {
    match value {
        wit::ParamValue::Boolean(b) => ParamValue::Boolean(b),
        wit::ParamValue::Integer(i) => ParamValue::Integer(i),
        wit::ParamValue::Number(n) => ParamValue::Number(n),
        wit::ParamValue::Text(t) => ParamValue::Text(t),
        wit::ParamValue::TextList(l) => ParamValue::TextList(l),
    }
}

pub fn status(status: wit::Status) -> Status {
    match status {
        wit::Status::Pass => Status::Pass,
        wit::Status::Fail => Status::Fail,
        wit::Status::Info => Status::Info,
        wit::Status::Error => Status::Error,
    }
}

/// A rule's metadata as the host keeps it.
pub fn rule_info(meta: wit::RuleMetadata, source: String, builtin: bool) -> RuleInfo {
    RuleInfo {
        id: meta.id,
        title: meta.title,
        description: meta.description,
        severity: match meta.severity {
            wit::Severity::Informational => Severity::Informational,
            wit::Severity::Low => Severity::Low,
            wit::Severity::Medium => Severity::Medium,
            wit::Severity::High => Severity::High,
            wit::Severity::Critical => Severity::Critical,
        },
        resource_kinds: meta.resource_kinds,
        parameters: meta
            .parameters
            .into_iter()
            .map(|p| ParamSpec { name: p.name, description: p.description, default: param_from_wit(p.default) })
            .collect(),
        frameworks: meta
            .frameworks
            .into_iter()
            .map(|m| Mapping { framework: m.framework, control: m.control })
            .collect(),
        remediation: meta.remediation,
        references: meta.references,
        source,
        builtin,
    }
}
