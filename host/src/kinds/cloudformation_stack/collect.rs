//! CloudFormation collector: `DescribeStacks` (every stack but deleted
//! ones), then per stack `ListStackResources` ("resources") for the KMS
//! keys it manages.

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::types::Stack;

use super::{CloudFormationStack, INFO, cloudformation_api};
use crate::aws::{AwsResultExt, millis};
use crate::collect::{Page, RegionContext};
use crate::inventory::{CollectionError, now_millis};
use crate::kinds::{CollectFuture, Collected, Want};

const SERVICE: &str = INFO.service;
/// The resource type of a KMS key in a template.
const KMS_KEY_TYPE: &str = "AWS::KMS::Key";

pub fn collect<'a>(ctx: &'a RegionContext, want: &'a Want) -> CollectFuture<'a, CloudFormationStack> {
    Box::pin(collect_stacks(ctx, want))
}

#[tracing::instrument(skip_all, fields(account = %ctx.scope.account_id, region = %ctx.scope.region, service = "cloudformation"))]
async fn collect_stacks(ctx: &RegionContext, want: &Want) -> Collected<CloudFormationStack> {
    let client = Client::new(&ctx.sdk);
    let mut collected = Collected::default();
    let (stacks, error) = ctx
        .paginate(|token| {
            let request = client.describe_stacks().set_next_token(token);
            async move {
                let out = request.send().await.aws()?;
                let items = out.stacks().iter().filter(|s| s.stack_id().is_some()).cloned().collect();
                Ok(Page { items, next: out.next_token().map(str::to_owned) })
            }
        })
        .await;
    if let Some(err) = error {
        collected.errors.push(ctx.error(SERVICE, cloudformation_api::DESCRIBE_STACKS, None, err));
    }
    collected.gather(ctx, stacks, |stack| collect_stack(ctx, &client, want, stack)).await;
    collected
}

async fn collect_stack(
    ctx: &RegionContext,
    client: &Client,
    want: &Want,
    stack: Stack,
) -> (CloudFormationStack, Vec<CollectionError>) {
    let mut record = record(ctx, &stack);
    let mut errors = Vec::new();
    if want.wants("resources") {
        let id = record.stack_id.clone();
        let (keys, error) = ctx
            .paginate(|token| {
                let request = client.list_stack_resources().stack_name(&id).set_next_token(token);
                async move {
                    let out = request.send().await.aws()?;
                    let items = out
                        .stack_resource_summaries()
                        .iter()
                        .filter(|r| r.resource_type() == Some(KMS_KEY_TYPE))
                        .filter_map(|r| r.physical_resource_id().map(str::to_owned))
                        .collect();
                    Ok(Page { items, next: out.next_token().map(str::to_owned) })
                }
            })
            .await;
        match error {
            None => record.kms_key_ids = Some(keys),
            Some(err) => {
                errors.push(ctx.error(SERVICE, cloudformation_api::LIST_STACK_RESOURCES, Some(&id), err));
                record.unread.push(cloudformation_api::LIST_STACK_RESOURCES.to_owned());
            }
        }
    }
    (record, errors)
}

fn record(ctx: &RegionContext, stack: &Stack) -> CloudFormationStack {
    let scope = &ctx.scope;
    let text = |v: Option<&str>| v.map(str::to_owned);
    let drift = stack.drift_information();
    let id = stack.stack_id().unwrap_or_default();
    CloudFormationStack {
        run_id: scope.run_id.clone(),
        account_id: scope.account_id.clone(),
        account_name: scope.account_name.clone(),
        ou_path: scope.ou_path.clone(),
        org_id: scope.org_id.clone(),
        region: scope.region.clone(),
        // Only stacks with an id are kept (collect_stacks); the name, which AWS
        // always sends, is the id's `stack/<name>/<uuid>` segment should it be missing.
        stack_id: id.to_owned(),
        name: stack.stack_name().map_or_else(|| id.split('/').nth(1).unwrap_or(id).to_owned(), str::to_owned),
        status: text(stack.stack_status().map(|s| s.as_str())),
        status_reason: text(stack.stack_status_reason()),
        drift_status: text(drift.and_then(|d| d.stack_drift_status()).map(|s| s.as_str())),
        drift_checked_at: drift.and_then(|d| d.last_check_timestamp()).and_then(millis),
        created_at: stack.creation_time().and_then(millis),
        last_updated_at: stack.last_updated_time().and_then(millis),
        termination_protection: stack.enable_termination_protection(),
        root_id: text(stack.root_id()),
        kms_key_ids: None,
        unread: Vec::new(),
        collected_at: now_millis(),
    }
}
