//! Evaluation: one account's inventory through the rule engine into finding
//! rows, shared by `keyaudit scan` and `keyaudit evaluate`; and reading a
//! stored inventory back (a local folder or an S3 prefix) for `evaluate`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::inventory::{AccountRecord, CollectionError, ListingGap};
use crate::kinds::Inventory;
use crate::output::findings::{FindingRow, RuleText, finding_row};
use crate::output::security_lake::LakeSpool;
use crate::output::{ParquetError, RowSender, RunRecord, Table, read_rows};
use crate::rules::{AccountInput, RuleEngine};
use crate::summary::StatusCounts;

/// One account's finding counts, overall and per rule (the rows themselves
/// go straight to the findings spool).
#[derive(Debug, Default)]
pub struct AccountFindings {
    pub counts: StatusCounts,
    pub by_rule: BTreeMap<String, StatusCounts>,
}

/// Evaluates accounts and streams their finding rows, one rule's at a time,
/// to the findings spool. Built once per run.
pub struct Evaluator {
    engine: Arc<RuleEngine>,
    /// The run's organisation-level records and errors, given with every account.
    shared: Arc<Inventory>,
    /// Each rule's text, shared by all its rows.
    texts: BTreeMap<String, RuleText>,
    rows: RowSender<FindingRow>,
    /// Where each account's findings also go, in Security Lake's layout.
    lake: Option<Arc<LakeSpool>>,
}

impl Evaluator {
    /// An evaluator of `engine`'s rules, giving every account the run's
    /// organisation-level records (`shared`), whose rows go to `rows`.
    pub fn new(engine: Arc<RuleEngine>, shared: Arc<Inventory>, rows: RowSender<FindingRow>) -> Self {
        let texts = engine.rules().map(|rule| (rule.id.clone(), RuleText::new(rule))).collect();
        Self { engine, shared, texts, rows, lake: None }
    }

    /// Also writes each account's findings to `lake`.
    pub fn with_security_lake(mut self, lake: Arc<LakeSpool>) -> Self {
        self.lake = Some(lake);
        self
    }

    /// The rules being run.
    pub fn engine(&self) -> &RuleEngine {
        &self.engine
    }

    /// Runs every selected rule over one account. CPU-bound: call it from a
    /// blocking thread. An account whose role could not be assumed is
    /// evaluated too, over nothing: its account-level verdicts become ERROR,
    /// because its collection errors say nothing could be listed.
    pub fn account(
        &self,
        account: &AccountRecord,
        organisation: &Arc<BTreeSet<String>>,
        inventory: &Arc<Inventory>,
        evaluated_at: i64,
    ) -> AccountFindings {
        let identity = account.account();
        let errors = inventory.errors.iter().chain(&self.shared.errors);
        let gaps = ListingGap::from_errors(errors, &crate::kinds::infos());
        let input = AccountInput {
            account: &identity,
            organisation,
            regions: &account.regions,
            inventory,
            shared: &self.shared,
            gaps: &gaps,
            evaluated_at,
        };
        let prepared = self.engine.prepare(&input);
        let mut result = AccountFindings::default();
        let mut for_lake: Vec<FindingRow> = Vec::new();
        self.engine.evaluate_each(&prepared, |rule, findings| {
            let Some(text) = self.texts.get(&rule.id) else { return };
            let counts = result.by_rule.entry(rule.id.clone()).or_default();
            let rows = findings
                .into_iter()
                .map(|finding| {
                    counts.add(finding.status);
                    result.counts.add(finding.status);
                    finding_row(finding, rule, text, &identity, &account.run_id, evaluated_at)
                })
                .collect::<Vec<_>>();
            if self.lake.is_some() {
                for_lake.extend(rows.iter().cloned());
            }
            self.rows.send(rows);
        });
        if let Some(lake) = &self.lake {
            lake.write_account(&account.account_id, &for_lake);
        }
        result
    }

    /// Runs [`Evaluator::account`] on the blocking pool, keeping the async runtime free.
    pub async fn account_blocking(
        self: &Arc<Self>,
        account: AccountRecord,
        organisation: Arc<BTreeSet<String>>,
        inventory: Arc<Inventory>,
        evaluated_at: i64,
    ) -> (AccountFindings, Arc<Inventory>, AccountRecord) {
        let evaluator = self.clone();
        let joined = tokio::task::spawn_blocking(move || {
            let findings = evaluator.account(&account, &organisation, &inventory, evaluated_at);
            (findings, inventory, account)
        })
        .await;
        match joined {
            Ok(done) => done,
            // A panic in the host's own evaluation code: resurface it.
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        }
    }
}

