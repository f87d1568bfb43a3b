//! How long the executive report takes for a large organisation, and how big
//! it is: 5,000 accounts in 50 OUs × 40 rules (200,000 findings this run and
//! as many the run before, with some verdicts changed between them), 30
//! stored runs for the trend, and every account's KSI-SVC-06 scorecard.
//!
//! Run with `cargo bench --bench report_build`. It prints figures; it
//! asserts nothing. Reading the Parquet files is not timed (the same reader
//! as `keyaudit evaluate`); building the figures and rendering are.

use std::time::Instant;

use keyaudit::inventory::{Account, AccountRecord};
use keyaudit::ksi::{KsiScore, Tally};
use keyaudit::output::RunRecord;
use keyaudit::output::findings::{FindingRow, RuleText, finding_row};
use keyaudit::report::{self, Report, ReportData};
use keyaudit::rules::{Mapping, RuleFinding, RuleInfo, Severity, Status};

const ACCOUNTS: usize = 5_000;
const OUS: usize = 50;
const RULES: usize = 40;
const RUNS: usize = 30;

fn rule(n: usize) -> RuleInfo {
    let severity =
        [Severity::Critical, Severity::High, Severity::Medium, Severity::Low, Severity::Informational][n % 5];
    RuleInfo {
        id: format!("bench-rule-{n:02}"),
        title: format!("Benchmark rule {n}"),
        description: "A rule of the benchmark.".into(),
        severity,
        reads: Vec::new(),
        parameters: Vec::new(),
        frameworks: vec![
            Mapping { framework: "CIS AWS Foundations".into(), control: format!("3.{}", n % 9) },
            Mapping { framework: "FedRAMP 20x KSI".into(), control: "KSI-SVC-06".into() },
        ],
        remediation: "Fix it.".into(),
        references: Vec::new(),
        source: "bench".into(),
        builtin: true,
        contract: "0.3",
    }
}

fn account(n: usize) -> Account {
    Account {
        account_id: format!("{:012}", 100_000_000_000u64 + n as u64),
        account_name: format!("account-{n}"),
        ou_path: format!("Root/Business-{}/Workloads", n % OUS),
        ou_id_path: format!("r-root/ou-root-{:08}", n % OUS),
        org_id: "o-bench".into(),
    }
}

fn findings(rules: &[(RuleInfo, RuleText)], accounts: &[Account], run_id: &str, salt: usize) -> Vec<FindingRow> {
    let mut rows = Vec::with_capacity(rules.len() * accounts.len());
    for (a, account) in accounts.iter().enumerate() {
        for (r, (info, text)) in rules.iter().enumerate() {
            let status = match (a * 7 + r * 13 + salt) % 23 {
                0..=2 => Status::Fail,
                3 => Status::Error,
                4 => Status::Info,
                _ => Status::Pass,
            };
            let finding = RuleFinding {
                rule_id: info.id.clone(),
                status,
                message: format!("{} on key {a}-{r}", info.title),
                resource_id: Some(format!("arn:aws:kms:us-east-1:{}:key/{a:08}-{r:04}", account.account_id)),
                resource_type: "kms-key",
                subject: None,
                region: Some("us-east-1".into()),
                evidence: vec![("rotation_enabled".into(), "false".into())],
            };
            rows.push(finding_row(finding, info, text, account, run_id, 1_700_000_000_000));
        }
    }
    rows
}

fn run(n: usize, findings: &[FindingRow]) -> RunRecord {
    let count = |status: &str| findings.iter().filter(|f| f.compliance.status_code == status).count() as i64;
    RunRecord {
        run_id: format!("run-{n:04}"),
        started_at: 1_700_000_000_000 + n as i64 * 86_400_000,
        finished_at: 1_700_000_000_000 + n as i64 * 86_400_000 + 3_600_000,
        keyaudit_version: "bench".into(),
        config_digest: String::new(),
        caller_arn: "arn:aws:iam::100000000000:role/audit".into(),
        org_id: "o-bench".into(),
        inventory_run_id: None,
        org_account_ids: Vec::new(),
        regions: vec!["us-east-1".into()],
        services: vec!["kms".into()],
        accounts_discovered: ACCOUNTS as i64,
        accounts_selected: ACCOUNTS as i64,
        accounts_scanned: ACCOUNTS as i64,
        accounts_failed: 0,
        resources: [("kms-key".to_owned(), (ACCOUNTS * RULES) as i64)].into(),
        inventory: true,
        collection_errors: 0,
        api_calls: 0,
        rules: RULES as i64,
        findings_pass: count("PASS"),
        findings_fail: count("FAIL") + (n % 7) as i64 * 100,
        findings_info: count("INFO"),
        findings_error: count("ERROR"),
        complete: true,
    }
}

