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

pub(crate) mod bindings;
pub mod catalog;
mod convert;
pub mod engine;
mod gaps;
pub mod model;
pub(crate) mod sandbox;
mod slots;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use bindings::{v0_1, v0_2, v0_3};
pub(crate) use convert::kms_enums;
use convert::{RawFinding, ResourceRef};
pub use engine::Tuning;
pub use model::{KindRead, Mapping, ParamSpec, ParamValue, RuleFinding, RuleInfo, Severity, Status};
use rustc_hash::{FxHashMap, FxHashSet};
pub use sandbox::SandboxLimits;

use crate::config::RulesConfig;
use crate::inventory::{Account, Level, ListingGap};
use crate::kinds::kms_key::{self, KmsKey};
use crate::kinds::{Facts, Inventory, Want};
use sandbox::{CallFailure, CallReads, HostFacts, SandboxState};

/// The most bytes of a finding's subject (it is part of the finding's id).
const MAX_SUBJECT: usize = 256;

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
    #[error(
        "{path} is built against rule contract {built}, newer than this keyaudit's {supported}: upgrade keyaudit, \
         or build the rule against wit/ of this version"
    )]
    NewerContract { path: PathBuf, built: String, supported: &'static str },
    #[error("rule {path}: {problem}")]
    Metadata { path: PathBuf, problem: String },
    #[error("two rules have the id {id}: {first} and {second}; rule ids must be unique")]
    DuplicateId { id: String, first: String, second: String },
    #[error("`{key}` names rule {id:?}, which is not loaded (loaded: {known})")]
    UnknownRule { key: String, id: String, known: String },
    #[error("`{key}`: {problem}")]
    Parameter { key: String, problem: String },
    #[error(
        "rules.frameworks {wanted:?} matches no rule's framework or control (frameworks: {known}; controls are \
         matched too, such as \"KMS.4\" or \"3.6\"; see `keyaudit rules list`)"
    )]
    UnknownFramework { wanted: String, known: String },
    #[error(
        "no rule is selected: rules.enable, rules.disable and rules.frameworks together leave nothing to run \
         (see `keyaudit rules list`)"
    )]
    NothingSelected,
}

/// One account's inventory, as rules see it.
#[derive(Clone, Copy)]
pub struct AccountInput<'a> {
    pub account: &'a Account,
    /// Every account id of the organisation known to the run.
    pub organisation: &'a Arc<BTreeSet<String>>,
    pub regions: &'a [String],
    /// The account's records of every account- and region-level kind.
    pub inventory: &'a Arc<Inventory>,
    /// The run's records of the organisation-level kinds (the organisation
    /// and its SCPs), the same for every account.
    pub shared: &'a Arc<Inventory>,
    /// Where a kind could not be listed: account-level verdicts there are ERROR.
    pub gaps: &'a [ListingGap],
    /// Milliseconds since the epoch at which the evaluation is deemed to happen.
    pub evaluated_at: i64,
}

/// One account's inventory, ready for every rule. 0.2 rules get records
/// borrowed from the inventory, built per call; 0.1 rules share owned
/// records converted once here.
pub struct PreparedAccount<'a> {
    input: AccountInput<'a>,
    /// The account's KMS keys (what 0.1 and 0.2 rules get).
    kms_keys: &'a [KmsKey],
    /// What the host knows of each resource, per kind, in the order rules get them.
    facts_by_kind: Vec<(&'static str, Vec<Facts<'a>>)>,
    /// The 0.2 records of the account's keys without optional groups (empty without 0.2 rules).
    key_records: Vec<v0_2::Resource<'a>>,
    /// Present when a 0.1 rule is loaded.
    legacy: Option<LegacyAccount<'a>>,
    /// What host calls answer during this account's evaluation.
    facts: Arc<HostFacts>,
}

/// An account as contract 0.1 records.
struct LegacyAccount<'a> {
    /// The scope every 0.1 rule gets; only `parameters` differs between rules.
    scope: v0_1::AccountScope,
    kms_keys: Vec<v0_1::Resource>,
    /// Key ARN → position, for findings that name keys by ARN.
    positions: FxHashMap<&'a str, usize>,
}

