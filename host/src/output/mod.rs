//! Output: where tables go and how they are laid out. The only module that
//! knows the layout `<prefix>/<table>/dt=YYYY-MM-DD/<run-id>.parquet`.
//!
//! Tables are first written to local spool files ([`parquet::TableWriter`]),
//! then copied to every destination; the `runs` manifest goes last so a run
//! row never points at missing data.

pub mod athena;
pub mod findings;
pub mod parquet;
pub mod s3;
pub mod security_lake;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use self::parquet::{BackgroundWriter, ParquetError, RowSender, Table, TableWriter, Tabular, read_rows, schema_of};

/// Where a run's tables are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// `s3://bucket/prefix`
    S3 { bucket: String, prefix: String },
    /// A local folder.
    Local(PathBuf),
}

impl Destination {
    /// Parses `s3://bucket[/prefix]` or a local path (optionally `file://`).
    pub fn parse(uri: &str) -> Result<Self, String> {
        let lower = uri.to_ascii_lowercase();
        if lower.starts_with("s3:") && !uri.starts_with("s3://") {
            let rest = uri[3..].trim_start_matches('/');
            return Err(format!("an S3 location is written s3://bucket/prefix, with two slashes: s3://{rest}"));
        }
        if let Some(rest) = uri.strip_prefix("s3://") {
            let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
            let valid_bucket = (3..=63).contains(&bucket.len())
                && bucket.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.');
            if !valid_bucket {
                return Err(format!(
                    "{bucket:?} is not a valid S3 bucket name (3-63 lowercase letters, digits, '-' and '.'); \
                     write s3://bucket/prefix"
                ));
            }
            return Ok(Destination::S3 { bucket: bucket.to_owned(), prefix: prefix.trim_matches('/').to_owned() });
        }
        if uri.contains(":/") && !uri.starts_with("file://") {
            return Err("use s3://bucket/prefix or a local folder".to_owned());
        }
        let path = uri.strip_prefix("file://").unwrap_or(uri);
        if path.is_empty() {
            return Err("the folder is empty".to_owned());
        }
        Ok(Destination::Local(PathBuf::from(path)))
    }
}

impl std::fmt::Display for Destination {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Destination::S3 { bucket, prefix } if prefix.is_empty() => write!(f, "s3://{bucket}"),
            Destination::S3 { bucket, prefix } => write!(f, "s3://{bucket}/{prefix}"),
            Destination::Local(path) => write!(f, "{}", path.display()),
        }
    }
}

/// The relative path of one table file: `<table>/dt=<date>/<run-id>.parquet`.
pub fn table_file(table: &Table, date: &str, run_id: &str) -> String {
    format!("{}/dt={date}/{run_id}.parquet", table.name())
}

/// Joins a prefix and a relative path with exactly one `/`.
pub fn join_key(prefix: &str, relative: &str) -> String {
    if prefix.is_empty() { relative.to_owned() } else { format!("{prefix}/{relative}") }
}

/// One row of the `runs` manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    pub run_id: String,
    pub started_at: i64,
    pub finished_at: i64,
    pub keyaudit_version: String,
    pub config_digest: String,
    pub caller_arn: String,
    pub org_id: String,
    /// For a re-evaluation (`keyaudit evaluate`), the scan run whose
    /// inventory it evaluated; null for a scan.
    pub inventory_run_id: Option<String>,
    /// Every account of the organisation known to the run (rules judge
    /// cross-account access against it).
    pub org_account_ids: Vec<String>,
    pub regions: Vec<String>,
    pub services: Vec<String>,
    pub accounts_discovered: i64,
    pub accounts_selected: i64,
    pub accounts_scanned: i64,
    pub accounts_failed: i64,
    /// Resources collected, by kind (`kms-key` → 12).
    pub resources: std::collections::BTreeMap<String, i64>,
    /// Whether the inventory tables were written (`output.inventory`); a
    /// run without them cannot be re-evaluated.
    pub inventory: bool,
    pub collection_errors: i64,
    pub api_calls: i64,
    /// Rules evaluated.
    pub rules: i64,
    pub findings_pass: i64,
    pub findings_fail: i64,
    pub findings_info: i64,
    pub findings_error: i64,
    /// True when every account × region × service was collected without error.
    pub complete: bool,
}

impl Tabular for RunRecord {
    const TIMESTAMPS: &'static [&'static str] = &["started_at", "finished_at"];
}

/// Writing to a destination failed.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error(transparent)]
    Parquet(#[from] ParquetError),
    #[error("writing {path}: {source}")]
    Local { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    S3(#[from] s3::S3Error),
    #[error("internal error: an S3 destination without an S3 client")]
    NoS3Client,
}

/// Copies a finished local file into a local destination, atomically (write
/// to a temporary name, then rename).
pub fn copy_local(file: &Path, root: &Path, relative: &str) -> Result<PathBuf, OutputError> {
    let target = root.join(relative);
    let fail = |source| OutputError::Local { path: target.clone(), source };
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    let partial = target.with_extension("parquet.partial");
    std::fs::copy(file, &partial).map_err(fail)?;
    std::fs::rename(&partial, &target).map_err(fail)?;
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_destinations() {
        assert_eq!(
            Destination::parse("s3://my-bucket/audit/keyaudit/").unwrap(),
            Destination::S3 { bucket: "my-bucket".into(), prefix: "audit/keyaudit".into() }
        );
        assert_eq!(
            Destination::parse("s3://my-bucket").unwrap(),
            Destination::S3 { bucket: "my-bucket".into(), prefix: String::new() }
        );
        assert_eq!(Destination::parse("./out").unwrap(), Destination::Local("./out".into()));
        assert!(Destination::parse("s3://My_Bucket/x").is_err());
        assert!(Destination::parse("gs://bucket").is_err());
        for typo in ["s3:/bucket/x", "s3:bucket/x", "S3://bucket/x"] {
            let err = Destination::parse(typo).unwrap_err();
            assert!(err.contains("s3://bucket/x"), "{typo}: {err}");
        }
    }

    #[test]
    fn hive_layout() {
        assert_eq!(table_file(&Table::accounts(), "2026-11-23", "r1"), "accounts/dt=2026-11-23/r1.parquet");
        assert_eq!(join_key("a/b", "x"), "a/b/x");
        assert_eq!(join_key("", "x"), "x");
    }
}
