//! The org-wide KMS inventory, end to end against moto: the fixture
//! organisation is scanned, the Parquet written to S3 is read back with the
//! arrow reader and with DuckDB (running the SQL we ship for Athena), and must
//! equal what moto reports, key by key.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use keyaudit::inventory::{AccountRecord, CollectionError};
use keyaudit::kinds::cloudformation_stack::CloudFormationStack;
use keyaudit::kinds::cloudtrail_key_activity::CloudTrailKeyActivity;
use keyaudit::kinds::cloudtrail_trail::CloudTrailTrail;
use keyaudit::kinds::config_conformance_pack::ConfigConformancePack;
use keyaudit::kinds::config_recorder::ConfigRecorder;
use keyaudit::kinds::config_rule::ConfigRule;
use keyaudit::kinds::kms_key::KmsKey;
use keyaudit::kinds::organization::Organization;
use keyaudit::kinds::service_control_policy::ServiceControlPolicy;
use keyaudit::output::{RunRecord, read_rows};
use support::{FaultProxy, FixtureKey, Manifest, athena_query, download, duckdb, keyaudit, org, run_day};

fn key_index(keys: &[KmsKey]) -> BTreeMap<(String, String, String), &KmsKey> {
    keys.iter().map(|k| ((k.account_id.clone(), k.region.clone(), k.key_id.clone()), k)).collect()
}

/// A grant's name, grantee, sorted operations and issuing account.
type GrantView = (String, Option<String>, Vec<String>, Option<String>);

