//! Parquet tables: their Arrow schemas, the writer settings Athena needs, and a
//! streaming [`TableWriter`] that spools rows to a local file as accounts
//! finish, so a run's memory does not grow with the organisation.
//!
//! Conventions (see `../shared/DESIGN-NOTES.md`): timestamps are
//! `Timestamp(Millisecond, "UTC")`; list and map types use the standard Parquet
//! names (`set_coerce_types`); ZSTD level 3.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use arrow_schema::{DataType, Field, FieldRef, Fields, TimeUnit};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A table keyaudit writes. The name is the folder under the output prefix and
/// the Athena table name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Table {
    Accounts,
    KmsKeys,
    CollectionErrors,
    Findings,
    Runs,
}

impl Table {
    /// Every table, in the order they are written; `runs` is last, so a run's
    /// manifest row exists only once its data files do.
    pub const ALL: &[Table] = &[Table::Accounts, Table::KmsKeys, Table::CollectionErrors, Table::Findings, Table::Runs];

    pub fn name(self) -> &'static str {
        match self {
            Table::Accounts => "accounts",
            Table::KmsKeys => "kms_keys",
            Table::CollectionErrors => "collection_errors",
            Table::Findings => "findings",
            Table::Runs => "runs",
        }
    }

    /// The table's columns.
    pub fn fields(self) -> &'static [FieldRef] {
        match self {
            Table::Accounts => &ACCOUNTS,
            Table::KmsKeys => &KMS_KEYS,
            Table::CollectionErrors => &COLLECTION_ERRORS,
            Table::Findings => &FINDINGS,
            Table::Runs => &RUNS,
        }
    }
}

/// A Parquet write or read failed.
#[derive(Debug, thiserror::Error)]
pub enum ParquetError {
    #[error("writing table {table} to {path}: {message}")]
    Write { table: &'static str, path: PathBuf, message: String },
    #[error("reading {path}: {message}")]
    Read { path: PathBuf, message: String },
}

fn text(name: &str) -> Field {
    Field::new(name, DataType::Utf8, false)
}
fn opt_text(name: &str) -> Field {
    Field::new(name, DataType::Utf8, true)
}
fn flag(name: &str, nullable: bool) -> Field {
    Field::new(name, DataType::Boolean, nullable)
}
fn int(name: &str, nullable: bool) -> Field {
    Field::new(name, DataType::Int32, nullable)
}
fn count(name: &str) -> Field {
    Field::new(name, DataType::Int64, false)
}
fn timestamp(name: &str, nullable: bool) -> Field {
    Field::new(name, DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())), nullable)
}
fn text_list(name: &str) -> Field {
    Field::new(name, DataType::List(Arc::new(Field::new("element", DataType::Utf8, false))), false)
}
/// A list that is null when it could not be read.
fn opt_text_list(name: &str) -> Field {
    text_list(name).with_nullable(true)
}
fn text_map(name: &str) -> Field {
    opt_text_map(name).with_nullable(false)
}
/// A map that is null when it could not be read.
fn opt_text_map(name: &str) -> Field {
    let entries = Field::new("key_value", DataType::Struct(Fields::from(vec![text("key"), opt_text("value")])), false);
    Field::new(name, DataType::Map(Arc::new(entries), false), true)
}

/// Columns that place a row in the organisation; first in every inventory table.
fn scope_fields() -> Vec<Field> {
    vec![text("run_id"), text("account_id"), text("account_name"), text("ou_path"), text("org_id"), text("region")]
}

static KMS_KEYS: LazyLock<Vec<FieldRef>> = LazyLock::new(|| {
    let grant = DataType::Struct(Fields::from(vec![
        text("grant_id"),
        opt_text("name"),
        opt_text("grantee_principal"),
        opt_text("retiring_principal"),
        opt_text("issuing_account"),
        text_list("operations"),
        timestamp("creation_date", true),
        opt_text("constraints"),
    ]));
    let mut fields = scope_fields();
    fields.extend([
        text("key_id"),
        text("key_arn"),
        opt_text_list("aliases"),
        opt_text("description"),
        opt_text("key_manager"),
        opt_text("key_state"),
        flag("enabled", true),
        opt_text("key_usage"),
        opt_text("key_spec"),
        opt_text("origin"),
        flag("multi_region", true),
        opt_text("multi_region_key_type"),
        opt_text("multi_region_primary_arn"),
        opt_text_list("multi_region_replica_arns"),
        timestamp("creation_date", true),
        timestamp("deletion_date", true),
        int("pending_deletion_window_days", true),
        timestamp("valid_to", true),
        flag("rotation_enabled", true),
        int("rotation_period_days", true),
        timestamp("next_rotation_date", true),
        timestamp("last_rotation_date", true),
        int("rotation_count", true),
        timestamp("last_used_date", true),
        opt_text("key_policy"),
        Field::new("grants", DataType::List(Arc::new(Field::new("element", grant, false))), true),
        opt_text_map("tags"),
        text_list("unread"),
        timestamp("collected_at", false),
    ]);
    fields.into_iter().map(Arc::new).collect()
});