/// A rule pre-linked for the contract version it was built against.
enum Contract {
    V0_1 {
        pre: v0_1::RuleComponentPre<SandboxState>,
        parameters: Vec<(String, v0_1::ParamValue)>,
    },
    V0_2 {
        pre: v0_2::RuleComponentPre<SandboxState>,
        kms_key_fields: v0_2::KmsKeyFields,
    },
    /// `evaluate` is called through its own export index so that findings
    /// are lifted lean (`convert::v0_3::LiftedFinding`).
    V0_3 {
        pre: v0_3::RuleComponentPre<SandboxState>,
        evaluate: wasmtime::component::ComponentExportIndex,
    },
}

struct LoadedRule {
    info: RuleInfo,
    parameters: Vec<(String, ParamValue)>,
    contract: Contract,
    /// The kinds the rule is given, in the order of its reads.
    kinds: Vec<&'static str>,
    /// What its `list` calls may return (contract 0.3).
    call_reads: Arc<CallReads>,
    /// The kinds and APIs its verdicts depend on.
    reads: gaps::Reads,
}

/// The selected rules, compiled and ready to run.
pub struct RuleEngine {
    rules: Vec<LoadedRule>,
    limits: SandboxLimits,
    max_findings: usize,
    /// One per sandbox the engine's pool can hold at once.
    slots: slots::Slots,
    // Keeps the engine's epoch ticker running while rules can be called.
    _runtime: engine::RuleRuntime,
}

impl RuleEngine {
    /// Loads, checks and selects the rules `config` names.
    pub fn load(config: &RulesConfig) -> Result<Self, RuleError> {
        Self::load_tuned(config, Tuning::default())
    }

    /// `load` with engine settings other than the defaults, for benchmarks
    /// that compare them side by side.
    pub fn load_tuned(config: &RulesConfig, tuning: Tuning) -> Result<Self, RuleError> {
        let cache_dir = if config.cache { config.cache_dir.clone().or_else(engine::default_cache_dir) } else { None };
        let limits = SandboxLimits {
            memory_bytes: usize::try_from(config.memory_limit_mb.saturating_mul(1024 * 1024)).unwrap_or(usize::MAX),
            time_budget: Duration::from_millis(config.time_budget_ms),
            max_instances: engine::MAX_INSTANCES_PER_RULE as usize,
            max_memories: engine::MAX_MEMORIES_PER_RULE as usize,
            max_tables: engine::MAX_TABLES_PER_RULE as usize,
            max_table_elements: engine::MAX_TABLE_ELEMENTS,
        };
        // Rules are CPU-bound: more sandboxes at once than cores gains nothing.
        let sandboxes = std::thread::available_parallelism().map_or(1, |n| n.get()).min(64) as u32;
        let capacity = engine::Capacity { sandboxes, memory_bytes: limits.memory_bytes, tuning };
        let runtime = engine::RuleRuntime::new(cache_dir, capacity)?;
        let linker = sandbox::linker(&runtime.engine).map_err(|e| RuleError::Engine(e.to_string()))?;

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
        let infos: Vec<&RuleInfo> = all.iter().map(|(info, _)| info).collect();
        catalog::check_named_rules(config, &infos)?;
        catalog::check_named_frameworks(config, &infos)?;

        let mut rules = Vec::new();
        for (info, mut contract) in all {
            if !catalog::selected(&info, config) {
                continue;
            }
            let parameters = catalog::parameters(&info, config)?;
            if let Contract::V0_1 { parameters: wit_parameters, .. } = &mut contract {
                *wit_parameters = parameters.iter().map(|(n, v)| (n.clone(), convert::v0_1::param_to_wit(v))).collect();
            }
            let (kinds, call_reads, reads) = plan_reads(&info);
            rules.push(LoadedRule { info, parameters, contract, kinds, call_reads, reads });
        }
        if rules.is_empty() && !all_rules_were_none(config) {
            return Err(RuleError::NothingSelected);
        }
        tracing::info!(rules = rules.len(), "rules loaded");
        Ok(Self {
            rules,
            limits,
            max_findings: config.max_findings,
            slots: slots::Slots::new(sandboxes),
            _runtime: runtime,
        })
    }

    /// The selected rules.
    pub fn rules(&self) -> impl Iterator<Item = &RuleInfo> {
        self.rules.iter().map(|r| &r.info)
    }

