//! The sandbox one rule call runs in: a fresh `Store` per call with no
//! filesystem, network, environment or arguments, a memory limit, instance and
//! table limits, a time budget enforced by epoch interruption, and stdout and
//! stderr captured into bounded buffers.
//!
//! Nothing a rule can call blocks or varies: the wall clock reads the
//! evaluation time, the monotonic clock stands still and its timers are due at
//! once (a `sleep` returns immediately, so only wasm code spends the time
//! budget, where epoch interruption stops it), and random numbers are a fixed
//! sequence. So a rule's result depends only on its input.
//!
//! After a trap an instance is unusable, so every call instantiates afresh
//! from a pre-linked `InstancePre` (tens of microseconds).

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use wasmtime::component::{HasSelf, Linker, Resource, ResourceTable};
use wasmtime::{ResourceLimiter, Store, StoreContextMut};
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::p2::{DynPollable, Pollable};
use wasmtime_wasi::{HostWallClock, WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};

use super::bindings::{v0_1, v0_2, v0_3};
use super::engine::EPOCH_TICK;
use crate::inventory::{Level, ListingGap};
use crate::kinds::{Inventory, Record, Want};

/// Frames of a backtrace that, all one function, mean deep recursion
/// (wasmtime keeps 20 frames of a backtrace).
const RECURSION_FRAMES: usize = 16;

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

/// What the host tells a rule about the account it evaluates, shared by
/// every rule call for that account.
#[derive(Debug, Default)]
pub struct HostFacts {
    /// The organisation's account ids, for `organisation.is-member`.
    pub organisation: Arc<BTreeSet<String>>,
    /// The regions scanned, for `collection.listed`.
    pub regions: Vec<String>,
    /// Where listings failed, for `collection.listed`.
    pub gaps: Vec<ListingGap>,
    /// Milliseconds since the epoch: what the rule's wall clock reads.
    pub evaluated_at: i64,
    /// The account's records, for the kinds' `list` calls (contract 0.3).
    pub inventory: Arc<Inventory>,
    /// The run's organisation-level records (the organisation, its SCPs),
    /// the same for every account.
    pub shared: Arc<Inventory>,
    /// The ids from the organisation's root down to the account (root, OUs,
    /// the account); empty when its place in the organisation is unknown.
    pub organisation_path: Vec<String>,
    /// Each kind's records as rules see them, built once per account and
    /// set of field groups, and lowered into every rule that lists them.
    pub views: std::sync::Mutex<Vec<RuleView>>,
}

/// One kind's records for one set of field groups: an `Arc<[T]>` of that
/// kind's WIT record type.
#[derive(Debug)]
pub struct RuleView {
    kind: &'static str,
    groups: Want,
    records: Arc<dyn std::any::Any + Send + Sync>,
}

/// What one rule may read through the kinds' `list` calls: the kinds it
/// declared, each with the field groups it declared.
#[derive(Debug, Default)]
pub struct CallReads {
    pub kinds: Vec<(&'static str, Want)>,
}

/// The data a rule's `Store` holds.
pub struct SandboxState {
    wasi: WasiCtx,
    table: ResourceTable,
    limits: SandboxLimits,
    stderr: MemoryOutputPipe,
    /// Set when the rule tried to grow memory past the limit.
    memory_exceeded: bool,
    facts: Arc<HostFacts>,
    reads: Arc<CallReads>,
}

impl SandboxState {
    /// The account's records of kind `kind` and the field groups the rule
    /// reads of it; a trap when the rule did not declare the kind.
    pub(crate) fn records<R: Record>(&self, kind: &'static str) -> wasmtime::Result<(&[R], &Want)> {
        let Some((_, want)) = self.reads.kinds.iter().find(|(k, _)| *k == kind) else {
            return Err(wasmtime::format_err!(
                "called {kind}.list, but its metadata does not read {kind:?} (add it to `reads`)"
            ));
        };
        let inventory = if R::kind().level == Level::Organisation { &self.facts.shared } else { &self.facts.inventory };
        Ok((inventory.of::<R>(), want))
    }