static ACCOUNTS: LazyLock<Vec<FieldRef>> = LazyLock::new(|| {
    [
        text("run_id"),
        text("account_id"),
        text("account_name"),
        text("ou_path"),
        text("ou_id_path"),
        text("org_id"),
        text_list("regions"),
        flag("entered", false),
        count("kms_keys"),
        count("collection_errors"),
    ]
    .into_iter()
    .map(Arc::new)
    .collect()
});

fn structure(name: &str, fields: Vec<Field>, nullable: bool) -> Field {
    Field::new(name, DataType::Struct(Fields::from(fields)), nullable)
}

/// OCSF 1.3 Compliance Finding (see `output::findings`).
static FINDINGS: LazyLock<Vec<FieldRef>> = LazyLock::new(|| {
    let resource = structure("element", vec![text("uid"), text("type"), opt_text("region")], false);
    [
        timestamp("time", false),
        int("class_uid", false),
        int("category_uid", false),
        int("type_uid", false),
        int("activity_id", false),
        int("severity_id", false),
        text("severity"),
        text("message"),
        structure(
            "metadata",
            vec![
                text("version"),
                structure("product", vec![text("name"), text("vendor_name"), text("version")], false),
                text("correlation_uid"),
            ],
            false,
        ),
        structure(
            "finding_info",
            vec![text("uid"), text("title"), text("desc"), timestamp("created_time", false), text_list("types")],
            false,
        ),
        structure(
            "compliance",
            vec![
                text("status"),
                int("status_id", false),
                text("control"),
                text_list("standards"),
                text_list("requirements"),
            ],
            false,
        ),
        structure(
            "cloud",
            vec![
                text("provider"),
                opt_text("region"),
                structure("account", vec![text("uid"), text("name")], false),
                structure("org", vec![text("uid"), text("ou_name")], false),
            ],
            false,
        ),
        Field::new("resources", DataType::List(Arc::new(resource)), false),
        structure("remediation", vec![text("desc"), text_list("references")], false),
        text_map("unmapped"),
    ]
    .into_iter()
    .map(Arc::new)
    .collect()
});

static COLLECTION_ERRORS: LazyLock<Vec<FieldRef>> = LazyLock::new(|| {
    [
        text("run_id"),
        text("account_id"),
        text("account_name"),
        text("region"),
        text("service"),
        text("api"),
        opt_text("resource_id"),
        text("error_code"),
        text("message"),
        timestamp("occurred_at", false),
    ]
    .into_iter()
    .map(Arc::new)
    .collect()
});

static RUNS: LazyLock<Vec<FieldRef>> = LazyLock::new(|| {
    [
        text("run_id"),
        timestamp("started_at", false),
        timestamp("finished_at", false),
        text("keyaudit_version"),
        text("config_digest"),
        text("caller_arn"),
        text("org_id"),
        opt_text("inventory_run_id"),
        text_list("org_account_ids"),
        text_list("regions"),
        text_list("services"),
        count("accounts_discovered"),
        count("accounts_selected"),
        count("accounts_scanned"),
        count("accounts_failed"),
        count("kms_keys"),
        count("collection_errors"),
        count("api_calls"),
        count("rules"),
        count("findings_pass"),
        count("findings_fail"),
        count("findings_info"),
        count("findings_error"),
        flag("complete", false),
    ]
    .into_iter()
    .map(Arc::new)
    .collect()
});

/// Writer settings for every table: ZSTD(3), standard list/map names, and
/// keyaudit's name and version in the file footer.
pub fn writer_properties() -> WriterProperties {
    WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::try_new(3).unwrap_or_default()))
        .set_coerce_types(true)
        .set_created_by(format!("keyaudit {}", env!("CARGO_PKG_VERSION")))
        .build()
}

/// Streams rows of one table into a local Parquet file.
pub struct TableWriter {
    table: Table,
    path: PathBuf,
    writer: ArrowWriter<File>,
    rows: u64,
}

