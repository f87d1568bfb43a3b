//! The scan configuration: plain serde data read from TOML, with command-line
//! flags layered on top, then checked once by [`Config::validate`].
//!
//! Nothing here does I/O beyond reading the file; turning a valid `Config` into
//! clients and accounts is `pipeline`'s job.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::output::Destination;

/// A configuration problem, named precisely enough to fix.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("config file {path} is not valid: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("`{key}` = {value:?}: {problem}")]
    Invalid { key: String, value: String, problem: String },
}

fn invalid(key: &str, value: impl std::fmt::Display, problem: impl Into<String>) -> ConfigError {
    ConfigError::Invalid { key: key.to_owned(), value: value.to_string(), problem: problem.into() }
}

/// Everything one scan needs to know. Every field has a default except the
/// output destinations.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Send every AWS request to this endpoint instead of AWS's own (an
    /// AWS-compatible service or a local stand-in). `AWS_ENDPOINT_URL` works too.
    pub endpoint_url: Option<String>,
    /// Region for global calls (Organizations, STS) and for writing to S3.
    pub home_region: Option<String>,
    /// The named profile of the AWS config and credentials files whose
    /// credentials (and region) keyaudit uses, as the AWS CLI's `--profile`:
    /// it takes precedence over credentials in the environment.
    pub profile: Option<String>,
    pub discovery: DiscoveryConfig,
    pub role: RoleConfig,
    pub scan: ScanConfig,
    pub limits: LimitsConfig,
    pub output: OutputConfig,
    pub logging: LoggingConfig,
    pub rules: RulesConfig,
}

/// Which accounts to scan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DiscoveryConfig {
    /// `organizations` lists the accounts of the caller's organisation;
    /// `list` scans exactly `accounts`, for callers without Organizations access.
    pub source: DiscoverySource,
    /// The accounts to scan when `source = "list"`.
    pub accounts: Vec<String>,
    /// Scan only these account ids (empty: all).
    pub include_accounts: Vec<String>,
    /// Never scan these account ids.
    pub exclude_accounts: Vec<String>,
    /// Scan only accounts under these OUs: an OU id (`ou-ab12-cdef3456`) or a
    /// name path from the root (`Root/Workloads`). Empty: all.
    pub include_ous: Vec<String>,
    /// Never scan accounts under these OUs (same forms as `include_ous`).
    pub exclude_ous: Vec<String>,
}

impl Default for DiscoveryConfig {
    fn default() -> Self {
        Self {
            source: DiscoverySource::Organizations,
            accounts: Vec::new(),
            include_accounts: Vec::new(),
            exclude_accounts: Vec::new(),
            include_ous: Vec::new(),
            exclude_ous: Vec::new(),
        }
    }
}

/// Where the account list comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum DiscoverySource {
    Organizations,
    List,
}

/// The read-only role keyaudit assumes in every account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RoleConfig {
    /// Role name; the ARN is `arn:<partition>:iam::<account>:role/<name>`.
    pub name: String,
    /// External id the role's trust policy requires, if any.
    pub external_id: Option<String>,
    /// Session name, visible in the accounts' CloudTrail.
    pub session_name: String,
    /// Session length; credentials are refreshed before they expire.
    pub duration_seconds: u32,
}

impl Default for RoleConfig {
    fn default() -> Self {
        Self {
            name: "KeyAuditRole".to_owned(),
            external_id: None,
            session_name: "keyaudit".to_owned(),
            duration_seconds: 3600,
        }
    }
}

/// What to collect, and where.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScanConfig {
    /// Regions to scan: a list, or empty for every region enabled in each account.
    pub regions: Vec<String>,
    /// Services to collect, by their keyaudit names (`kms`, `acm`,
    /// `secretsmanager`, `ssm`, `iam-server-certificates`, `iam-policies`, …).
    pub services: Vec<String>,
    /// Days of KMS events read from CloudTrail's event history
    /// (`cloudtrail-events`, `LookupEvents`), 1 to 90.
    pub key_events_days: u32,
    /// Pages of 50 events read at most per account-region; a region with
    /// more is marked `truncated` (its counts are lower bounds).
    pub key_events_max_pages: u32,
}

