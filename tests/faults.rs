//! Unknown is never a verdict, under faults. keyaudit scans the fixture
//! organisation through our fault-injecting proxy (`support/fault_proxy.py`,
//! deterministic by seed) at several mixes of throttling, server errors,
//! connection resets and latency, and each run is held against a clean
//! baseline through the same proxy:
//! - no resource is lost without an error row that covers it;
//! - no field differs from the baseline unless it is null, its API is in the
//!   record's `unread` list, and an error row names that API;
//! - no PASS, FAIL or INFO differs from the baseline: where data was missing
//!   the verdict is ERROR;
//! - every listed resource × rule of the baseline is still in `findings`;
//! - no request was attempted more often than `--max-attempts`, counted at the proxy.
//!
//! And the limits hold for every attempt, retries included: requests per
//! second and in flight per account-region, in flight across the run; the
//! external id reaches AssumeRole, which is called once per account. Denied
//! Organizations, ListKeys and DescribeRegions calls are each a clear result.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use keyaudit::inventory::CollectionError;
use keyaudit::kinds::kms_key::KmsKey;
use keyaudit::output::findings::FindingRow;
use keyaudit::output::read_rows;
use serde_json::{Value, json};
use support::{FaultProxy, ProxyEntry, keyaudit, org, run_day};

const MAX_ATTEMPTS: u32 = 3;

/// What one scan wrote.
struct Scan {
    code: i32,
    keys: Vec<KmsKey>,
    errors: Vec<CollectionError>,
    findings: Vec<FindingRow>,
    accounts: BTreeSet<String>,
}

/// Scans through the proxy; `extra` flags come last. The request rate is
/// high unless `extra` sets it, so that the faults, not the pacing, decide.
fn scan(proxy: &FaultProxy, out: &Path, extra: &[&str]) -> Scan {
    let out_arg = out.to_str().unwrap().to_owned();
    let attempts = MAX_ATTEMPTS.to_string();
    let mut args = vec!["scan", "--regions", "us-east-1,eu-west-1", "--max-attempts", &attempts];
    if !extra.contains(&"--max-requests-per-second-per-region") {
        args.extend(["--max-requests-per-second-per-region", "500"]);
    }
    args.extend(["-o", &out_arg, "--summary-json", "--log-level", "error"]);
    args.extend(extra);
    let run = keyaudit(Some(&proxy.endpoint), &args, &[]);
    assert!(run.code == 0 || run.code == 3, "the scan finished (exit {}):\n{}", run.code, run.stderr);
    let summary = run.summary();
    let day = run_day(&summary);
    let run_id = summary["run"]["run_id"].as_str().unwrap().to_owned();
    let table = |name: &str| out.join(format!("{name}/dt={day}/{run_id}.parquet"));
    let accounts: Vec<keyaudit::inventory::AccountRecord> = read_rows(&table("accounts")).unwrap();
    Scan {
        code: run.code,
        keys: read_rows(&table("kms_keys")).unwrap(),
        errors: read_rows(&table("collection_errors")).unwrap(),
        findings: read_rows(&table("findings")).unwrap(),
        accounts: accounts.into_iter().map(|a| a.account_id).collect(),
    }
}

/// The API whose answer fills a `kms_keys` column.
fn api_of(field: &str) -> &'static str {
    match field {
        "aliases" => "kms:ListAliases",
        "rotation_enabled" | "rotation_period_days" | "next_rotation_date" => "kms:GetKeyRotationStatus",
        "last_rotation_date" | "rotation_count" => "kms:ListKeyRotations",
        "key_policy" => "kms:GetKeyPolicy",
        "tags" => "kms:ListResourceTags",
        "grants" => "kms:ListGrants",
        "last_used_date" | "last_used_operation" | "last_used_event_id" | "usage_tracked_since" => {
            "kms:GetKeyLastUsage"
        }
        _ => "kms:DescribeKey",
    }
}

type KeyId = (String, String, String); // account, region, key id

fn key_id(key: &KmsKey) -> KeyId {
    (key.account_id.clone(), key.region.clone(), key.key_id.clone())
}

/// Whether an error row says why something of `account` in `region` is missing.
fn explained(errors: &[CollectionError], account: &str, region: &str, apis: &[&str], resource: Option<&str>) -> bool {
    errors.iter().any(|e| {
        e.account_id == account
            && (e.region == region || e.region == "*")
            && apis.contains(&e.api.as_str())
            && (e.resource_id.is_none() || e.resource_id.as_deref() == resource)
    })
}

