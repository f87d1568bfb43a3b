//! The executive report end to end: the fixture organisation scanned in
//! moto, then re-evaluated with another rule left out, so the second run has
//! findings that are new and findings that are resolved; `keyaudit report`
//! writes HTML, Markdown and PDF; every number checked is computed again
//! here with DuckDB from the stored tables; headless Chromium renders the
//! page to PNG and PDF, with no network request and no console error.

mod support;

use std::collections::BTreeSet;
use std::path::Path;

use support::{duckdb, keyaudit, org};

/// The rules the two runs leave out, one each: both FAIL in the fixture.
const LEFT_OUT_OF_SCAN: &str = "secret-rotation-enabled";
const LEFT_OUT_OF_EVALUATION: &str = "kms-rotation-enabled";

fn count(rows: &[serde_json::Map<String, serde_json::Value>], column: &str) -> i64 {
    rows[0][column].as_i64().unwrap_or_else(|| panic!("{column} in {rows:?}"))
}

#[test]
fn the_report_shows_the_stored_numbers_and_renders_offline_in_chromium() {
    let org = org(&[]);
    let local = org.dir.path().join("out");
    let s3_uri = format!("s3://{}/audit", org.manifest.bucket);
    let lake_uri = format!("s3://{}/ext/keyaudit", org.manifest.bucket);
    let scan = keyaudit(
        Some(&org.endpoint),
        &[
            "scan",
            "--regions",
            "us-east-1,eu-west-1",
            "--disable-rules",
            LEFT_OUT_OF_SCAN,
            "-o",
            local.to_str().unwrap(),
            "-o",
            &s3_uri,
            "--security-lake",
            &lake_uri,
            "--summary-json",
        ],
        &[],
    );
    assert_eq!(scan.code, 0, "{}", scan.stderr);
    let scan_id = scan.summary()["run"]["run_id"].as_str().unwrap().to_owned();
    let evaluation = keyaudit(
        None,
        &[
            "evaluate",
            "--inventory",
            local.to_str().unwrap(),
            "--disable-rules",
            LEFT_OUT_OF_EVALUATION,
            "--summary-json",
        ],
        &[],
    );
    assert_eq!(evaluation.code, 0, "{}", evaluation.stderr);
    let run_id = evaluation.summary()["run"]["run_id"].as_str().unwrap().to_owned();

    let html = org.dir.path().join("report.html");
    let md = org.dir.path().join("report.md");
    let pdf = org.dir.path().join("report.pdf");
    let made = keyaudit(
        None,
        &["report", "--from", local.to_str().unwrap(), "--out", html.to_str().unwrap(), "--pdf", pdf.to_str().unwrap()],
        &[],
    );
    assert_eq!(made.code, 0, "{}", made.stderr);
    assert!(made.stderr.contains(&run_id), "names the run reported: {}", made.stderr);
    let made_md = keyaudit(
        None,
        &["report", "--from", local.to_str().unwrap(), "--format", "md", "--out", md.to_str().unwrap()],
        &[],
    );
    assert_eq!(made_md.code, 0, "{}", made_md.stderr);
    let html_text = std::fs::read_to_string(&html).unwrap();
    let md_text = std::fs::read_to_string(&md).unwrap();

    // The scan's findings, also in Security Lake's custom-source layout: one
    // file per account, region and day, holding exactly that partition's rows.
    let lake = org.dir.path().join("lake");
    let keys = support::download(&org.endpoint, &org.manifest.bucket, "ext/keyaudit/", &lake);
    let started = scan.summary()["run"]["started_at"].as_i64().unwrap();
    let event_day = chrono::DateTime::from_timestamp_millis(started).unwrap().format("%Y%m%d").to_string();
    let mut lake_rows = 0;
    for key in &keys {
        let parts: Vec<&str> = key.split('/').collect();
        assert_eq!(parts.len(), 6, "{key}");
        let (region, account, day) = (
            parts[2].strip_prefix("region=").unwrap(),
            parts[3].strip_prefix("accountId=").unwrap(),
            parts[4].strip_prefix("eventDay=").unwrap(),
        );
        assert_eq!((day, parts[5]), (event_day.as_str(), format!("{scan_id}.parquet").as_str()), "{key}");
        let rows: Vec<keyaudit::output::findings::FindingRow> = keyaudit::output::read_rows(&lake.join(key)).unwrap();
        for row in &rows {
            assert_eq!(row.cloud.account.uid, account, "{key}");
            assert_eq!(
                row.cloud.region.as_deref().unwrap_or("us-east-1"),
                region,
                "{key}: account-level rows go to the home region"
            );
        }
        lake_rows += rows.len();
    }
    let scan_findings =
        duckdb(&local, &format!("SELECT count(*) AS n FROM findings WHERE metadata.correlation_uid = '{scan_id}'"));
    assert_eq!(lake_rows as i64, count(&scan_findings, "n"), "every finding once");
    assert!(keys.iter().any(|k| k.contains("region=eu-west-1/")) && keys.len() > 4, "{keys:#?}");

    // From S3 (the scan only is there), the same report as from the folder.
    let scan_md = |from: &str, out: &str| {
        let path = org.dir.path().join(out);
        let made = keyaudit(
            Some(&org.endpoint),
            &["report", "--from", from, "--run", &scan_id, "--format", "md", "--out", path.to_str().unwrap()],
            &[],
        );
        assert_eq!(made.code, 0, "{}", made.stderr);
        std::fs::read_to_string(path).unwrap()
    };
    assert_eq!(scan_md(&s3_uri, "from-s3.md"), scan_md(local.to_str().unwrap(), "from-folder.md"));

    // Compliance now and its change, from the findings.
    let compliance = |run: &str| {
        let rows = duckdb(
            &local,
            &format!(
                "SELECT count(*) FILTER (WHERE compliance.status_code = 'PASS') AS pass, \
                 count(*) FILTER (WHERE compliance.status_code = 'FAIL') AS fail, \
                 count(*) FILTER (WHERE compliance.status_code = 'ERROR') AS error \
                 FROM findings WHERE metadata.correlation_uid = '{run}'"
            ),
        );
        let (pass, fail) = (count(&rows, "pass"), count(&rows, "fail"));
        (100.0 * pass as f64 / (pass + fail) as f64, pass, fail, count(&rows, "error"))
    };
    let (now, pass, fail, error) = compliance(&run_id);
    let (before, ..) = compliance(&scan_id);
    let now_text = format!("{now:.1}%");
    assert!(md_text.contains(&format!("**Compliance: {now_text}**")), "{md_text}");
    assert!(md_text.contains(&format!("({:+.1} points since the previous run)", now - before)), "{md_text}");
    assert!(md_text.contains(&format!("{pass} PASS, {fail} FAIL, {error} ERROR")), "{md_text}");
    assert!(html_text.contains(&format!(">{now_text}</b> of scored findings pass")));
    assert!(html_text.contains(&format!("<b>{:+.1} points</b>", now - before)));

    // New and resolved FAILs since the scan, by finding id.
    let failing = |run: &str| -> BTreeSet<String> {
        duckdb(
            &local,
            &format!(
                "SELECT finding_info.uid AS uid FROM findings \
                 WHERE metadata.correlation_uid = '{run}' AND compliance.status_code = 'FAIL'"
            ),
        )
        .iter()
        .map(|r| r["uid"].as_str().unwrap().to_owned())
        .collect()
    };
    let (fails_now, fails_before) = (failing(&run_id), failing(&scan_id));
    let new = fails_now.difference(&fails_before).count();
    let resolved = fails_before.difference(&fails_now).count();
    assert!(new > 0 && resolved > 0, "the fixture fails both rules left out");
    assert!(
        md_text.contains(&format!("{new} new FAIL findings, {resolved} resolved since run `{scan_id}`")),
        "{md_text}"
    );
    assert!(html_text.contains(&format!("{new} new FAIL findings and {resolved} resolved since run {scan_id}")));
    assert!(md_text.contains(&format!("| `{LEFT_OUT_OF_SCAN}` |")), "a new finding is listed");
    assert!(md_text.contains(&format!("| `{LEFT_OUT_OF_EVALUATION}` |")), "a resolved one too");

    // The organisation's KSI-SVC-06 scorecard, line by line.
    let ksi = duckdb(
        &local,
        &format!("SELECT * FROM ksi_scores WHERE run_id = '{run_id}' AND account_id IS NULL ORDER BY sub_check"),
    );
    assert_eq!(ksi.len(), 12);
    for line in &ksi {
        let (status, figure) = (line["status"].as_str().unwrap(), line["figure"].as_str().unwrap());
        if line["sub_check"] == "overall" {
            assert!(md_text.contains(&format!("**{status}** {figure}")), "{md_text}");
        } else {
            let title = line["title"].as_str().unwrap();
            assert!(md_text.contains(&format!("| {status} | {title} | {figure} |")), "{title} in {md_text}");
            assert!(html_text.contains(&format!("<td>{title}</td><td>{figure}</td>")), "{title} in the HTML");
        }
    }

    // Compliance per framework control: each finding counts for every
    // control its rule maps to, shown under the framework it belongs to.
    let mapped = duckdb(
        &local,
        &format!(
            "SELECT compliance.control AS rule, compliance.status_code AS status, \
             compliance.standards AS standards, compliance.requirements AS requirements \
             FROM findings WHERE metadata.correlation_uid = '{run_id}'"
        ),
    );
    let mut controls: std::collections::BTreeMap<String, (BTreeSet<String>, [u64; 3])> = Default::default();
    for row in &mapped {
        let strings = |column: &str| -> Vec<String> {
            row[column].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect()
        };
        let standards = strings("standards");
        for label in strings("requirements") {
            let framework = standards.iter().filter(|s| label.starts_with(s.as_str())).max_by_key(|s| s.len()).unwrap();
            let cell = format!("<td>{framework}</td><td>{}</td>", label[framework.len()..].trim());
            let entry = controls.entry(cell).or_default();
            entry.0.insert(row["rule"].as_str().unwrap().to_owned());
            match row["status"].as_str().unwrap() {
                "PASS" => entry.1[0] += 1,
                "FAIL" => entry.1[1] += 1,
                "ERROR" => entry.1[2] += 1,
                _ => {}
            }
        }
    }
    assert!(controls.len() > 20, "{} controls", controls.len());
    for (cell, (rules, [pass, fail, error])) in &controls {
        let row = format!(
            "{cell}<td class=\"num\">{}</td><td class=\"num\">{pass}</td><td class=\"num\">{fail}</td><td class=\"num\">{error}</td>",
            rules.len()
        );
        assert!(html_text.contains(&row), "{row}");
    }

    // FAIL findings by severity.
    let by_severity = duckdb(
        &local,
        &format!(
            "SELECT severity, count(*) AS n FROM findings \
             WHERE metadata.correlation_uid = '{run_id}' AND compliance.status_code = 'FAIL' GROUP BY 1"
        ),
    );
    for row in &by_severity {
        let line = format!("| {} | {} |", row["severity"].as_str().unwrap(), row["n"]);
        assert!(md_text.contains(&line), "{line} in {md_text}");
    }

    // The most failing rule heads its table.
    let top = duckdb(
        &local,
        &format!(
            "SELECT compliance.control AS rule, count(*) AS n FROM findings \
             WHERE metadata.correlation_uid = '{run_id}' AND compliance.status_code = 'FAIL' \
             GROUP BY 1 ORDER BY n DESC, rule LIMIT 1"
        ),
    );
    let first_rule = md_text.split("## Top failing rules").nth(1).unwrap().lines().nth(4).unwrap();
    assert!(first_rule.starts_with(&format!("| `{}` ", top[0]["rule"].as_str().unwrap())), "{first_rule}");
    assert!(first_rule.contains(&format!(" | {} | ", count(&top, "n"))), "{first_rule}");

    // Collection completeness, and every kind's inventory count, by title.
    let errors = duckdb(&local, &format!("SELECT count(*) AS n FROM collection_errors WHERE run_id = '{scan_id}'"));
    assert!(md_text.contains(&format!("{} collection errors;", count(&errors, "n"))));
    let keys = duckdb(&local, &format!("SELECT count(*) AS n FROM kms_keys WHERE run_id = '{scan_id}'"));
    assert!(html_text.contains(&format!("<td>KMS keys</td><td class=\"num\">{}</td>", count(&keys, "n"))));
    for kind in keyaudit::kinds::infos() {
        assert!(html_text.contains(&format!("<td>{}</td>", kind.title)), "{} has its inventory line", kind.title);
    }

    // One self-contained page: nothing fetched, no scripts.
    for forbidden in ["http://", "https://", "<script", "@import", "url(", "<link", "<img"] {
        assert!(!html_text.contains(forbidden), "the report contains {forbidden}");
    }
    assert!(html_text.matches("<svg").count() >= 3, "gauge, severity bars and trend");

    // The PDF keyaudit printed, and a screenshot.
    let pdf_bytes = std::fs::read(&pdf).unwrap();
    assert!(pdf_bytes.starts_with(b"%PDF-") && pdf_bytes.len() > 20_000, "{} bytes", pdf_bytes.len());
    assert!(String::from_utf8_lossy(&pdf_bytes).matches("/Type /Page").count() >= 2, "a multi-page PDF");
    render_offline(&html, org.dir.path());

    // For CI pipelines: --fail-on gives exit status 4 when a rule of that
    // severity or above FAILs (the fixture has critical FAILs); rule FAILs
    // alone do not change the status.
    let elsewhere = org.dir.path().join("elsewhere");
    let gated = keyaudit(
        None,
        &[
            "evaluate",
            "--inventory",
            local.to_str().unwrap(),
            "-o",
            elsewhere.to_str().unwrap(),
            "--fail-on",
            "critical",
            "--summary-json",
        ],
        &[],
    );
    assert_eq!(gated.code, 4, "{}", gated.stderr);
    let critical = gated.summary()["fails_by_severity"]["critical"].as_u64().unwrap();
    assert!(critical > 0);
    assert!(
        gated.stderr.contains(&format!("{critical} FAIL findings of severity critical or above (--fail-on)")),
        "{}",
        gated.stderr
    );
    let bad = keyaudit(None, &["evaluate", "--inventory", local.to_str().unwrap(), "--fail-on", "severe"], &[]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("use informational, low, medium, high or critical"), "{}", bad.stderr);
}

