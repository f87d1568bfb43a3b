//! Reads what a report shows from a keyaudit output folder: the `runs`
//! manifest (every run, for the trend), and the chosen run's and the
//! previous run's files of `findings`, `ksi_scores`, `accounts` and
//! `collection_errors` (files are named by run id, so nothing else is read).

use std::path::Path;

use crate::evaluate::{InventoryError, table_files};
use crate::inventory::{AccountRecord, CollectionError};
use crate::ksi::KsiScore;
use crate::output::findings::FindingRow;
use crate::output::{RunRecord, Table, read_rows};

/// Everything a report is built from.
#[derive(Debug)]
pub struct ReportData {
    /// Every stored run, oldest first.
    pub runs: Vec<RunRecord>,
    pub run: RunRecord,
    pub previous: Option<RunRecord>,
    /// The accounts of the run's inventory (its scan's).
    pub accounts: Vec<AccountRecord>,
    pub findings: Vec<FindingRow>,
    pub previous_findings: Vec<FindingRow>,
    pub ksi: Vec<KsiScore>,
    /// What the run's scan could not collect.
    pub errors: Vec<CollectionError>,
}

/// The run a report is about and the run it is compared with.
pub fn choose_runs(
    runs: &[RunRecord],
    run: Option<&str>,
    previous: Option<&str>,
    location: &str,
) -> Result<(RunRecord, Option<RunRecord>), InventoryError> {
    let known = || runs.iter().rev().take(5).map(|r| r.run_id.as_str()).collect::<Vec<_>>().join(", ");
    let find = |id: &str| {
        runs.iter().find(|r| r.run_id == id).cloned().ok_or_else(|| InventoryError::UnknownRun {
            run_id: id.to_owned(),
            location: location.to_owned(),
            known: known(),
        })
    };
    let chosen = match run {
        Some(id) => find(id)?,
        None => runs
            .last()
            .cloned()
            .ok_or_else(|| InventoryError::Missing { location: location.to_owned(), table: "runs" })?,
    };
    let previous = match previous {
        Some(id) => Some(find(id)?),
        None => runs.iter().rev().find(|r| finished_before(r, &chosen)).cloned(),
    };
    Ok((chosen, previous))
}

/// Whether `a` finished before `b` (run ids, time-ordered, break ties).
fn finished_before(a: &RunRecord, b: &RunRecord) -> bool {
    (a.finished_at, &a.run_id) < (b.finished_at, &b.run_id)
}

/// Every run's manifest row under `root`, oldest first.
pub fn read_runs(root: &Path) -> Result<Vec<RunRecord>, InventoryError> {
    let files = table_files(root, Table::runs().name());
    if files.is_empty() {
        return Err(InventoryError::Missing { location: root.display().to_string(), table: "runs" });
    }
    let mut runs = Vec::new();
    for file in files {
        runs.extend(read_rows::<RunRecord>(&file)?);
    }
    runs.sort_by(|a, b| (a.finished_at, &a.run_id).cmp(&(b.finished_at, &b.run_id)));
    Ok(runs)
}

/// The rows of `table` written by run `run_id`.
fn rows_of<T: serde::de::DeserializeOwned>(root: &Path, table: &str, run_id: &str) -> Result<Vec<T>, InventoryError> {
    let name = format!("{run_id}.parquet");
    let mut rows = Vec::new();
    for file in table_files(root, table) {
        if file.file_name().is_some_and(|f| f.to_string_lossy() == name) {
            rows.extend(read_rows::<T>(&file)?);
        }
    }
    Ok(rows)
}

/// Reads a report's data from a local output folder.
pub fn read(root: &Path, run: Option<&str>, previous: Option<&str>) -> Result<ReportData, InventoryError> {
    let location = root.display().to_string();
    let runs = read_runs(root)?;
    let (run, previous) = choose_runs(&runs, run, previous, &location)?;
    let scan = run.inventory_run_id.clone().unwrap_or_else(|| run.run_id.clone());
    let accounts = rows_of(root, Table::accounts().name(), &scan)?;
    let errors = rows_of(root, Table::collection_errors().name(), &scan)?;
    let findings = rows_of(root, Table::findings().name(), &run.run_id)?;
    let ksi = rows_of(root, Table::ksi_scores().name(), &run.run_id)?;
    let previous_findings = match &previous {
        Some(p) => rows_of(root, Table::findings().name(), &p.run_id)?,
        None => Vec::new(),
    };
    Ok(ReportData { runs, run, previous, accounts, findings, previous_findings, ksi, errors })
}

/// The tables a report reads, for downloading from S3.
pub fn tables() -> [&'static str; 5] {
    [
        Table::runs().name(),
        Table::accounts().name(),
        Table::collection_errors().name(),
        Table::findings().name(),
        Table::ksi_scores().name(),
    ]
}