impl Default for ScanConfig {
    fn default() -> Self {
        Self {
            regions: Vec::new(),
            services: crate::kinds::service_names().into_iter().map(str::to_owned).collect(),
            key_events_days: 30,
            key_events_max_pages: 20,
        }
    }
}

/// Concurrency and request-rate limits. Customers' own workloads share the
/// per-account API quotas, so the per-region caps matter as much as the global one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LimitsConfig {
    /// Accounts scanned at once.
    pub max_concurrent_accounts: usize,
    /// API requests in flight at once, across the whole run.
    pub max_concurrent_requests: usize,
    /// API requests in flight at once within one account and region.
    pub max_concurrent_requests_per_region: usize,
    /// Requests per second keyaudit may make within one account and region.
    pub max_requests_per_second_per_region: u32,
    /// Attempts per request, with exponential backoff on throttling and
    /// transient errors (1 = no retry).
    pub max_attempts: u32,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        Self {
            max_concurrent_accounts: 16,
            max_concurrent_requests: 128,
            max_concurrent_requests_per_region: 8,
            max_requests_per_second_per_region: 25,
            max_attempts: 8,
        }
    }
}

/// Where results go.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OutputConfig {
    /// Each destination gets every table: `s3://bucket/prefix` or a local folder.
    pub destinations: Vec<String>,
    /// Write the inventory tables (one per kind, such as `kms_keys`). With
    /// `false`, only `accounts`, `collection_errors`, `findings` and `runs`
    /// are written, keyaudit collects only the kinds and detail calls the
    /// selected rules read, and `keyaudit evaluate` cannot replay the run.
    pub inventory: bool,
    /// For S3: the account that must own the bucket (requests fail otherwise).
    pub expected_bucket_owner: Option<String>,
    /// For S3: server-side encryption, `AES256` or `aws:kms`.
    pub sse: Option<String>,
    /// For S3 with `sse = "aws:kms"`: the KMS key id or ARN.
    pub sse_kms_key_id: Option<String>,
    /// Also write the findings as an Amazon Security Lake custom source: the
    /// source's location, `s3://<lake bucket>/ext/<source name>`, under which
    /// they go to `region=…/accountId=…/eventDay=YYYYMMDD/`.
    pub security_lake: Option<String>,
}

impl Default for OutputConfig {
    fn default() -> Self {
        Self {
            destinations: Vec::new(),
            inventory: true,
            expected_bucket_owner: None,
            sse: None,
            sse_kms_key_id: None,
            security_lake: None,
        }
    }
}

/// Which rules run, with which parameters and sandbox limits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RulesConfig {
    /// Run keyaudit's built-in rules.
    pub builtin: bool,
    /// Where the built-in rules are; by default `rules/` beside the binary.
    pub builtin_dir: Option<PathBuf>,
    /// Folders of your own rule components (`*.wasm`).
    pub dirs: Vec<PathBuf>,
    /// Run only these rule ids (empty: all).
    pub enable: Vec<String>,
    /// Never run these rule ids.
    pub disable: Vec<String>,
    /// Run only rules mapped to one of these frameworks or controls, matched
    /// as text, such as `"CIS"`, `"KMS.4"` or `"FedRAMP"` (empty: all).
    pub frameworks: Vec<String>,
    /// Time one rule may take for one account, in milliseconds.
    pub time_budget_ms: u64,
    /// Memory one rule instance may use, in MiB.
    pub memory_limit_mb: u64,
    /// Findings one rule may return for one account.
    pub max_findings: usize,
    /// Keep compiled rules between runs.
    pub cache: bool,
    /// Where compiled rules are kept; by default `~/.cache/keyaudit/rules`.
    pub cache_dir: Option<PathBuf>,
    /// Parameter values by rule id, such as `[rules.parameters.kms-key-age] max_days = 180`.
    pub parameters: BTreeMap<String, BTreeMap<String, toml::Value>>,
}

