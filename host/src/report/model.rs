//! What the report says, computed once from a run's findings, scorecards,
//! accounts, collection errors and the runs manifest: every figure the HTML
//! and Markdown forms show comes from here.
//!
//! Compliance is the share of scored findings (PASS or FAIL) that pass;
//! ERROR findings are counted and shown apart, never as either, and INFO
//! findings are not scored. Kinds are named from the registry, so a new
//! kind appears in the inventory and completeness sections by itself.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};

use super::data::ReportData;
use super::svg;
use crate::ksi::KsiScore;
use crate::output::RunRecord;
use crate::output::findings::FindingRow;
use crate::rules::Status;

/// Accounts up to which the heatmap has a row per account; beyond, a row per OU.
pub const HEATMAP_ACCOUNT_ROWS: usize = 60;
/// Rows of each "top" list.
pub const TOP: usize = 10;
/// New or resolved findings listed (all are counted).
pub const CHANGES_LISTED: usize = 100;
/// Points on the trend: the latest run of each of the last days stored.
pub const TREND_POINTS: usize = 90;

/// Verdicts counted: the run summary's counter.
pub use crate::summary::StatusCounts as Counts;

/// Counts `status_code` (PASS, FAIL, INFO, ERROR) of a finding row.
fn count(counts: &mut Counts, status_code: &str) {
    counts.add(Status::from_name(status_code));
}

/// A run as the report names it.
#[derive(Debug, Clone)]
pub struct RunView {
    pub run_id: String,
    pub started: String,
    pub org_id: String,
    pub accounts_scanned: i64,
    pub accounts_failed: i64,
    pub rules: i64,
    pub complete: bool,
    /// For a re-evaluation, the scan it replayed.
    pub inventory_run_id: Option<String>,
}

impl RunView {
    fn of(run: &RunRecord) -> Self {
        RunView {
            run_id: run.run_id.clone(),
            started: time_text(run.started_at),
            org_id: run.org_id.clone(),
            accounts_scanned: run.accounts_scanned,
            accounts_failed: run.accounts_failed,
            rules: run.rules,
            complete: run.complete,
            inventory_run_id: run.inventory_run_id.clone(),
        }
    }
}

fn time_text(millis: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(millis)
        .map_or_else(String::new, |t| t.format("%Y-%m-%d %H:%M UTC").to_string())
}

fn day_text(millis: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(millis).map_or_else(String::new, |t| t.format("%Y-%m-%d").to_string())
}

/// One line of a KSI-SVC-06 scorecard.
#[derive(Debug, Clone)]
pub struct KsiLineView {
    pub sub_check: String,
    pub title: String,
    pub status: String,
    pub figure: String,
}

/// An account's KSI-SVC-06 scorecard in one row.
#[derive(Debug, Clone)]
pub struct AccountKsiView {
    pub account_id: String,
    pub account_name: String,
    pub ou_path: String,
    pub overall: KsiLineView,
    /// Each sub-check's status, in the organisation scorecard's order.
    pub statuses: Vec<StatusCell>,
}

/// A status in a compact table: the status and its initial.
#[derive(Debug, Clone)]
pub struct StatusCell {
    pub status: String,
    pub letter: char,
}

/// Compliance with one framework control.
#[derive(Debug, Clone)]
pub struct ControlView {
    pub framework: String,
    pub control: String,
    pub rules: usize,
    pub counts: Counts,
    pub compliance: String,
}

/// One heatmap cell: a CSS class and what it means.
#[derive(Debug, Clone)]
pub struct Cell {
    pub class: &'static str,
    pub title: String,
}

/// One heatmap row (an account, or an OU aggregated).
#[derive(Debug, Clone)]
pub struct HeatRow {
    pub label: String,
    pub cells: Vec<Cell>,
}

/// The heatmap rows of one OU.
#[derive(Debug, Clone)]
pub struct HeatGroup {
    pub ou_path: String,
    pub rows: Vec<HeatRow>,
}

