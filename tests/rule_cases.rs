//! Every built-in rule, case by case, through the real WebAssembly host: keys
//! that must PASS, keys that must FAIL, and keys the rule does not apply to
//! (no finding at all). Rules come from target/rules, which `make test` builds.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use keyaudit::config::RulesConfig;
use keyaudit::kinds::Inventory;
use keyaudit::kinds::kms_key::{KmsGrant, KmsKey};
use keyaudit::rules::{AccountInput, RuleEngine, RuleFinding, Status};

use support::records::ACCOUNT;
const PEER: &str = "222222222222";
const EXTERNAL: &str = "999999999999";
const NOW: i64 = 1_800_000_000_000;
const DAY: i64 = 86_400_000;

pub fn rules_config(enable: &[&str]) -> RulesConfig {
    let builtin = support::fresh::builtin_rules();
    assert!(builtin.join("kms-rotation-enabled.wasm").exists(), "built-in rules missing: run `make test`");
    RulesConfig {
        builtin_dir: Some(builtin),
        enable: enable.iter().map(|s| s.to_string()).collect(),
        cache_dir: Some(support::workspace().join("target/test-rule-cache")),
        ..RulesConfig::default()
    }
}

fn engine(rule: &str, parameters: &[(&str, toml::Value)]) -> RuleEngine {
    let mut config = rules_config(&[rule]);
    if !parameters.is_empty() {
        config.parameters.insert(rule.to_owned(), parameters.iter().map(|(k, v)| (k.to_string(), v.clone())).collect());
    }
    RuleEngine::load(&config).unwrap_or_else(|e| panic!("loading {rule}: {e}"))
}

fn policy(extra: &str) -> String {
    let root = format!(
        r#"{{"Sid":"Root","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{ACCOUNT}:root"}},"Action":"kms:*","Resource":"*"}}"#
    );
    let statements = if extra.is_empty() { root } else { format!("{root},{extra}") };
    format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#)
}

/// The standard test key in the test account (see `support::kms_key`).
fn key(name: &str) -> KmsKey {
    support::kms_key(ACCOUNT, name, NOW)
}

fn with(mut key: KmsKey, change: impl FnOnce(&mut KmsKey)) -> KmsKey {
    change(&mut key);
    key
}

fn evaluate(engine: &RuleEngine, keys: &[KmsKey]) -> Vec<RuleFinding> {
    let account = support::records::test_account();
    let organisation = Arc::new(BTreeSet::from([ACCOUNT.to_owned(), PEER.to_owned()]));
    let regions = vec!["us-east-1".to_owned(), "eu-west-1".to_owned()];
    // Every region's KMS event history was read, and was quiet.
    let mut inventory = Inventory::from_records(keys.to_vec());
    inventory.extend(Inventory::from_records(regions.iter().map(|r| support::records::quiet_history(r)).collect()));
    let inventory = Arc::new(inventory);
    engine.evaluate(&AccountInput {
        account: &account,
        organisation: &organisation,
        regions: &regions,
        inventory: &inventory,
        shared: &Arc::new(Inventory::default()),
        gaps: &[],
        evaluated_at: NOW,
    })
}

/// Status per key id (the last path segment of the ARN), or per subject for account-level findings.
fn verdicts(findings: &[RuleFinding]) -> BTreeMap<String, Status> {
    findings
        .iter()
        .map(|f| {
            let name = match (&f.resource_id, &f.subject) {
                (Some(arn), _) => arn.rsplit('/').next().unwrap_or_default().to_owned(),
                (None, Some(subject)) => subject.clone(),
                (None, None) => "account".to_owned(),
            };
            (name, f.status)
        })
        .collect()
}

