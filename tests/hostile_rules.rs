//! Test-only rule components, built here from tests/hostile-rules. Hostile
//! ones must each be contained (one ERROR finding naming the rule and the
//! reason, or a load error naming the file) while every other rule and
//! account completes; a rule built against contract 0.1 must still run; a
//! 0.2 rule gets only the optional key fields it asks for.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, OnceLock};

use keyaudit::config::RulesConfig;
use keyaudit::inventory::Account;
use keyaudit::kinds::Inventory;
use keyaudit::kinds::kms_key::KmsKey;
use keyaudit::rules::{AccountInput, RuleEngine, RuleFinding, Status};

/// Builds the hostile components once per test binary; returns their folder.
fn hostile_build() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let dir = support::workspace().join("tests/hostile-rules");
        let output = Command::new(env!("CARGO"))
            .args(["build", "--release", "--quiet"])
            .current_dir(&dir)
            .output()
            .expect("run cargo for the hostile rules");
        assert!(output.status.success(), "building hostile rules failed:\n{}", String::from_utf8_lossy(&output.stderr));
        support::workspace().join("target/wasm32-wasip2/release")
    })
}

/// A folder holding copies of the named components (file stems).
fn test_rule_dir(stems: &[&str]) -> tempfile::TempDir {
    let built = hostile_build();
    let dir = tempfile::tempdir().unwrap();
    for stem in stems {
        let file = format!("{stem}.wasm");
        std::fs::copy(built.join(&file), dir.path().join(&file)).unwrap_or_else(|e| panic!("{file}: {e}"));
    }
    dir
}

/// A folder holding copies of the named hostile components.
fn rule_dir(names: &[&str]) -> tempfile::TempDir {
    let stems: Vec<String> = names.iter().map(|name| format!("hostile_{name}")).collect();
    test_rule_dir(&stems.iter().map(String::as_str).collect::<Vec<_>>())
}

fn config(dirs: Vec<PathBuf>, builtin: bool) -> RulesConfig {
    RulesConfig {
        builtin,
        builtin_dir: Some(support::fresh::builtin_rules()),
        dirs,
        // Ten times what any well-behaved rule here needs on a loaded 2-core
        // machine; the looping rule burns it in full, once per account.
        time_budget_ms: 2000,
        memory_limit_mb: 64,
        max_findings: 1000,
        cache_dir: Some(support::workspace().join("target/test-rule-cache")),
        ..RulesConfig::default()
    }
}

/// A key whose rotation is off, so the well-behaved rotation rule FAILs it.
fn key(account: &str) -> KmsKey {
    let mut key = support::kms_key(account, "k1", 0);
    key.rotation_enabled = Some(false);
    key
}

fn evaluate(engine: &RuleEngine, account_id: &str) -> Vec<RuleFinding> {
    evaluate_keys(engine, account_id, &[key(account_id)])
}

fn evaluate_keys(engine: &RuleEngine, account_id: &str, keys: &[KmsKey]) -> Vec<RuleFinding> {
    let account = Account {
        account_id: account_id.into(),
        account_name: "a".into(),
        ou_path: "Root".into(),
        ou_id_path: String::new(),
        org_id: "o-1".into(),
    };
    let regions = vec!["us-east-1".to_owned()];
    let organisation = Arc::new(BTreeSet::from([account_id.to_owned(), "123456789012".to_owned()]));
    let inventory = Arc::new(Inventory::from_records(keys.to_vec()));
    engine.evaluate(&AccountInput {
        account: &account,
        organisation: &organisation,
        regions: &regions,
        inventory: &inventory,
        shared: &Arc::new(Inventory::default()),
        gaps: &[],
        evaluated_at: 0,
    })
}

fn only<'a>(findings: &'a [RuleFinding], rule: &str) -> &'a RuleFinding {
    let mine: Vec<&RuleFinding> = findings.iter().filter(|f| f.rule_id == rule).collect();
    assert_eq!(mine.len(), 1, "{rule}: exactly one finding: {mine:#?}");
    mine[0]
}

