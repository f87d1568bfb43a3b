//! Unknown is never a verdict: the host's last word on a rule's output.
//!
//! A rule declares what it reads (its resource kinds and, per kind, the
//! field groups, hence the APIs behind them). Whatever a rule returned, a
//! verdict that rests on data keyaudit could not read becomes ERROR:
//! - a finding about a resource one of whose read APIs failed for it;
//! - an account-level finding where a kind it reads could not be listed in
//!   the finding's region (or in any region, for a finding with none), or
//!   where some resource of that kind has a read API that failed;
//! - and a resource with such a failure that the rule left without a finding
//!   gets one ERROR, so `findings` accounts for every listed resource × rule;
//!   unless an account-level finding of the same call covers its region (a
//!   check about the account, which the failure already made ERROR).
//!
//! This holds for every contract version, whatever the rule does with the
//! data it is given, so a rule cannot turn a gap into PASS or FAIL.

use rustc_hash::FxHashSet;

use super::model::{RuleFinding, Status};
use crate::inventory::ListingGap;
use crate::kinds::Facts as ResourceFacts;

/// What one rule reads.
#[derive(Debug, Clone)]
pub struct Reads {
    /// The resource kinds the rule is given.
    pub kinds: Vec<String>,
    /// The APIs whose data it depends on (`kms:ListGrants`, …).
    pub apis: Vec<&'static str>,
}

impl Reads {
    /// The APIs of `unread` this rule depends on.
    fn missing<'a>(&self, unread: &'a [String]) -> Vec<&'a str> {
        unread.iter().map(String::as_str).filter(|api| self.apis.contains(api)).collect()
    }
}

/// A finding checked against the rule's input, with the position of its resource.
pub struct Placed {
    pub position: Option<usize>,
    pub finding: RuleFinding,
}