fn expect(rule: &str, keys: &[KmsKey], parameters: &[(&str, toml::Value)], expected: &[(&str, Status)]) {
    let findings = evaluate(&engine(rule, parameters), keys);
    let expected: BTreeMap<String, Status> = expected.iter().map(|(k, s)| (k.to_string(), *s)).collect();
    assert_eq!(verdicts(&findings), expected, "{rule}: {findings:#?}");
    assert!(findings.iter().all(|f| f.rule_id == rule && !f.message.is_empty()));
    for finding in &findings {
        // Rules leave a key finding's region to the host, which takes the key's.
        let key = keys.iter().find(|k| Some(&k.key_arn) == finding.resource_id.as_ref());
        assert_eq!(finding.region.as_ref(), key.map(|k| &k.region), "{rule}: region of {finding:#?}");
    }
}

fn aws_managed(name: &str) -> KmsKey {
    with(key(name), |k| k.key_manager = Some("AWS".into()))
}

#[test]
fn rotation_enabled_applies_only_to_symmetric_customer_keys_with_kms_material() {
    let keys = [
        key("rotated"),
        with(key("unrotated"), |k| k.rotation_enabled = Some(false)),
        with(key("rsa"), |k| {
            k.key_spec = Some("RSA_2048".into());
            k.key_usage = Some("SIGN_VERIFY".into());
            k.rotation_enabled = None;
        }),
        with(key("hmac"), |k| {
            k.key_spec = Some("HMAC_256".into());
            k.rotation_enabled = None;
        }),
        with(key("disabled"), |k| k.key_state = Some("Disabled".into())),
        with(key("imported"), |k| k.origin = Some("EXTERNAL".into())),
        with(aws_managed("aws"), |k| k.rotation_enabled = Some(false)),
        with(key("unknown"), |k| k.rotation_enabled = None),
        // A key spec newer than the contract arrives as `other` and is not judged.
        with(key("future-spec"), |k| k.key_spec = Some("FUTURE_SPEC_2030".into())),
    ];
    expect(
        "kms-rotation-enabled",
        &keys,
        &[],
        &[("rotated", Status::Pass), ("unrotated", Status::Fail), ("unknown", Status::Error)],
    );
}

#[test]
fn rotation_period_honours_max_days() {
    let keys = [
        with(key("yearly"), |k| k.rotation_period_days = Some(365)),
        with(key("biennial"), |k| k.rotation_period_days = Some(730)),
        with(key("unreported"), |k| k.rotation_period_days = None),
        with(key("off"), |k| k.rotation_enabled = Some(false)),
    ];
    expect(
        "kms-rotation-period",
        &keys,
        &[],
        &[("yearly", Status::Pass), ("biennial", Status::Fail), ("unreported", Status::Pass)],
    );
    expect(
        "kms-rotation-period",
        &keys,
        &[("max_days", toml::Value::Integer(180))],
        &[("yearly", Status::Fail), ("biennial", Status::Fail), ("unreported", Status::Fail)],
    );
}

#[test]
fn key_not_public_needs_a_restricting_condition() {
    let public = r#"{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*"}"#;
    let org_only = r#"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:Decrypt","Resource":"*",
        "Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-test"}}}"#;
    let keys = [
        key("default"),
        with(key("public"), |k| k.key_policy = Some(policy(public))),
        with(key("org-only"), |k| k.key_policy = Some(policy(org_only))),
        with(aws_managed("aws"), |k| k.key_policy = Some(policy(public))),
        with(key("unreadable"), |k| k.key_policy = None),
    ];
    expect(
        "kms-key-not-public",
        &keys,
        &[],
        &[
            ("default", Status::Pass),
            ("public", Status::Fail),
            ("org-only", Status::Pass),
            ("unreadable", Status::Error),
        ],
    );
}