/// The account × rule heatmap, grouped by OU (or OU × rule, aggregated).
#[derive(Debug, Clone)]
pub struct Heatmap {
    pub rules: Vec<String>,
    pub groups: Vec<HeatGroup>,
    /// Rows are OUs (too many accounts for a row each).
    pub aggregated: bool,
}

/// A rule's failures.
#[derive(Debug, Clone)]
pub struct RuleView {
    pub rule_id: String,
    pub title: String,
    pub severity: String,
    pub counts: Counts,
    pub accounts_failing: usize,
}

/// An account's verdicts.
#[derive(Debug, Clone)]
pub struct AccountView {
    pub account_id: String,
    pub account_name: String,
    pub ou_path: String,
    pub counts: Counts,
    pub compliance: String,
    pub entered: bool,
    pub collection_errors: i64,
}

/// One OU's accounts, for the drill-down tables.
#[derive(Debug, Clone)]
pub struct OuView {
    pub ou_path: String,
    pub counts: Counts,
    pub compliance: String,
    pub accounts: Vec<AccountView>,
}

/// A finding that appeared or went away since the previous run.
#[derive(Debug, Clone)]
pub struct ChangeView {
    pub rule_id: String,
    pub severity: String,
    pub account_id: String,
    pub resource: String,
    pub message: String,
}

/// One group of collection errors.
#[derive(Debug, Clone)]
pub struct ErrorGroup {
    pub service: String,
    pub api: String,
    pub error_code: String,
    pub errors: usize,
    pub accounts: usize,
}

/// What was collected and what could not be.
#[derive(Debug, Clone)]
pub struct Completeness {
    pub complete: bool,
    /// Resources collected per kind, in registry order (title, count).
    pub inventory: Vec<(String, i64)>,
    pub accounts_not_entered: Vec<AccountView>,
    pub error_groups: Vec<ErrorGroup>,
    pub collection_errors: usize,
    /// Findings that could not be judged (ERROR).
    pub unjudged: u64,
}

/// The whole report.
#[derive(Debug, Clone)]
pub struct Report {
    pub run: RunView,
    pub previous: Option<RunView>,
    pub totals: Counts,
    pub compliance: String,
    /// Change in compliance since the previous run, in points ("+3.1").
    pub compliance_change: Option<String>,
    pub gauge: String,
    pub ksi_organisation: Vec<KsiLineView>,
    pub ksi_overall: Option<KsiLineView>,
    pub ksi_accounts: Vec<AccountKsiView>,
    pub controls: Vec<ControlView>,
    pub heatmap: Heatmap,
    pub severity_chart: String,
    pub failures_by_severity: Vec<(String, u64)>,
    pub top_rules: Vec<RuleView>,
    pub top_accounts: Vec<AccountView>,
    pub new_findings: Vec<ChangeView>,
    pub new_count: usize,
    pub resolved_findings: Vec<ChangeView>,
    pub resolved_count: usize,
    pub trend_chart: String,
    pub trend: Vec<(String, String)>,
    pub completeness: Completeness,
    pub ous: Vec<OuView>,
}

/// The severities, most severe first.
const SEVERITIES: [(&str, &str); 5] = [
    ("Critical", "critical"),
    ("High", "high"),
    ("Medium", "medium"),
    ("Low", "low"),
    ("Informational", "informational"),
];