/// How many attempts the proxy saw of each request (S3 keeps the SDK's own
/// retries, and is left out).
fn attempts_per_request(log: &[ProxyEntry]) -> BTreeMap<&str, u32> {
    let mut attempts: BTreeMap<&str, u32> = BTreeMap::new();
    for entry in log.iter().filter(|e| e.service != "s3") {
        *attempts.entry(&entry.identity).or_default() += 1;
    }
    attempts
}

/// Every promise of the module doc, for one faulted scan against the baseline.
fn check(mix: &str, baseline: &Scan, faulted: &Scan, log: &[ProxyEntry]) -> usize {
    let mut problems: Vec<String> = Vec::new();
    let found: BTreeMap<KeyId, &KmsKey> = faulted.keys.iter().map(|k| (key_id(k), k)).collect();
    let listing = ["kms:ListKeys", "sts:AssumeRole", "ec2:DescribeRegions"];

    // Resources: present, or their absence explained.
    for key in &baseline.keys {
        if !found.contains_key(&key_id(key))
            && !explained(&faulted.errors, &key.account_id, &key.region, &listing, None)
        {
            problems.push(format!("key {:?} lost without an error row", key_id(key)));
        }
    }
    assert_eq!(faulted.keys.len(), found.len(), "{mix}: no key twice");
    let known: BTreeSet<KeyId> = baseline.keys.iter().map(key_id).collect();
    for key in found.keys().filter(|k| !known.contains(*k)) {
        problems.push(format!("key {key:?} appeared from nowhere"));
    }

    // Fields: equal, or null with the API in `unread` and an error row.
    let mut nulled = 0;
    for key in &baseline.keys {
        let Some(faulted_key) = found.get(&key_id(key)) else { continue };
        let (Value::Object(want), Value::Object(got)) =
            (serde_json::to_value(key).unwrap(), serde_json::to_value(faulted_key).unwrap())
        else {
            unreachable!("records are objects")
        };
        for (field, wanted) in &want {
            if ["run_id", "collected_at", "unread"].contains(&field.as_str()) || got.get(field) == Some(wanted) {
                continue;
            }
            let api = api_of(field);
            let value = &got[field];
            let unread = faulted_key.is_unread(api);
            let row = explained(
                &faulted.errors,
                &key.account_id,
                &key.region,
                &[api, "kms:DescribeKey", "kms:ListAliases"],
                Some(&key.key_id),
            );
            if value.is_null() && unread && row {
                nulled += 1;
            } else {
                problems.push(format!(
                    "{:?}.{field}: {wanted} became {value} (unread {unread}, error row {row})",
                    key_id(key)
                ));
            }
        }
        for api in &faulted_key.unread {
            let row =
                explained(&faulted.errors, &key.account_id, &key.region, &[api, "kms:DescribeKey"], Some(&key.key_id));
            if !row {
                problems.push(format!("{:?}: {api} is unread but no error row says why", key_id(key)));
            }
        }
    }

    // Verdicts: the baseline's, or ERROR; and every baseline finding still there.
    let baseline_verdicts: BTreeMap<&str, &str> =
        baseline.findings.iter().map(|f| (f.finding_info.uid.as_str(), f.compliance.status_code.as_str())).collect();
    let faulted_verdicts: BTreeMap<&str, &FindingRow> =
        faulted.findings.iter().map(|f| (f.finding_info.uid.as_str(), f)).collect();
    let mut errors = 0;
    for (uid, finding) in &faulted_verdicts {
        let status = finding.compliance.status_code.as_str();
        if status == "ERROR" {
            errors += 1;
            continue;
        }
        match baseline_verdicts.get(uid) {
            Some(&expected) if expected == status => {}
            other => problems.push(format!(
                "{} on {:?}: {status}, baseline {other:?}: {}",
                finding.compliance.control, finding.resources, finding.message
            )),
        }
    }
    let listed: BTreeSet<&str> = faulted.keys.iter().map(|k| k.key_arn.as_str()).collect();
    for finding in &baseline.findings {
        let resource = finding.resources.first().filter(|r| r.kind != "AWS::::Account").map(|r| r.uid.as_str());
        let expected = match resource {
            Some(arn) => listed.contains(arn),
            None => faulted.accounts.contains(&finding.cloud.account.uid),
        };
        if expected && !faulted_verdicts.contains_key(finding.finding_info.uid.as_str()) {
            problems.push(format!("{} on {resource:?} vanished", finding.compliance.control));
        }
    }

    // Attempts, counted at the proxy. Discovery and the organisation kind
    // both describe the organisation and list its roots: the same request,
    // made twice by design.
    for (identity, made) in &attempts_per_request(log) {
        let entry = log.iter().find(|e| e.identity == *identity).unwrap();
        let twice =
            entry.service == "organizations" && ["DescribeOrganization", "ListRoots"].contains(&entry.action.as_str());
        if *made > MAX_ATTEMPTS * if twice { 2 } else { 1 } {
            problems.push(format!("{} {} attempted {made} times", entry.service, entry.action));
        }
    }

    assert!(problems.is_empty(), "{mix}: {} problems:\n{}", problems.len(), problems.join("\n"));
    eprintln!(
        "{mix}: {} faults injected, {} error rows, {nulled} fields null, {errors} ERROR findings",
        log.iter().filter(|e| e.fault.is_some()).count(),
        faulted.errors.len()
    );
    nulled + errors
}

