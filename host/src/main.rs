//! The `keyaudit` command: parse arguments, set up logging, run, map the
//! outcome to an exit status.

use std::io::IsTerminal;
use std::process::ExitCode;

use anyhow::Context;
use keyaudit::cli::{
    AthenaCommand, Cli, Command, EvaluateArgs, Generated, ListRulesArgs, ReportArgs, ReportFormat, RulesCommand,
    ScanArgs,
};
use keyaudit::config::{Config, LogFormat, LoggingConfig};
use keyaudit::output::Destination;
use keyaudit::output::athena;
use keyaudit::pipeline;
use keyaudit::progress::Progress;
use keyaudit::rules::{RuleEngine, Severity};
use keyaudit::summary::RunSummary;

/// Exit status of a run that finished with collection errors.
const EXIT_INCOMPLETE: u8 = 3;
/// Exit status of a run with FAIL findings at or above `--fail-on`.
const EXIT_FAIL_ON: u8 = 4;

fn main() -> ExitCode {
    limit_malloc_arenas();
    let cli = parse_cli();
    let outcome = match cli.command {
        Command::Scan(args) => scan(&args),
        Command::Accounts(args) => accounts(&args),
        Command::Evaluate(args) => evaluate(&args),
        Command::Rules(RulesCommand::List(args)) => list_rules(&args),
        Command::Report(args) => report(&args),
        Command::Athena(AthenaCommand::Ddl(args)) => {
            let target = athena::Target { location: args.location, database: args.database };
            print!("{}", athena::ddl(&keyaudit::kinds::tables(), &target));
            Ok(ExitCode::SUCCESS)
        }
        Command::Completions { shell } => {
            use clap::CommandFactory;
            clap_complete::generate(shell, &mut Cli::command(), "keyaudit", &mut std::io::stdout());
            Ok(ExitCode::SUCCESS)
        }
        Command::Generate { what } => generate(what),
    };
    match outcome {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {}", one_line(&err));
            ExitCode::FAILURE
        }
    }
}

/// Parses the command line. `--version` also says which rule contracts
/// this build runs and which built-in rules it found (their digest), read
/// only when asked for.
fn parse_cli() -> Cli {
    use clap::{CommandFactory, FromArgMatches};
    let mut command = Cli::command();
    if std::env::args_os().skip(1).any(|a| a == "--version") {
        // clap keeps a `&'static str`; the process prints it and exits.
        command = command.long_version(&*Box::leak(long_version().into_boxed_str()));
    }
    match Cli::from_arg_matches(&command.get_matches()) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    }
}

fn long_version() -> String {
    use keyaudit::rules::catalog;
    let contracts: Vec<String> = catalog::contract_versions().iter().map(|v| format!("keyaudit:rules@{v}")).collect();
    let builtin = match catalog::builtin_digest(&keyaudit::config::RulesConfig::default()) {
        Ok((dir, count, digest)) => {
            format!("{count} in {}, sha256 {digest}", dir.canonicalize().unwrap_or(dir).display())
        }
        Err(e) => format!("not found ({})", one_line(&anyhow::Error::new(e))),
    };
    format!(
        "{}\nrule contracts: {} (0.3.x rules from 0.3.0 on)\nbuilt-in rules: {builtin}",
        env!("CARGO_PKG_VERSION"),
        contracts.join(", ")
    )
}

/// Caps glibc's malloc arenas. glibc gives each thread that contends for the
/// allocator an arena of its own (up to 8 per core) and keeps what is freed in
/// it; rule evaluations move between the runtime's blocking threads, so
/// without a cap each one's peak stays resident, once per arena.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let arenas = i32::try_from(cores.clamp(1, 8)).unwrap_or(8);
        // SAFETY: mallopt only changes a tuning parameter; called before any other thread starts.
        unsafe { libc::mallopt(libc::M_ARENA_MAX, arenas) };
    }
}

/// An error and its causes on one line, each cause once: library errors often
/// name their cause in their own message already.
fn one_line(err: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn load_config(path: Option<&std::path::Path>) -> anyhow::Result<Config> {
    Ok(match path {
        Some(path) => Config::from_file(path)?,
        None => Config::default(),
    })
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting the runtime")
}

fn print_summary(summary: &RunSummary, json: bool) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(summary).context("encoding the summary")?);
    } else {
        print!("{}", summary.to_text());
    }
    Ok(())
}

fn scan(args: &ScanArgs) -> anyhow::Result<ExitCode> {
    let mut config = load_config(args.config.as_deref())?;
    args.apply(&mut config);
    let valid = config.validate().context("invalid configuration")?;
    init_logging(&config.logging)?;

    let interactive = !args.no_progress && config.logging.format == LogFormat::Plain && std::io::stderr().is_terminal();
    let progress = Progress::new(interactive);
    let summary = runtime()?.block_on(pipeline::run(valid, &progress))?;
    print_summary(&summary, args.summary_json)?;
    if let Some(code) = failing(&summary, args.fail_on) {
        return Ok(code);
    }
    Ok(if summary.complete() { ExitCode::SUCCESS } else { ExitCode::from(EXIT_INCOMPLETE) })
}

/// Exit status 4 when FAIL findings at or above `--fail-on` exist, said on stderr.
fn failing(summary: &RunSummary, fail_on: Option<Severity>) -> Option<ExitCode> {
    let threshold = fail_on?;
    let fails = summary.fails_at_or_above(threshold);
    (fails > 0).then(|| {
        eprintln!("{fails} FAIL findings of severity {} or above (--fail-on)", threshold.caption().to_lowercase());
        ExitCode::from(EXIT_FAIL_ON)
    })
}

