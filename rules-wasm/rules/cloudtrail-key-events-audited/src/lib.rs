//! cloudtrail-key-events-audited: a multi-Region trail logs every management
//! event, KMS's included, and recent key-management events are visible in
//! CloudTrail (seed 000, step 9; seed 003, monitoring).

use std::collections::BTreeSet;

use keyaudit_rule_sdk::cloudtrail::{self, ACTIVITY};
use keyaudit_rule_sdk::frameworks::*;
use keyaudit_rule_sdk::time::days_between;
use keyaudit_rule_sdk::*;

struct KeyEventsAudited;

impl Guest for KeyEventsAudited {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "cloudtrail-key-events-audited".into(),
            title: "Key-management events are audited by a multi-Region trail".into(),
            description: "The account has a multi-Region trail (its own or the organisation's) that is logging \
                          and records every management event, KMS's included, so that CreateKey, \
                          ScheduleKeyDeletion, DisableKey, PutKeyPolicy and rotation changes are kept; the \
                          key-management events of the last days, as CloudTrail's event history shows them, \
                          are counted in the evidence."
                .into(),
            severity: Severity::High,
            reads: vec![
                reads(cloudtrail::KIND, &[cloudtrail::group::STATUS, cloudtrail::group::EVENT_SELECTORS]),
                reads(ACTIVITY, &[]),
            ],
            parameters: vec![],
            frameworks: vec![
                maps_to(CIS, "3.1"),
                maps_to(SECURITY_HUB, "CloudTrail.1"),
                maps_to(FEDRAMP, "KSI-SVC-06"),
                maps_to(WELL_ARCHITECTED, "SEC08-BP01"),
            ],
            remediation: "Create a multi-Region (or organisation) trail recording all management events without \
                          excluding kms.amazonaws.com: aws cloudtrail create-trail --is-multi-region-trail, then \
                          aws cloudtrail put-event-selectors and start-logging."
                .into(),
            references: vec![
                "https://docs.aws.amazon.com/kms/latest/developerguide/logging-using-cloudtrail.html".into(),
                "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html"
                    .into(),
            ],
        }
    }

    fn evaluate(scope: AccountScope) -> Result<Vec<Finding>, String> {
        let finding = |status, message: String, evidence| vec![account_finding(None, status, message, evidence)];
        let trails = cloudtrail::list();
        let unlisted: Vec<&str> = scope
            .regions
            .iter()
            .map(String::as_str)
            .filter(|r| !scope.listed(cloudtrail::KIND, r) || !scope.listed(ACTIVITY, r))
            .collect();
        if !unlisted.is_empty() {
            return Ok(finding(
                Status::Error,
                format!("the trails or the event history of {} could not be listed", unlisted.join(", ")),
                vec![],
            ));
        }
        let activity = cloudtrail::activity();
        let events: usize = activity.iter().map(|a| a.key_events.len()).sum();
        let names: BTreeSet<&str> =
            activity.iter().flat_map(|a| a.key_events.iter().map(|e| e.event_name.as_str())).collect();
        let days = activity.iter().map(|a| days_between(a.window_start, a.window_end)).max().unwrap_or(0);
        let truncated = activity.iter().any(|a| a.truncated);
        let seen = format!(
            "{events}{} key-management events in the last {days} days",
            if truncated { " or more" } else { "" }
        );
        let mut evidence = vec![
            ("key_management_events", events.to_string()),
            ("event_names", names.into_iter().collect::<Vec<_>>().join(",")),
        ];
        // Each multi-Region trail once, judged on its home record.
        let mut unknown = Vec::new();
        let mut multi_region: Vec<&CloudtrailTrail> = trails.iter().filter(|t| t.multi_region == Some(true)).collect();
        multi_region.dedup_by(|a, b| a.arn == b.arn);
        for trail in multi_region {
            match trail.home(&trails).and_then(CloudtrailTrail::audits_key_management) {
                Some(true) => {
                    evidence.push(("trail", trail.arn.clone()));
                    return Ok(finding(
                        Status::Pass,
                        format!("multi-Region trail {} logs KMS's management events; {seen}", trail.name),
                        evidence,
                    ));
                }
                Some(false) => {}
                None => unknown.push(trail.name.clone()),
            }
        }
        Ok(if unknown.is_empty() {
            finding(
                Status::Fail,
                format!("no multi-Region trail is logging every management event, KMS's included; {seen}"),
                evidence,
            )
        } else {
            finding(
                Status::Error,
                format!(
                    "whether multi-Region trail {} logs KMS's events is unknown (its status or selectors were not \
                     read, or its home region was not scanned)",
                    unknown.join(", ")
                ),
                vec![],
            )
        })
    }
}

export_rule!(KeyEventsAudited);
