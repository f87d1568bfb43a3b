//! Config recorder collector: `DescribeConfigurationRecorders`, then
//! `DescribeConfigurationRecorderStatus` for the region's recorders.

use aws_sdk_config::Client;

use super::{ConfigRecorder, INFO, config_api};
use crate::aws::{AwsResultExt, millis};
use crate::collect::RegionContext;
use crate::inventory::now_millis;
use crate::kinds::{CollectFuture, Collected, Want};

const SERVICE: &str = INFO.service;

pub fn collect<'a>(ctx: &'a RegionContext, _want: &'a Want) -> CollectFuture<'a, ConfigRecorder> {
    Box::pin(collect_recorders(ctx))
}

#[tracing::instrument(skip_all, fields(account = %ctx.scope.account_id, region = %ctx.scope.region, service = "config-recorders"))]
async fn collect_recorders(ctx: &RegionContext) -> Collected<ConfigRecorder> {
    let client = Client::new(&ctx.sdk);
    let mut collected = Collected::default();
    let scope = &ctx.scope;
    let recorders = match ctx.call(|| async { client.describe_configuration_recorders().send().await.aws() }).await {
        Ok(out) => out.configuration_recorders().to_vec(),
        Err(err) => {
            collected.errors.push(ctx.error(SERVICE, config_api::DESCRIBE_CONFIGURATION_RECORDERS, None, err));
            return collected;
        }
    };
    for recorder in recorders.iter().filter(|r| r.name().is_some()) {
        let name = recorder.name().unwrap_or_default().to_owned();
        let group = recorder.recording_group();
        collected.records.push(ConfigRecorder {
            run_id: scope.run_id.clone(),
            account_id: scope.account_id.clone(),
            account_name: scope.account_name.clone(),
            ou_path: scope.ou_path.clone(),
            org_id: scope.org_id.clone(),
            region: scope.region.clone(),
            recorder_arn: recorder.arn().map_or_else(
                || {
                    format!(
                        "arn:{}:config:{}:{}:configuration-recorder/{name}",
                        scope.partition, scope.region, scope.account_id
                    )
                },
                str::to_owned,
            ),
            name,
            role_arn: recorder.role_arn().map(str::to_owned),
            all_supported: group.map(|g| g.all_supported()),
            include_global_resource_types: group.map(|g| g.include_global_resource_types()),
            recording: None,
            last_status: None,
            last_status_changed_at: None,
            unread: Vec::new(),
            collected_at: now_millis(),
        });
    }
    if collected.records.is_empty() {
        return collected;
    }
    match ctx.call(|| async { client.describe_configuration_recorder_status().send().await.aws() }).await {
        Ok(out) => {
            for record in &mut collected.records {
                let status = out.configuration_recorders_status().iter().find(|s| s.name() == Some(&record.name));
                match status {
                    Some(status) => {
                        record.recording = Some(status.recording());
                        record.last_status = status.last_status().map(|s| s.as_str().to_owned());
                        record.last_status_changed_at = status.last_status_change_time().and_then(millis);
                    }
                    // A recorder without a status has never been started.
                    None => record.recording = Some(false),
                }
            }
        }
        Err(err) => {
            collected.errors.push(ctx.error(SERVICE, config_api::DESCRIBE_CONFIGURATION_RECORDER_STATUS, None, err));
            for record in &mut collected.records {
                record.unread.push(config_api::DESCRIBE_CONFIGURATION_RECORDER_STATUS.to_owned());
            }
        }
    }
    collected
}
