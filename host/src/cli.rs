//! Command-line arguments. Parsing only validates shapes; values are layered
//! onto the TOML [`Config`] by [`ScanArgs::apply`], then checked as a whole by
//! `Config::validate`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::{Config, DiscoverySource, LogFormat};
use crate::rules::Severity;

/// keyaudit: an org-wide auditor of key management on AWS.
#[derive(Debug, Parser)]
#[command(name = "keyaudit", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Discover accounts, collect key-management inventory and write it as Parquet.
    ///
    /// Exit status: 0 when every account, region and service was collected;
    /// 3 when the run finished but some were not (see the collection_errors
    /// table); 1 when the run could not start or could not write its output;
    /// 2 for bad command-line arguments; 4 with --fail-on when a rule of that
    /// severity or above FAILs (before 3: a policy failure outranks a gap).
    Scan(Box<ScanArgs>),
    /// List the accounts, OUs and regions a scan would cover, the role it would
    /// assume in each, and why each other account is left out, without
    /// collecting anything (a dry run of `scan`, with the same flags).
    Accounts(Box<ScanArgs>),
    /// Re-run the rules over a stored inventory, without calling AWS.
    ///
    /// Reads the latest run (or --run-id) from a scan's output, a folder or
    /// s3://bucket/prefix, and writes that run's findings table again, to
    /// --output or by default beside the inventory. Exit status: 0, or 1 when
    /// the inventory or the rules cannot be read.
    Evaluate(Box<EvaluateArgs>),
    /// Inspect the rules.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Write the executive report of a stored run: HTML (or Markdown), optionally PDF.
    ///
    /// Reads the latest run (or --run) from a scan's output, a folder or
    /// s3://bucket/prefix, and compares it with the run before it (or
    /// --previous). Exit status: 0, or 1 when the run cannot be read or the
    /// report cannot be written.
    Report(Box<ReportArgs>),
    /// Athena: the DDL of every table and view, for your output location.
    #[command(subcommand)]
    Athena(AthenaCommand),
    /// Print the shell completion script for SHELL (bash, zsh, fish, elvish, powershell).
    ///
    /// bash: `source <(keyaudit completions bash)`, or `make install` puts it
    /// where bash-completion finds it.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print a file keyaudit derives from its registry of resource kinds.
    Generate {
        #[arg(value_enum)]
        what: Generated,
    },
}

/// What `keyaudit generate` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Generated {
    /// The Athena DDL of every table (examples/athena/tables.sql).
    AthenaDdl,
    /// The audit role's CloudFormation template with its IAM policy (examples/deploy/audit-role.yaml).
    AuditRole,
    /// The man page, keyaudit(1), from these definitions (roff).
    Man,
}

/// `keyaudit report`
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A scan's output: a folder or s3://bucket/prefix.
    #[arg(long, value_name = "URI")]
    pub from: String,
    /// The run to report [default: the latest].
    #[arg(long, value_name = "ID")]
    pub run: Option<String>,
    /// The run to compare with [default: the one before --run].
    #[arg(long, value_name = "ID")]
    pub previous: Option<String>,
    /// The file to write (HTML, or Markdown with --format md).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// html: one self-contained page; md: a summary for tickets and CI logs.
    #[arg(long, value_enum, default_value_t = ReportFormat::Html)]
    pub format: ReportFormat,
    /// Also print the HTML report to this PDF, with headless Chromium.
    #[arg(long, value_name = "FILE")]
    pub pdf: Option<PathBuf>,
    /// Send S3 requests to this endpoint (AWS_ENDPOINT_URL works too).
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Use this named profile of ~/.aws/config and credentials, as the AWS CLI does.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// TOML configuration file, for S3 settings (region, expected bucket owner).
    #[arg(long, short = 'c', value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Log filter, such as info or warn [default: warn].
    #[arg(long, value_name = "FILTER")]
    pub log_level: Option<String>,
}

/// What `keyaudit report --format` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Html,
    Md,
}

/// `keyaudit athena …`
#[derive(Debug, Subcommand)]
pub enum AthenaCommand {
    /// Print CREATE statements for every table (partition projection on `dt`)
    /// and the views (latest_runs, latest_findings, latest_ksi_scores).
    Ddl(AthenaDdlArgs),
}

