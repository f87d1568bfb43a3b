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
//! Every account also holds certificates, secrets, parameters, IAM server
//! certificates, IAM policies and CloudTrail trails, so every rule is timed; a rule's rate counts
//! the resources of the kinds it reads.
//!
//! Then the example rules in Python, JavaScript and C (`make example-rules`),
//! beside a Rust rule of the same shape: what one costs per account, with
//! each instance's memory mapped copy-on-write from the compiled rule and
//! only touched pages reset (what scans do) and, side by side, copied in
//! (`Tuning::copied_memory`, what keyaudit did before).
//!
//! `BENCH_RULES=<folder>` takes the rules from there instead of target/rules.
//! `BENCH_RULE=<id>` runs one rule; `BENCH_WASM_ROUNDS=<n>` repeats the WASM
//! part, for a cleaner profile (`perf record`). `BENCH_COMPARE=<folder>` also
//! runs the rules of the same ids found there (such as the contract 0.2 build
//! from `host/benches/build-rules-at.sh`) in the same run, side by side.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use keyaudit::config::RulesConfig;
use keyaudit::inventory::Account;
use keyaudit::kinds::Inventory;
use keyaudit::kinds::acm_certificate::AcmCertificate;
use keyaudit::kinds::cloudtrail_trail::CloudTrailTrail;
use keyaudit::kinds::iam_policy::{IamPolicy, KmsStatement};
use keyaudit::kinds::iam_server_certificate::IamServerCertificate;
use keyaudit::kinds::kms_key::KmsKey;
use keyaudit::kinds::secret::Secret;
use keyaudit::kinds::ssm_parameter::SsmParameter;
use keyaudit::rules::{AccountInput, RuleEngine, RuleFinding, Status, Tuning};
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
        last_used_operation: None,
        last_used_event_id: None,
        usage_tracked_since: None,
        key_policy: Some(format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"Root","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{account_id}:root"}},"Action":"kms:*","Resource":"*"}},{{"Sid":"Use","Effect":"Allow","Principal":{principal},"Action":["kms:Encrypt","kms:Decrypt"],"Resource":"*"}}]}}"#
        )),
        grants: Some(vec![]),
        tags: Some(BTreeMap::from([("tier".to_owned(), "app".to_owned())])),
        unread: vec![],
        collected_at: 1_700_000_000_000,
    }
}

/// Resources of each kind beyond KMS keys, per account.
const OTHERS_PER_ACCOUNT: usize = 100;