impl Report {
    /// Computes the report of `data`.
    pub fn build(data: &ReportData) -> Report {
        let findings = &data.findings;
        let mut totals = Counts::default();
        for f in findings {
            count(&mut totals, &f.compliance.status_code);
        }
        let previous_totals = data.previous.as_ref().map(|_| {
            let mut counts = Counts::default();
            for f in &data.previous_findings {
                count(&mut counts, &f.compliance.status_code);
            }
            counts
        });
        let compliance_change = match (totals.compliance(), previous_totals.and_then(|c| c.compliance())) {
            (Some(now), Some(before)) => Some(format!("{:+.1}", now - before)),
            _ => None,
        };

        let accounts = account_views(data);
        let (ksi_organisation, ksi_overall, ksi_accounts) = ksi_views(&data.ksi);
        let severities = severity_bars(findings);
        let new_findings = changes(findings, &data.previous_findings);
        let resolved_findings = changes(&data.previous_findings, findings);
        let trend = trend(&data.runs);
        Report {
            run: RunView::of(&data.run),
            previous: data.previous.as_ref().map(RunView::of),
            totals,
            compliance: totals.compliance_text(),
            compliance_change,
            gauge: svg::gauge(totals.compliance(), "Organisation compliance"),
            ksi_organisation,
            ksi_overall,
            ksi_accounts,
            controls: controls(findings),
            heatmap: heatmap(findings, &accounts),
            severity_chart: svg::bars("FAIL findings by severity", &severities),
            failures_by_severity: severities.into_iter().map(|b| (b.label, b.value)).collect(),
            top_rules: top_rules(findings),
            top_accounts: top_accounts(&accounts),
            new_count: new_findings.len(),
            new_findings: listed(new_findings),
            resolved_count: resolved_findings.len(),
            resolved_findings: listed(resolved_findings),
            trend_chart: svg::trend("Compliance by day", &trend),
            trend: trend.into_iter().map(|(day, p)| (day, format!("{p:.1}%"))).collect(),
            completeness: completeness(data, &accounts, totals),
            ous: ous(&accounts),
        }
    }
}

/// Every account of the run with its verdicts.
fn account_views(data: &ReportData) -> Vec<AccountView> {
    let mut by_account: BTreeMap<&str, Counts> = BTreeMap::new();
    for f in &data.findings {
        count(by_account.entry(f.cloud.account.uid.as_str()).or_default(), &f.compliance.status_code);
    }
    let mut views: Vec<AccountView> = data
        .accounts
        .iter()
        .map(|a| {
            let counts = by_account.get(a.account_id.as_str()).copied().unwrap_or_default();
            AccountView {
                account_id: a.account_id.clone(),
                account_name: a.account_name.clone(),
                ou_path: a.ou_path.clone(),
                counts,
                compliance: counts.compliance_text(),
                entered: a.entered,
                collection_errors: a.collection_errors,
            }
        })
        .collect();
    views.sort_by(|a, b| (&a.ou_path, &a.account_id).cmp(&(&b.ou_path, &b.account_id)));
    views
}

fn ksi_line(row: &KsiScore) -> KsiLineView {
    KsiLineView {
        sub_check: row.sub_check.clone(),
        title: row.title.clone(),
        status: row.status.clone(),
        figure: row.figure.clone(),
    }
}

/// The organisation's scorecard, its overall line, and each account's.
fn ksi_views(rows: &[KsiScore]) -> (Vec<KsiLineView>, Option<KsiLineView>, Vec<AccountKsiView>) {
    let organisation: Vec<&KsiScore> = rows.iter().filter(|r| r.account_id.is_none()).collect();
    let order: Vec<&str> =
        organisation.iter().filter(|r| r.sub_check != crate::ksi::OVERALL).map(|r| r.sub_check.as_str()).collect();
    let overall = organisation.iter().find(|r| r.sub_check == crate::ksi::OVERALL).map(|r| ksi_line(r));
    let lines = organisation.iter().filter(|r| r.sub_check != crate::ksi::OVERALL).map(|r| ksi_line(r)).collect();
    let mut by_account: BTreeMap<&str, Vec<&KsiScore>> = BTreeMap::new();
    for row in rows {
        if let Some(account) = &row.account_id {
            by_account.entry(account.as_str()).or_default().push(row);
        }
    }
    let mut accounts: Vec<AccountKsiView> = by_account
        .into_iter()
        .filter_map(|(account, rows)| {
            let overall = rows.iter().find(|r| r.sub_check == crate::ksi::OVERALL)?;
            Some(AccountKsiView {
                account_id: account.to_owned(),
                account_name: overall.account_name.clone().unwrap_or_default(),
                ou_path: overall.ou_path.clone().unwrap_or_default(),
                overall: ksi_line(overall),
                statuses: order
                    .iter()
                    .map(|id| {
                        let status = rows.iter().find(|r| r.sub_check == *id).map_or("", |r| r.status.as_str());
                        StatusCell { status: status.to_owned(), letter: status.chars().next().unwrap_or('·') }
                    })
                    .collect(),
            })
        })
        .collect();
    accounts.sort_by(|a, b| (&a.ou_path, &a.account_id).cmp(&(&b.ou_path, &b.account_id)));
    (lines, overall, accounts)
}

