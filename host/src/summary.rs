//! The run summary: what the scan did, for people (text) and programs (JSON).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::inventory::AccountRecord;
use crate::output::RunRecord;
use crate::rules::{RuleEngine, Severity, Status};

/// FAIL findings per severity, from the counts per rule.
pub fn fails_by_severity(engine: &RuleEngine, by_rule: &BTreeMap<String, StatusCounts>) -> BTreeMap<Severity, u64> {
    let mut fails = BTreeMap::new();
    for rule in engine.rules() {
        if let Some(counts) = by_rule.get(&rule.id).filter(|c| c.fail > 0) {
            *fails.entry(rule.severity).or_default() += counts.fail;
        }
    }
    fails
}

/// Accounts listed one per line in the text summary; larger runs list only
/// the accounts with errors, up to this many.
const LISTED_ACCOUNTS: usize = 50;

/// Findings counted by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StatusCounts {
    pub pass: u64,
    pub fail: u64,
    pub info: u64,
    pub error: u64,
}

impl StatusCounts {
    pub fn add(&mut self, status: Status) {
        match status {
            Status::Pass => self.pass += 1,
            Status::Fail => self.fail += 1,
            Status::Info => self.info += 1,
            Status::Error => self.error += 1,
        }
    }

    pub fn merge(&mut self, other: StatusCounts) {
        self.pass += other.pass;
        self.fail += other.fail;
        self.info += other.info;
        self.error += other.error;
    }

    /// PASS / (PASS + FAIL), in percent; none when nothing was scored
    /// (ERROR and INFO are neither).
    pub fn compliance(&self) -> Option<f64> {
        let scored = self.pass + self.fail;
        (scored > 0).then(|| 100.0 * self.pass as f64 / scored as f64)
    }

    /// The compliance as reports print it: `82.4%`, or `n/a`.
    pub fn compliance_text(&self) -> String {
        self.compliance().map_or_else(|| "n/a".to_owned(), |p| format!("{p:.1}%"))
    }
}

/// How one account's scan went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountSummary {
    pub account_id: String,
    pub account_name: String,
    pub ou_path: String,
    pub regions: u64,
    /// False when the audit role could not be assumed.
    pub entered: bool,
    /// Resources collected, by kind.
    pub resources: std::collections::BTreeMap<String, i64>,
    pub collection_errors: u64,
    pub findings: StatusCounts,
}

impl AccountSummary {
    pub fn new(record: &AccountRecord, findings: StatusCounts) -> Self {
        Self {
            account_id: record.account_id.clone(),
            account_name: record.account_name.clone(),
            ou_path: record.ou_path.clone(),
            regions: record.regions.len() as u64,
            entered: record.entered,
            resources: record.resources.clone(),
            collection_errors: record.collection_errors as u64,
            findings,
        }
    }
}

/// The `table` of the files written for Amazon Security Lake.
pub const SECURITY_LAKE_TABLE: &str = "findings (Security Lake)";

/// One table file written to one destination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WrittenFile {
    pub table: String,
    pub location: String,
    pub rows: u64,
}

/// Everything a finished run reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunSummary {
    pub run: RunRecord,
    pub skipped_not_active: u64,
    pub skipped_excluded: u64,
    pub accounts: Vec<AccountSummary>,
    /// Collection errors counted by "api code", such as `kms:GetKeyPolicy HTTP 403`.
    pub errors_by_api: BTreeMap<String, u64>,
    /// Findings per rule id, by status.
    pub findings_by_rule: BTreeMap<String, StatusCounts>,
    /// FAIL findings per severity of their rule.
    pub fails_by_severity: BTreeMap<Severity, u64>,
    /// The organisation's KSI-SVC-06 scorecard.
    pub ksi: crate::ksi::Scorecard,
    pub written: Vec<WrittenFile>,
}

impl RunSummary {
    /// FAIL findings whose rule's severity is `threshold` or above.
    pub fn fails_at_or_above(&self, threshold: Severity) -> u64 {
        self.fails_by_severity.iter().filter(|(s, _)| **s >= threshold).map(|(_, n)| n).sum()
    }

    /// True when every account × region × service was collected.
    pub fn complete(&self) -> bool {
        self.run.complete
    }