/// Renders `html` to PNG in headless Chromium with a network log, and checks
/// the picture is not blank, the charts' colours are on it, the page
/// requested nothing from the network and the console logged no error.
fn render_offline(html: &Path, dir: &Path) {
    // The check itself catches a page that fetches something.
    let control = dir.join("control.html");
    std::fs::write(&control, r#"<html><body><img src="https://example.invalid/x.png"></body></html>"#).unwrap();
    let (requested, _, _) = render(&control, dir);
    assert!(
        requested.contains("https://example.invalid/x.png"),
        "the network check sees a page's requests: {requested:?}"
    );

    let (requested, console, png) = render(html, dir);
    assert!(requested.is_empty(), "the page requested {requested:?}");
    assert!(console.is_empty(), "console messages: {console:#?}");

    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&png).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    let bytes_per_pixel = frame.line_size / frame.width as usize;
    let colours: BTreeSet<&[u8]> = pixels[..frame.buffer_size()].chunks(bytes_per_pixel).map(|p| &p[..3]).collect();
    assert!(colours.len() > 50, "a blank page has few colours: {}", colours.len());
    let has = |rgb: [u8; 3]| colours.contains(&rgb[..]);
    assert!(has([0x1f, 0x7a, 0x4d]), "the compliance gauge's green is drawn");
    assert!(has([0xb4, 0x23, 0x18]) || has([0x32, 0xa4, 0x6a]), "heatmap cells are drawn");
}

