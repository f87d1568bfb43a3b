//! What a 0.3 rule sees of an SSM parameter (`ssm-parameter.list`).

use super::{KIND_NAME, SsmParameter};
use crate::rules::bindings::v0_3::keyaudit::rules::ssm_parameter as wit;
use crate::rules::sandbox::SandboxState;

impl wit::Host for SandboxState {
    fn list(&mut self) -> wasmtime::Result<Vec<wit::SsmParameter>> {
        let (records, _) = self.records::<SsmParameter>(KIND_NAME)?;
        Ok(records
            .iter()
            .map(|p| wit::SsmParameter {
                arn: p.parameter_arn.clone(),
                region: p.region.clone(),
                name: p.name.clone(),
                parameter_type: p.parameter_type.clone(),
                key_id: p.key_id.clone(),
                tier: p.tier.clone(),
                last_modified: p.last_modified_date,
                last_modified_user: p.last_modified_user.clone(),
                version: Some(p.version),
                data_type: p.data_type.clone(),
                description: p.description.clone(),
                policies: p.policies.clone(),
            })
            .collect())
    }
}