impl TableWriter {
    /// Starts `<dir>/<table>.parquet`.
    pub fn create(table: Table, dir: &Path) -> Result<Self, ParquetError> {
        let path = dir.join(format!("{}.parquet", table.name()));
        let fail = |message: String| ParquetError::Write { table: table.name(), path: path.clone(), message };
        let file = File::create(&path).map_err(|e| fail(e.to_string()))?;
        let schema = Arc::new(arrow_schema::Schema::new(table.fields().to_vec()));
        let writer = ArrowWriter::try_new(file, schema, Some(writer_properties())).map_err(|e| fail(e.to_string()))?;
        Ok(Self { table, path, writer, rows: 0 })
    }

    /// Appends rows; `T` must serialize to the table's columns.
    pub fn append<T: Serialize>(&mut self, rows: &[T]) -> Result<(), ParquetError> {
        if rows.is_empty() {
            return Ok(());
        }
        let batch = serde_arrow::to_record_batch(self.table.fields(), &rows).map_err(|e| self.fail(e.to_string()))?;
        self.writer.write(&batch).map_err(|e| self.fail(e.to_string()))?;
        self.rows += rows.len() as u64;
        Ok(())
    }

    /// Rows appended so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Closes the file and returns where it is.
    pub fn finish(self) -> Result<(Table, PathBuf, u64), ParquetError> {
        let Self { table, path, writer, rows } = self;
        writer.close().map_err(|e| ParquetError::Write {
            table: table.name(),
            path: path.clone(),
            message: e.to_string(),
        })?;
        Ok((table, path, rows))
    }

    fn fail(&self, message: String) -> ParquetError {
        ParquetError::Write { table: self.table.name(), path: self.path.clone(), message }
    }
}

/// A [`TableWriter`] on a thread of its own, fed through a bounded channel:
/// producers on other threads hand it batches as they are made (a rule's
/// findings for one account) and wait when it falls behind, so at most
/// `capacity` batches are held in memory however large the run.
pub struct BackgroundWriter<T> {
    sender: std::sync::mpsc::SyncSender<Vec<T>>,
    thread: std::thread::JoinHandle<Result<TableWriter, ParquetError>>,
    rows: Arc<std::sync::atomic::AtomicU64>,
}

/// Where producers send rows for a [`BackgroundWriter`].
#[derive(Clone)]
pub struct RowSender<T> {
    sender: std::sync::mpsc::SyncSender<Vec<T>>,
}

impl<T> RowSender<T> {
    /// Hands a batch to the writer, waiting while its queue is full. A writer
    /// that failed has stopped listening; its error comes from `finish`.
    pub fn send(&self, rows: Vec<T>) {
        if !rows.is_empty() {
            let _ = self.sender.send(rows);
        }
    }
}

