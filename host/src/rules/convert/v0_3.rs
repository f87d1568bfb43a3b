//! Contract 0.3: the scope and findings of a rule call. Each kind's records
//! are built by its own folder (`kinds/<kind>/rules.rs`) when the rule calls
//! that kind's `list`.

use wasmtime::component::__internal::wasmtime_environ::component::StringEncoding;
use wasmtime::component::__internal::{CanonicalAbiInfo, InstanceType, InterfaceType, LiftContext};
use wasmtime::component::{ComponentType, Lift, WasmStr};

use super::ResourceRef;
use crate::inventory::Account;

super::shared_conversions!(crate::rules::bindings::v0_3, "0.3");

/// A finding as a 0.3 rule's `evaluate` returns it, with its resource's
/// kind matched against the registry's names as it is lifted (`KindName`):
/// no string is allocated for it, in the hottest path of a scan.
#[derive(ComponentType, Lift)]
#[component(record)]
pub struct LiftedFinding {
    resource: Option<LiftedResourceRef>,
    subject: Option<String>,
    region: Option<String>,
    status: wit::Status,
    message: String,
    evidence: Vec<(String, String)>,
}

/// `resource-ref`, its kind matched as it is lifted.
#[derive(ComponentType, Lift)]
#[component(record)]
pub struct LiftedResourceRef {
    kind: KindName,
    index: u32,
}

/// What `evaluate` returns, lifted.
pub type Evaluated = Result<Vec<LiftedFinding>, String>;

/// A lifted finding in the host's terms: its kind is one of `kinds` (the
/// rule's reads) or, if not, kept as the rule wrote it, for the host to
/// refuse by name.
pub fn finding(finding: LiftedFinding, kinds: &[&'static str]) -> RawFinding {
    let resource = match finding.resource {
        None => ResourceRef::Account,
        Some(LiftedResourceRef { kind: KindName::Known(kind), index }) if kinds.contains(&kind) => {
            ResourceRef::KindIndex(kind, index)
        }
        Some(LiftedResourceRef { kind: KindName::Known(kind), index }) => {
            ResourceRef::UnreadKind(kind.to_owned(), index)
        }
        Some(LiftedResourceRef { kind: KindName::Other(kind), index }) => ResourceRef::UnreadKind(kind, index),
    };
    RawFinding {
        resource,
        subject: finding.subject,
        region: finding.region,
        status: status(finding.status),
        message: finding.message,
        evidence: finding.evidence,
    }
}

/// A WIT `string` naming a resource kind: one of the registry's names,
/// compared in the rule's memory while lifting, or any other text, copied.
pub enum KindName {
    Known(&'static str),
    Other(String),
}

// SAFETY: the same canonical ABI type as `string` (it delegates every item
// to `WasmStr`, whose layout it shares).
unsafe impl ComponentType for KindName {
    type Lower = <WasmStr as ComponentType>::Lower;
    const ABI: CanonicalAbiInfo = <WasmStr as ComponentType>::ABI;

    fn typecheck(ty: &InterfaceType, types: &InstanceType<'_>) -> wasmtime::Result<()> {
        <WasmStr as ComponentType>::typecheck(ty, types)
    }
}

// SAFETY: bytes are read only where `WasmStr`'s own lift has checked the
// pointer, length and alignment against the rule's memory.
unsafe impl Lift for KindName {
    fn linear_lift_from_flat(cx: &mut LiftContext<'_>, ty: InterfaceType, src: &Self::Lower) -> wasmtime::Result<Self> {
        // Findings come in a list, so they are lifted from memory; this
        // path is for completeness.
        String::linear_lift_from_flat(cx, ty, src).map(Self::Other)
    }

    fn linear_lift_from_memory(cx: &mut LiftContext<'_>, ty: InterfaceType, bytes: &[u8]) -> wasmtime::Result<Self> {
        if matches!(cx.options().string_encoding, StringEncoding::Utf8) {
            WasmStr::linear_lift_from_memory(cx, ty, bytes)?;
            let word = |at: usize| {
                bytes.get(at..at + 4).and_then(|b| b.try_into().ok()).map(|b| u32::from_le_bytes(b) as usize)
            };
            let text =
                word(0).zip(word(4)).and_then(|(ptr, len)| cx.memory().get(ptr..).and_then(|tail| tail.get(..len)));
            if let Some(known) =
                text.and_then(|text| crate::kinds::ALL.iter().find(|k| k.info().name.as_bytes() == text))
            {
                return Ok(Self::Known(known.info().name));
            }
        }
        String::linear_lift_from_memory(cx, ty, bytes).map(Self::Other)
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