#[test]
fn cross_account_access_only_to_trusted_accounts() {
    let share = |account: &str| {
        format!(
            r#"{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{account}:root"}},"Action":"kms:Decrypt","Resource":"*"}}"#
        )
    };
    let keys = [
        key("private"),
        with(key("peer"), |k| k.key_policy = Some(policy(&share(PEER)))),
        with(key("external"), |k| k.key_policy = Some(policy(&share(EXTERNAL)))),
    ];
    expect(
        "kms-cross-account-trusted",
        &keys,
        &[],
        &[("private", Status::Pass), ("peer", Status::Pass), ("external", Status::Fail)],
    );
    expect(
        "kms-cross-account-trusted",
        &keys,
        &[("trusted_accounts", toml::Value::Array(vec![EXTERNAL.into()]))],
        &[("private", Status::Pass), ("peer", Status::Pass), ("external", Status::Pass)],
    );
}

#[test]
fn not_pending_deletion() {
    let keys = [
        key("live"),
        with(key("doomed"), |k| {
            k.key_state = Some("PendingDeletion".into());
            k.deletion_date = Some(NOW + 7 * DAY);
        }),
        with(key("doomed-replica"), |k| k.key_state = Some("PendingReplicaDeletion".into())),
        with(aws_managed("aws"), |k| k.key_state = Some("PendingDeletion".into())),
    ];
    expect(
        "kms-not-pending-deletion",
        &keys,
        &[],
        &[("live", Status::Pass), ("doomed", Status::Fail), ("doomed-replica", Status::Fail)],
    );
}

#[test]
fn key_unused_tells_unused_from_unknown() {
    let tracked = |days: i64, last_used: Option<i64>| {
        move |k: &mut KmsKey| {
            k.usage_tracked_since = Some(NOW - days * DAY);
            k.last_used_date = last_used;
            k.last_used_operation = last_used.map(|_| "Decrypt".to_owned());
        }
    };
    let keys = [
        with(key("disabled"), |k| k.key_state = Some("Disabled".into())),
        with(key("recent"), tracked(300, Some(NOW - 5 * DAY))),
        with(key("idle"), tracked(300, Some(NOW - 200 * DAY))),
        with(key("never-used"), tracked(120, None)),
        // Tracked for fewer days than the threshold: use before that is unknown.
        with(key("young-history"), tracked(10, None)),
        with(key("unread"), |k| {
            (k.usage_tracked_since, k.last_used_date) = (None, None);
            k.unread = vec!["kms:GetKeyLastUsage".into()];
        }),
        with(key("doomed"), |k| k.key_state = Some("PendingDeletion".into())),
    ];
    expect(
        "kms-key-unused",
        &keys,
        &[],
        &[
            ("disabled", Status::Fail),
            ("recent", Status::Pass),
            ("idle", Status::Fail),
            ("never-used", Status::Fail),
            ("young-history", Status::Info),
            ("unread", Status::Error),
        ],
    );
    // The threshold is a parameter: 300 days of tracking without use is not
    // enough to call a key unused at 400.
    expect(
        "kms-key-unused",
        &[with(key("never-used"), tracked(300, None))],
        &[("max_idle_days", toml::Value::Integer(400))],
        &[("never-used", Status::Info)],
    );
}

#[test]
fn limited_admins_counts_principals_besides_the_root() {
    let admins = |n: usize| {
        let roles: Vec<String> = (0..n).map(|i| format!("\"arn:aws:iam::{ACCOUNT}:role/admin{i}\"")).collect();
        format!(
            r#"{{"Effect":"Allow","Principal":{{"AWS":[{}]}},"Action":["kms:Create*","kms:Put*","kms:ScheduleKeyDeletion"],"Resource":"*"}}"#,
            roles.join(",")
        )
    };
    let wildcard = r#"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:*","Resource":"*",
        "Condition":{"StringEquals":{"kms:CallerAccount":"111111111111"}}}"#;
    let users = r#"{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111111111111:role/a","arn:aws:iam::111111111111:role/b",
        "arn:aws:iam::111111111111:role/c","arn:aws:iam::111111111111:role/d"]},"Action":"kms:Decrypt","Resource":"*"}"#;
    let keys = [
        with(key("two"), |k| k.key_policy = Some(policy(&admins(2)))),
        with(key("four"), |k| k.key_policy = Some(policy(&admins(4)))),
        with(key("wildcard"), |k| k.key_policy = Some(policy(wildcard))),
        with(key("users-only"), |k| k.key_policy = Some(policy(users))),
    ];
    expect(
        "kms-limited-admins",
        &keys,
        &[],
        &[("two", Status::Pass), ("four", Status::Fail), ("wildcard", Status::Fail), ("users-only", Status::Pass)],
    );
}