/// Compliance per framework control, grouped by framework.
fn controls(findings: &[FindingRow]) -> Vec<ControlView> {
    let mut by_control: BTreeMap<(String, String), (Counts, BTreeSet<&str>)> = BTreeMap::new();
    for f in findings {
        for control in f.compliance.requirements.iter() {
            let framework = framework_of(control, &f.compliance.standards);
            let entry = by_control.entry((framework, control.clone())).or_default();
            count(&mut entry.0, &f.compliance.status_code);
            entry.1.insert(f.compliance.control.as_str());
        }
    }
    by_control
        .into_iter()
        .map(|((framework, label), (counts, rules))| ControlView {
            control: label.strip_prefix(framework.as_str()).map_or(label.as_str(), str::trim).to_owned(),
            framework,
            rules: rules.len(),
            compliance: counts.compliance_text(),
            counts,
        })
        .collect()
}

/// The framework a control label belongs to: the longest framework name it starts with.
fn framework_of(control: &str, standards: &[String]) -> String {
    standards
        .iter()
        .filter(|s| control.starts_with(s.as_str()))
        .max_by_key(|s| s.len())
        .cloned()
        .unwrap_or_else(|| "Other".to_owned())
}

/// The order rules appear in: most severe first, then by id.
fn rule_order(findings: &[FindingRow]) -> Vec<(String, i32)> {
    let mut rules: BTreeMap<&str, i32> = BTreeMap::new();
    for f in findings {
        rules.insert(f.compliance.control.as_str(), f.severity_id);
    }
    let mut rules: Vec<(String, i32)> = rules.into_iter().map(|(r, s)| (r.to_owned(), s)).collect();
    rules.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    rules
}

/// The account × rule heatmap grouped by OU, or OU × rule when there are
/// too many accounts for a row each.
fn heatmap(findings: &[FindingRow], accounts: &[AccountView]) -> Heatmap {
    let rules: Vec<String> = rule_order(findings).into_iter().map(|(r, _)| r).collect();
    let column: BTreeMap<&str, usize> = rules.iter().enumerate().map(|(i, r)| (r.as_str(), i)).collect();
    // Per account and rule, the counts of its verdicts.
    let mut cells: BTreeMap<&str, Vec<Counts>> = BTreeMap::new();
    for f in findings {
        let Some(&i) = column.get(f.compliance.control.as_str()) else { continue };
        let row = cells.entry(f.cloud.account.uid.as_str()).or_insert_with(|| vec![Counts::default(); rules.len()]);
        count(&mut row[i], &f.compliance.status_code);
    }
    let none = vec![Counts::default(); rules.len()];
    let counts_of = |account: &AccountView| cells.get(account.account_id.as_str()).unwrap_or(&none);
    let aggregated = accounts.len() > HEATMAP_ACCOUNT_ROWS;
    // `accounts` are sorted by OU path: each OU's accounts are one run.
    let groups = accounts
        .chunk_by(|a, b| a.ou_path == b.ou_path)
        .map(|members| {
            let rows = if aggregated {
                let cells = rules
                    .iter()
                    .enumerate()
                    .map(|(i, rule)| {
                        let per_account: Vec<&Counts> = members.iter().map(|a| &counts_of(a)[i]).collect();
                        ou_cell(&per_account, rule)
                    })
                    .collect();
                vec![HeatRow { label: format!("{} accounts", members.len()), cells }]
            } else {
                members
                    .iter()
                    .map(|account| HeatRow {
                        label: format!("{} {}", account.account_id, account.account_name),
                        cells: counts_of(account).iter().zip(&rules).map(|(c, rule)| account_cell(c, rule)).collect(),
                    })
                    .collect()
            };
            HeatGroup { ou_path: members.first().map_or_else(String::new, |a| a.ou_path.clone()), rows }
        })
        .collect();
    Heatmap { rules, groups, aggregated }
}