#[test]
fn misbehaving_rules_become_error_findings_and_the_rest_completes() {
    let hostile = rule_dir(&[
        "loop_rule",
        "alloc_rule",
        "panic_rule",
        "huge_rule",
        "malformed_rule",
        "files_rule",
        "undeclared_rule",
        "foreign_import_rule",
    ]);
    let mut config = config(vec![hostile.path().to_owned()], true);
    config.enable = [
        "hostile-undeclared",
        "hostile-foreign",
        "hostile-loop",
        "hostile-alloc",
        "hostile-panic",
        "hostile-huge",
        "hostile-malformed",
        "hostile-files",
        "kms-rotation-enabled",
    ]
    .map(String::from)
    .to_vec();
    let engine = RuleEngine::load(&config).expect("hostile rules load: they misbehave only when called");

    for account in ["111111111111", "222222222222"] {
        let findings = evaluate(&engine, account);
        let expect_error = |rule: &str, reason: &str| {
            let finding = only(&findings, rule);
            assert_eq!(finding.status, Status::Error, "{finding:#?}");
            assert!(finding.message.starts_with(&format!("rule {rule} ")), "names the rule: {}", finding.message);
            assert!(finding.message.contains(reason), "{rule}: expected {reason:?} in {:?}", finding.message);
        };
        expect_error("hostile-loop", "exceeded its time budget of 2000 ms");
        expect_error("hostile-alloc", "exceeded its memory limit of 64 MiB");
        expect_error("hostile-panic", "boom from a hostile rule");
        expect_error("hostile-huge", "5000 findings, more than the limit of 1000");
        if account == "222222222222" {
            expect_error("hostile-malformed", "names acm-certificate\\u{1b}[2J #0, a kind the rule does not read");
        } else {
            expect_error("hostile-malformed", "names kms-key #7, which it was not given");
        }
        expect_error("hostile-files", "no filesystem");
        expect_error("hostile-undeclared", "called acm-certificate.list, but its metadata does not read");
        // An import no rule may use loads, and fails, named, when called.
        expect_error("hostile-foreign", "called hostile:foreign/fetch#get, which a rule may not use");
        let files = only(&findings, "hostile-files");
        assert!(!files.message.contains("LEAK") && !files.message.contains("root:"), "{}", files.message);

        // The well-behaved rule ran as usual, in every account, after the traps.
        let rotation = only(&findings, "kms-rotation-enabled");
        assert_eq!(rotation.status, Status::Fail);
        assert_eq!(rotation.resource_id.as_deref(), Some(format!("arn:aws:kms:us-east-1:{account}:key/k1").as_str()));
    }
}

#[test]
fn rules_see_no_environment_arguments_or_network() {
    assert!(std::env::vars().count() > 0, "the host process has an environment to leak");
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();

    let hostile = rule_dir(&["env_rule", "socket_rule"]);
    let mut config = config(vec![hostile.path().to_owned()], false);
    config.parameters.insert("hostile-socket".into(), [("port".to_owned(), toml::Value::Integer(port.into()))].into());
    let engine = RuleEngine::load(&config).unwrap();
    let findings = evaluate(&engine, "111111111111");

    let env = only(&findings, "hostile-env");
    assert_eq!(env.status, Status::Info);
    let evidence: std::collections::BTreeMap<_, _> = env.evidence.iter().cloned().collect();
    assert_eq!(evidence["env_count"], "0", "no environment variables: {evidence:?}");
    assert_eq!(evidence["args_count"], "0", "no arguments: {evidence:?}");

    let socket = only(&findings, "hostile-socket");
    assert_eq!(socket.status, Status::Error);
    assert!(socket.message.contains("no network"), "{}", socket.message);
    assert!(listener.accept().is_err(), "nothing reached the listener");
}

