//! CloudTrail event-history collector: `LookupEvents` for the events of
//! `kms.amazonaws.com` over the window, newest first, at most two requests
//! a second (LookupEvents' quota per account-region) and at most the page
//! cap; the events are summarised as key-management events and per-key use.

use std::collections::BTreeMap;
use std::num::NonZeroU32;

use aws_sdk_cloudtrail::Client;
use aws_sdk_cloudtrail::types::{Event, LookupAttribute, LookupAttributeKey};
use governor::{Quota, RateLimiter};

use super::{CloudTrailKeyActivity, INFO, KeyEvent, KeyUseCount, cloudtrail_api};
use crate::aws::{AwsResultExt, millis};
use crate::collect::RegionContext;
use crate::inventory::now_millis;
use crate::kinds::{CollectFuture, Collected, Want};

const SERVICE: &str = INFO.service;
const DAY_MS: i64 = 86_400_000;
/// LookupEvents' quota: two requests a second per account-region.
const LOOKUPS_PER_SECOND: u32 = 2;

/// The KMS events that change a key's life or who may use it.
pub const KEY_MANAGEMENT_EVENTS: &[&str] = &[
    "CancelKeyDeletion",
    "CreateAlias",
    "CreateGrant",
    "CreateKey",
    "DeleteAlias",
    "DeleteImportedKeyMaterial",
    "DisableKey",
    "DisableKeyRotation",
    "EnableKey",
    "EnableKeyRotation",
    "ImportKeyMaterial",
    "PutKeyPolicy",
    "ReplicateKey",
    "RetireGrant",
    "RevokeGrant",
    "RotateKeyOnDemand",
    "ScheduleKeyDeletion",
    "UpdateAlias",
    "UpdateKeyDescription",
    "UpdatePrimaryRegion",
];

pub fn collect<'a>(ctx: &'a RegionContext, _want: &'a Want) -> CollectFuture<'a, CloudTrailKeyActivity> {
    Box::pin(collect_activity(ctx))
}

#[tracing::instrument(skip_all, fields(account = %ctx.scope.account_id, region = %ctx.scope.region, service = "cloudtrail-events"))]
async fn collect_activity(ctx: &RegionContext) -> Collected<CloudTrailKeyActivity> {
    let client = Client::new(&ctx.sdk);
    let mut collected = Collected::default();
    let window = ctx.key_events();
    let end = now_millis();
    let start = end - i64::from(window.days) * DAY_MS;
    // No bursts: requests evenly spaced, as the quota counts any one second.
    let pace = RateLimiter::direct(
        Quota::per_second(NonZeroU32::new(LOOKUPS_PER_SECOND).unwrap_or(NonZeroU32::MIN)).allow_burst(NonZeroU32::MIN),
    );
    let source = LookupAttribute::builder()
        .attribute_key(LookupAttributeKey::EventSource)
        .attribute_value("kms.amazonaws.com")
        .build();
    let (Ok(source), Some(from), Some(to)) = (
        source,
        aws_smithy_types::DateTime::from_millis(start).into(),
        aws_smithy_types::DateTime::from_millis(end).into(),
    ) else {
        return collected;
    };
    let mut summary = Summary::default();
    let mut token: Option<String> = None;
    let mut seen = std::collections::HashSet::new();
    let mut failure = None;
    let mut pages = 0;
    loop {
        let request = client
            .lookup_events()
            .lookup_attributes(source.clone())
            .start_time(from)
            .end_time(to)
            .set_next_token(token.clone());
        let page = ctx
            .call(|| {
                let request = request.clone();
                let pace = &pace;
                // Every attempt, retries included, waits for LookupEvents' own quota.
                async move {
                    pace.until_ready().await;
                    request.send().await.aws()
                }
            })
            .await;
        match page {
            Ok(out) => {
                pages += 1;
                out.events().iter().for_each(|e| summary.add(e));
                token = out.next_token().filter(|t| !t.is_empty()).map(str::to_owned);
                // A service that repeats a token would have its pages counted twice.
                if let Some(repeated) = token.as_ref().filter(|t| !seen.insert((*t).clone())) {
                    let message = format!("the service repeated the page token {repeated:?}; later pages were not read");
                    failure = Some(crate::aws::AwsError::new("PaginationLoop", message));
                    break;
                }
            }
            Err(err) => {
                failure = Some(err);
                break;
            }
        }
        if token.is_none() || pages >= window.max_pages {
            break;
        }
    }
    let scope = &ctx.scope;
    if let Some(err) = failure {
        collected.errors.push(ctx.error(SERVICE, cloudtrail_api::LOOKUP_EVENTS, None, err));
        if pages == 0 {
            return collected;
        }
    }
    collected.records.push(CloudTrailKeyActivity {
        run_id: scope.run_id.clone(),
        account_id: scope.account_id.clone(),
        account_name: scope.account_name.clone(),
        ou_path: scope.ou_path.clone(),
        org_id: scope.org_id.clone(),
        region: scope.region.clone(),
        activity_id: format!("arn:{}:cloudtrail:{}:{}:key-activity", scope.partition, scope.region, scope.account_id),
        window_start: start,
        window_end: end,
        pages_read: i32::try_from(pages).unwrap_or(i32::MAX),
        events_read: summary.events,
        truncated: token.is_some(),
        key_events: summary.key_events,
        usage: summary.usage.into_values().collect(),
        unread: if pages > 0 && collected.errors.is_empty() {
            Vec::new()
        } else {
            vec![cloudtrail_api::LOOKUP_EVENTS.to_owned()]
        },
        collected_at: now_millis(),
    });
    collected
}