#[test]
fn faults_become_errors_never_verdicts() {
    let org = org(&[]);
    let proxy = FaultProxy::start(&org.endpoint);
    proxy.configure(json!({"seed": 0, "faults": []}));
    let baseline = scan(&proxy, &org.dir.path().join("baseline"), &[]);
    assert_eq!(baseline.code, 0, "the baseline is complete");
    assert!(baseline.errors.is_empty(), "{:?}", baseline.errors);

    let throttle_for_good = |service: &str, share: f64| json!({"service": service, "kind": "throttle", "share": share});
    let mixes = [
        ("KMS throttled for good, 15% of requests", 1, json!([throttle_for_good("kms", 0.15)])),
        (
            "KMS server errors, resets and latency",
            2,
            json!([
                {"service": "kms", "kind": "http500", "share": 0.08},
                {"service": "kms", "kind": "http503", "share": 0.08, "attempts": 1},
                {"service": "kms", "kind": "reset", "share": 0.08},
                {"service": "kms", "kind": "reset", "share": 0.2, "attempts": 2},
                {"service": "kms", "action": "ListAliases", "kind": "latency", "share": 0.5, "latency_ms": 300},
            ]),
        ),
        ("an account's role throttled for good", 3, json!([throttle_for_good("sts", 0.4)])),
        (
            "one listing call of each kind throttled for good",
            4,
            json!([
                {"service": "kms", "action": "ListKeys", "kind": "throttle", "share": 0.3},
                {"service": "kms", "action": "ListAliases", "kind": "throttle", "share": 0.3},
                {"service": "kms", "action": "DescribeKey", "kind": "throttle", "share": 0.2},
            ]),
        ),
    ];
    for (mix, seed, faults) in mixes {
        proxy.configure(json!({"seed": seed, "faults": faults}));
        let faulted = scan(&proxy, &org.dir.path().join(format!("mix-{seed}")), &[]);
        let log = proxy.log();
        assert_eq!(faulted.code, 3, "{mix}: data went missing, so the run is incomplete");
        let affected = check(mix, &baseline, &faulted, &log);
        assert!(affected > 0, "{mix}: the faults reached the data (or this test checks nothing)");
    }
}

#[test]
fn transient_throttling_everywhere_is_retried_to_a_complete_run() {
    let org = org(&[]);
    let proxy = FaultProxy::start(&org.endpoint);
    proxy.configure(json!({"seed": 0, "faults": []}));
    let baseline = scan(&proxy, &org.dir.path().join("baseline"), &[]);

    // Every request of every service but S3 is throttled on its first two
    // attempts: with three attempts, every one must get through.
    let services: BTreeSet<&str> = ["sts", "organizations", "ec2"]
        .into_iter()
        .chain(keyaudit::kinds::ALL.iter().map(|kind| kind.info().aws_service))
        .collect();
    let faults: Vec<Value> = services
        .iter()
        .map(|service| json!({"service": service, "kind": "throttle", "share": 1.0, "attempts": 2}))
        .collect();
    proxy.configure(json!({"seed": 7, "faults": faults}));
    let retried = scan(&proxy, &org.dir.path().join("retried"), &[]);
    let log = proxy.log();
    assert!(retried.errors.is_empty(), "every throttled request was retried until it succeeded: {:?}", retried.errors);
    assert_eq!(retried.code, 0, "the run is complete");
    check("transient throttling", &baseline, &retried, &log);
    let strip = |keys: &[KmsKey]| -> BTreeSet<String> {
        keys.iter()
            .map(|k| serde_json::to_string(&KmsKey { run_id: String::new(), collected_at: 0, ..k.clone() }).unwrap())
            .collect()
    };
    assert_eq!(strip(&retried.keys), strip(&baseline.keys), "the same inventory");
    let statuses = |s: &Scan| -> BTreeSet<(String, String)> {
        s.findings.iter().map(|f| (f.finding_info.uid.clone(), f.compliance.status_code.clone())).collect()
    };
    assert_eq!(statuses(&retried), statuses(&baseline), "the same findings");

    let attempts = attempts_per_request(&log);
    assert!(attempts.len() > 100, "{} requests", attempts.len());
    for (identity, made) in attempts {
        let entry = log.iter().find(|e| e.identity == identity).unwrap();
        // Discovery and the organisation kind make the same request: its
        // second copy finds the faults spent and succeeds at once.
        let twice =
            entry.service == "organizations" && ["DescribeOrganization", "ListRoots"].contains(&entry.action.as_str());
        let expected = if twice { 4 } else { 3 };
        assert_eq!(made, expected, "{} {} was tried exactly --max-attempts times", entry.service, entry.action);
    }
}

