//! Rules: sandboxed WebAssembly components that turn one account's inventory
//! into findings.
//!
//! [`RuleEngine::load`] finds the built-in and user rule components, compiles
//! each once (or loads it from the precompiled cache), checks its metadata and
//! pre-links it. [`RuleEngine::evaluate`] runs every selected rule over one
//! account, each call in a fresh sandbox; a rule that traps, loops, runs out
//! of memory or returns malformed output yields one ERROR finding naming the
//! rule and the reason, and the other rules run as usual.
//!
//! **Invariant:** this module never imports an AWS SDK; it sees inventory
//! records only.

mod bindings;
pub mod catalog;
mod convert;
pub mod engine;
pub mod model;
mod sandbox;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::time::Duration;

use bindings::v0_1;
pub use model::{Mapping, ParamSpec, ParamValue, RuleFinding, RuleInfo, Severity, Status};
pub use sandbox::SandboxLimits;

use crate::config::RulesConfig;
use crate::inventory::{Account, KmsKey};
use sandbox::{CallFailure, SandboxState};

/// Rules could not be loaded; the run cannot go on.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error("cannot start the WebAssembly engine: {0}")]
    Engine(String),
    #[error(
        "built-in rules not found (looked in {}). Build them with `make rules`, point rules.builtin_dir at them, \
         or set rules.builtin = false",
        .searched.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
    )]
    BuiltinsMissing { searched: Vec<PathBuf> },
    #[error("cannot read rule folder {path}: {source}")]
    ReadDir { path: PathBuf, source: std::io::Error },
    #[error("rule folder {path} has no .wasm components")]
    EmptyDir { path: PathBuf },
    #[error("cannot read rule {path}: {source}")]
    ReadFile { path: PathBuf, source: std::io::Error },
    #[error("{path} is not a valid WebAssembly component: {problem}")]
    InvalidComponent { path: PathBuf, problem: String },
    #[error(
        "{path} is not a keyaudit rule: it exports {exports}, not {expected}. Build it against wit/ of this \
         keyaudit version (world rule-component)"
    )]
    NotARule { path: PathBuf, exports: String, expected: &'static str },
    #[error("rule {path}: {problem}")]
    Metadata { path: PathBuf, problem: String },
    #[error("two rules have the id {id}: {first} and {second}; rule ids must be unique")]
    DuplicateId { id: String, first: String, second: String },
    #[error("`{key}` names rule {id:?}, which is not loaded (loaded: {known})")]
    UnknownRule { key: String, id: String, known: String },
    #[error("`{key}`: {problem}")]
    Parameter { key: String, problem: String },
}

/// One account's inventory, as rules see it.
pub struct AccountInput<'a> {
    pub account: &'a Account,
    /// Every account id of the organisation known to the run.
    pub org_account_ids: &'a [String],
    pub regions: &'a [String],
    pub kms_keys: &'a [KmsKey],
    /// Milliseconds since the epoch at which the evaluation is deemed to happen.
    pub evaluated_at: i64,
}

/// One account's inventory converted to the records rules receive.
pub struct PreparedAccount {
    /// The scope every rule gets; only `parameters` differs between rules.
    scope: v0_1::AccountScope,
    kms_keys: Vec<v0_1::Resource>,
    /// Resource id → kind, for checking what rules return.
    kinds: HashMap<String, &'static str>,
}

struct LoadedRule {
    info: RuleInfo,
    parameters: Vec<(String, v0_1::ParamValue)>,
    pre: v0_1::RuleComponentPre<SandboxState>,
}

/// The selected rules, compiled and ready to run.
pub struct RuleEngine {
    rules: Vec<LoadedRule>,
    limits: SandboxLimits,
    max_findings: usize,
    // Keeps the engine's epoch ticker running while rules can be called.
    _runtime: engine::RuleRuntime,
}