/// Asserts that one collected key carries every field moto reports for it.
fn assert_key_matches(expected: &FixtureKey, actual: &KmsKey, manifest: &Manifest) {
    let what = format!("{} in {}/{}", expected.description, expected.account_id, expected.region);
    let account = manifest.accounts.iter().find(|a| a.id == expected.account_id).expect("fixture account");
    assert_eq!(actual.account_name, account.name, "{what}: account name");
    assert_eq!(actual.ou_path, account.ou_path, "{what}: OU path");
    assert_eq!(actual.org_id, manifest.organization_id, "{what}: org id");
    assert_eq!(actual.key_arn, expected.key_arn, "{what}: ARN");
    assert_eq!(actual.aliases.as_ref(), Some(&expected.aliases), "{what}: aliases");
    assert_eq!(actual.description.as_ref(), Some(&expected.description), "{what}: description");
    assert_eq!(actual.key_manager.as_deref(), Some(expected.key_manager.as_str()), "{what}: manager");
    assert_eq!(actual.key_state.as_deref(), Some(expected.key_state.as_str()), "{what}: state");
    assert_eq!(actual.enabled, Some(expected.enabled), "{what}: enabled");
    assert_eq!(actual.key_usage.as_deref(), Some(expected.key_usage.as_str()), "{what}: usage");
    assert_eq!(actual.key_spec.as_deref(), Some(expected.key_spec.as_str()), "{what}: spec");
    assert_eq!(actual.origin.as_deref(), Some(expected.origin.as_str()), "{what}: origin");
    assert_eq!(actual.multi_region, Some(expected.multi_region), "{what}: multi-Region");
    if expected.multi_region_key_type.as_deref() == Some("PRIMARY") {
        // moto gap: once a replica is described, moto reports its primary as
        // REPLICA too. The primary's identity is still checkable by ARN.
        assert_eq!(actual.multi_region_primary_arn.as_deref(), Some(actual.key_arn.as_str()), "{what}: primary");
    } else {
        assert_eq!(actual.multi_region_key_type, expected.multi_region_key_type, "{what}: multi-Region type");
    }
    assert_eq!(actual.multi_region_primary_arn, expected.multi_region_primary_arn, "{what}: primary");
    assert_eq!(actual.creation_date, Some(expected.creation_date_ms), "{what}: creation date");
    assert_eq!(actual.deletion_date, expected.deletion_date_ms, "{what}: deletion date");
    // Rotation is read only where it applies; moto still answers for the rest.
    let rotation_applies = expected.key_spec == "SYMMETRIC_DEFAULT" && expected.key_state != "PendingDeletion";
    if rotation_applies {
        assert_eq!(actual.rotation_enabled, expected.rotation_enabled, "{what}: rotation");
        assert_eq!(actual.rotation_count, Some(expected.rotation_count as i32), "{what}: rotation count");
    } else {
        assert_eq!(actual.rotation_enabled, None, "{what}: rotation does not apply");
    }
    assert_eq!(actual.pending_deletion_window_days, expected.pending_deletion_window_days, "{what}: deletion window");
    let replicas: Option<Vec<String>> = actual.multi_region_replica_arns.clone().map(|mut arns| {
        arns.sort();
        arns
    });
    if expected.multi_region_primary_arn.as_deref() == Some(expected.key_arn.as_str()) {
        assert_eq!(replicas.as_ref(), Some(&expected.multi_region_replica_arns), "{what}: replica ARNs");
    }
    if rotation_applies {
        assert_eq!(actual.rotation_period_days, expected.rotation_period_days, "{what}: rotation period");
        assert_eq!(actual.next_rotation_date, expected.next_rotation_date_ms, "{what}: next rotation");
        assert_eq!(actual.last_rotation_date, expected.last_rotation_date_ms, "{what}: last rotation");
    }
    // What the fixture asked for, against what was collected (and the moto gaps between them).
    if let Some(asked) = &expected.asked {
        // DescribeKey reports a deletion window only for multi-Region
        // primaries waiting on their replicas; a key's window shows in its
        // deletion date, scheduled right after its creation here.
        if let Some(days) = asked.pending_deletion_window_days {
            let window = actual.deletion_date.zip(actual.creation_date).map(|(deleted, created)| deleted - created);
            let asked_ms = i64::from(days) * 86_400_000;
            assert!(
                window.is_some_and(|w| (asked_ms..asked_ms + 600_000).contains(&w)),
                "{what}: deleted {window:?} ms after creation, {days} days asked"
            );
        }
        if asked.rotation_period_days.is_some() {
            // moto gap: EnableKeyRotation's RotationPeriodInDays is dropped, and
            // GetKeyRotationStatus reports none; keyaudit reports what AWS says.
            assert_eq!(actual.rotation_period_days, None, "{what}: moto reports no rotation period");
        }
        if !asked.replica_regions.is_empty() {
            let regions: Vec<&str> =
                replicas.iter().flatten().map(|arn| arn.split(':').nth(3).unwrap_or_default()).collect();
            assert_eq!(regions, asked.replica_regions, "{what}: a replica in every region asked for");
        }
    }
    assert_eq!(actual.tags.as_ref(), Some(&expected.tags), "{what}: tags");
    let grant_names: Vec<String> = actual.grants.iter().flatten().map(|g| g.name.clone().unwrap_or_default()).collect();
    assert_eq!(grant_names, expected.grant_names, "{what}: grants");
    let grants: Vec<GrantView> = actual
        .grants
        .iter()
        .flatten()
        .map(|g| {
            let mut operations = g.operations.clone();
            operations.sort();
            (g.name.clone().unwrap_or_default(), g.grantee_principal.clone(), operations, g.issuing_account.clone())
        })
        .collect();
    let expected_grants: Vec<GrantView> = expected
        .grants
        .iter()
        .map(|g| (g.name.clone(), g.grantee.clone(), g.operations.clone(), g.issuing_account.clone()))
        .collect();
    assert_eq!(grants, expected_grants, "{what}: grant details");
    let policy: serde_json::Value =
        serde_json::from_str(actual.key_policy.as_deref().expect("policy collected")).expect("policy is JSON");
    assert_eq!(policy, expected.policy, "{what}: key policy");
}