    /// Drops the rules that read a kind this run does not collect (not in
    /// `scan.services`), saying so: they could only report gaps.
    pub fn keep_rules_reading(&mut self, collected: &[&str]) {
        self.rules.retain(|rule| {
            let missing: Vec<&str> = rule.kinds.iter().copied().filter(|k| !collected.contains(k)).collect();
            if !missing.is_empty() {
                tracing::info!(
                    rule = %rule.info.id,
                    "rule not run: it reads {}, which this run does not collect (scan.services)",
                    missing.join(", ")
                );
            }
            missing.is_empty()
        });
    }

    /// What the selected rules read of each kind: the kinds to collect and
    /// the field groups whose calls to make.
    pub fn wants(&self) -> Vec<(&'static str, Want)> {
        let mut wants: Vec<(&'static str, Want)> = Vec::new();
        for (kind, want) in self.rules.iter().flat_map(|r| r.call_reads.kinds.iter()) {
            match wants.iter_mut().find(|(k, _)| k == kind) {
                Some((_, existing)) => existing.merge(want),
                None => wants.push((kind, want.clone())),
            }
        }
        wants
    }

    /// Converts one account's inventory to the records every rule shares and
    /// indexes it for checking rule output. Done once per account.
    pub fn prepare<'a>(&self, input: &AccountInput<'a>) -> PreparedAccount<'a> {
        let inventory: &'a Inventory = input.inventory;
        let kms_keys = inventory.of::<KmsKey>();
        let shared: &'a Inventory = input.shared;
        let facts_by_kind = crate::kinds::ALL
            .iter()
            .map(|kind| {
                let info = kind.info();
                let holder = if info.level == Level::Organisation { shared } else { inventory };
                (info.name, holder.set(info.name).map(|set| set.facts()).unwrap_or_default())
            })
            .collect();
        let legacy = self.rules.iter().any(|r| matches!(r.contract, Contract::V0_1 { .. })).then(|| LegacyAccount {
            scope: convert::v0_1::scope(
                input.account,
                input.organisation.iter().cloned().collect(),
                input.regions,
                input.evaluated_at,
            ),
            kms_keys: kms_keys.iter().map(convert::v0_1::kms_key).collect(),
            positions: kms_keys.iter().enumerate().map(|(i, k)| (k.key_arn.as_str(), i)).collect(),
        });
        // Only 0.2 rules take the keys as prepared records (0.3 rules list them).
        let any_v0_2 = self.rules.iter().any(|r| matches!(r.contract, Contract::V0_2 { .. }));
        let key_records = if any_v0_2 { convert::v0_2::base_kms_keys(kms_keys) } else { Vec::new() };
        let facts = Arc::new(HostFacts {
            organisation: input.organisation.clone(),
            regions: input.regions.to_vec(),
            gaps: input.gaps.to_vec(),
            evaluated_at: input.evaluated_at,
            inventory: input.inventory.clone(),
            shared: input.shared.clone(),
            organisation_path: organisation_path(input.account),
            views: Default::default(),
        });
        PreparedAccount { input: *input, kms_keys, facts_by_kind, key_records, legacy, facts }
    }

    /// The facts of the resources `rule` is given, in the order it names them.
    fn given<'p>(&self, rule: &LoadedRule, prepared: &'p PreparedAccount<'_>) -> std::borrow::Cow<'p, [Facts<'p>]> {
        let of = |kind: &str| prepared.facts_by_kind.iter().find(|(k, _)| *k == kind).map_or(&[][..], |(_, f)| f);
        match rule.kinds.as_slice() {
            [] => std::borrow::Cow::Borrowed(&[]),
            [one] => std::borrow::Cow::Borrowed(of(one)),
            many => std::borrow::Cow::Owned(many.iter().flat_map(|k| of(k).iter().copied()).collect()),
        }
    }

    /// Runs every selected rule over one account.
    pub fn evaluate(&self, input: &AccountInput<'_>) -> Vec<RuleFinding> {
        self.evaluate_prepared(&self.prepare(input))
    }

    /// Runs every selected rule over an account indexed by [`RuleEngine::prepare`].
    pub fn evaluate_prepared(&self, prepared: &PreparedAccount<'_>) -> Vec<RuleFinding> {
        let mut findings = Vec::new();
        self.evaluate_each(prepared, |_, rule_findings| findings.extend(rule_findings));
        findings
    }

    /// Runs every selected rule over an account, handing each rule's
    /// findings to `deliver` as soon as the rule is done, so that no more
    /// than one rule's output is held at a time.
    pub fn evaluate_each(&self, prepared: &PreparedAccount<'_>, mut deliver: impl FnMut(&RuleInfo, Vec<RuleFinding>)) {
        let input = &prepared.input;
        let _slot = self.slots.acquire();
        for rule in &self.rules {
            let outcome = self
                .run_rule(rule, prepared)
                .map_err(|failure| failure.to_string())
                .and_then(|raw| self.check_output(rule, raw, prepared));
            match outcome {
                Ok(rule_findings) => deliver(&rule.info, rule_findings),
                Err(reason) => {
                    // `reason` is escaped where it is made (the sandbox's `CallFailure`).
                    tracing::warn!(rule = %rule.info.id, account = %input.account.account_id, "rule failed: {reason}");
                    let failed = RuleFinding {
                        rule_id: rule.info.id.clone(),
                        status: Status::Error,
                        message: format!("rule {} {reason}", rule.info.id),
                        resource_id: None,
                        resource_type: "account",
                        subject: None,
                        region: None,
                        evidence: vec![("rule_source".to_owned(), rule.info.source.clone())],
                    };
                    deliver(&rule.info, vec![failed]);
                }
            }
        }
    }

    /// Calls one rule's `evaluate` in a fresh sandbox.
    fn run_rule(&self, rule: &LoadedRule, prepared: &PreparedAccount<'_>) -> Result<Vec<RawFinding>, CallFailure> {
        let input = &prepared.input;
        let reads_keys = rule.kinds.contains(&kms_key::KIND_NAME);
        let facts = prepared.facts.clone();
        let reads = rule.call_reads.clone();
        match &rule.contract {
            Contract::V0_3 { pre, evaluate } => {
                let scope = convert::v0_3::scope(input.account, input.regions, &rule.parameters, input.evaluated_at);
                sandbox::run(pre.instance_pre(), self.limits, facts, reads, |instance, store| {
                    let evaluate = instance
                        .get_typed_func::<(&v0_3::AccountScope,), (convert::v0_3::Evaluated,)>(&mut *store, evaluate)?;
                    let (evaluated,) = evaluate.call(&mut *store, (&scope,))?;
                    Ok(evaluated
                        .map(|findings| findings.into_iter().map(|f| convert::v0_3::finding(f, &rule.kinds)).collect()))
                })
            }
            Contract::V0_2 { pre, kms_key_fields } => {
                let (keys, base) =
                    if reads_keys { (prepared.kms_keys, prepared.key_records.as_slice()) } else { (&[][..], &[][..]) };
                let raw = convert::v0_2::with_scope(
                    input.account,
                    input.regions,
                    &rule.parameters,
                    input.evaluated_at,
                    |scope| {
                        convert::v0_2::with_kms_keys(keys, base, *kms_key_fields, |resources| {
                            sandbox::run(pre, self.limits, facts, reads, |instance, store| {
                                instance.keyaudit_rules_rule().call_evaluate(store, scope, resources)
                            })
                        })
                    },
                )?;
                Ok(raw.into_iter().map(RawFinding::from).collect())
            }
            Contract::V0_1 { pre, parameters } => {
                let Some(legacy) = &prepared.legacy else {
                    return Err(CallFailure::Trap("was not prepared for contract 0.1 (a keyaudit bug)".into()));
                };
                let mut scope = legacy.scope.clone();
                scope.parameters.clone_from(parameters);
                let resources = if reads_keys { legacy.kms_keys.as_slice() } else { &[] };
                let raw = sandbox::run(pre, self.limits, facts, reads, |instance, store| {
                    instance.keyaudit_rules_rule().call_evaluate(store, &scope, resources)
                })?;
                Ok(raw.into_iter().map(RawFinding::from).collect())
            }
        }
    }

    /// Checks a rule's output against its input and fills in each resource
    /// finding's ARN, kind and region; any problem voids the whole output.
    fn check_output(
        &self,
        rule: &LoadedRule,
        raw: Vec<RawFinding>,
        prepared: &PreparedAccount<'_>,
    ) -> Result<Vec<RuleFinding>, String> {
        let malformed = |problem: String| format!("returned malformed output: {problem}");
        if raw.len() > self.max_findings {
            return Err(malformed(format!(
                "{} findings, more than the limit of {} (rules.max_findings)",
                raw.len(),
                self.max_findings
            )));
        }
        let given = self.given(rule, prepared);
        let given: &[Facts<'_>] = &given;
        let regions = prepared.input.regions;
        // Where each kind the rule reads starts in `given`, and how many it has.
        let mut offset = 0;
        let spans: Vec<(&str, usize, usize)> = rule
            .kinds
            .iter()
            .map(|name| {
                let count = prepared.facts_by_kind.iter().find(|(k, _)| k == name).map_or(0, |(_, f)| f.len());
                offset += count;
                (*name, offset - count, count)
            })
            .collect();
        let mut seen = FxHashSet::default();
        seen.reserve(raw.len());
        let mut checked = Vec::with_capacity(raw.len());
        for finding in &raw {
            if finding.message.trim().is_empty() || finding.message.len() > 4096 {
                return Err(malformed("a finding's message must be 1-4096 bytes".into()));
            }
            if finding.evidence.len() > 64
                || finding.evidence.iter().any(|(k, v)| k.is_empty() || k.len() > 128 || v.len() > 4096)
            {
                return Err(malformed("evidence is limited to 64 pairs of short keys and values ≤ 4096 bytes".into()));
            }
            let position = match &finding.resource {
                ResourceRef::Account => None,
                ResourceRef::Index(index) => match usize::try_from(*index).ok().filter(|&i| i < given.len()) {
                    Some(position) => Some(position),
                    None => {
                        return Err(malformed(format!(
                            "a finding names resource #{index}, which it was not given ({} resources)",
                            given.len()
                        )));
                    }
                },
                ResourceRef::KindIndex(kind, index) => {
                    let found = spans.iter().find(|(name, ..)| name == kind).and_then(|(_, offset, count)| {
                        usize::try_from(*index).ok().filter(|i| i < count).map(|i| offset + i)
                    });
                    match found {
                        Some(position) => Some(position),
                        None => {
                            return Err(malformed(format!("a finding names {kind} #{index}, which it was not given")));
                        }
                    }
                }
                ResourceRef::UnreadKind(kind, index) => {
                    return Err(malformed(format!(
                        "a finding names {} #{index}, a kind the rule does not read",
                        model::escape_control(kind)
                    )));
                }
                ResourceRef::Id(id) => {
                    let reads_keys = rule.kinds.contains(&kms_key::KIND_NAME);
                    match prepared.legacy.as_ref().and_then(|l| l.positions.get(id.as_str())).filter(|_| reads_keys) {
                        Some(position) => Some(*position),
                        None => {
                            return Err(malformed(format!("a finding names resource {id:?}, which it was not given")));
                        }
                    }
                }
            };
            let facts = position.map(|p| given[p]);
            if let Some(region) = &finding.region {
                let fits = match facts {
                    Some(facts) => region == facts.region,
                    None => regions.contains(region) || region == crate::inventory::GLOBAL_REGION,
                };
                if !fits {
                    return Err(malformed(format!(
                        "a finding names region {region:?}, which was not scanned or is not its resource's"
                    )));
                }
            }
            if finding.subject.as_ref().is_some_and(|s| s.len() > MAX_SUBJECT) {
                return Err(malformed(format!("a finding's subject is longer than {MAX_SUBJECT} bytes")));
            }
            if !seen.insert((position, finding.subject.as_deref())) {
                return Err(malformed(format!(
                    "two findings for the same resource and subject ({:?}, {:?})",
                    facts.map(|f| f.id),
                    finding.subject
                )));
            }
            checked.push((position, facts));
        }
        let placed = raw
            .into_iter()
            .zip(checked)
            .map(|(finding, (position, facts))| gaps::Placed {
                position,
                finding: RuleFinding {
                    rule_id: rule.info.id.clone(),
                    resource_type: facts.map_or("account", |f| f.kind),
                    status: finding.status,
                    message: finding.message,
                    resource_id: facts.map(|f| f.id.to_owned()),
                    subject: finding.subject,
                    region: finding.region.or_else(|| facts.map(|f| f.region.to_owned())),
                    evidence: finding.evidence,
                },
            })
            .collect();
        let mut findings = gaps::void_unknown(&rule.reads, placed, given, prepared.input.gaps);
        for finding in findings.iter_mut().filter(|f| f.rule_id.is_empty()) {
            finding.rule_id.clone_from(&rule.info.id);
        }
        Ok(findings)
    }
}

