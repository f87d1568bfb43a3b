//! The wasmtime engine rules run on: compilation settings, the epoch ticker
//! that enforces time budgets, and the cache of precompiled components.
//!
//! Loading precompiled code is `unsafe` (it is trusted native code), so the
//! cache lives in a folder only the current user can write, and entries are
//! keyed by the component's SHA-256 and the engine's compatibility hash.
//! Loaded engines map their entries (code and memory images), so an entry
//! is never modified in place: it is written whole to a temporary file and
//! renamed over, and eviction only unlinks.

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
/// The cache keeps at most this many bytes of compiled rules: when a new
/// entry takes it over, the least recently used entries go first.
pub const CACHE_MAX_BYTES: u64 = 1 << 30;
/// Cache entries unused for this long are removed.
pub const CACHE_MAX_AGE: Duration = Duration::from_secs(30 * 24 * 3600);

/// How many rule sandboxes may exist at once, and how large a memory may grow.
#[derive(Debug, Clone, Copy)]
pub struct Capacity {
    pub sandboxes: u32,
    pub memory_bytes: usize,
    pub tuning: Tuning,
}

/// How pooled sandboxes prepare memory for each instance. The defaults are
/// what scans use; a benchmark compares others side by side.
#[derive(Debug, Clone, Copy)]
pub struct Tuning {
    /// Map each instance's initial memory copy-on-write from the compiled
    /// rule (else its data segments are copied in: megabytes per account
    /// for Python and JavaScript rules).
    pub copy_on_write_memory: bool,
    /// Reset only the pages the previous instance touched, where the kernel
    /// can say which (`PAGEMAP_SCAN`, Linux 6.7+).
    pub reset_touched_pages: bool,
    /// Bytes of each slot's memory kept mapped between instances and reset
    /// in place (zeroed, or restored from the memory image) instead of being
    /// unmapped and faulted in again by the next rule.
    pub keep_resident_bytes: usize,
}

impl Default for Tuning {
    /// Enough kept resident to cover the images of Python and JavaScript
    /// rules (12-18 MB).
    fn default() -> Self {
        Self { copy_on_write_memory: true, reset_touched_pages: true, keep_resident_bytes: 32 << 20 }
    }
}

impl Tuning {
    /// What keyaudit did before: data segments copied into every instance,
    /// the first 8 MB of a slot zeroed in place, the rest unmapped.
    pub fn copied_memory() -> Self {
        Self { copy_on_write_memory: false, reset_touched_pages: false, keep_resident_bytes: 8 << 20 }
    }
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
        // An instance maps its initial memory copy-on-write from the compiled
        // file instead of copying the data segments (megabytes for Python and
        // JavaScript rules). Components are always loaded from a file (see
        // `component`), so no sealed memfd is needed: some sandboxed kernels
        // (gVisor among them) refuse to seal one.
        config.memory_init_cow(capacity.tuning.copy_on_write_memory);
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
    /// Either way it is loaded from a file (the cache entry, or a temporary
    /// file without a cache), which its instances' memories map copy-on-write.
    pub fn component(&self, path: &Path, bytes: &[u8]) -> Result<Component, RuleError> {
        let invalid =
            |e: wasmtime::Error| RuleError::InvalidComponent { path: path.to_owned(), problem: format!("{e:#}") };
        let cached = self.cache_dir.as_ref().map(|dir| dir.join(format!("{}.cwasm", self.cache_key(bytes))));
        if let Some(cached) = cached.as_ref().filter(|file| file.exists()) {
            // SAFETY: the file was written by `precompile_component` of an
            // engine with the same compatibility hash (it is in the file name),
            // into a folder only this user can write (checked in `new`).
            match unsafe { Component::deserialize_file(&self.engine, cached) } {
                Ok(component) => {
                    // The modification time records the last use, for eviction.
                    let touched = std::fs::File::options()
                        .append(true)
                        .open(cached)
                        .and_then(|file| file.set_modified(std::time::SystemTime::now()));
                    if let Err(e) = touched {
                        tracing::debug!(file = %cached.display(), "cannot mark cache entry as used: {e}");
                    }
                    return Ok(component);
                }
                Err(e) => tracing::warn!(file = %cached.display(), "ignoring unusable cache entry: {e}"),
            }
        }
        let compiled = self.engine.precompile_component(bytes).map_err(invalid)?;
        let loaded = match (&self.cache_dir, &cached) {
            (Some(dir), Some(cached)) => {
                let loaded = self.load_published(dir, cached, &compiled);
                evict(dir, CACHE_MAX_BYTES, CACHE_MAX_AGE);
                loaded
            }
            _ => self.load_temporary(&compiled),
        };
        match loaded {
            Ok(component) => Ok(component),
            Err(problem) => {
                tracing::warn!(rule = %path.display(), "loading the compiled rule from memory: {problem}");
                // SAFETY: `compiled` was produced by this engine just now.
                unsafe { Component::deserialize(&self.engine, &compiled) }.map_err(invalid)
            }
        }
    }

