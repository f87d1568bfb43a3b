//! The scan pipeline: the only place that knows the order of the stages and
//! owns the concurrency limits.
//!
//! ```text
//! preflight (STS identity, output buckets) → discover accounts → per account, concurrently:
//!   assume role → regions → collect region × service → spool rows to Parquet
//! → copy tables to every destination (runs manifest last) → RunSummary
//! ```
//!
//! An account's records are written to the spool as soon as the account is
//! done, so memory holds only the accounts in flight.

use std::collections::{BTreeMap, BTreeSet};
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use aws_config::SdkConfig;
use chrono::{DateTime, Utc};
use futures::StreamExt;
use tokio::sync::Semaphore;

use crate::aws::{self, AwsError, AwsSettings, ErrorKind, RetryPolicy};
use crate::collect::{CallStats, EventWindow, RegionContext, SharedLimits};
use crate::config::ValidConfig;
use crate::credentials;
use crate::discover::{self, DiscoverError, Skipped};
use crate::evaluate::{self, AccountFindings, Evaluator};
use crate::inventory::{
    ASSUME_ROLE_API, Account, AccountRecord, CollectionError, DESCRIBE_REGIONS_API, GLOBAL_REGION, Level, Scope,
};
use crate::kinds::{self, Inventory, Kind, Want};
use crate::ksi;
use crate::output::s3::{S3Error, S3Settings, S3Writer};
use crate::output::security_lake::LakeSpool;
use crate::output::{self, BackgroundWriter, Destination, OutputError, RunRecord, Table, TableWriter};
use crate::progress::Progress;
use crate::regions;
use crate::rules::{RuleEngine, RuleError};
use crate::summary::{AccountSummary, RunSummary, StatusCounts, WrittenFile};

/// A failure that stops the run before or after scanning. Failures inside an
/// account never do: they become `collection_errors` rows.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error("{}", preflight_message(endpoint, profile.as_deref(), error))]
    Preflight { endpoint: String, profile: Option<String>, error: AwsError },
    #[error(transparent)]
    Discover(#[from] DiscoverError),
    #[error(transparent)]
    Rules(#[from] RuleError),
    #[error(
        "no account left to scan: {discovered} discovered, {not_active} not ACTIVE, {excluded} excluded, \
         {not_included} not matched by include_accounts/include_ous. Check the discovery filters"
    )]
    NoAccounts { discovered: usize, not_active: usize, excluded: usize, not_included: usize },
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error("cannot create the spool folder for table files: {0}")]
    Spool(std::io::Error),
    #[error(transparent)]
    Inventory(#[from] evaluate::InventoryError),
    #[error("{}", publish_message(failed, complete))]
    Publish {
        /// Each destination that failed, with the error that stopped it.
        failed: Vec<(String, OutputError)>,
        /// The destinations written whole, `runs` row included.
        complete: Vec<String>,
    },
}

/// One line: what stopped where, and what was written whole.
fn publish_message(failed: &[(String, OutputError)], complete: &[String]) -> String {
    let failed: Vec<String> = failed
        .iter()
        .map(|(destination, error)| format!("{destination} is incomplete, without a runs row ({error})"))
        .collect();
    let mut message = format!("writing the output failed: {}", failed.join("; "));
    if !complete.is_empty() {
        message.push_str(&format!("; written whole: {}", complete.join(", ")));
    }
    message
}

/// What went wrong with the first call of a run, and what to do about it.
fn preflight_message(endpoint: &str, profile: Option<&str>, err: &AwsError) -> String {
    let what = err.describe();
    match (err.kind(), profile) {
        (ErrorKind::NoCredentials, Some(profile)) => format!(
            "no AWS credentials in profile {profile:?}: check that ~/.aws/config or ~/.aws/credentials (or \
             AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE) define it, or give another --profile"
        ),
        (ErrorKind::NoCredentials, None) => "no AWS credentials: set AWS_PROFILE (or --profile), or \
                                             AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where a role is \
                                             available"
            .to_owned(),
        (ErrorKind::Throttled, _) => format!(
            "sts:GetCallerIdentity{endpoint} was throttled: {what}. Try again later, or allow more attempts \
             (--max-attempts)"
        ),
        (ErrorKind::Denied, _) => format!(
            "the credentials were refused by sts:GetCallerIdentity{endpoint}: {what}. Check that they are valid and \
             not expired"
        ),
        (ErrorKind::Unreachable | ErrorKind::ServerFault, _) => format!(
            "cannot reach AWS{endpoint}: {what}. Check the endpoint (--endpoint-url / AWS_ENDPOINT_URL) and the network"
        ),
        (ErrorKind::Other, _) => format!("sts:GetCallerIdentity{endpoint} failed: {what}"),
    }
}

impl From<S3Error> for PipelineError {
    fn from(err: S3Error) -> Self {
        PipelineError::Output(OutputError::S3(err))
    }
}