/// The ids from the organisation's root down to `account` (its OU id path,
/// then the account); empty when the OU path is unknown.
fn organisation_path(account: &Account) -> Vec<String> {
    if account.ou_id_path.is_empty() {
        return Vec::new();
    }
    account.ou_id_path.split('/').map(str::to_owned).chain([account.account_id.clone()]).collect()
}

/// Whether the config itself loads no rule at all (no built-ins, no folders),
/// as opposed to a selection that leaves none of the loaded ones.
fn all_rules_were_none(config: &RulesConfig) -> bool {
    !config.builtin && config.dirs.is_empty()
}

/// Runs `call` on a thread of its own. WASI's blocking calls (a rule that
/// prints in `metadata()`) cannot run on an async runtime's thread, and
/// loading may be called from one.
fn off_runtime<T: Send>(call: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| match scope.spawn(call).join() {
        Ok(value) => value,
        Err(panic) => std::panic::resume_unwind(panic),
    })
}

/// Whether the patch part `minor` of a 0.3.x export ("1" of "0.3.1") is
/// later than `supported` ("0.3.1"). Unparsable numbers are not later: the
/// linker then names what does not match.
fn minor_after(minor: &str, supported: &str) -> bool {
    let ours = supported.rsplit('.').next().and_then(|n| n.parse::<u32>().ok());
    matches!((minor.parse::<u32>().ok(), ours), (Some(theirs), Some(ours)) if theirs > ours)
}

