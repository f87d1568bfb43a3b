//! What a 0.3 rule sees of an IAM server certificate (`iam-server-certificate.list`).

use std::sync::Arc;

use wasmtime::component::Linker;

use super::{IamServerCertificate, KIND_NAME};
use crate::kinds::Want;
use crate::rules::bindings::v0_3::keyaudit::rules::iam_server_certificate as wit;
use crate::rules::sandbox::SandboxState;

/// Serves `list` from the account's shared view.
pub(crate) fn link(linker: &mut Linker<SandboxState>) -> wasmtime::Result<()> {
    crate::rules::sandbox::link_list(linker, KIND_NAME, view)
}

/// The account's records as rules see them, built once per account and set
/// of field groups the rules read.
fn view(state: &SandboxState) -> wasmtime::Result<Arc<[wit::IamServerCertificate]>> {
    state.rule_view(KIND_NAME, |records: &[IamServerCertificate], fields: &Want| {
        let body = fields.wants("body");
        records
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
            .collect()
    })
}