fn main() {
    let prepared = Instant::now();
    let rules: Vec<(RuleInfo, RuleText)> = (0..RULES).map(rule).map(|r| (r.clone(), RuleText::new(&r))).collect();
    let accounts: Vec<Account> = (0..ACCOUNTS).map(account).collect();
    let now = findings(&rules, &accounts, &format!("run-{:04}", RUNS - 1), 0);
    let before = findings(&rules, &accounts, &format!("run-{:04}", RUNS - 2), 5);
    let runs: Vec<RunRecord> = (0..RUNS).map(|n| run(n, if n == RUNS - 1 { &now } else { &before })).collect();
    let empty = keyaudit::kinds::Inventory::default();
    let mut ksi: Vec<KsiScore> = Vec::new();
    let mut organisation = Tally::default();
    for account in &accounts {
        let tally = Tally::of_account(&empty, &empty, 0);
        ksi.extend(tally.scorecard().rows(&runs[RUNS - 1].run_id, Some(account)));
        organisation.add(&tally);
    }
    ksi.extend(organisation.scorecard().rows(&runs[RUNS - 1].run_id, None));
    let records: Vec<AccountRecord> = accounts
        .iter()
        .map(|a| AccountRecord {
            run_id: runs[RUNS - 1].run_id.clone(),
            account_id: a.account_id.clone(),
            account_name: a.account_name.clone(),
            ou_path: a.ou_path.clone(),
            ou_id_path: a.ou_id_path.clone(),
            org_id: a.org_id.clone(),
            regions: vec!["us-east-1".into()],
            entered: true,
            resources: Default::default(),
            collection_errors: 0,
        })
        .collect();
    let data = ReportData {
        run: runs[RUNS - 1].clone(),
        previous: Some(runs[RUNS - 2].clone()),
        runs,
        accounts: records,
        findings: now,
        previous_findings: before,
        ksi,
        errors: Vec::new(),
    };
    println!(
        "report_build: {ACCOUNTS} accounts in {OUS} OUs × {RULES} rules = {} findings (and {} the run before), \
         {RUNS} runs; synthetic data made in {:.1} s",
        data.findings.len(),
        data.previous_findings.len(),
        prepared.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    let built = Report::build(&data);
    let build_time = started.elapsed();
    let html = report::html(&built).expect("render HTML");
    let html_time = started.elapsed() - build_time;
    let markdown = report::markdown(&built).expect("render Markdown");
    let total = started.elapsed();
    println!("  figures computed   {:>8.2} s", build_time.as_secs_f64());
    println!("  HTML rendered      {:>8.2} s  ({:.1} MB)", html_time.as_secs_f64(), html.len() as f64 / 1e6);
    println!("  Markdown rendered            ({:.1} kB)", markdown.len() as f64 / 1e3);
    println!("  total              {:>8.2} s  (the issue's bound: 10 s)", total.as_secs_f64());
    // What a reader waits for: Chromium laying out and printing the page.
    match report::chromium() {
        Ok(chromium) => {
            let dir = tempfile::tempdir().expect("a temporary folder");
            let (page, pdf) = (dir.path().join("report.html"), dir.path().join("report.pdf"));
            report::write(&page, html.as_bytes()).expect("write the page");
            let printing = Instant::now();
            match report::print_pdf(&chromium, &page, &pdf) {
                Ok(()) => println!(
                    "  Chromium: printed to PDF in {:.2} s ({:.1} MB)",
                    printing.elapsed().as_secs_f64(),
                    std::fs::metadata(&pdf).map_or(0, |m| m.len()) as f64 / 1e6
                ),
                Err(e) => println!("  Chromium: {e}"),
            }
        }
        Err(e) => println!("  Chromium: not timed ({e})"),
    }
    println!(
        "  heatmap: {} rows ({}), {} SVG charts",
        built.heatmap.groups.iter().map(|g| g.rows.len()).sum::<usize>(),
        if built.heatmap.aggregated { "one per OU" } else { "one per account" },
        html.matches("<svg").count()
    );
}