#[test]
fn separate_usage_counts_policy_principals_and_grantees() {
    let users = |n: usize| {
        let roles: Vec<String> = (0..n).map(|i| format!("\"arn:aws:iam::{ACCOUNT}:role/app{i}\"")).collect();
        format!(
            r#"{{"Effect":"Allow","Principal":{{"AWS":[{}]}},"Action":["kms:Encrypt","kms:Decrypt"],"Resource":"*"}}"#,
            roles.join(",")
        )
    };
    let grant = |i: usize| KmsGrant {
        grant_id: format!("g{i}"),
        name: None,
        grantee_principal: Some(format!("arn:aws:iam::{ACCOUNT}:role/granted{i}")),
        retiring_principal: None,
        issuing_account: None,
        operations: vec!["Decrypt".into()],
        creation_date: None,
        constraints: None,
    };
    let keys = [
        with(key("few"), |k| k.key_policy = Some(policy(&users(2)))),
        with(key("many"), |k| {
            k.key_policy = Some(policy(&users(4)));
            k.grants = Some(vec![grant(1), grant(2)]);
        }),
    ];
    expect("kms-separate-usage", &keys, &[], &[("few", Status::Pass), ("many", Status::Fail)]);
}

#[test]
fn customer_keys_in_use_is_an_account_check() {
    expect("kms-customer-keys-in-use", &[key("mine"), aws_managed("aws")], &[], &[("account", Status::Pass)]);
    expect(
        "kms-customer-keys-in-use",
        &[aws_managed("aws"), with(key("off"), |k| k.key_state = Some("Disabled".into()))],
        &[],
        &[("account", Status::Fail)],
    );
    expect("kms-customer-keys-in-use", &[], &[], &[("account", Status::Fail)]);
}

#[test]
fn tier_keys_by_tag_or_alias() {
    let keys = [
        with(key("tagged"), |k| {
            k.tags.get_or_insert_default().insert("tier".into(), "app".into());
        }),
        with(key("aliased"), |k| k.aliases = Some(vec!["alias/prod-db-main".into()])),
        with(key("web-but-disabled"), |k| {
            k.tags.get_or_insert_default().insert("tier".into(), "web".into());
            k.key_state = Some("Disabled".into());
        }),
    ];
    expect(
        "kms-tier-keys-present",
        &keys,
        &[],
        &[("tier:app", Status::Pass), ("tier:database", Status::Pass), ("tier:web", Status::Fail)],
    );
}

#[test]
fn required_keys_exist_and_are_enabled() {
    let keys = [key("present"), with(key("off"), |k| k.key_state = Some("Disabled".into()))];
    expect("kms-required-keys-present", &keys, &[], &[("account", Status::Info)]);
    let required = toml::Value::Array(vec!["alias/present".into(), "alias/off".into(), "alias/missing".into()]);
    expect(
        "kms-required-keys-present",
        &keys,
        &[("required_keys", required)],
        &[
            ("required:alias/present", Status::Pass),
            ("required:alias/off", Status::Fail),
            ("required:alias/missing", Status::Fail),
        ],
    );
}