#[test]
fn invalid_components_fail_loading_with_the_file_named() {
    let bad_meta = rule_dir(&["badmeta_rule"]);
    let err = RuleEngine::load(&config(vec![bad_meta.path().to_owned()], false)).err().unwrap().to_string();
    assert!(err.contains("hostile_badmeta_rule.wasm") && err.contains("Not A Valid Id!"), "{err}");

    let not_rule = rule_dir(&["not_a_rule"]);
    let err = RuleEngine::load(&config(vec![not_rule.path().to_owned()], false)).err().unwrap().to_string();
    assert!(err.contains("hostile_not_a_rule.wasm") && err.contains("keyaudit:rules/rule@0.3.2"), "{err}");

    let garbage = tempfile::tempdir().unwrap();
    std::fs::write(garbage.path().join("garbage.wasm"), b"\0asm not really").unwrap();
    let err = RuleEngine::load(&config(vec![garbage.path().to_owned()], false)).err().unwrap().to_string();
    assert!(err.contains("garbage.wasm") && err.contains("not a valid WebAssembly component"), "{err}");

    let copy = tempfile::tempdir().unwrap();
    let builtin = support::fresh::builtin_rules().join("kms-key-age.wasm");
    std::fs::copy(&builtin, copy.path().join("my-key-age.wasm")).unwrap();
    let err = RuleEngine::load(&config(vec![copy.path().to_owned()], true)).err().unwrap().to_string();
    assert!(err.contains("two rules have the id kms-key-age") && err.contains("my-key-age.wasm"), "{err}");

    let empty = tempfile::tempdir().unwrap();
    let err = RuleEngine::load(&config(vec![empty.path().to_owned()], false)).err().unwrap().to_string();
    assert!(err.contains("has no .wasm components"), "{err}");

    let newer = test_rule_dir(&["newer_contract_rule"]);
    let err = RuleEngine::load(&config(vec![newer.path().to_owned()], false)).err().unwrap().to_string();
    assert!(
        err.contains("newer_contract_rule.wasm is built against rule contract 0.3.9, newer than this keyaudit's 0.3.2")
            && err.contains("upgrade keyaudit"),
        "{err}"
    );
}

