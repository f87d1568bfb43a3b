//! Parquet tables: their Arrow schemas, the writer settings Athena needs, and a
//! streaming [`TableWriter`] that spools rows to a local file as accounts
//! finish, so a run's memory does not grow with the organisation.
//!
//! Conventions (see `../shared/DESIGN-NOTES.md`): timestamps are
//! `Timestamp(Millisecond, "UTC")`; list and map types use the standard Parquet
//! names (`set_coerce_types`); ZSTD level 3.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_schema::{DataType, Field, FieldRef, Fields, TimeUnit};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A record type written as a table. Its Arrow schema is derived from the
/// type (`serde_arrow`), with the listed columns stored as timestamps.
pub trait Tabular: Serialize + DeserializeOwned {
    /// Columns, at any depth, that hold epoch milliseconds (UTC) and are
    /// stored as `Timestamp(Millisecond, "UTC")`.
    const TIMESTAMPS: &'static [&'static str];
}

impl Tabular for crate::inventory::AccountRecord {
    const TIMESTAMPS: &'static [&'static str] = &[];
}

impl Tabular for crate::ksi::KsiScore {
    const TIMESTAMPS: &'static [&'static str] = &[];
}

impl Tabular for crate::inventory::CollectionError {
    const TIMESTAMPS: &'static [&'static str] = &["occurred_at"];
}

/// A table keyaudit writes: its name (the folder under the output prefix
/// and the Athena table name) and its columns.
#[derive(Debug, Clone)]
pub struct Table {
    name: &'static str,
    fields: Arc<[FieldRef]>,
}

impl PartialEq for Table {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Table {
    /// The table `name` of records `T`, its schema derived from `T`.
    pub fn of<T: Tabular>(name: &'static str) -> Table {
        Table { name, fields: schema_of::<T>().into() }
    }

    /// One row per scanned account.
    pub fn accounts() -> Table {
        Table::of::<crate::inventory::AccountRecord>("accounts")
    }

    /// What could not be collected.
    pub fn collection_errors() -> Table {
        Table::of::<crate::inventory::CollectionError>("collection_errors")
    }

    /// The KSI-SVC-06 scorecards, per account and for the organisation.
    pub fn ksi_scores() -> Table {
        Table::of::<crate::ksi::KsiScore>("ksi_scores")
    }

    /// OCSF findings.
    pub fn findings() -> Table {
        Table::of::<super::findings::FindingRow>("findings")
    }

    /// The run manifest.
    pub fn runs() -> Table {
        Table::of::<super::RunRecord>("runs")
    }

    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The table's columns.
    pub fn fields(&self) -> &[FieldRef] {
        &self.fields
    }
}

/// The Arrow columns of `T`: traced from the type, nullable where it is an
/// `Option`, maps as Arrow maps, and `T::TIMESTAMPS` as millisecond timestamps.
/// Every table's schema is checked by a unit test, so a type that cannot be
/// traced never ships.
pub fn schema_of<T: Tabular>() -> Vec<FieldRef> {
    let options = serde_arrow::schema::TracingOptions::default()
        .map_as_struct(false)
        .strings_as_large_utf8(false)
        .sequence_as_large_list(false)
        .from_type_budget(1000);
    let fields: Vec<FieldRef> = match <Vec<FieldRef> as serde_arrow::schema::SchemaLike>::from_type::<T>(options) {
        Ok(fields) => fields,
        Err(e) => panic!("the table schema of {} cannot be derived: {e}", std::any::type_name::<T>()),
    };
    fields.iter().map(|f| Arc::new(with_timestamps(f, T::TIMESTAMPS))).collect()
}

/// `field` with every integer column named in `timestamps` (at any depth)
/// turned into a UTC millisecond timestamp.
fn with_timestamps(field: &Field, timestamps: &[&str]) -> Field {
    let data_type = match field.data_type() {
        DataType::Int64 if timestamps.contains(&field.name().as_str()) => {
            DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into()))
        }
        DataType::Struct(children) => {
            DataType::Struct(children.iter().map(|c| with_timestamps(c, timestamps)).collect::<Fields>())
        }
        DataType::List(item) => DataType::List(Arc::new(with_timestamps(item, timestamps))),
        DataType::Map(entries, sorted) => DataType::Map(Arc::new(with_timestamps(entries, timestamps)), *sorted),
        other => other.clone(),
    };
    field.clone().with_data_type(data_type)
}

/// A Parquet write or read failed.
#[derive(Debug, thiserror::Error)]
pub enum ParquetError {
    #[error("writing table {table} to {path}: {message}")]
    Write { table: &'static str, path: PathBuf, message: String },
    #[error("reading {path}: {message}")]
    Read { path: PathBuf, message: String },
}

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
        let name = table.name();
        let mut writer = TableWriter::create(table, dir)?;
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Vec<T>>(capacity);
        let rows = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let counted = rows.clone();
        let thread = std::thread::Builder::new()
            .name(format!("keyaudit-{name}"))
            .spawn(move || {
                for batch in receiver {
                    writer.append(&batch)?;
                    counted.fetch_add(batch.len() as u64, std::sync::atomic::Ordering::Relaxed);
                }
                Ok(writer)
            })
            .map_err(|e| ParquetError::Write { table: name, path: dir.to_owned(), message: e.to_string() })?;
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
    use crate::inventory::CollectionError;
    use crate::kinds::kms_key::{KmsGrant, KmsKey};

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
            last_used_operation: None,
            last_used_event_id: None,
            usage_tracked_since: None,
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
        let mut writer = TableWriter::create(Table::of::<KmsKey>("kms_keys"), dir.path()).unwrap();
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
        let mut writer = TableWriter::create(Table::of::<KmsKey>("kms_keys"), dir.path()).unwrap();
        writer.append(&[unknown.clone(), empty.clone()]).unwrap();
        let (_, path, _) = writer.finish().unwrap();
        let back: Vec<KmsKey> = read_rows(&path).unwrap();
        assert_eq!(back, vec![unknown, empty]);
    }

    #[test]
    fn every_tables_schema_derives_with_timestamps() {
        for table in crate::kinds::tables() {
            assert!(!table.fields().is_empty(), "{}", table.name());
        }
        let runs = Table::runs();
        let started = runs.fields().iter().find(|f| f.name() == "started_at").unwrap();
        assert_eq!(started.data_type(), &DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())));
        let keys = Table::of::<KmsKey>("kms_keys");
        let grants = keys.fields().iter().find(|f| f.name() == "grants").unwrap();
        let DataType::List(grant) = grants.data_type() else { panic!("grants is a list") };
        let DataType::Struct(grant) = grant.data_type() else { panic!("of structs") };
        let created = grant.iter().find(|f| f.name() == "creation_date").unwrap();
        assert!(matches!(created.data_type(), DataType::Timestamp(..)), "nested timestamps too");
        assert!(grants.is_nullable(), "unknown grants are null");
    }

    #[test]
    fn empty_table_is_still_a_valid_file() {
        let dir = tempfile::tempdir().unwrap();
        let writer = TableWriter::create(Table::collection_errors(), dir.path()).unwrap();
        let (_, path, rows) = writer.finish().unwrap();
        assert_eq!(rows, 0);
        assert!(read_rows::<CollectionError>(&path).unwrap().is_empty());
    }
}
