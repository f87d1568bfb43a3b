//! CloudTrail collector: `DescribeTrails` (shadow trails included), then,
//! once per trail in its home region, `GetTrailStatus` ("status") and
//! `GetEventSelectors` ("event-selectors"), by ARN. A shadow record (the
//! trail as it applies to another region) leaves them unread rather than
//! asking again from every region: they are the trail's, the same everywhere.

use aws_sdk_cloudtrail::Client;
use aws_sdk_cloudtrail::types::{AdvancedEventSelector, EventSelector, ReadWriteType, Trail};

use super::{CloudTrailTrail, INFO, cloudtrail_api};
use crate::aws::{AwsError, AwsResultExt, millis};
use crate::collect::RegionContext;
use crate::inventory::{CollectionError, now_millis};
use crate::kinds::{CollectFuture, Collected, Want};

const SERVICE: &str = INFO.service;
/// KMS's event source, which a trail's selectors may leave out.
const KMS_EVENT_SOURCE: &str = "kms.amazonaws.com";

pub fn collect<'a>(ctx: &'a RegionContext, want: &'a Want) -> CollectFuture<'a, CloudTrailTrail> {
    Box::pin(collect_trails(ctx, want))
}

#[tracing::instrument(skip_all, fields(account = %ctx.scope.account_id, region = %ctx.scope.region, service = "cloudtrail"))]
async fn collect_trails(ctx: &RegionContext, want: &Want) -> Collected<CloudTrailTrail> {
    let client = Client::new(&ctx.sdk);
    let mut collected = Collected::default();
    // DescribeTrails answers in one page.
    let described =
        ctx.call(|| async { client.describe_trails().include_shadow_trails(true).send().await.aws() }).await;
    let trails = match described {
        Ok(out) => out.trail_list.unwrap_or_default().into_iter().filter(|t| t.trail_arn().is_some()).collect(),
        Err(err) => {
            collected.errors.push(ctx.error(SERVICE, cloudtrail_api::DESCRIBE_TRAILS, None, err));
            Vec::new()
        }
    };
    collected.gather(ctx, trails, |trail| collect_trail(ctx, &client, want, trail)).await;
    collected
}

async fn collect_trail(
    ctx: &RegionContext,
    client: &Client,
    want: &Want,
    trail: Trail,
) -> (CloudTrailTrail, Vec<CollectionError>) {
    let mut record = record(ctx, &trail);
    let mut errors = Vec::new();
    let arn = record.trail_arn.clone();
    let home = record.home_region.as_deref() == Some(record.region.as_str());
    if home && want.wants("status") {
        match ctx.call(|| async { client.get_trail_status().name(&arn).send().await.aws() }).await {
            // An answer without IsLogging says nothing about logging: unknown, not off.
            Ok(out) if out.is_logging().is_none() => {
                let err = AwsError::new("InvalidResponse", "GetTrailStatus answered without IsLogging");
                errors.push(ctx.error(SERVICE, cloudtrail_api::GET_TRAIL_STATUS, Some(&arn), err));
                record.unread.push(cloudtrail_api::GET_TRAIL_STATUS.to_owned());
            }
            Ok(out) => {
                record.logging = out.is_logging();
                record.latest_delivery = out.latest_delivery_time().and_then(millis);
                record.latest_delivery_error = out.latest_delivery_error().filter(|e| !e.is_empty()).map(str::to_owned);
            }
            Err(err) => {
                errors.push(ctx.error(SERVICE, cloudtrail_api::GET_TRAIL_STATUS, Some(&arn), err));
                record.unread.push(cloudtrail_api::GET_TRAIL_STATUS.to_owned());
            }
        }
    }
    if home && want.wants("event-selectors") {
        match ctx.call(|| async { client.get_event_selectors().trail_name(&arn).send().await.aws() }).await {
            Ok(out) => {
                let logged = ManagementEvents::of(out.event_selectors(), out.advanced_event_selectors());
                record.management_events = Some(logged.name().to_owned());
                record.kms_events_logged = Some(logged.kms);
            }
            Err(err) => {
                errors.push(ctx.error(SERVICE, cloudtrail_api::GET_EVENT_SELECTORS, Some(&arn), err));
                record.unread.push(cloudtrail_api::GET_EVENT_SELECTORS.to_owned());
            }
        }
    }
    (record, errors)
}

fn record(ctx: &RegionContext, trail: &Trail) -> CloudTrailTrail {
    let scope = &ctx.scope;
    let text = |v: Option<&str>| v.map(str::to_owned);
    let arn = trail.trail_arn().unwrap_or_default();
    CloudTrailTrail {
        run_id: scope.run_id.clone(),
        account_id: scope.account_id.clone(),
        account_name: scope.account_name.clone(),
        ou_path: scope.ou_path.clone(),
        org_id: scope.org_id.clone(),
        region: scope.region.clone(),
        // Only trails with an ARN are kept (collect_trails); the name, which
        // AWS always sends, is the ARN's last segment should it be missing.
        trail_arn: arn.to_owned(),
        name: trail.name().map_or_else(|| arn.rsplit('/').next().unwrap_or(arn).to_owned(), str::to_owned),
        home_region: text(trail.home_region()),
        multi_region: trail.is_multi_region_trail(),
        organization_trail: trail.is_organization_trail(),
        kms_key_id: text(trail.kms_key_id()),
        log_file_validation: trail.log_file_validation_enabled(),
        s3_bucket: text(trail.s3_bucket_name()),
        cloudwatch_logs_group_arn: text(trail.cloud_watch_logs_log_group_arn()),
        logging: None,
        latest_delivery: None,
        latest_delivery_error: None,
        management_events: None,
        kms_events_logged: None,
        unread: Vec::new(),
        collected_at: now_millis(),
    }
}