#[test]
fn every_attempt_keeps_to_the_rate_and_concurrency_limits_and_the_role_is_assumed_once() {
    let org = org(&[]);
    let proxy = FaultProxy::start(&org.endpoint);
    // Half the KMS requests are throttled once, so retries are part of the traffic.
    proxy
        .configure(json!({"seed": 3, "faults": [{"service": "kms", "kind": "throttle", "share": 0.5, "attempts": 1}]}));
    let rate = 10;
    let out = org.dir.path().join("limited");
    let limited = scan(
        &proxy,
        &out,
        &[
            "--max-requests-per-second-per-region",
            "10",
            "--max-concurrent-requests-per-region",
            "2",
            "--max-concurrent-requests",
            "5",
            "--external-id",
            "audit-7f3a",
            "--session-name",
            "keyaudit-limits",
        ],
    );
    assert_eq!(limited.code, 0);
    let log = proxy.log();
    let kms: Vec<&ProxyEntry> = log.iter().filter(|e| e.service == "kms").collect();
    assert!(kms.iter().any(|e| e.attempt > 1), "retries happened");

    let mut by_place: BTreeMap<(&str, &str), Vec<f64>> = BTreeMap::new();
    for entry in &kms {
        by_place.entry((&entry.account, &entry.region)).or_default().push(entry.t);
        assert!(entry.in_flight <= 2, "{entry:?}: at most 2 in flight per account-region");
        assert!(entry.in_flight_service <= 5, "{entry:?}: at most 5 KMS requests in flight in all");
    }
    for ((account, region), mut times) in by_place {
        times.sort_by(f64::total_cmp);
        // In any one-second window: the rate, plus the request at its edge,
        // plus one for the arrival jitter of requests spaced 100 ms apart.
        let most = times.iter().map(|start| times.iter().filter(|t| **t >= *start && **t < start + 1.0).count()).max();
        assert!(most.unwrap_or(0) <= rate + 2, "{account}/{region}: {most:?} attempts in one second at {rate}/s");
    }

    let assumed: Vec<&ProxyEntry> = log.iter().filter(|e| e.action == "AssumeRole").collect();
    let roles: BTreeSet<&str> = assumed.iter().filter_map(|e| e.role_arn.as_deref()).collect();
    assert_eq!(assumed.len(), roles.len(), "each account's role is assumed once: {assumed:#?}");
    assert_eq!(roles.len(), limited.accounts.len());
    for entry in assumed {
        assert_eq!(entry.external_id.as_deref(), Some("audit-7f3a"), "the external id reaches AssumeRole");
        assert_eq!(entry.session_name.as_deref(), Some("keyaudit-limits"));
    }
}