impl Default for RulesConfig {
    fn default() -> Self {
        Self {
            builtin: true,
            builtin_dir: None,
            dirs: Vec::new(),
            enable: Vec::new(),
            disable: Vec::new(),
            frameworks: Vec::new(),
            time_budget_ms: 2000,
            memory_limit_mb: 256,
            max_findings: 100_000,
            cache: true,
            cache_dir: None,
            parameters: BTreeMap::new(),
        }
    }
}

/// Log format and level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LoggingConfig {
    /// `plain` for people, `json` for log pipelines.
    pub format: LogFormat,
    /// A `tracing` filter, such as `info` or `keyaudit=debug`.
    pub level: String,
}

impl Default for LoggingConfig {
    fn default() -> Self {
        Self { format: LogFormat::Plain, level: "info".to_owned() }
    }
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum LogFormat {
    Plain,
    Json,
}

impl Config {
    /// Reads a TOML config file. Unknown keys are errors that name the key.
    pub fn from_file(path: &Path) -> Result<Self, ConfigError> {
        let text =
            std::fs::read_to_string(path).map_err(|source| ConfigError::Read { path: path.to_owned(), source })?;
        Self::from_toml(&text).map_err(|message| ConfigError::Parse { path: path.to_owned(), message })
    }

    /// Parses TOML text; the error text names the offending key and line.
    pub fn from_toml(text: &str) -> Result<Self, String> {
        toml::from_str(text).map_err(|e| e.to_string().trim_end().to_owned())
    }

    /// A hex SHA-256 of the effective configuration, recorded with every run so
    /// that two runs can be compared knowing whether they were set up alike.
    pub fn digest(&self) -> String {
        use sha2::Digest;
        let canonical = serde_json::to_vec(self).unwrap_or_default();
        hex::encode(sha2::Sha256::digest(canonical))
    }

    /// Checks every value a scan relies on; the error names the key and the fix.
    pub fn validate(&self) -> Result<ValidConfig, ConfigError> {
        self.check(true)
    }

    /// Like [`Config::validate`], for commands whose output is optional
    /// (`evaluate` writes beside its inventory by default; `rules list` writes nothing).
    pub fn validate_output_optional(&self) -> Result<ValidConfig, ConfigError> {
        self.check(false)
    }