/// `keyaudit athena ddl`
#[derive(Debug, Args)]
pub struct AthenaDdlArgs {
    /// Where the scans write: the s3://bucket/prefix given to `scan --output`.
    #[arg(long, value_name = "S3_URI", value_parser = parse_s3_location)]
    pub location: String,
    /// The Athena database to create the tables in.
    #[arg(long, value_name = "NAME", default_value = crate::output::athena::DEFAULT_DATABASE, value_parser = parse_database)]
    pub database: String,
}

/// A rule severity, by name.
fn parse_severity(value: &str) -> Result<Severity, String> {
    match value.to_ascii_lowercase().as_str() {
        "informational" | "info" => Ok(Severity::Informational),
        "low" => Ok(Severity::Low),
        "medium" => Ok(Severity::Medium),
        "high" => Ok(Severity::High),
        "critical" => Ok(Severity::Critical),
        _ => Err(format!("{value:?} is not a severity: use informational, low, medium, high or critical")),
    }
}

/// `s3://bucket[/prefix]`, without a trailing slash.
fn parse_s3_location(value: &str) -> Result<String, String> {
    let rest = value.strip_prefix("s3://").ok_or_else(|| {
        format!("{value:?} is not an S3 location: give s3://bucket/prefix, as passed to `scan --output`")
    })?;
    let rest = rest.trim_end_matches('/');
    let bucket = rest.split('/').next().unwrap_or_default();
    if bucket.is_empty() || rest.contains('\'') || rest.chars().any(char::is_whitespace) {
        return Err(format!("{value:?} is not an S3 location: give s3://bucket/prefix (no quotes or spaces)"));
    }
    Ok(format!("s3://{rest}"))
}

/// An Athena database name: lower-case letters, digits and underscores.
fn parse_database(value: &str) -> Result<String, String> {
    let valid = !value.is_empty()
        && value.len() <= 255
        && value.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if valid {
        Ok(value.to_owned())
    } else {
        Err(format!("{value:?} is not an Athena database name: use lower-case letters, digits and underscores"))
    }
}

/// `keyaudit rules …`
#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List every selected rule with its id, severity, resource kinds and framework mappings.
    List(Box<ListRulesArgs>),
}

/// Which rules run; each overrides the same setting in `--config`.
#[derive(Debug, Args, Default)]
pub struct RuleArgs {
    /// A folder of your own rule components (*.wasm). Repeat for several.
    #[arg(long = "rules", value_name = "DIR", help_heading = "Rules")]
    pub rule_dirs: Vec<PathBuf>,
    /// Where the built-in rules are [default: rules/ beside the binary].
    #[arg(long, value_name = "DIR", help_heading = "Rules")]
    pub builtin_rules: Option<PathBuf>,
    /// Run only your own rules.
    #[arg(long, help_heading = "Rules")]
    pub no_builtin_rules: bool,
    /// Run only these rule ids. Comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "ID,…", help_heading = "Rules")]
    pub enable_rules: Vec<String>,
    /// Never run these rule ids. Comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "ID,…", help_heading = "Rules")]
    pub disable_rules: Vec<String>,
    /// Run only rules mapped to these frameworks or controls (e.g. CIS, KMS.4). Comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "TEXT,…", help_heading = "Rules")]
    pub frameworks: Vec<String>,
    /// Time one rule may take for one account, in milliseconds [default: 2000].
    #[arg(long, value_name = "MS", help_heading = "Rules")]
    pub rule_time_budget_ms: Option<u64>,
    /// Memory one rule may use, in MiB [default: 256].
    #[arg(long, value_name = "MIB", help_heading = "Rules")]
    pub rule_memory_limit_mb: Option<u64>,
}

impl RuleArgs {
    /// Layers the flags that were given onto `config.rules`.
    pub fn apply(&self, config: &mut Config) {
        let rules = &mut config.rules;
        if !self.rule_dirs.is_empty() {
            rules.dirs = self.rule_dirs.clone();
        }
        if self.builtin_rules.is_some() {
            rules.builtin_dir.clone_from(&self.builtin_rules);
        }
        if self.no_builtin_rules {
            rules.builtin = false;
        }
        if !self.enable_rules.is_empty() {
            rules.enable = self.enable_rules.clone();
        }
        if !self.disable_rules.is_empty() {
            rules.disable = self.disable_rules.clone();
        }
        if !self.frameworks.is_empty() {
            rules.frameworks = self.frameworks.clone();
        }
        if let Some(ms) = self.rule_time_budget_ms {
            rules.time_budget_ms = ms;
        }
        if let Some(mb) = self.rule_memory_limit_mb {
            rules.memory_limit_mb = mb;
        }
    }
}