impl<T: Serialize + Send + 'static> BackgroundWriter<T> {
    /// Starts writing `table` into `dir` on a new thread.
    pub fn start(table: Table, dir: &Path, capacity: usize) -> Result<Self, ParquetError> {
        let mut writer = TableWriter::create(table, dir)?;
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<T>>(capacity);
        let rows = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let counted = rows.clone();
        let thread = std::thread::Builder::new()
            .name(format!("keyaudit-{}", table.name()))
            .spawn(move || {
                for batch in receiver {
                    writer.append(&batch)?;
                    counted.fetch_add(batch.len() as u64, std::sync::atomic::Ordering::Relaxed);
                }
                Ok(writer)
            })
            .map_err(|e| ParquetError::Write { table: table.name(), path: dir.to_owned(), message: e.to_string() })?;
        Ok(Self { sender, thread, rows })
    }

    /// A handle producers send rows through.
    pub fn sender(&self) -> RowSender<T> {
        RowSender { sender: self.sender.clone() }
    }

    /// Rows written so far.
    pub fn rows(&self) -> u64 {
        self.rows.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Waits for every batch sent to be written (drop every [`RowSender`]
    /// first), then closes the file.
    pub fn finish(self) -> Result<(Table, PathBuf, u64), ParquetError> {
        let Self { sender, thread, .. } = self;
        drop(sender);
        match thread.join() {
            Ok(writer) => writer?.finish(),
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }
}

/// Reads every row of a Parquet file written by [`TableWriter`].
pub fn read_rows<T: DeserializeOwned>(path: &Path) -> Result<Vec<T>, ParquetError> {
    let fail = |message: String| ParquetError::Read { path: path.to_owned(), message };
    let file = File::open(path).map_err(|e| fail(e.to_string()))?;
    let reader =
        ParquetRecordBatchReaderBuilder::try_new(file).and_then(|b| b.build()).map_err(|e| fail(e.to_string()))?;
    let mut rows = Vec::new();
    for batch in reader {
        let batch = batch.map_err(|e| fail(e.to_string()))?;
        let items: Vec<T> = serde_arrow::from_record_batch(&batch).map_err(|e| fail(e.to_string()))?;
        rows.extend(items);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{CollectionError, KmsGrant, KmsKey};

    fn sample_key() -> KmsKey {
        KmsKey {
            run_id: "r".into(),
            account_id: "111122223333".into(),
            account_name: "a".into(),
            ou_path: "Root".into(),
            org_id: "o-1".into(),
            region: "us-east-1".into(),
            key_id: "k".into(),
            key_arn: "arn:aws:kms:us-east-1:111122223333:key/k".into(),
            aliases: Some(vec!["alias/x".into()]),
            description: Some(String::new()),
            key_manager: Some("CUSTOMER".into()),
            key_state: Some("Enabled".into()),
            enabled: Some(true),
            key_usage: Some("ENCRYPT_DECRYPT".into()),
            key_spec: Some("SYMMETRIC_DEFAULT".into()),
            origin: Some("AWS_KMS".into()),
            multi_region: Some(false),
            multi_region_key_type: None,
            multi_region_primary_arn: None,
            multi_region_replica_arns: Some(vec![]),
            creation_date: Some(1_700_000_000_123),
            deletion_date: None,
            pending_deletion_window_days: None,
            valid_to: None,
            rotation_enabled: Some(true),
            rotation_period_days: Some(365),
            next_rotation_date: None,
            last_rotation_date: None,
            rotation_count: Some(0),
            last_used_date: None,
            key_policy: Some("{}".into()),
            grants: Some(vec![KmsGrant {
                grant_id: "g".into(),
                name: None,
                grantee_principal: Some("arn:aws:iam::111122223333:role/r".into()),
                retiring_principal: None,
                issuing_account: None,
                operations: vec!["Decrypt".into()],
                creation_date: Some(1),
                constraints: None,
            }]),
            tags: Some([("tier".to_owned(), "app".to_owned())].into()),
            unread: vec![],
            collected_at: 1_700_000_000_000,
        }
    }

    #[test]
    fn kms_keys_round_trip_with_athena_types() {
        let dir = tempfile::tempdir().unwrap();
        let mut writer = TableWriter::create(Table::KmsKeys, dir.path()).unwrap();
        writer.append(&[sample_key()]).unwrap();
        let (_, path, rows) = writer.finish().unwrap();
        assert_eq!(rows, 1);
        let back: Vec<KmsKey> = read_rows(&path).unwrap();
        assert_eq!(back, vec![sample_key()]);

        let file = File::open(&path).unwrap();
        let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
        let schema = builder.schema();
        assert_eq!(
            schema.field_with_name("creation_date").unwrap().data_type(),
            &DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into()))
        );
        let meta = builder.metadata().file_metadata();
        assert!(meta.created_by().unwrap_or_default().starts_with("keyaudit "));
    }

    #[test]
    fn unknown_fields_stay_null_and_empty_ones_stay_empty() {
        let unknown = KmsKey {
            aliases: None,
            description: None,
            enabled: None,
            multi_region: None,
            multi_region_replica_arns: None,
            grants: None,
            tags: None,
            unread: vec!["kms:DescribeKey".into(), "kms:ListAliases".into(), "kms:ListGrants".into()],
            ..sample_key()
        };
        let empty =
            KmsKey { aliases: Some(vec![]), grants: Some(vec![]), tags: Some(Default::default()), ..sample_key() };
        let dir = tempfile::tempdir().unwrap();
        let mut writer = TableWriter::create(Table::KmsKeys, dir.path()).unwrap();
        writer.append(&[unknown.clone(), empty.clone()]).unwrap();
        let (_, path, _) = writer.finish().unwrap();
        let back: Vec<KmsKey> = read_rows(&path).unwrap();
        assert_eq!(back, vec![unknown, empty]);
    }

    #[test]
    fn empty_table_is_still_a_valid_file() {
        let dir = tempfile::tempdir().unwrap();
        let writer = TableWriter::create(Table::CollectionErrors, dir.path()).unwrap();
        let (_, path, rows) = writer.finish().unwrap();
        assert_eq!(rows, 0);
        assert!(read_rows::<CollectionError>(&path).unwrap().is_empty());
    }
}
