//! What a 0.3 rule sees of a region's KMS activity
//! (`cloudtrail-key-activity.list`, contract 0.3.2).

use std::sync::Arc;

use wasmtime::component::Linker;

use super::{CloudTrailKeyActivity, KIND_NAME};
use crate::kinds::Want;
use crate::rules::bindings::v0_3::keyaudit::rules::cloudtrail_key_activity as wit;
use crate::rules::sandbox::SandboxState;

/// Serves `list` from the account's shared view.
pub(crate) fn link(linker: &mut Linker<SandboxState>) -> wasmtime::Result<()> {
    crate::rules::sandbox::link_list(linker, KIND_NAME, view)
}

fn view(state: &SandboxState) -> wasmtime::Result<Arc<[wit::CloudtrailKeyActivity]>> {
    state.rule_view(KIND_NAME, |records: &[CloudTrailKeyActivity], _: &Want| {
        records
            .iter()
            .map(|a| wit::CloudtrailKeyActivity {
                region: a.region.clone(),
                window_start: a.window_start,
                window_end: a.window_end,
                truncated: a.truncated,
                key_events: a
                    .key_events
                    .iter()
                    .map(|e| wit::KeyEvent {
                        event_id: e.event_id.clone(),
                        event_name: e.event_name.clone(),
                        event_time: e.event_time,
                        username: e.username.clone(),
                        key_arn: e.key_arn.clone(),
                    })
                    .collect(),
                usage: a
                    .usage
                    .iter()
                    .map(|u| wit::KeyUseCount {
                        key_arn: u.key_arn.clone(),
                        decrypt: u.decrypt,
                        encrypt: u.encrypt,
                        re_encrypt: u.re_encrypt,
                    })
                    .collect(),
            })
            .collect()
    })
}