    /// Writes `compiled` to the cache as `cached` and loads it from there. A
    /// temporary file of our own is renamed into place: concurrent runs never
    /// see (or publish) each other's half-written entries.
    fn load_published(&self, dir: &Path, cached: &Path, compiled: &[u8]) -> Result<Component, String> {
        let mut file =
            tempfile::NamedTempFile::new_in(dir).map_err(|e| format!("cannot write to {}: {e}", dir.display()))?;
        std::io::Write::write_all(&mut file, compiled)
            .map_err(|e| format!("cannot write to {}: {e}", dir.display()))?;
        file.persist(cached).map_err(|e| format!("cannot write cache entry {}: {}", cached.display(), e.error))?;
        // SAFETY: the file was written from this engine's output just now, in
        // a folder only this user can write.
        unsafe { Component::deserialize_file(&self.engine, cached) }.map_err(|e| format!("{e:#}"))
    }

    /// Loads `compiled` from a temporary file, removed once it is mapped.
    fn load_temporary(&self, compiled: &[u8]) -> Result<Component, String> {
        let mut file = tempfile::NamedTempFile::new().map_err(|e| format!("cannot create a temporary file: {e}"))?;
        std::io::Write::write_all(&mut file, compiled).map_err(|e| format!("cannot write a temporary file: {e}"))?;
        // SAFETY: the file is ours (created just now with mode 0600) and holds
        // this engine's output; the mapping outlives its removal on drop.
        unsafe { Component::deserialize_file(&self.engine, file.path()) }.map_err(|e| format!("{e:#}"))
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
        .linear_memory_keep_resident(capacity.tuning.keep_resident_bytes)
        .table_keep_resident(1 << 20)
        // Where the kernel can say which pages an instance touched, only
        // those are reset, and they stay mapped for the next instance.
        .pagemap_scan(if capacity.tuning.reset_touched_pages {
            wasmtime::Enabled::Auto
        } else {
            wasmtime::Enabled::No
        });
    pool
}

/// Removes cache entries unused for `max_age`, then the least recently used
/// ones until the entries take at most `max_bytes`. Best effort: a file that
/// cannot be read or removed is left alone.
pub fn evict(dir: &Path, max_bytes: u64, max_age: Duration) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let now = std::time::SystemTime::now();
    let mut kept: Vec<(std::time::SystemTime, u64, PathBuf)> = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|ext| ext != "cwasm") {
            continue;
        }
        let Ok(meta) = entry.metadata() else { continue };
        let used = meta.modified().unwrap_or(now);
        if now.duration_since(used).is_ok_and(|age| age > max_age) {
            remove_entry(&path, "unused for too long");
        } else {
            kept.push((used, meta.len(), path));
        }
    }
    kept.sort();
    let mut total: u64 = kept.iter().map(|(_, len, _)| len).sum();
    for (_, len, path) in &kept {
        if total <= max_bytes {
            break;
        }
        remove_entry(path, "the cache is over its size limit");
        total = total.saturating_sub(*len);
    }
}

fn remove_entry(path: &Path, why: &str) {
    match std::fs::remove_file(path) {
        Ok(()) => tracing::debug!(file = %path.display(), "removed compiled-rule cache entry: {why}"),
        Err(e) => tracing::debug!(file = %path.display(), "cannot remove cache entry: {e}"),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eviction_removes_old_entries_then_least_recently_used_over_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let now = std::time::SystemTime::now();
        let entry = |name: &str, bytes: usize, age_secs: u64| {
            let path = dir.path().join(name);
            std::fs::write(&path, vec![0u8; bytes]).unwrap();
            let file = std::fs::File::options().append(true).open(&path).unwrap();
            file.set_modified(now - Duration::from_secs(age_secs)).unwrap();
            path
        };
        let stale = entry("stale.cwasm", 10, 40 * 24 * 3600);
        let oldest = entry("oldest.cwasm", 600, 300);
        let newer = entry("newer.cwasm", 600, 200);
        let newest = entry("newest.cwasm", 300, 100);
        let other = entry("notes.txt", 5000, 40 * 24 * 3600);
        evict(dir.path(), 1000, CACHE_MAX_AGE);
        assert!(!stale.exists(), "unused for longer than the age limit");
        assert!(!oldest.exists(), "least recently used goes first");
        assert!(newer.exists() && newest.exists(), "900 bytes fit in 1000");
        assert!(other.exists(), "only cache entries are touched");
    }
}
