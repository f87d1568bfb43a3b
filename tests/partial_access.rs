//! Partial access with moto's IAM checks on: one account's audit role may not
//! read key policies or grants, and the auditor may not enter another account
//! at all. Both land in `collection_errors`; everything else is collected.

mod support;

use std::collections::{BTreeMap, BTreeSet};

use keyaudit::inventory::CollectionError;
use keyaudit::kinds::kms_key::KmsKey;
use keyaudit::output::findings::FindingRow;
use keyaudit::output::read_rows;
use support::{keyaudit, org, run_day};

#[test]
fn denied_calls_and_accounts_become_collection_errors() {
    let org = org(&["--partial-access", "prd", "--deny-assume", "dev", "--auditor"]);
    let m = &org.manifest;
    let auditor = m.auditor.as_ref().expect("auditor credentials");
    let partial = m.partial_access_account.clone().expect("partial account");
    let denied = m.denied_account.clone().expect("denied account");
    let out = org.dir.path().join("out");
    let run = keyaudit(
        Some(&org.endpoint),
        &["scan", "--regions", "us-east-1,eu-west-1", "-o", out.to_str().unwrap(), "--summary-json"],
        &[("AWS_ACCESS_KEY_ID", &auditor.access_key_id), ("AWS_SECRET_ACCESS_KEY", &auditor.secret_access_key)],
    );
    assert_eq!(run.code, 3, "an incomplete run exits 3\n{}", run.stderr);
    let day = run_day(&run.summary());

    let keys_dir = out.join(format!("kms_keys/dt={day}"));
    let file = std::fs::read_dir(&keys_dir).unwrap().next().unwrap().unwrap().path();
    let keys: Vec<KmsKey> = read_rows(&file).unwrap();
    let errors_file =
        std::fs::read_dir(out.join(format!("collection_errors/dt={day}"))).unwrap().next().unwrap().unwrap().path();
    let errors: Vec<CollectionError> = read_rows(&errors_file).unwrap();

    // The account the auditor may not enter: one error per region × regional
    // service and one per global service (region "global"), no keys.
    let denied_errors: Vec<&CollectionError> = errors.iter().filter(|e| e.account_id == denied).collect();
    let mut expected_places = BTreeSet::new();
    for kind in keyaudit::kinds::infos() {
        match kind.level {
            keyaudit::inventory::Level::Region => {
                expected_places.extend(["us-east-1", "eu-west-1"].map(|r| (kind.service, r)));
            }
            keyaudit::inventory::Level::Account => {
                expected_places.insert((kind.service, "global"));
            }
            // Read once per run with the auditor's own credentials.
            keyaudit::inventory::Level::Organisation => {}
        }
    }
    let places: BTreeSet<(&str, &str)> =
        denied_errors.iter().map(|e| (e.service.as_str(), e.region.as_str())).collect();
    assert_eq!(places, expected_places, "{denied_errors:?}");
    assert_eq!(denied_errors.len(), expected_places.len());
    assert!(denied_errors.iter().all(|e| e.api == "sts:AssumeRole"));
    assert!(keys.iter().all(|k| k.account_id != denied));
    let role_arn = format!("arn:aws:iam::{denied}:role/KeyAuditRole");
    for error in &denied_errors {
        assert!(error.message.starts_with(&format!("assuming {role_arn}: ")), "names the role: {error:?}");
        assert!(error.message.len() < 300, "one readable line, not a dump: {error:?}");
        // moto answers a denied AssumeRole with a bare HTTP 403 (AWS: AccessDenied).
        assert_eq!(error.error_code, "HTTP 403", "{error:?}");
    }

    // The partial account: its keys are collected, without policy and grants.
    let partial_keys: Vec<&KmsKey> = keys.iter().filter(|k| k.account_id == partial).collect();
    let expected_keys = m.keys.iter().filter(|k| k.account_id == partial).count();
    assert_eq!(partial_keys.len(), expected_keys, "every key of the partial account is still listed");
    for key in &partial_keys {
        assert_eq!(key.key_policy, None, "{}: the policy is unknown", key.key_id);
        assert_eq!(key.grants, None, "{}: the grants are unknown, not an empty list", key.key_id);
        assert!(key.key_state.is_some() && key.enabled.is_some(), "{}: the metadata was read", key.key_id);
        assert_eq!(key.unread, ["kms:GetKeyPolicy", "kms:ListGrants"], "{}: what could not be read", key.key_id);
    }
    for key in &partial_keys {
        let fixture = m.keys.iter().find(|k| k.key_arn == key.key_arn).expect("a fixture key");
        assert_eq!(key.aliases.as_ref(), Some(&fixture.aliases), "{}: aliases were readable", key.key_id);
    }
    let mut by_api: BTreeMap<&str, usize> = BTreeMap::new();
    for error in errors.iter().filter(|e| e.account_id == partial) {
        *by_api.entry(error.api.as_str()).or_default() += 1;
        assert!(error.resource_id.is_some(), "per-key errors name the key");
        // moto answers a denied call with a bare HTTP 403 (AWS: AccessDeniedException).
        assert_eq!(error.error_code, "HTTP 403", "denied calls say so: {error:?}");
    }
    assert_eq!(
        by_api,
        BTreeMap::from([("kms:GetKeyPolicy", expected_keys), ("kms:ListGrants", expected_keys)]),
        "exactly the calls the role may not make"
    );

    // Unknown is never a verdict: on the partial account's keys, every rule
    // that reads the policy or the grants says ERROR, and only those do.
    let findings_file =
        std::fs::read_dir(out.join(format!("findings/dt={day}"))).unwrap().next().unwrap().unwrap().path();
    let findings: Vec<FindingRow> = read_rows(&findings_file).unwrap();
    let reads_policy_or_grants =
        ["kms-key-not-public", "kms-cross-account-trusted", "kms-limited-admins", "kms-separate-usage"];
    for key in &partial_keys {
        let on_key: Vec<&FindingRow> =
            findings.iter().filter(|f| f.resources.first().is_some_and(|r| r.uid == key.key_arn)).collect();
        for rule in reads_policy_or_grants {
            let verdicts: Vec<&str> = on_key
                .iter()
                .filter(|f| f.compliance.control == rule)
                .map(|f| f.compliance.status_code.as_str())
                .collect();
            let expected: &[&str] = if key.key_manager.as_deref() == Some("CUSTOMER") { &["ERROR"] } else { &[] };
            assert_eq!(verdicts, expected, "{rule} on {}", key.key_id);
        }
        for finding in on_key.iter().filter(|f| !reads_policy_or_grants.contains(&f.compliance.control.as_str())) {
            assert_ne!(
                finding.compliance.status_code, "ERROR",
                "{} does not read the policy or grants: {:?}",
                finding.compliance.control, finding.message
            );
        }
    }
    // The account that could not be entered: its account-level rules say ERROR.
    let denied_findings: Vec<&FindingRow> = findings.iter().filter(|f| f.cloud.account.uid == denied).collect();
    assert!(!denied_findings.is_empty(), "account-level rules still account for the denied account");
    for finding in &denied_findings {
        assert_eq!(finding.compliance.status_code, "ERROR", "{}: {}", finding.compliance.control, finding.message);
        // The host names the cause; a rule that saw the gap itself says so in its words.
        assert!(
            finding.message.contains("sts:AssumeRole") || finding.message.contains("could not be listed"),
            "names the cause: {}",
            finding.message
        );
        assert!(finding.resources.iter().all(|r| r.kind == "AWS::::Account"), "{:?}", finding.resources);
    }

    // Everyone else is complete.
    for account in m.active_accounts().filter(|a| a.id != partial && a.id != denied) {
        let theirs: Vec<&CollectionError> = errors.iter().filter(|e| e.account_id == account.id).collect();
        assert!(theirs.is_empty(), "{} has no errors: {theirs:?}", account.name);
        let n = keys.iter().filter(|k| k.account_id == account.id).count();
        assert_eq!(n, m.keys.iter().filter(|k| k.account_id == account.id).count(), "{}", account.name);
    }
    let summary = run.summary();
    assert_eq!(summary["run"]["accounts_failed"], 1);
    assert_eq!(summary["run"]["complete"], false);
}
