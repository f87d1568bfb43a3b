//! Key-evaluations per second through the WebAssembly rules, beside the same
//! logic in native Rust, over 100,000 synthetic keys in 100 accounts.
//!
//! Run with `cargo bench --bench rule_throughput` after `make rules`. It prints
//! figures; it asserts nothing. The WASM figure per rule is what each rule
//! costs in a scan: a fresh sandboxed instance per account, moving records in
//! and findings out, and output validation. Building the records shared by
//! all rules happens once per account and is reported on its own. The native
//! baselines work on the host's records directly and build the same findings;
//! kms-key-not-public uses the rule SDK's own policy parser natively.
//!
//! `BENCH_RULE=<id>` runs one rule; `BENCH_WASM_ROUNDS=<n>` repeats the WASM
//! part, for a cleaner profile (`perf record`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use keyaudit::config::RulesConfig;
use keyaudit::inventory::Account;
use keyaudit::kinds::Inventory;
use keyaudit::kinds::kms_key::KmsKey;
use keyaudit::rules::{AccountInput, RuleEngine, RuleFinding, Status};
use keyaudit_rule_sdk::policy;

const KEYS: usize = 100_000;
const ACCOUNTS: usize = 100;
const ROUNDS: usize = 5;

fn key(account: usize, n: usize) -> KmsKey {
    let account_id = format!("{:012}", 100_000_000_000 + account);
    let key_id = format!("{n:08x}-0000-4000-8000-000000000000");
    let public = n.is_multiple_of(17);
    let principal =
        if public { "\"*\"".to_owned() } else { format!("{{\"AWS\":\"arn:aws:iam::{account_id}:role/app\"}}") };
    KmsKey {
        run_id: "bench".into(),
        account_id: account_id.clone(),
        account_name: format!("account-{account}"),
        ou_path: "Root/Workloads".into(),
        org_id: "o-bench".into(),
        region: if n.is_multiple_of(2) { "us-east-1".into() } else { "eu-west-1".into() },
        key_arn: format!("arn:aws:kms:us-east-1:{account_id}:key/{key_id}"),
        key_id,
        aliases: Some(vec![format!("alias/app-{n}")]),
        description: Some("benchmark key".into()),
        key_manager: Some(if n.is_multiple_of(10) { "AWS" } else { "CUSTOMER" }.into()),
        key_state: Some(if n.is_multiple_of(13) { "Disabled" } else { "Enabled" }.into()),
        enabled: Some(!n.is_multiple_of(13)),
        key_usage: Some("ENCRYPT_DECRYPT".into()),
        key_spec: Some(if n.is_multiple_of(7) { "RSA_2048" } else { "SYMMETRIC_DEFAULT" }.into()),
        origin: Some("AWS_KMS".into()),
        multi_region: Some(false),
        multi_region_key_type: None,
        multi_region_primary_arn: None,
        multi_region_replica_arns: Some(vec![]),
        creation_date: Some(1_700_000_000_000),
        deletion_date: None,
        pending_deletion_window_days: None,
        valid_to: None,
        rotation_enabled: Some(!n.is_multiple_of(3)),
        rotation_period_days: Some(365),
        next_rotation_date: None,
        last_rotation_date: None,
        rotation_count: Some(0),
        last_used_date: None,
        key_policy: Some(format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"Root","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{account_id}:root"}},"Action":"kms:*","Resource":"*"}},{{"Sid":"Use","Effect":"Allow","Principal":{principal},"Action":["kms:Encrypt","kms:Decrypt"],"Resource":"*"}}]}}"#
        )),
        grants: Some(vec![]),
        tags: Some(BTreeMap::from([("tier".to_owned(), "app".to_owned())])),
        unread: vec![],
        collected_at: 1_700_000_000_000,
    }
}

/// A rule's logic in native Rust over one account's keys.
type Native = fn(&[KmsKey]) -> Vec<RuleFinding>;

