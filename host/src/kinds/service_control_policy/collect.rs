//! SCP collector: `ListPolicies` (SERVICE_CONTROL_POLICY), then per policy
//! `DescribePolicy` ("document") and `ListTargetsForPolicy` ("targets").
//! A scanning account in no organisation yields no record and no error.

use aws_sdk_organizations::Client;
use aws_sdk_organizations::types::{PolicySummary, PolicyType};

use super::{INFO, PolicyTarget, ServiceControlPolicy, organizations_api};
use crate::aws::AwsResultExt;
use crate::collect::{Page, RegionContext};
use crate::inventory::{CollectionError, now_millis};
use crate::kinds::organization::NOT_IN_USE;
use crate::kinds::{CollectFuture, Collected, Want};

const SERVICE: &str = INFO.service;

pub fn collect<'a>(ctx: &'a RegionContext, want: &'a Want) -> CollectFuture<'a, ServiceControlPolicy> {
    Box::pin(collect_policies(ctx, want))
}

#[tracing::instrument(skip_all, fields(account = %ctx.scope.account_id, service = "scps"))]
async fn collect_policies(ctx: &RegionContext, want: &Want) -> Collected<ServiceControlPolicy> {
    let client = Client::new(&ctx.sdk);
    let mut collected = Collected::default();
    let (policies, error) = ctx
        .paginate(|token| {
            let request = client.list_policies().filter(PolicyType::ServiceControlPolicy).set_next_token(token);
            async move {
                let out = request.send().await.aws()?;
                let items = out.policies().iter().filter(|p| p.arn().is_some()).cloned().collect();
                Ok(Page { items, next: out.next_token().map(str::to_owned) })
            }
        })
        .await;
    match error {
        Some(err) if err.code == NOT_IN_USE => return collected,
        Some(err) => collected.errors.push(ctx.error(SERVICE, organizations_api::LIST_POLICIES, None, err)),
        None => {}
    }
    collected.gather(ctx, policies, |policy| collect_policy(ctx, &client, want, policy)).await;
    collected
}

async fn collect_policy(
    ctx: &RegionContext,
    client: &Client,
    want: &Want,
    summary: PolicySummary,
) -> (ServiceControlPolicy, Vec<CollectionError>) {
    let scope = &ctx.scope;
    let arn = summary.arn().unwrap_or_default().to_owned();
    let id = summary.id().map_or_else(|| arn.rsplit('/').next().unwrap_or_default().to_owned(), str::to_owned);
    let mut record = ServiceControlPolicy {
        run_id: scope.run_id.clone(),
        account_id: scope.account_id.clone(),
        account_name: scope.account_name.clone(),
        ou_path: scope.ou_path.clone(),
        org_id: scope.org_id.clone(),
        region: scope.region.clone(),
        name: summary.name().map_or_else(|| id.clone(), str::to_owned),
        policy_arn: arn,
        policy_id: id,
        description: summary.description().map(str::to_owned),
        aws_managed: Some(summary.aws_managed()),
        document: None,
        targets: None,
        unread: Vec::new(),
        collected_at: now_millis(),
    };
    let mut errors = Vec::new();
    if want.wants("document") {
        let described =
            ctx.call(|| async { client.describe_policy().policy_id(&record.policy_id).send().await.aws() }).await;
        match described {
            Ok(out) => match out.policy().and_then(|p| p.content()) {
                Some(content) => record.document = Some(content.to_owned()),
                None => {
                    let message = "answered without the policy's content".to_owned();
                    errors.push(ctx.error(
                        SERVICE,
                        organizations_api::DESCRIBE_POLICY,
                        Some(&record.policy_arn),
                        crate::aws::AwsError::new("MissingContent", message),
                    ));
                    record.unread.push(organizations_api::DESCRIBE_POLICY.to_owned());
                }
            },
            Err(err) => {
                errors.push(ctx.error(SERVICE, organizations_api::DESCRIBE_POLICY, Some(&record.policy_arn), err));
                record.unread.push(organizations_api::DESCRIBE_POLICY.to_owned());
            }
        }
    }
    if want.wants("targets") {
        let policy_id = record.policy_id.clone();
        let (targets, error) = ctx
            .paginate(|token| {
                let request = client.list_targets_for_policy().policy_id(&policy_id).set_next_token(token);
                async move {
                    let out = request.send().await.aws()?;
                    let items = out
                        .targets()
                        .iter()
                        .filter_map(|t| {
                            Some(PolicyTarget {
                                target_id: t.target_id()?.to_owned(),
                                target_type: t.r#type().map(|t| t.as_str()).unwrap_or_default().to_owned(),
                                name: t.name().unwrap_or_default().to_owned(),
                            })
                        })
                        .collect();
                    Ok(Page { items, next: out.next_token().map(str::to_owned) })
                }
            })
            .await;
        match error {
            None => record.targets = Some(targets),
            Some(err) => {
                errors.push(ctx.error(
                    SERVICE,
                    organizations_api::LIST_TARGETS_FOR_POLICY,
                    Some(&record.policy_arn),
                    err,
                ));
                record.unread.push(organizations_api::LIST_TARGETS_FOR_POLICY.to_owned());
            }
        }
    }
    (record, errors)
}