#[test]
fn throttled_setup_calls_say_they_were_throttled_in_one_line() {
    let org = org(&[]);
    let proxy = FaultProxy::start(&org.endpoint);
    let out = org.dir.path().join("out");
    let args = ["scan", "--regions", "us-east-1", "--max-attempts", "2", "-o", out.to_str().unwrap()];

    proxy.configure(json!({"faults": [{"service": "sts", "action": "GetCallerIdentity", "kind": "throttle"}]}));
    let run = keyaudit(Some(&proxy.endpoint), &args, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let line = run.stderr.trim().lines().last().unwrap_or_default();
    assert!(line.contains("sts:GetCallerIdentity") && line.contains("was throttled"), "{line}");
    assert!(line.contains("after 2 attempts"), "the configured attempts were made: {line}");
    assert!(!line.contains("Check credentials"), "not blamed on credentials: {line}");
    assert_eq!(proxy.log().iter().filter(|e| e.action == "GetCallerIdentity").count(), 2, "--max-attempts 2");

    proxy.configure(json!({"faults": [{"service": "organizations", "action": "ListAccounts", "kind": "throttle"}]}));
    let run = keyaudit(Some(&proxy.endpoint), &args, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let line = run.stderr.trim().lines().last().unwrap_or_default();
    assert!(line.contains("organizations:ListAccounts was throttled"), "{line}");
    assert!(line.contains("TooManyRequestsException"), "{line}");
    assert!(!line.contains("needs organizations:List*"), "not blamed on permissions: {line}");
    assert!(line.len() < 400, "one short line: {line}");
}

#[test]
fn a_requested_region_the_account_lacks_is_an_error_not_an_empty_region() {
    let org = org(&[]);
    let proxy = FaultProxy::start(&org.endpoint);
    proxy.configure(json!({"faults": []}));
    let out = org.dir.path().join("out");
    let run = keyaudit(
        Some(&proxy.endpoint),
        &["scan", "--regions", "us-east-1,us-east-9", "-o", out.to_str().unwrap(), "--summary-json"],
        &[],
    );
    assert_eq!(run.code, 3, "incomplete: {}", run.stderr);
    let summary = run.summary();
    let (day, run_id) = (run_day(&summary), summary["run"]["run_id"].as_str().unwrap().to_owned());
    let errors: Vec<CollectionError> =
        read_rows(&out.join(format!("collection_errors/dt={day}/{run_id}.parquet"))).unwrap();
    let accounts: Vec<keyaudit::inventory::AccountRecord> =
        read_rows(&out.join(format!("accounts/dt={day}/{run_id}.parquet"))).unwrap();
    assert!(!accounts.is_empty());
    for account in &accounts {
        let theirs: Vec<&CollectionError> = errors.iter().filter(|e| e.account_id == account.account_id).collect();
        let regional: BTreeSet<&str> = keyaudit::kinds::infos()
            .iter()
            .filter(|k| k.level == keyaudit::inventory::Level::Region)
            .map(|k| k.service)
            .collect();
        let services: BTreeSet<&str> = theirs.iter().map(|e| e.service.as_str()).collect();
        assert_eq!(services, regional, "{}: one row per regional service for the missing region", account.account_id);
        for error in &theirs {
            assert_eq!((error.region.as_str(), error.error_code.as_str()), ("us-east-9", "RegionNotEnabled"));
            assert!(error.message.contains("us-east-9 is not enabled in this account, or is not an AWS region"));
        }
    }
    assert!(!proxy.log().iter().any(|e| e.region == "us-east-9"), "no request went to a region that does not exist");
    let findings: Vec<FindingRow> = read_rows(&out.join(format!("findings/dt={day}/{run_id}.parquet"))).unwrap();
    // Account-level verdicts that cover every region (no region of their
    // own) and read some regional kind; a rule that reads only the
    // organisation-level kinds does not depend on the account's regions.
    let engine = keyaudit::rules::RuleEngine::load(&keyaudit::config::RulesConfig {
        builtin_dir: Some(support::fresh::builtin_rules()),
        cache_dir: Some(support::workspace().join("target/test-rule-cache")),
        ..Default::default()
    })
    .expect("the built-in rules load");
    let regional: BTreeSet<&str> = keyaudit::kinds::infos()
        .iter()
        .filter(|k| k.level != keyaudit::inventory::Level::Organisation)
        .map(|k| k.name)
        .collect();
    let reads_regions: BTreeSet<&str> = engine
        .rules()
        .filter(|r| r.reads.iter().any(|read| regional.contains(read.kind.as_str())))
        .map(|r| r.id.as_str())
        .collect();
    let account_level: Vec<&FindingRow> = findings
        .iter()
        .filter(|f| f.resources.iter().all(|r| r.kind == "AWS::::Account"))
        .filter(|f| f.cloud.region.as_deref().is_none_or(|r| r == "us-east-9"))
        .filter(|f| reads_regions.contains(f.compliance.control.as_str()))
        .collect();
    assert!(!account_level.is_empty());
    for finding in account_level {
        assert_eq!(
            finding.compliance.status_code, "ERROR",
            "{}: an account-level verdict needs us-east-9 too: {}",
            finding.compliance.control, finding.message
        );
    }
}

/// With `--no-inventory`, keyaudit collects only the kinds and detail calls
/// the selected rules read: no KMS policy, grant, alias or tag call for a
/// rotation-only run, and no other service at all.
#[test]
fn without_the_inventory_only_what_the_selected_rules_read_is_collected() {
    let org = org(&[]);
    let proxy = FaultProxy::start(&org.endpoint);
    proxy.configure(json!({"faults": []}));
    let out = org.dir.path().join("out");
    let args = ["scan", "--regions", "us-east-1,eu-west-1", "--no-inventory", "--enable-rules", "kms-rotation-enabled"];
    let run =
        keyaudit(Some(&proxy.endpoint), &[&args[..], &["-o", out.to_str().unwrap(), "--summary-json"]].concat(), &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let log = proxy.log();
    let calls: BTreeSet<(&str, &str)> = log.iter().map(|e| (e.service.as_str(), e.action.as_str())).collect();
    assert!(calls.contains(&("kms", "ListKeys")) && calls.contains(&("kms", "GetKeyRotationStatus")), "{calls:?}");
    for (service, action) in &calls {
        assert!(
            !["GetKeyPolicy", "ListGrants", "ListAliases", "ListResourceTags"].contains(action),
            "kms:{action} fills nothing the rule reads"
        );
        assert!(!["acm", "secretsmanager", "ssm", "iam"].contains(service), "{service}:{action}: no rule reads it");
    }
    let tables: BTreeSet<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(
        tables,
        BTreeSet::from(["accounts", "collection_errors", "findings", "ksi_scores", "runs"].map(String::from))
    );
    let summary = run.summary();
    // The KSI scorecard knows only what was read: KMS keys (DescribeKey,
    // which the rule reads), not their aliases, nor other services.
    let scores: Vec<keyaudit::ksi::KsiScore> = table(&out, &summary, "ksi_scores");
    let status = |sub_check: &str| {
        let row = scores.iter().find(|r| r.account_id.is_none() && r.sub_check == sub_check).unwrap();
        (row.status.clone(), row.figure.clone())
    };
    assert_eq!(status("kms-keys").0, "PASS", "{:?}", status("kms-keys"));
    for unknown in ["key-aliases", "acm-certificates", "secret-rotation", "overall"] {
        assert_eq!(status(unknown).0, "ERROR", "{unknown}: {:?}", status(unknown));
    }
    assert!(status("acm-certificates").1.contains("not collected"), "{:?}", status("acm-certificates"));
    assert!(status("key-aliases").1.contains("kms:ListAliases"), "{:?}", status("key-aliases"));
    assert!(summary["findings_by_rule"]["kms-rotation-enabled"]["fail"].as_u64().unwrap() > 0);

    let replay = keyaudit(None, &["evaluate", "--inventory", out.to_str().unwrap()], &[]);
    assert_eq!(replay.code, 1, "a run without its inventory cannot be replayed");
    assert!(replay.stderr.contains("without its inventory tables"), "{}", replay.stderr);
}

/// The rows of `table` a run wrote to `out`.
fn table<T: serde::de::DeserializeOwned>(out: &Path, summary: &Value, table: &str) -> Vec<T> {
    let (day, run_id) = (run_day(summary), summary["run"]["run_id"].as_str().unwrap());
    read_rows(&out.join(format!("{table}/dt={day}/{run_id}.parquet"))).unwrap()
}

/// Denied listings, each a clear result: Organizations stops the run with
/// one line; a denied `ListKeys` is an error row for that account-region
/// whose KMS verdicts become ERROR while other services are collected; a
/// denied `DescribeRegions` leaves the account's regions unknown, an error
/// row for every kind, unless the regions were given.
#[test]
fn denied_listings_are_each_a_clear_result() {
    let org = org(&[]);
    let manifest = &org.manifest;
    let proxy = FaultProxy::start(&org.endpoint);
    let scan = |name: &str, regions: Option<&str>| {
        let out = org.dir.path().join(name);
        let mut args = vec!["scan", "-o", out.to_str().unwrap(), "--summary-json"];
        if let Some(regions) = regions {
            args.extend(["--regions", regions]);
        }
        (keyaudit(Some(&proxy.endpoint), &args, &[]), out)
    };
    let denied = |service: &str, action: &str| {
        proxy.configure(json!({"faults": [{"service": service, "action": action, "kind": "denied"}]}));
    };
    let active: BTreeSet<&str> = manifest.active_accounts().map(|a| a.id.as_str()).collect();

    denied("organizations", "ListAccounts");
    let (run, _) = scan("orgs", Some("us-east-1"));
    assert_eq!(run.code, 1, "{}", run.stderr);
    let line = run.stderr.trim().lines().last().unwrap_or_default();
    assert!(line.contains("organizations:ListAccounts") && line.contains("was denied"), "{line}");
    assert!(line.contains("organizations:List*"), "says what the caller needs: {line}");
    assert!(!line.contains("SdkError") && !line.contains("DispatchFailure"), "no SDK dump: {line}");

    denied("kms", "ListKeys");
    let (run, out) = scan("list-keys", Some("us-east-1"));
    assert_eq!(run.code, 3, "incomplete, not failed: {}", run.stderr);
    let summary = run.summary();
    let errors: Vec<CollectionError> = table(&out, &summary, "collection_errors");
    let listed: BTreeSet<(&str, &str, &str, &str)> = errors
        .iter()
        .map(|e| (e.account_id.as_str(), e.region.as_str(), e.api.as_str(), e.error_code.as_str()))
        .collect();
    let expected: BTreeSet<(&str, &str, &str, &str)> =
        active.iter().map(|a| (*a, "us-east-1", "kms:ListKeys", "AccessDeniedException")).collect();
    assert_eq!(listed, expected, "one row per account-region, naming the call");
    assert!(errors.iter().all(|e| e.message.contains("not authorized to perform: kms:ListKeys")), "{errors:?}");
    let keys: Vec<KmsKey> = table(&out, &summary, "kms_keys");
    assert!(keys.is_empty(), "no key is made up: {keys:?}");
    let certificates = manifest.certificates.iter().filter(|c| c.region == "us-east-1").count();
    let collected: Vec<keyaudit::kinds::acm_certificate::AcmCertificate> = table(&out, &summary, "acm_certificates");
    assert_eq!(collected.len(), certificates, "other services are collected");
    let findings: Vec<FindingRow> = table(&out, &summary, "findings");
    let kms_account_checks: Vec<&FindingRow> = findings
        .iter()
        .filter(|f| f.compliance.control.starts_with("kms-") && f.resources.iter().all(|r| r.kind == "AWS::::Account"))
        .collect();
    assert!(!kms_account_checks.is_empty());
    for finding in kms_account_checks {
        assert_eq!(finding.compliance.status_code, "ERROR", "{}: {}", finding.compliance.control, finding.message);
    }

    denied("ec2", "DescribeRegions");
    let (run, out) = scan("regions-unknown", None);
    assert_eq!(run.code, 3, "{}", run.stderr);
    let summary = run.summary();
    let errors: Vec<CollectionError> = table(&out, &summary, "collection_errors");
    for account in &active {
        let theirs: BTreeSet<(&str, &str)> = errors
            .iter()
            .filter(|e| e.account_id == *account)
            .map(|e| (e.service.as_str(), e.region.as_str()))
            .collect();
        // Organisation-level kinds are read once, with the scanning
        // credentials: an account's regions do not touch them.
        use keyaudit::inventory::Level;
        let every_kind: BTreeSet<(&str, &str)> = keyaudit::kinds::infos()
            .iter()
            .filter(|k| k.level != Level::Organisation)
            .map(|k| (k.service, if k.level == Level::Region { "*" } else { "global" }))
            .collect();
        assert_eq!(theirs, every_kind, "{account}: every account- and region-level kind, everywhere, is unknown");
    }
    assert!(errors.iter().all(|e| e.api == "ec2:DescribeRegions" && e.error_code == "UnauthorizedOperation"));
    let (run, _) = scan("regions-given", Some("us-east-1"));
    assert_eq!(run.code, 0, "with --regions the check is skipped, with a warning: {}", run.stderr);
}

/// S3 output sends the configured encryption and expected bucket owner with
/// every request; an upload that fails mid-run leaves that destination
/// without a `runs` row while the other destination is written whole, and
/// the run exits 1 saying which is which.
#[test]
fn s3_output_is_encrypted_and_a_failed_upload_leaves_no_runs_row() {
    let org = org(&[]);
    let bucket = org.manifest.bucket.clone();
    let proxy = FaultProxy::start(&org.endpoint);
    let key_id = "arn:aws:kms:us-east-1:123456789012:key/0f1e2d3c-0000-4000-8000-000000000001";
    let config = org.dir.path().join("keyaudit.toml");
    std::fs::write(
        &config,
        format!(
            "[output]\nsse = \"aws:kms\"\nsse_kms_key_id = \"{key_id}\"\nexpected_bucket_owner = \"{}\"\n",
            org.manifest.management_account_id
        ),
    )
    .unwrap();
    let scan = |destinations: &[String]| {
        let mut args = vec!["scan", "--config", config.to_str().unwrap(), "--regions", "us-east-1"];
        for destination in destinations {
            args.extend(["-o", destination.as_str()]);
        }
        keyaudit(Some(&proxy.endpoint), &args, &[])
    };

    proxy.configure(json!({"faults": []}));
    let run = scan(&[format!("s3://{bucket}/encrypted")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let log = proxy.log();
    let s3: Vec<&ProxyEntry> = log.iter().filter(|e| e.service == "s3").collect();
    let puts: Vec<&&ProxyEntry> = s3.iter().filter(|e| e.action == "PUT").collect();
    assert!(puts.len() >= 4, "every table is uploaded: {puts:?}");
    for entry in &s3 {
        let owner = entry.s3_headers.get("x-amz-expected-bucket-owner").map(String::as_str);
        assert_eq!(owner, Some(org.manifest.management_account_id.as_str()), "{:?} {:?}", entry.action, entry.path);
    }
    for put in &puts {
        assert_eq!(put.s3_headers.get("x-amz-server-side-encryption").map(String::as_str), Some("aws:kms"), "{put:?}");
        let key = put.s3_headers.get("x-amz-server-side-encryption-aws-kms-key-id").map(String::as_str);
        assert_eq!(key, Some(key_id), "{put:?}");
    }

    // The findings upload fails, every attempt; the local copy is unaffected.
    proxy.configure(json!({"faults": [{"service": "s3", "action": "PUT", "path": "/findings/", "kind": "http500"}]}));
    let local = org.dir.path().join("local");
    let run = scan(&[format!("s3://{bucket}/broken"), local.display().to_string()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let line = run.stderr.trim().lines().last().unwrap_or_default();
    assert!(line.contains(&format!("s3://{bucket}/broken is incomplete, without a runs row")), "{line}");
    assert!(line.contains("findings/") && line.contains(&format!("written whole: {}", local.display())), "{line}");
    let copied = org.dir.path().join("copied");
    let keys = support::download(&org.endpoint, &bucket, "broken/", &copied);
    assert!(keys.iter().any(|k| k.starts_with("broken/kms_keys/")), "tables before findings are there: {keys:?}");
    assert!(!keys.iter().any(|k| k.starts_with("broken/runs/") || k.starts_with("broken/findings/")), "{keys:?}");
    let runs = std::fs::read_dir(local.join("runs")).unwrap().count();
    assert_eq!(runs, 1, "the local destination is complete, runs row included");
    assert!(local.join("findings").exists());
}

/// CloudTrail's event history is read within LookupEvents' quota (two
/// requests a second per account-region, evenly spaced) and up to the page
/// cap; a region with more is marked truncated, and the usage-anomaly
/// verdicts on its keys are ERROR, never judged on partial counts. A
/// repeated page token stops the read with an error row.
#[test]
fn the_event_history_is_paced_capped_and_never_judged_partial() {
    let org = org(&[]);
    let proxy = FaultProxy::start(&org.endpoint);
    let endless = |token: &str| {
        json!([{"service": "cloudtrail", "action": "LookupEvents", "kind": "answer",
                "answer": {"Events": [], "NextToken": token}}])
    };
    proxy.configure(json!({"seed": 0, "faults": endless("$serial")}));
    let out = org.dir.path().join("capped");
    let args = ["--services", "kms,cloudtrail-events", "--key-events-max-pages", "4"];
    let capped = scan(&proxy, &out, &args);
    assert_eq!(capped.code, 0, "a truncated history is complete data, marked as such");
    let log = proxy.log();
    let mut lookups: BTreeMap<(&str, &str), Vec<f64>> = BTreeMap::new();
    for entry in log.iter().filter(|e| e.action == "LookupEvents") {
        lookups.entry((entry.account.as_str(), entry.region.as_str())).or_default().push(entry.t);
    }
    assert_eq!(lookups.len(), org.manifest.active_accounts().count() * 2, "every account-region");
    for (place, times) in &lookups {
        assert_eq!(times.len(), 4, "{place:?}: the page cap");
        // In any one-second window: two, plus one for the request at its edge
        // (arrival jitter); unpaced, all four would arrive at once.
        let most = times.iter().map(|start| times.iter().filter(|t| **t >= *start && **t < start + 1.0).count()).max();
        assert!(most.unwrap_or(0) <= 3, "{place:?}: two requests a second at most: {times:?}");
    }
    let summary_dir = |out: &Path| -> Vec<keyaudit::kinds::cloudtrail_key_activity::CloudTrailKeyActivity> {
        let file = std::fs::read_dir(out.join("cloudtrail_key_activity")).unwrap().next().unwrap().unwrap().path();
        let file = std::fs::read_dir(file).unwrap().next().unwrap().unwrap().path();
        read_rows(&file).unwrap()
    };
    for history in summary_dir(&out) {
        assert!(history.truncated && history.pages_read == 4, "{history:?}");
    }
    let anomaly: Vec<&FindingRow> =
        capped.findings.iter().filter(|f| f.compliance.control == "kms-usage-anomaly").collect();
    assert!(!anomaly.is_empty());
    assert!(anomaly.iter().all(|f| f.compliance.status_code == "ERROR"), "{:?}", anomaly[0].message);

    proxy.configure(json!({"seed": 0, "faults": endless("same")}));
    let out = org.dir.path().join("looping");
    let looping = scan(&proxy, &out, &args);
    assert_eq!(looping.code, 3, "the history could not be read whole");
    let loops: Vec<&CollectionError> = looping.errors.iter().filter(|e| e.api == "cloudtrail:LookupEvents").collect();
    assert_eq!(loops.len(), org.manifest.active_accounts().count() * 2);
    assert!(loops.iter().all(|e| e.error_code == "PaginationLoop"), "{loops:?}");
}
