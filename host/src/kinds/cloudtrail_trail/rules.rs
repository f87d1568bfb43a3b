//! What a 0.3 rule sees of a trail (`cloudtrail-trail.list`, contract 0.3.1).

use std::sync::Arc;

use wasmtime::component::Linker;

use super::{CloudTrailTrail, KIND_NAME};
use crate::kinds::Want;
use crate::rules::bindings::v0_3::keyaudit::rules::cloudtrail_trail as wit;
use crate::rules::sandbox::SandboxState;

/// Serves `list` from the account's shared view.
pub(crate) fn link(linker: &mut Linker<SandboxState>) -> wasmtime::Result<()> {
    crate::rules::sandbox::link_list(linker, KIND_NAME, view)
}

/// The account's records as rules see them, built once per account and set
/// of field groups the rules read.
fn view(state: &SandboxState) -> wasmtime::Result<Arc<[wit::CloudtrailTrail]>> {
    state.rule_view(KIND_NAME, |records: &[CloudTrailTrail], fields: &Want| {
        let status = fields.wants("status");
        let selectors = fields.wants("event-selectors");
        records
            .iter()
            .map(|t| wit::CloudtrailTrail {
                arn: t.trail_arn.clone(),
                region: t.region.clone(),
                name: t.name.clone(),
                home_region: t.home_region.clone(),
                multi_region: t.multi_region,
                organization_trail: t.organization_trail,
                kms_key_id: t.kms_key_id.clone(),
                log_file_validation: t.log_file_validation,
                s3_bucket: t.s3_bucket.clone(),
                logging: t.logging.filter(|_| status),
                latest_delivery: t.latest_delivery.filter(|_| status),
                latest_delivery_error: t.latest_delivery_error.clone().filter(|_| status),
                management_events: t.management_events.clone().filter(|_| selectors),
                kms_events_logged: t.kms_events_logged.filter(|_| selectors),
            })
            .collect()
    })
}