fn evidence(finding: &RuleFinding) -> BTreeMap<&str, &str> {
    finding.evidence.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

#[test]
fn rules_built_against_contracts_0_1_0_2_and_0_3_0_still_run_beside_0_3_2_rules() {
    let legacy = test_rule_dir(&["legacy_v0_1_rule", "legacy_v0_2_rule", "legacy_v0_3_0_rule"]);
    // What each was built against, as its component names it.
    let names = |file: &str| -> BTreeSet<String> {
        let bytes = std::fs::read(legacy.path().join(file)).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        text.match_indices("keyaudit:rules/").map(|(at, _)| text[at..].chars().take(40).collect()).collect()
    };
    let built_030 = names("legacy_v0_3_0_rule.wasm");
    assert!(built_030.iter().any(|n| n.starts_with("keyaudit:rules/rule@0.3.0")), "{built_030:?}");
    assert!(built_030.iter().any(|n| n.starts_with("keyaudit:rules/kms-key@0.3.0")), "{built_030:?}");
    assert!(built_030.iter().all(|n| !n.contains("@0.3.") || n.contains("@0.3.0")), "{built_030:?}");
    let builtin = support::fresh::builtin_rules().join("kms-rotation-enabled.wasm");
    let text = String::from_utf8_lossy(&std::fs::read(builtin).unwrap()).into_owned();
    assert!(text.contains("keyaudit:rules/rule@0.3.2"), "the built-in rules are built against 0.3.2");

    let mut config = config(vec![legacy.path().to_owned()], true);
    config.enable = ["legacy-v0-1", "legacy-v0-2", "legacy-v0-3-0", "kms-rotation-enabled"].map(String::from).to_vec();
    let engine = RuleEngine::load(&config).expect("0.1, 0.2 and 0.3.0 rules load");
    let contracts: BTreeMap<&str, &str> = engine.rules().map(|r| (r.id.as_str(), r.contract)).collect();
    assert_eq!(
        contracts,
        BTreeMap::from([
            ("legacy-v0-1", "0.1"),
            ("legacy-v0-2", "0.2"),
            ("legacy-v0-3-0", "0.3"),
            ("kms-rotation-enabled", "0.3")
        ])
    );

    let account = "111111111111";
    let rotated = support::kms_key(account, "rotated", 0);
    let mut unrotated = key(account);
    unrotated.tags = Some(BTreeMap::from([("team".into(), "payments".into()), ("tier".into(), "web".into())]));
    let keys = [unrotated, rotated.clone()];
    let findings = evaluate_keys(&engine, account, &keys);
    let legacy: Vec<&RuleFinding> = findings.iter().filter(|f| f.rule_id == "legacy-v0-1").collect();
    let verdict = |arn: &str| legacy.iter().find(|f| f.resource_id.as_deref() == Some(arn)).copied();

    let unrotated = verdict(&keys[0].key_arn).expect("a finding for the unrotated key");
    assert_eq!(unrotated.status, Status::Fail);
    assert_eq!(unrotated.message, "CUSTOMER key, state Enabled", "0.1 gets AWS enum values as strings");
    assert_eq!(unrotated.region.as_deref(), Some(keys[0].region.as_str()));
    assert_eq!(evidence(unrotated)["tags"], "2", "0.1 gets every field");
    assert_eq!(verdict(&rotated.key_arn).expect("a finding for the rotated key").status, Status::Pass);
    let scope = legacy.iter().find(|f| f.subject.as_deref() == Some("scope")).expect("the scope finding");
    assert_eq!(scope.message, "2 organisation accounts", "0.1 gets the organisation's account list");

    let current: BTreeSet<(Status, Option<&str>)> = findings
        .iter()
        .filter(|f| f.rule_id == "kms-rotation-enabled")
        .map(|f| (f.status, f.resource_id.as_deref()))
        .collect();
    let expected = [(Status::Fail, Some(keys[0].key_arn.as_str())), (Status::Pass, Some(rotated.key_arn.as_str()))];
    assert_eq!(current, BTreeSet::from(expected), "the 0.3 rule ran beside them");

    let v0_2: BTreeMap<&str, (Status, BTreeMap<&str, &str>)> = findings
        .iter()
        .filter(|f| f.rule_id == "legacy-v0-2")
        .map(|f| (f.resource_id.as_deref().unwrap_or_default(), (f.status, evidence(f))))
        .collect();
    let (status, fields) = &v0_2[keys[0].key_arn.as_str()];
    assert_eq!(*status, Status::Fail, "the 0.2 rule judges the unrotated key");
    assert_eq!(fields["tags"], "true", "0.2 gets the group it asked for");
    assert_eq!((fields["key_policy"], fields["arn"]), ("false", "false"), "and no other");
    assert_eq!(v0_2[rotated.key_arn.as_str()].0, Status::Pass);

    let v0_3_0: BTreeMap<&str, (Status, BTreeMap<&str, &str>)> = findings
        .iter()
        .filter(|f| f.rule_id == "legacy-v0-3-0")
        .map(|f| (f.resource_id.as_deref().unwrap_or_default(), (f.status, evidence(f))))
        .collect();
    assert_eq!(v0_3_0.len(), 2, "the 0.3.0 rule judges both keys: {v0_3_0:?}");
    assert_eq!(v0_3_0[keys[0].key_arn.as_str()].0, Status::Fail);
    assert_eq!(v0_3_0[rotated.key_arn.as_str()].0, Status::Pass);
    assert_eq!(v0_3_0[rotated.key_arn.as_str()].1["arn"], "true", "0.3.0 gets the group it asked for");
}

#[test]
fn a_rule_gets_only_the_optional_key_fields_it_asks_for() {
    let probe = test_rule_dir(&["fields_probe_rule"]);
    let engine = RuleEngine::load(&config(vec![probe.path().to_owned()], false)).unwrap();
    let account = "111111111111";
    let mut key = key(account);
    key.aliases = Some(vec!["alias/app".into()]);
    key.tags = Some(BTreeMap::from([("team".into(), "payments".into())]));
    assert!(key.key_policy.is_some(), "the sample key has a policy");
    let findings = evaluate_keys(&engine, account, &[key.clone()]);

    let probed = findings.iter().find(|f| f.resource_id.as_deref() == Some(key.key_arn.as_str())).unwrap();
    let expected = [
        ("aliases", "false"),
        ("arn", "false"),
        ("description", "false"),
        ("grants", "false"),
        ("key_policy", "false"),
        ("multi_region_configuration", "false"),
        ("tags", "true"),
    ];
    assert_eq!(evidence(probed), BTreeMap::from(expected), "only the tags group, as declared");

    let membership = findings.iter().find(|f| f.subject.as_deref() == Some("organisation")).unwrap();
    assert_eq!(evidence(membership), BTreeMap::from([("self", "true"), ("stranger", "false")]));
}

#[test]
fn blocking_calls_deep_stacks_exits_and_control_characters_are_contained() {
    let hostile = rule_dir(&["sleep_rule", "stack_rule", "exit_rule", "newline_rule", "subject_rule"]);
    let mut config = config(vec![hostile.path().to_owned()], true);
    config.enable = ["hostile-sleep", "hostile-stack", "hostile-exit", "hostile-newline", "hostile-subject"]
        .into_iter()
        .chain(["kms-rotation-enabled"])
        .map(String::from)
        .collect();
    let engine = RuleEngine::load(&config).unwrap();
    let started = std::time::Instant::now();
    let findings = evaluate(&engine, "111111111111");
    let elapsed = started.elapsed();
    // Five rules at most at their 2 s budget; a sleep that blocked would take an hour.
    assert!(elapsed < std::time::Duration::from_secs(30), "evaluation took {elapsed:?}: a sleep blocked");

    let error = |rule: &str| {
        let finding = only(&findings, rule);
        assert_eq!(finding.status, Status::Error, "{finding:#?}");
        finding.message.clone()
    };
    assert!(error("hostile-sleep").contains("exceeded its time budget of 2000 ms"));
    let stack = error("hostile-stack");
    assert!(stack.starts_with("rule hostile-stack overflowed its stack"), "root cause first: {stack}");
    let exit = error("hostile-exit");
    assert!(exit.starts_with("rule hostile-exit exited with status 1"), "root cause first: {exit}");
    let subject = error("hostile-subject");
    assert!(subject.contains("subject is longer than 256 bytes"), "{subject}");
    assert!(subject.len() < 2000, "the subject is not echoed back: {} bytes", subject.len());
    let newline = error("hostile-newline");
    assert!(!newline.chars().any(char::is_control), "control characters escaped: {newline:?}");
    assert!(newline.contains(r"bad input\n2026-12-01T00:00:00Z  INFO") && newline.contains(r"\u{1b}[2J"), "{newline}");
    assert_eq!(only(&findings, "kms-rotation-enabled").status, Status::Fail, "the well-behaved rule still ran");
}

#[test]
fn nothing_of_one_accounts_evaluation_reaches_the_next() {
    // One engine, so the pooled sandbox slots (and their copy-on-write
    // memory images) are reused from account to account.
    let hostile = rule_dir(&["memory_rule"]);
    let engine = RuleEngine::load(&config(vec![hostile.path().to_owned()], false)).unwrap();
    for account in ["111111111111", "222222222222", "111111111111", "333333333333"] {
        let findings = evaluate(&engine, account);
        let finding = only(&findings, "hostile-memory");
        let left: BTreeMap<&str, &str> = evidence(finding);
        assert_eq!(
            left,
            BTreeMap::from([("calls", "1"), ("earlier_accounts", ""), ("previous_account", "initial"), ("keys", "1")]),
            "{account}: a fresh instance, from the pristine image, every time"
        );
    }
}

#[test]
fn rules_observe_neither_randomness_nor_time() {
    let hostile = rule_dir(&["entropy_rule"]);
    let seen = |evaluated_at: i64| {
        let engine = RuleEngine::load(&config(vec![hostile.path().to_owned()], false)).unwrap();
        let account = Account {
            account_id: "111111111111".into(),
            account_name: "a".into(),
            ou_path: "Root".into(),
            ou_id_path: String::new(),
            org_id: "o-1".into(),
        };
        let organisation = Arc::new(BTreeSet::new());
        let findings = engine.evaluate(&AccountInput {
            account: &account,
            organisation: &organisation,
            regions: &["us-east-1".to_owned()],
            inventory: &Arc::new(Inventory::default()),
            shared: &Arc::new(Inventory::default()),
            gaps: &[],
            evaluated_at,
        });
        let finding = only(&findings, "hostile-entropy");
        assert_eq!(finding.status, Status::Info, "{finding:#?}");
        finding.evidence.iter().cloned().collect::<BTreeMap<String, String>>()
    };
    let first = seen(1_800_000_000_123);
    assert_eq!(first["wall_ms"], "1800000000123", "the wall clock reads the evaluation time");
    assert_eq!(first["elapsed_ns"], "0", "the monotonic clock stands still");
    let second = seen(1_800_000_000_123);
    assert_eq!(first, second, "two runs, two sandboxes, one result: no entropy");
}

#[test]
fn loading_survives_printing_and_sleeping_metadata_inside_an_async_runtime() {
    let hostile = rule_dir(&["metaprint_rule"]);
    let config = config(vec![hostile.path().to_owned()], false);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let started = std::time::Instant::now();
    let engine = runtime.block_on(async { RuleEngine::load(&config) }).expect("loads from an async context");
    assert!(started.elapsed() < std::time::Duration::from_secs(30), "metadata's sleep did not block");
    assert_eq!(only(&evaluate(&engine, "111111111111"), "hostile-metaprint").status, Status::Pass);

    // `rules list` too, as a user runs it.
    let dir = hostile.path().to_str().unwrap();
    let listed = support::keyaudit(None, &["rules", "list", "--rules", dir, "--no-builtin-rules"], &[]);
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    assert!(listed.stdout.contains("hostile-metaprint"), "{}", listed.stdout);
    assert!(!listed.stdout.contains("hello from metadata"), "a rule's output stays in its sandbox: {}", listed.stdout);
}

#[test]
fn oversized_metadata_and_wrongly_typed_exports_fail_loading_clearly() {
    let big = rule_dir(&["bigmeta_rule"]);
    let err = RuleEngine::load(&config(vec![big.path().to_owned()], false)).err().unwrap().to_string();
    assert!(err.contains("hostile_bigmeta_rule.wasm"), "names the file: {err}");
    assert!(err.contains("the title is 16777216 bytes") && err.contains("limit of 256"), "{err}");
    assert!(err.len() < 500, "one line, not the title: {} bytes", err.len());

    let wrong = rule_dir(&["wrongtypes_rule"]);
    let err = RuleEngine::load(&config(vec![wrong.path().to_owned()], false)).err().unwrap().to_string();
    assert!(err.contains("hostile_wrongtypes_rule.wasm"), "names the file: {err}");
    assert!(!err.contains("trapped"), "a type mismatch is not a trap: {err}");
    assert!(err.contains("type"), "says what is wrong: {err}");
}

#[test]
fn a_careless_rule_cannot_turn_unread_data_into_a_verdict() {
    let naive = rule_dir(&["naive_rule"]);
    let legacy = test_rule_dir(&["legacy_v0_1_rule"]);
    let mut config = config(vec![naive.path().to_owned(), legacy.path().to_owned()], true);
    config.enable = ["hostile-naive", "legacy-v0-1", "kms-key-not-public"].map(String::from).to_vec();
    let engine = RuleEngine::load(&config).unwrap();

    let account = "111111111111";
    let read = support::kms_key(account, "read", 0);
    let mut grants_unread = support::kms_key(account, "grants-unread", 0);
    grants_unread.grants = None;
    grants_unread.unread = vec!["kms:ListGrants".into()];
    let mut undescribed = support::kms_key(account, "undescribed", 0);
    undescribed.key_manager = None;
    undescribed.key_state = None;
    undescribed.enabled = None;
    undescribed.unread =
        ["kms:DescribeKey", "kms:GetKeyRotationStatus", "kms:ListKeyRotations", "kms:ListResourceTags"]
            .map(String::from)
            .to_vec();
    let keys = [read.clone(), grants_unread.clone(), undescribed.clone()];
    let organisation = Arc::new(BTreeSet::from([account.to_owned()]));
    let identity = Account {
        account_id: account.into(),
        account_name: "a".into(),
        ou_path: "Root".into(),
        ou_id_path: String::new(),
        org_id: "o-1".into(),
    };
    let gaps = [keyaudit::inventory::ListingGap {
        region: "eu-west-1".into(),
        kind: "kms-key".into(),
        cause: "kms:ListKeys (ThrottlingException)".into(),
    }];
    let inventory = Arc::new(Inventory::from_records(keys.to_vec()));
    let findings = engine.evaluate(&AccountInput {
        account: &identity,
        organisation: &organisation,
        regions: &["us-east-1".to_owned(), "eu-west-1".to_owned()],
        inventory: &inventory,
        shared: &Arc::new(Inventory::default()),
        gaps: &gaps,
        evaluated_at: 0,
    });
    let status = |rule: &str, key: Option<&KmsKey>| -> Vec<Status> {
        findings
            .iter()
            .filter(|f| {
                f.rule_id == rule && f.resource_id.as_deref() == key.map(|k| k.key_arn.as_str()) && f.subject.is_none()
            })
            .map(|f| f.status)
            .collect()
    };
    // The careless 0.2 rule: PASS where it could see, ERROR where it could not.
    assert_eq!(status("hostile-naive", Some(&read)), [Status::Pass]);
    assert_eq!(status("hostile-naive", Some(&grants_unread)), [Status::Error], "{findings:#?}");
    assert_eq!(status("hostile-naive", Some(&undescribed)), [Status::Error]);
    assert_eq!(status("hostile-naive", None), [Status::Error], "eu-west-1 was not listed: no account verdict");
    let voided = findings
        .iter()
        .find(|f| f.rule_id == "hostile-naive" && f.resource_id.as_deref() == Some(&grants_unread.key_arn))
        .unwrap();
    assert!(voided.message.contains("kms:ListGrants could not be read"), "{}", voided.message);
    // A 0.1 rule may read anything, so any unread API voids its verdict.
    assert_eq!(status("legacy-v0-1", Some(&read)), [Status::Pass]);
    assert_eq!(status("legacy-v0-1", Some(&grants_unread)), [Status::Error]);
    // A rule that reads the policy but not the grants is not affected by them.
    assert_eq!(status("kms-key-not-public", Some(&grants_unread)), [Status::Pass]);
    // One that could not tell what the key is still accounts for it.
    assert_eq!(status("kms-key-not-public", Some(&undescribed)), [Status::Error]);
}

#[test]
fn a_flood_of_findings_is_streamed_not_held_and_memory_stays_bounded() {
    // Every account gets 5,000 findings of 4 KB (20 MB) from one rule. They
    // go to the spool a rule's batch at a time, so keyaudit's peak memory
    // depends on the batches in flight, not on how many accounts there are
    // (measured: 185-261 MiB at 8 accounts, 305-335 MiB at 32).
    let flood = rule_dir(&["flood_rule"]);
    let peak = |extra_accounts: usize| {
        let org = support::org(&["--extra-accounts", &extra_accounts.to_string()]);
        let out = org.dir.path().join("out");
        let (run, peak) = support::keyaudit_peak_memory(
            Some(&org.endpoint),
            &[
                "scan",
                "--regions",
                "us-east-1",
                "--no-builtin-rules",
                "--rules",
                flood.path().to_str().unwrap(),
                "-o",
                out.to_str().unwrap(),
                "--summary-json",
            ],
            &[],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        let summary = run.summary();
        let accounts = summary["accounts"].as_array().unwrap().len() as u64;
        assert_eq!(summary["run"]["findings_info"], accounts * 5000, "every finding was written");
        eprintln!("{accounts} accounts, {} MB of findings: peak RSS {} MiB", accounts * 20, peak >> 20);
        peak
    };
    // 64 accounts: 1.28 GB of findings, written through a few 20 MB batches.
    // Holding them per account in flight (16 at once) would need > 600 MiB.
    let many = peak(60);
    assert!(many < 512 << 20, "peak RSS {} MiB for 1,280 MB of findings: they were held, not streamed", many >> 20);
}

/// A rule's ERROR findings are findings, not a failed run: a complete scan
/// with a rule that traps in every account still exits 0 (README, "Exit status").
#[test]
fn rule_errors_do_not_change_the_exit_status() {
    let org = support::org(&[]);
    let hostile = rule_dir(&["panic_rule"]);
    let out = org.dir.path().join("out");
    let run = support::keyaudit(
        Some(&org.endpoint),
        &[
            "scan",
            "--regions",
            "us-east-1",
            "--rules",
            hostile.path().to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--summary-json",
        ],
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let summary = run.summary();
    assert_eq!(summary["run"]["complete"], true);
    let errors = &summary["findings_by_rule"]["hostile-panic"]["error"];
    assert_eq!(
        errors.as_u64(),
        Some(org.manifest.active_accounts().count() as u64),
        "one ERROR per account: {summary}"
    );
}
