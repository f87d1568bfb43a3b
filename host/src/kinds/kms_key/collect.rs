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

use super::{INFO, KmsGrant, KmsKey, kms_api};
use crate::aws::{AwsError, AwsResultExt, millis};
use crate::collect::{Page, RegionContext};
use crate::inventory::{CollectionError, now_millis};
use crate::kinds::{CollectFuture, Collected, Want};

const SERVICE: &str = INFO.service;
/// The most items KMS returns per page.
const PAGE_LIMIT: i32 = 1000;
/// The most items `ListGrants` and `ListKeyRotations` return per page.
const SMALL_PAGE_LIMIT: i32 = 100;
/// `GetKeyLastUsage` requests a second per account-region: KMS gives this
/// newer, per-key call a low quota shared with the account's own tooling,
/// so keyaudit keeps well under it whatever its general rate.
const LAST_USAGE_PER_SECOND: u32 = 5;

/// Paces one account-region's `GetKeyLastUsage` calls, every attempt included.
type Pace = governor::DefaultDirectRateLimiter;

/// Collects every KMS key in the context's account and region.
pub fn collect<'a>(ctx: &'a RegionContext, want: &'a Want) -> CollectFuture<'a, KmsKey> {
    Box::pin(collect_keys(ctx, want))
}

#[tracing::instrument(skip_all, fields(account = %ctx.scope.account_id, region = %ctx.scope.region, service = "kms"))]
async fn collect_keys(ctx: &RegionContext, want: &Want) -> Collected<KmsKey> {
    let client = Client::new(&ctx.sdk);
    let mut inventory = Collected::default();

    let (listed, list_error) = ctx
        .paginate(|marker| {
            let request = client.list_keys().limit(PAGE_LIMIT).set_marker(marker);
            async move {
                let out = request.send().await.aws()?;
                let items = out
                    .keys()
                    .iter()
                    .filter_map(|k| Some((k.key_id()?.to_owned(), k.key_arn().map(str::to_owned))))
                    .collect();
                Ok(Page { items, next: out.next_marker().filter(|_| out.truncated()).map(str::to_owned) })
            }
        })
        .await;
    if let Some(err) = list_error {
        inventory.errors.push(ctx.error(SERVICE, kms_api::LIST_KEYS, None, err));
    }
    if listed.is_empty() {
        return inventory;
    }

    let (aliases, alias_error) = if !want.wants("aliases") {
        (Vec::new(), None)
    } else {
        ctx.paginate(|marker| {
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
        .await
    };
    // A failed listing leaves every key's aliases unknown (even those on
    // pages read before the failure: a key's aliases may span pages).
    let aliases_known = alias_error.is_none() && want.wants("aliases");
    if let Some(err) = alias_error {
        inventory.errors.push(ctx.error(SERVICE, kms_api::LIST_ALIASES, None, err));
    }
    let mut aliases_by_key: HashMap<String, Vec<String>> = HashMap::new();
    for (key_id, alias) in aliases {
        aliases_by_key.entry(key_id).or_default().push(alias);
    }

    let pace = Pace::direct(
        governor::Quota::per_second(std::num::NonZeroU32::new(LAST_USAGE_PER_SECOND).unwrap_or(std::num::NonZeroU32::MIN))
            .allow_burst(std::num::NonZeroU32::MIN),
    );
    inventory
        .gather(ctx, listed, |(key_id, key_arn)| {
            let aliases = aliases_known.then(|| aliases_by_key.remove(&key_id).unwrap_or_default());
            collect_key(ctx, &client, want, &pace, key_id, key_arn, aliases)
        })
        .await;
    inventory
}

/// Everything about one key. A failed call leaves its fields `None`, names
/// its API in the key's `unread` list and adds an error row.
/// A group no rule or table needs is not read: its fields stay `None`
/// without an `unread` entry (nothing reads them).
async fn collect_key(
    ctx: &RegionContext,
    client: &Client,
    want: &Want,
    pace: &Pace,
    key_id: String,
    key_arn: Option<String>,
    mut aliases: Option<Vec<String>>,
) -> (KmsKey, Vec<CollectionError>) {
    let mut errors = Vec::new();
    let mut unread: Vec<String> = Vec::new();
    let mut record_error = |api: &'static str, err, unread: &mut Vec<String>| {
        errors.push(ctx.error(SERVICE, api, Some(&key_id), err));
        unread.push(api.to_owned());
    };
    if let Some(aliases) = &mut aliases {
        aliases.sort();
    } else if want.wants("aliases") {
        unread.push(kms_api::LIST_ALIASES.to_owned());
    }

    let described = ctx.call(|| async { client.describe_key().key_id(&key_id).send().await.aws() }).await;
    let meta = match described.map(|out| out.key_metadata) {
        Ok(Some(meta)) => Some(meta),
        Ok(None) => {
            let err = AwsError::new("InvalidResponse", "DescribeKey answered without KeyMetadata");
            record_error(kms_api::DESCRIBE_KEY, err, &mut unread);
            None
        }
        Err(err) => {
            record_error(kms_api::DESCRIBE_KEY, err, &mut unread);
            None
        }
    };
    let mut key = key_record(ctx, &key_id, key_arn, aliases, meta.as_ref());
    let Some(meta) = meta else {
        // Which of the rotation and tag calls apply depends on the metadata:
        // their fields are unknown too (the DescribeKey row says why).
        unread.extend(
            [kms_api::GET_KEY_ROTATION_STATUS, kms_api::LIST_KEY_ROTATIONS, kms_api::LIST_RESOURCE_TAGS]
                .map(str::to_owned),
        );
        if want.wants("last-usage") {
            unread.push(kms_api::GET_KEY_LAST_USAGE.to_owned());
        }
        collect_policy_and_grants(ctx, client, want, &mut key, &mut record_error, &mut unread).await;
        key.unread = unread;
        return (key, errors);
    };
    let customer_managed = meta.key_manager() == Some(&KeyManagerType::Customer);
    let state_allows_rotation_calls = !matches!(
        meta.key_state(),
        Some(
            KeyState::PendingDeletion
                | KeyState::PendingReplicaDeletion
                | KeyState::PendingImport
                | KeyState::Unavailable
        )
    );
    let rotation_applies = meta.key_spec() == Some(&KeySpec::SymmetricDefault)
        && meta.origin() == Some(&OriginType::AwsKms)
        && state_allows_rotation_calls;

    if rotation_applies {
        match ctx.call(|| async { client.get_key_rotation_status().key_id(&key_id).send().await.aws() }).await {
            Ok(out) => {
                key.rotation_enabled = Some(out.key_rotation_enabled());
                key.rotation_period_days = out.rotation_period_in_days();
                key.next_rotation_date = out.next_rotation_date().and_then(millis);
            }
            Err(err) => record_error(kms_api::GET_KEY_ROTATION_STATUS, err, &mut unread),
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
                Some(err) => record_error(kms_api::LIST_KEY_ROTATIONS, err, &mut unread),
                None => {
                    key.rotation_count = i32::try_from(rotations.len()).ok();
                    key.last_rotation_date = rotations.iter().copied().max();
                }
            }
        }
    }

    if customer_managed && want.wants("tags") {
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
        match err {
            Some(err) => record_error(kms_api::LIST_RESOURCE_TAGS, err, &mut unread),
            None => key.tags = Some(tags.into_iter().collect::<BTreeMap<_, _>>()),
        }
    } else if !customer_managed {
        // AWS-managed and AWS-owned keys cannot have tags.
        key.tags = Some(BTreeMap::new());
    }

    if customer_managed && want.wants("last-usage") {
        let last_usage = ctx
            .call(|| async {
                pace.until_ready().await;
                client.get_key_last_usage().key_id(&key_id).send().await.aws()
            })
            .await;
        match last_usage {
            Ok(out) => match out.tracking_start_date().and_then(millis) {
                Some(since) => {
                    let usage = out.key_last_usage();
                    key.usage_tracked_since = Some(since);
                    key.last_used_date = usage.and_then(|u| u.timestamp()).and_then(millis);
                    key.last_used_operation = usage.and_then(|u| u.operation()).map(|o| o.as_str().to_owned());
                    key.last_used_event_id = usage.and_then(|u| u.cloud_trail_event_id()).map(str::to_owned);
                }
                // Without the tracking start, "no use" cannot be told from "not known".
                None => {
                    let err = AwsError::new("InvalidResponse", "GetKeyLastUsage answered without TrackingStartDate");
                    record_error(kms_api::GET_KEY_LAST_USAGE, err, &mut unread);
                }
            },
            Err(err) => record_error(kms_api::GET_KEY_LAST_USAGE, err, &mut unread),
        }
    }

    collect_policy_and_grants(ctx, client, want, &mut key, &mut record_error, &mut unread).await;
    key.unread = unread;
    (key, errors)
}