/// Compiles, checks and pre-links one rule file, for the contract version it exports.
fn load_one(
    runtime: &engine::RuleRuntime,
    linker: &wasmtime::component::Linker<SandboxState>,
    file: &catalog::RuleFile,
    limits: SandboxLimits,
) -> Result<(RuleInfo, Contract), RuleError> {
    let path = &file.path;
    let bytes = std::fs::read(path).map_err(|source| RuleError::ReadFile { path: path.clone(), source })?;
    let component = runtime.component(path, &bytes)?;
    let exports: Vec<String> =
        component.component_type().exports(&runtime.engine).map(|(name, _)| name.to_owned()).collect();
    let exports_rule = |name: &str| exports.iter().any(|e| e == name);
    // Any 0.3.x up to this host's own: a later minor may import interfaces this host lacks.
    let v0_3 = exports.iter().find_map(|e| e.strip_prefix(bindings::RULE_INTERFACE_V0_3_ANY));
    if let Some(minor) = v0_3
        && minor_after(minor, v0_3::VERSION)
    {
        return Err(RuleError::NewerContract {
            path: path.clone(),
            built: format!("0.3.{minor}"),
            supported: v0_3::VERSION,
        });
    }
    let version = if v0_3.is_some() {
        bindings::RULE_INTERFACE_V0_3
    } else if exports_rule(bindings::RULE_INTERFACE_V0_2) {
        bindings::RULE_INTERFACE_V0_2
    } else if exports_rule(bindings::RULE_INTERFACE_V0_1) {
        bindings::RULE_INTERFACE_V0_1
    } else {
        return Err(RuleError::NotARule {
            path: path.clone(),
            exports: if exports.is_empty() { "nothing".to_owned() } else { exports.join(", ") },
            expected: bindings::RULE_INTERFACE_V0_3,
        });
    };
    // Toolchains' ordinary defaults import more than a rule may use
    // (componentize-js imports wasi:http): those imports get functions that
    // fail when called, naming the import, never a real capability.
    let instance_pre = match linker.instantiate_pre(&component) {
        Ok(pre) => pre,
        Err(_) => {
            let mut stubbed = linker.clone();
            sandbox::stub_foreign_imports(&mut stubbed, &component, &runtime.engine)
                .and_then(|()| stubbed.instantiate_pre(&component))
                .map_err(|e| RuleError::InvalidComponent {
                    path: path.clone(),
                    problem: format!("its imports do not match what keyaudit provides: {e:#}"),
                })?
        }
    };
    let invalid = |e: wasmtime::Error| RuleError::InvalidComponent { path: path.clone(), problem: format!("{e:#}") };
    let metadata_failed =
        |failure: CallFailure| RuleError::Metadata { path: path.clone(), problem: format!("metadata() {failure}") };
    let no_account = Arc::new(HostFacts::default());
    let source = path.display().to_string();
    let no_reads = Arc::new(CallReads::default());
    let (info, contract) = if version == bindings::RULE_INTERFACE_V0_3 {
        let pre = v0_3::RuleComponentPre::new(instance_pre).map_err(invalid)?;
        let metadata = off_runtime(|| {
            sandbox::run(&pre, limits, no_account.clone(), no_reads.clone(), |instance, store| {
                instance.keyaudit_rules_rule().call_metadata(store).map(Ok)
            })
        })
        .map_err(metadata_failed)?;
        // A component may import every kind's interface (componentize-py
        // and jco import the whole world); calling one its metadata does not
        // read traps with the kind named (`SandboxState::records`).
        let component = pre.instance_pre().component();
        let evaluate = component
            .get_export_index(None, bindings::RULE_INTERFACE_V0_3)
            .and_then(|rule| component.get_export_index(Some(&rule), "evaluate"))
            .ok_or_else(|| invalid(wasmtime::format_err!("it exports no `evaluate`")))?;
        (convert::v0_3::rule_info(metadata, source, file.builtin), Contract::V0_3 { pre, evaluate })
    } else if version == bindings::RULE_INTERFACE_V0_2 {
        let pre = v0_2::RuleComponentPre::new(instance_pre).map_err(invalid)?;
        let metadata = off_runtime(|| {
            sandbox::run(&pre, limits, no_account.clone(), no_reads.clone(), |instance, store| {
                instance.keyaudit_rules_rule().call_metadata(store).map(Ok)
            })
        })
        .map_err(metadata_failed)?;
        let kms_key_fields = metadata.kms_key_fields;
        (convert::v0_2::rule_info(metadata, source, file.builtin), Contract::V0_2 { pre, kms_key_fields })
    } else {
        let pre = v0_1::RuleComponentPre::new(instance_pre).map_err(invalid)?;
        let metadata = off_runtime(|| {
            sandbox::run(&pre, limits, no_account.clone(), no_reads.clone(), |instance, store| {
                instance.keyaudit_rules_rule().call_metadata(store).map(Ok)
            })
        })
        .map_err(metadata_failed)?;
        (convert::v0_1::rule_info(metadata, source, file.builtin), Contract::V0_1 { pre, parameters: Vec::new() })
    };
    catalog::validate(&info, path)?;
    Ok((info, contract))
}