#[test]
fn key_age_counts_from_the_last_rotation() {
    let keys = [
        key("young"),
        with(key("old"), |k| k.creation_date = Some(NOW - 400 * DAY)),
        with(key("old-but-rotated"), |k| {
            k.creation_date = Some(NOW - 400 * DAY);
            k.last_rotation_date = Some(NOW - 10 * DAY);
        }),
        with(key("old-rsa"), |k| {
            k.creation_date = Some(NOW - 400 * DAY);
            k.key_spec = Some("RSA_4096".into());
        }),
    ];
    expect(
        "kms-key-age",
        &keys,
        &[],
        &[("young", Status::Pass), ("old", Status::Fail), ("old-but-rotated", Status::Pass)],
    );
}

#[test]
fn alias_naming_follows_the_pattern() {
    let keys = [
        key("good-name"),
        with(key("bad"), |k| k.aliases = Some(vec!["alias/Bad_Name".into()])),
        with(key("none"), |k| k.aliases = Some(vec![])),
        with(key("doomed"), |k| {
            k.aliases = Some(vec![]);
            k.key_state = Some("PendingDeletion".into());
        }),
    ];
    expect(
        "kms-alias-naming",
        &keys,
        &[],
        &[("good-name", Status::Pass), ("bad", Status::Fail), ("none", Status::Fail)],
    );
    expect(
        "kms-alias-naming",
        &keys,
        &[("pattern", toml::Value::String("^alias/[A-Za-z_]+$".into()))],
        &[("good-name", Status::Fail), ("bad", Status::Pass), ("none", Status::Fail)],
    );
}

#[test]
fn multi_region_primary_is_judged_with_its_replicas() {
    let primary_arn = format!("arn:aws:kms:us-east-1:{ACCOUNT}:key/mrk-1");
    let replica_arn = format!("arn:aws:kms:eu-west-1:{ACCOUNT}:key/mrk-1");
    let primary = |replica_state: &str, rotation: bool| {
        let p = with(key("mrk-1"), |k| {
            k.multi_region = Some(true);
            k.multi_region_primary_arn = Some(primary_arn.clone());
            k.multi_region_replica_arns = Some(vec![replica_arn.clone()]);
            k.rotation_enabled = Some(rotation);
        });
        let r = with(key("mrk-1"), |k| {
            k.region = "eu-west-1".into();
            k.key_arn = replica_arn.clone();
            k.multi_region = Some(true);
            k.multi_region_primary_arn = Some(primary_arn.clone());
            k.key_state = Some(replica_state.into());
        });
        [p, r]
    };
    let single = |keys: &[KmsKey]| evaluate(&engine("kms-multi-region-replicas", &[]), keys);
    let healthy = single(&primary("Enabled", true));
    assert_eq!(healthy.len(), 1, "one finding, on the primary: {healthy:#?}");
    assert_eq!((healthy[0].resource_id.as_deref(), healthy[0].status), (Some(primary_arn.as_str()), Status::Pass));
    let broken = single(&primary("Disabled", true));
    assert_eq!(broken[0].status, Status::Fail);
    assert!(broken[0].message.contains("eu-west-1"), "{}", broken[0].message);
    assert_eq!(single(&primary("Enabled", false))[0].status, Status::Fail, "rotation off on the primary");
    let plain = single(&[key("single-region")]);
    assert!(plain.is_empty(), "single-Region keys are not evaluated");
}

#[test]
fn unknown_parameter_and_wrong_type_are_named() {
    let mut config = rules_config(&["kms-key-age"]);
    config.parameters.insert("kms-key-age".into(), [("max_dayz".to_owned(), toml::Value::Integer(1))].into());
    let err = RuleEngine::load(&config).err().expect("unknown parameter").to_string();
    assert!(err.contains("rules.parameters.kms-key-age.max_dayz") && err.contains("max_days"), "{err}");
    config.parameters.insert("kms-key-age".into(), [("max_days".to_owned(), toml::Value::String("x".into()))].into());
    let err = RuleEngine::load(&config).err().expect("wrong type").to_string();
    assert!(err.contains("expected integer"), "{err}");
    let err = RuleEngine::load(&rules_config(&["kms-no-such-rule"])).err().expect("unknown id").to_string();
    assert!(err.contains("kms-no-such-rule") && err.contains("kms-key-age"), "{err}");
}