/// Turns every verdict that rests on unread data into ERROR and adds an
/// ERROR for each resource with unread data that the rule left unjudged.
pub fn void_unknown(
    reads: &Reads,
    placed: Vec<Placed>,
    given: &[ResourceFacts<'_>],
    gaps: &[ListingGap],
) -> Vec<RuleFinding> {
    let mut judged = FxHashSet::default();
    // The regions the call's account-level findings are about (all of them
    // for a finding without a region).
    let mut covers_all = false;
    let mut covered: FxHashSet<&str> = FxHashSet::default();
    let mut findings = Vec::with_capacity(placed.len());
    // The resources with unread data this rule depends on, found once per
    // call rather than once per account-level finding (usually none).
    let unread: Vec<(&str, Vec<&str>)> = given
        .iter()
        .filter_map(|facts| {
            let missing = reads.missing(facts.unread);
            (!missing.is_empty()).then_some((facts.region, missing))
        })
        .collect();
    for Placed { position, mut finding } in placed {
        let reason = match position {
            Some(position) => {
                judged.insert(position);
                resource_reason(reads, &given[position])
            }
            None => {
                match finding.region.as_deref() {
                    None => covers_all = true,
                    Some(region) => covered.extend(given.iter().map(|f| f.region).find(|r| *r == region)),
                }
                account_reason(reads, finding.region.as_deref(), &unread, gaps)
            }
        };
        if let Some(reason) = reason
            && finding.status != Status::Error
        {
            finding.status = Status::Error;
            finding.message = format!("no verdict: {reason}");
            finding.evidence = vec![("unread".to_owned(), reason)];
        }
        findings.push(finding);
    }
    for (position, facts) in given.iter().enumerate() {
        if judged.contains(&position) || covers_all || covered.contains(facts.region) {
            continue;
        }
        if let Some(reason) = resource_reason(reads, facts) {
            findings.push(RuleFinding {
                rule_id: String::new(), // filled in by the caller
                status: Status::Error,
                message: format!("no verdict: {reason}"),
                resource_id: Some(facts.id.to_owned()),
                resource_type: facts.kind,
                subject: None,
                region: Some(facts.region.to_owned()),
                evidence: vec![("unread".to_owned(), reason)],
            });
        }
    }
    findings
}

fn resource_reason(reads: &Reads, facts: &ResourceFacts<'_>) -> Option<String> {
    let missing = reads.missing(facts.unread);
    (!missing.is_empty()).then(|| format!("{} could not be read for this resource", missing.join(", ")))
}

fn account_reason(
    reads: &Reads,
    region: Option<&str>,
    unread: &[(&str, Vec<&str>)],
    gaps: &[ListingGap],
) -> Option<String> {
    let mut causes: Vec<String> = Vec::new();
    for kind in &reads.kinds {
        for gap in gaps.iter().filter(|gap| gap.covers(kind, region)) {
            let place = if gap.region == "*" { "every region".to_owned() } else { gap.region.clone() };
            causes.push(format!("{kind} resources in {place} are not all known: {} failed", gap.cause));
        }
    }
    let unread: FxHashSet<&str> = unread
        .iter()
        .filter(|(resource_region, _)| region.is_none_or(|r| r == *resource_region))
        .flat_map(|(_, missing)| missing.iter().copied())
        .collect();
    if !unread.is_empty() {
        let mut unread: Vec<&str> = unread.into_iter().collect();
        unread.sort_unstable();
        causes.push(format!("{} could not be read for some resources", unread.join(", ")));
    }
    (!causes.is_empty()).then(|| causes.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(status: Status, resource: Option<&str>) -> RuleFinding {
        RuleFinding {
            rule_id: "r".into(),
            status,
            message: "m".into(),
            resource_id: resource.map(str::to_owned),
            resource_type: "kms-key",
            subject: None,
            region: None,
            evidence: vec![],
        }
    }

    fn reads(apis: &[&'static str]) -> Reads {
        Reads { kinds: vec!["kms-key".into()], apis: apis.to_vec() }
    }

    #[test]
    fn verdicts_on_unread_data_become_errors_and_unjudged_resources_get_one() {
        let grants_unread = vec!["kms:ListGrants".to_owned()];
        let given = [
            ResourceFacts { id: "k0", kind: "kms-key", region: "us-east-1", unread: &grants_unread },
            ResourceFacts { id: "k1", kind: "kms-key", region: "us-east-1", unread: &[] },
            ResourceFacts { id: "k2", kind: "kms-key", region: "eu-west-1", unread: &grants_unread },
        ];
        let placed = vec![
            Placed { position: Some(0), finding: finding(Status::Pass, Some("k0")) },
            Placed { position: Some(1), finding: finding(Status::Fail, Some("k1")) },
        ];
        let out = void_unknown(&reads(&["kms:ListGrants"]), placed, &given, &[]);
        let statuses: Vec<(Option<&str>, Status)> = out.iter().map(|f| (f.resource_id.as_deref(), f.status)).collect();
        assert_eq!(statuses, [(Some("k0"), Status::Error), (Some("k1"), Status::Fail), (Some("k2"), Status::Error)]);
        assert!(out[0].message.contains("kms:ListGrants"), "{}", out[0].message);

        // A rule that does not read grants is not affected.
        let placed = vec![Placed { position: Some(0), finding: finding(Status::Pass, Some("k0")) }];
        let out = void_unknown(&reads(&["kms:GetKeyPolicy"]), placed, &given, &[]);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].status, Status::Pass);
    }

    #[test]
    fn account_verdicts_over_a_failed_listing_become_errors() {
        let gaps = [ListingGap {
            region: "eu-west-1".into(),
            kind: "kms-key".into(),
            cause: "kms:ListKeys (HTTP 500)".into(),
        }];
        let mut in_us = finding(Status::Pass, None);
        in_us.region = Some("us-east-1".into());
        let placed = vec![
            Placed { position: None, finding: finding(Status::Fail, None) },
            Placed { position: None, finding: in_us },
        ];
        let out = void_unknown(&reads(&[]), placed, &[], &gaps);
        assert_eq!(out[0].status, Status::Error, "no region: every region counts");
        assert!(out[0].message.contains("kms:ListKeys (HTTP 500)"), "{}", out[0].message);
        assert_eq!(out[1].status, Status::Pass, "a verdict about another region stands");

        let everywhere =
            [ListingGap { region: "*".into(), kind: "*".into(), cause: "sts:AssumeRole (AccessDenied)".into() }];
        let out = void_unknown(
            &reads(&[]),
            vec![Placed { position: None, finding: finding(Status::Pass, None) }],
            &[],
            &everywhere,
        );
        assert_eq!(out[0].status, Status::Error);
    }

    #[test]
    fn an_account_level_error_stands_for_the_unread_resources_of_its_regions() {
        let unread = vec!["kms:GetKeyRotationStatus".to_owned()];
        let given = [
            ResourceFacts { id: "k0", kind: "kms-key", region: "us-east-1", unread: &unread },
            ResourceFacts { id: "k1", kind: "kms-key", region: "eu-west-1", unread: &unread },
        ];
        let reads = reads(&["kms:GetKeyRotationStatus"]);
        let statuses = |out: &[RuleFinding]| -> Vec<(Option<String>, Option<String>, Status)> {
            out.iter().map(|f| (f.resource_id.clone(), f.region.clone(), f.status)).collect()
        };
        // About the whole account: its ERROR says it all.
        let out =
            void_unknown(&reads, vec![Placed { position: None, finding: finding(Status::Pass, None) }], &given, &[]);
        assert_eq!(statuses(&out), [(None, None, Status::Error)]);
        // About one region: the other region's unread key still gets its own.
        let mut in_us = finding(Status::Pass, None);
        in_us.region = Some("us-east-1".into());
        let out = void_unknown(&reads, vec![Placed { position: None, finding: in_us }], &given, &[]);
        assert_eq!(
            statuses(&out),
            [
                (None, Some("us-east-1".into()), Status::Error),
                (Some("k1".into()), Some("eu-west-1".into()), Status::Error)
            ]
        );
    }

    #[test]
    fn rule_errors_keep_their_own_reason() {
        let unread = vec!["kms:DescribeKey".to_owned()];
        let given = [ResourceFacts { id: "k0", kind: "kms-key", region: "us-east-1", unread: &unread }];
        let mut own = finding(Status::Error, Some("k0"));
        own.message = "the rule's own reason".into();
        let out =
            void_unknown(&reads(&["kms:DescribeKey"]), vec![Placed { position: Some(0), finding: own }], &given, &[]);
        assert_eq!(out[0].message, "the rule's own reason");
    }
}