fn account_cell(counts: &Counts, rule: &str) -> Cell {
    let (class, what) = if counts.fail > 0 {
        ("fail", format!("{} FAIL", counts.fail))
    } else if counts.error > 0 {
        ("error", format!("{} ERROR", counts.error))
    } else if counts.pass > 0 {
        ("pass", format!("{} PASS", counts.pass))
    } else if counts.info > 0 {
        ("info", format!("{} INFO", counts.info))
    } else {
        ("none", "no finding".to_owned())
    };
    Cell { class, title: format!("{rule}: {what}") }
}

fn ou_cell(per_account: &[&Counts], rule: &str) -> Cell {
    let failing = per_account.iter().filter(|c| c.fail > 0).count();
    let erring = per_account.iter().filter(|c| c.fail == 0 && c.error > 0).count();
    let judged = per_account.iter().filter(|c| c.pass + c.fail + c.error > 0).count();
    let class = match (failing, judged) {
        (_, 0) => "none",
        (f, n) if f * 2 > n => "fail",
        (f, n) if f * 5 > n => "fail-some",
        (f, _) if f > 0 => "fail-few",
        _ if erring > 0 => "error",
        _ => "pass",
    };
    Cell { class, title: format!("{rule}: {failing} of {judged} accounts FAIL, {erring} ERROR") }
}

fn severity_bars(findings: &[FindingRow]) -> Vec<svg::Bar> {
    SEVERITIES
        .iter()
        .map(|(name, class)| svg::Bar {
            label: (*name).to_owned(),
            value: findings.iter().filter(|f| f.compliance.status_code == "FAIL" && f.severity == *name).count() as u64,
            class,
        })
        .collect()
}

fn top_rules(findings: &[FindingRow]) -> Vec<RuleView> {
    let mut by_rule: BTreeMap<&str, (RuleView, BTreeSet<&str>)> = BTreeMap::new();
    for f in findings {
        let entry = by_rule.entry(f.compliance.control.as_str()).or_insert_with(|| {
            (
                RuleView {
                    rule_id: f.compliance.control.clone(),
                    title: f.finding_info.title.to_string(),
                    severity: f.severity.clone(),
                    counts: Counts::default(),
                    accounts_failing: 0,
                },
                BTreeSet::new(),
            )
        });
        count(&mut entry.0.counts, &f.compliance.status_code);
        if f.compliance.status_code == "FAIL" {
            entry.1.insert(f.cloud.account.uid.as_str());
        }
    }
    let mut rules: Vec<RuleView> = by_rule
        .into_values()
        .map(|(mut rule, accounts)| {
            rule.accounts_failing = accounts.len();
            rule
        })
        .filter(|r| r.counts.fail > 0)
        .collect();
    rules.sort_by(|a, b| b.counts.fail.cmp(&a.counts.fail).then_with(|| a.rule_id.cmp(&b.rule_id)));
    rules.truncate(TOP);
    rules
}

fn top_accounts(accounts: &[AccountView]) -> Vec<AccountView> {
    let mut top: Vec<AccountView> = accounts.iter().filter(|a| a.counts.fail > 0).cloned().collect();
    top.sort_by(|a, b| b.counts.fail.cmp(&a.counts.fail).then_with(|| a.account_id.cmp(&b.account_id)));
    top.truncate(TOP);
    top
}

/// The first `CHANGES_LISTED` of `changes`.
fn listed(mut changes: Vec<ChangeView>) -> Vec<ChangeView> {
    changes.truncate(CHANGES_LISTED);
    changes
}

