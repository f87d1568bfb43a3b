//! Finding rule components on disk, checking what they say about themselves,
//! and choosing which run: enable/disable by id or framework, parameters
//! from the config checked against each rule's declared types.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use super::RuleError;
use super::model::{ParamValue, RuleInfo, escape_control};
use crate::config::RulesConfig;

/// A rule file and whether it is one of keyaudit's own.
#[derive(Debug, Clone)]
pub struct RuleFile {
    pub path: PathBuf,
    pub builtin: bool,
}

/// Where the built-in rules are: `rules.builtin_dir`, else `rules/` beside the
/// binary, else `../rules/` from it (the build tree's `target/rules`).
pub fn builtin_dir(config: &RulesConfig) -> Result<PathBuf, RuleError> {
    if let Some(dir) = &config.builtin_dir {
        return if dir.is_dir() {
            Ok(dir.clone())
        } else {
            Err(RuleError::BuiltinsMissing { searched: vec![dir.clone()] })
        };
    }
    let exe_dir = std::env::current_exe().ok().and_then(|exe| exe.parent().map(Path::to_owned));
    let candidates: Vec<PathBuf> = exe_dir.map(|dir| vec![dir.join("rules"), dir.join("../rules")]).unwrap_or_default();
    candidates.iter().find(|dir| dir.is_dir()).cloned().ok_or(RuleError::BuiltinsMissing { searched: candidates })
}

/// The built-in rules found for `config`: their folder, how many, and a
/// SHA-256 over each file's name and contents, in name order (what
/// `keyaudit --version` prints, so two installs can be compared).
pub fn builtin_digest(config: &RulesConfig) -> Result<(PathBuf, usize, String), RuleError> {
    use sha2::Digest;
    let dir = builtin_dir(config)?;
    let files = rule_files(&RulesConfig { builtin: true, dirs: Vec::new(), ..config.clone() })?;
    let mut digest = sha2::Sha256::new();
    for file in &files {
        let bytes =
            std::fs::read(&file.path).map_err(|source| RuleError::ReadDir { path: file.path.clone(), source })?;
        digest.update(file.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default().as_bytes());
        digest.update([0]);
        digest.update((bytes.len() as u64).to_le_bytes());
        digest.update(&bytes);
    }
    Ok((dir, files.len(), hex::encode(digest.finalize())))
}

/// The rule contract versions this build runs, newest first.
pub fn contract_versions() -> [&'static str; 3] {
    [super::bindings::v0_3::VERSION, "0.2.0", "0.1.0"]
}

/// Every `*.wasm` in the built-in folder (if enabled) and the user folders, sorted per folder.
pub fn rule_files(config: &RulesConfig) -> Result<Vec<RuleFile>, RuleError> {
    let mut folders = Vec::new();
    if config.builtin {
        folders.push((builtin_dir(config)?, true));
    }
    folders.extend(config.dirs.iter().map(|d| (d.clone(), false)));
    let mut files = Vec::new();
    for (dir, builtin) in folders {
        let entries = std::fs::read_dir(&dir).map_err(|source| RuleError::ReadDir { path: dir.clone(), source })?;
        let mut found: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|ext| ext == "wasm"))
            .collect();
        found.sort();
        if found.is_empty() && !builtin {
            return Err(RuleError::EmptyDir { path: dir.clone() });
        }
        files.extend(found.into_iter().map(|path| RuleFile { path, builtin }));
    }
    Ok(files)
}

/// The most bytes (or items) each piece of rule metadata may have. Metadata
/// is kept for the whole run and goes into finding rows, so it is bounded.
const MAX_TITLE: usize = 256;
const MAX_TEXT: usize = 4096;
const MAX_NAME: usize = 128;
const MAX_ITEMS: usize = 64;