/// One account's certificates, secrets, parameters, server certificates and policies.
fn estate(account_id: &str, inventory: &mut Inventory) {
    let scope = |n: usize| {
        (
            "bench".to_owned(),
            account_id.to_owned(),
            "bench".to_owned(),
            "Root/Workloads".to_owned(),
            "o-bench".to_owned(),
            if n.is_multiple_of(2) { "us-east-1" } else { "eu-west-1" }.to_owned(),
        )
    };
    let now = 1_800_000_000_000;
    let day = 86_400_000;
    let certificates = (0..OTHERS_PER_ACCOUNT)
        .map(|n| {
            let (run_id, account_id, account_name, ou_path, org_id, region) = scope(n);
            AcmCertificate {
                certificate_arn: format!("arn:aws:acm:{region}:{account_id}:certificate/{n:08x}-0000-4000-8000-0000"),
                run_id,
                account_id,
                account_name,
                ou_path,
                org_id,
                region,
                domain_name: Some(format!("app{n}.example.com")),
                subject_alternative_names: Some(vec![format!("app{n}.example.com")]),
                status: Some(if n.is_multiple_of(9) { "PENDING_VALIDATION" } else { "ISSUED" }.into()),
                certificate_type: Some(if n.is_multiple_of(3) { "IMPORTED" } else { "AMAZON_ISSUED" }.into()),
                issuer: Some("Amazon".into()),
                serial: None,
                not_before: Some(now - 30 * day),
                not_after: Some(now + (n as i64 % 90) * day),
                key_algorithm: Some(if n.is_multiple_of(11) { "RSA_1024" } else { "RSA_2048" }.into()),
                signature_algorithm: Some("SHA256WITHRSA".into()),
                in_use_by: Some(vec![]),
                renewal_eligibility: Some("ELIGIBLE".into()),
                renewal_status: None,
                renewal_status_reason: None,
                transparency_logging: Some("ENABLED".into()),
                validation_methods: Some(vec!["DNS".into()]),
                failure_reason: None,
                created_at: Some(now - 2 * day),
                imported_at: None,
                issued_at: None,
                tags: Some(BTreeMap::new()),
                unread: vec![],
                collected_at: now,
            }
        })
        .collect();
    let secrets = (0..OTHERS_PER_ACCOUNT)
        .map(|n| {
            let (run_id, account_id, account_name, ou_path, org_id, region) = scope(n);
            let policy = n.is_multiple_of(4).then(|| {
                format!(
                    r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{account_id}:role/app"}},"Action":"secretsmanager:GetSecretValue","Resource":"*"}}]}}"#
                )
            });
            Secret {
                secret_arn: format!("arn:aws:secretsmanager:{region}:{account_id}:secret:app/{n}-AbCdEf"),
                run_id,
                account_id,
                account_name,
                ou_path,
                org_id,
                region,
                name: format!("app/{n}"),
                description: None,
                kms_key_id: None,
                rotation_enabled: n.is_multiple_of(2),
                rotation_lambda_arn: None,
                rotation_every_days: Some(30),
                rotation_schedule: None,
                last_rotated_date: Some(now - (n as i64 % 120) * day),
                last_changed_date: Some(now - day),
                last_accessed_date: Some(now - (n as i64 % 100) * day),
                next_rotation_date: Some(now + day),
                deleted_date: None,
                created_date: Some(now - 400 * day),
                owning_service: None,
                primary_region: None,
                replica_regions: Some(vec![]),
                tags: BTreeMap::new(),
                has_resource_policy: Some(policy.is_some()),
                resource_policy: policy,
                unread: vec![],
                collected_at: now,
            }
        })
        .collect();
    let parameters = (0..OTHERS_PER_ACCOUNT)
        .map(|n| {
            let (run_id, account_id, account_name, ou_path, org_id, region) = scope(n);
            SsmParameter {
                parameter_arn: format!("arn:aws:ssm:{region}:{account_id}:parameter/app/{n}/db_password"),
                run_id,
                account_id,
                account_name,
                ou_path,
                org_id,
                region,
                name: format!("/app/{n}/db_password"),
                parameter_type: Some(if n.is_multiple_of(2) { "SecureString" } else { "String" }.into()),
                key_id: n.is_multiple_of(2).then(|| "alias/aws/ssm".to_owned()),
                tier: Some("Standard".into()),
                last_modified_date: Some(now),
                last_modified_user: None,
                version: 1,
                data_type: Some("text".into()),
                description: None,
                policies: vec![],
                unread: vec![],
                collected_at: now,
            }
        })
        .collect();
    let server_certificates = (0..OTHERS_PER_ACCOUNT)
        .map(|n| {
            let (run_id, account_id, account_name, ou_path, org_id, _) = scope(n);
            IamServerCertificate {
                arn: format!("arn:aws:iam::{account_id}:server-certificate/legacy-{n}"),
                run_id,
                account_id,
                account_name,
                ou_path,
                org_id,
                region: "global".into(),
                name: format!("legacy-{n}"),
                server_certificate_id: format!("ASCA{n}"),
                path: "/".into(),
                upload_date: Some(now - 100 * day),
                not_before: Some(now - 100 * day),
                not_after: Some(now + (n as i64 % 20 - 10) * day),
                key_algorithm: Some("RSA".into()),
                key_size: Some(2048),
                signature_algorithm: Some("sha256WithRSAEncryption".into()),
                subject: None,
                issuer: None,
                unread: vec![],
                collected_at: now,
            }
        })
        .collect();
    let policies = (0..OTHERS_PER_ACCOUNT)
        .map(|n| {
            let (run_id, account_id, account_name, ou_path, org_id, _) = scope(n);
            let statement = |action: &str, resource: &str| KmsStatement {
                sid: None,
                effect: "Allow".into(),
                actions: vec![action.into()],
                not_action: false,
                resources: vec![resource.into()],
                not_resource: false,
                condition: None,
            };
            IamPolicy {
                policy_arn: format!("arn:aws:iam::{account_id}:policy/app-{n}"),
                run_id,
                account_id: account_id.clone(),
                account_name,
                ou_path,
                org_id,
                region: "global".into(),
                name: format!("app-{n}"),
                policy_type: "managed".into(),
                attached_to: vec![format!("arn:aws:iam::{account_id}:role/app")],
                document: None,
                kms_statements: Some(vec![
                    statement(if n.is_multiple_of(5) { "kms:*" } else { "kms:Decrypt" }, "*"),
                    statement("kms:Encrypt", &format!("arn:aws:kms:us-east-1:{account_id}:key/k")),
                ]),
                unread: vec![],
                collected_at: now,
            }
        })
        .collect();
    let trails = (0..OTHERS_PER_ACCOUNT)
        .map(|n| {
            let (run_id, account_id, account_name, ou_path, org_id, region) = scope(n);
            CloudTrailTrail {
                trail_arn: format!("arn:aws:cloudtrail:{region}:{account_id}:trail/trail-{n}"),
                name: format!("trail-{n}"),
                home_region: Some(if n.is_multiple_of(3) { "us-west-2".into() } else { region.clone() }),
                run_id,
                account_id,
                account_name,
                ou_path,
                org_id,
                region,
                multi_region: Some(n.is_multiple_of(3)),
                organization_trail: Some(false),
                kms_key_id: n.is_multiple_of(4).then(|| "arn:aws:kms:us-east-1:111111111111:key/k".into()),
                log_file_validation: Some(true),
                s3_bucket: Some("trails".into()),
                cloudwatch_logs_group_arn: None,
                logging: Some(true),
                latest_delivery: Some(now - day),
                latest_delivery_error: None,
                management_events: Some("All".into()),
                kms_events_logged: Some(true),
                unread: vec![],
                collected_at: now,
            }
        })
        .collect();
    for set in [
        Inventory::from_records::<CloudTrailTrail>(trails),
        Inventory::from_records::<AcmCertificate>(certificates),
        Inventory::from_records::<Secret>(secrets),
        Inventory::from_records::<SsmParameter>(parameters),
        Inventory::from_records::<IamServerCertificate>(server_certificates),
        Inventory::from_records::<IamPolicy>(policies),
    ] {
        inventory.extend(set);
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

/// One rule timed over every account.
struct Timed {
    engine: RuleEngine,
    contract: &'static str,
    /// What the rule's rate counts: "keys" for KMS rules, "resources" otherwise.
    unit: &'static str,
    reads_policy: bool,
    resources: usize,
    prepare: Duration,
    wasm: Duration,
    findings: usize,
}

impl Timed {
    fn rate(&self) -> f64 {
        self.resources as f64 / self.wasm.as_secs_f64()
    }
}

/// Loads rule `rule` from `dir` and times it over `inputs`.
fn time_rule(dir: &std::path::Path, rule: &str, inputs: &[AccountInput<'_>], rounds: usize) -> Timed {
    time_tuned(dir, rule, inputs, rounds, Tuning::default())
}

/// `time_rule` with engine settings of its own.
fn time_tuned(dir: &std::path::Path, rule: &str, inputs: &[AccountInput<'_>], rounds: usize, tuning: Tuning) -> Timed {
    let config = RulesConfig {
        builtin_dir: Some(dir.to_owned()),
        enable: vec![rule.to_owned()],
        time_budget_ms: 60_000,
        memory_limit_mb: 1024,
        max_findings: KEYS,
        ..RulesConfig::default()
    };
    let engine = RuleEngine::load_tuned(&config, tuning)
        .unwrap_or_else(|e| panic!("loading {rule} from {}: {e}", dir.display()));
    let info = engine.rules().next().expect("the rule is loaded").clone();
    let resources = info.kinds().map(|kind| if kind == "kms-key" { KEYS } else { ACCOUNTS * OTHERS_PER_ACCOUNT }).sum();
    let only_kms = info.kinds().all(|k| k == "kms-key");
    let reads_policy = info.reads.iter().any(|r| r.fields.iter().any(|f| f == "key-policy"));
    let (prepare, _) = best_of(ROUNDS, || {
        for input in inputs {
            std::hint::black_box(engine.prepare(input));
        }
        inputs.len()
    });
    let prepared: Vec<_> = inputs.iter().map(|i| engine.prepare(i)).collect();
    let (wasm, findings) = best_of(rounds, || {
        prepared
            .iter()
            .map(|account| {
                let findings = engine.evaluate_prepared(account);
                assert!(findings.iter().all(|f| f.status != Status::Error), "{rule}: {:?}", findings.first());
                findings.len()
            })
            .sum()
    });
    drop(prepared);
    Timed {
        contract: info.contract,
        unit: if only_kms { "keys" } else { "resources" },
        reads_policy,
        resources,
        engine,
        prepare,
        wasm,
        findings,
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
    // BENCH_RULES=<folder> times the rules found there instead of target/rules
    // (relative to the workspace root), such as one build alone under callgrind.
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let rules_dir =
        std::env::var_os("BENCH_RULES").map_or_else(|| workspace.join("target/rules"), |dir| workspace.join(dir));
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
    let inventories: Vec<Arc<Inventory>> = accounts
        .iter()
        .map(|(account, keys)| {
            let mut inventory = Inventory::from_records(keys.clone());
            estate(&account.account_id, &mut inventory);
            Arc::new(inventory)
        })
        .collect();
    let organisation = Arc::new(accounts.iter().map(|(a, _)| a.account_id.clone()).collect::<BTreeSet<_>>());
    let regions = vec!["us-east-1".to_owned(), "eu-west-1".to_owned()];

    // More WASM rounds make a profile of the WASM path cleaner: BENCH_WASM_ROUNDS=50 perf record …
    let wasm_rounds = std::env::var("BENCH_WASM_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(ROUNDS);
    println!("rule throughput: {KEYS} keys in {ACCOUNTS} accounts, best of {ROUNDS} rounds, one thread");
    println!("{:<26} {:>14} {:>14} {:>9}", "rule", "WASM /s", "native keys/s", "ratio");
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
    // A relative BENCH_COMPARE is taken from the workspace root (cargo runs benches in host/).
    let compare_dir = std::env::var_os("BENCH_COMPARE").map(PathBuf::from).map(|dir| {
        if dir.is_relative() { PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join(dir) } else { dir }
    });
    let no_organisation = Arc::new(Inventory::default());
    let inputs: Vec<AccountInput> = accounts
        .iter()
        .zip(&inventories)
        .map(|((account, _), inventory)| AccountInput {
            account,
            organisation: &organisation,
            regions: &regions,
            inventory,
            shared: &no_organisation,
            gaps: &[],
            evaluated_at: 1_800_000_000_000,
        })
        .collect();
    let mut slowest_kms_policy_rule: Option<(String, f64)> = None;
    let mut new_kind_rates: Vec<(String, f64)> = Vec::new();
    for rule in &rules {
        let rule = rule.as_str();
        if std::env::var("BENCH_RULE").is_ok_and(|only| only != rule) {
            continue;
        }
        let mut timed = time_rule(&rules_dir, rule, &inputs, wasm_rounds);
        conversion = conversion.min(timed.prepare);
        let compared = compare_dir.as_ref().filter(|d| d.join(format!("{rule}.wasm")).exists()).map(|dir| {
            // Both builds twice, alternating, each keeping its best: drift on
            // a noisy machine then hits both alike.
            let mut other = time_rule(dir, rule, &inputs, wasm_rounds);
            timed.wasm = timed.wasm.min(time_rule(&rules_dir, rule, &inputs, wasm_rounds).wasm);
            other.wasm = other.wasm.min(time_rule(dir, rule, &inputs, wasm_rounds).wasm);
            (dir, other)
        });
        let rate = timed.rate();
        if let Some((dir, other)) = compared {
            assert_eq!(other.findings, timed.findings, "{rule}: both builds find the same");
            println!(
                "  {rule}: {:.0} {}/s as built in {} (contract {}), {:.0} as built now (contract {}): {:+.1} %",
                other.rate(),
                timed.unit,
                dir.display(),
                other.contract,
                rate,
                timed.contract,
                (rate / other.rate() - 1.0) * 100.0
            );
        }
        if timed.unit == "keys" && timed.reads_policy {
            if slowest_kms_policy_rule.as_ref().is_none_or(|(_, slowest)| rate < *slowest) {
                slowest_kms_policy_rule = Some((rule.to_owned(), rate));
            }
        } else if timed.unit != "keys" {
            new_kind_rates.push((rule.to_owned(), rate));
        }
        let Some(native) = natives.get(rule) else {
            println!("{rule:<26} {rate:>14.0} {:>14} {:>9}  ({} per second)", "-", "-", timed.unit);
            continue;
        };
        let engine = &timed.engine;
        let nothing = Arc::new(Inventory::default());
        let empty: Vec<_> =
            inputs.iter().map(|i| engine.prepare(&AccountInput { inventory: &nothing, ..*i })).collect();
        let (empty_time, _) = best_of(ROUNDS, || empty.iter().map(|a| engine.evaluate_prepared(a).len()).sum());
        let per_account = empty_time.as_secs_f64() * 1e6 / ACCOUNTS as f64;
        println!("  {rule}: {per_account:.1} us per account before any key (fresh sandbox and call)");
        let (native_time, native_findings) =
            best_of(ROUNDS, || accounts.iter().map(|(_, keys)| std::hint::black_box(native(keys)).len()).sum());
        assert_eq!(timed.findings, native_findings, "{rule}: WASM and native agree on the number of findings");
        println!(
            "{rule:<26} {rate:>14.0} {:>14.0} {:>8.2}x",
            KEYS as f64 / native_time.as_secs_f64(),
            timed.wasm.as_secs_f64() / native_time.as_secs_f64()
        );
    }
    if let Some((slowest, slowest_rate)) = &slowest_kms_policy_rule {
        println!("slowest KMS policy rule: {slowest} at {slowest_rate:.0} keys/s");
        for (rule, rate) in &new_kind_rates {
            let verdict = if rate >= slowest_rate { "faster" } else { "SLOWER" };
            println!("  {rule}: {rate:.0} resources/s, {verdict} than {slowest}");
        }
    }
    example_rules(&inputs, &rules_dir);
    println!(
        "records shared by all rules, built once per account: {:.0} keys/s ({:.1} ms for {KEYS} keys)",
        KEYS as f64 / conversion.as_secs_f64(),
        conversion.as_secs_f64() * 1000.0
    );
}

/// The example rules by language (as `make example-rules` builds them), each
/// beside the Rust rule of the same shape: one kind, one check per resource.
const EXAMPLES: [(&str, &str, &str); 4] = [
    ("Rust", "secret-rotation-enabled", "secret-rotation-enabled"),
    ("Python", "py-certificate-max-validity", "certificate-max-validity"),
    ("JavaScript", "js-secret-owner-tag", "secret-owner-tag"),
    ("C", "c-parameter-changed-recently", "parameter-changed-recently"),
];

/// Per-account cost of a rule in each language, copy-on-write memory beside copied memory.
fn example_rules(inputs: &[AccountInput<'_>], rules_dir: &std::path::Path) {
    let examples_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/example-rules");
    let rounds = ROUNDS.min(3);
    println!("rules by language, per account ({OTHERS_PER_ACCOUNT} resources of the kind; fresh sandbox each):");
    println!(
        "{:<12} {:<30} {:>10} {:>16} {:>16} {:>7}",
        "language", "rule", "component", "copy-on-write", "copied", "gain"
    );
    for (language, id, file) in EXAMPLES {
        if std::env::var("BENCH_RULE").is_ok_and(|only| only != id) {
            continue;
        }
        let dir = if language == "Rust" { rules_dir.to_owned() } else { examples_dir.clone() };
        let path = dir.join(format!("{file}.wasm"));
        let Ok(meta) = std::fs::metadata(&path) else {
            println!("{language:<12} {id:<30} missing {}: run `make example-rules`", path.display());
            continue;
        };
        let per_account = |tuning: Tuning, inputs: &[AccountInput<'_>]| {
            let timed = time_tuned(&dir, id, inputs, rounds, tuning);
            timed.wasm.as_secs_f64() * 1e3 / inputs.len() as f64
        };
        let mapped = per_account(Tuning::default(), inputs);
        let copied = per_account(Tuning::copied_memory(), inputs);
        // The same accounts with nothing in them: what a fresh sandbox and the call cost.
        let nothing = Arc::new(Inventory::default());
        let empty: Vec<AccountInput<'_>> = inputs.iter().map(|i| AccountInput { inventory: &nothing, ..*i }).collect();
        let fixed_mapped = per_account(Tuning::default(), &empty);
        let fixed_copied = per_account(Tuning::copied_memory(), &empty);
        let per_resource_us = (mapped - fixed_mapped) * 1e3 / OTHERS_PER_ACCOUNT as f64;
        println!(
            "{language:<12} {id:<30} {:>7.1} MB {:>13.3} ms {:>13.3} ms {:>6.1}x",
            meta.len() as f64 / 1e6,
            mapped,
            copied,
            copied / mapped
        );
        println!(
            "{:<12} sandbox and call alone {fixed_mapped:.3} ms ({fixed_copied:.3} ms copied, {:.1}x); \
             then {per_resource_us:.1} us per resource in the guest",
            "",
            fixed_copied / fixed_mapped
        );
    }
}
