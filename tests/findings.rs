//! Findings end to end in moto: the fixture organisation, scanned with every
//! built-in rule and the example rules in Python, JavaScript and C (built by
//! `make example-rules` with componentize-py, componentize-js and clang), yields exactly the expected finding for every key and
//! account; the findings are OCSF-shaped; `keyaudit evaluate` over the stored
//! inventory in S3 reproduces them; the shipped Athena SQL runs over them.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use keyaudit::output::RunRecord;
use keyaudit::output::findings::FindingRow;
use keyaudit::output::read_rows;
use serde_json::json;
use support::{
    FaultProxy, FixtureKey, Manifest, ProxyEntry, athena_query, athena_views, duckdb, keyaudit, org, run_day, workspace,
};

/// The example rules in Python, JavaScript and C, as `make example-rules` builds them.
fn example_rules() -> PathBuf {
    let dir = support::fresh::example_rules();
    for rule in EXAMPLE_RULES {
        assert!(dir.join(format!("{rule}.wasm")).exists(), "{rule}.wasm missing: run `make example-rules`");
    }
    dir
}

const EXAMPLE_RULES: [&str; 3] = ["certificate-max-validity", "secret-owner-tag", "parameter-changed-recently"];
/// Their rule ids.
const EXAMPLE_RULE_IDS: [&str; 3] =
    ["py-certificate-max-validity", "js-secret-owner-tag", "c-parameter-changed-recently"];

fn table_rows<T: serde::de::DeserializeOwned>(root: &Path, table: &str, day: &str, run_id: &str) -> Vec<T> {
    read_rows(&root.join(format!("{table}/dt={day}/{run_id}.parquet"))).expect("read table")
}

type Verdict = (String, String, String, String); // rule, account, resource or subject, status

fn verdicts(rows: &[FindingRow]) -> BTreeSet<Verdict> {
    rows.iter()
        .map(|row| {
            let what = row.unmapped.get("subject").cloned().unwrap_or_else(|| row.resources[0].uid.clone());
            (row.compliance.control.clone(), row.cloud.account.uid.clone(), what, row.compliance.status_code.clone())
        })
        .collect()
}

fn policy_allows_public(key: &FixtureKey) -> bool {
    key.policy["Statement"].as_array().unwrap().iter().any(|s| {
        let principal = &s["Principal"];
        s["Effect"] == "Allow" && (principal == "*" || principal["AWS"] == "*") && s.get("Condition").is_none()
    })
}

fn policy_mentions(key: &FixtureKey, account: &str) -> bool {
    key.policy.to_string().contains(&format!("arn:aws:iam::{account}:root"))
}

/// What each rule must say about the fixture organisation, derived from the
/// manifest (what moto holds) and the catalogue's definitions.
fn expected(manifest: &Manifest, now: i64) -> BTreeSet<Verdict> {
    let mut out = BTreeSet::new();
    let mut add = |rule: &str, account: &str, what: &str, status: &str| {
        out.insert((rule.to_owned(), account.to_owned(), what.to_owned(), status.to_owned()));
    };
    let pass_fail = |ok: bool| if ok { "PASS" } else { "FAIL" };
    for key in &manifest.keys {
        let (account, arn) = (key.account_id.as_str(), key.key_arn.as_str());
        let customer = key.key_manager == "CUSTOMER";
        let pending = key.key_state == "PendingDeletion";
        let symmetric = key.key_spec == "SYMMETRIC_DEFAULT";
        let rotation_applies = customer && key.key_state == "Enabled" && symmetric && key.origin == "AWS_KMS";
        if rotation_applies {
            let rotated = key.rotation_enabled == Some(true);
            add("kms-rotation-enabled", account, arn, pass_fail(rotated));
            if rotated {
                // moto reports no rotation period: AWS's default (365) is assumed.
                add("kms-rotation-period", account, arn, "PASS");
            }
        }
        if !customer {
            continue;
        }
        add("kms-key-not-public", account, arn, pass_fail(!policy_allows_public(key)));
        add("kms-cross-account-trusted", account, arn, pass_fail(!policy_mentions(key, "999999999999")));
        add("kms-not-pending-deletion", account, arn, pass_fail(!pending));
        // What the fixture asked for (tests/fixtures/moto_org.py, key_specs).
        let asked = |name: &str| key.description == format!("keyaudit fixture: {name}");
        add("kms-limited-admins", account, arn, pass_fail(!asked("many-admins")));
        add("kms-separate-usage", account, arn, pass_fail(!asked("shared-usage")));
        if symmetric && key.key_state == "Enabled" {
            add("kms-key-age", account, arn, "PASS");
        }
        if !pending {
            // From the stand-in's recorded GetKeyLastUsage answers.
            let usage = match (key.key_state.as_str(), manifest.key_usage.get(&key.key_id).map(String::as_str)) {
                ("Disabled", _) => "FAIL",
                (_, Some("used")) => "PASS",
                (_, Some("idle")) => "FAIL",
                _ => "INFO",
            };
            add("kms-key-unused", account, arn, usage);
            // From the stand-in's recorded event history.
            add("kms-usage-anomaly", account, arn, pass_fail(key.key_arn != manifest.key_activity.anomalous));
            let standard = key.aliases.iter().any(|a| {
                a.strip_prefix("alias/").is_some_and(|n| {
                    !n.is_empty() && n.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                })
            });
            add("kms-alias-naming", account, arn, pass_fail(standard));
        }
        let is_primary = key.multi_region && key.multi_region_primary_arn.as_deref() == Some(arn);
        if is_primary {
            // Every replica of the fixture is enabled: the primary's rotation decides.
            add("kms-multi-region-replicas", account, arn, pass_fail(key.rotation_enabled == Some(true)));
        }
    }
    expected_estate(manifest, now, &mut add);
    for account in manifest.active_accounts() {
        let id = account.id.as_str();
        add("kms-customer-keys-in-use", id, id, "PASS");
        add("kms-required-keys-present", id, id, "INFO");
        let member = id != manifest.management_account_id;
        for tier in ["web", "app", "database"] {
            add("kms-tier-keys-present", id, &format!("tier:{tier}"), pass_fail(member));
        }
        // The organisation has all features and SCPs; SCPs never restrict
        // the management account; an SCP protects an account where it is
        // attached on its path from the root.
        add("org-all-features-and-scps", id, id, "PASS");
        // A multi-Region trail recording every management event, KMS's too.
        let audited = manifest
            .trails
            .iter()
            .any(|t| t.account_id == id && t.multi_region && t.management_events == "All" && t.kms_events_logged);
        add("cloudtrail-key-events-audited", id, id, pass_fail(audited));
        // Config records and runs the four key-management rules only in the
        // production account's primary region.
        for region in &manifest.regions {
            let setup = manifest.config.iter().find(|c| c.account_id == id && &c.region == region);
            let complete = setup.is_some_and(|c| c.recording && c.rules.len() == 4);
            add("config-key-rules-present", id, &format!("region:{region}"), pass_fail(complete));
        }
        let path = manifest.path_ids(account);
        let protected = manifest.scps.iter().any(|p| p.protects_keys && p.targets.iter().any(|t| path.contains(t)));
        add("org-scp-protects-keys", id, id, if member { pass_fail(protected) } else { "INFO" });
    }
    out
}