    fn check(&self, output_required: bool) -> Result<ValidConfig, ConfigError> {
        let d = &self.discovery;
        for (key, ids) in [
            ("discovery.accounts", &d.accounts),
            ("discovery.include_accounts", &d.include_accounts),
            ("discovery.exclude_accounts", &d.exclude_accounts),
        ] {
            for id in ids {
                check_account_id(key, id)?;
            }
        }
        if d.source == DiscoverySource::List && d.accounts.is_empty() {
            return Err(invalid(
                "discovery.accounts",
                "[]",
                "discovery.source = \"list\" needs at least one account id here",
            ));
        }
        for (key, ous) in [("discovery.include_ous", &d.include_ous), ("discovery.exclude_ous", &d.exclude_ous)] {
            for ou in ous {
                if !(ou.starts_with("ou-") || ou.starts_with("r-") || ou == "Root" || ou.starts_with("Root/")) {
                    return Err(invalid(
                        key,
                        ou,
                        "use an OU id (ou-xxxx-xxxxxxxx), a root id (r-xxxx) or a name path from the root (Root/Workloads)",
                    ));
                }
            }
        }
        if !is_role_name(&self.role.name) {
            return Err(invalid(
                "role.name",
                &self.role.name,
                "an IAM role name: 1-64 characters of letters, digits and +=,.@_-",
            ));
        }
        if !(900..=43_200).contains(&self.role.duration_seconds) {
            return Err(invalid("role.duration_seconds", self.role.duration_seconds, "between 900 and 43200"));
        }
        if self.role.session_name.len() < 2
            || self.role.session_name.len() > 64
            || !self.role.session_name.chars().all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c))
        {
            return Err(invalid(
                "role.session_name",
                &self.role.session_name,
                "2-64 characters of letters, digits and +=,.@_-",
            ));
        }
        for region in &self.scan.regions {
            check_region("scan.regions", region)?;
        }
        if let Some(region) = &self.home_region {
            check_region("home_region", region)?;
        }
        if self.scan.services.is_empty() {
            return Err(invalid("scan.services", "[]", "name at least one service, such as \"kms\""));
        }
        for service in &self.scan.services {
            if crate::kinds::by_service(service).is_none() {
                let known = crate::kinds::service_names().join(", ");
                return Err(invalid("scan.services", service, format!("one of {known}")));
            }
        }
        if !(1..=90).contains(&self.scan.key_events_days) {
            return Err(invalid(
                "scan.key_events_days",
                self.scan.key_events_days,
                "1 to 90 (CloudTrail's event history keeps 90 days)",
            ));
        }
        if self.scan.key_events_max_pages == 0 {
            return Err(invalid("scan.key_events_max_pages", 0, "must be at least 1"));
        }
        let limits = &self.limits;
        for (key, value) in [
            ("limits.max_concurrent_accounts", limits.max_concurrent_accounts),
            ("limits.max_concurrent_requests", limits.max_concurrent_requests),
            ("limits.max_concurrent_requests_per_region", limits.max_concurrent_requests_per_region),
            ("limits.max_requests_per_second_per_region", limits.max_requests_per_second_per_region as usize),
            ("limits.max_attempts", limits.max_attempts as usize),
        ] {
            if value == 0 {
                return Err(invalid(key, value, "must be at least 1"));
            }
        }
        if let Some(url) = &self.endpoint_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            return Err(invalid("endpoint_url", url, "a URL starting with http:// or https://"));
        }
        if output_required && self.output.destinations.is_empty() {
            return Err(invalid(
                "output.destinations",
                "[]",
                "give at least one: s3://bucket/prefix or a local folder (--output)",
            ));
        }
        let destinations = self
            .output
            .destinations
            .iter()
            .map(|d| Destination::parse(d).map_err(|problem| invalid("output.destinations", d, problem)))
            .collect::<Result<Vec<_>, _>>()?;
        if let Some(owner) = &self.output.expected_bucket_owner {
            check_account_id("output.expected_bucket_owner", owner)?;
        }
        let security_lake = match &self.output.security_lake {
            None => None,
            Some(uri) => match Destination::parse(uri) {
                Ok(lake @ Destination::S3 { .. }) => Some(lake),
                _ => {
                    return Err(invalid(
                        "output.security_lake",
                        uri,
                        "the custom source's S3 location, s3://<Security Lake bucket>/ext/<source name>",
                    ));
                }
            },
        };
        match self.output.sse.as_deref() {
            None | Some("AES256") => {
                if self.output.sse_kms_key_id.is_some() {
                    return Err(invalid(
                        "output.sse_kms_key_id",
                        self.output.sse_kms_key_id.as_deref().unwrap_or_default(),
                        "only used with output.sse = \"aws:kms\"",
                    ));
                }
            }
            Some("aws:kms") => {}
            Some(other) => return Err(invalid("output.sse", other, "\"AES256\" or \"aws:kms\"")),
        }
        let rules = &self.rules;
        for (key, value) in [
            ("rules.time_budget_ms", rules.time_budget_ms),
            ("rules.memory_limit_mb", rules.memory_limit_mb),
            ("rules.max_findings", rules.max_findings as u64),
        ] {
            if value == 0 {
                return Err(invalid(key, value, "must be at least 1"));
            }
        }
        if rules.memory_limit_mb > 4096 {
            return Err(invalid("rules.memory_limit_mb", rules.memory_limit_mb, "at most 4096 (32-bit WebAssembly)"));
        }
        Ok(ValidConfig { config: self.clone(), destinations, security_lake })
    }
}

/// A configuration that passed [`Config::validate`], with its parsed parts.
#[derive(Debug, Clone)]
pub struct ValidConfig {
    pub config: Config,
    pub destinations: Vec<Destination>,
    /// `output.security_lake`, parsed: always S3.
    pub security_lake: Option<Destination>,
}

/// An AWS account id is exactly 12 digits.
pub fn check_account_id(key: &str, id: &str) -> Result<(), ConfigError> {
    if id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(invalid(key, id, "an AWS account id is exactly 12 digits, such as \"111122223333\""))
    }
}