/// The kinds a rule is given, what its `list` calls may return, and the
/// APIs its verdicts depend on, from its declared reads. The kinds and
/// groups were checked against the registry by `catalog::validate`.
fn plan_reads(info: &RuleInfo) -> (Vec<&'static str>, Arc<CallReads>, gaps::Reads) {
    let mut kinds = Vec::new();
    let mut call_reads = CallReads::default();
    let mut apis = Vec::new();
    for read in &info.reads {
        let Some(kind) = crate::kinds::by_name(&read.kind) else { continue };
        let kind = kind.info();
        kinds.push(kind.name);
        // `group?`: read the group, but its unread data does not void the
        // rule's verdicts: the rule decides from another source or says
        // ERROR itself (contract 0.3.2). Its APIs are left out of `apis`.
        let groups =
            kind.field_groups.iter().copied().filter(|g| read.fields.iter().any(|f| f.trim_end_matches('?') == *g));
        call_reads.kinds.push((kind.name, Want::only(groups)));
        let voiding: Vec<String> = read.fields.iter().filter(|f| !f.ends_with('?')).cloned().collect();
        apis.extend(kind.apis_read(&voiding));
    }
    let reads = gaps::Reads { kinds: kinds.iter().map(|k| (*k).to_owned()).collect(), apis };
    (kinds, Arc::new(call_reads), reads)
}