/// The built-in rules: one per folder under rules-wasm/rules.
fn builtin_rules() -> usize {
    std::fs::read_dir(support::workspace().join("rules-wasm/rules")).unwrap().count()
}

#[test]
fn selection_by_framework() {
    let mut config = rules_config(&[]);
    config.frameworks = vec!["KMS.4".into(), "kms.5".into()];
    let engine = RuleEngine::load(&config).unwrap();
    let ids: Vec<&str> = engine.rules().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["kms-key-not-public", "kms-rotation-enabled"]);
    let mut config = rules_config(&[]);
    config.disable = vec!["kms-key-age".into()];
    let engine = RuleEngine::load(&config).unwrap();
    assert_eq!(engine.rules().count(), builtin_rules() - 1);
    assert!(engine.rules().all(|r| r.id != "kms-key-age" && r.builtin));
}

#[test]
fn compiled_rules_are_cached_and_a_corrupt_entry_is_recompiled() {
    let cache = tempfile::tempdir().unwrap();
    let cache_dir = cache.path().join("rules");
    let config = RulesConfig { cache_dir: Some(cache_dir.clone()), ..rules_config(&[]) };
    let first = RuleEngine::load(&config).unwrap();
    let entries = |dir: &std::path::Path| -> Vec<std::path::PathBuf> {
        let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        files
    };
    let cached = entries(&cache_dir);
    assert_eq!(cached.len(), first.rules().count(), "one precompiled entry per rule: {cached:?}");
    assert!(cached.iter().all(|p| p.extension().is_some_and(|e| e == "cwasm")));
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&cache_dir).unwrap().permissions().mode() & 0o077, 0, "only we can write the cache");

    // Engines map their entries (code and memory images), so keyaudit only
    // ever replaces an entry by renaming a new file over it; corrupt one in
    // place only once no engine maps it.
    let rules = first.rules().count();
    drop(first);
    std::fs::write(&cached[0], b"not precompiled code").unwrap();
    let second = RuleEngine::load(&config).expect("a corrupt entry is replaced, not fatal");
    assert_eq!(second.rules().count(), rules);
    assert_ne!(std::fs::read(&cached[0]).unwrap(), b"not precompiled code", "the entry was rewritten");
    let findings = evaluate(&second, &[key("k")]);
    assert!(findings.iter().all(|f| f.status != Status::Error), "{findings:#?}");
}

#[test]
fn rules_list_prints_every_rule_with_its_mappings() {
    let run = support::keyaudit(None, &["rules", "list", "--json"], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rules: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), builtin_rules(), "{ids:?}");
    assert!(ids.contains(&"kms-usage-anomaly") && ids.contains(&"org-scp-protects-keys"), "{ids:?}");
    let rotation = rules.iter().find(|r| r["id"] == "kms-rotation-enabled").unwrap();
    assert_eq!(rotation["severity"], "medium");
    assert_eq!(rotation["reads"], serde_json::json!([{"kind": "kms-key", "fields": []}]));
    assert_eq!(rotation["contract"], "0.3");
    let controls: Vec<&str> =
        rotation["frameworks"].as_array().unwrap().iter().map(|m| m["control"].as_str().unwrap()).collect();
    assert!(controls.contains(&"KMS.4") && controls.iter().any(|c| c.starts_with("3.6")), "{controls:?}");

    let table = support::keyaudit(None, &["rules", "list", "--frameworks", "KMS.3"], &[]);
    assert_eq!(table.code, 0, "{}", table.stderr);
    assert!(table.stdout.contains("kms-not-pending-deletion") && table.stdout.contains("1 rules"), "{}", table.stdout);
}