/// `keyaudit rules list` options.
#[derive(Debug, Args)]
pub struct ListRulesArgs {
    /// TOML configuration file; flags override it.
    #[arg(long, short = 'c', value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Print the rules as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `keyaudit evaluate` options.
#[derive(Debug, Args)]
pub struct EvaluateArgs {
    /// A scan's output: a folder or s3://bucket/prefix.
    #[arg(long, value_name = "URI")]
    pub inventory: String,
    /// The run to evaluate [default: the latest in the inventory].
    #[arg(long, value_name = "ID")]
    pub run_id: Option<String>,
    /// TOML configuration file; flags override it.
    #[arg(long, short = 'c', value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Write the findings table here instead of beside the inventory. Repeat for several.
    #[arg(long, short = 'o', value_name = "URI")]
    pub output: Vec<String>,
    /// Send S3 requests to this endpoint (AWS_ENDPOINT_URL works too).
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Use this named profile of ~/.aws/config and credentials, as the AWS CLI does.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// Print the summary as JSON on stdout instead of text.
    #[arg(long)]
    pub summary_json: bool,
    /// Exit with status 4 when a rule of this severity or above FAILs
    /// (informational, low, medium, high, critical).
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity)]
    pub fail_on: Option<Severity>,
    /// Log filter, such as info or warn [default: info].
    #[arg(long, value_name = "FILTER")]
    pub log_level: Option<String>,
}