impl RuleEngine {
    /// Loads, checks and selects the rules `config` names.
    pub fn load(config: &RulesConfig) -> Result<Self, RuleError> {
        let cache_dir = if config.cache { config.cache_dir.clone().or_else(engine::default_cache_dir) } else { None };
        let runtime = engine::RuleRuntime::new(cache_dir)?;
        let linker = sandbox::linker(&runtime.engine).map_err(|e| RuleError::Engine(e.to_string()))?;
        let limits = SandboxLimits {
            memory_bytes: usize::try_from(config.memory_limit_mb.saturating_mul(1024 * 1024)).unwrap_or(usize::MAX),
            time_budget: Duration::from_millis(config.time_budget_ms),
            max_instances: 16,
            max_tables: 16,
            max_table_elements: 100_000,
        };

        let mut all = Vec::new();
        for file in catalog::rule_files(config)? {
            all.push(load_one(&runtime, &linker, &file, limits)?);
        }
        let mut seen: Vec<(&str, &str)> = Vec::new();
        for (info, _) in &all {
            if let Some((_, first)) = seen.iter().find(|(id, _)| *id == info.id) {
                return Err(RuleError::DuplicateId {
                    id: info.id.clone(),
                    first: (*first).to_owned(),
                    second: info.source.clone(),
                });
            }
            seen.push((&info.id, &info.source));
        }
        catalog::check_named_rules(config, &all.iter().map(|(info, _)| info).collect::<Vec<_>>())?;

        let mut rules = Vec::new();
        for (info, pre) in all {
            if !catalog::selected(&info, config) {
                continue;
            }
            let parameters = catalog::parameters(&info, config)?
                .iter()
                .map(|(n, v)| (n.clone(), convert::param_to_wit(v)))
                .collect();
            rules.push(LoadedRule { info, parameters, pre });
        }
        tracing::info!(rules = rules.len(), "rules loaded");
        Ok(Self { rules, limits, max_findings: config.max_findings, _runtime: runtime })
    }

    /// The selected rules.
    pub fn rules(&self) -> impl Iterator<Item = &RuleInfo> {
        self.rules.iter().map(|r| &r.info)
    }

    /// Converts one account's inventory to the records rules receive. Done
    /// once per account and shared by every rule.
    pub fn prepare(&self, input: &AccountInput<'_>) -> PreparedAccount {
        let account = input.account;
        let kms_keys: Vec<v0_1::Resource> = input.kms_keys.iter().map(convert::kms_key).collect();
        let kinds = input.kms_keys.iter().map(|k| (k.key_arn.clone(), convert::KMS_KEY_KIND)).collect();
        PreparedAccount {
            scope: v0_1::AccountScope {
                account_id: account.account_id.clone(),
                account_name: account.account_name.clone(),
                ou_path: account.ou_path.clone(),
                org_id: account.org_id.clone(),
                org_account_ids: input.org_account_ids.to_vec(),
                regions: input.regions.to_vec(),
                parameters: Vec::new(),
                evaluated_at: input.evaluated_at,
            },
            kms_keys,
            kinds,
        }
    }

    /// Runs every selected rule over one account.
    pub fn evaluate(&self, input: &AccountInput<'_>) -> Vec<RuleFinding> {
        self.evaluate_prepared(&self.prepare(input))
    }

    /// Runs every selected rule over an account already converted by [`RuleEngine::prepare`].
    pub fn evaluate_prepared(&self, prepared: &PreparedAccount) -> Vec<RuleFinding> {
        let mut findings = Vec::new();
        let mut scope = prepared.scope.clone();
        for rule in &self.rules {
            let resources: &[v0_1::Resource] = if rule.info.resource_kinds.iter().any(|k| k == convert::KMS_KEY_KIND) {
                &prepared.kms_keys
            } else {
                &[]
            };
            scope.parameters.clone_from(&rule.parameters);
            let outcome = sandbox::run(&rule.pre, self.limits, |instance, store| {
                instance.keyaudit_rules_rule().call_evaluate(store, &scope, resources)
            })
            .map_err(|failure| failure.to_string())
            .and_then(|raw| self.check_output(rule, raw, &prepared.kinds, &prepared.scope.regions));
            match outcome {
                Ok(rule_findings) => findings.extend(rule_findings),
                Err(reason) => {
                    tracing::warn!(rule = %rule.info.id, account = %scope.account_id, "rule failed: {reason}");
                    findings.push(RuleFinding {
                        rule_id: rule.info.id.clone(),
                        status: Status::Error,
                        message: format!("rule {} {reason}", rule.info.id),
                        resource_id: None,
                        resource_type: "account".to_owned(),
                        subject: None,
                        region: None,
                        evidence: vec![("rule_source".to_owned(), rule.info.source.clone())],
                    });
                }
            }
        }
        findings
    }

