//! The sandbox one rule call runs in: a fresh `Store` per call with no
//! filesystem, network, environment or arguments, a memory limit, instance and
//! table limits, a time budget enforced by epoch interruption, and stdout and
//! stderr captured into bounded buffers.
//!
//! After a trap an instance is unusable, so every call instantiates afresh
//! from a pre-linked `InstancePre` (tens of microseconds).

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use wasmtime::component::{HasSelf, Linker, ResourceTable};
use wasmtime::{ResourceLimiter, Store};
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::{WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};

use super::bindings::{v0_1, v0_2};
use super::engine::EPOCH_TICK;

/// Bytes of a rule's stdout or stderr kept for error messages.
const OUTPUT_CAPTURE_BYTES: usize = 16 * 1024;

/// Limits for one rule call.
#[derive(Debug, Clone, Copy)]
pub struct SandboxLimits {
    pub memory_bytes: usize,
    pub time_budget: Duration,
    pub max_instances: usize,
    pub max_memories: usize,
    pub max_tables: usize,
    pub max_table_elements: usize,
}

/// The data a rule's `Store` holds.
pub struct SandboxState {
    wasi: WasiCtx,
    table: ResourceTable,
    limits: SandboxLimits,
    stderr: MemoryOutputPipe,
    /// Set when the rule tried to grow memory past the limit.
    memory_exceeded: bool,
    /// The organisation's account ids, for `organisation.is-member`.
    organisation: Arc<BTreeSet<String>>,
}

impl v0_2::organisation::Host for SandboxState {
    fn is_member(&mut self, account_id: String) -> bool {
        self.organisation.contains(&account_id)
    }
}

impl WasiView for SandboxState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView { ctx: &mut self.wasi, table: &mut self.table }
    }
}

impl ResourceLimiter for SandboxState {
    fn memory_growing(&mut self, _current: usize, desired: usize, _maximum: Option<usize>) -> wasmtime::Result<bool> {
        if desired > self.limits.memory_bytes {
            self.memory_exceeded = true;
            return Err(wasmtime::format_err!("memory limit of {} bytes exceeded", self.limits.memory_bytes));
        }
        Ok(true)
    }

    fn table_growing(&mut self, _current: usize, desired: usize, _maximum: Option<usize>) -> wasmtime::Result<bool> {
        if desired > self.limits.max_table_elements {
            return Err(wasmtime::format_err!("table limit of {} elements exceeded", self.limits.max_table_elements));
        }
        Ok(true)
    }

    fn instances(&self) -> usize {
        self.limits.max_instances
    }

    fn tables(&self) -> usize {
        self.limits.max_tables
    }

    fn memories(&self) -> usize {
        self.limits.max_memories
    }
}

/// Why a rule call produced no usable result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallFailure {
    TimeBudget(Duration),
    Memory(usize),
    /// A trap (panic, abort, unreachable, …) with the rule's stderr tail.
    Trap(String),
    /// The rule returned `err`.
    RuleError(String),
}

impl std::fmt::Display for CallFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CallFailure::TimeBudget(budget) => write!(f, "exceeded its time budget of {} ms", budget.as_millis()),
            CallFailure::Memory(limit) => write!(f, "exceeded its memory limit of {} MiB", limit / (1024 * 1024)),
            CallFailure::Trap(detail) => write!(f, "trapped: {detail}"),
            CallFailure::RuleError(message) => write!(f, "returned an error: {message}"),
        }
    }
}

/// The linker every rule shares: WASI p2, with an empty context per call, and
/// what the contract lets rules ask of the host.
pub fn linker(engine: &wasmtime::Engine) -> Result<Linker<SandboxState>, wasmtime::Error> {
    let mut linker = Linker::new(engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker)?;
    v0_2::organisation::add_to_linker::<_, HasSelf<_>>(&mut linker, |state| state)?;
    Ok(linker)
}

/// A new store for one call.
pub fn store(
    engine: &wasmtime::Engine,
    limits: SandboxLimits,
    organisation: Arc<BTreeSet<String>>,
) -> Store<SandboxState> {
    let stderr = MemoryOutputPipe::new(OUTPUT_CAPTURE_BYTES);
    // No preopened folders, no environment, no arguments, no sockets or DNS.
    let wasi = WasiCtxBuilder::new()
        .stdout(MemoryOutputPipe::new(OUTPUT_CAPTURE_BYTES))
        .stderr(stderr.clone())
        .allow_tcp(false)
        .allow_udp(false)
        .allow_ip_name_lookup(false)
        .build();
    let state =
        SandboxState { wasi, table: ResourceTable::new(), limits, stderr, memory_exceeded: false, organisation };
    let mut store = Store::new(engine, state);
    store.limiter(|state| state);
    let ticks = limits.time_budget.as_millis().div_ceil(EPOCH_TICK.as_millis()).max(1);
    store.set_epoch_deadline(u64::try_from(ticks).unwrap_or(u64::MAX));
    store.epoch_deadline_trap();
    store
}

/// A pre-linked rule of some contract version, ready to instantiate.
pub trait RulePre {
    type Instance;
    fn engine(&self) -> &wasmtime::Engine;
    fn instantiate(&self, store: &mut Store<SandboxState>) -> wasmtime::Result<Self::Instance>;
}

macro_rules! rule_pre {
    ($wit:ident) => {
        impl RulePre for $wit::RuleComponentPre<SandboxState> {
            type Instance = $wit::RuleComponent;
            fn engine(&self) -> &wasmtime::Engine {
                $wit::RuleComponentPre::engine(self)
            }
            fn instantiate(&self, store: &mut Store<SandboxState>) -> wasmtime::Result<Self::Instance> {
                $wit::RuleComponentPre::instantiate(self, store)
            }
        }
    };
}
rule_pre!(v0_1);
rule_pre!(v0_2);

/// Runs `call` on a fresh instance of `pre` and classifies any failure.
pub fn run<P: RulePre, T>(
    pre: &P,
    limits: SandboxLimits,
    organisation: Arc<BTreeSet<String>>,
    call: impl FnOnce(&P::Instance, &mut Store<SandboxState>) -> wasmtime::Result<Result<T, String>>,
) -> Result<T, CallFailure> {
    let mut store = store(pre.engine(), limits, organisation);
    let outcome = pre.instantiate(&mut store).and_then(|instance| call(&instance, &mut store));
    match outcome {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(message)) => Err(CallFailure::RuleError(truncate(&message, 1024))),
        Err(error) => Err(classify(&store, &error, limits)),
    }
}

fn classify(store: &Store<SandboxState>, error: &wasmtime::Error, limits: SandboxLimits) -> CallFailure {
    if store.data().memory_exceeded {
        return CallFailure::Memory(limits.memory_bytes);
    }
    if matches!(error.downcast_ref::<wasmtime::Trap>(), Some(wasmtime::Trap::Interrupt)) {
        return CallFailure::TimeBudget(limits.time_budget);
    }
    let stderr = String::from_utf8_lossy(&store.data().stderr.contents()).trim().to_owned();
    let mut detail = format!("{error}");
    if !stderr.is_empty() {
        detail.push_str(&format!("; stderr: {}", tail(&stderr, 600)));
    }
    CallFailure::Trap(truncate(&detail, 1024))
}

fn truncate(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

fn tail(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut start = text.len() - max;
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..]
}