/// `keyaudit scan` options. Each overrides the same setting in `--config`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// TOML configuration file (see examples/keyaudit.toml); flags override it.
    #[arg(long, short = 'c', value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Send all AWS requests to this endpoint (AWS_ENDPOINT_URL works too).
    #[arg(long, value_name = "URL", help_heading = "AWS")]
    pub endpoint_url: Option<String>,
    /// Region for global calls (Organizations, STS) and S3 output [default: from the environment, else us-east-1].
    #[arg(long, visible_alias = "region", value_name = "REGION", help_heading = "AWS")]
    pub home_region: Option<String>,
    /// Use this named profile of ~/.aws/config and credentials, as the AWS CLI does.
    #[arg(long, value_name = "NAME", help_heading = "AWS")]
    pub profile: Option<String>,

    /// Where accounts come from [default: organizations].
    #[arg(long, value_enum, help_heading = "Accounts")]
    pub source: Option<DiscoverySource>,
    /// Scan exactly these accounts (implies --source list). Comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "ID,…", help_heading = "Accounts")]
    pub accounts: Vec<String>,
    /// Scan only these account ids. Comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "ID,…", help_heading = "Accounts")]
    pub include_accounts: Vec<String>,
    /// Never scan these account ids. Comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "ID,…", help_heading = "Accounts")]
    pub exclude_accounts: Vec<String>,
    /// Scan only accounts under these OUs: ids (ou-…) or name paths (Root/Prod). Comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "OU,…", help_heading = "Accounts")]
    pub include_ous: Vec<String>,
    /// Never scan accounts under these OUs. Comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "OU,…", help_heading = "Accounts")]
    pub exclude_ous: Vec<String>,

    /// Audit role to assume in every account [default: KeyAuditRole].
    #[arg(long, value_name = "NAME", help_heading = "Role")]
    pub role_name: Option<String>,
    /// External id the audit role's trust policy requires.
    #[arg(long, value_name = "ID", help_heading = "Role")]
    pub external_id: Option<String>,
    /// Role session name, seen in the accounts' CloudTrail [default: keyaudit].
    #[arg(long, value_name = "NAME", help_heading = "Role")]
    pub session_name: Option<String>,
    /// Role session length in seconds, 900-43200; refreshed before expiry [default: 3600].
    #[arg(long, value_name = "SECONDS", help_heading = "Role")]
    pub session_duration: Option<u32>,

    /// Regions to scan, comma-separated [default: every region enabled in each account].
    #[arg(long, value_delimiter = ',', value_name = "REGION,…", help_heading = "Scope")]
    pub regions: Vec<String>,
    /// Services to collect, comma-separated [default: all].
    #[arg(long, value_parser = service_names(), value_delimiter = ',', value_name = "SERVICE,…", help_heading = "Scope")]
    pub services: Vec<String>,
    /// Days of KMS events read from CloudTrail's event history, 1-90 [default: 30].
    #[arg(long, value_name = "DAYS", help_heading = "Scope")]
    pub key_events_days: Option<u32>,
    /// Pages of 50 KMS events read at most per account-region [default: 20].
    #[arg(long, value_name = "N", help_heading = "Scope")]
    pub key_events_max_pages: Option<u32>,

    /// Accounts scanned at once [default: 16].
    #[arg(long, value_name = "N", help_heading = "Limits")]
    pub max_concurrent_accounts: Option<usize>,
    /// API requests in flight at once across the run [default: 128].
    #[arg(long, value_name = "N", help_heading = "Limits")]
    pub max_concurrent_requests: Option<usize>,
    /// API requests in flight at once per account, region and service [default: 8].
    #[arg(long, value_name = "N", help_heading = "Limits")]
    pub max_concurrent_requests_per_region: Option<usize>,
    /// Requests per second per account, region and service [default: 25].
    #[arg(long, value_name = "N", help_heading = "Limits")]
    pub max_requests_per_second_per_region: Option<u32>,
    /// Attempts per request, backing off exponentially on throttling [default: 8].
    #[arg(long, value_name = "N", help_heading = "Limits")]
    pub max_attempts: Option<u32>,

    /// Write tables here: s3://bucket/prefix or a local folder. Repeat for several.
    #[arg(long, short = 'o', value_name = "URI", help_heading = "Output")]
    pub output: Vec<String>,
    /// Also write the findings for Amazon Security Lake, at the custom source's location
    /// (s3://<lake bucket>/ext/<source name>), under region=…/accountId=…/eventDay=…/.
    #[arg(long, value_name = "S3_URI", help_heading = "Output")]
    pub security_lake: Option<String>,
    /// Write no inventory tables: collect only what the selected rules read (no replay with `evaluate`).
    #[arg(long, help_heading = "Output")]
    pub no_inventory: bool,
    /// Account that must own the S3 bucket.
    #[arg(long, value_name = "ID", help_heading = "Output")]
    pub expected_bucket_owner: Option<String>,
    /// S3 server-side encryption: AES256 or aws:kms.
    #[arg(long, value_name = "MODE", help_heading = "Output")]
    pub sse: Option<String>,
    /// KMS key for --sse aws:kms.
    #[arg(long, value_name = "KEY", help_heading = "Output")]
    pub sse_kms_key_id: Option<String>,
    /// Print the run summary as JSON on stdout instead of text.
    #[arg(long, help_heading = "Output")]
    pub summary_json: bool,
    /// Exit with status 4 when a rule of this severity or above FAILs
    /// (informational, low, medium, high, critical), for CI pipelines.
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity, help_heading = "Output")]
    pub fail_on: Option<Severity>,

    /// Log format on stderr [default: plain].
    #[arg(long, value_enum, help_heading = "Logging")]
    pub log_format: Option<LogFormat>,
    /// Log filter, such as info, warn or keyaudit=debug [default: info].
    #[arg(long, value_name = "FILTER", help_heading = "Logging")]
    pub log_level: Option<String>,
    /// Never draw a progress bar, even on a terminal.
    #[arg(long, help_heading = "Logging")]
    pub no_progress: bool,

    #[command(flatten)]
    pub rules: RuleArgs,
}