fn accounts(args: &ScanArgs) -> anyhow::Result<ExitCode> {
    let mut config = load_config(args.config.as_deref())?;
    args.apply(&mut config);
    let valid = config.validate_output_optional().context("invalid configuration")?;
    init_logging(&LoggingConfig {
        level: args.log_level.clone().unwrap_or_else(|| "warn".to_owned()),
        ..config.logging.clone()
    })?;
    let coverage = runtime()?.block_on(pipeline::coverage(&valid))?;
    if args.summary_json {
        println!("{}", serde_json::to_string_pretty(&coverage).context("encoding the accounts")?);
    } else {
        print!("{}", coverage.to_text());
    }
    Ok(ExitCode::SUCCESS)
}

fn evaluate(args: &EvaluateArgs) -> anyhow::Result<ExitCode> {
    let mut config = load_config(args.config.as_deref())?;
    args.rules.apply(&mut config);
    if !args.output.is_empty() {
        config.output.destinations = args.output.clone();
    }
    if args.endpoint_url.is_some() {
        config.endpoint_url.clone_from(&args.endpoint_url);
    }
    if args.profile.is_some() {
        config.profile.clone_from(&args.profile);
    }
    if let Some(level) = &args.log_level {
        config.logging.level.clone_from(level);
    }
    let valid = config.validate_output_optional().context("invalid configuration")?;
    let inventory = Destination::parse(&args.inventory)
        .map_err(|problem| anyhow::anyhow!("--inventory {:?}: {problem}", args.inventory))?;
    init_logging(&config.logging)?;
    let summary = runtime()?.block_on(pipeline::evaluate_stored(valid, &inventory, args.run_id.as_deref()))?;
    print_summary(&summary, args.summary_json)?;
    Ok(failing(&summary, args.fail_on).unwrap_or(ExitCode::SUCCESS))
}

fn generate(what: Generated) -> anyhow::Result<ExitCode> {
    match what {
        Generated::AthenaDdl => print!("{}", athena::ddl(&keyaudit::kinds::tables(), &athena::Target::placeholder())),
        Generated::AuditRole => print!("{}", keyaudit::kinds::audit_role::cloudformation()),
        Generated::Man => {
            use clap::CommandFactory;
            clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout()).context("writing the man page")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn report(args: &ReportArgs) -> anyhow::Result<ExitCode> {
    let mut config = load_config(args.config.as_deref())?;
    if args.endpoint_url.is_some() {
        config.endpoint_url.clone_from(&args.endpoint_url);
    }
    if args.profile.is_some() {
        config.profile.clone_from(&args.profile);
    }
    config.logging.level = args.log_level.clone().unwrap_or_else(|| "warn".to_owned());
    let valid = config.validate_output_optional().context("invalid configuration")?;
    let from =
        Destination::parse(&args.from).map_err(|problem| anyhow::anyhow!("--from {:?}: {problem}", args.from))?;
    init_logging(&valid.config.logging)?;
    // Before anything is read or written: a PDF needs Chromium.
    let chromium = args.pdf.as_ref().map(|_| keyaudit::report::chromium()).transpose()?;
    let data = runtime()?.block_on(pipeline::read_report_data(
        &valid,
        &from,
        args.run.as_deref(),
        args.previous.as_deref(),
    ))?;
    let report = keyaudit::report::Report::build(&data);
    // The HTML is rendered only when it is written or printed.
    let html = (args.format == ReportFormat::Html || chromium.is_some())
        .then(|| keyaudit::report::html(&report))
        .transpose()?
        .unwrap_or_default();
    match args.format {
        ReportFormat::Html => keyaudit::report::write(&args.out, html.as_bytes())?,
        ReportFormat::Md => keyaudit::report::write(&args.out, keyaudit::report::markdown(&report)?.as_bytes())?,
    }
    if let (Some(pdf), Some(chromium)) = (&args.pdf, &chromium) {
        let staged = tempfile::Builder::new().suffix(".html").tempfile().context("staging the HTML for Chromium")?;
        keyaudit::report::write(staged.path(), html.as_bytes())?;
        keyaudit::report::print_pdf(chromium, staged.path(), pdf)?;
    }
    eprintln!(
        "report of run {} ({} accounts, compliance {}) written to {}{}",
        report.run.run_id,
        report.run.accounts_scanned,
        report.compliance,
        args.out.display(),
        args.pdf.as_ref().map(|p| format!(" and {}", p.display())).unwrap_or_default()
    );
    Ok(ExitCode::SUCCESS)
}

fn list_rules(args: &ListRulesArgs) -> anyhow::Result<ExitCode> {
    let mut config = load_config(args.config.as_deref())?;
    args.rules.apply(&mut config);
    config.validate_output_optional().context("invalid configuration")?;
    init_logging(&LoggingConfig { level: "warn".to_owned(), ..config.logging.clone() })?;
    let engine = RuleEngine::load(&config.rules)?;
    let rules: Vec<_> = engine.rules().collect();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&rules).context("encoding the rules")?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("{:<28}  {:<13}  {:<8}  {:<8}  mappings", "id", "severity", "kinds", "contract");
    for rule in &rules {
        let mappings: Vec<String> = rule.frameworks.iter().map(|m| m.label()).collect();
        println!(
            "{:<28}  {:<13}  {:<8}  {:<8}  {}",
            rule.id,
            rule.severity.caption(),
            rule.kinds().collect::<Vec<_>>().join(","),
            rule.contract,
            mappings.join("; ")
        );
    }
    println!("\n{} rules", rules.len());
    Ok(ExitCode::SUCCESS)
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
