//! Athena DDL for every table, derived from the tables' Arrow schemas (and
//! so from the record types), and the views over them: `keyaudit athena
//! ddl` prints it for a location, and `examples/athena/tables.sql` is its
//! checked-in copy with placeholders.

use std::fmt::Write as _;

use arrow_schema::{DataType, Field};

use super::Table;

/// Where the tables live and which database holds them.
#[derive(Debug, Clone)]
pub struct Target {
    /// `s3://bucket/prefix`, without a trailing slash: keyaudit's `--output`.
    pub location: String,
    pub database: String,
}

impl Target {
    /// The placeholders of the checked-in copy (`examples/athena/tables.sql`).
    pub fn placeholder() -> Self {
        Target { location: "s3://BUCKET/PREFIX".to_owned(), database: DEFAULT_DATABASE.to_owned() }
    }
}

/// The database `keyaudit athena ddl` creates unless told otherwise.
pub const DEFAULT_DATABASE: &str = "keyaudit";

/// How many days back the `latest_*` views look for the latest run: a
/// predicate on the partition column, so Athena reads only those days.
pub const LATEST_WITHIN_DAYS: u32 = 7;

/// The DDL of `tables` at `target`: the database, one `CREATE EXTERNAL
/// TABLE` each (columns quoted, so reserved words such as `time` are
/// columns), then the views.
pub fn ddl(tables: &[Table], target: &Target) -> String {
    let Target { location, database: db } = target;
    let mut out = format!(
        "-- Athena tables and views over keyaudit's output. `keyaudit athena ddl --location\n\
         -- s3://bucket/prefix` prints them for your location; the copy in examples/athena/tables.sql\n\
         -- has placeholders (`keyaudit generate athena-ddl`; a test fails when it is stale).\n\
         -- Run each statement in the Athena console or with `aws athena start-query-execution`.\n\
         -- Partition projection on `dt` means no MSCK REPAIR or crawler is ever needed:\n\
         -- new days appear by themselves.\n\n\
         CREATE DATABASE IF NOT EXISTS {db};\n"
    );
    for table in tables {
        let name = table.name();
        let columns: Vec<String> =
            table.fields().iter().map(|f| format!("  `{}` {}", f.name(), athena_type(f.data_type()))).collect();
        let _ = write!(
            out,
            "\nCREATE EXTERNAL TABLE IF NOT EXISTS {db}.{name} (\n{}\n)\n\
             PARTITIONED BY (dt string)\n\
             STORED AS PARQUET\n\
             LOCATION '{location}/{name}/'\n\
             TBLPROPERTIES (\n\
             \x20 'projection.enabled' = 'true',\n\
             \x20 'projection.dt.type' = 'date',\n\
             \x20 'projection.dt.format' = 'yyyy-MM-dd',\n\
             \x20 'projection.dt.range' = '2024-01-01,NOW',\n\
             \x20 'projection.dt.interval' = '1',\n\
             \x20 'projection.dt.interval.unit' = 'DAYS',\n\
             \x20 'storage.location.template' = '{location}/{name}/dt=${{dt}}/'\n\
             );\n",
            columns.join(",\n")
        );
    }
    out.push_str(&views(db));
    out
}

/// The views: Presto SQL, as Athena's views are.
fn views(db: &str) -> String {
    let recent = format!("dt >= CAST(current_date - INTERVAL '{LATEST_WITHIN_DAYS}' DAY AS varchar)");
    format!(
        "
-- The latest run of each day (scans and re-evaluations alike; a
-- re-evaluation is dated as its scan, so the last to finish).
CREATE OR REPLACE VIEW {db}.latest_runs AS
SELECT * FROM (
  SELECT r.*, row_number() OVER (PARTITION BY dt ORDER BY finished_at DESC, run_id DESC) AS recency
  FROM {db}.runs r
) ranked
WHERE recency = 1;

-- The latest finding per rule and resource (and subject) over the last
-- {LATEST_WITHIN_DAYS} days: what is true now, one row each.
CREATE OR REPLACE VIEW {db}.latest_findings AS
SELECT * FROM (
  SELECT f.*, row_number() OVER (PARTITION BY finding_info.uid ORDER BY \"time\" DESC, metadata.correlation_uid DESC) AS recency
  FROM {db}.findings f
  WHERE {recent}
) ranked
WHERE recency = 1;

-- The KSI-SVC-06 scorecards of the latest scan within the last {LATEST_WITHIN_DAYS} days.
CREATE OR REPLACE VIEW {db}.latest_ksi_scores AS
SELECT k.*
FROM {db}.ksi_scores k
JOIN (
  SELECT run_id, dt FROM {db}.runs
  WHERE {recent} AND inventory_run_id IS NULL
  ORDER BY started_at DESC
  LIMIT 1
) latest ON k.run_id = latest.run_id AND k.dt = latest.dt
WHERE k.{recent};
"
    )
}

/// Athena's (Hive's) name for an Arrow type.
fn athena_type(data_type: &DataType) -> String {
    match data_type {
        DataType::Utf8 | DataType::LargeUtf8 => "string".to_owned(),
        DataType::Boolean => "boolean".to_owned(),
        DataType::Int8 => "tinyint".to_owned(),
        DataType::Int16 => "smallint".to_owned(),
        DataType::Int32 | DataType::UInt16 => "int".to_owned(),
        DataType::Int64 | DataType::UInt32 | DataType::UInt64 => "bigint".to_owned(),
        DataType::Float32 => "float".to_owned(),
        DataType::Float64 => "double".to_owned(),
        DataType::Timestamp(..) => "timestamp".to_owned(),
        DataType::Date32 | DataType::Date64 => "date".to_owned(),
        DataType::List(item) | DataType::LargeList(item) => format!("array<{}>", athena_type(item.data_type())),
        DataType::Map(entries, _) => match entries.data_type() {
            DataType::Struct(kv) if kv.len() == 2 => {
                format!("map<{},{}>", athena_type(kv[0].data_type()), athena_type(kv[1].data_type()))
            }
            other => format!("map<{}>", athena_type(other)),
        },
        DataType::Struct(fields) => {
            format!("struct<{}>", fields.iter().map(|f| struct_field(f)).collect::<Vec<_>>().join(","))
        }
        other => format!("{other}").to_lowercase(),
    }
}

fn struct_field(field: &Field) -> String {
    format!("{}:{}", field.name(), athena_type(field.data_type()))
}