impl ScanArgs {
    /// Layers the flags that were given onto `config`.
    pub fn apply(&self, config: &mut Config) {
        fn set<T: Clone>(slot: &mut T, value: &Option<T>) {
            if let Some(v) = value {
                *slot = v.clone();
            }
        }
        fn set_opt<T: Clone>(slot: &mut Option<T>, value: &Option<T>) {
            if value.is_some() {
                slot.clone_from(value);
            }
        }
        fn set_list<T: Clone>(slot: &mut Vec<T>, value: &[T]) {
            if !value.is_empty() {
                *slot = value.to_vec();
            }
        }
        set_opt(&mut config.endpoint_url, &self.endpoint_url);
        set_opt(&mut config.home_region, &self.home_region);
        set_opt(&mut config.profile, &self.profile);

        let discovery = &mut config.discovery;
        set(&mut discovery.source, &self.source);
        if !self.accounts.is_empty() {
            discovery.source = DiscoverySource::List;
            discovery.accounts = self.accounts.clone();
        }
        set_list(&mut discovery.include_accounts, &self.include_accounts);
        set_list(&mut discovery.exclude_accounts, &self.exclude_accounts);
        set_list(&mut discovery.include_ous, &self.include_ous);
        set_list(&mut discovery.exclude_ous, &self.exclude_ous);

        set(&mut config.role.name, &self.role_name);
        set_opt(&mut config.role.external_id, &self.external_id);
        set(&mut config.role.session_name, &self.session_name);
        set(&mut config.role.duration_seconds, &self.session_duration);

        set_list(&mut config.scan.regions, &self.regions);
        set_list(&mut config.scan.services, &self.services);
        set(&mut config.scan.key_events_days, &self.key_events_days);
        set(&mut config.scan.key_events_max_pages, &self.key_events_max_pages);

        let limits = &mut config.limits;
        set(&mut limits.max_concurrent_accounts, &self.max_concurrent_accounts);
        set(&mut limits.max_concurrent_requests, &self.max_concurrent_requests);
        set(&mut limits.max_concurrent_requests_per_region, &self.max_concurrent_requests_per_region);
        set(&mut limits.max_requests_per_second_per_region, &self.max_requests_per_second_per_region);
        set(&mut limits.max_attempts, &self.max_attempts);

        set_list(&mut config.output.destinations, &self.output);
        set_opt(&mut config.output.security_lake, &self.security_lake);
        if self.no_inventory {
            config.output.inventory = false;
        }
        set_opt(&mut config.output.expected_bucket_owner, &self.expected_bucket_owner);
        set_opt(&mut config.output.sse, &self.sse);
        set_opt(&mut config.output.sse_kms_key_id, &self.sse_kms_key_id);

        set(&mut config.logging.format, &self.log_format);
        set(&mut config.logging.level, &self.log_level);
        self.rules.apply(config);
    }
}

/// The `--services` values: every kind's service name, from the registry.
fn service_names() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(crate::kinds::service_names())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_override_config() {
        let cli = Cli::try_parse_from([
            "keyaudit",
            "scan",
            "--accounts",
            "111122223333,444455556666",
            "--regions",
            "us-east-1,eu-west-1",
            "-o",
            "s3://bucket/prefix",
            "-o",
            "./out",
            "--role-name",
            "Auditor",
        ])
        .unwrap();
        let Command::Scan(args) = cli.command else { panic!("parsed as scan") };
        let mut config = Config::default();
        config.role.name = "FromFile".into();
        args.apply(&mut config);
        assert_eq!(config.discovery.source, DiscoverySource::List);
        assert_eq!(config.discovery.accounts, ["111122223333", "444455556666"]);
        assert_eq!(config.scan.regions, ["us-east-1", "eu-west-1"]);
        assert_eq!(config.output.destinations, ["s3://bucket/prefix", "./out"]);
        assert_eq!(config.role.name, "Auditor");
        assert_eq!(config.role.session_name, "keyaudit", "unset flags keep the config's value");
    }

    #[test]
    fn the_key_event_window_is_a_flag_and_checked() {
        let parse = |days: &str| {
            let cli =
                Cli::try_parse_from(["keyaudit", "scan", "--key-events-days", days, "--key-events-max-pages", "3"])
                    .unwrap();
            let Command::Scan(args) = cli.command else { panic!("parsed as scan") };
            let mut config = Config::default();
            args.apply(&mut config);
            config
        };
        let config = parse("7");
        assert_eq!((config.scan.key_events_days, config.scan.key_events_max_pages), (7, 3));
        let err = parse("91").validate_output_optional().unwrap_err().to_string();
        assert!(err.contains("scan.key_events_days") && err.contains("90"), "{err}");
    }

    #[test]
    fn unknown_service_is_rejected_by_name() {
        let err = Cli::try_parse_from(["keyaudit", "scan", "--services", "kms,s4"]).unwrap_err().to_string();
        assert!(err.contains("s4"), "{err}");
        assert!(err.contains("kms"), "lists the possible values: {err}");
    }
}
