//! Findings in Amazon Security Lake's custom-source layout: under the
//! source's location (`s3://<lake bucket>/ext/<source name>`), one Parquet
//! file per account, region and day,
//! `region=<region>/accountId=<account>/eventDay=YYYYMMDD/<run-id>.parquet`,
//! each holding the same OCSF 1.3 Compliance Finding rows as the `findings`
//! table. Account-level findings, which have no region, go under the run's
//! home region (Security Lake partitions every record by region).
//!
//! Each account's files are written to a local spool as the account is
//! evaluated (so nothing is held for the whole organisation), then uploaded
//! by `pipeline` after the other destinations.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::findings::FindingRow;
use super::{ParquetError, Table, TableWriter};

/// The spool of one run's Security Lake files.
#[derive(Debug)]
pub struct LakeSpool {
    dir: PathBuf,
    home_region: String,
    /// `YYYYMMDD` of the run's start.
    event_day: String,
    run_id: String,
    /// The files written so far and the first write that failed, if any:
    /// the run reports it.
    written: Mutex<(Vec<LakeFile>, Option<ParquetError>)>,
}

/// A file written: its key below the source's location, its path, its rows.
pub type LakeFile = (String, PathBuf, u64);

impl LakeSpool {
    /// A spool under `dir` for run `run_id` started on `event_day` (`YYYYMMDD`).
    pub fn new(dir: PathBuf, home_region: &str, event_day: &str, run_id: &str) -> Self {
        LakeSpool {
            dir,
            home_region: home_region.to_owned(),
            event_day: event_day.to_owned(),
            run_id: run_id.to_owned(),
            written: Mutex::new((Vec::new(), None)),
        }
    }

    /// The partition of a finding of `account_id` in `region`.
    pub fn partition(region: &str, account_id: &str, event_day: &str) -> String {
        format!("region={region}/accountId={account_id}/eventDay={event_day}")
    }

    /// Writes one account's findings, one file per region.
    pub fn write_account(&self, account_id: &str, rows: &[FindingRow]) {
        let mut by_region: BTreeMap<&str, Vec<&FindingRow>> = BTreeMap::new();
        for row in rows {
            by_region.entry(row.cloud.region.as_deref().unwrap_or(&self.home_region)).or_default().push(row);
        }
        for (region, rows) in by_region {
            let relative = format!("{}/{}.parquet", Self::partition(region, account_id, &self.event_day), self.run_id);
            let outcome = self.write(&self.dir.join(&relative), &rows);
            let mut written = self.written.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            match outcome {
                Ok(path) => written.0.push((relative, path, rows.len() as u64)),
                Err(error) => {
                    written.1.get_or_insert(error);
                }
            }
        }
    }

    /// Writes `rows` to the file `target`.
    fn write(&self, target: &Path, rows: &[&FindingRow]) -> Result<PathBuf, ParquetError> {
        let fail = |path: &Path, e: std::io::Error| ParquetError::Write {
            table: "findings (Security Lake)",
            path: path.to_owned(),
            message: e.to_string(),
        };
        let dir = target.parent().unwrap_or(&self.dir);
        std::fs::create_dir_all(dir).map_err(|e| fail(dir, e))?;
        let mut writer = TableWriter::create(Table::findings(), dir)?;
        writer.append(rows)?;
        let (_, path, _) = writer.finish()?;
        std::fs::rename(&path, target).map_err(|e| fail(target, e))?;
        Ok(target.to_owned())
    }

    /// The files written (relative to the source's location, path, rows),
    /// in key order; or the first failure.
    pub fn files(&self) -> Result<Vec<LakeFile>, ParquetError> {
        let mut written = self.written.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(error) = written.1.take() {
            return Err(error);
        }
        let mut files = written.0.clone();
        files.sort();
        Ok(files)
    }
}
