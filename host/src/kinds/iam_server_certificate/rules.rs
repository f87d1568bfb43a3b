//! What a 0.3 rule sees of an IAM server certificate (`iam-server-certificate.list`).

use super::{IamServerCertificate, KIND_NAME};
use crate::rules::bindings::v0_3::keyaudit::rules::iam_server_certificate as wit;
use crate::rules::sandbox::SandboxState;

impl wit::Host for SandboxState {
    fn list(&mut self) -> wasmtime::Result<Vec<wit::IamServerCertificate>> {
        let (records, fields) = self.records::<IamServerCertificate>(KIND_NAME)?;
        let body = fields.wants("body");
        Ok(records
            .iter()
            .map(|c| wit::IamServerCertificate {
                arn: c.arn.clone(),
                name: c.name.clone(),
                path: c.path.clone(),
                upload_date: c.upload_date,
                not_before: c.not_before.filter(|_| body),
                not_after: c.not_after.filter(|_| body),
                key_algorithm: c.key_algorithm.clone().filter(|_| body),
                key_size: c.key_size.and_then(|bits| u32::try_from(bits).ok()).filter(|_| body),
                signature_algorithm: c.signature_algorithm.clone().filter(|_| body),
            })
            .collect())
    }
}
