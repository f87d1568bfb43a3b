//! Rules written in other languages, built with their toolchains' ordinary
//! defaults by `make example-rules` (componentize-py, componentize-js
//! without -d flags, Debian's clang with wit-bindgen's C bindings), load and
//! judge resources through the real WebAssembly host: PASS, FAIL, not
//! applicable (no finding) and ERROR when the data could not be read. The
//! TypeScript declarations of the contract are what jco generates from wit/.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use keyaudit::config::RulesConfig;
use keyaudit::rules::{RuleEngine, Status};
use support::records::{DAY, NOW, certificate, parameter, secret, undescribed, verdicts};
use support::workspace;

fn js_bin(tool: &str) -> PathBuf {
    let bin = workspace().join("examples/rules/javascript/node_modules/.bin").join(tool);
    assert!(bin.exists(), "{} missing: run `make js-setup`", bin.display());
    bin
}

/// The example rule `name` alone, from what `make example-rules` built.
fn example_rule(name: &str, id: &str) -> RuleEngine {
    let built = support::fresh::example_rules().join(format!("{name}.wasm"));
    assert!(built.exists(), "{} missing: run `make example-rules`", built.display());
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(&built, dir.path().join(format!("{name}.wasm"))).unwrap();
    let config = RulesConfig {
        builtin: false,
        dirs: vec![dir.path().to_owned()],
        cache_dir: Some(workspace().join("target/test-rule-cache")),
        ..RulesConfig::default()
    };
    let engine = RuleEngine::load(&config).unwrap_or_else(|e| panic!("{name} loads: {e}"));
    let info = engine.rules().next().unwrap();
    assert_eq!((info.id.as_str(), info.contract), (id, "0.3"));
    engine
}

fn expect(actual: BTreeMap<String, Status>, expected: &[(&str, Status)]) {
    let expected: BTreeMap<String, Status> = expected.iter().map(|(n, s)| ((*n).to_owned(), *s)).collect();
    assert_eq!(actual, expected);
}

#[test]
fn a_javascript_rule_built_with_componentize_js_defaults_judges_secrets() {
    use Status::*;
    // Its defaults import wasi:http, which the sandbox stubs with functions that fail.
    let engine = example_rule("secret-owner-tag", "js-secret-owner-tag");
    let tagged = |name: &str, key: &str, value: &str| {
        secret(name, |s| s.tags = BTreeMap::from([(key.to_owned(), value.to_owned())]))
    };
    let got = verdicts(
        &engine,
        vec![tagged("owned", "Owner", "payments"), tagged("orphan", "team", "x"), tagged("empty", "owner", "")],
    );
    expect(got, &[("owned", Pass), ("orphan", Fail), ("empty", Fail)]);
}

#[test]
fn a_python_rule_built_with_componentize_py_judges_certificates() {
    use Status::*;
    let engine = example_rule("certificate-max-validity", "py-certificate-max-validity");
    let valid_for = |name: &str, days: i64| {
        certificate(name, |c| {
            c.not_before = Some(NOW - DAY);
            c.not_after = Some(NOW - DAY + days * DAY);
        })
    };
    let got = verdicts(
        &engine,
        vec![
            valid_for("year", 365),
            valid_for("limit", 398),
            valid_for("long", 399),
            certificate("pending", |c| c.status = Some("PENDING_VALIDATION".into())),
            undescribed("unknown"),
        ],
    );
    expect(got, &[("year", Pass), ("limit", Pass), ("long", Fail), ("unknown", Error)]);
}

#[test]
fn a_c_rule_built_with_clang_and_wit_bindgen_judges_parameters() {
    use Status::*;
    let engine = example_rule("parameter-changed-recently", "c-parameter-changed-recently");
    let changed = |name: &str, days_ago: Option<i64>| {
        let mut p = parameter(name, "SecureString", Some("alias/app"));
        p.last_modified_date = days_ago.map(|days| NOW - days * DAY);
        p
    };
    let mut untyped = parameter("untyped", "SecureString", None);
    untyped.parameter_type = None;
    let got = verdicts(
        &engine,
        vec![
            changed("fresh", Some(10)),
            changed("limit", Some(365)),
            changed("stale", Some(366)),
            changed("undated", None),
            parameter("plain", "String", None),
            untyped,
        ],
    );
    expect(got, &[("fresh", Pass), ("limit", Pass), ("stale", Fail), ("undated", Error), ("untyped", Error)]);
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