/// What a trail's event selectors record of management events.
#[derive(Debug, Default, PartialEq, Eq)]
struct ManagementEvents {
    reads: bool,
    writes: bool,
    /// KMS's own management events are among them (not excluded by source).
    kms: bool,
}

impl ManagementEvents {
    /// Basic selectors (`IncludeManagementEvents`, `ReadWriteType`,
    /// `ExcludeManagementEventSources`) or advanced ones (`eventCategory` =
    /// Management, `readOnly`, `eventSource`); a trail has one or the other.
    fn of(basic: &[EventSelector], advanced: &[AdvancedEventSelector]) -> Self {
        let mut logged = Self::default();
        for selector in basic.iter().filter(|s| s.include_management_events() != Some(false)) {
            let (reads, writes) = match selector.read_write_type() {
                Some(ReadWriteType::ReadOnly) => (true, false),
                Some(ReadWriteType::WriteOnly) => (false, true),
                _ => (true, true),
            };
            let kms = !selector.exclude_management_event_sources().iter().any(|s| s == KMS_EVENT_SOURCE);
            logged.add(reads, writes, kms);
        }
        for selector in advanced {
            let fields = selector.field_selectors();
            let field = |name: &str| fields.iter().find(|f| f.field() == name);
            if !field("eventCategory").is_some_and(|f| f.equals().iter().any(|v| v == "Management")) {
                continue;
            }
            let (reads, writes) = match field("readOnly").map(|f| f.equals()) {
                Some([only]) if only == "true" => (true, false),
                Some([only]) if only == "false" => (false, true),
                _ => (true, true),
            };
            let kms = field("eventSource").is_none_or(|f| {
                let named = f.equals().is_empty() || f.equals().iter().any(|v| v == KMS_EVENT_SOURCE);
                named && !f.not_equals().iter().any(|v| v == KMS_EVENT_SOURCE)
            });
            logged.add(reads, writes, kms);
        }
        logged
    }

    fn add(&mut self, reads: bool, writes: bool, kms: bool) {
        self.reads |= reads;
        self.writes |= writes;
        self.kms |= kms && (reads || writes);
    }

    /// CloudTrail's own spelling: `All`, `ReadOnly`, `WriteOnly` or `None`.
    fn name(&self) -> &'static str {
        match (self.reads, self.writes) {
            (true, true) => "All",
            (true, false) => "ReadOnly",
            (false, true) => "WriteOnly",
            (false, false) => "None",
        }
    }
}

#[cfg(test)]
mod tests {
    use aws_sdk_cloudtrail::types::AdvancedFieldSelector;

    use super::*;

    fn field(name: &str, equals: &[&str], not_equals: &[&str]) -> AdvancedFieldSelector {
        let mut f = AdvancedFieldSelector::builder().field(name);
        for v in equals {
            f = f.equals(*v);
        }
        for v in not_equals {
            f = f.not_equals(*v);
        }
        f.build().expect("a field selector")
    }

    fn advanced(fields: Vec<AdvancedFieldSelector>) -> AdvancedEventSelector {
        AdvancedEventSelector::builder().set_field_selectors(Some(fields)).build().expect("a selector")
    }

    #[test]
    fn basic_selectors_say_which_management_events_are_logged() {
        let all = EventSelector::builder().read_write_type(ReadWriteType::All).build();
        assert_eq!(ManagementEvents::of(&[all], &[]), ManagementEvents { reads: true, writes: true, kms: true });
        let writes_without_kms = EventSelector::builder()
            .read_write_type(ReadWriteType::WriteOnly)
            .exclude_management_event_sources(KMS_EVENT_SOURCE)
            .build();
        let logged = ManagementEvents::of(&[writes_without_kms], &[]);
        assert_eq!((logged.name(), logged.kms), ("WriteOnly", false));
        let data_only = EventSelector::builder().include_management_events(false).build();
        let logged = ManagementEvents::of(&[data_only], &[]);
        assert_eq!((logged.name(), logged.kms), ("None", false));
        assert_eq!(ManagementEvents::of(&[], &[]).name(), "None");
    }

    #[test]
    fn advanced_selectors_say_which_management_events_are_logged() {
        let management = || field("eventCategory", &["Management"], &[]);
        let logged = ManagementEvents::of(&[], &[advanced(vec![management()])]);
        assert_eq!((logged.name(), logged.kms), ("All", true));
        let reads = advanced(vec![management(), field("readOnly", &["true"], &[])]);
        assert_eq!(ManagementEvents::of(&[], &[reads]).name(), "ReadOnly");
        let without_kms = advanced(vec![management(), field("eventSource", &[], &[KMS_EVENT_SOURCE])]);
        let logged = ManagementEvents::of(&[], &[without_kms]);
        assert_eq!((logged.name(), logged.kms), ("All", false));
        let only_s3 = advanced(vec![management(), field("eventSource", &["s3.amazonaws.com"], &[])]);
        assert!(!ManagementEvents::of(&[], &[only_s3]).kms);
        let data = advanced(vec![field("eventCategory", &["Data"], &[])]);
        assert_eq!(ManagementEvents::of(&[], &[data]).name(), "None");
    }
}
