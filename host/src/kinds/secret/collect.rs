//! Secrets Manager collector: `ListSecrets` for the metadata, then per
//! secret `GetResourcePolicy` and `DescribeSecret` (for replication). It
//! never calls `GetSecretValue`.

use aws_sdk_secretsmanager::Client;
use aws_sdk_secretsmanager::types::SecretListEntry;

use super::{INFO, Secret, secrets_api};
use crate::aws::{AwsResultExt, millis};
use crate::collect::{Page, RegionContext};
use crate::inventory::{CollectionError, now_millis};
use crate::kinds::{CollectFuture, Collected, Want};

const SERVICE: &str = INFO.service;
/// The most secrets `ListSecrets` returns per page.
const PAGE_LIMIT: i32 = 100;

pub fn collect<'a>(ctx: &'a RegionContext, want: &'a Want) -> CollectFuture<'a, Secret> {
    Box::pin(collect_secrets(ctx, want))
}

#[tracing::instrument(skip_all, fields(account = %ctx.scope.account_id, region = %ctx.scope.region, service = "secretsmanager"))]
async fn collect_secrets(ctx: &RegionContext, want: &Want) -> Collected<Secret> {
    let client = Client::new(&ctx.sdk);
    let mut collected = Collected::default();
    let (entries, error) = ctx
        .paginate(|token| {
            let request = client.list_secrets().max_results(PAGE_LIMIT).set_next_token(token);
            async move {
                let out = request.send().await.aws()?;
                let items = out.secret_list().iter().filter(|s| s.arn().is_some()).cloned().collect();
                Ok(Page { items, next: out.next_token().map(str::to_owned) })
            }
        })
        .await;
    if let Some(err) = error {
        collected.errors.push(ctx.error(SERVICE, secrets_api::LIST_SECRETS, None, err));
    }
    collected.gather(ctx, entries, |entry| collect_secret(ctx, &client, want, entry)).await;
    collected
}

async fn collect_secret(
    ctx: &RegionContext,
    client: &Client,
    want: &Want,
    entry: SecretListEntry,
) -> (Secret, Vec<CollectionError>) {
    let mut secret = record(ctx, &entry);
    let mut errors = Vec::new();
    let arn = secret.secret_arn.clone();
    if want.wants("resource-policy") {
        match ctx.call(|| async { client.get_resource_policy().secret_id(&arn).send().await.aws() }).await {
            Ok(out) => {
                let policy = out.resource_policy.filter(|p| !p.trim().is_empty());
                secret.has_resource_policy = Some(policy.is_some());
                secret.resource_policy = policy;
            }
            Err(err) => {
                errors.push(ctx.error(SERVICE, secrets_api::GET_RESOURCE_POLICY, Some(&arn), err));
                secret.unread.push(secrets_api::GET_RESOURCE_POLICY.to_owned());
            }
        }
    }
    if want.wants("replication") {
        match ctx.call(|| async { client.describe_secret().secret_id(&arn).send().await.aws() }).await {
            Ok(out) => {
                secret.replica_regions =
                    Some(out.replication_status().iter().filter_map(|r| r.region().map(str::to_owned)).collect());
            }
            Err(err) => {
                errors.push(ctx.error(SERVICE, secrets_api::DESCRIBE_SECRET, Some(&arn), err));
                secret.unread.push(secrets_api::DESCRIBE_SECRET.to_owned());
            }
        }
    }
    (secret, errors)
}

fn record(ctx: &RegionContext, entry: &SecretListEntry) -> Secret {
    let scope = &ctx.scope;
    let text = |v: Option<&str>| v.map(str::to_owned);
    let date = |v: Option<&aws_smithy_types::DateTime>| v.and_then(millis);
    let rules = entry.rotation_rules();
    Secret {
        run_id: scope.run_id.clone(),
        account_id: scope.account_id.clone(),
        account_name: scope.account_name.clone(),
        ou_path: scope.ou_path.clone(),
        org_id: scope.org_id.clone(),
        region: scope.region.clone(),
        secret_arn: entry.arn().unwrap_or_default().to_owned(),
        name: entry.name().unwrap_or_default().to_owned(),
        description: text(entry.description()),
        kms_key_id: text(entry.kms_key_id()),
        // ListSecrets omits RotationEnabled for a secret that never had rotation.
        rotation_enabled: entry.rotation_enabled() == Some(true),
        rotation_lambda_arn: text(entry.rotation_lambda_arn()),
        rotation_every_days: rules.and_then(|r| r.automatically_after_days()),
        rotation_schedule: text(rules.and_then(|r| r.schedule_expression())),
        last_rotated_date: date(entry.last_rotated_date()),
        last_changed_date: date(entry.last_changed_date()),
        last_accessed_date: date(entry.last_accessed_date()),
        next_rotation_date: date(entry.next_rotation_date()),
        deleted_date: date(entry.deleted_date()),
        created_date: date(entry.created_date()),
        owning_service: text(entry.owning_service()),
        primary_region: text(entry.primary_region()),
        replica_regions: None,
        tags: entry.tags().iter().map(|t| (t.key().unwrap_or_default().to_owned(), t.value().unwrap_or_default().to_owned())).collect(),
        has_resource_policy: None,
        resource_policy: None,
        unread: Vec::new(),
        collected_at: now_millis(),
    }
}