/// Checks what a rule says about itself.
pub fn validate(info: &RuleInfo, path: &Path) -> Result<(), RuleError> {
    let problem = |problem: String| RuleError::Metadata { path: path.to_owned(), problem };
    let too_long = |what: &str, len: usize, max: usize| {
        problem(format!(
            "rule {}: {what} is {len} bytes or items, more than the limit of {max}",
            escape_control(&info.id)
        ))
    };
    let texts = [
        ("the id", info.id.len(), 64),
        ("the title", info.title.len(), MAX_TITLE),
        ("the description", info.description.len(), MAX_TEXT),
        ("the remediation", info.remediation.len(), MAX_TEXT),
        ("reads", info.reads.len(), MAX_ITEMS),
        ("references", info.references.len(), MAX_ITEMS),
        ("frameworks", info.frameworks.len(), MAX_ITEMS),
        ("parameters", info.parameters.len(), MAX_ITEMS),
    ];
    for (what, len, max) in texts {
        if len > max {
            return Err(too_long(what, len, max));
        }
    }
    let names = info
        .reads
        .iter()
        .flat_map(|r| std::iter::once(&r.kind).chain(&r.fields))
        .chain(&info.references)
        .map(|t| ("a resource kind, field group or reference", t.len(), MAX_TEXT));
    let mappings = info
        .frameworks
        .iter()
        .flat_map(|m| [("a framework", m.framework.len(), MAX_NAME), ("a control", m.control.len(), MAX_NAME)]);
    let parameters = info.parameters.iter().flat_map(|p| {
        let default = match &p.default {
            ParamValue::Text(t) => t.len(),
            ParamValue::TextList(items) => items.iter().map(String::len).sum::<usize>() + items.len(),
            _ => 0,
        };
        [
            ("a parameter name", p.name.len(), MAX_NAME),
            ("a parameter description", p.description.len(), MAX_TEXT),
            ("a parameter default", default, MAX_TEXT),
        ]
    });
    for (what, len, max) in names.chain(mappings).chain(parameters) {
        if len > max {
            return Err(too_long(what, len, max));
        }
    }
    let id_ok = (3..=64).contains(&info.id.len())
        && info.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !info.id.starts_with('-');
    if !id_ok {
        return Err(problem(format!(
            "rule id {:?} must be 3-64 lowercase letters, digits and '-'",
            escape_control(&info.id)
        )));
    }
    if info.title.trim().is_empty() {
        return Err(problem(format!("rule {} has no title", info.id)));
    }
    if info.reads.is_empty() {
        return Err(problem(format!("rule {} names no resource kinds", info.id)));
    }
    let mut kinds = HashSet::new();
    for read in &info.reads {
        let Some(kind) = crate::kinds::by_name(&read.kind) else {
            let known: Vec<&str> = crate::kinds::infos().iter().map(|k| k.name).collect();
            return Err(problem(format!(
                "rule {} reads resource kind {:?}, which this keyaudit does not collect (known: {})",
                info.id,
                escape_control(&read.kind),
                known.join(", ")
            )));
        };
        if !kinds.insert(read.kind.as_str()) {
            return Err(problem(format!("rule {} names resource kind {} twice in its reads", info.id, read.kind)));
        }
        let groups = kind.info().field_groups;
        // A trailing `?` marks a group whose gaps the rule handles itself (`plan_reads`).
        if let Some(unknown) = read.fields.iter().find(|f| !groups.contains(&f.trim_end_matches('?'))) {
            return Err(problem(format!(
                "rule {} reads field group {:?} of {}, which it does not have (groups: {})",
                info.id,
                escape_control(unknown),
                read.kind,
                if groups.is_empty() { "none".to_owned() } else { groups.join(", ") }
            )));
        }
    }
    let mut names = HashSet::new();
    for parameter in &info.parameters {
        if !names.insert(parameter.name.as_str()) {
            return Err(problem(format!("rule {} declares parameter {} twice", info.id, parameter.name)));
        }
        if let ParamValue::Number(n) = parameter.default
            && !n.is_finite()
        {
            return Err(problem(format!("rule {} parameter {} has a non-finite default", info.id, parameter.name)));
        }
    }
    Ok(())
}

/// Whether the config selects a rule.
pub fn selected(info: &RuleInfo, config: &RulesConfig) -> bool {
    if config.disable.contains(&info.id) {
        return false;
    }
    if !config.enable.is_empty() && !config.enable.contains(&info.id) {
        return false;
    }
    if config.frameworks.is_empty() {
        return true;
    }
    info.frameworks.iter().any(|mapping| {
        let label = mapping.label().to_lowercase();
        config.frameworks.iter().any(|wanted| label.contains(&wanted.to_lowercase()))
    })
}

/// Checks that every framework the config names matches some loaded rule
/// (catching typos, which would otherwise select nothing).
pub fn check_named_frameworks(config: &RulesConfig, loaded: &[&RuleInfo]) -> Result<(), RuleError> {
    for wanted in &config.frameworks {
        let wanted_lower = wanted.to_lowercase();
        let matches =
            loaded.iter().any(|r| r.frameworks.iter().any(|m| m.label().to_lowercase().contains(&wanted_lower)));
        if !matches {
            let mut known: Vec<&str> =
                loaded.iter().flat_map(|r| r.frameworks.iter().map(|m| m.framework.as_str())).collect();
            known.sort_unstable();
            known.dedup();
            return Err(RuleError::UnknownFramework {
                wanted: escape_control(wanted).into_owned(),
                known: known.join(", "),
            });
        }
    }
    Ok(())
}

/// Checks that every id the config names is a loaded rule (catching typos).
pub fn check_named_rules(config: &RulesConfig, loaded: &[&RuleInfo]) -> Result<(), RuleError> {
    let known: HashSet<&str> = loaded.iter().map(|r| r.id.as_str()).collect();
    let named = config
        .enable
        .iter()
        .map(|id| ("rules.enable", id))
        .chain(config.disable.iter().map(|id| ("rules.disable", id)))
        .chain(config.parameters.keys().map(|id| ("rules.parameters", id)));
    for (key, id) in named {
        if !known.contains(id.as_str()) {
            let mut ids: Vec<&str> = known.iter().copied().collect();
            ids.sort_unstable();
            return Err(RuleError::UnknownRule { key: key.to_owned(), id: id.clone(), known: ids.join(", ") });
        }
    }
    Ok(())
}

/// The parameter values for one rule: its defaults overridden by the config.
pub fn parameters(info: &RuleInfo, config: &RulesConfig) -> Result<Vec<(String, ParamValue)>, RuleError> {
    let overrides: BTreeMap<String, toml::Value> = config.parameters.get(&info.id).cloned().unwrap_or_default();
    for name in overrides.keys() {
        if !info.parameters.iter().any(|p| &p.name == name) {
            let declared: Vec<&str> = info.parameters.iter().map(|p| p.name.as_str()).collect();
            return Err(RuleError::Parameter {
                key: format!("rules.parameters.{}.{name}", info.id),
                problem: format!(
                    "rule {} has no such parameter (it has: {})",
                    info.id,
                    if declared.is_empty() { "none".to_owned() } else { declared.join(", ") }
                ),
            });
        }
    }
    info.parameters
        .iter()
        .map(|spec| {
            let value = match overrides.get(&spec.name) {
                None => spec.default.clone(),
                Some(value) => ParamValue::from_toml_like(value, &spec.default).map_err(|problem| {
                    RuleError::Parameter { key: format!("rules.parameters.{}.{}", info.id, spec.name), problem }
                })?,
            };
            Ok((spec.name.clone(), value))
        })
        .collect()
}
