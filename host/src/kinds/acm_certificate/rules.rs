//! What a 0.3 rule sees of an ACM certificate (`acm-certificate.list`).

use super::{AcmCertificate, KIND_NAME};
use crate::rules::bindings::v0_3::keyaudit::rules::acm_certificate as wit;
use crate::rules::sandbox::SandboxState;

impl wit::Host for SandboxState {
    fn list(&mut self) -> wasmtime::Result<Vec<wit::AcmCertificate>> {
        let (records, fields) = self.records::<AcmCertificate>(KIND_NAME)?;
        let tags = fields.wants("tags");
        Ok(records
            .iter()
            .map(|c| wit::AcmCertificate {
                arn: c.certificate_arn.clone(),
                region: c.region.clone(),
                domain_name: c.domain_name.clone(),
                status: c.status.clone(),
                certificate_type: c.certificate_type.clone(),
                issuer: c.issuer.clone(),
                not_before: c.not_before,
                not_after: c.not_after,
                key_algorithm: c.key_algorithm.clone(),
                signature_algorithm: c.signature_algorithm.clone(),
                in_use_by: c.in_use_by.clone(),
                renewal_eligibility: c.renewal_eligibility.clone(),
                renewal_status: c.renewal_status.clone(),
                transparency_logging: c.transparency_logging.clone(),
                validation_methods: c.validation_methods.clone(),
                created_at: c.created_at,
                imported_at: c.imported_at,
                issued_at: c.issued_at,
                tags: if tags { c.tags.as_ref().map(|t| t.clone().into_iter().collect()) } else { None },
            })
            .collect())
    }
}
