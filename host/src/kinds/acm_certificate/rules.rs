//! What a 0.3 rule sees of an ACM certificate (`acm-certificate.list`).

use std::sync::Arc;

use wasmtime::component::Linker;

use super::{AcmCertificate, KIND_NAME};
use crate::kinds::Want;
use crate::rules::bindings::v0_3::keyaudit::rules::acm_certificate as wit;
use crate::rules::sandbox::SandboxState;

/// Serves `list` from the account's shared view.
pub(crate) fn link(linker: &mut Linker<SandboxState>) -> wasmtime::Result<()> {
    crate::rules::sandbox::link_list(linker, KIND_NAME, view)
}

/// The account's records as rules see them, built once per account and set
/// of field groups the rules read.
fn view(state: &SandboxState) -> wasmtime::Result<Arc<[wit::AcmCertificate]>> {
    state.rule_view(KIND_NAME, |records: &[AcmCertificate], fields: &Want| {
        let tags = fields.wants("tags");
        let details = fields.wants("details");
        let detail = |value: &Option<String>| if details { value.clone() } else { None };
        records
            .iter()
            .map(|c| wit::AcmCertificate {
                arn: c.certificate_arn.clone(),
                region: c.region.clone(),
                domain_name: detail(&c.domain_name),
                status: c.status.clone(),
                certificate_type: c.certificate_type.clone(),
                issuer: detail(&c.issuer),
                not_before: c.not_before,
                not_after: c.not_after,
                key_algorithm: c.key_algorithm.clone(),
                signature_algorithm: detail(&c.signature_algorithm),
                in_use_by: if details { c.in_use_by.clone() } else { None },
                renewal_eligibility: c.renewal_eligibility.clone(),
                renewal_status: detail(&c.renewal_status),
                transparency_logging: c.transparency_logging.clone(),
                validation_methods: if details { c.validation_methods.clone() } else { None },
                created_at: c.created_at,
                imported_at: c.imported_at,
                issued_at: c.issued_at,
                tags: if tags { c.tags.as_ref().map(|t| t.clone().into_iter().collect()) } else { None },
            })
            .collect()
    })
}