    /// The summary as people read it at the end of a run.
    pub fn to_text(&self) -> String {
        let run = &self.run;
        let mut out = String::new();
        let seconds = (run.finished_at - run.started_at) as f64 / 1000.0;
        let _ = writeln!(out, "keyaudit run {} ({seconds:.1} s)", run.run_id);
        let _ = writeln!(out, "  caller        {}", run.caller_arn);
        if !run.org_id.is_empty() {
            let _ = writeln!(out, "  organisation  {}", run.org_id);
        }
        let _ = writeln!(
            out,
            "  accounts      {} discovered, {} scanned, {} failed, {} not active, {} filtered out",
            run.accounts_discovered,
            run.accounts_scanned,
            run.accounts_failed,
            self.skipped_not_active,
            self.skipped_excluded
        );
        let regions = if run.regions.is_empty() { "all enabled".to_owned() } else { run.regions.join(", ") };
        let _ = writeln!(out, "  regions       {regions}");
        let _ = writeln!(out, "  services      {}", run.services.join(", "));
        let resources: Vec<String> = crate::kinds::infos()
            .iter()
            .filter_map(|kind| run.resources.get(kind.name).map(|n| format!("{n} {}", kind.title)))
            .collect();
        let _ = writeln!(out, "  resources     {}", resources.join(", "));
        let _ = writeln!(out, "  API calls     {}", run.api_calls);
        let _ = writeln!(out, "  errors        {}", run.collection_errors);
        let _ = writeln!(
            out,
            "  findings      {} rules: {} PASS, {} FAIL, {} INFO, {} ERROR",
            run.rules, run.findings_pass, run.findings_fail, run.findings_info, run.findings_error
        );
        for (api, n) in &self.errors_by_api {
            let _ = writeln!(out, "    {n:>6}  {api}");
        }

        if !self.findings_by_rule.is_empty() {
            let _ = writeln!(out, "\n  {:<34}  {:>5}  {:>5}  {:>5}  {:>5}", "rule", "PASS", "FAIL", "INFO", "ERROR");
            for (rule, c) in &self.findings_by_rule {
                let _ = writeln!(out, "  {rule:<34}  {:>5}  {:>5}  {:>5}  {:>5}", c.pass, c.fail, c.info, c.error);
            }
        }

        let listed: Vec<&AccountSummary> = if self.accounts.len() <= LISTED_ACCOUNTS {
            self.accounts.iter().collect()
        } else {
            self.accounts
                .iter()
                .filter(|a| a.collection_errors > 0 || a.findings.fail > 0 || a.findings.error > 0)
                .take(LISTED_ACCOUNTS)
                .collect()
        };
        if !listed.is_empty() {
            let _ = writeln!(
                out,
                "\n  {:<12}  {:<20}  {:<22}  {:>7}  {:>9}  {:>6}  {:>5}  {:>5}  {:>5}  {:>5}",
                "account", "name", "OU", "regions", "resources", "errors", "PASS", "FAIL", "INFO", "ERROR"
            );
            for a in listed {
                let f = a.findings;
                let _ = writeln!(
                    out,
                    "  {:<12}  {:<20}  {:<22}  {:>7}  {:>9}  {:>6}  {:>5}  {:>5}  {:>5}  {:>5}{}",
                    a.account_id,
                    truncate(&a.account_name, 20),
                    truncate(&a.ou_path, 22),
                    a.regions,
                    a.resources.values().sum::<i64>(),
                    a.collection_errors,
                    f.pass,
                    f.fail,
                    f.info,
                    f.error,
                    if a.entered { "" } else { "  (role not assumed)" }
                );
            }
        }
        let _ = writeln!(out, "\n  {} (organisation)", crate::ksi::KSI_ID);
        for line in self.ksi.to_text().lines() {
            let _ = writeln!(out, "  {line}");
        }
        if !self.written.is_empty() {
            let _ = writeln!(out, "\n  written");
            let (lake, tables): (Vec<&WrittenFile>, Vec<&WrittenFile>) =
                self.written.iter().partition(|f| f.table == SECURITY_LAKE_TABLE);
            for file in tables {
                let _ = writeln!(out, "    {:>7} rows  {}", file.rows, file.location);
            }
            if let Some(first) = lake.first() {
                let rows: u64 = lake.iter().map(|f| f.rows).sum();
                let _ =
                    writeln!(out, "    {rows:>7} rows  {} Security Lake files, such as {}", lake.len(), first.location);
            }
        }
        let verdict = if self.complete() {
            "COMPLETE: every account, region and service was collected".to_owned()
        } else {
            format!("INCOMPLETE: {} collection errors (see the collection_errors table)", run.collection_errors)
        };
        let _ = writeln!(out, "\n  {verdict}");
        out
    }
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_owned()
    } else {
        let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}
