//! The wasmtime engine rules run on: compilation settings, the epoch ticker
//! that enforces time budgets, and the cache of precompiled components.
//!
//! Loading precompiled code is `unsafe` (it is trusted native code), so the
//! cache lives in a folder only the current user can write, and entries are
//! keyed by the component's SHA-256 and the engine's compatibility hash.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use sha2::Digest;
use wasmtime::component::Component;
use wasmtime::{Config, Engine};

use super::RuleError;

/// How often the epoch advances; time budgets are whole ticks.
pub const EPOCH_TICK: Duration = Duration::from_millis(10);

/// Per rule sandbox (one component instance), the most core instances,
/// memories and tables a rule may have; also enforced by the sandbox's limiter.
pub const MAX_INSTANCES_PER_RULE: u32 = 16;
pub const MAX_MEMORIES_PER_RULE: u32 = 4;
pub const MAX_TABLES_PER_RULE: u32 = 16;
pub const MAX_TABLE_ELEMENTS: usize = 100_000;
/// Bytes of a slot's memory kept mapped between instances and zeroed in
/// place instead of being unmapped (and faulted in again by the next rule).
const KEEP_RESIDENT: usize = 8 << 20;

/// How many rule sandboxes may exist at once, and how large a memory may grow.
#[derive(Debug, Clone, Copy)]
pub struct Capacity {
    pub sandboxes: u32,
    pub memory_bytes: usize,
}

/// A wasmtime engine with a running epoch ticker; the ticker stops on drop.
pub struct RuleRuntime {
    pub engine: Engine,
    stop: Arc<AtomicBool>,
    cache_dir: Option<PathBuf>,
}

impl RuleRuntime {
    /// An engine for the component model with epoch interruption, and a
    /// precompiled-code cache in `cache_dir` (none: compile every run).
    /// Sandboxes come from a pool of `capacity.sandboxes` reusable slots
    /// when the system allows the address-space reservation, else are
    /// allocated afresh each time.
    pub fn new(cache_dir: Option<PathBuf>, capacity: Capacity) -> Result<Self, RuleError> {
        let mut config = Config::new();
        config.wasm_component_model(true).epoch_interruption(true).cranelift_opt_level(wasmtime::OptLevel::Speed);
        // Copy-on-write memory images need sealed memfds, which some sandboxed
        // kernels (gVisor among them) refuse ("cannot add seals to the memfd"),
        // failing every instantiation of a component with large data segments
        // (Python rules). Copying the data per instance works everywhere.
        config.memory_init_cow(false);
        let on_demand = config.clone();
        // A fresh instance per rule and account is the isolation we want, but
        // fresh memory costs a page fault per page touched; pooled slots keep
        // their first pages mapped and are zeroed on reuse (rules run ~1.4x
        // faster in the benchmark).
        config.allocation_strategy(wasmtime::InstanceAllocationStrategy::Pooling(pooling(capacity)));
        let engine = Engine::new(&config).or_else(|pooled| {
            tracing::warn!("rule sandboxes are not pooled (slower): {pooled}");
            Engine::new(&on_demand)
        });
        let engine = engine.map_err(|e| RuleError::Engine(e.to_string()))?;
        let stop = Arc::new(AtomicBool::new(false));
        let ticker_engine = engine.clone();
        let ticker_stop = stop.clone();
        std::thread::Builder::new()
            .name("keyaudit-epoch".into())
            .spawn(move || {
                while !ticker_stop.load(Ordering::Relaxed) {
                    std::thread::sleep(EPOCH_TICK);
                    ticker_engine.increment_epoch();
                }
            })
            .map_err(|e| RuleError::Engine(format!("starting the epoch ticker: {e}")))?;
        let cache_dir = cache_dir.and_then(|dir| match prepare_cache_dir(&dir) {
            Ok(()) => Some(dir),
            Err(problem) => {
                tracing::warn!(dir = %dir.display(), "not caching compiled rules: {problem}");
                None
            }
        });
        Ok(Self { engine, stop, cache_dir })
    }