/// kms-rotation-enabled, natively: the rule's logic on the host's records.
fn native_rotation(keys: &[KmsKey]) -> Vec<RuleFinding> {
    keys.iter()
        .filter(|k| {
            k.key_manager.as_deref() == Some("CUSTOMER")
                && k.key_state.as_deref() == Some("Enabled")
                && k.key_spec.as_deref() == Some("SYMMETRIC_DEFAULT")
                && k.origin.as_deref() == Some("AWS_KMS")
        })
        .map(|k| {
            let (status, message, evidence) = match k.rotation_enabled {
                Some(true) => (Status::Pass, "automatic rotation is enabled", vec![]),
                Some(false) => (
                    Status::Fail,
                    "automatic rotation is disabled",
                    vec![("rotation_enabled".to_owned(), "false".to_owned())],
                ),
                None => (Status::Error, "the rotation status could not be read", vec![]),
            };
            finding("kms-rotation-enabled", k, status, message, evidence)
        })
        .collect()
}

/// kms-key-not-public, natively: the rule's logic with the same SDK helpers
/// (policy parsing, public-statement test, evidence) on the host's records.
fn native_not_public(keys: &[KmsKey]) -> Vec<RuleFinding> {
    keys.iter()
        .filter(|k| k.key_manager.as_deref() == Some("CUSTOMER"))
        .map(|k| {
            let statements = k.key_policy.as_deref().map(policy::parse);
            let Some(Ok(statements)) = statements else {
                return finding("kms-key-not-public", k, Status::Error, "the key policy could not be read", vec![]);
            };
            let public: Vec<String> = statements
                .iter()
                .filter(|s| s.is_public_allow())
                .map(|s| {
                    let who = s.principals.iter().map(policy::principal_name).collect::<Vec<_>>().join(",");
                    format!("{} ({who}: {})", s.sid.as_deref().unwrap_or("no Sid"), s.actions.join(","))
                })
                .collect();
            if public.is_empty() {
                finding("kms-key-not-public", k, Status::Pass, "the key policy allows no public access", vec![])
            } else {
                let evidence = vec![("public_statements".to_owned(), public.join("; "))];
                finding("kms-key-not-public", k, Status::Fail, "the key policy allows anyone to use the key", evidence)
            }
        })
        .collect()
}

fn finding(rule: &str, k: &KmsKey, status: Status, message: &str, evidence: Vec<(String, String)>) -> RuleFinding {
    RuleFinding {
        rule_id: rule.to_owned(),
        status,
        message: message.to_owned(),
        resource_id: Some(k.key_arn.clone()),
        resource_type: "kms-key",
        subject: None,
        region: Some(k.region.clone()),
        evidence,
    }
}

fn best_of(rounds: usize, mut run: impl FnMut() -> usize) -> (Duration, usize) {
    (0..rounds)
        .map(|_| {
            let started = Instant::now();
            let findings = run();
            (started.elapsed(), findings)
        })
        .min_by_key(|(elapsed, _)| *elapsed)
        .unwrap_or_default()
}

