//! Conformance pack collector: `DescribeConformancePacks`.

use aws_sdk_config::Client;

use super::{ConfigConformancePack, INFO, config_api};
use crate::aws::{AwsResultExt, millis};
use crate::collect::{Page, RegionContext};
use crate::inventory::now_millis;
use crate::kinds::{CollectFuture, Collected, Want};

const SERVICE: &str = INFO.service;

pub fn collect<'a>(ctx: &'a RegionContext, _want: &'a Want) -> CollectFuture<'a, ConfigConformancePack> {
    Box::pin(collect_packs(ctx))
}

#[tracing::instrument(skip_all, fields(account = %ctx.scope.account_id, region = %ctx.scope.region, service = "config-conformance-packs"))]
async fn collect_packs(ctx: &RegionContext) -> Collected<ConfigConformancePack> {
    let client = Client::new(&ctx.sdk);
    let mut collected = Collected::default();
    let scope = &ctx.scope;
    let (packs, error) = ctx
        .paginate(|token| {
            let request = client.describe_conformance_packs().set_next_token(token);
            async move {
                let out = request.send().await.aws()?;
                let items = out
                    .conformance_pack_details()
                    .iter()
                    .map(|p| ConfigConformancePack {
                        run_id: scope.run_id.clone(),
                        account_id: scope.account_id.clone(),
                        account_name: scope.account_name.clone(),
                        ou_path: scope.ou_path.clone(),
                        org_id: scope.org_id.clone(),
                        region: scope.region.clone(),
                        pack_arn: p.conformance_pack_arn().to_owned(),
                        name: p.conformance_pack_name().to_owned(),
                        pack_id: Some(p.conformance_pack_id().to_owned()),
                        created_by: p.created_by().map(str::to_owned),
                        last_update_requested_at: p.last_update_requested_time().and_then(millis),
                        unread: Vec::new(),
                        collected_at: now_millis(),
                    })
                    .filter(|p| !p.pack_arn.is_empty())
                    .collect();
                Ok(Page { items, next: out.next_token().map(str::to_owned) })
            }
        })
        .await;
    if let Some(err) = error {
        collected.errors.push(ctx.error(SERVICE, config_api::DESCRIBE_CONFORMANCE_PACKS, None, err));
    }
    collected.records = packs;
    collected
}