/// FAIL findings of `now` that `before` did not fail (by stable id), most severe first.
fn changes(now: &[FindingRow], before: &[FindingRow]) -> Vec<ChangeView> {
    let failed_before: BTreeSet<&str> =
        before.iter().filter(|f| f.compliance.status_code == "FAIL").map(|f| f.finding_info.uid.as_str()).collect();
    let mut changed: Vec<&FindingRow> = now
        .iter()
        .filter(|f| f.compliance.status_code == "FAIL" && !failed_before.contains(f.finding_info.uid.as_str()))
        .collect();
    changed.sort_by(|a, b| {
        b.severity_id
            .cmp(&a.severity_id)
            .then_with(|| a.compliance.control.cmp(&b.compliance.control))
            .then_with(|| a.finding_info.uid.cmp(&b.finding_info.uid))
    });
    changed
        .into_iter()
        .map(|f| ChangeView {
            rule_id: f.compliance.control.clone(),
            severity: f.severity.clone(),
            account_id: f.cloud.account.uid.clone(),
            resource: f.resources.first().map(|r| r.uid.clone()).unwrap_or_default(),
            message: f.message.clone(),
        })
        .collect()
}

/// Compliance of the latest run of each day, oldest first.
fn trend(runs: &[RunRecord]) -> Vec<(String, f64)> {
    let mut by_day: BTreeMap<String, &RunRecord> = BTreeMap::new();
    for run in runs {
        by_day.insert(day_text(run.started_at), run);
    }
    let mut points: Vec<(String, f64)> = by_day
        .into_iter()
        .filter_map(|(day, run)| {
            let counts = Counts {
                pass: run.findings_pass as u64,
                fail: run.findings_fail as u64,
                info: run.findings_info as u64,
                error: run.findings_error as u64,
            };
            counts.compliance().map(|p| (day, p))
        })
        .collect();
    if points.len() > TREND_POINTS {
        points.drain(..points.len() - TREND_POINTS);
    }
    points
}

fn completeness(data: &ReportData, accounts: &[AccountView], totals: Counts) -> Completeness {
    let mut groups: BTreeMap<(&str, &str, &str), (usize, BTreeSet<&str>)> = BTreeMap::new();
    for e in &data.errors {
        let entry = groups.entry((e.service.as_str(), e.api.as_str(), e.error_code.as_str())).or_default();
        entry.0 += 1;
        entry.1.insert(e.account_id.as_str());
    }
    let mut error_groups: Vec<ErrorGroup> = groups
        .into_iter()
        .map(|((service, api, code), (errors, accounts))| ErrorGroup {
            service: service.to_owned(),
            api: api.to_owned(),
            error_code: code.to_owned(),
            errors,
            accounts: accounts.len(),
        })
        .collect();
    error_groups.sort_by(|a, b| b.errors.cmp(&a.errors).then_with(|| a.api.cmp(&b.api)));
    let mut inventory: Vec<(String, i64)> = crate::kinds::infos()
        .iter()
        .filter_map(|kind| data.run.resources.get(kind.name).map(|n| (kind.title.to_owned(), *n)))
        .collect();
    // Kinds this build does not know (a newer scan's) still show, by name.
    for (name, n) in &data.run.resources {
        if crate::kinds::by_name(name).is_none() {
            inventory.push((name.clone(), *n));
        }
    }
    Completeness {
        complete: data.run.complete,
        inventory,
        accounts_not_entered: accounts.iter().filter(|a| !a.entered).cloned().collect(),
        collection_errors: data.errors.len(),
        error_groups,
        unjudged: totals.error,
    }
}

