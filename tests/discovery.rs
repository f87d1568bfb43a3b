//! Account discovery against moto's Organizations: OU filters, account
//! filters, explicit account lists, and pagination past one page of accounts.

mod support;

use std::collections::{BTreeMap, BTreeSet};

use support::{keyaudit, org};

fn scanned_accounts(run: &support::Run) -> BTreeSet<String> {
    run.summary()["accounts"]
        .as_array()
        .expect("accounts")
        .iter()
        .map(|a| a["account_id"].as_str().unwrap().to_owned())
        .collect()
}

fn set(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| s.to_string()).collect()
}

#[test]
fn include_and_exclude_filters_by_ou_and_account() {
    let org = org(&[]);
    let m = &org.manifest;
    let out = org.dir.path().join("out");
    let out = out.to_str().unwrap();
    let (sec, prd, dev) = (&m.account("sec").id, &m.account("prd").id, &m.account("dev").id);
    let scan = |extra: &[&str]| {
        let mut args = vec!["scan", "--regions", "us-east-1", "-o", out, "--summary-json"];
        args.extend_from_slice(extra);
        let run = keyaudit(Some(&org.endpoint), &args, &[]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        run
    };

    // The dry run, first: what a scan would cover and why each other
    // account is left out, with nothing but STS and Organizations called.
    let dry = keyaudit(
        Some(&org.endpoint),
        &["accounts", "--regions", "us-east-1", "--exclude-ous", "Root/Workloads/Dev", "--summary-json"],
        &[],
    );
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    let coverage: serde_json::Value = serde_json::from_str(&dry.stdout).unwrap();
    let covered: BTreeSet<String> =
        coverage["accounts"].as_array().unwrap().iter().map(|a| a["account_id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(covered, set(&[&m.management_account_id, sec, prd]));
    for account in coverage["accounts"].as_array().unwrap() {
        let id = account["account_id"].as_str().unwrap();
        assert_eq!(account["role_arn"], format!("arn:aws:iam::{id}:role/{}", m.role_name));
    }
    let reasons: BTreeMap<String, String> = coverage["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["account_id"].as_str().unwrap().to_owned(), a["reason"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(reasons[dev.as_str()], "excluded by discovery.exclude_ous (--exclude-ous) Root/Workloads/Dev");
    let closed = m.accounts.iter().find(|a| a.state != "ACTIVE").unwrap();
    assert!(reasons[closed.id.as_str()].starts_with("not ACTIVE"), "{reasons:?}");
    assert_eq!(coverage["regions"], serde_json::json!(["us-east-1"]));
    let services: BTreeSet<String> = org.stand_in.log().iter().map(|e| e.service.clone()).collect();
    assert_eq!(services, BTreeSet::from(["organizations".to_owned(), "sts".to_owned()]), "nothing collected");
    let text = keyaudit(Some(&org.endpoint), &["accounts", "--exclude-ous", "Root/Workloads/Dev"], &[]);
    assert!(
        text.stdout.contains("3 accounts would be scanned") && text.stdout.contains("every enabled region"),
        "{}",
        text.stdout
    );

    let everything = scan(&[]);
    assert_eq!(
        scanned_accounts(&everything),
        set(&[&m.management_account_id, sec, prd, dev]),
        "every ACTIVE account, the management account too"
    );

    let by_name_path = scan(&["--include-ous", "Root/Workloads"]);
    assert_eq!(scanned_accounts(&by_name_path), set(&[prd, dev]), "OU name paths include sub-OUs");

    let by_id = scan(&["--include-ous", &m.ou_ids["Root/Workloads"], "--exclude-ous", &m.ou_ids["Root/Workloads/Dev"]]);
    assert_eq!(scanned_accounts(&by_id), set(&[prd]), "OU ids; exclude wins");

    let by_account = scan(&["--include-accounts", &format!("{sec},{dev}"), "--exclude-accounts", dev]);
    assert_eq!(scanned_accounts(&by_account), set(&[sec]));
    let summary = by_account.summary();
    assert_eq!(summary["skipped_excluded"], 3, "management, prd and dev are filtered out");
    assert_eq!(summary["skipped_not_active"], 1, "the closed account");

    // Batch runs log JSON: one object per line, with level and message fields.
    let json_logs = scan(&["--log-format", "json", "--include-accounts", sec]);
    let lines: Vec<serde_json::Value> = json_logs
        .stderr
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not a JSON log line ({e}): {line}")))
        .collect();
    assert!(lines.iter().all(|l| l["level"].is_string()), "{lines:?}");
    assert!(lines.iter().any(|l| l["message"] == "account scanned" && l["account"] == sec.as_str()), "{lines:?}");

    // An output bucket in another region than the home region is found and used there.
    let remote = m.remote_bucket.as_deref().expect("a bucket in eu-west-1");
    let remote_run = keyaudit(
        Some(&org.endpoint),
        &[
            "scan",
            "--regions",
            "us-east-1",
            "--accounts",
            sec,
            "-o",
            &format!("s3://{remote}/audit"),
            "--log-level",
            "keyaudit=debug",
        ],
        &[],
    );
    assert_eq!(remote_run.code, 0, "{}", remote_run.stderr);
    assert!(
        remote_run.stderr.contains("bucket is in another region than the home region")
            && remote_run.stderr.contains("eu-west-1"),
        "{}",
        remote_run.stderr
    );
    let copied = support::download(&org.endpoint, remote, "audit/", &org.dir.path().join("remote"));
    assert_eq!(copied.len(), keyaudit::kinds::tables().len(), "every table written to the remote bucket: {copied:?}");

    let listed = scan(&["--accounts", &format!("{prd},{sec}")]);
    assert_eq!(scanned_accounts(&listed), set(&[prd, sec]), "an explicit list needs no Organizations access");
    let keys: u64 = listed.summary()["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["resources"]["kms-key"].as_u64().unwrap())
        .sum();
    let expected =
        m.keys.iter().filter(|k| (&k.account_id == prd || &k.account_id == sec) && k.region == "us-east-1").count();
    assert_eq!(keys as usize, expected);

    let nothing = keyaudit(
        Some(&org.endpoint),
        &["scan", "--regions", "us-east-1", "-o", out, "--include-ous", "Root/NoSuchOu"],
        &[],
    );
    assert_eq!(nothing.code, 1, "filters that leave nothing are an error");
    assert!(nothing.stderr.contains("no account left to scan"), "{}", nothing.stderr);
}

#[test]
fn organizations_pagination_reaches_every_account() {
    // 25 extra accounts: ListAccounts pages hold at most 20.
    let org = org(&["--extra-accounts", "25"]);
    let m = &org.manifest;
    let out = org.dir.path().join("out");
    let run = keyaudit(
        Some(&org.endpoint),
        &["scan", "--regions", "us-east-1", "-o", out.to_str().unwrap(), "--summary-json"],
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let expected: BTreeSet<String> = m.active_accounts().map(|a| a.id.clone()).collect();
    assert_eq!(expected.len(), 29);
    assert_eq!(scanned_accounts(&run), expected);
    assert_eq!(run.summary()["run"]["accounts_discovered"], 30);
    let bulk_ou_paths: BTreeSet<String> = run.summary()["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["account_name"].as_str().unwrap().starts_with("bulk-"))
        .map(|a| a["ou_path"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(bulk_ou_paths, set(&["Root/Sandbox"]), "OU paths past the first page too");
}
