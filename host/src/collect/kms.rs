//! KMS collector: every key in one account and region with its metadata,
//! rotation, aliases, `default` key policy, tags, grants and rotation history.
//!
//! Keys are always described by key id from `ListKeys`, never by alias
//! (describing `alias/aws/…` can create the AWS-managed key it names).
//! Calls that do not apply to a key are not made: rotation only for symmetric
//! keys with KMS-generated material, tags and rotation history only for
//! customer-managed keys, and no rotation calls for keys being deleted.

use std::collections::{BTreeMap, HashMap};

use aws_sdk_kms::Client;
use aws_sdk_kms::types::{KeyManagerType, KeyMetadata, KeySpec, KeyState, OriginType};
use futures::StreamExt;

use super::{Inventory, Page, RegionContext, Service};
use crate::aws::{AwsResultExt, millis};
use crate::inventory::{KmsGrant, KmsKey, now_millis};

const SERVICE: Service = Service::Kms;
/// The most items KMS returns per page.
const PAGE_LIMIT: i32 = 1000;
/// The most items `ListGrants` and `ListKeyRotations` return per page.
const SMALL_PAGE_LIMIT: i32 = 100;

/// Collects every KMS key in the context's account and region.
#[tracing::instrument(skip_all, fields(account = %ctx.scope.account_id, region = %ctx.scope.region, service = "kms"))]
pub async fn collect(ctx: &RegionContext) -> Inventory {
    let client = Client::new(&ctx.sdk);
    let mut inventory = Inventory::default();

    let (key_ids, list_error) = ctx
        .paginate(|marker| {
            let request = client.list_keys().limit(PAGE_LIMIT).set_marker(marker);
            async move {
                let out = request.send().await.aws()?;
                let items = out.keys().iter().filter_map(|k| k.key_id().map(str::to_owned)).collect();
                Ok(Page { items, next: out.next_marker().filter(|_| out.truncated()).map(str::to_owned) })
            }
        })
        .await;
    if let Some(err) = list_error {
        inventory.errors.push(ctx.error(SERVICE, "kms:ListKeys", None, err));
    }
    if key_ids.is_empty() {
        return inventory;
    }

    let (aliases, alias_error) = ctx
        .paginate(|marker| {
            let request = client.list_aliases().limit(PAGE_LIMIT).set_marker(marker);
            async move {
                let out = request.send().await.aws()?;
                let items = out
                    .aliases()
                    .iter()
                    .filter_map(|a| Some((a.target_key_id()?.to_owned(), a.alias_name()?.to_owned())))
                    .collect();
                Ok(Page { items, next: out.next_marker().filter(|_| out.truncated()).map(str::to_owned) })
            }
        })
        .await;
    if let Some(err) = alias_error {
        inventory.errors.push(ctx.error(SERVICE, "kms:ListAliases", None, err));
    }
    let mut aliases_by_key: HashMap<String, Vec<String>> = HashMap::new();
    for (key_id, alias) in aliases {
        aliases_by_key.entry(key_id).or_default().push(alias);
    }

    let mut keys = futures::stream::iter(key_ids)
        .map(|key_id| {
            let aliases = aliases_by_key.remove(&key_id).unwrap_or_default();
            collect_key(ctx, &client, key_id, aliases)
        })
        .buffer_unordered(ctx.concurrency());
    while let Some(key) = keys.next().await {
        inventory.extend(key);
    }
    inventory.kms_keys.sort_by(|a, b| a.key_id.cmp(&b.key_id));
    inventory
}

/// Everything about one key. A failed call leaves its fields empty and adds an error.
async fn collect_key(ctx: &RegionContext, client: &Client, key_id: String, mut aliases: Vec<String>) -> Inventory {
    let mut inventory = Inventory::default();
    let mut record_error = |api: &str, err| inventory.errors.push(ctx.error(SERVICE, api, Some(&key_id), err));
    aliases.sort();

    let meta = match ctx.call(|| async { client.describe_key().key_id(&key_id).send().await.aws() }).await {
        Ok(out) => out.key_metadata,
        Err(err) => {
            record_error("kms:DescribeKey", err);
            None
        }
    };
    let mut key = key_record(ctx, &key_id, aliases, meta.as_ref());
    let customer_managed = meta.as_ref().and_then(|m| m.key_manager()) == Some(&KeyManagerType::Customer);
    let state_allows_rotation_calls = !matches!(
        meta.as_ref().and_then(|m| m.key_state()),
        Some(
            KeyState::PendingDeletion
                | KeyState::PendingReplicaDeletion
                | KeyState::PendingImport
                | KeyState::Unavailable
        )
    );
    let rotation_applies = meta
        .as_ref()
        .is_some_and(|m| m.key_spec() == Some(&KeySpec::SymmetricDefault) && m.origin() == Some(&OriginType::AwsKms))
        && state_allows_rotation_calls;

    if rotation_applies {
        match ctx.call(|| async { client.get_key_rotation_status().key_id(&key_id).send().await.aws() }).await {
            Ok(out) => {
                key.rotation_enabled = Some(out.key_rotation_enabled());
                key.rotation_period_days = out.rotation_period_in_days();
                key.next_rotation_date = out.next_rotation_date().and_then(millis);
            }
            Err(err) => record_error("kms:GetKeyRotationStatus", err),
        }
        if customer_managed {
            let (rotations, err) = ctx
                .paginate(|marker| {
                    let request =
                        client.list_key_rotations().key_id(&key_id).limit(SMALL_PAGE_LIMIT).set_marker(marker);
                    async move {
                        let out = request.send().await.aws()?;
                        let items = out.rotations().iter().filter_map(|r| r.rotation_date().and_then(millis)).collect();
                        Ok(Page { items, next: out.next_marker().filter(|_| out.truncated()).map(str::to_owned) })
                    }
                })
                .await;
            match err {
                Some(err) => record_error("kms:ListKeyRotations", err),
                None => {
                    key.rotation_count = i32::try_from(rotations.len()).ok();
                    key.last_rotation_date = rotations.iter().copied().max();
                }
            }
        }
    }

    match ctx.call(|| async { client.get_key_policy().key_id(&key_id).policy_name("default").send().await.aws() }).await
    {
        Ok(out) => key.key_policy = out.policy,
        Err(err) => record_error("kms:GetKeyPolicy", err),
    }

    if customer_managed {
        let (tags, err) = ctx
            .paginate(|marker| {
                let request = client.list_resource_tags().key_id(&key_id).limit(SMALL_PAGE_LIMIT).set_marker(marker);
                async move {
                    let out = request.send().await.aws()?;
                    let items = out.tags().iter().map(|t| (t.tag_key().to_owned(), t.tag_value().to_owned())).collect();
                    Ok(Page { items, next: out.next_marker().filter(|_| out.truncated()).map(str::to_owned) })
                }
            })
            .await;
        key.tags = tags.into_iter().collect::<BTreeMap<_, _>>();
        if let Some(err) = err {
            record_error("kms:ListResourceTags", err);
        }
    }

    let (grants, err) = ctx
        .paginate(|marker| {
            let request = client.list_grants().key_id(&key_id).limit(SMALL_PAGE_LIMIT).set_marker(marker);
            async move {
                let out = request.send().await.aws()?;
                let items = out.grants().iter().map(grant_record).collect();
                Ok(Page { items, next: out.next_marker().filter(|_| out.truncated()).map(str::to_owned) })
            }
        })
        .await;
    key.grants = grants;
    if let Some(err) = err {
        record_error("kms:ListGrants", err);
    }

    inventory.kms_keys.push(key);
    inventory
}