/// Screenshots `page`; returns the URLs the page (not the browser's own
/// services) requested, the console's lines, and the PNG's path.
fn render(page: &Path, dir: &Path) -> (BTreeSet<String>, Vec<String>, std::path::PathBuf) {
    let chromium = keyaudit::report::chromium().expect("Chromium: `make test` installs Debian's chromium");
    let stem = page.file_stem().unwrap().to_string_lossy().into_owned();
    let png = dir.join(format!("{stem}.png"));
    let net_log = dir.join(format!("{stem}-net-log.json"));
    let profile = tempfile::tempdir().unwrap();
    let output = keyaudit::report::chromium_command(&chromium, profile.path())
        .arg(format!("--screenshot={}", png.display()))
        .arg("--window-size=1280,2400")
        .arg(format!("--log-net-log={}", net_log.display()))
        .arg("--enable-logging=stderr")
        .arg("--v=0")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("run chromium");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "chromium failed: {stderr}");
    let console = stderr.lines().filter(|l| l.contains("CONSOLE")).map(str::to_owned).collect();

    // Chromium's NetLog: a request the page made has the page as initiator;
    // the browser's own (updates, time) have "not an origin".
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&net_log).unwrap()).expect("NetLog JSON");
    let start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"].as_i64().expect("the event type");
    let requested = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"].as_i64() == Some(start_job))
        .filter(|e| e["params"]["initiator"].as_str() != Some("not an origin"))
        .filter_map(|e| e["params"]["url"].as_str())
        .filter(|url| !url.starts_with("file://") && !url.starts_with("data:"))
        .map(str::to_owned)
        .collect();
    (requested, console, png)
}

#[test]
fn a_missing_chromium_is_named_with_its_package_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    let pdf = dir.path().join("report.pdf");
    // No stored run is needed to find out that Chromium is missing.
    let run = keyaudit(
        None,
        &[
            "report",
            "--from",
            dir.path().to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--pdf",
            pdf.to_str().unwrap(),
        ],
        &[("PATH", "/nonexistent")],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("apt-get install chromium"), "{}", run.stderr);
    assert_eq!(run.stderr.trim().lines().count(), 1, "one line: {}", run.stderr);
    assert!(!out.exists() && !pdf.exists());
}