/// The calls that apply to every key, described or not: its `default` policy and its grants.
async fn collect_policy_and_grants(
    ctx: &RegionContext,
    client: &Client,
    want: &Want,
    key: &mut KmsKey,
    record_error: &mut impl FnMut(&'static str, AwsError, &mut Vec<String>),
    unread: &mut Vec<String>,
) {
    let key_id = key.key_id.clone();
    if want.wants("key-policy") {
        collect_policy(ctx, client, key, record_error, unread).await;
    }
    if !want.wants("grants") {
        return;
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
    match err {
        Some(err) => record_error(kms_api::LIST_GRANTS, err, unread),
        None => key.grants = Some(grants),
    }
}

/// A key's record from its listing and (when it could be read) its metadata;
/// the fields of the other calls start unknown.
fn key_record(
    ctx: &RegionContext,
    key_id: &str,
    key_arn: Option<String>,
    aliases: Option<Vec<String>>,
    meta: Option<&KeyMetadata>,
) -> KmsKey {
    let scope = &ctx.scope;
    let text = |v: Option<&str>| v.map(str::to_owned);
    let mr = meta.and_then(|m| m.multi_region_configuration());
    let key_arn = key_arn.or_else(|| meta.and_then(|m| m.arn()).map(str::to_owned)).unwrap_or_else(|| {
        // ListKeys always names the ARN; should it not, the ARN is still
        // determined by the key's place.
        format!("arn:{}:kms:{}:{}:key/{key_id}", scope.partition, scope.region, scope.account_id)
    });
    KmsKey {
        run_id: scope.run_id.clone(),
        account_id: scope.account_id.clone(),
        account_name: scope.account_name.clone(),
        ou_path: scope.ou_path.clone(),
        org_id: scope.org_id.clone(),
        region: scope.region.clone(),
        key_id: key_id.to_owned(),
        key_arn,
        aliases,
        // DescribeKey omits an empty description.
        description: meta.map(|m| m.description().unwrap_or_default().to_owned()),
        key_manager: text(meta.and_then(|m| m.key_manager()).map(|v| v.as_str())),
        key_state: text(meta.and_then(|m| m.key_state()).map(|v| v.as_str())),
        enabled: meta.map(|m| m.enabled()),
        key_usage: text(meta.and_then(|m| m.key_usage()).map(|v| v.as_str())),
        key_spec: text(meta.and_then(|m| m.key_spec()).map(|v| v.as_str())),
        origin: text(meta.and_then(|m| m.origin()).map(|v| v.as_str())),
        // DescribeKey omits MultiRegion for single-Region keys in some partitions.
        multi_region: meta.map(|m| m.multi_region() == Some(true)),
        multi_region_key_type: text(mr.and_then(|c| c.multi_region_key_type()).map(|v| v.as_str())),
        multi_region_primary_arn: text(mr.and_then(|c| c.primary_key()).and_then(|k| k.arn())),
        multi_region_replica_arns: meta.map(|_| {
            mr.map(|c| c.replica_keys().iter().filter_map(|k| k.arn().map(str::to_owned)).collect()).unwrap_or_default()
        }),
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
        last_used_operation: None,
        last_used_event_id: None,
        usage_tracked_since: None,
        key_policy: None,
        grants: None,
        tags: None,
        unread: Vec::new(),
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

/// The key's `default` policy.
async fn collect_policy(
    ctx: &RegionContext,
    client: &Client,
    key: &mut KmsKey,
    record_error: &mut impl FnMut(&'static str, AwsError, &mut Vec<String>),
    unread: &mut Vec<String>,
) {
    let key_id = key.key_id.clone();
    match ctx.call(|| async { client.get_key_policy().key_id(&key_id).policy_name("default").send().await.aws() }).await
    {
        Ok(out) => match out.policy {
            Some(policy) => key.key_policy = Some(policy),
            None => {
                let err = AwsError::new("InvalidResponse", "GetKeyPolicy answered without a Policy");
                record_error(kms_api::GET_KEY_POLICY, err, unread);
            }
        },
        Err(err) => record_error(kms_api::GET_KEY_POLICY, err, unread),
    }
}