    /// Checks a rule's output against its input; any problem voids the whole output.
    fn check_output(
        &self,
        rule: &LoadedRule,
        raw: Vec<v0_1::Finding>,
        kinds: &HashMap<String, &'static str>,
        regions: &[String],
    ) -> Result<Vec<RuleFinding>, String> {
        if raw.len() > self.max_findings {
            return Err(format!(
                "returned malformed output: {} findings, more than the limit of {} (rules.max_findings)",
                raw.len(),
                self.max_findings
            ));
        }
        let mut ids = HashSet::new();
        raw.into_iter()
            .map(|finding| {
                let malformed = |problem: String| format!("returned malformed output: {problem}");
                if finding.message.trim().is_empty() || finding.message.len() > 4096 {
                    return Err(malformed("a finding's message must be 1-4096 bytes".into()));
                }
                if finding.evidence.len() > 64
                    || finding.evidence.iter().any(|(k, v)| k.is_empty() || k.len() > 128 || v.len() > 4096)
                {
                    return Err(malformed(
                        "evidence is limited to 64 pairs of short keys and values ≤ 4096 bytes".into(),
                    ));
                }
                let resource_type = match &finding.resource_id {
                    Some(id) => match kinds.get(id) {
                        Some(kind) => (*kind).to_owned(),
                        None => {
                            return Err(malformed(format!("a finding names resource {id:?}, which it was not given")));
                        }
                    },
                    None => "account".to_owned(),
                };
                if let Some(region) = &finding.region
                    && !regions.contains(region)
                {
                    return Err(malformed(format!("a finding names region {region:?}, which was not scanned")));
                }
                if !ids.insert((finding.resource_id.clone(), finding.subject.clone())) {
                    return Err(malformed(format!(
                        "two findings for the same resource and subject ({:?}, {:?})",
                        finding.resource_id, finding.subject
                    )));
                }
                Ok(RuleFinding {
                    rule_id: rule.info.id.clone(),
                    status: convert::status(finding.status),
                    message: finding.message,
                    resource_id: finding.resource_id,
                    resource_type,
                    subject: finding.subject,
                    region: finding.region,
                    evidence: finding.evidence,
                })
            })
            .collect()
    }
}

/// Compiles, checks and pre-links one rule file.
fn load_one(
    runtime: &engine::RuleRuntime,
    linker: &wasmtime::component::Linker<SandboxState>,
    file: &catalog::RuleFile,
    limits: SandboxLimits,
) -> Result<(RuleInfo, v0_1::RuleComponentPre<SandboxState>), RuleError> {
    let path = &file.path;
    let bytes = std::fs::read(path).map_err(|source| RuleError::ReadFile { path: path.clone(), source })?;
    let component = runtime.component(path, &bytes)?;
    let exports: Vec<String> =
        component.component_type().exports(&runtime.engine).map(|(name, _)| name.to_owned()).collect();
    if !exports.iter().any(|e| e == bindings::RULE_INTERFACE_V0_1) {
        return Err(RuleError::NotARule {
            path: path.clone(),
            exports: if exports.is_empty() { "nothing".to_owned() } else { exports.join(", ") },
            expected: bindings::RULE_INTERFACE_V0_1,
        });
    }
    let instance_pre = linker.instantiate_pre(&component).map_err(|e| RuleError::InvalidComponent {
        path: path.clone(),
        problem: format!("it imports what a rule may not use: {e:#}"),
    })?;
    let pre = v0_1::RuleComponentPre::new(instance_pre)
        .map_err(|e| RuleError::InvalidComponent { path: path.clone(), problem: format!("{e:#}") })?;
    let metadata =
        sandbox::run(&pre, limits, |instance, store| instance.keyaudit_rules_rule().call_metadata(store).map(Ok))
            .map_err(|failure: CallFailure| RuleError::Metadata {
                path: path.clone(),
                problem: format!("metadata() {failure}"),
            })?;
    let info = convert::rule_info(metadata, path.display().to_string(), file.builtin);
    catalog::validate(&info, path)?;
    Ok((info, pre))
}