impl From<output::ParquetError> for PipelineError {
    fn from(err: output::ParquetError) -> Self {
        PipelineError::Output(OutputError::Parquet(err))
    }
}

/// Batches of finding rows (one rule's for one account) waiting for the
/// spool writer; evaluation waits beyond this, so memory stays bounded.
const FINDING_BATCHES_QUEUED: usize = 2;

/// What every account scan shares.
struct AccountPlan {
    run_id: String,
    base: SdkConfig,
    partition: String,
    valid: ValidConfig,
    limits: SharedLimits,
    evaluator: Arc<Evaluator>,
    organisation: Arc<BTreeSet<String>>,
    evaluated_at: i64,
    /// The kinds to collect, each with the field groups to read.
    collect: Vec<(&'static dyn Kind, Want)>,
}

/// One account's inventory, findings, and how its scan went.
struct AccountResult {
    record: AccountRecord,
    inventory: Arc<Inventory>,
    findings: AccountFindings,
}

/// The spool writers of the inventory tables, one per kind collected.
struct KindWriters {
    writers: Vec<(&'static str, TableWriter)>,
}

impl KindWriters {
    fn create(kinds: &[(&'static dyn Kind, Want)], dir: &std::path::Path) -> Result<Self, PipelineError> {
        let mut writers = Vec::new();
        for (kind, _) in kinds {
            writers.push((kind.info().name, TableWriter::create(kind.table(), dir)?));
        }
        Ok(Self { writers })
    }

    fn append(&mut self, inventory: &Inventory) -> Result<(), PipelineError> {
        for set in inventory.sets() {
            if let Some((_, writer)) = self.writers.iter_mut().find(|(kind, _)| *kind == set.info().name) {
                set.write(writer)?;
            }
        }
        Ok(())
    }

    fn finish(self) -> Result<Vec<(Table, PathBuf, u64)>, PipelineError> {
        self.writers.into_iter().map(|(_, w)| Ok(w.finish()?)).collect()
    }
}

/// The kinds a scan collects: those named in `scan.services`, each read
/// whole when its inventory table is written (but for its on-demand groups,
/// read only when a selected rule reads them); otherwise only the kinds and
/// field groups the selected rules read, so no detail call is made that
/// nothing reads.
fn collection_plan(config: &crate::config::Config, engine: &RuleEngine) -> Vec<(&'static dyn Kind, Want)> {
    let selected =
        kinds::ALL.iter().copied().filter(|kind| config.scan.services.iter().any(|s| s == kind.info().service));
    let wants = engine.wants();
    if config.output.inventory {
        return selected
            .map(|kind| {
                let info = kind.info();
                if info.on_demand_groups.is_empty() {
                    return (kind, Want::all());
                }
                let mut want =
                    Want::only(info.field_groups.iter().copied().filter(|g| !info.on_demand_groups.contains(g)));
                if let Some((_, read)) = wants.iter().find(|(k, _)| *k == info.name) {
                    want.merge(read);
                }
                (kind, want)
            })
            .collect();
    }
    selected
        .filter_map(|kind| wants.iter().find(|(k, _)| *k == kind.info().name).map(|(_, want)| (kind, want.clone())))
        .collect()
}

/// Runs one scan as configured, reporting progress, and returns its summary.
pub async fn run(valid: ValidConfig, progress: &Progress) -> Result<RunSummary, PipelineError> {
    let config = &valid.config;
    let started_at = Utc::now();
    let run_id = uuid::Uuid::now_v7().to_string();
    // Rules first: a broken rule should stop the run before any AWS call.
    let mut engine = load_rules(&config.rules).await?;
    let services: Vec<&str> = kinds::ALL
        .iter()
        .map(|k| k.info())
        .filter(|k| config.scan.services.iter().any(|s| s == k.service))
        .map(|k| k.name)
        .collect();
    engine.keep_rules_reading(&services);
    let collect = collection_plan(config, &engine);
    let engine = Arc::new(engine);
    let settings = AwsSettings::from(config);
    let base = aws::base_config(&settings).await;
    let retry = RetryPolicy::new(config.limits.max_attempts);
    let caller = preflight(&base, config, &retry).await?;
    tracing::info!(run_id, caller = %caller.arn, "starting scan");

    let s3 = S3Writer::new(&base, S3Settings::from(&config.output));
    check_destinations(&valid.destinations, &s3).await?;
    check_destinations(valid.security_lake.as_slice(), &s3).await?;

    let discovered = discover::discover(&base, &config.discovery, &retry).await?;
    let (accounts, skipped) = discover::select(&discovered, &config.discovery);
    let count_skipped = |reason| skipped.iter().filter(|(_, r)| *r == reason).count();
    for (account, reason) in &skipped {
        tracing::info!(account = %account.account_id, ?reason, "account not scanned");
    }
    if accounts.is_empty() {
        return Err(PipelineError::NoAccounts {
            discovered: discovered.accounts.len(),
            not_active: count_skipped(Skipped::NotActive),
            excluded: count_skipped(Skipped::Excluded),
            not_included: count_skipped(Skipped::NotIncluded),
        });
    }

    let stats = Arc::new(CallStats::default());
    let organisation = Arc::new(discovered.accounts.iter().map(|(a, _)| a.account_id.clone()).collect());
    let limits = SharedLimits {
        global_requests: Arc::new(Semaphore::new(config.limits.max_concurrent_requests)),
        stats: stats.clone(),
        per_region_concurrency: config.limits.max_concurrent_requests_per_region,
        per_region_rate: NonZeroU32::new(config.limits.max_requests_per_second_per_region).unwrap_or(NonZeroU32::MIN),
        retry,
        key_events: EventWindow { days: config.scan.key_events_days, max_pages: config.scan.key_events_max_pages },
    };
    let partition = aws::partition_of(&caller.arn).to_owned();
    let (shared_kinds, collect): (Vec<_>, Vec<_>) =
        collect.into_iter().partition(|(kind, _)| kind.info().level == Level::Organisation);
    let scope = caller_scope(&run_id, &partition, &caller, &discovered);
    let shared = Arc::new(collect_organisation(&shared_kinds, scope, &base, &limits).await);
    let spool = tempfile::tempdir().map_err(PipelineError::Spool)?;
    let findings_writer = BackgroundWriter::start(Table::findings(), spool.path(), FINDING_BATCHES_QUEUED)?;
    let lake = valid.security_lake.as_ref().map(|_| {
        let home_region = base.region().map_or_else(|| "us-east-1".to_owned(), |r| r.to_string());
        let day = started_at.format("%Y%m%d").to_string();
        Arc::new(LakeSpool::new(spool.path().join("security-lake"), &home_region, &day, &run_id))
    });
    let mut evaluator = Evaluator::new(engine.clone(), shared.clone(), findings_writer.sender());
    if let Some(lake) = &lake {
        evaluator = evaluator.with_security_lake(lake.clone());
    }
    let plan = AccountPlan {
        evaluator: Arc::new(evaluator),
        organisation,
        evaluated_at: started_at.timestamp_millis(),
        collect,
        run_id: run_id.clone(),
        partition,
        base,
        limits,
        valid: valid.clone(),
    };

    let mut account_writer = TableWriter::create(Table::accounts(), spool.path())?;
    let collected_kinds: Vec<(&'static dyn Kind, Want)> = shared_kinds.iter().chain(&plan.collect).cloned().collect();
    let written_kinds = if config.output.inventory { collected_kinds.as_slice() } else { &[] };
    let mut kind_writers = KindWriters::create(written_kinds, spool.path())?;
    let mut error_writer = TableWriter::create(Table::collection_errors(), spool.path())?;
    let mut ksi_writer = TableWriter::create(Table::ksi_scores(), spool.path())?;
    let mut ksi = ksi::Tally::default();
    let mut account_summaries = Vec::with_capacity(accounts.len());
    let mut errors_by_api: BTreeMap<String, u64> = BTreeMap::new();
    let mut findings_by_rule: BTreeMap<String, StatusCounts> = BTreeMap::new();
    let mut totals = StatusCounts::default();
    let mut resources: BTreeMap<String, i64> =
        collected_kinds.iter().map(|(k, _)| (k.info().name.to_owned(), 0)).collect();
    // The organisation-level records once, as read before the accounts.
    kind_writers.append(&shared)?;
    resources.extend(shared.counts());
    error_writer.append(&shared.errors)?;
    for error in &shared.errors {
        *errors_by_api.entry(format!("{} {}", error.api, error.error_code)).or_default() += 1;
    }

    progress.start(accounts.len() as u64, stats.clone());
    let mut scans = futures::stream::iter(accounts)
        .map(|account| scan_account(&plan, account))
        .buffer_unordered(config.limits.max_concurrent_accounts);
    while let Some(result) = scans.next().await {
        account_writer.append(std::slice::from_ref(&result.record))?;
        kind_writers.append(&result.inventory)?;
        for (kind, n) in result.inventory.counts() {
            *resources.entry(kind).or_default() += n;
        }
        error_writer.append(&result.inventory.errors)?;
        for error in &result.inventory.errors {
            *errors_by_api.entry(format!("{} {}", error.api, error.error_code)).or_default() += 1;
        }
        let account_ksi = ksi::Tally::of_account(&result.inventory, &shared, plan.evaluated_at);
        ksi_writer.append(&account_ksi.scorecard().rows(&run_id, Some(&result.record.account())))?;
        ksi.add(&account_ksi);
        for (rule, counts) in result.findings.by_rule {
            findings_by_rule.entry(rule).or_default().merge(counts);
        }
        totals.merge(result.findings.counts);
        let summary = AccountSummary::new(&result.record, result.findings.counts);
        progress.account_done(&summary);
        account_summaries.push(summary);
    }
    progress.finish();
    drop(scans);

    account_summaries.sort_by(|a, b| a.account_id.cmp(&b.account_id));
    let ksi = ksi.scorecard();
    ksi_writer.append(&ksi.rows(&run_id, None))?;
    let n_errors = error_writer.rows();
    let finished_at = Utc::now();
    let record = RunRecord {
        run_id: run_id.clone(),
        started_at: started_at.timestamp_millis(),
        finished_at: finished_at.timestamp_millis(),
        keyaudit_version: env!("CARGO_PKG_VERSION").to_owned(),
        config_digest: config.digest(),
        caller_arn: caller.arn.clone(),
        org_id: discovered.org_id.clone(),
        inventory_run_id: None,
        org_account_ids: plan.organisation.iter().cloned().collect(),
        regions: config.scan.regions.clone(),
        services: collected_kinds.iter().map(|(k, _)| k.info().service.to_owned()).collect(),
        accounts_discovered: discovered.accounts.len() as i64,
        accounts_selected: account_summaries.len() as i64,
        accounts_scanned: account_summaries.iter().filter(|a| a.entered).count() as i64,
        accounts_failed: account_summaries.iter().filter(|a| !a.entered).count() as i64,
        resources,
        inventory: config.output.inventory,
        collection_errors: n_errors as i64,
        api_calls: stats.api_calls.load(Ordering::Relaxed) as i64,
        rules: engine.rules().count() as i64,
        findings_pass: totals.pass as i64,
        findings_fail: totals.fail as i64,
        findings_info: totals.info as i64,
        findings_error: totals.error as i64,
        complete: n_errors == 0,
    };
    let mut runs_writer = TableWriter::create(Table::runs(), spool.path())?;
    runs_writer.append(std::slice::from_ref(&record))?;

    drop(plan);
    let mut files = vec![account_writer.finish()?];
    files.extend(kind_writers.finish()?);
    files.extend([error_writer.finish()?, findings_writer.finish()?, ksi_writer.finish()?, runs_writer.finish()?]);
    let mut written = publish(&valid.destinations, Some(&s3), &files, &started_at, &run_id).await?;
    if let (Some(lake), Some(Destination::S3 { bucket, prefix })) = (&lake, &valid.security_lake) {
        written.extend(publish_security_lake(&s3, lake, bucket, prefix).await?);
    }

    Ok(RunSummary {
        run: record,
        skipped_not_active: count_skipped(Skipped::NotActive) as u64,
        skipped_excluded: (count_skipped(Skipped::Excluded) + count_skipped(Skipped::NotIncluded)) as u64,
        accounts: account_summaries,
        errors_by_api,
        fails_by_severity: crate::summary::fails_by_severity(&engine, &findings_by_rule),
        findings_by_rule,
        ksi,
        written,
    })
}

/// The run's first call, `sts:GetCallerIdentity`: who is scanning, or why
/// nothing can be called.
async fn preflight(
    base: &SdkConfig,
    config: &crate::config::Config,
    retry: &RetryPolicy,
) -> Result<credentials::Caller, PipelineError> {
    credentials::caller_identity(base, retry).await.map_err(|error| PipelineError::Preflight {
        endpoint: base.endpoint_url().map(|u| format!(" at {u}")).unwrap_or_default(),
        profile: config.profile.clone(),
        error,
    })
}

/// Loads the rules on a blocking thread: loading calls each rule's
/// `metadata()`, and a rule's WASI calls must not run on the async runtime.
async fn load_rules(config: &crate::config::RulesConfig) -> Result<RuleEngine, PipelineError> {
    let config = config.clone();
    match tokio::task::spawn_blocking(move || RuleEngine::load(&config)).await {
        Ok(loaded) => Ok(loaded?),
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

/// Checks every destination before scanning, so a typo in a bucket name costs
/// seconds, not a whole scan.
async fn check_destinations(destinations: &[Destination], s3: &S3Writer) -> Result<(), PipelineError> {
    for destination in destinations {
        match destination {
            Destination::S3 { bucket, .. } => s3.check_bucket(bucket).await?,
            Destination::Local(path) => {
                std::fs::create_dir_all(path).map_err(|source| OutputError::Local { path: path.clone(), source })?
            }
        }
    }
    Ok(())
}

/// Copies the finished table files to every destination, the `runs` table
/// last. A destination that fails stops there (so it has no `runs` row);
/// the others are still written whole, and the error names both.
async fn publish(
    destinations: &[Destination],
    s3: Option<&S3Writer>,
    files: &[(Table, PathBuf, u64)],
    started_at: &DateTime<Utc>,
    run_id: &str,
) -> Result<Vec<WrittenFile>, PipelineError> {
    let date = started_at.format("%Y-%m-%d").to_string();
    let mut written = Vec::new();
    let (mut failed, mut complete) = (Vec::new(), Vec::new());
    for destination in destinations {
        match publish_to(destination, s3, files, &date, run_id).await {
            Ok(files) => {
                written.extend(files);
                complete.push(destination.to_string());
            }
            Err(error) => {
                tracing::error!(destination = %destination, "writing the output: {error}");
                failed.push((destination.to_string(), error));
            }
        }
    }
    if failed.is_empty() { Ok(written) } else { Err(PipelineError::Publish { failed, complete }) }
}

/// Uploads the Security Lake files under the custom source's location.
async fn publish_security_lake(
    s3: &S3Writer,
    lake: &LakeSpool,
    bucket: &str,
    prefix: &str,
) -> Result<Vec<WrittenFile>, PipelineError> {
    let mut written = Vec::new();
    for (relative, path, rows) in lake.files()? {
        let key = output::join_key(prefix, &relative);
        s3.upload(&path, bucket, &key).await.map_err(|e| PipelineError::Publish {
            failed: vec![(format!("s3://{bucket}/{prefix}"), OutputError::from(e))],
            complete: Vec::new(),
        })?;
        let location = format!("s3://{bucket}/{key}");
        written.push(WrittenFile { table: crate::summary::SECURITY_LAKE_TABLE.to_owned(), location, rows });
    }
    Ok(written)
}

/// Copies every table file to one destination, in order.
async fn publish_to(
    destination: &Destination,
    s3: Option<&S3Writer>,
    files: &[(Table, PathBuf, u64)],
    date: &str,
    run_id: &str,
) -> Result<Vec<WrittenFile>, OutputError> {
    let mut written = Vec::new();
    for (table, path, rows) in files {
        let relative = output::table_file(table, date, run_id);
        let location = match destination {
            Destination::S3 { bucket, prefix } => {
                let key = output::join_key(prefix, &relative);
                s3.ok_or(OutputError::NoS3Client)?.upload(path, bucket, &key).await?;
                format!("s3://{bucket}/{key}")
            }
            Destination::Local(root) => output::copy_local(path, root, &relative)?.display().to_string(),
        };
        tracing::info!(table = table.name(), rows, location, "table written");
        written.push(WrittenFile { table: table.name().to_owned(), location, rows: *rows });
    }
    Ok(written)
}

/// Where organisation-level records come from: the scanning account
/// (named as discovery found it), region `global`.
fn caller_scope(
    run_id: &str,
    partition: &str,
    caller: &credentials::Caller,
    discovered: &discover::Discovered,
) -> Scope {
    let account = discovered.accounts.iter().map(|(a, _)| a).find(|a| a.account_id == caller.account_id);
    Scope {
        run_id: run_id.to_owned(),
        partition: partition.to_owned(),
        account_id: caller.account_id.clone(),
        account_name: account.map(|a| a.account_name.clone()).unwrap_or_default(),
        ou_path: account.map(|a| a.ou_path.clone()).unwrap_or_default(),
        org_id: discovered.org_id.clone(),
        region: GLOBAL_REGION.to_owned(),
    }
}

/// Collects the organisation-level kinds once, with the scanning
/// credentials, before any account: the records every account's rules share.
async fn collect_organisation(
    kinds: &[(&'static dyn Kind, Want)],
    scope: Scope,
    base: &SdkConfig,
    limits: &SharedLimits,
) -> Inventory {
    let mut inventory = Inventory::default();
    if kinds.is_empty() {
        return inventory;
    }
    let ctx = RegionContext::new(scope, base.clone(), limits.clone());
    for part in futures::future::join_all(kinds.iter().map(|(kind, want)| kind.collect(&ctx, want))).await {
        inventory.extend(part);
    }
    tracing::debug!(resources = ?inventory.counts(), errors = inventory.errors.len(), "organisation collected");
    inventory
}

/// Scans one account: assume the role, find its regions, collect every
/// region × service, then evaluate the rules over what was collected.
#[tracing::instrument(skip_all, fields(account = %account.account_id))]
async fn scan_account(plan: &AccountPlan, account: Account) -> AccountResult {
    let (regions, entered, inventory) = collect_account(plan, &account).await;
    let record = AccountRecord {
        run_id: plan.run_id.clone(),
        account_id: account.account_id.clone(),
        account_name: account.account_name.clone(),
        ou_path: account.ou_path.clone(),
        ou_id_path: account.ou_id_path.clone(),
        org_id: account.org_id.clone(),
        regions,
        entered,
        resources: inventory.counts(),
        collection_errors: inventory.errors.len() as i64,
    };
    let inventory = Arc::new(inventory);
    let (findings, inventory, record) =
        plan.evaluator.account_blocking(record, plan.organisation.clone(), inventory, plan.evaluated_at).await;
    AccountResult { record, inventory, findings }
}

/// Collects one account; returns the regions it covered, whether the role
/// was assumed, and the inventory (with an error row for whatever failed).
async fn collect_account(plan: &AccountPlan, account: &Account) -> (Vec<String>, bool, Inventory) {
    let config = &plan.valid.config;
    let kinds = &plan.collect;
    let scope = |region: &str| Scope {
        run_id: plan.run_id.clone(),
        partition: plan.partition.clone(),
        account_id: account.account_id.clone(),
        account_name: account.account_name.clone(),
        ou_path: account.ou_path.clone(),
        org_id: account.org_id.clone(),
        region: region.to_owned(),
    };
    let known_regions =
        || if config.scan.regions.is_empty() { vec!["*".to_owned()] } else { config.scan.regions.clone() };
    // One row per place each kind lives: its regions, or the account for global kinds.
    let failed = |api: &str, err: AwsError, regions: Vec<String>, entered: bool| {
        tracing::warn!(account = %account.account_id, api, code = %err.code, "account not scanned: {}", err.message);
        let mut errors: Vec<CollectionError> = Vec::new();
        for (kind, _) in kinds {
            let info = kind.info();
            let places = match info.level {
                Level::Region => regions.clone(),
                Level::Account => vec![GLOBAL_REGION.to_owned()],
                // Read once per run, not per account.
                Level::Organisation => Vec::new(),
            };
            for region in places {
                errors.push(scope(&region).error(info.service, api, None, err.code.clone(), err.message.clone()));
            }
        }
        (regions, entered, Inventory::of_errors(errors))
    };

    let stats = &plan.limits.stats;
    let retry = &plan.limits.retry;
    let assume_calls = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let assumed = credentials::assume_role(
        &plan.base,
        &plan.partition,
        &account.account_id,
        &config.role,
        retry,
        assume_calls.clone(),
    )
    .await;
    stats.api_calls.fetch_add(assume_calls.load(Ordering::Relaxed), Ordering::Relaxed);
    let sdk = match assumed {
        Ok(sdk) => sdk,
        Err(err) => {
            stats.api_errors.fetch_add(1, Ordering::Relaxed);
            return failed(ASSUME_ROLE_API, err, known_regions(), false);
        }
    };
    stats.api_calls.fetch_add(1, Ordering::Relaxed);
    let enabled = regions::enabled_regions(&sdk, retry).await;
    if enabled.is_err() {
        stats.api_errors.fetch_add(1, Ordering::Relaxed);
    }
    let mut region_errors = Vec::new();
    let (regions, collected_regions) = match (config.scan.regions.is_empty(), enabled) {
        (true, Ok(enabled)) => (enabled.clone(), enabled),
        (true, Err(err)) => return failed(DESCRIBE_REGIONS_API, err, known_regions(), true),
        (false, Ok(enabled)) => {
            let requested = config.scan.regions.clone();
            for region in requested.iter().filter(|r| !enabled.contains(r)) {
                let message = format!(
                    "region {region} is not enabled in this account, or is not an AWS region (enabled: {})",
                    enabled.join(", ")
                );
                tracing::warn!(account = %account.account_id, region, "{message}");
                let scope = scope(region);
                region_errors.extend(kinds.iter().filter(|(k, _)| k.info().level == Level::Region).map(|(kind, _)| {
                    scope.error(
                        kind.info().service,
                        DESCRIBE_REGIONS_API,
                        None,
                        "RegionNotEnabled".to_owned(),
                        message.clone(),
                    )
                }));
            }
            let collected = requested.iter().filter(|r| enabled.contains(r)).cloned().collect();
            (requested, collected)
        }
        (false, Err(err)) => {
            // The requested regions are scanned all the same; a region that
            // does not exist fails there, with its own error rows.
            tracing::warn!(
                account = %account.account_id,
                "cannot check the requested regions (ec2:DescribeRegions {}): {}",
                err.code,
                err.message
            );
            (config.scan.regions.clone(), config.scan.regions.clone())
        }
    };

    // Global kinds are called through the first region scanned (the SDK
    // resolves IAM to its global endpoint in every region of a partition).
    let home_region = collected_regions.first().cloned();
    let (sdk, scope, collected_regions, home_region) = (&sdk, &scope, &collected_regions, &home_region);
    let collections = kinds.iter().flat_map(|(kind, want)| {
        let info = kind.info();
        let places: Vec<(String, String)> = match info.level {
            Level::Region => collected_regions
                .iter()
                .filter(|region| kinds::service_exists(info.aws_service, region))
                .map(|region| (region.clone(), region.clone()))
                .collect(),
            Level::Account => home_region.iter().map(|home| (GLOBAL_REGION.to_owned(), home.clone())).collect(),
            Level::Organisation => Vec::new(),
        };
        places.into_iter().map(move |(place, endpoint_region)| {
            let ctx = RegionContext::new(scope(&place), aws::in_region(sdk, &endpoint_region), plan.limits.clone());
            async move { kind.collect(&ctx, want).await }
        })
    });
    let mut inventory = Inventory::of_errors(region_errors);
    for part in futures::future::join_all(collections).await {
        inventory.extend(part);
    }
    tracing::debug!(resources = ?inventory.counts(), errors = inventory.errors.len(), "account collected");
    (regions, true, inventory)
}

/// Re-runs the rules over a stored inventory (a scan's output folder or S3
/// prefix) without calling AWS. The result is a new run, with its own run id
/// and `inventory_run_id` naming the scan: its `findings` and `runs` rows go
/// beside the scan's (or to the destinations given), and nothing stored is
/// overwritten.
pub async fn evaluate_stored(
    valid: ValidConfig,
    inventory: &Destination,
    run_id: Option<&str>,
) -> Result<RunSummary, PipelineError> {
    let config = &valid.config;
    let mut engine = load_rules(&config.rules).await?;
    let needs_s3 = matches!(inventory, Destination::S3 { .. })
        || valid.destinations.iter().any(|d| matches!(d, Destination::S3 { .. }));
    let s3 = if needs_s3 {
        let settings = AwsSettings::from(config);
        Some(S3Writer::new(&aws::base_config(&settings).await, S3Settings::from(&config.output)))
    } else {
        None
    };
    let downloaded = tempfile::tempdir().map_err(PipelineError::Spool)?;
    let root = match (inventory, &s3) {
        (Destination::Local(path), _) => path.clone(),
        (Destination::S3 { bucket, prefix }, Some(s3)) => {
            let mut tables = vec![Table::runs().name(), Table::accounts().name(), Table::collection_errors().name()];
            tables.extend(kinds::ALL.iter().map(|k| k.info().table));
            for table in tables {
                let table_prefix = output::join_key(prefix, table);
                s3.download_prefix(bucket, &table_prefix, &downloaded.path().join(table), |_| true).await?;
            }
            downloaded.path().to_owned()
        }
        (Destination::S3 { .. }, None) => return Err(PipelineError::Output(OutputError::NoS3Client)),
    };
    let mut stored = evaluate::read_local_run(&root, run_id)?;
    if !stored.run.inventory {
        return Err(PipelineError::Inventory(evaluate::InventoryError::NotWritten {
            run_id: stored.run.run_id.clone(),
            location: inventory_location(inventory),
        }));
    }
    // A stored run is never rewritten: the re-evaluation is a run of its
    // own, dated and evaluated as of the scan it replays.
    let mut run = stored.run;
    let evaluation_id = uuid::Uuid::now_v7().to_string();
    run.inventory_run_id = Some(std::mem::replace(&mut run.run_id, evaluation_id));
    run.finished_at = Utc::now().timestamp_millis();
    let mut errors_by_api: BTreeMap<String, u64> = BTreeMap::new();
    for error in &stored.inventory.errors {
        *errors_by_api.entry(format!("{} {}", error.api, error.error_code)).or_default() += 1;
    }
    // Rules are run only over the kinds the scan collected.
    let collected: Vec<&str> = kinds::ALL
        .iter()
        .map(|k| k.info())
        .filter(|k| run.services.iter().any(|s| s == k.service))
        .map(|k| k.name)
        .collect();
    engine.keep_rules_reading(&collected);
    let organisation: Arc<BTreeSet<String>> = Arc::new(run.org_account_ids.iter().cloned().collect());
    let spool = tempfile::tempdir().map_err(PipelineError::Spool)?;
    let findings_writer = BackgroundWriter::start(Table::findings(), spool.path(), FINDING_BATCHES_QUEUED)?;
    let shared = Arc::new(stored.inventory.take_organisation_level());
    let evaluator = Arc::new(Evaluator::new(Arc::new(engine), shared.clone(), findings_writer.sender()));
    let mut by_account = stored.inventory.split_by_account();
    // The scorecard is the inventory's: the same numbers as the scan's.
    let mut ksi_writer = TableWriter::create(Table::ksi_scores(), spool.path())?;
    let mut ksi = ksi::Tally::default();
    let mut accounts = Vec::new();
    let mut findings_by_rule: BTreeMap<String, StatusCounts> = BTreeMap::new();
    let mut totals = StatusCounts::default();
    for mut record in stored.accounts {
        let inventory = Arc::new(by_account.remove(&record.account_id).unwrap_or_default());
        record.run_id.clone_from(&run.run_id);
        let account_ksi = ksi::Tally::of_account(&inventory, &shared, run.started_at);
        ksi_writer.append(&account_ksi.scorecard().rows(&run.run_id, Some(&record.account())))?;
        ksi.add(&account_ksi);
        let (found, _, _) =
            evaluator.account_blocking(record.clone(), organisation.clone(), inventory, run.started_at).await;
        for (rule, counts) in found.by_rule {
            findings_by_rule.entry(rule).or_default().merge(counts);
        }
        let counts = found.counts;
        totals.merge(counts);
        accounts.push(AccountSummary::new(&record, counts));
    }
    run.rules = evaluator.engine().rules().count() as i64;
    let fails_by_severity = crate::summary::fails_by_severity(evaluator.engine(), &findings_by_rule);
    run.findings_pass = totals.pass as i64;
    run.findings_fail = totals.fail as i64;
    run.findings_info = totals.info as i64;
    run.findings_error = totals.error as i64;

    let started_at = DateTime::<Utc>::from_timestamp_millis(run.started_at).unwrap_or_else(Utc::now);
    let mut runs_writer = TableWriter::create(Table::runs(), spool.path())?;
    runs_writer.append(std::slice::from_ref(&run))?;
    drop(evaluator);
    let ksi = ksi.scorecard();
    ksi_writer.append(&ksi.rows(&run.run_id, None))?;
    let files = [findings_writer.finish()?, ksi_writer.finish()?, runs_writer.finish()?];
    let destinations = if valid.destinations.is_empty() { vec![inventory.clone()] } else { valid.destinations.clone() };
    let written = publish(&destinations, s3.as_ref(), &files, &started_at, &run.run_id).await?;
    Ok(RunSummary {
        run,
        skipped_not_active: 0,
        skipped_excluded: 0,
        accounts,
        errors_by_api,
        fails_by_severity,
        findings_by_rule,
        ksi,
        written,
    })
}

/// Where an inventory is, for messages.
fn inventory_location(inventory: &Destination) -> String {
    match inventory {
        Destination::Local(path) => path.display().to_string(),
        Destination::S3 { bucket, prefix } => format!("s3://{bucket}/{prefix}"),
    }
}

/// Reads what `keyaudit report` shows of a stored run (a folder, or an S3
/// prefix whose needed files are downloaded first: the runs manifest, then
/// only the chosen runs' files).
pub async fn read_report_data(
    valid: &ValidConfig,
    from: &Destination,
    run: Option<&str>,
    previous: Option<&str>,
) -> Result<crate::report::ReportData, PipelineError> {
    match from {
        Destination::Local(root) => Ok(crate::report::data::read(root, run, previous)?),
        Destination::S3 { bucket, prefix } => {
            let settings = AwsSettings::from(&valid.config);
            let s3 = S3Writer::new(&aws::base_config(&settings).await, S3Settings::from(&valid.config.output));
            let downloaded = tempfile::tempdir().map_err(PipelineError::Spool)?;
            let root = downloaded.path();
            let runs_table = Table::runs().name();
            s3.download_prefix(bucket, &output::join_key(prefix, runs_table), &root.join(runs_table), |_| true).await?;
            let runs = crate::report::data::read_runs(root)?;
            let location = inventory_location(from);
            let (chosen, before) = crate::report::data::choose_runs(&runs, run, previous, &location)?;
            let before = before.map(|b| b.run_id);
            let mut wanted: Vec<String> = vec![chosen.run_id.clone()];
            wanted.extend(chosen.inventory_run_id.clone());
            wanted.extend(before.clone());
            let wanted: Vec<String> = wanted.iter().map(|id| format!("{id}.parquet")).collect();
            for table in crate::report::data::tables().into_iter().filter(|t| *t != runs_table) {
                let keep = |relative: &str| wanted.iter().any(|w| relative.ends_with(&format!("/{w}")));
                s3.download_prefix(bucket, &output::join_key(prefix, table), &root.join(table), keep).await?;
            }
            Ok(crate::report::data::read(root, Some(&chosen.run_id), before.as_deref())?)
        }
    }
}

/// What a scan with `valid` would cover (`keyaudit accounts`): the caller,
/// the accounts it would enter with the role it would assume, and the
/// accounts it would leave out with the filter that leaves each out. Calls
/// only STS and Organizations; nothing is collected or written.
pub async fn coverage(valid: &ValidConfig) -> Result<discover::Coverage, PipelineError> {
    let config = &valid.config;
    let base = aws::base_config(&AwsSettings::from(config)).await;
    let retry = RetryPolicy::new(config.limits.max_attempts);
    let caller = preflight(&base, config, &retry).await?;
    let partition = aws::partition_of(&caller.arn);
    let discovered = discover::discover(&base, &config.discovery, &retry).await?;
    let mut accounts = Vec::new();
    let mut skipped = Vec::new();
    for (account, state) in &discovered.accounts {
        match discover::why_skipped(account, state, &config.discovery) {
            Some(reason) => skipped.push(discover::SkippedAccount {
                account_id: account.account_id.clone(),
                account_name: account.account_name.clone(),
                ou_path: account.ou_path.clone(),
                reason,
            }),
            None => accounts.push(discover::CoveredAccount {
                account_id: account.account_id.clone(),
                account_name: account.account_name.clone(),
                ou_path: account.ou_path.clone(),
                role_arn: format!("arn:{partition}:iam::{}:role/{}", account.account_id, config.role.name),
            }),
        }
    }
    Ok(discover::Coverage {
        caller_arn: caller.arn,
        org_id: discovered.org_id,
        regions: config.scan.regions.clone(),
        services: config.scan.services.clone(),
        accounts,
        skipped,
    })
}