const DAY_MS: i64 = 86_400_000;

/// What the certificate, secret, parameter and IAM rules must say, from the
/// catalogue's definitions and the defaults (30, 3 and 90 days).
fn expected_estate(manifest: &Manifest, now: i64, add: &mut impl FnMut(&str, &str, &str, &str)) {
    let pass_fail = |ok: bool| if ok { "PASS" } else { "FAIL" };
    for c in &manifest.certificates {
        let (account, arn) = (c.account_id.as_str(), c.arn.as_str());
        if matches!(c.status.as_str(), "ISSUED" | "EXPIRED") {
            let days_left = (c.not_after.unwrap() - now).div_euclid(DAY_MS);
            add("acm-certificate-expiry", account, arn, pass_fail(days_left > 30));
        }
        let strong = match c.key_algorithm.strip_prefix("RSA_") {
            Some(bits) => bits.parse::<u32>().unwrap() >= 2048,
            None => !c.key_algorithm.contains("192"),
        };
        add("acm-certificate-key-strength", account, arn, pass_fail(strong));
        if c.certificate_type == "AMAZON_ISSUED" {
            add(
                "acm-certificate-transparency",
                account,
                arn,
                pass_fail(c.transparency_logging.as_deref() != Some("DISABLED")),
            );
        }
        let stuck = match c.status.as_str() {
            "FAILED" | "VALIDATION_TIMED_OUT" => true,
            "PENDING_VALIDATION" => (now - c.created_at.unwrap()).div_euclid(DAY_MS) > 3,
            _ => false,
        };
        add("acm-certificate-status", account, arn, pass_fail(!stuck));
        let manual = c.certificate_type == "IMPORTED" || c.renewal_eligibility.as_deref() == Some("INELIGIBLE");
        add("acm-certificate-renewal", account, arn, if manual { "INFO" } else { "PASS" });
        // The Python example rule: issued certificates valid for at most 398 days.
        if c.status == "ISSUED" {
            let validity_days = (c.not_after.unwrap() - c.not_before.unwrap()).div_euclid(DAY_MS);
            add("py-certificate-max-validity", account, arn, pass_fail(validity_days <= 398));
        }
    }
    for s in &manifest.secrets {
        let (account, arn) = (s.account_id.as_str(), s.arn.as_str());
        add("secret-rotation-enabled", account, arn, pass_fail(s.rotation_enabled));
        let rotated = s.last_rotated.or(s.created).unwrap();
        add("secret-rotated-recently", account, arn, pass_fail((now - rotated).div_euclid(DAY_MS) <= 90));
        if s.rotation_enabled {
            let due = s.next_rotation.unwrap_or_else(|| rotated + s.rotation_days.unwrap() * DAY_MS);
            add("secret-rotation-succeeding", account, arn, pass_fail(due >= now));
        }
        let accessed = s.last_accessed.or(s.created).unwrap();
        add("secret-unused", account, arn, pass_fail((now - accessed).div_euclid(DAY_MS) <= 90));
        add("secret-not-public", account, arn, pass_fail(!s.public));
        add("secret-customer-key", account, arn, if s.customer_key { "PASS" } else { "INFO" });
        // The JavaScript example rule: secrets name their owner.
        add("js-secret-owner-tag", account, arn, pass_fail(s.owner.is_some()));
    }
    for p in &manifest.parameters {
        let (account, arn) = (p.account_id.as_str(), p.arn.as_str());
        if p.parameter_type == "SecureString" {
            let default_key = p.key_id.as_deref().is_none_or(|k| k.ends_with("alias/aws/ssm"));
            add("ssm-securestring-customer-key", account, arn, if default_key { "INFO" } else { "PASS" });
            // The C example rule: SecureStrings changed within 365 days.
            let age_days = (now - p.last_modified.unwrap()).div_euclid(DAY_MS);
            add("c-parameter-changed-recently", account, arn, pass_fail(age_days <= 365));
        } else {
            let squashed: String =
                p.name.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_lowercase();
            let secret_looking =
                ["password", "secret", "token", "apikey", "privatekey"].iter().any(|w| squashed.contains(w));
            add("ssm-sensitive-as-plain-string", account, arn, pass_fail(!secret_looking));
        }
    }
    for c in &manifest.server_certificates {
        add("iam-server-certificate-expired", &c.account_id, &c.arn, pass_fail(c.not_after >= now));
        add("iam-server-certificate-legacy", &c.account_id, &c.arn, "INFO");
    }
    for p in &manifest.policies {
        add("iam-no-kms-decrypt-on-all-keys", &p.account_id, &p.arn, pass_fail(!p.decrypt_all));
        add("iam-no-kms-full-access", &p.account_id, &p.arn, pass_fail(!p.full_access));
    }
    // Each trail once, in its home region and account (every fixture trail's
    // home region is scanned).
    for t in &manifest.trails {
        add("cloudtrail-kms-encrypted", &t.account_id, &t.arn, pass_fail(t.kms_key_id.is_some()));
    }
    // Stacks by how their last operation ended; customer keys by whether a
    // stack of their account and region made them.
    for st in &manifest.stacks {
        let verdict = match st.status.as_str() {
            "CREATE_COMPLETE" | "UPDATE_COMPLETE" | "IMPORT_COMPLETE" => "PASS",
            s if s.ends_with("_IN_PROGRESS") => "INFO",
            _ => "FAIL",
        };
        add("cfn-key-infrastructure-as-code", &st.account_id, &st.arn, verdict);
    }
    for key in manifest.keys.iter().filter(|k| k.key_manager == "CUSTOMER" && k.key_state != "PendingDeletion") {
        let managed = manifest.stacks.iter().any(|st| {
            st.account_id == key.account_id && st.region == key.region && st.kms_key_ids.contains(&key.key_id)
        });
        add("cfn-key-infrastructure-as-code", &key.account_id, &key.key_arn, pass_fail(managed));
    }
}

