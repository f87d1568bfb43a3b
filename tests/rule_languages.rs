//! Rules written in other languages, built with their toolchains' ordinary
//! defaults, load and judge resources through the real WebAssembly host; the
//! TypeScript declarations of the contract are what jco generates from wit/.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use keyaudit::config::RulesConfig;
use keyaudit::inventory::Account;
use keyaudit::kinds::Inventory;
use keyaudit::kinds::secret::Secret;
use keyaudit::rules::{AccountInput, RuleEngine, Status};
use support::workspace;

const ACCOUNT: &str = "111111111111";

fn js_bin(tool: &str) -> PathBuf {
    let bin = workspace().join("examples/rules/javascript/node_modules/.bin").join(tool);
    assert!(bin.exists(), "{} missing: run `make js-setup`", bin.display());
    bin
}

/// Builds examples/rules/javascript/secret-owner-tag with componentize-js's
/// defaults (no -d flags) into `dir`. Paths are relative to the workspace:
/// componentize-js reads the WIT through a sandbox rooted there.
fn build_js_rule(dir: &Path) -> PathBuf {
    let out = dir.join("secret-owner-tag.wasm");
    let built = Command::new(js_bin("componentize-js"))
        .args(["examples/rules/javascript/secret-owner-tag/rule.js", "--wit", "wit", "--world-name", "rule-component"])
        .arg("-o")
        .arg(&out)
        .current_dir(workspace())
        .output()
        .expect("run componentize-js");
    assert!(built.status.success(), "componentize-js failed: {}", String::from_utf8_lossy(&built.stderr));
    out
}

fn secret(name: &str, tags: &[(&str, &str)]) -> Secret {
    Secret {
        run_id: "r".into(),
        account_id: ACCOUNT.into(),
        account_name: "test".into(),
        ou_path: "Root".into(),
        org_id: "o-test".into(),
        region: "us-east-1".into(),
        secret_arn: format!("arn:aws:secretsmanager:us-east-1:{ACCOUNT}:secret:{name}"),
        name: name.into(),
        description: None,
        kms_key_id: None,
        rotation_enabled: false,
        rotation_lambda_arn: None,
        rotation_every_days: None,
        rotation_schedule: None,
        last_rotated_date: None,
        last_changed_date: None,
        last_accessed_date: None,
        next_rotation_date: None,
        deleted_date: None,
        created_date: Some(1_700_000_000_000),
        owning_service: None,
        primary_region: None,
        replica_regions: None,
        tags: tags.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect(),
        has_resource_policy: None,
        resource_policy: None,
        unread: vec![],
        collected_at: 1_700_000_000_000,
    }
}

#[test]
fn a_javascript_rule_built_with_componentize_js_defaults_loads_and_judges_secrets() {
    let dir = tempfile::tempdir().unwrap();
    build_js_rule(dir.path());
    let config = RulesConfig {
        builtin: false,
        dirs: vec![dir.path().to_owned()],
        cache_dir: Some(workspace().join("target/test-rule-cache")),
        ..RulesConfig::default()
    };
    // Its defaults import wasi:http, which the sandbox stubs with functions that fail.
    let engine = RuleEngine::load(&config).expect("the default build loads");
    let info = engine.rules().next().unwrap();
    assert_eq!((info.id.as_str(), info.contract), ("js-secret-owner-tag", "0.3"));

    let account = Account {
        account_id: ACCOUNT.into(),
        account_name: "test".into(),
        ou_path: "Root".into(),
        ou_id_path: "r-1".into(),
        org_id: "o-test".into(),
    };
    let inventory = Arc::new(Inventory::from_records(vec![
        secret("owned", &[("Owner", "payments")]),
        secret("orphan", &[("team", "x")]),
        secret("empty", &[("owner", "")]),
    ]));
    let findings = engine.evaluate(&AccountInput {
        account: &account,
        organisation: &Arc::new(BTreeSet::from([ACCOUNT.to_owned()])),
        regions: &["us-east-1".to_owned()],
        inventory: &inventory,
        gaps: &[],
        evaluated_at: 1_800_000_000_000,
    });
    let verdicts: BTreeMap<&str, Status> =
        findings.iter().map(|f| (f.resource_id.as_deref().unwrap().rsplit(':').next().unwrap(), f.status)).collect();
    assert_eq!(
        verdicts,
        BTreeMap::from([("owned", Status::Pass), ("orphan", Status::Fail), ("empty", Status::Fail)]),
        "{findings:#?}"
    );
    let owned = findings.iter().find(|f| f.status == Status::Pass).unwrap();
    assert_eq!(owned.message, "owned by payments");
    assert_eq!(owned.region.as_deref(), Some("us-east-1"), "the host fills in the region");
}

#[test]
fn the_typescript_declarations_are_what_jco_generates_from_the_contract() {
    let out = tempfile::tempdir_in(workspace().join("target")).unwrap();
    let relative = out.path().strip_prefix(workspace()).unwrap();
    let generated = Command::new(js_bin("jco"))
        .args(["types", "wit", "--world-name", "rule-component", "-o"])
        .arg(relative)
        .current_dir(workspace())
        .output()
        .expect("run jco types");
    assert!(generated.status.success(), "jco types failed: {}", String::from_utf8_lossy(&generated.stderr));
    let files = |root: &Path| -> BTreeMap<PathBuf, String> {
        let mut found = BTreeMap::new();
        let mut stack = vec![root.to_owned()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let text = std::fs::read_to_string(&path).unwrap();
                    found.insert(path.strip_prefix(root).unwrap().to_owned(), text);
                }
            }
        }
        found
    };
    assert!(
        files(out.path()) == files(&workspace().join("examples/rules/javascript/types")),
        "examples/rules/javascript/types is stale: run `make generated`"
    );
}