fn ous(accounts: &[AccountView]) -> Vec<OuView> {
    let mut by_ou: BTreeMap<&str, Vec<AccountView>> = BTreeMap::new();
    for account in accounts {
        by_ou.entry(account.ou_path.as_str()).or_default().push(account.clone());
    }
    by_ou
        .into_iter()
        .map(|(ou, mut accounts)| {
            let mut counts = Counts::default();
            for a in &accounts {
                counts.merge(a.counts);
            }
            accounts.sort_by(|a, b| b.counts.fail.cmp(&a.counts.fail).then_with(|| a.account_id.cmp(&b.account_id)));
            OuView { ou_path: ou.to_owned(), compliance: counts.compliance_text(), counts, accounts }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::Account;
    use crate::output::findings::{RuleText, finding_row};
    use crate::rules::{RuleFinding, RuleInfo, Severity, Status};

    fn rule() -> RuleInfo {
        RuleInfo {
            id: "r".into(),
            title: "R".into(),
            description: String::new(),
            severity: Severity::High,
            reads: Vec::new(),
            parameters: Vec::new(),
            frameworks: Vec::new(),
            remediation: String::new(),
            references: Vec::new(),
            source: String::new(),
            builtin: true,
            contract: "0.3",
        }
    }

    fn account(n: usize) -> AccountView {
        AccountView {
            account_id: format!("{n:012}"),
            account_name: format!("a{n}"),
            ou_path: format!("Root/OU-{}", n % 3),
            counts: Counts::default(),
            compliance: String::new(),
            entered: true,
            collection_errors: 0,
        }
    }

    fn finding(account: &AccountView, status: Status) -> FindingRow {
        let info = rule();
        let text = RuleText::new(&info);
        let identity = Account {
            account_id: account.account_id.clone(),
            account_name: account.account_name.clone(),
            ou_path: account.ou_path.clone(),
            ou_id_path: String::new(),
            org_id: String::new(),
        };
        let found = RuleFinding {
            rule_id: "r".into(),
            status,
            message: "m".into(),
            resource_id: None,
            resource_type: "account",
            subject: None,
            region: None,
            evidence: Vec::new(),
        };
        finding_row(found, &info, &text, &identity, "run", 0)
    }

    #[test]
    fn nothing_scored_is_no_compliance_figure_not_zero() {
        let counts = Counts { pass: 0, fail: 0, info: 3, error: 2 };
        assert_eq!(counts.compliance(), None);
        assert_eq!(counts.compliance_text(), "n/a");
        assert_eq!(Counts { pass: 3, fail: 1, info: 9, error: 9 }.compliance_text(), "75.0%");
    }

    #[test]
    fn the_heatmap_has_a_row_per_account_grouped_by_ou_until_it_has_one_per_ou() {
        let few: Vec<AccountView> = {
            let mut a: Vec<AccountView> = (0..6).map(account).collect();
            a.sort_by(|x, y| (&x.ou_path, &x.account_id).cmp(&(&y.ou_path, &y.account_id)));
            a
        };
        let findings: Vec<FindingRow> =
            few.iter().enumerate().map(|(i, a)| finding(a, if i == 0 { Status::Fail } else { Status::Pass })).collect();
        let map = heatmap(&findings, &few);
        assert!(!map.aggregated);
        assert_eq!(map.groups.len(), 3, "one group per OU");
        assert_eq!(map.groups.iter().map(|g| g.rows.len()).sum::<usize>(), 6);
        assert_eq!(map.groups[0].rows[0].cells[0].class, "fail");

        let mut many: Vec<AccountView> = (0..HEATMAP_ACCOUNT_ROWS + 1).map(account).collect();
        many.sort_by(|x, y| (&x.ou_path, &x.account_id).cmp(&(&y.ou_path, &y.account_id)));
        let findings: Vec<FindingRow> = many.iter().map(|a| finding(a, Status::Error)).collect();
        let map = heatmap(&findings, &many);
        assert!(map.aggregated);
        assert_eq!(map.groups.iter().map(|g| g.rows.len()).collect::<Vec<_>>(), [1, 1, 1]);
        assert_eq!(map.groups[0].rows[0].cells[0].class, "error", "an OU whose verdicts are unknown is not green");
    }
}
