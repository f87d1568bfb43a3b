//! SSM collector: `DescribeParameters`, every type (no filter), metadata only.

use aws_sdk_ssm::Client;
use aws_sdk_ssm::types::ParameterMetadata;

use super::{INFO, SsmParameter, ssm_api};
use crate::aws::{AwsResultExt, millis};
use crate::collect::{Page, RegionContext};
use crate::inventory::now_millis;
use crate::kinds::{CollectFuture, Collected, Want};

const SERVICE: &str = INFO.service;
/// The most parameters `DescribeParameters` returns per page.
const PAGE_LIMIT: i32 = 50;

pub fn collect<'a>(ctx: &'a RegionContext, _want: &'a Want) -> CollectFuture<'a, SsmParameter> {
    Box::pin(collect_parameters(ctx))
}

#[tracing::instrument(skip_all, fields(account = %ctx.scope.account_id, region = %ctx.scope.region, service = "ssm"))]
async fn collect_parameters(ctx: &RegionContext) -> Collected<SsmParameter> {
    let client = Client::new(&ctx.sdk);
    let mut collected = Collected::default();
    let (parameters, error) = ctx
        .paginate(|token| {
            let request = client.describe_parameters().max_results(PAGE_LIMIT).set_next_token(token);
            async move {
                let out = request.send().await.aws()?;
                let items = out.parameters().iter().filter(|p| p.name().is_some()).map(|p| record(ctx, p)).collect();
                Ok(Page { items, next: out.next_token().map(str::to_owned) })
            }
        })
        .await;
    if let Some(err) = error {
        collected.errors.push(ctx.error(SERVICE, ssm_api::DESCRIBE_PARAMETERS, None, err));
    }
    collected.records = parameters;
    collected
}

fn record(ctx: &RegionContext, parameter: &ParameterMetadata) -> SsmParameter {
    let scope = &ctx.scope;
    let text = |v: Option<&str>| v.map(str::to_owned);
    let name = parameter.name().unwrap_or_default().to_owned();
    let parameter_arn = parameter.arn().map(str::to_owned).unwrap_or_else(|| {
        // A parameter's ARN is determined by its place and name.
        format!(
            "arn:{}:ssm:{}:{}:parameter/{}",
            scope.partition,
            scope.region,
            scope.account_id,
            name.trim_start_matches('/')
        )
    });
    SsmParameter {
        run_id: scope.run_id.clone(),
        account_id: scope.account_id.clone(),
        account_name: scope.account_name.clone(),
        ou_path: scope.ou_path.clone(),
        org_id: scope.org_id.clone(),
        region: scope.region.clone(),
        parameter_arn,
        name,
        parameter_type: text(parameter.r#type().map(|t| t.as_str())),
        key_id: text(parameter.key_id()),
        tier: text(parameter.tier().map(|t| t.as_str())),
        last_modified_date: parameter.last_modified_date().and_then(millis),
        last_modified_user: text(parameter.last_modified_user()),
        version: parameter.version(),
        data_type: text(parameter.data_type()),
        description: text(parameter.description()),
        policies: parameter.policies().iter().filter_map(|p| p.policy_text().map(str::to_owned)).collect(),
        unread: Vec::new(),
        collected_at: now_millis(),
    }
}