#[test]
fn fixture_organisation_yields_exactly_the_expected_findings() {
    let org = org(&[]);
    let manifest = &org.manifest;
    let example_rules = example_rules();
    let local = org.dir.path().join("local");
    let s3_uri = format!("s3://{}/audit", manifest.bucket);
    let run = keyaudit(
        Some(&org.endpoint),
        &[
            "scan",
            "--regions",
            "us-east-1,eu-west-1",
            "--rules",
            example_rules.to_str().unwrap(),
            "-o",
            &s3_uri,
            "-o",
            local.to_str().unwrap(),
            "--summary-json",
        ],
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let summary = run.summary();
    let run_id = summary["run"]["run_id"].as_str().unwrap().to_owned();
    let day = run_day(&summary);
    let builtin = std::fs::read_dir(workspace().join("rules-wasm/rules")).unwrap().count();
    assert_eq!(
        summary["run"]["rules"],
        (builtin + EXAMPLE_RULES.len()) as u64,
        "every built-in rule and the three example rules"
    );

    let rows: Vec<FindingRow> = table_rows(&local, "findings", &day, &run_id);
    let actual = verdicts(&rows);
    let started_at = summary["run"]["started_at"].as_i64().expect("the run's start");
    let expected = expected(manifest, started_at);
    let missing: Vec<_> = expected.difference(&actual).collect();
    let unexpected: Vec<_> = actual.difference(&expected).collect();
    assert!(missing.is_empty() && unexpected.is_empty(), "missing {missing:#?}\nunexpected {unexpected:#?}");
    assert_eq!(rows.len(), expected.len(), "one finding per rule and resource");
    // Every rule is seen failing somewhere in the fixture organisation, but
    // for those whose FAIL moto cannot hold (and those that only report).
    let failing: BTreeSet<&str> = expected.iter().filter(|v| v.3 == "FAIL").map(|v| v.0.as_str()).collect();
    let never_failing: BTreeSet<&str> =
        expected.iter().map(|v| v.0.as_str()).filter(|rule| !failing.contains(rule)).collect();
    assert_eq!(
        never_failing,
        BTreeSet::from([
            // Reports, never fails: INFO for what needs a person's look.
            "acm-certificate-renewal",
            "iam-server-certificate-legacy",
            "kms-required-keys-present",
            "secret-customer-key",
            "ssm-securestring-customer-key",
            // moto dates everything "now" (no key material, parameter,
            // secret or certificate request can be old or overdue, and no
            // request fails validation), and it ignores RotationPeriodInDays.
            // Their FAILs are in tests/rule_cases.rs, tests/estate_rule_cases.rs
            // and tests/rule_languages.rs.
            "acm-certificate-status",
            "c-parameter-changed-recently",
            "kms-key-age",
            "kms-rotation-period",
            "secret-rotated-recently",
            "secret-rotation-succeeding",
            "secret-unused",
            // Every fixture account has an enabled customer key.
            "kms-customer-keys-in-use",
            // moto holds one organisation, with all features and SCPs
            // enabled (its FAILs are in tests/estate_rule_cases.rs).
            "org-all-features-and-scps",
        ]),
        "rules never seen failing in the fixture organisation"
    );

    // OCSF Compliance Finding shape.
    for row in &rows {
        assert_eq!((row.class_uid, row.category_uid, row.type_uid, row.activity_id), (2003, 2, 200301, 1));
        assert_eq!(row.metadata.version, "1.3.0");
        assert_eq!(row.metadata.correlation_uid, run_id);
        assert_eq!(row.cloud.provider, "AWS");
        assert_eq!(row.cloud.org.uid, manifest.organization_id);
        assert_eq!(row.unmapped["rule_id"], row.compliance.control);
        assert!(!row.compliance.standards.is_empty() && !row.remediation.desc.is_empty(), "{row:?}");
        assert_eq!(row.finding_info.uid.len(), 32);
        // OCSF 1.3 as Security Lake reads it.
        assert_eq!((row.time, row.time_dt, row.finding_info.created_time), (started_at, started_at, started_at));
        let (caption, id) = match row.compliance.status_code.as_str() {
            "PASS" => ("Pass", 1),
            "FAIL" => ("Fail", 3),
            "ERROR" => ("Warning", 2),
            "INFO" => ("Info", 99),
            other => panic!("verdict {other}"),
        };
        assert_eq!((row.compliance.status.as_str(), row.compliance.status_id), (caption, id));
        assert_eq!((row.status_id, row.status.as_str(), row.timezone_offset), (1, "New", 0));
        assert_eq!((row.class_name.as_str(), row.category_name.as_str()), ("Compliance Finding", "Findings"));
        assert_eq!((row.activity_name.as_str(), row.type_name.as_str()), ("Create", "Compliance Finding: Create"));
        assert_eq!((row.cloud.account.type_id, row.cloud.account.type_name.as_str()), (10, "AWS Account"));
        assert_eq!(row.metadata.profiles, ["cloud", "datetime"]);
        let ou_path = &row.unmapped["ou_path"];
        assert!(ou_path.ends_with(&format!("/{}", row.cloud.org.ou_name)) || ou_path == &row.cloud.org.ou_name);
        assert!(
            row.cloud.org.ou_uid.starts_with("ou-") || row.cloud.org.ou_uid.starts_with("r-"),
            "{:?}",
            row.cloud.org
        );
        let expected_type = match row.unmapped["resource_kind"].as_str() {
            "account" => "AWS::::Account",
            kind => keyaudit::kinds::by_name(kind).expect("a kind").info().aws_type,
        };
        assert_eq!(row.resources[0].kind, expected_type);
        assert!(expected_type.starts_with("AWS::"));
    }
    assert!(rows.iter().any(|r| r.resources[0].kind == "AWS::KMS::Key"));
    let uids: BTreeSet<&str> = rows.iter().map(|r| r.finding_info.uid.as_str()).collect();
    assert_eq!(uids.len(), rows.len(), "finding ids are unique");
    let rotation = rows.iter().find(|r| r.compliance.control == "kms-rotation-enabled").unwrap();
    assert!(rotation.compliance.requirements.iter().any(|r| r.contains("KMS.4")), "{:?}", rotation.compliance);
    assert!(rotation.compliance.requirements.iter().any(|r| r.contains("CIS") && r.contains("3.6")));

    // The summary counts what the table holds, by rule and by account.
    let mut by_rule: BTreeMap<String, u64> = BTreeMap::new();
    for row in rows.iter().filter(|r| r.compliance.status_code == "FAIL") {
        *by_rule.entry(row.compliance.control.clone()).or_default() += 1;
    }
    for (rule, fails) in &by_rule {
        assert_eq!(summary["findings_by_rule"][rule]["fail"], *fails, "{rule}");
    }
    let account_fails: u64 =
        summary["accounts"].as_array().unwrap().iter().map(|a| a["findings"]["fail"].as_u64().unwrap()).sum();
    assert_eq!(account_fails, rows.iter().filter(|r| r.compliance.status_code == "FAIL").count() as u64);

    // Re-evaluating the stored inventory from S3, without AWS's KMS, gives the same findings.
    let replay = org.dir.path().join("replay");
    let evaluated = keyaudit(
        Some(&org.endpoint),
        &[
            "evaluate",
            "--inventory",
            &s3_uri,
            "--rules",
            example_rules.to_str().unwrap(),
            "-o",
            replay.to_str().unwrap(),
            "--summary-json",
        ],
        &[],
    );
    assert_eq!(evaluated.code, 0, "{}", evaluated.stderr);
    let evaluation = evaluated.summary();
    let evaluation_id = evaluation["run"]["run_id"].as_str().unwrap().to_owned();
    assert_ne!(evaluation_id, run_id, "a re-evaluation is a run of its own");
    assert_eq!(evaluation["run"]["inventory_run_id"], run_id.as_str(), "and names the scan it replays");
    let replayed: Vec<FindingRow> = table_rows(&replay, "findings", &day, &evaluation_id);
    let as_of_scan = |rows: &[FindingRow]| -> Vec<FindingRow> {
        let mut rows: Vec<FindingRow> = rows
            .iter()
            .cloned()
            .map(|mut r| {
                r.metadata.correlation_uid = String::new();
                r
            })
            .collect();
        rows.sort_by(|a, b| a.finding_info.uid.cmp(&b.finding_info.uid));
        rows
    };
    assert_eq!(as_of_scan(&replayed), as_of_scan(&rows), "evaluate reproduces the scan's findings exactly");
    assert!(replayed.iter().all(|r| r.metadata.correlation_uid == evaluation_id));
    let runs: Vec<RunRecord> = table_rows(&replay, "runs", &day, &evaluation_id);
    assert_eq!(runs.len(), 1, "the re-evaluation has its runs row");
    assert_eq!(runs[0].inventory_run_id.as_deref(), Some(run_id.as_str()));

    // Without -o it writes beside the inventory, and the scan's own files stay as they were.
    let scan_findings = local.join(format!("findings/dt={day}/{run_id}.parquet"));
    let before = std::fs::read(&scan_findings).unwrap();
    let in_place = keyaudit(
        None,
        &[
            "evaluate",
            "--inventory",
            local.to_str().unwrap(),
            "--no-builtin-rules",
            "--rules",
            example_rules.to_str().unwrap(),
            "--summary-json",
        ],
        &[],
    );
    assert_eq!(in_place.code, 0, "{}", in_place.stderr);
    assert_eq!(std::fs::read(&scan_findings).unwrap(), before, "the stored run's findings are not overwritten");
    let in_place_id = in_place.summary()["run"]["run_id"].as_str().unwrap().to_owned();
    let examples_only: Vec<FindingRow> = table_rows(&local, "findings", &day, &in_place_id);
    let controls: BTreeSet<&str> = examples_only.iter().map(|r| r.compliance.control.as_str()).collect();
    assert_eq!(
        controls,
        BTreeSet::from(["py-certificate-max-validity", "js-secret-owner-tag", "c-parameter-changed-recently"])
    );
    // A later evaluate without --run still replays the scan, not the re-evaluation.
    let again = keyaudit(None, &["evaluate", "--inventory", local.to_str().unwrap(), "--summary-json"], &[]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(again.summary()["run"]["inventory_run_id"], run_id.as_str());

    // Between the last two runs (the examples-only re-evaluation, then the
    // built-in one), the example rules' FAILs are resolved and the built-in
    // rules' FAILs are new.
    let changes = duckdb(&local, &format!("{}\n{}", athena_views(), athena_query("findings_new_and_resolved.sql")));
    let changed = |change: &str| -> BTreeSet<(String, String)> {
        changes
            .iter()
            .filter(|r| r["change"] == change)
            .map(|r| (r["rule_id"].as_str().unwrap().to_owned(), r["resource"].as_str().unwrap().to_owned()))
            .collect()
    };
    let failing = |rows: &[FindingRow], examples: bool| -> BTreeSet<(String, String)> {
        rows.iter()
            .filter(|r| r.compliance.status_code == "FAIL")
            .filter(|r| examples == EXAMPLE_RULE_IDS.contains(&r.compliance.control.as_str()))
            .map(|r| (r.compliance.control.clone(), r.resources[0].uid.clone()))
            .collect()
    };
    assert_eq!(changed("resolved"), failing(&examples_only, true));
    assert_eq!(changed("new"), failing(&rows, false));
    assert!(!changed("new").is_empty() && !changed("resolved").is_empty());

    // The shipped Athena SQL over the same files.
    // (Drop the re-evaluations again: the shipped SQL reads the latest run.)
    for file in [in_place_id.as_str(), again.summary()["run"]["run_id"].as_str().unwrap()] {
        for table in ["findings", "runs"] {
            std::fs::remove_file(local.join(format!("{table}/dt={day}/{file}.parquet"))).unwrap();
        }
    }
    let by_rule_sql = duckdb(&local, &athena_query("compliance_by_rule.sql"));
    let rotation_row = by_rule_sql.iter().find(|r| r["rule_id"] == "kms-rotation-enabled").unwrap();
    let fails = expected.iter().filter(|v| v.0 == "kms-rotation-enabled" && v.3 == "FAIL").count();
    assert_eq!(rotation_row["failed"].as_i64().unwrap() as usize, fails);
    assert_eq!(rotation_row["severity"], "Medium");
    let failed_sql = duckdb(&local, &athena_query("findings_failed_latest.sql"));
    assert_eq!(failed_sql.len(), rows.iter().filter(|r| r.compliance.status_code == "FAIL").count());
    assert_eq!(failed_sql[0]["severity"], "Critical", "most severe first");
    let expiring_sql = duckdb(&local, &athena_query("certificates_expiring.sql"));
    let expiring: BTreeSet<&str> = expiring_sql.iter().map(|r| r["arn"].as_str().unwrap()).collect();
    let soon = started_at + 30 * DAY_MS;
    let expected_expiring: BTreeSet<&str> = manifest
        .certificates
        .iter()
        .filter(|c| c.not_after.is_some_and(|t| t < soon))
        .map(|c| c.arn.as_str())
        .chain(manifest.server_certificates.iter().filter(|c| c.not_after < soon).map(|c| c.arn.as_str()))
        .collect();
    assert!(!expected_expiring.is_empty());
    assert_eq!(expiring, expected_expiring, "certificates_expiring.sql finds ACM and IAM certificates alike");

    ksi_scores_match_the_inventory(&local, &run_id, started_at, &summary);
    let query = |name: &str| duckdb(&local, &format!("{}\n{}", athena_views(), athena_query(name)));

    // Compliance by account, OU and framework control, and by day.
    let tally = |of: &dyn Fn(&FindingRow) -> Vec<String>| {
        let mut counts: BTreeMap<String, (i64, i64, i64)> = BTreeMap::new();
        for row in &rows {
            for key in of(row) {
                let entry = counts.entry(key).or_default();
                match row.compliance.status_code.as_str() {
                    "PASS" => entry.0 += 1,
                    "FAIL" => entry.1 += 1,
                    "ERROR" => entry.2 += 1,
                    _ => {}
                }
            }
        }
        counts
    };
    let answered = |name: &str, key: &str| -> BTreeMap<String, (i64, i64, i64)> {
        query(name)
            .iter()
            .map(|r| {
                let n = |c: &str| r[c].as_i64().unwrap();
                (r[key].as_str().unwrap().to_owned(), (n("passed"), n("failed"), n("errors")))
            })
            .collect()
    };
    assert_eq!(answered("compliance_by_account.sql", "account_id"), tally(&|r| vec![r.cloud.account.uid.clone()]));
    assert_eq!(answered("compliance_by_ou.sql", "ou_path"), tally(&|r| vec![r.unmapped["ou_path"].clone()]));
    let by_control = answered("compliance_by_framework_control.sql", "control");
    assert_eq!(by_control, tally(&|r| r.compliance.requirements.to_vec()));
    assert!(by_control.keys().any(|c| c.starts_with("CIS")) && by_control.keys().any(|c| c.contains("KSI")));
    let trend = query("compliance_trend_by_day.sql");
    assert_eq!(trend.len(), 1);
    assert_eq!(trend[0]["run_id"], run_id.as_str());
    assert_eq!(trend[0]["findings_fail"], summary["run"]["findings_fail"]);

    // Secrets never rotated, as the fixture made them.
    let never_rotated: BTreeSet<String> =
        query("secrets_never_rotated.sql").iter().map(|r| r["name"].as_str().unwrap().to_owned()).collect();
    let expected_never: BTreeSet<String> =
        manifest.secrets.iter().filter(|s| s.last_rotated.is_none()).map(|s| s.name.clone()).collect();
    assert!(!expected_never.is_empty());
    assert_eq!(never_rotated, expected_never);

    // The KSI score per account, and collection completeness (a complete run).
    let overall =
        duckdb(&local, &format!("SELECT * FROM ksi_scores WHERE run_id = '{run_id}' AND sub_check = 'overall'"));
    let ksi_by_account = query("ksi_svc_06_by_account.sql");
    assert_eq!(ksi_by_account.len(), overall.len());
    for row in &ksi_by_account {
        let account = row["account"].as_str().unwrap();
        let stored = overall
            .iter()
            .find(|o| o["account_id"].as_str().unwrap_or("organisation") == account)
            .expect("the account's overall line");
        assert_eq!((&row["status"], &row["figure"]), (&stored["status"], &stored["figure"]));
    }
    let completeness = query("collection_completeness_by_account.sql");
    assert_eq!(completeness.len(), overall.len() - 1, "every account");
    assert!(completeness.iter().all(|r| r["collection_errors"] == 0), "{completeness:?}");

    // The views of `keyaudit athena ddl`, over the same files (the scan's
    // runs and findings are left; its re-evaluations' scorecards too).
    let views = |sql: &str| duckdb(&local, &format!("{}\n{sql}", athena_views()));
    let latest_runs = views("SELECT run_id, dt FROM keyaudit.latest_runs");
    assert_eq!(latest_runs.len(), 1, "one run per day: {latest_runs:?}");
    let latest_findings =
        views("SELECT count(*) AS n, count(DISTINCT finding_info.uid) AS uids FROM keyaudit.latest_findings");
    assert_eq!(latest_findings[0]["n"].as_u64(), Some(rows.len() as u64), "one finding per rule and resource");
    assert_eq!(latest_findings[0]["uids"], latest_findings[0]["n"]);
    let latest_ksi = views("SELECT DISTINCT run_id FROM keyaudit.latest_ksi_scores");
    assert_eq!(latest_ksi.len(), 1);
    assert_eq!(latest_ksi[0]["run_id"], run_id.as_str(), "the latest scan's scorecards, not a re-evaluation's");
}

/// Every KSI-SVC-06 count, per account and for the organisation, equals the
/// same count made independently with DuckDB over the run's inventory tables.
fn ksi_scores_match_the_inventory(local: &Path, run_id: &str, started_at: i64, summary: &serde_json::Value) {
    let counts = |table: &str, numerator: &str, denominator: &str, filter: &str| {
        format!(
            "SELECT a.account_id, coalesce(c.n, 0) AS n, coalesce(c.d, 0) AS d FROM accounts a LEFT JOIN \
             (SELECT account_id, CAST({numerator} AS BIGINT) AS n, CAST({denominator} AS BIGINT) AS d \
              FROM {table} WHERE run_id = '{run_id}' {filter} GROUP BY account_id) c USING (account_id) \
             WHERE a.run_id = '{run_id}'"
        )
    };
    let key_rules = "('CMK_BACKING_KEY_ROTATION_ENABLED','KMS_CMK_NOT_SCHEDULED_FOR_DELETION',\
                     'ACM_CERTIFICATE_EXPIRATION_CHECK','SECRETSMANAGER_ROTATION_ENABLED_CHECK')";
    let expired = format!("count(*) FILTER (WHERE epoch_ms(not_after) < {started_at})");
    let per_check = [
        ("kms-keys", counts("kms_keys", "count(*) FILTER (WHERE key_manager = 'CUSTOMER')", "count(*)", "")),
        ("acm-certificates", counts("acm_certificates", "count(*) FILTER (WHERE status = 'ISSUED')", "count(*)", "")),
        (
            "key-aliases",
            counts(
                "(SELECT account_id, run_id, unnest(aliases) AS alias FROM kms_keys)",
                "count(*) FILTER (WHERE NOT starts_with(alias, 'alias/aws/'))",
                "count(*)",
                "",
            ),
        ),
        (
            "securestring-parameters",
            counts("ssm_parameters", "count(*) FILTER (WHERE parameter_type = 'SecureString')", "count(*)", ""),
        ),
        ("secret-rotation", counts("secrets", "count(*) FILTER (WHERE rotation_enabled)", "count(*)", "")),
        ("legacy-iam-certificates", counts("iam_server_certificates", &expired, "count(*)", "")),
        (
            "iac-stacks",
            counts(
                "cloudformation_stacks",
                "count(*) FILTER (WHERE status IN ('CREATE_COMPLETE','UPDATE_COMPLETE','IMPORT_COMPLETE'))",
                "count(*)",
                "AND status <> 'DELETE_COMPLETE'",
            ),
        ),
        (
            "config-key-rules",
            counts(
                "config_rules",
                &format!("count(*) FILTER (WHERE source_identifier IN {key_rules})"),
                "count(*)",
                "",
            ),
        ),
        ("key-audit-trail", counts("cloudtrail_key_activity", "sum(len(key_events))", "count(*)", "")),
    ];
    let scores = duckdb(
        local,
        &format!("SELECT * FROM ksi_scores WHERE run_id = '{run_id}' ORDER BY scope, account_id, sub_check"),
    );
    let score = |account: Option<&str>, sub_check: &str| {
        scores
            .iter()
            .find(|r| r["account_id"].as_str() == account && r["sub_check"] == sub_check)
            .unwrap_or_else(|| panic!("no ksi_scores row for {account:?} {sub_check}"))
    };
    let accounts: Vec<String> = duckdb(local, &format!("SELECT account_id FROM accounts WHERE run_id = '{run_id}'"))
        .iter()
        .map(|r| r["account_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        scores.len(),
        (accounts.len() + 1) * 12,
        "11 sub-checks and the overall line per account and the organisation"
    );
    let mut checked_nonzero = 0;
    for (sub_check, sql) in &per_check {
        let (mut n_sum, mut d_sum) = (0, 0);
        for row in duckdb(local, sql) {
            let account = row["account_id"].as_str().unwrap();
            let (n, d) = (row["n"].as_i64().unwrap(), row["d"].as_i64().unwrap());
            let scored = score(Some(account), sub_check);
            assert_eq!(
                (scored["numerator"].as_i64(), scored["denominator"].as_i64()),
                (Some(n), Some(d)),
                "{sub_check} in {account}: {scored:?}"
            );
            assert_ne!(scored["status"], "ERROR", "a complete run knows every count: {scored:?}");
            n_sum += n;
            d_sum += d;
        }
        let organisation = score(None, sub_check);
        assert_eq!(
            (organisation["numerator"].as_i64(), organisation["denominator"].as_i64()),
            (Some(n_sum), Some(d_sum))
        );
        checked_nonzero += usize::from(n_sum > 0);
    }
    assert!(checked_nonzero >= 7, "the fixture has something to count for most sub-checks");
    // Every account is in the organisation, whose SCPs are enabled; the
    // overall line counts the sub-checks that PASS.
    for account in accounts.iter().map(|a| Some(a.as_str())).chain([None]) {
        assert_eq!(score(account, "organizations-governance")["status"], "PASS");
        assert_eq!(score(account, "scp-enforcement")["status"], "PASS");
        let passes = scores
            .iter()
            .filter(|r| r["account_id"].as_str() == account && r["sub_check"] != "overall" && r["status"] == "PASS")
            .count() as i64;
        let overall = score(account, "overall");
        assert_eq!((overall["numerator"].as_i64(), overall["denominator"].as_i64()), (Some(passes), Some(11)));
        let percent = passes * 100 / 11;
        assert!(overall["figure"].as_str().unwrap().ends_with(&format!("({percent}%)")), "{overall:?}");
        assert_eq!(overall["status"], if percent >= 75 { "PASS" } else { "FAIL" });
    }
    // The scan's summary holds the organisation's scorecard, as the table does.
    let summarised = summary["ksi"]["lines"].as_array().expect("the summary's scorecard");
    assert_eq!(summarised.len(), 12);
    for line in summarised {
        let row = score(None, line["sub_check"].as_str().unwrap());
        assert_eq!((&line["status"], &line["figure"]), (&row["status"], &row["figure"]));
    }
}

/// Rules whose every input comes with their kind's listing: a listing that
/// fails leaves no resource to judge (and these rules make no account-level
/// check), so nothing of theirs can rest on unread data.
const READ_ONLY_THEIR_LISTING: [&str; 14] = [
    "cloudtrail-kms-encrypted",
    // Reads what discovery reads too (DescribeOrganization, ListRoots):
    // denying it stops the run. Its ERRORs are in tests/estate_rule_cases.rs.
    "org-all-features-and-scps",
    "secret-customer-key",
    "secret-rotated-recently",
    "secret-rotation-enabled",
    "secret-rotation-succeeding",
    "secret-unused",
    "js-secret-owner-tag",
    "ssm-securestring-customer-key",
    "ssm-sensitive-as-plain-string",
    "c-parameter-changed-recently",
    "iam-no-kms-decrypt-on-all-keys",
    "iam-no-kms-full-access",
    "iam-server-certificate-legacy",
];

/// The same organisation, with one detail call of each kind denied for one
/// resource: exactly the rules that read the denied data say ERROR about that
/// resource (and about its account, for account-level checks resting on it);
/// every other verdict is the one the clean scan gives.
#[test]
fn unreadable_data_is_an_error_for_exactly_the_rules_that_read_it() {
    let org = org(&[]);
    let m = &org.manifest;
    let customer = |k: &&FixtureKey| k.key_manager == "CUSTOMER" && k.key_state == "Enabled";
    // A key whose rotation status cannot be read: every KMS rule reads it.
    let unrotated = m
        .keys
        .iter()
        .filter(customer)
        .find(|k| !k.multi_region && k.key_spec == "SYMMETRIC_DEFAULT" && k.origin == "AWS_KMS")
        .expect("a plain customer key");
    // A key whose policy cannot be read (in another account): only the
    // policy rules read it. It has four administrators, so a PASS is not
    // what hides here but a FAIL.
    let unpolicied = m
        .keys
        .iter()
        .filter(customer)
        .find(|k| k.description == "keyaudit fixture: many-admins" && k.account_id != unrotated.account_id)
        .expect("a key with many administrators in another account");
    let undescribed = m.certificates.iter().find(|c| c.status == "ISSUED").expect("an issued certificate");
    let private = m.secrets.iter().find(|s| s.public).expect("a secret with a public policy");
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    let server_certificate = m.server_certificates.iter().find(|c| c.not_after < now).expect("an expired one");
    let server_certificate_name = server_certificate.arn.rsplit('/').next().unwrap();
    let guard = m.scps.iter().find(|p| p.protects_keys).expect("an SCP that protects keys");
    let recorded = m.config.iter().find(|c| c.recording).expect("a recording Config recorder");
    // An account-region whose KMS event history cannot be read.
    let quiet = m.account("dev");
    let quiet_region = m.regions.last().expect("a second region").as_str();
    let deny = |service: &str, action: &str, region: &str, body: &str| json!({"service": service, "action": action, "region": region, "body": body, "kind": "denied"});
    let proxy = FaultProxy::start(&org.endpoint);
    proxy.configure(json!({"seed": 0, "faults": [
        deny("kms", "GetKeyRotationStatus", &unrotated.region, &unrotated.key_id),
        deny("kms", "GetKeyPolicy", &unpolicied.region, &unpolicied.key_id),
        deny("acm", "DescribeCertificate", &undescribed.region, &undescribed.arn),
        deny("secretsmanager", "GetResourcePolicy", &private.region, &private.arn),
        json!({"service": "iam", "action": "GetServerCertificate", "kind": "denied",
               "body": format!("ServerCertificateName={server_certificate_name}")}),
        json!({"service": "organizations", "action": "DescribePolicy", "kind": "denied", "body": guard.id}),
        json!({"service": "config", "action": "DescribeConfigurationRecorderStatus", "kind": "denied",
               "account": recorded.account_id, "region": recorded.region}),
        json!({"service": "cloudtrail", "action": "LookupEvents", "kind": "denied",
               "account": quiet.id, "region": quiet_region}),
    ]}));
    let example_rules = example_rules();
    let out = org.dir.path().join("out");
    let run = keyaudit(
        Some(&proxy.endpoint),
        &[
            "scan",
            "--regions",
            "us-east-1,eu-west-1",
            "--rules",
            example_rules.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--summary-json",
        ],
        &[],
    );
    assert_eq!(run.code, 3, "data went missing, so the run is incomplete\n{}", run.stderr);
    let denied: Vec<ProxyEntry> = proxy.log().into_iter().filter(|e| e.fault.is_some()).collect();
    let denied_actions: BTreeSet<&str> = denied.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        denied_actions,
        BTreeSet::from([
            "GetKeyRotationStatus",
            "GetKeyPolicy",
            "DescribeCertificate",
            "GetResourcePolicy",
            "GetServerCertificate",
            "DescribePolicy",
            "DescribeConfigurationRecorderStatus",
            "LookupEvents"
        ]),
        "each denial reached its call"
    );
    let summary = run.summary();
    let run_id = summary["run"]["run_id"].as_str().unwrap().to_owned();
    let rows: Vec<FindingRow> = table_rows(&out, "findings", &run_day(&summary), &run_id);
    let actual = verdicts(&rows);

    // The clean scan's verdicts, with ERROR where the denied data is read.
    let clean = expected(m, summary["run"]["started_at"].as_i64().expect("the run's start"));
    let rules_judging = |arns: &[&str]| -> BTreeSet<String> {
        clean.iter().filter(|v| arns.contains(&v.2.as_str())).map(|v| v.0.clone()).collect()
    };
    let key_arns: Vec<&str> = m.keys.iter().map(|k| k.key_arn.as_str()).collect();
    let certificate_arns: Vec<&str> = m.certificates.iter().map(|c| c.arn.as_str()).collect();
    let errors: Vec<(BTreeSet<String>, &str, &str)> = vec![
        // Every rule that judges keys reads the rotation status (the base record).
        (rules_judging(&key_arns), unrotated.account_id.as_str(), unrotated.key_arn.as_str()),
        (
            ["kms-key-not-public", "kms-cross-account-trusted", "kms-limited-admins", "kms-separate-usage"]
                .map(String::from)
                .into(),
            &unpolicied.account_id,
            &unpolicied.key_arn,
        ),
        (rules_judging(&certificate_arns), &undescribed.account_id, &undescribed.arn),
        (BTreeSet::from(["secret-not-public".to_owned()]), &private.account_id, &private.arn),
        (
            BTreeSet::from(["iam-server-certificate-expired".to_owned()]),
            &server_certificate.account_id,
            &server_certificate.arn,
        ),
    ];
    let mut expected: BTreeSet<Verdict> = clean
        .iter()
        .filter(|v| {
            !errors.iter().any(|(rules, account, what)| rules.contains(&v.0) && v.1 == *account && v.2 == *what)
        })
        .cloned()
        .collect();
    for (rules, account, what) in &errors {
        for rule in rules {
            expected.insert((rule.clone(), account.to_string(), what.to_string(), "ERROR".to_owned()));
        }
    }
    // Without the event history: whether the account's key events are
    // audited, and every anomaly verdict on its keys there.
    let keys_there: BTreeSet<&str> = m
        .keys
        .iter()
        .filter(|k| k.account_id == quiet.id && k.region == quiet_region)
        .map(|k| k.key_arn.as_str())
        .collect();
    let unknowable = |v: &Verdict| {
        (v.0 == "cloudtrail-key-events-audited" && v.1 == quiet.id)
            || (v.0 == "kms-usage-anomaly" && keys_there.contains(v.2.as_str()))
    };
    for v in clean.iter().filter(|v| unknowable(v)) {
        expected.remove(v);
        expected.insert((v.0.clone(), v.1.clone(), v.2.clone(), "ERROR".to_owned()));
    }
    // Whether Config records there is unknown.
    let subject = format!("region:{}", recorded.region);
    expected.retain(|v| !(v.0 == "config-key-rules-present" && v.1 == recorded.account_id && v.2 == subject));
    expected.insert(("config-key-rules-present".into(), recorded.account_id.clone(), subject, "ERROR".into()));
    // Whether SCPs protect an account rests on every SCP's document, the
    // management account's INFO too (the host voids any verdict that a
    // resource with unread data could change).
    for v in clean.iter().filter(|v| v.0 == "org-scp-protects-keys") {
        expected.remove(v);
        expected.insert((v.0.clone(), v.1.clone(), v.2.clone(), "ERROR".to_owned()));
    }
    // The account-level KMS checks of the unrotated key's account rest on every key there.
    let account_level = |v: &&Verdict| v.0.starts_with("kms-") && (v.2 == v.1 || v.2.starts_with("tier:"));
    for v in clean.iter().filter(account_level).filter(|v| v.1 == unrotated.account_id) {
        expected.remove(v);
        expected.insert((v.0.clone(), v.1.clone(), v.2.clone(), "ERROR".to_owned()));
    }
    let missing: Vec<_> = expected.difference(&actual).collect();
    let unexpected: Vec<_> = actual.difference(&expected).collect();
    assert!(missing.is_empty() && unexpected.is_empty(), "missing {missing:#?}\nunexpected {unexpected:#?}");
    assert_eq!(rows.len(), expected.len(), "one finding per rule and resource");

    // Every rule says ERROR somewhere, but those that read only their listing.
    let erring: BTreeSet<&str> = actual.iter().filter(|v| v.3 == "ERROR").map(|v| v.0.as_str()).collect();
    let never_erring: BTreeSet<&str> = clean.iter().map(|v| v.0.as_str()).filter(|r| !erring.contains(r)).collect();
    assert_eq!(never_erring, BTreeSet::from(READ_ONLY_THEIR_LISTING), "rules never seen saying ERROR");
    // The host's own ERRORs name the call whose data is missing (the
    // others are the rules' words for the same gap).
    let apis = [
        "kms:GetKeyRotationStatus",
        "kms:GetKeyPolicy",
        "acm:DescribeCertificate",
        "secretsmanager:GetResourcePolicy",
        "organizations:DescribePolicy",
        "config:DescribeConfigurationRecorderStatus",
        "cloudtrail:LookupEvents",
    ];
    for row in rows.iter().filter(|r| r.compliance.status_code == "ERROR" && r.message.starts_with("no verdict: ")) {
        assert!(apis.iter().any(|api| row.message.contains(api)), "{}: {}", row.compliance.control, row.message);
    }
}

/// Against moto itself, which answers GetKeyLastUsage, LookupEvents, Config
/// compliance and conformance packs with HTTP 500 (it implements none of
/// them): each is a collection error, the run is incomplete, and every rule
/// that needs that data says ERROR, never a verdict.
#[test]
fn what_moto_cannot_answer_is_an_error_never_a_verdict() {
    let org = org(&[]);
    let m = &org.manifest;
    let out = org.dir.path().join("out");
    let services = "kms,cloudtrail,cloudtrail-events,config-rules,config-recorders,config-conformance-packs";
    let run = keyaudit(
        Some(&org.moto.endpoint),
        &[
            "scan",
            "--regions",
            "us-east-1,eu-west-1",
            "--services",
            services,
            "--max-attempts",
            "2",
            "-o",
            out.to_str().unwrap(),
            "--summary-json",
        ],
        &[],
    );
    assert_eq!(run.code, 3, "data went missing, so the run is incomplete\n{}", run.stderr);
    let summary = run.summary();
    let (day, run_id) = (run_day(&summary), summary["run"]["run_id"].as_str().unwrap().to_owned());
    let errors: Vec<keyaudit::inventory::CollectionError> = table_rows(&out, "collection_errors", &day, &run_id);
    let mut by_api: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for error in &errors {
        *by_api.entry((error.api.as_str(), error.error_code.as_str())).or_default() += 1;
    }
    let customer_keys = m.keys.iter().filter(|k| k.key_manager == "CUSTOMER").count();
    let account_regions = m.active_accounts().count() * m.regions.len();
    assert_eq!(
        by_api,
        BTreeMap::from([
            (("kms:GetKeyLastUsage", "HTTP 500"), customer_keys),
            (("cloudtrail:LookupEvents", "HTTP 500"), account_regions),
            (("config:DescribeConformancePacks", "HTTP 500"), account_regions),
            // Asked only where there are rules.
            (("config:DescribeComplianceByConfigRule", "HTTP 500"), m.config.len()),
        ]),
        "one error row per call moto cannot answer"
    );
    let rows: Vec<FindingRow> = table_rows(&out, "findings", &day, &run_id);
    let disabled: BTreeSet<&str> =
        m.keys.iter().filter(|k| k.key_state == "Disabled").map(|k| k.key_arn.as_str()).collect();
    for rule in ["kms-key-unused", "kms-usage-anomaly", "cloudtrail-key-events-audited"] {
        let theirs: Vec<&FindingRow> = rows.iter().filter(|r| r.compliance.control == rule).collect();
        assert!(!theirs.is_empty(), "{rule} ran");
        for row in theirs {
            // A disabled key is unused whatever its history says.
            let known = rule == "kms-key-unused" && disabled.contains(row.resources[0].uid.as_str());
            let expected = if known { "FAIL" } else { "ERROR" };
            assert_eq!(row.compliance.status_code, expected, "{rule}: {}", row.message);
        }
    }
    // What moto does answer is still judged.
    assert!(rows.iter().any(|r| r.compliance.control == "kms-rotation-enabled" && r.compliance.status_code == "PASS"));
    assert!(
        rows.iter().any(|r| r.compliance.control == "config-key-rules-present" && r.compliance.status_code == "PASS")
    );
}
