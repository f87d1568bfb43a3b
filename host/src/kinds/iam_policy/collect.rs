//! IAM policy collector: `GetAccountAuthorizationDetails` for users, groups,
//! roles and customer-managed policies, in one paginated listing.

use std::collections::BTreeMap;

use aws_sdk_iam::Client;
use aws_sdk_iam::types::{EntityType, PolicyDetail};

use super::statements::{decode, kms_statements};
use super::{INFO, IamPolicy, iam_api};
use crate::aws::{AwsError, AwsResultExt};
use crate::collect::{Page, RegionContext};
use crate::inventory::now_millis;
use crate::kinds::{CollectFuture, Collected, Want};

const SERVICE: &str = INFO.service;
/// The most entries `GetAccountAuthorizationDetails` returns per page.
const PAGE_LIMIT: i32 = 1000;

pub fn collect<'a>(ctx: &'a RegionContext, _want: &'a Want) -> CollectFuture<'a, IamPolicy> {
    Box::pin(collect_policies(ctx))
}

/// A policy as found in one page, before its attachments are known.
enum Found {
    Inline { holder: String, name: String, document: Option<String> },
    Managed { arn: String, name: String, document: Option<String> },
    Attachment { holder: String, policy_arn: String },
}

#[tracing::instrument(skip_all, fields(account = %ctx.scope.account_id, service = "iam"))]
async fn collect_policies(ctx: &RegionContext) -> Collected<IamPolicy> {
    let client = Client::new(&ctx.sdk);
    let mut collected = Collected::default();
    let filters = [EntityType::User, EntityType::Group, EntityType::Role, EntityType::LocalManagedPolicy];
    let (found, error) = ctx
        .paginate(|marker| {
            let request = client
                .get_account_authorization_details()
                .set_filter(Some(filters.to_vec()))
                .max_items(PAGE_LIMIT)
                .set_marker(marker);
            async move {
                let out = request.send().await.aws()?;
                let mut items = Vec::new();
                let mut holder = |arn: Option<&str>, inline: &[PolicyDetail], attached: &[aws_sdk_iam::types::AttachedPolicy]| {
                    let Some(arn) = arn else { return };
                    for policy in inline {
                        items.push(Found::Inline {
                            holder: arn.to_owned(),
                            name: policy.policy_name().unwrap_or_default().to_owned(),
                            document: policy.policy_document().map(decode),
                        });
                    }
                    for policy in attached.iter().filter_map(|p| p.policy_arn()) {
                        items.push(Found::Attachment { holder: arn.to_owned(), policy_arn: policy.to_owned() });
                    }
                };
                for user in out.user_detail_list() {
                    holder(user.arn(), user.user_policy_list(), user.attached_managed_policies());
                }
                for group in out.group_detail_list() {
                    holder(group.arn(), group.group_policy_list(), group.attached_managed_policies());
                }
                for role in out.role_detail_list() {
                    holder(role.arn(), role.role_policy_list(), role.attached_managed_policies());
                }
                for policy in out.policies() {
                    let Some(arn) = policy.arn() else { continue };
                    let document = policy
                        .policy_version_list()
                        .iter()
                        .find(|v| v.is_default_version() || v.version_id() == policy.default_version_id())
                        .and_then(|v| v.document())
                        .map(decode);
                    items.push(Found::Managed {
                        arn: arn.to_owned(),
                        name: policy.policy_name().unwrap_or_default().to_owned(),
                        document,
                    });
                }
                Ok(Page { items, next: out.marker().filter(|_| out.is_truncated()).map(str::to_owned) })
            }
        })
        .await;
    if let Some(err) = error {
        collected.errors.push(ctx.error(SERVICE, iam_api::GET_ACCOUNT_AUTHORIZATION_DETAILS, None, err));
    }
    let mut attachments: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for item in &found {
        if let Found::Attachment { holder, policy_arn } = item {
            attachments.entry(policy_arn.clone()).or_default().push(holder.clone());
        }
    }
    for item in found {
        let (arn, name, policy_type, attached_to, document) = match item {
            Found::Inline { holder, name, document } => {
                (format!("{holder}/inline-policy/{name}"), name, "inline", vec![holder], document)
            }
            Found::Managed { arn, name, document } => {
                let attached = attachments.remove(&arn).unwrap_or_default();
                (arn, name, "managed", attached, document)
            }
            Found::Attachment { .. } => continue,
        };
        let mut record = record(ctx, arn, name, policy_type, attached_to, document);
        let parsed = match &record.document {
            Some(document) => kms_statements(document).map_err(|problem| format!("its document {problem}")),
            None => Err("it came without a document".to_owned()),
        };
        match parsed {
            Ok(statements) => record.kms_statements = Some(statements),
            Err(problem) => {
                record.unread.push(iam_api::GET_ACCOUNT_AUTHORIZATION_DETAILS.to_owned());
                let err = AwsError::new("InvalidPolicyDocument", problem);
                let arn = record.policy_arn.clone();
                collected.errors.push(ctx.error(SERVICE, iam_api::GET_ACCOUNT_AUTHORIZATION_DETAILS, Some(&arn), err));
            }
        }
        collected.records.push(record);
    }
    collected
}

fn record(
    ctx: &RegionContext,
    policy_arn: String,
    name: String,
    policy_type: &str,
    attached_to: Vec<String>,
    document: Option<String>,
) -> IamPolicy {
    let scope = &ctx.scope;
    IamPolicy {
        run_id: scope.run_id.clone(),
        account_id: scope.account_id.clone(),
        account_name: scope.account_name.clone(),
        ou_path: scope.ou_path.clone(),
        org_id: scope.org_id.clone(),
        region: scope.region.clone(),
        policy_arn,
        name,
        policy_type: policy_type.to_owned(),
        attached_to,
        document,
        kms_statements: None,
        unread: Vec::new(),
        collected_at: now_millis(),
    }
}
