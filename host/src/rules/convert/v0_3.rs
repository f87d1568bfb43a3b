//! Contract 0.3: the scope and findings of a rule call. Each kind's records
//! are built by its own folder (`kinds/<kind>/rules.rs`) when the rule calls
//! that kind's `list`.

use super::ResourceRef;
use crate::inventory::Account;

super::shared_conversions!(crate::rules::bindings::v0_3, "0.3");

impl From<wit::Finding> for RawFinding {
    fn from(mut finding: wit::Finding) -> Self {
        let resource =
            finding.resource.take().map_or(ResourceRef::Account, |r| ResourceRef::KindIndex(r.kind, r.index));
        raw_finding(finding, resource)
    }
}

/// A 0.3 rule declares its reads itself.
fn reads(meta: &wit::RuleMetadata) -> Vec<KindRead> {
    meta.reads.iter().map(|r| KindRead { kind: r.kind.clone(), fields: r.fields.clone() }).collect()
}

/// The scope of one account for one rule.
pub fn scope(
    account: &Account,
    regions: &[String],
    parameters: &[(String, ParamValue)],
    evaluated_at: i64,
) -> wit::AccountScope {
    wit::AccountScope {
        account_id: account.account_id.clone(),
        account_name: account.account_name.clone(),
        ou_path: account.ou_path.clone(),
        org_id: account.org_id.clone(),
        regions: regions.to_vec(),
        parameters: parameters
            .iter()
            .map(|(name, value)| {
                let value = match value {
                    ParamValue::Boolean(b) => wit::ParamValue::Boolean(*b),
                    ParamValue::Integer(i) => wit::ParamValue::Integer(*i),
                    ParamValue::Number(n) => wit::ParamValue::Number(*n),
                    ParamValue::Text(t) => wit::ParamValue::Text(t.clone()),
                    ParamValue::TextList(l) => wit::ParamValue::TextList(l.clone()),
                };
                (name.clone(), value)
            })
            .collect(),
        evaluated_at,
    }
}
