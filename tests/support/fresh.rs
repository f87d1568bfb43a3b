//! Built rule components are never older than their sources: `cargo test`
//! without `make test` would otherwise test stale ones, silently.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::SystemTime;

use super::workspace;

/// target/rules, the built-in rules, once checked to be at least as new as
/// rules-wasm/ and wit/.
pub fn builtin_rules() -> PathBuf {
    static CHECKED: OnceLock<PathBuf> = OnceLock::new();
    CHECKED
        .get_or_init(|| {
            let built = workspace().join("target/rules");
            let components: Vec<PathBuf> = std::fs::read_dir(&built)
                .into_iter()
                .flatten()
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|path| path.extension().is_some_and(|e| e == "wasm"))
                .collect();
            assert!(!components.is_empty(), "no rule components in {}: run `make rules`", built.display());
            assert_fresh(
                &components,
                &["rules-wasm/rules", "rules-wasm/sdk", "rules-wasm/Cargo.lock", "wit"],
                "make rules",
            );
            built
        })
        .clone()
}

/// target/example-rules, the example rules in other languages, once checked:
/// each component at least as new as its own source folder and the contract
/// (what `make example-rules` rebuilds it from).
pub fn example_rules() -> PathBuf {
    static CHECKED: OnceLock<PathBuf> = OnceLock::new();
    CHECKED
        .get_or_init(|| {
            let built = workspace().join("target/example-rules");
            for (component, source) in [
                ("certificate-max-validity", "examples/rules/python/certificate-max-validity"),
                ("secret-owner-tag", "examples/rules/javascript/secret-owner-tag"),
                ("parameter-changed-recently", "examples/rules/c/parameter-changed-recently"),
            ] {
                let file = built.join(format!("{component}.wasm"));
                assert_fresh(&[file], &[source, "wit/rules.wit"], "make example-rules");
            }
            built
        })
        .clone()
}

/// Panics, naming what to run, when any of `components` is missing or older
/// than the newest file under `sources` (relative to the workspace).
fn assert_fresh(components: &[PathBuf], sources: &[&str], make: &str) {
    let mut oldest: Option<(&PathBuf, SystemTime)> = None;
    for component in components {
        let Some(time) = modified(component) else { panic!("{} is missing: run `{make}`", component.display()) };
        if oldest.is_none_or(|(_, t)| time < t) {
            oldest = Some((component, time));
        }
    }
    let Some((component, built)) = oldest else { return };
    for source in sources {
        if let Some((path, newest)) = newest_file(&workspace().join(source)) {
            assert!(newest <= built, "{} is older than {}: run `{make}`", component.display(), path.display());
        }
    }
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// The most recently modified file under `root` (itself if a file), skipping
/// build output and installed packages.
fn newest_file(root: &Path) -> Option<(PathBuf, SystemTime)> {
    let mut newest: Option<(PathBuf, SystemTime)> = None;
    let mut stack = vec![root.to_owned()];
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            let skip = path
                .file_name()
                .is_some_and(|n| matches!(n.to_str(), Some("target" | "node_modules" | "gen" | "__pycache__")));
            if !skip {
                stack.extend(std::fs::read_dir(&path).into_iter().flatten().filter_map(|e| e.ok().map(|e| e.path())));
            }
        } else if let Some(time) = modified(&path)
            && newest.as_ref().is_none_or(|(_, t)| time > *t)
        {
            newest = Some((path, time));
        }
    }
    newest
}