fn main() {
    let rules_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/rules");
    if !rules_dir.join("kms-rotation-enabled.wasm").exists() {
        eprintln!("built-in rules missing in {}: run `make rules` first", rules_dir.display());
        std::process::exit(1);
    }
    let per_account = KEYS / ACCOUNTS;
    let accounts: Vec<(Account, Vec<KmsKey>)> = (0..ACCOUNTS)
        .map(|a| {
            let keys: Vec<KmsKey> = (0..per_account).map(|n| key(a, a * per_account + n)).collect();
            let account = Account {
                account_id: keys[0].account_id.clone(),
                account_name: keys[0].account_name.clone(),
                ou_path: "Root/Workloads".into(),
                ou_id_path: String::new(),
                org_id: "o-bench".into(),
            };
            (account, keys)
        })
        .collect();
    let inventories: Vec<Arc<Inventory>> =
        accounts.iter().map(|(_, keys)| Arc::new(Inventory::from_records(keys.clone()))).collect();
    let organisation = Arc::new(accounts.iter().map(|(a, _)| a.account_id.clone()).collect::<BTreeSet<_>>());
    let regions = vec!["us-east-1".to_owned(), "eu-west-1".to_owned()];

    // More WASM rounds make a profile of the WASM path cleaner: BENCH_WASM_ROUNDS=50 perf record …
    let wasm_rounds = std::env::var("BENCH_WASM_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(ROUNDS);
    println!("rule throughput: {KEYS} keys in {ACCOUNTS} accounts, best of {ROUNDS} rounds, one thread");
    println!("{:<26} {:>14} {:>14} {:>9}", "rule", "WASM keys/s", "native keys/s", "ratio");
    let mut conversion = Duration::MAX;
    let natives: BTreeMap<&str, Native> = BTreeMap::from([
        ("kms-rotation-enabled", native_rotation as Native),
        ("kms-key-not-public", native_not_public),
    ]);
    // The rules with a native baseline first, then every other built-in rule (WASM only).
    let mut rules: Vec<String> = natives.keys().map(|id| id.to_string()).collect();
    let mut others: Vec<String> = std::fs::read_dir(&rules_dir)
        .expect("read the built-in rules folder")
        .filter_map(|entry| entry.ok()?.path().file_stem()?.to_str().map(str::to_owned))
        .filter(|id| !natives.contains_key(id.as_str()))
        .collect();
    others.sort();
    rules.extend(others);
    for rule in &rules {
        let rule = rule.as_str();
        if std::env::var("BENCH_RULE").is_ok_and(|only| only != rule) {
            continue;
        }
        let config = RulesConfig {
            builtin_dir: Some(rules_dir.clone()),
            enable: vec![rule.to_owned()],
            time_budget_ms: 60_000,
            memory_limit_mb: 1024,
            max_findings: KEYS,
            ..RulesConfig::default()
        };
        let engine = RuleEngine::load(&config).unwrap_or_else(|e| panic!("loading {rule}: {e}"));
        let inputs: Vec<AccountInput> = accounts
            .iter()
            .zip(&inventories)
            .map(|((account, _), inventory)| AccountInput {
                account,
                organisation: &organisation,
                regions: &regions,
                inventory,
                gaps: &[],
                evaluated_at: 1_800_000_000_000,
            })
            .collect();
        let (prepare_time, _) = best_of(ROUNDS, || {
            for input in &inputs {
                std::hint::black_box(engine.prepare(input));
            }
            inputs.len()
        });
        let prepared: Vec<_> = inputs.iter().map(|i| engine.prepare(i)).collect();
        let (wasm_time, wasm_findings) = best_of(wasm_rounds, || {
            prepared
                .iter()
                .map(|account| {
                    let findings = engine.evaluate_prepared(account);
                    assert!(findings.iter().all(|f| f.status != Status::Error), "{rule}: {:?}", findings.first());
                    findings.len()
                })
                .sum()
        });
        conversion = conversion.min(prepare_time);
        let rate = |elapsed: Duration| KEYS as f64 / elapsed.as_secs_f64();
        let Some(native) = natives.get(rule) else {
            println!("{rule:<26} {:>14.0} {:>14} {:>9}", rate(wasm_time), "-", "-");
            continue;
        };
        let nothing = Arc::new(Inventory::default());
        let empty: Vec<_> =
            inputs.iter().map(|i| engine.prepare(&AccountInput { inventory: &nothing, ..*i })).collect();
        let (empty_time, _) = best_of(ROUNDS, || empty.iter().map(|a| engine.evaluate_prepared(a).len()).sum());
        let per_account = empty_time.as_secs_f64() * 1e6 / ACCOUNTS as f64;
        println!("  {rule}: {per_account:.1} us per account before any key (fresh sandbox and call)");
        let (native_time, native_findings) =
            best_of(ROUNDS, || accounts.iter().map(|(_, keys)| std::hint::black_box(native(keys)).len()).sum());
        assert_eq!(wasm_findings, native_findings, "{rule}: WASM and native agree on the number of findings");
        println!(
            "{rule:<26} {:>14.0} {:>14.0} {:>8.2}x",
            rate(wasm_time),
            rate(native_time),
            wasm_time.as_secs_f64() / native_time.as_secs_f64()
        );
    }
    println!(
        "records shared by all rules, built once per account: {:.0} keys/s ({:.1} ms for {KEYS} keys)",
        KEYS as f64 / conversion.as_secs_f64(),
        conversion.as_secs_f64() * 1000.0
    );
}