fn key_record(ctx: &RegionContext, key_id: &str, aliases: Vec<String>, meta: Option<&KeyMetadata>) -> KmsKey {
    let scope = &ctx.scope;
    let text = |v: Option<&str>| v.map(str::to_owned);
    let mr = meta.and_then(|m| m.multi_region_configuration());
    KmsKey {
        run_id: scope.run_id.clone(),
        account_id: scope.account_id.clone(),
        account_name: scope.account_name.clone(),
        ou_path: scope.ou_path.clone(),
        org_id: scope.org_id.clone(),
        region: scope.region.clone(),
        key_id: key_id.to_owned(),
        key_arn: meta.and_then(|m| m.arn()).map(str::to_owned).unwrap_or_default(),
        aliases,
        description: meta.and_then(|m| m.description()).unwrap_or_default().to_owned(),
        key_manager: text(meta.and_then(|m| m.key_manager()).map(|v| v.as_str())),
        key_state: text(meta.and_then(|m| m.key_state()).map(|v| v.as_str())),
        enabled: meta.is_some_and(|m| m.enabled()),
        key_usage: text(meta.and_then(|m| m.key_usage()).map(|v| v.as_str())),
        key_spec: text(meta.and_then(|m| m.key_spec()).map(|v| v.as_str())),
        origin: text(meta.and_then(|m| m.origin()).map(|v| v.as_str())),
        multi_region: meta.and_then(|m| m.multi_region()).unwrap_or(false),
        multi_region_key_type: text(mr.and_then(|c| c.multi_region_key_type()).map(|v| v.as_str())),
        multi_region_primary_arn: text(mr.and_then(|c| c.primary_key()).and_then(|k| k.arn())),
        multi_region_replica_arns: mr
            .map(|c| c.replica_keys().iter().filter_map(|k| k.arn().map(str::to_owned)).collect())
            .unwrap_or_default(),
        creation_date: meta.and_then(|m| m.creation_date()).and_then(millis),
        deletion_date: meta.and_then(|m| m.deletion_date()).and_then(millis),
        pending_deletion_window_days: meta.and_then(|m| m.pending_deletion_window_in_days()),
        valid_to: meta.and_then(|m| m.valid_to()).and_then(millis),
        rotation_enabled: None,
        rotation_period_days: None,
        next_rotation_date: None,
        last_rotation_date: None,
        rotation_count: None,
        last_used_date: None,
        key_policy: None,
        grants: Vec::new(),
        tags: BTreeMap::new(),
        collected_at: now_millis(),
    }
}

fn grant_record(grant: &aws_sdk_kms::types::GrantListEntry) -> KmsGrant {
    let constraints = grant.constraints().map(|c| {
        let subset: BTreeMap<_, _> = c.encryption_context_subset().into_iter().flatten().collect();
        let equals: BTreeMap<_, _> = c.encryption_context_equals().into_iter().flatten().collect();
        serde_json::json!({ "EncryptionContextSubset": subset, "EncryptionContextEquals": equals }).to_string()
    });
    KmsGrant {
        grant_id: grant.grant_id().unwrap_or_default().to_owned(),
        name: grant.name().filter(|n| !n.is_empty()).map(str::to_owned),
        grantee_principal: grant.grantee_principal().map(str::to_owned),
        retiring_principal: grant.retiring_principal().map(str::to_owned),
        issuing_account: grant.issuing_account().map(str::to_owned),
        operations: grant.operations().iter().map(|o| o.as_str().to_owned()).collect(),
        creation_date: grant.creation_date().and_then(millis),
        constraints,
    }
}