    /// Compiles a component, or loads its precompiled form from the cache.
    pub fn component(&self, path: &Path, bytes: &[u8]) -> Result<Component, RuleError> {
        let invalid =
            |e: wasmtime::Error| RuleError::InvalidComponent { path: path.to_owned(), problem: format!("{e:#}") };
        let Some(cache_dir) = &self.cache_dir else {
            return Component::new(&self.engine, bytes).map_err(invalid);
        };
        let cached = cache_dir.join(format!("{}.cwasm", self.cache_key(bytes)));
        if cached.exists() {
            // SAFETY: the file was written by `precompile_component` of an
            // engine with the same compatibility hash (it is in the file name),
            // into a folder only this user can write (checked in `new`).
            match unsafe { Component::deserialize_file(&self.engine, &cached) } {
                Ok(component) => return Ok(component),
                Err(e) => tracing::warn!(file = %cached.display(), "ignoring unusable cache entry: {e}"),
            }
        }
        let compiled = self.engine.precompile_component(bytes).map_err(invalid)?;
        // A temporary file of our own, renamed into place: concurrent runs
        // never see (or publish) each other's half-written entries.
        let written = tempfile::NamedTempFile::new_in(cache_dir).and_then(|mut file| {
            std::io::Write::write_all(&mut file, &compiled)?;
            file.persist(&cached).map(drop).map_err(|e| e.error)
        });
        if let Err(e) = written {
            tracing::warn!(file = %cached.display(), "cannot write cache entry: {e}");
        }
        // SAFETY: `compiled` was produced by this engine just now.
        unsafe { Component::deserialize(&self.engine, &compiled) }.map_err(invalid)
    }

    fn cache_key(&self, bytes: &[u8]) -> String {
        let mut hasher = DefaultHasher::new();
        self.engine.precompile_compatibility_hash().hash(&mut hasher);
        format!("{}-{:016x}", hex::encode(sha2::Sha256::digest(bytes)), hasher.finish())
    }
}

impl Drop for RuleRuntime {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Slots for `capacity.sandboxes` rule sandboxes at once.
fn pooling(capacity: Capacity) -> wasmtime::PoolingAllocationConfig {
    let sandboxes = capacity.sandboxes.max(1);
    let mut pool = wasmtime::PoolingAllocationConfig::default();
    pool.total_component_instances(sandboxes)
        .total_core_instances(sandboxes * MAX_INSTANCES_PER_RULE)
        .total_memories(sandboxes * MAX_MEMORIES_PER_RULE)
        .total_tables(sandboxes * MAX_TABLES_PER_RULE)
        .max_core_instances_per_component(MAX_INSTANCES_PER_RULE)
        .max_memories_per_component(MAX_MEMORIES_PER_RULE)
        .max_tables_per_component(MAX_TABLES_PER_RULE)
        .table_elements(MAX_TABLE_ELEMENTS)
        // The sandbox's limiter stops growth at the configured limit first,
        // with a clear message; the slot only has to be at least as large.
        .max_memory_size(capacity.memory_bytes.clamp(64 << 20, 4 << 30))
        .linear_memory_keep_resident(KEEP_RESIDENT)
        .table_keep_resident(1 << 20);
    pool
}

/// The default cache folder: `$XDG_CACHE_HOME/keyaudit/rules` or `~/.cache/keyaudit/rules`.
pub fn default_cache_dir() -> Option<PathBuf> {
    dirs::cache_dir().map(|d| d.join("keyaudit").join("rules"))
}

/// Creates the cache folder (mode 0700) and refuses one others can write.
fn prepare_cache_dir(dir: &Path) -> Result<(), String> {
    use std::os::unix::fs::{DirBuilderExt, MetadataExt};
    std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir).map_err(|e| e.to_string())?;
    let meta = std::fs::metadata(dir).map_err(|e| e.to_string())?;
    // SAFETY: geteuid has no preconditions and cannot fail.
    let uid = unsafe { libc::geteuid() };
    if meta.uid() != uid {
        return Err(format!("it is owned by uid {}, not by this user ({uid})", meta.uid()));
    }
    if meta.mode() & 0o022 != 0 {
        return Err(format!("others can write to it (mode {:o})", meta.mode() & 0o777));
    }
    Ok(())
}