    /// The ids from the organisation's root down to the evaluated account;
    /// empty when its place in the organisation is unknown.
    pub(crate) fn organisation_path(&self) -> Vec<&str> {
        self.facts.organisation_path.iter().map(String::as_str).collect()
    }

    /// The account's records of `kind` as this rule may see them (the field
    /// groups it reads filled in, the others `none`): `build` makes them on
    /// the first call for that set of groups; later calls for the account,
    /// by any rule, share them.
    pub(crate) fn rule_view<R: Record, T: Send + Sync + 'static>(
        &self,
        kind: &'static str,
        build: impl FnOnce(&[R], &Want) -> Vec<T>,
    ) -> wasmtime::Result<Arc<[T]>> {
        let (records, want) = self.records::<R>(kind)?;
        let mut views = self.facts.views.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // A kind may have several views (`kms-key.list` and `kms-key-usage.usage`): told apart by type.
        let built = views
            .iter()
            .filter(|view| view.kind == kind && view.groups == *want)
            .find_map(|view| view.records.clone().downcast::<Arc<[T]>>().ok());
        if let Some(records) = built {
            return Ok(records.as_ref().clone());
        }
        let view: Arc<[T]> = build(records, want).into();
        views.push(RuleView { kind, groups: want.clone(), records: Arc::new(view.clone()) });
        Ok(view)
    }

    fn listed(&self, kind: &str, region: &str) -> bool {
        let known_region = self.facts.regions.iter().any(|r| r == region) || region == crate::inventory::GLOBAL_REGION;
        known_region && !self.facts.gaps.iter().any(|gap| gap.covers(kind, Some(region)))
    }
}

impl v0_3::keyaudit::rules::types::Host for SandboxState {}

impl v0_3::organisation::Host for SandboxState {
    fn is_member(&mut self, account_id: String) -> wasmtime::Result<bool> {
        Ok(self.facts.organisation.contains(&account_id))
    }
}

impl v0_3::collection::Host for SandboxState {
    fn listed(&mut self, kind: String, region: String) -> wasmtime::Result<bool> {
        Ok(SandboxState::listed(self, &kind, &region))
    }
}

impl v0_2::organisation::Host for SandboxState {
    fn is_member(&mut self, account_id: String) -> bool {
        self.facts.organisation.contains(&account_id)
    }
}

impl v0_2::collection::Host for SandboxState {
    fn listed(&mut self, kind: String, region: String) -> bool {
        SandboxState::listed(self, &kind, &region)
    }
}

/// A wall clock that always reads the evaluation time.
struct FixedWallClock(Duration);

impl HostWallClock for FixedWallClock {
    fn resolution(&self) -> Duration {
        Duration::from_millis(1)
    }
    fn now(&self) -> Duration {
        self.0
    }
}

/// "Random" numbers that are the same in every call: splitmix64 from a fixed seed.
struct FixedSequence(u64);

impl rand_core::TryRng for FixedSequence {
    type Error = std::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        Ok((self.try_next_u64()? >> 32) as u32)
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Ok(z ^ (z >> 31))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        for chunk in dst.chunks_mut(8) {
            let bytes = self.try_next_u64()?.to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
        Ok(())
    }
}

/// A timer that is due at once: rules may not wait.
struct Due;

#[wasmtime_wasi::async_trait]
impl Pollable for Due {
    async fn ready(&mut self) {}
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
    /// A trap (panic, abort, stack overflow, exit, …): its root cause, then
    /// the rule's stderr tail and backtrace.
    Trap(String),
    /// The rule returned `err`.
    RuleError(String),
}