fn read_table<T: serde::de::DeserializeOwned>(root: &Path, table: &str, day: &str) -> Vec<T> {
    let dir = root.join(table).join(format!("dt={day}"));
    let files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .collect();
    assert_eq!(files.len(), 1, "one file per table per run in {}", dir.display());
    read_rows(&files[0]).expect("read Parquet")
}

/// A stack's account, region, name, status and KMS keys.
type StackFacts<'a> = (&'a str, &'a str, &'a str, Option<&'a str>, Option<&'a [String]>);

#[test]
fn scan_writes_the_fixture_organisation_to_s3_and_a_folder() {
    let org = org(&[]);
    let manifest = &org.manifest;
    let local = org.dir.path().join("local");
    let s3_copy = org.dir.path().join("s3");
    let s3_uri = format!("s3://{}/audit/keyaudit", manifest.bucket);

    // Through our proxy (with no faults), which counts the requests.
    let proxy = FaultProxy::start(&org.endpoint);
    proxy.configure(serde_json::json!({"seed": 0, "faults": []}));
    let run = keyaudit(
        Some(&proxy.endpoint),
        &["scan", "--regions", "us-east-1,eu-west-1", "-o", &s3_uri, "-o", local.to_str().unwrap(), "--summary-json"],
        &[],
    );
    assert_eq!(run.code, 0, "complete run exits 0\nstdout:\n{}\nstderr:\n{}", run.stdout, run.stderr);
    let requests = proxy.log();
    let summary = run.summary();
    let run_id = summary["run"]["run_id"].as_str().expect("run id").to_owned();
    let day = run_day(&summary);

    // S3 layout: <prefix>/<table>/dt=<date>/<run-id>.parquet, one file per table.
    let keys = download(&org.endpoint, &manifest.bucket, "audit/keyaudit/", &s3_copy);
    let tables: Vec<&str> = keyaudit::kinds::tables().iter().map(|t| t.name()).collect();
    let mut expected_keys: Vec<String> =
        tables.iter().map(|t| format!("audit/keyaudit/{t}/dt={day}/{run_id}.parquet")).collect();
    expected_keys.sort();
    assert_eq!(keys, expected_keys, "one file per table, every kind's included");
    let s3_root = s3_copy.join("audit/keyaudit");
    for table in tables {
        let relative = format!("{table}/dt={day}/{run_id}.parquet");
        assert_eq!(
            std::fs::read(s3_root.join(&relative)).expect("S3 copy"),
            std::fs::read(local.join(&relative)).expect("local copy"),
            "{table}: the folder and S3 get the same file"
        );
    }

    // Arrow reader: every key moto has, with every field moto reports.
    let collected: Vec<KmsKey> = read_table(&s3_root, "kms_keys", &day);
    let index = key_index(&collected);
    assert_eq!(collected.len(), manifest.keys.len(), "one row per key");
    for expected in &manifest.keys {
        let actual = index
            .get(&(expected.account_id.clone(), expected.region.clone(), expected.key_id.clone()))
            .unwrap_or_else(|| panic!("{} ({}) missing", expected.key_id, expected.description));
        assert_key_matches(expected, actual, manifest);
        assert_eq!(actual.run_id, run_id);
    }
    let primary = collected
        .iter()
        .find(|k| k.multi_region == Some(true) && k.multi_region_primary_arn.as_deref() == Some(k.key_arn.as_str()))
        .expect("a multi-Region primary");
    assert_eq!(primary.multi_region_replica_arns.as_ref().map(Vec::len), Some(1), "primary lists its replica");
    let suspended = manifest.accounts.iter().find(|a| a.state == "SUSPENDED").expect("a closed account");
    assert!(collected.iter().all(|k| k.account_id != suspended.id), "suspended accounts are not scanned");

    // CloudTrail: each fixture trail in its home region with every field, and
    // a multi-Region trail's shadow in every other scanned region, with its
    // status and selectors left to the home record.
    let trails: Vec<CloudTrailTrail> = read_table(&s3_root, "cloudtrail_trails", &day);
    let mut expected_places = BTreeSet::new();
    for fixture in &manifest.trails {
        let home = trails
            .iter()
            .find(|t| t.trail_arn == fixture.arn && t.region == fixture.home_region)
            .unwrap_or_else(|| panic!("{} missing in its home region", fixture.name));
        let what = &fixture.name;
        assert_eq!((home.account_id.as_str(), home.name.as_str()), (fixture.account_id.as_str(), what.as_str()));
        assert_eq!(home.home_region.as_deref(), Some(fixture.home_region.as_str()), "{what}");
        assert_eq!(home.multi_region, Some(fixture.multi_region), "{what}");
        assert_eq!(home.organization_trail, Some(fixture.organization), "{what}");
        assert_eq!(home.kms_key_id, fixture.kms_key_id, "{what}");
        assert_eq!(home.log_file_validation, Some(true), "{what}");
        assert_eq!(home.s3_bucket, Some(format!("keyaudit-trail-{what}-{}", fixture.account_id)), "{what}");
        assert_eq!(home.logging, Some(true), "{what}: logging was started");
        assert_eq!(home.management_events.as_deref(), Some(fixture.management_events.as_str()), "{what}");
        assert_eq!(home.kms_events_logged, Some(fixture.kms_events_logged), "{what}");
        assert!(home.unread.is_empty(), "{what}: {:?}", home.unread);
        for region in &manifest.regions {
            if *region == fixture.home_region || fixture.multi_region {
                expected_places.insert((fixture.account_id.as_str(), region.as_str(), fixture.arn.as_str()));
            }
        }
        for shadow in trails.iter().filter(|t| t.trail_arn == fixture.arn && t.region != fixture.home_region) {
            assert_eq!((shadow.logging, shadow.management_events.as_deref()), (None, None), "{what} shadow");
            assert!(shadow.unread.is_empty(), "a shadow's status is not unread but the home record's");
        }
    }
    let places: BTreeSet<(&str, &str, &str)> =
        trails.iter().map(|t| (t.account_id.as_str(), t.region.as_str(), t.trail_arn.as_str())).collect();
    assert_eq!(places, expected_places, "every trail in every region it applies to, once");
    assert_eq!(trails.len(), places.len());

    // CloudFormation: every stack moto holds, with its status and the keys it made.
    let stacks: Vec<CloudFormationStack> = read_table(&s3_root, "cloudformation_stacks", &day);
    let collected: BTreeMap<&str, StackFacts<'_>> = stacks
        .iter()
        .map(|s| {
            let keys = s.kms_key_ids.as_deref();
            (
                s.stack_id.as_str(),
                (s.account_id.as_str(), s.region.as_str(), s.name.as_str(), s.status.as_deref(), keys),
            )
        })
        .collect();
    let expected: BTreeMap<&str, StackFacts<'_>> = manifest
        .stacks
        .iter()
        .map(|s| {
            let place = (s.account_id.as_str(), s.region.as_str(), s.name.as_str());
            (s.arn.as_str(), (place.0, place.1, place.2, Some(s.status.as_str()), Some(s.kms_key_ids.as_slice())))
        })
        .collect();
    assert_eq!(collected, expected, "every stack with its status and KMS keys");
    assert!(manifest.stacks.iter().any(|s| !s.kms_key_ids.is_empty()), "a stack that made a key");
    // The shipped query: which stack manages each customer key, if any.
    let managed: BTreeMap<String, Option<String>> = duckdb(&s3_root, &athena_query("kms_keys_managed_as_code.sql"))
        .iter()
        .map(|row| {
            let stack = row["managed_by_stack"].as_str().map(str::to_owned);
            (row["key_id"].as_str().unwrap().to_owned(), stack)
        })
        .collect();
    let expected: BTreeMap<String, Option<String>> = manifest
        .keys
        .iter()
        .filter(|k| k.key_manager == "CUSTOMER")
        .map(|k| {
            let stack = manifest
                .stacks
                .iter()
                .find(|s| s.account_id == k.account_id && s.region == k.region && s.kms_key_ids.contains(&k.key_id));
            (k.key_id.clone(), stack.map(|s| s.name.clone()))
        })
        .collect();
    assert_eq!(managed, expected, "each customer key and the stack that manages it");

    // The organisation, once, and its SCPs with their documents and targets.
    let organizations: Vec<Organization> = read_table(&s3_root, "organizations", &day);
    assert_eq!(organizations.len(), 1, "one organisation, read once");
    let organisation = &organizations[0];
    assert_eq!(
        (
            organisation.org_id.as_str(),
            organisation.feature_set.as_deref(),
            organisation.management_account_id.as_deref()
        ),
        (manifest.organization_id.as_str(), Some("ALL"), Some(manifest.management_account_id.as_str()))
    );
    let roots = organisation.roots.as_ref().expect("roots read");
    assert_eq!(roots.len(), 1);
    assert_eq!(roots[0].id, manifest.ou_ids["Root"]);
    assert!(roots[0].policy_types.iter().any(|t| t.policy_type == "SERVICE_CONTROL_POLICY" && t.status == "ENABLED"));
    let scps: Vec<ServiceControlPolicy> = read_table(&s3_root, "service_control_policies", &day);
    let collected: BTreeMap<&str, BTreeSet<&str>> = scps
        .iter()
        .map(|p| {
            let targets = p.targets.as_ref().expect("targets read").iter().map(|t| t.target_id.as_str()).collect();
            (p.policy_id.as_str(), targets)
        })
        .collect();
    let expected: BTreeMap<&str, BTreeSet<&str>> =
        manifest.scps.iter().map(|p| (p.id.as_str(), p.targets.iter().map(String::as_str).collect())).collect();
    assert_eq!(collected, expected, "every SCP with its targets");
    for scp in &scps {
        let document: serde_json::Value =
            serde_json::from_str(scp.document.as_deref().expect("document read")).unwrap();
        assert!(document["Statement"].is_array(), "{document}");
        assert_eq!(scp.region, "global");
    }
    // The shipped query: each account's effective SCPs, by its path from the root.
    let effective: BTreeSet<(String, String)> = duckdb(&s3_root, &athena_query("effective_scps.sql"))
        .iter()
        .map(|row| (row["account_id"].as_str().unwrap().to_owned(), row["policy_id"].as_str().unwrap().to_owned()))
        .collect();
    let expected: BTreeSet<(String, String)> = manifest
        .active_accounts()
        .flat_map(|account| {
            let path = manifest.path_ids(account);
            manifest
                .scps
                .iter()
                .filter(move |p| p.targets.iter().any(|t| path.contains(t)))
                .map(|p| (account.id.clone(), p.id.clone()))
        })
        .collect();
    assert_eq!(effective, expected, "effective SCPs per account");

    // AWS Config: rules with their (recorded) compliance, recorders, the conformance pack.
    let config_rules: Vec<ConfigRule> = read_table(&s3_root, "config_rules", &day);
    let collected: BTreeSet<(&str, &str, &str, &str)> = config_rules
        .iter()
        .map(|r| {
            let source = r.source_identifier.as_deref().unwrap_or_default();
            (r.account_id.as_str(), r.region.as_str(), source, r.compliance.as_deref().unwrap_or_default())
        })
        .collect();
    let expected: BTreeSet<(&str, &str, &str, &str)> = manifest
        .config
        .iter()
        .flat_map(|c| {
            c.rules.iter().enumerate().map(move |(i, source)| {
                let compliance = if i == 0 { "NON_COMPLIANT" } else { "COMPLIANT" };
                (c.account_id.as_str(), c.region.as_str(), source.as_str(), compliance)
            })
        })
        .collect();
    assert_eq!(collected, expected, "every Config rule with its compliance");
    let recorders: Vec<ConfigRecorder> = read_table(&s3_root, "config_recorders", &day);
    let collected: BTreeSet<(&str, &str, Option<bool>)> =
        recorders.iter().map(|r| (r.account_id.as_str(), r.region.as_str(), r.recording)).collect();
    let expected: BTreeSet<(&str, &str, Option<bool>)> =
        manifest.config.iter().map(|c| (c.account_id.as_str(), c.region.as_str(), Some(c.recording))).collect();
    assert_eq!(collected, expected, "every recorder, recording or not");
    let packs: Vec<ConfigConformancePack> = read_table(&s3_root, "config_conformance_packs", &day);
    assert_eq!(packs.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["keyaudit-key-management"]);

    // KMS's event history, one summary per account-region.
    let activity: Vec<CloudTrailKeyActivity> = read_table(&s3_root, "cloudtrail_key_activity", &day);
    assert_eq!(activity.len(), manifest.active_accounts().count() * manifest.regions.len());
    let fixture = &manifest.key_activity;
    for summary in &activity {
        assert!(!summary.truncated && summary.pages_read == 1, "{summary:?}");
        assert_eq!(summary.window_end - summary.window_start, 30 * 86_400_000, "the default window");
        let busy = summary.account_id == fixture.account_id && summary.region == fixture.region;
        let names: Vec<&str> = summary.key_events.iter().map(|e| e.event_name.as_str()).collect();
        if !busy {
            assert!(names.is_empty() && summary.usage.is_empty(), "{summary:?}");
            continue;
        }
        assert_eq!(names, fixture.key_events, "newest first");
        let uses: BTreeMap<&str, (i64, i64)> =
            summary.usage.iter().map(|u| (u.key_arn.as_str(), (u.decrypt, u.encrypt))).collect();
        assert_eq!(
            uses,
            BTreeMap::from([(fixture.anomalous.as_str(), (12, 1)), (fixture.balanced.as_str(), (3, 3))]),
            "decrypts and encrypts per key"
        );
    }

    let errors: Vec<CollectionError> = read_table(&s3_root, "collection_errors", &day);
    assert!(errors.is_empty(), "no collection errors: {errors:?}");
    let runs: Vec<RunRecord> = read_table(&s3_root, "runs", &day);
    assert_eq!(runs.len(), 1);
    let record = &runs[0];
    assert_eq!(record.run_id, run_id);
    assert_eq!(record.resources.get("kms-key").copied(), Some(manifest.keys.len() as i64));
    assert_eq!(record.accounts_discovered as usize, manifest.accounts.len());
    assert_eq!(record.accounts_scanned as usize, manifest.active_accounts().count());
    assert_eq!(record.org_id, manifest.organization_id);
    assert!(record.complete);
    // Every request to the audited accounts, assuming their roles included;
    // not the runner's own setup (who it is, the organisation) or the output.
    let mut by_action: BTreeMap<(&str, &str), i64> = BTreeMap::new();
    for entry in &requests {
        *by_action.entry((entry.service.as_str(), entry.action.as_str())).or_default() += 1;
    }
    // Organizations calls count for the organisation-level kinds, once per
    // run; discovery's (one DescribeOrganization, one ListRoots, the walk of
    // accounts and OUs) do not.
    let org_kinds = ["ListPolicies", "DescribePolicy", "ListTargetsForPolicy", "DescribeOrganization", "ListRoots"];
    let setup = |(service, action): &(&str, &str)| {
        (*service == "organizations" && !org_kinds.contains(action))
            || *service == "s3"
            || (*service, *action) == ("sts", "GetCallerIdentity")
    };
    assert_eq!(by_action.get(&("organizations", "DescribeOrganization")), Some(&2), "discovery's and the kind's");
    assert_eq!(by_action.get(&("organizations", "ListRoots")), Some(&2), "discovery's and the kind's");
    let audit_calls: i64 = by_action.iter().filter(|(call, _)| !setup(call)).map(|(_, n)| n).sum::<i64>() - 2;
    assert_eq!(record.api_calls, audit_calls, "the runs row counts the requests the proxy saw: {by_action:?}");
    assert_eq!(by_action.get(&("sts", "GetCallerIdentity")), Some(&1), "{by_action:?}");
    assert_eq!(
        by_action.get(&("sts", "AssumeRole")).copied(),
        Some(manifest.active_accounts().count() as i64),
        "one role per account"
    );
    assert_eq!(record.config_digest.len(), 64);

    // DuckDB over the same files, with the SQL we ship for Athena.
    let per_account = duckdb(&s3_root, &athena_query("kms_keys_by_account.sql"));
    let mut expected_counts: BTreeMap<(String, String), i64> = BTreeMap::new();
    for key in &manifest.keys {
        *expected_counts.entry((key.account_id.clone(), key.region.clone())).or_default() += 1;
    }
    let actual_counts: BTreeMap<(String, String), i64> = per_account
        .iter()
        .map(|row| {
            let account = row["account_id"].as_str().unwrap().to_owned();
            let region = row["region"].as_str().unwrap().to_owned();
            ((account, region), row["keys"].as_i64().unwrap())
        })
        .collect();
    assert_eq!(actual_counts, expected_counts, "rows per account and region");

    let unrotated = duckdb(&s3_root, &athena_query("kms_rotation_disabled.sql"));
    let actual: BTreeSet<String> = unrotated.iter().map(|r| r["key_id"].as_str().unwrap().to_owned()).collect();
    let expected: BTreeSet<String> = manifest
        .keys
        .iter()
        .filter(|k| {
            k.key_manager == "CUSTOMER"
                && k.key_spec == "SYMMETRIC_DEFAULT"
                && k.origin == "AWS_KMS"
                && k.key_state == "Enabled"
                && k.rotation_enabled == Some(false)
        })
        .map(|k| k.key_id.clone())
        .collect();
    assert!(!expected.is_empty(), "the fixture has keys without rotation");
    assert_eq!(actual, expected, "kms_rotation_disabled.sql finds exactly the unrotated keys");

    let dt = duckdb(&s3_root, "SELECT DISTINCT CAST(dt AS VARCHAR) AS dt, typeof(creation_date) AS t FROM kms_keys");
    assert_eq!(dt.len(), 1);
    assert_eq!(dt[0]["dt"], day.as_str());
    assert_eq!(dt[0]["t"], "TIMESTAMP WITH TIME ZONE", "Athena-compatible UTC millisecond timestamps");
    assert!(duckdb(&s3_root, &athena_query("collection_errors_latest.sql")).is_empty());

    // Without --regions: every region enabled in each account (ec2:DescribeRegions).
    let all_regions = org.dir.path().join("all-regions");
    let run = keyaudit(
        Some(&org.endpoint),
        &["scan", "-o", all_regions.to_str().unwrap(), "--summary-json", "--max-concurrent-accounts", "2"],
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let summary = run.summary();
    let scanned: Vec<AccountRecord> = read_table(&all_regions, "accounts", &day);
    let scanned: BTreeMap<&str, &[String]> =
        scanned.iter().map(|a| (a.account_id.as_str(), a.regions.as_slice())).collect();
    let enabled: BTreeMap<&str, &[String]> =
        manifest.enabled_regions.iter().map(|(id, regions)| (id.as_str(), regions.as_slice())).collect();
    assert_eq!(scanned, enabled, "every region each account's DescribeRegions names, and no other");
    for account in summary["accounts"].as_array().unwrap() {
        let id = account["account_id"].as_str().unwrap();
        assert_eq!(account["regions"].as_u64(), Some(enabled[id].len() as u64), "{id}: the summary counts them");
    }
    let everywhere: Vec<KmsKey> = read_table(&all_regions, "kms_keys", &day);
    let found: BTreeSet<_> =
        everywhere.iter().map(|k| (k.account_id.clone(), k.region.clone(), k.key_id.clone())).collect();
    let expected: BTreeSet<_> =
        manifest.keys.iter().map(|k| (k.account_id.clone(), k.region.clone(), k.key_id.clone())).collect();
    assert_eq!(found, expected, "the same keys, found without naming regions");
}

/// Files derived from the registry of resource kinds are checked in; each
/// must be what the binary generates now (`make generated` refreshes them).
#[test]
fn generated_files_are_fresh() {
    for (what, file) in
        [("athena-ddl", "examples/athena/tables.sql"), ("audit-role", "examples/deploy/audit-role.yaml")]
    {
        let out = support::keyaudit(None, &["generate", what], &[]);
        assert_eq!(out.code, 0, "keyaudit generate {what}: {}", out.stderr);
        let checked_in = std::fs::read_to_string(support::workspace().join(file)).unwrap();
        assert!(out.stdout == checked_in, "{file} is stale: run `make generated` (keyaudit generate {what} > {file})");
    }
}

/// The shipped Athena query for KMS usage anomalies over an organisation
/// trail's logs, over a table of the CloudTrail log shape: only the key that
/// decrypts more than ten times as often as it encrypts (and at least ten
/// times), in the last 30 days, with no failed call counted.
#[test]
fn the_org_trail_anomaly_query_finds_the_key_that_decrypts_in_bulk() {
    let root = tempfile::tempdir().unwrap();
    let table = root.path().join("cloudtrail_logs/dt=2026-12-01");
    std::fs::create_dir_all(&table).unwrap();
    let event = |name: &str, key: &str, days_ago: i64, error: &str| {
        format!(
            "('kms.amazonaws.com', '{name}', strftime(now() - INTERVAL {days_ago} DAY, '%Y-%m-%dT%H:%M:%SZ'), \
             'us-east-1', '111111111111', {error}, [{{'arn': 'arn:aws:kms:us-east-1:111111111111:key/{key}', \
             'accountid': '111111111111', 'type': 'AWS::KMS::Key'}}])"
        )
    };
    let mut rows = Vec::new();
    rows.extend((0..12).map(|_| event("Decrypt", "bulk", 1, "NULL")));
    rows.push(event("GenerateDataKey", "bulk", 2, "NULL"));
    rows.extend((0..12).map(|_| event("Decrypt", "balanced", 1, "NULL")));
    rows.extend((0..3).map(|_| event("Encrypt", "balanced", 1, "NULL")));
    rows.extend((0..20).map(|_| event("Decrypt", "old", 45, "NULL")));
    rows.extend((0..20).map(|_| event("Decrypt", "denied", 1, "'AccessDenied'")));
    let copy = format!(
        "COPY (SELECT * FROM (VALUES {}) AS v(eventsource, eventname, eventtime, awsregion, recipientaccountid, \
         errorcode, resources)) TO '{}' (FORMAT parquet)",
        rows.join(", "),
        table.join("logs.parquet").display()
    );
    // Written from an empty root: the table's views exist once it has a file.
    duckdb(tempfile::tempdir().unwrap().path(), &copy);
    let found = duckdb(root.path(), &athena_query("kms_usage_anomaly_org_trail.sql"));
    let keys: Vec<(&str, i64, i64)> = found
        .iter()
        .map(|r| (r["key_arn"].as_str().unwrap(), r["decrypts"].as_i64().unwrap(), r["encrypts"].as_i64().unwrap()))
        .collect();
    assert_eq!(keys, [("arn:aws:kms:us-east-1:111111111111:key/bulk", 12, 1)]);
}
