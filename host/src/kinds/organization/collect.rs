//! Organizations collector: `DescribeOrganization`, then `ListRoots`. A
//! scanning account in no organisation yields no record and no error.

use aws_sdk_organizations::Client;
use aws_sdk_organizations::types::Root;

use super::{INFO, NOT_IN_USE, Organization, OrganizationRoot, PolicyTypeStatus, organizations_api};
use crate::aws::{AwsError, AwsResultExt};
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
                // AWS always names a root and its policy types' type and status;
                // an answer without them leaves the roots unknown, never "not enabled".
                let items = out.roots().iter().map(root).collect::<Option<Vec<_>>>().ok_or_else(|| {
                    AwsError::new("InvalidResponse", "ListRoots answered a root without its id or policy type status")
                })?;
                Ok(Page { items, next: out.next_token().map(str::to_owned) })
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

/// A root as keyaudit records it; `None` when AWS left out what a rule needs.
fn root(root: &Root) -> Option<OrganizationRoot> {
    let id = root.id()?.to_owned();
    Some(OrganizationRoot {
        name: root.name().map_or_else(|| id.clone(), str::to_owned),
        id,
        policy_types: root
            .policy_types()
            .iter()
            .map(|t| {
                Some(PolicyTypeStatus {
                    policy_type: t.r#type()?.as_str().to_owned(),
                    status: t.status()?.as_str().to_owned(),
                })
            })
            .collect::<Option<Vec<_>>>()?,
    })
}
