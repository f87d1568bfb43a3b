//! The `keyaudit` command: parse arguments, set up logging, run, map the
//! outcome to an exit status.

use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;
use keyaudit::cli::{Cli, Command, ScanArgs};
use keyaudit::config::{Config, LogFormat, LoggingConfig};
use keyaudit::pipeline;
use keyaudit::progress::Progress;

/// Exit status of a run that finished with collection errors.
const EXIT_INCOMPLETE: u8 = 3;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Scan(args) => scan(&args),
    };
    match outcome {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn scan(args: &ScanArgs) -> anyhow::Result<ExitCode> {
    let mut config = match &args.config {
        Some(path) => Config::from_file(path)?,
        None => Config::default(),
    };
    args.apply(&mut config);
    let valid = config.validate().context("invalid configuration")?;
    init_logging(&config.logging)?;

    let interactive = !args.no_progress && config.logging.format == LogFormat::Plain && std::io::stderr().is_terminal();
    let progress = Progress::new(interactive);
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting the runtime")?;
    let summary = runtime.block_on(pipeline::run(valid, &progress))?;

    if args.summary_json {
        println!("{}", serde_json::to_string_pretty(&summary).context("encoding the summary")?);
    } else {
        print!("{}", summary.to_text());
    }
    Ok(if summary.complete() { ExitCode::SUCCESS } else { ExitCode::from(EXIT_INCOMPLETE) })
}

fn init_logging(logging: &LoggingConfig) -> anyhow::Result<()> {
    let filter = tracing_subscriber::EnvFilter::try_new(&logging.level)
        .with_context(|| format!("logging.level = {:?} is not a valid filter (try \"info\")", logging.level))?;
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let result = match logging.format {
        LogFormat::Plain => builder.with_ansi(std::io::stderr().is_terminal()).try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
    result.map_err(|e| anyhow::anyhow!("setting up logging: {e}"))
}