/// A stored inventory could not be read.
#[derive(Debug, thiserror::Error)]
pub enum InventoryError {
    #[error("no keyaudit inventory under {location}: no {table}/dt=*/ files. Point --inventory at a scan's output")]
    Missing { location: String, table: &'static str },
    #[error("run {run_id} is not in the inventory at {location} (runs there: {known})")]
    UnknownRun { run_id: String, location: String, known: String },
    #[error(
        "run {run_id} at {location} was scanned without its inventory tables (output.inventory = false), so it \
         cannot be re-evaluated; scan with the inventory to replay it"
    )]
    NotWritten { run_id: String, location: String },
    #[error(transparent)]
    Parquet(#[from] ParquetError),
    #[error("reading the inventory at {location}: {message}")]
    Io { location: String, message: String },
}

/// One run's inventory, read back from its tables.
#[derive(Debug)]
pub struct StoredRun {
    pub run: RunRecord,
    pub accounts: Vec<AccountRecord>,
    /// Every kind's records and the collection errors.
    pub inventory: Inventory,
}

/// The table files of one table under a local inventory root.
pub(crate) fn table_files(root: &Path, table: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let Ok(days) = std::fs::read_dir(root.join(table)) else { return files };
    for day in days.flatten() {
        if let Ok(entries) = std::fs::read_dir(day.path()) {
            files.extend(
                entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|ext| ext == "parquet")),
            );
        }
    }
    files.sort();
    files
}

/// Reads one run (the latest unless `run_id` is given) from a local inventory folder.
pub fn read_local_run(root: &Path, run_id: Option<&str>) -> Result<StoredRun, InventoryError> {
    let location = root.display().to_string();
    let run_files = table_files(root, Table::runs().name());
    if run_files.is_empty() {
        return Err(InventoryError::Missing { location, table: "runs" });
    }
    let mut runs: Vec<RunRecord> = Vec::new();
    for file in &run_files {
        runs.extend(read_rows::<RunRecord>(file)?);
    }
    let run = match run_id {
        Some(id) => runs.iter().find(|r| r.run_id == id).cloned().ok_or_else(|| InventoryError::UnknownRun {
            run_id: id.to_owned(),
            location: location.clone(),
            known: runs
                .iter()
                .map(|r| r.run_id.as_str())
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect::<Vec<_>>()
                .join(", "),
        })?,
        // Run ids are UUIDv7: the greatest is the newest. Re-evaluations
        // have no inventory of their own.
        None => runs
            .iter()
            .filter(|r| r.inventory_run_id.is_none())
            .max_by(|a, b| a.run_id.cmp(&b.run_id))
            .cloned()
            .ok_or(InventoryError::Missing { location: location.clone(), table: "runs" })?,
    };
    // Asked for a re-evaluation: replay the scan it evaluated.
    let run = match &run.inventory_run_id {
        None => run,
        Some(scan_id) => {
            runs.iter().find(|r| &r.run_id == scan_id).cloned().ok_or_else(|| InventoryError::UnknownRun {
                run_id: scan_id.clone(),
                location: location.clone(),
                known: run.run_id.clone(),
            })?
        }
    };
    let of_run =
        |files: Vec<PathBuf>| files.into_iter().filter(|f| f.file_stem().is_some_and(|s| s == run.run_id.as_str()));
    let mut accounts = Vec::new();
    for file in of_run(table_files(root, Table::accounts().name())) {
        accounts.extend(read_rows::<AccountRecord>(&file)?);
    }
    let mut inventory = Inventory::default();
    for kind in crate::kinds::ALL {
        let mut set = kind.empty();
        for file in of_run(table_files(root, kind.info().table)) {
            set.read(&file)?;
        }
        inventory.add(set);
    }
    for file in of_run(table_files(root, Table::collection_errors().name())) {
        inventory.errors.extend(read_rows::<CollectionError>(&file)?);
    }
    Ok(StoredRun { run, accounts, inventory })
}