/// What the events read so far say.
#[derive(Debug, Default)]
struct Summary {
    events: i64,
    key_events: Vec<KeyEvent>,
    usage: BTreeMap<String, KeyUseCount>,
}

impl Summary {
    fn add(&mut self, event: &Event) {
        self.events += 1;
        let Some(name) = event.event_name() else { return };
        let key_arn = event
            .resources()
            .iter()
            .find(|r| r.resource_type() == Some("AWS::KMS::Key"))
            .and_then(|r| r.resource_name())
            .map(str::to_owned);
        if KEY_MANAGEMENT_EVENTS.contains(&name) {
            self.key_events.push(KeyEvent {
                event_id: event.event_id().unwrap_or_default().to_owned(),
                event_name: name.to_owned(),
                event_time: event.event_time().and_then(millis),
                username: event.username().map(str::to_owned),
                key_arn,
            });
            return;
        }
        let Some(key_arn) = key_arn else { return };
        let count = self.usage.entry(key_arn.clone()).or_insert(KeyUseCount {
            key_arn,
            decrypt: 0,
            encrypt: 0,
            re_encrypt: 0,
        });
        match name {
            "Decrypt" => count.decrypt += 1,
            "Encrypt" => count.encrypt += 1,
            n if n.starts_with("GenerateDataKey") => count.encrypt += 1,
            n if n.starts_with("ReEncrypt") => count.re_encrypt += 1,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_cloudtrail::types::Resource;

    fn event(name: &str, key: Option<&str>) -> Event {
        let mut event = Event::builder().event_id(format!("id-{name}")).event_name(name);
        if let Some(key) = key {
            event = event.resources(Resource::builder().resource_type("AWS::KMS::Key").resource_name(key).build());
        }
        event.build()
    }

    #[test]
    fn events_become_key_management_events_and_use_per_key() {
        let mut summary = Summary::default();
        for (name, key) in [
            ("Decrypt", Some("k1")),
            ("Decrypt", Some("k1")),
            ("GenerateDataKeyWithoutPlaintext", Some("k1")),
            ("Encrypt", Some("k2")),
            ("ReEncryptFrom", Some("k2")),
            ("ScheduleKeyDeletion", Some("k3")),
            ("CreateKey", None),
            ("Decrypt", None),
            ("ListKeys", None),
        ] {
            summary.add(&event(name, key));
        }
        assert_eq!(summary.events, 9);
        let names: Vec<&str> = summary.key_events.iter().map(|e| e.event_name.as_str()).collect();
        assert_eq!(names, ["ScheduleKeyDeletion", "CreateKey"]);
        assert_eq!(summary.key_events[0].key_arn.as_deref(), Some("k3"));
        let k1 = &summary.usage["k1"];
        assert_eq!((k1.decrypt, k1.encrypt, k1.re_encrypt), (2, 1, 0));
        let k2 = &summary.usage["k2"];
        assert_eq!((k2.decrypt, k2.encrypt, k2.re_encrypt), (0, 1, 1));
        assert_eq!(summary.usage.len(), 2, "a use without a key counts for no key");
    }
}
