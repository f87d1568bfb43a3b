//! The registry of resource kinds: one folder per kind, one line in [`kinds!`].
//!
//! A kind's folder holds its record (serde data; its Parquet schema is
//! derived from it), its [`KindInfo`] (names, level, APIs), its collector and
//! the records rules see. Everything generic reads the registry: the
//! pipeline's collection plan and table writers, the replay reader, per-kind
//! counts, `--services` and `scan.services`, rule-metadata checks, gaps, the
//! Athena DDL and the audit role's IAM policy.

pub mod audit_role;
mod plan;
mod records;
mod regions;

use std::future::Future;
use std::pin::Pin;

pub use self::plan::Want;
pub(crate) use self::records::record;
pub use self::records::{Facts, Inventory, Record, RecordSet, Records};
pub use self::regions::service_exists;
use crate::collect::RegionContext;
use crate::inventory::{CollectionError, KindInfo};
use crate::output::Table;

/// What a collector returns for one scope: its records and what it could not read.
pub struct Collected<R> {
    pub records: Vec<R>,
    pub errors: Vec<CollectionError>,
}

impl<R> Collected<R> {
    /// Makes each listed resource's detail calls, `ctx.concurrency()`
    /// resources at a time, and gathers every record with its error rows.
    pub async fn gather<T, E, Fut>(&mut self, ctx: &RegionContext, listed: Vec<T>, detail: impl FnMut(T) -> Fut)
    where
        Fut: Future<Output = (R, E)>,
        E: IntoIterator<Item = CollectionError>,
    {
        use futures::StreamExt;
        let mut done = futures::stream::iter(listed).map(detail).buffer_unordered(ctx.concurrency());
        while let Some((record, errors)) = done.next().await {
            self.records.push(record);
            self.errors.extend(errors);
        }
    }
}

impl<R> Default for Collected<R> {
    fn default() -> Self {
        Self { records: Vec::new(), errors: Vec::new() }
    }
}

/// A boxed collector future.
pub type CollectFuture<'a, R> = Pin<Box<dyn Future<Output = Collected<R>> + Send + 'a>>;

/// One kind's behaviour, for generic code.
pub trait Kind: Send + Sync + 'static {
    fn info(&self) -> &'static KindInfo;
    /// Collects the kind in one scope (an account-region, or an account for
    /// account-level kinds), making only the detail calls `want` needs.
    fn collect<'a>(
        &'a self,
        ctx: &'a RegionContext,
        want: &'a Want,
    ) -> Pin<Box<dyn Future<Output = Inventory> + Send + 'a>>;
    /// An empty set of the kind's records.
    fn empty(&self) -> Box<dyn RecordSet>;
    /// Its inventory table.
    fn table(&self) -> Table;
}

/// A kind defined by its record type, its info and its collector function.
pub struct KindDef<R: Record> {
    pub info: &'static KindInfo,
    pub collect: for<'a> fn(&'a RegionContext, &'a Want) -> CollectFuture<'a, R>,
}

impl<R: Record> Kind for KindDef<R> {
    fn info(&self) -> &'static KindInfo {
        self.info
    }

    fn collect<'a>(
        &'a self,
        ctx: &'a RegionContext,
        want: &'a Want,
    ) -> Pin<Box<dyn Future<Output = Inventory> + Send + 'a>> {
        Box::pin(async move {
            let Collected { mut records, errors } = (self.collect)(ctx, want).await;
            records.sort_by(|a, b| a.id().cmp(b.id()));
            let mut inventory = Inventory::of_errors(errors);
            inventory.add(Box::new(Records::new(self.info, records)));
            inventory
        })
    }

    fn empty(&self) -> Box<dyn RecordSet> {
        Box::new(Records::<R>::new(self.info, Vec::new()))
    }

    fn table(&self) -> Table {
        Table::of::<R>(self.info.table)
    }
}

/// Declares the kinds: each `folder => its KindDef static` line is one kind,
/// in collection and table order.
macro_rules! kinds {
    ($($folder:ident),* $(,)?) => {
        $(pub mod $folder;)*
        /// Every kind keyaudit knows, in collection and table order.
        pub static ALL: &[&dyn Kind] = &[$(&$folder::KIND),*];

        /// Defines every kind's `list` of the 0.3 contract in `linker`.
        pub(crate) fn link_rule_views(
            linker: &mut wasmtime::component::Linker<crate::rules::sandbox::SandboxState>,
        ) -> wasmtime::Result<()> {
            $($folder::rules::link(linker)?;)*
            Ok(())
        }
    };
}

kinds! {
    kms_key,
    acm_certificate,
    secret,
    ssm_parameter,
    iam_server_certificate,
    iam_policy,
    cloudtrail_trail,
    cloudtrail_key_activity,
    cloudformation_stack,
    config_rule,
    config_recorder,
    config_conformance_pack,
    organization,
    service_control_policy,
}

/// The kind named `name` (`kms-key`).
pub fn by_name(name: &str) -> Option<&'static dyn Kind> {
    ALL.iter().copied().find(|k| k.info().name == name)
}

/// The kind selected as `service` in `scan.services` (`kms`).
pub fn by_service(service: &str) -> Option<&'static dyn Kind> {
    ALL.iter().copied().find(|k| k.info().service == service)
}

/// Every kind's service name, for `--services` and error messages.
pub fn service_names() -> Vec<&'static str> {
    ALL.iter().map(|k| k.info().service).collect()
}

/// Every kind's info.
pub fn infos() -> Vec<&'static KindInfo> {
    ALL.iter().map(|k| k.info()).collect()
}

/// Every table keyaudit writes, in the order they are written (`runs` last,
/// so a run's manifest row exists only once its data files do).
pub fn tables() -> Vec<Table> {
    let mut tables = vec![Table::accounts()];
    tables.extend(ALL.iter().map(|k| k.table()));
    tables.extend([Table::collection_errors(), Table::findings(), Table::ksi_scores(), Table::runs()]);
    tables
}

/// The read-only actions the audit role needs in every account: every
/// account- and region-level kind's APIs plus entering the account and
/// finding its regions. Organisation-level kinds are read with the scanning
/// credentials, as discovery is (`organizations:List*`, `Describe*`).
pub fn audit_role_actions() -> Vec<&'static str> {
    let mut actions: Vec<&'static str> = vec![crate::inventory::DESCRIBE_REGIONS_API];
    for kind in ALL.iter().filter(|k| k.info().level != crate::inventory::Level::Organisation) {
        actions.extend(kind.info().apis.iter().map(|a| a.name));
    }
    actions.sort_unstable();
    actions.dedup();
    actions
}

/// IAM-style wildcard match (`*`, `?`), for tests over action names.
#[cfg(test)]
pub(crate) fn glob(pattern: &str, text: &str) -> bool {
    match (pattern.as_bytes().first(), text.as_bytes().first()) {
        (None, None) => true,
        (Some(b'*'), _) => glob(&pattern[1..], text) || (!text.is_empty() && glob(pattern, &text[1..])),
        (Some(b'?'), Some(_)) => glob(&pattern[1..], &text[1..]),
        (Some(p), Some(t)) if p == t => glob(&pattern[1..], &text[1..]),
        _ => false,
    }
}