impl std::fmt::Display for CallFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CallFailure::TimeBudget(budget) => write!(f, "exceeded its time budget of {} ms", budget.as_millis()),
            CallFailure::Memory(limit) => write!(f, "exceeded its memory limit of {} MiB", limit / (1024 * 1024)),
            CallFailure::Trap(detail) => write!(f, "{detail}"),
            CallFailure::RuleError(message) => write!(f, "returned an error: {message}"),
        }
    }
}

/// The WASI version whose monotonic clock the sandbox replaces; components
/// built against any 0.2.x version link to it.
const WASI_MONOTONIC_CLOCK: &str = "wasi:clocks/monotonic-clock@0.2.12";

/// The linker every rule shares: WASI p2, with an empty context per call, a
/// monotonic clock that stands still and never blocks, and what the contract
/// lets rules ask of the host.
pub fn linker(engine: &wasmtime::Engine) -> Result<Linker<SandboxState>, wasmtime::Error> {
    let mut linker = Linker::new(engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker)?;
    linker.allow_shadowing(true);
    let mut clock = linker.instance(WASI_MONOTONIC_CLOCK)?;
    clock.func_wrap("now", |_: StoreContextMut<'_, SandboxState>, (): ()| Ok((0u64,)))?;
    clock.func_wrap("resolution", |_: StoreContextMut<'_, SandboxState>, (): ()| Ok((1u64,)))?;
    clock.func_wrap("subscribe-duration", |store: StoreContextMut<'_, SandboxState>, (_,): (u64,)| due(store))?;
    clock.func_wrap("subscribe-instant", |store: StoreContextMut<'_, SandboxState>, (_,): (u64,)| due(store))?;
    linker.allow_shadowing(false);
    v0_2::organisation::add_to_linker::<_, HasSelf<_>>(&mut linker, |state| state)?;
    v0_2::collection::add_to_linker::<_, HasSelf<_>>(&mut linker, |state| state)?;
    // Every 0.3 interface: types, organisation, collection and one per kind.
    v0_3::keyaudit::rules::types::add_to_linker::<_, HasSelf<_>>(&mut linker, |state| state)?;
    v0_3::organisation::add_to_linker::<_, HasSelf<_>>(&mut linker, |state| state)?;
    v0_3::collection::add_to_linker::<_, HasSelf<_>>(&mut linker, |state| state)?;
    crate::kinds::link_rule_views(&mut linker)?;
    Ok(linker)
}

/// Defines `list` of the 0.3 interface of `kind` as the account's shared
/// records from `view`, lowered straight into the rule's memory (no copy
/// per call on the host).
pub(crate) fn link_list<T>(
    linker: &mut Linker<SandboxState>,
    kind: &str,
    view: fn(&SandboxState) -> wasmtime::Result<Arc<[T]>>,
) -> wasmtime::Result<()>
where
    T: wasmtime::component::ComponentType + wasmtime::component::Lower + Send + Sync + 'static,
{
    link_view(linker, kind, "list", view)
}

/// Defines `function` of the 0.3 interface `interface` as a shared view of
/// the account's records (see [`link_list`]).
pub(crate) fn link_view<T>(
    linker: &mut Linker<SandboxState>,
    interface: &str,
    function: &str,
    view: fn(&SandboxState) -> wasmtime::Result<Arc<[T]>>,
) -> wasmtime::Result<()>
where
    T: wasmtime::component::ComponentType + wasmtime::component::Lower + Send + Sync + 'static,
{
    let interface = format!("keyaudit:rules/{interface}@{}", v0_3::VERSION);
    linker
        .instance(&interface)?
        .func_wrap(function, move |store: StoreContextMut<'_, SandboxState>, (): ()| Ok((view(store.data())?,)))
}

/// Packages whose interfaces the sandbox provides (WASI p2 through
/// wasmtime-wasi, with no capabilities, and keyaudit's own contract).
const PROVIDED_PACKAGES: &[&str] =
    &["wasi:io/", "wasi:clocks/", "wasi:random/", "wasi:filesystem/", "wasi:sockets/", "wasi:cli/", "keyaudit:rules/"];

/// Satisfies a component's imports of interfaces the sandbox does not
/// provide (toolchains' defaults import some, such as componentize-js's
/// `wasi:http`) with functions that fail when called, naming the import:
/// never a real capability. Their resource types are inert, except the WASI
/// I/O types they share with WASI's own interfaces (`pollable`, streams,
/// `error`), which must be the very same types for the component to link.
pub fn stub_foreign_imports(
    linker: &mut Linker<SandboxState>,
    component: &wasmtime::component::Component,
    engine: &wasmtime::Engine,
) -> Result<(), wasmtime::Error> {
    use wasmtime::component::ResourceType;
    use wasmtime::component::types::ComponentItem;
    for (name, import) in component.component_type().imports(engine) {
        if PROVIDED_PACKAGES.iter().any(|p| name.starts_with(p)) {
            continue;
        }
        let ComponentItem::ComponentInstance(instance) = import.ty else {
            return Err(wasmtime::format_err!("it imports {name}, which is not an interface keyaudit knows"));
        };
        let mut stub = linker.instance(name)?;
        for (export, item) in instance.exports(engine) {
            match item.ty {
                ComponentItem::ComponentFunc(_) => {
                    let called = format!("{name}#{export}");
                    stub.func_new(export, move |_, _, _, _| {
                        Err(wasmtime::format_err!("unknown import: `{called}` has not been defined"))
                    })?;
                }
                ComponentItem::Resource(_) => {
                    let ty = match export {
                        "pollable" => ResourceType::host::<DynPollable>(),
                        "input-stream" => ResourceType::host::<wasmtime_wasi::p2::DynInputStream>(),
                        "output-stream" => ResourceType::host::<wasmtime_wasi::p2::DynOutputStream>(),
                        "error" => ResourceType::host::<wasmtime_wasi::p2::IoError>(),
                        _ => ResourceType::host::<ForeignResource>(),
                    };
                    stub.resource(export, ty, |_, _| Ok(()))?;
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// The type of every resource of an interface the sandbox does not provide:
/// none can ever be made, since every function that would make one fails.
struct ForeignResource;

/// A pollable that is ready now.
fn due(mut store: StoreContextMut<'_, SandboxState>) -> wasmtime::Result<(Resource<DynPollable>,)> {
    let table = &mut store.data_mut().table;
    let timer = table.push(Due)?;
    Ok((wasmtime_wasi::p2::subscribe(table, timer)?,))
}

/// A new store for one call.
pub fn store(
    engine: &wasmtime::Engine,
    limits: SandboxLimits,
    facts: Arc<HostFacts>,
    reads: Arc<CallReads>,
) -> Store<SandboxState> {
    let stderr = MemoryOutputPipe::new(OUTPUT_CAPTURE_BYTES);
    let now = Duration::from_millis(u64::try_from(facts.evaluated_at).unwrap_or(0));
    // No preopened folders, no environment, no arguments, no sockets or DNS;
    // a clock that reads the evaluation time and no entropy.
    let wasi = WasiCtxBuilder::new()
        .stdout(MemoryOutputPipe::new(OUTPUT_CAPTURE_BYTES))
        .stderr(stderr.clone())
        .allow_tcp(false)
        .allow_udp(false)
        .allow_ip_name_lookup(false)
        .wall_clock(FixedWallClock(now))
        .secure_random(FixedSequence(1))
        .insecure_random(FixedSequence(2))
        .insecure_random_seed(3)
        .build();
    let state =
        SandboxState { wasi, table: ResourceTable::new(), limits, stderr, memory_exceeded: false, facts, reads };
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
/// A bare instance, for calls made through typed functions of the host's own
/// (contract 0.3's `evaluate`).
impl RulePre for wasmtime::component::InstancePre<SandboxState> {
    type Instance = wasmtime::component::Instance;
    fn engine(&self) -> &wasmtime::Engine {
        wasmtime::component::InstancePre::engine(self)
    }
    fn instantiate(&self, store: &mut Store<SandboxState>) -> wasmtime::Result<Self::Instance> {
        wasmtime::component::InstancePre::instantiate(self, store)
    }
}

rule_pre!(v0_1);
rule_pre!(v0_2);
rule_pre!(v0_3);

/// Runs `call` on a fresh instance of `pre` and classifies any failure.
pub fn run<P: RulePre, T>(
    pre: &P,
    limits: SandboxLimits,
    facts: Arc<HostFacts>,
    reads: Arc<CallReads>,
    call: impl FnOnce(&P::Instance, &mut Store<SandboxState>) -> wasmtime::Result<Result<T, String>>,
) -> Result<T, CallFailure> {
    let mut store = store(pre.engine(), limits, facts, reads);
    let outcome = pre.instantiate(&mut store).and_then(|instance| call(&instance, &mut store));
    match outcome {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(message)) => Err(CallFailure::RuleError(truncate(&super::model::escape_control(&message), 1024))),
        Err(error) => Err(classify(&store, &error, limits)),
    }
}

fn classify(store: &Store<SandboxState>, error: &wasmtime::Error, limits: SandboxLimits) -> CallFailure {
    if store.data().memory_exceeded {
        return CallFailure::Memory(limits.memory_bytes);
    }
    let trap = error.downcast_ref::<wasmtime::Trap>();
    if matches!(trap, Some(wasmtime::Trap::Interrupt)) {
        return CallFailure::TimeBudget(limits.time_budget);
    }
    // The root cause first: which trap, or the exit status, or the host's
    // own reason; the wasm backtrace (context) after it, if room is left.
    let cause = if let Some(exit) = error.downcast_ref::<wasmtime_wasi::I32Exit>() {
        format!("exited with status {}", exit.0)
    } else if let Some(trap) = trap {
        match trap {
            wasmtime::Trap::StackOverflow => "overflowed its stack".to_owned(),
            wasmtime::Trap::MemoryOutOfBounds if recursing(error) => {
                "overflowed its stack (an out-of-bounds memory access deep in recursion)".to_owned()
            }
            wasmtime::Trap::UnreachableCodeReached => "reached unreachable code (a panic or abort)".to_owned(),
            other => format!("trapped: {other}"),
        }
    } else {
        let cause = error.root_cause().to_string();
        match cause.strip_prefix("unknown import: `").and_then(|rest| rest.split_once('`')) {
            Some((import, _)) => format!("called {import}, which a rule may not use (the sandbox does not provide it)"),
            None => format!("failed: {cause}"),
        }
    };
    let mut detail = cause;
    let stderr = String::from_utf8_lossy(&store.data().stderr.contents()).trim().to_owned();
    if !stderr.is_empty() {
        detail.push_str(&format!("; stderr: {}", tail(&stderr, 600)));
    }
    let backtrace = format!("{error:?}");
    if let Some(frames) = backtrace.split_once("wasm backtrace:").map(|(_, frames)| frames.trim()) {
        detail.push_str(&format!("; wasm backtrace: {}", frames.lines().take(6).collect::<Vec<_>>().join(" | ")));
    }
    CallFailure::Trap(truncate(&super::model::escape_control(&detail), 1024))
}

/// Whether a trap's backtrace is one function calling itself: guests compiled
/// from Rust or C keep their stack in linear memory, and overflowing it is an
/// out-of-bounds access deep in recursion rather than a stack-overflow trap.
fn recursing(error: &wasmtime::Error) -> bool {
    let Some(backtrace) = error.downcast_ref::<wasmtime::WasmBacktrace>() else { return false };
    let frames = backtrace.frames();
    frames.len() >= RECURSION_FRAMES && frames[1..].windows(2).all(|w| w[0].func_index() == w[1].func_index())
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