fn check_region(key: &str, region: &str) -> Result<(), ConfigError> {
    let parts: Vec<&str> = region.split('-').collect();
    let well_formed = parts.len() >= 3
        && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
        && parts.last().is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()));
    if well_formed { Ok(()) } else { Err(invalid(key, region, "a region code such as \"us-east-1\" or \"eu-west-1\"")) }
}

fn is_role_name(name: &str) -> bool {
    (1..=64).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c))
}

// The settings other modules take, built here so that they never import the
// configuration (config → aws and config → output, never the other way).

impl From<&Config> for crate::aws::AwsSettings {
    fn from(config: &Config) -> Self {
        Self {
            endpoint_url: config.endpoint_url.clone(),
            home_region: config.home_region.clone(),
            profile: config.profile.clone(),
            max_attempts: config.limits.max_attempts,
        }
    }
}

impl From<&OutputConfig> for crate::output::s3::S3Settings {
    fn from(output: &OutputConfig) -> Self {
        Self {
            expected_bucket_owner: output.expected_bucket_owner.clone(),
            sse: output.sse.clone(),
            sse_kms_key_id: output.sse_kms_key_id.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_output(mut config: Config) -> Config {
        config.output.destinations = vec!["./out".to_owned()];
        config
    }

    #[test]
    fn unknown_key_is_named() {
        let err = Config::from_toml("[scan]\nregion = [\"us-east-1\"]\n").unwrap_err();
        assert!(err.contains("unknown field `region`"), "{err}");
        assert!(err.contains("regions"), "suggests the known keys: {err}");
    }

    #[test]
    fn security_lake_must_be_an_s3_location() {
        let mut config = with_output(Config::default());
        config.output.security_lake = Some("./lake".to_owned());
        let err = config.validate().unwrap_err().to_string();
        assert!(err.contains("output.security_lake") && err.contains("/ext/<source name>"), "{err}");
        config.output.security_lake = Some("s3://lake-bucket/ext/keyaudit".to_owned());
        let valid = config.validate().unwrap();
        assert_eq!(
            valid.security_lake,
            Some(Destination::S3 { bucket: "lake-bucket".into(), prefix: "ext/keyaudit".into() })
        );
    }

    #[test]
    fn account_ids_must_be_twelve_digits() {
        let mut config = with_output(Config::default());
        config.discovery.exclude_accounts = vec!["12345".to_owned()];
        let err = config.validate().unwrap_err().to_string();
        assert!(err.contains("discovery.exclude_accounts"), "{err}");
        assert!(err.contains("12 digits"), "{err}");
    }

    #[test]
    fn list_source_needs_accounts() {
        let mut config = with_output(Config::default());
        config.discovery.source = DiscoverySource::List;
        assert!(config.validate().unwrap_err().to_string().contains("discovery.accounts"));
        config.discovery.accounts = vec!["111122223333".to_owned()];
        assert!(config.validate().is_ok());
    }

    #[test]
    fn output_is_required_and_checked() {
        let err = Config::default().validate().unwrap_err().to_string();
        assert!(err.contains("output.destinations"), "{err}");
        let mut config = with_output(Config::default());
        config.output.destinations = vec!["s3://".to_owned()];
        assert!(config.validate().unwrap_err().to_string().contains("bucket"));
    }

    #[test]
    fn regions_and_limits_are_checked() {
        let mut config = with_output(Config::default());
        config.scan.regions = vec!["useast1".to_owned()];
        assert!(config.validate().unwrap_err().to_string().contains("scan.regions"));
        let mut config = with_output(Config::default());
        config.limits.max_concurrent_accounts = 0;
        assert!(config.validate().unwrap_err().to_string().contains("max_concurrent_accounts"));
    }

    #[test]
    fn full_example_parses() {
        let text = include_str!("../../examples/keyaudit.toml");
        let config = Config::from_toml(text).unwrap();
        config.validate().unwrap();
        assert_eq!(config.role.name, "KeyAuditRole");
    }

    #[test]
    fn digest_changes_with_config() {
        let a = with_output(Config::default());
        let mut b = a.clone();
        b.role.name = "Other".to_owned();
        assert_ne!(a.digest(), b.digest());
        assert_eq!(a.digest(), a.clone().digest());
    }
}
