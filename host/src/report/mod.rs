//! `keyaudit report`: the executive rollup of a stored run, as one
//! self-contained HTML file (inline CSS and SVG, no scripts, no network),
//! as Markdown for tickets and CI logs, and as PDF printed by headless
//! Chromium.
//!
//! [`data`] reads the run, [`model`] computes every figure once, the
//! templates (`host/templates/`, compiled with the crate by askama, HTML
//! escaped) lay it out and [`svg`] draws the charts.

pub mod data;
pub mod model;
pub mod svg;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use askama::Template;

pub use data::ReportData;
pub use model::Report;

/// The HTML report.
#[derive(Template)]
#[template(path = "report.html")]
struct Html<'a> {
    r: &'a Report,
    version: &'static str,
}

/// The Markdown summary.
#[derive(Template)]
#[template(path = "report.md")]
struct Markdown<'a> {
    r: &'a Report,
    version: &'static str,
}

impl Markdown<'_> {
    /// Text safe in a Markdown table cell: pipes escaped, one line.
    fn md(&self, text: &str) -> String {
        text.replace('\\', "\\\\").replace('|', "\\|").replace(['\n', '\r'], " ")
    }
}

/// What went wrong making a report.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("rendering the report: {0}")]
    Render(#[from] askama::Error),
    #[error("writing {path}: {message}")]
    Write { path: PathBuf, message: String },
    #[error(
        "printing a PDF needs Chromium, which was not found (looked for {looked_for}): install the Debian package \
         `chromium` (apt-get install chromium), or set KEYAUDIT_CHROMIUM to its path"
    )]
    NoChromium { looked_for: String },
    #[error("Chromium could not print {path}: {message}")]
    Print { path: PathBuf, message: String },
}

/// The report as one self-contained HTML page.
pub fn html(report: &Report) -> Result<String, ReportError> {
    Ok(Html { r: report, version: env!("CARGO_PKG_VERSION") }.render()?)
}

/// The report's Markdown summary.
pub fn markdown(report: &Report) -> Result<String, ReportError> {
    Ok(Markdown { r: report, version: env!("CARGO_PKG_VERSION") }.render()?)
}

/// Writes `contents` to `path` through a temporary file beside it, so a
/// failed write never leaves half a report where a whole one was.
pub fn write(path: &Path, contents: &[u8]) -> Result<(), ReportError> {
    let fail = |e: std::io::Error| ReportError::Write { path: path.to_owned(), message: e.to_string() };
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(fail)?;
    std::io::Write::write_all(&mut file, contents).map_err(fail)?;
    file.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// How long Chromium may take to print.
const PRINT_TIMEOUT: Duration = Duration::from_secs(120);

/// The Chromium binary: `KEYAUDIT_CHROMIUM`, or the first of Debian's and
/// other distributions' names found on `PATH`.
pub fn chromium() -> Result<PathBuf, ReportError> {
    const NAMES: [&str; 4] = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];
    if let Some(path) = std::env::var_os("KEYAUDIT_CHROMIUM") {
        return Ok(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in NAMES {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Ok(candidate);
            }
        }
    }
    Err(ReportError::NoChromium { looked_for: NAMES.join(", ") })
}

/// The flags every headless Chromium run gets: no sandbox (it runs as the
/// user, often root in a container), no GPU, nothing fetched or reported,
/// and a profile of its own.
pub fn chromium_command(chromium: &Path, profile: &Path) -> Command {
    let mut command = Command::new(chromium);
    command.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--metrics-recording-only",
        "--hide-scrollbars",
    ]);
    command.arg(format!("--user-data-dir={}", profile.display()));
    command
}

/// Prints the HTML report at `html` to `pdf` with headless `chromium`.
pub fn print_pdf(chromium: &Path, html: &Path, pdf: &Path) -> Result<(), ReportError> {
    let fail = |message: String| ReportError::Print { path: pdf.to_owned(), message };
    let profile = tempfile::tempdir().map_err(|e| fail(e.to_string()))?;
    let html = std::path::absolute(html).map_err(|e| fail(e.to_string()))?;
    let staged = pdf.with_extension("pdf.partial");
    let mut command = chromium_command(chromium, profile.path());
    command
        .arg("--no-pdf-header-footer")
        .arg(format!("--print-to-pdf={}", staged.display()))
        .arg(format!("file://{}", html.display()))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    let mut child = command.spawn().map_err(|e| fail(format!("{}: {e}", chromium.display())))?;
    // Read stderr as it comes, so a talkative Chromium never blocks on a full pipe.
    let stderr = child.stderr.take().map(|mut pipe| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = std::io::Read::read_to_string(&mut pipe, &mut text);
            text
        })
    });
    let started = std::time::Instant::now();
    let status = loop {
        match child.try_wait().map_err(|e| fail(e.to_string()))? {
            Some(status) => break status,
            None if started.elapsed() > PRINT_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(fail(format!("it did not finish within {} s", PRINT_TIMEOUT.as_secs())));
            }
            None => std::thread::sleep(Duration::from_millis(100)),
        }
    };
    let stderr = stderr.and_then(|reader| reader.join().ok()).unwrap_or_default();
    let printed = std::fs::metadata(&staged).is_ok_and(|m| m.len() > 0);
    if !status.success() || !printed {
        let _ = std::fs::remove_file(&staged);
        let last = stderr.lines().rfind(|l| !l.trim().is_empty()).unwrap_or("no output").to_owned();
        return Err(fail(format!("{status}: {last}")));
    }
    std::fs::rename(&staged, pdf).map_err(|e| fail(e.to_string()))
}
