//! Organizations collector: `DescribeOrganization`, then `ListRoots`. A
//! scanning account in no organisation yields no record and no error.

use aws_sdk_organizations::Client;
use aws_sdk_organizations::types::Root;

use super::{INFO, NOT_IN_USE, Organization, OrganizationRoot, PolicyTypeStatus, organizations_api};
use crate::aws::AwsResultExt;
use crate::collect::{Page, RegionContext};
use crate::inventory::now_millis;
use crate::kinds::{CollectFuture, Collected, Want};

const SERVICE: &str = INFO.service;

pub fn collect<'a>(ctx: &'a RegionContext, _want: &'a Want) -> CollectFuture<'a, Organization> {
    Box::pin(collect_organization(ctx))
}

#[tracing::instrument(skip_all, fields(account = %ctx.scope.account_id, service = "organizations"))]
async fn collect_organization(ctx: &RegionContext) -> Collected<Organization> {
    let client = Client::new(&ctx.sdk);
    let mut collected = Collected::default();
    let described = ctx.call(|| async { client.describe_organization().send().await.aws() }).await;
    let organization = match described {
        Ok(out) => match out.organization {
            Some(org) if org.arn().is_some() => org,
            // Answered without an organisation: nothing to judge, nothing unknown.
            _ => return collected,
        },
        Err(err) if err.code == NOT_IN_USE => return collected,
        Err(err) => {
            collected.errors.push(ctx.error(SERVICE, organizations_api::DESCRIBE_ORGANIZATION, None, err));
            return collected;
        }
    };
    let scope = &ctx.scope;
    let mut record = Organization {
        run_id: scope.run_id.clone(),
        account_id: scope.account_id.clone(),
        account_name: scope.account_name.clone(),
        ou_path: scope.ou_path.clone(),
        org_id: organization.id().unwrap_or(&scope.org_id).to_owned(),
        region: scope.region.clone(),
        arn: organization.arn().unwrap_or_default().to_owned(),
        feature_set: organization.feature_set().map(|f| f.as_str().to_owned()),
        management_account_id: organization.master_account_id().map(str::to_owned),
        roots: None,
        unread: Vec::new(),
        collected_at: now_millis(),
    };
    let (roots, error) = ctx
        .paginate(|token| {
            let request = client.list_roots().set_next_token(token);
            async move {
                let out = request.send().await.aws()?;
                Ok(Page { items: out.roots().iter().map(root).collect(), next: out.next_token().map(str::to_owned) })
            }
        })
        .await;
    match error {
        None => record.roots = Some(roots),
        Some(err) => {
            collected.errors.push(ctx.error(SERVICE, organizations_api::LIST_ROOTS, Some(&record.arn), err));
            record.unread.push(organizations_api::LIST_ROOTS.to_owned());
        }
    }
    collected.records.push(record);
    collected
}

fn root(root: &Root) -> OrganizationRoot {
    OrganizationRoot {
        id: root.id().unwrap_or_default().to_owned(),
        name: root.name().unwrap_or_default().to_owned(),
        policy_types: root
            .policy_types()
            .iter()
            .map(|t| PolicyTypeStatus {
                policy_type: t.r#type().map(|t| t.as_str()).unwrap_or_default().to_owned(),
                status: t.status().map(|s| s.as_str()).unwrap_or_default().to_owned(),
            })
            .collect(),
    }
}
