//! Integration-test harness: a moto server per test (stopped on drop), the
//! fixture organisation from `tests/fixtures/moto_org.py`, and runners for the
//! `keyaudit` binary and for DuckDB, our Athena stand-in.
//!
//! The real parts come from `.venv`, which `make test` installs. If it is
//! missing, tests fail with a message saying so; they never skip.

#![allow(dead_code)] // each test binary uses a different part of the harness

pub mod fresh;
pub mod records;

use std::collections::BTreeMap;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde::Deserialize;

/// The repository root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("host/ has a parent").to_owned()
}

/// A program from the project's venv.
pub fn venv_bin(name: &str) -> PathBuf {
    let path = workspace().join(".venv/bin").join(name);
    assert!(path.exists(), "{} is missing: run `make test`, which installs moto and duckdb into .venv", path.display());
    path
}

/// A free TCP port on 127.0.0.1.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("bind 127.0.0.1:0").port()
}

/// A moto server on 127.0.0.1, stopped when dropped.
pub struct Moto {
    child: Child,
    pub endpoint: String,
}

impl Moto {
    pub fn start() -> Self {
        let port = free_port();
        let log = std::fs::File::create(std::env::temp_dir().join(format!("keyaudit-moto-{port}.log")))
            .expect("create moto log");
        let child = Command::new(venv_bin("moto_server"))
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("start moto_server");
        let moto = Moto { child, endpoint: format!("http://127.0.0.1:{port}") };
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "moto did not listen on port {port} within 30 s");
            std::thread::sleep(Duration::from_millis(50));
        }
        moto
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An account the fixture created.
#[derive(Debug, Clone, Deserialize)]
pub struct FixtureAccount {
    pub id: String,
    pub name: String,
    pub ou_path: String,
    pub state: String,
    pub short: String,
}

/// A key as moto reports it, recorded by the fixture.
#[derive(Debug, Clone, Deserialize)]
pub struct FixtureKey {
    pub account_id: String,
    pub region: String,
    pub key_id: String,
    pub key_arn: String,
    pub aliases: Vec<String>,
    pub description: String,
    pub key_manager: String,
    pub key_state: String,
    pub enabled: bool,
    pub key_usage: String,
    pub key_spec: String,
    pub origin: String,
    pub multi_region: bool,
    pub multi_region_key_type: Option<String>,
    pub multi_region_primary_arn: Option<String>,
    pub creation_date_ms: i64,
    pub deletion_date_ms: Option<i64>,
    pub pending_deletion_window_days: Option<i32>,
    pub multi_region_replica_arns: Vec<String>,
    pub rotation_enabled: Option<bool>,
    pub rotation_period_days: Option<i32>,
    pub next_rotation_date_ms: Option<i64>,
    pub last_rotation_date_ms: Option<i64>,
    pub rotation_count: i64,
    pub tags: BTreeMap<String, String>,
    pub grant_names: Vec<String>,
    pub grants: Vec<FixtureGrant>,
    pub policy: serde_json::Value,
    /// What the fixture asked for (None for a replica it did not create).
    pub asked: Option<AskedOfKey>,
}

/// A grant as moto reports it.
#[derive(Debug, Clone, Deserialize)]
pub struct FixtureGrant {
    pub name: String,
    pub grantee: Option<String>,
    pub operations: Vec<String>,
    pub issuing_account: Option<String>,
}

/// What the fixture asked of a key when it made it.
#[derive(Debug, Clone, Deserialize)]
pub struct AskedOfKey {
    pub rotation_period_days: Option<i32>,
    pub pending_deletion_window_days: Option<i32>,
    pub replica_regions: Vec<String>,
}

/// The fixture's manifest of what it built.
#[derive(Debug, Clone, Deserialize)]
pub struct Manifest {
    pub management_account_id: String,
    pub organization_id: String,
    pub regions: Vec<String>,
    pub role_name: String,
    pub bucket: String,
    /// A bucket in the fixture's second region.
    pub remote_bucket: Option<String>,
    pub accounts: Vec<FixtureAccount>,
    pub ou_ids: BTreeMap<String, String>,
    pub keys: Vec<FixtureKey>,
    pub partial_access_account: Option<String>,
    pub denied_account: Option<String>,
    pub auditor: Option<Auditor>,
    pub certificates: Vec<FixtureCertificate>,
    pub secrets: Vec<FixtureSecret>,
    pub parameters: Vec<FixtureParameter>,
    pub server_certificates: Vec<FixtureServerCertificate>,
    pub trails: Vec<FixtureTrail>,
    pub stacks: Vec<FixtureStack>,
    pub scps: Vec<FixtureScp>,
    pub config: Vec<FixtureConfig>,
    /// Keys whose recorded GetKeyLastUsage says "used" (minutes ago) or
    /// "idle" (tracked 120 days, never used); the others: tracked minutes, unused.
    pub key_usage: BTreeMap<String, String>,
    /// The stand-in's recorded KMS event history: where it happened, the key
    /// that decrypts anomalously, and the key-management events.
    pub key_activity: FixtureKeyActivity,
    /// The stand-in proxy's recorded answers (fault_proxy.py rules of kind "answer").
    pub stand_in: Vec<serde_json::Value>,
    /// Per account: the regions its DescribeRegions answers (enabled ones).
    pub enabled_regions: BTreeMap<String, Vec<String>>,
    pub policies: Vec<FixturePolicy>,
}

/// An ACM certificate as moto describes it (tests/fixtures/estate.py).
#[derive(Debug, Clone, Deserialize)]
pub struct FixtureCertificate {
    pub account_id: String,
    pub region: String,
    pub arn: String,
    pub domain_name: String,
    pub status: String,
    #[serde(rename = "type")]
    pub certificate_type: String,
    pub key_algorithm: String,
    pub not_before: Option<i64>,
    pub not_after: Option<i64>,
    pub created_at: Option<i64>,
    pub transparency_logging: Option<String>,
    pub renewal_eligibility: Option<String>,
}

/// A secret's metadata as moto lists it.
#[derive(Debug, Clone, Deserialize)]
pub struct FixtureSecret {
    pub account_id: String,
    pub region: String,
    pub arn: String,
    pub name: String,
    pub rotation_enabled: bool,
    pub rotation_days: Option<i64>,
    pub last_rotated: Option<i64>,
    pub last_accessed: Option<i64>,
    pub next_rotation: Option<i64>,
    pub created: Option<i64>,
    pub public: bool,
    /// The value of its owner tag (any case), when it has a non-empty one.
    pub owner: Option<String>,
    pub customer_key: bool,
}

/// An SSM parameter's metadata.
#[derive(Debug, Clone, Deserialize)]
pub struct FixtureParameter {
    pub account_id: String,
    pub region: String,
    pub arn: String,
    pub name: String,
    #[serde(rename = "type")]
    pub parameter_type: String,
    pub key_id: Option<String>,
    pub last_modified: Option<i64>,
}

/// An IAM server certificate, with the NotAfter written into its body.
#[derive(Debug, Clone, Deserialize)]
pub struct FixtureServerCertificate {
    pub account_id: String,
    pub arn: String,
    pub not_after: i64,
}

/// A CloudTrail trail the fixture created (logging, with log file validation).
#[derive(Debug, Clone, Deserialize)]
pub struct FixtureTrail {
    pub account_id: String,
    pub home_region: String,
    pub arn: String,
    pub name: String,
    pub kms_key_id: Option<String>,
    pub multi_region: bool,
    pub organization: bool,
    /// The management events its selectors record, as the fixture set them.
    pub management_events: String,
    pub kms_events_logged: bool,
}

/// A CloudFormation stack as moto describes it, with the KMS keys it made.
#[derive(Debug, Clone, Deserialize)]
pub struct FixtureStack {
    pub account_id: String,
    pub region: String,
    pub arn: String,
    pub name: String,
    pub status: String,
    pub kms_key_ids: Vec<String>,
}

/// AWS Config in one account-region: whether its recorder records, and the
/// managed rules (source identifiers) it runs (tests/fixtures/estate.py, build_config).
#[derive(Debug, Clone, Deserialize)]
pub struct FixtureConfig {
    pub account_id: String,
    pub region: String,
    pub recording: bool,
    pub rules: Vec<String>,
    pub rule_names: Vec<String>,
}

/// The fixture's recorded KMS event history (moto_org.py, stand_in_answers).
#[derive(Debug, Clone, Deserialize)]
pub struct FixtureKeyActivity {
    pub account_id: String,
    pub region: String,
    pub anomalous: String,
    pub balanced: String,
    /// Newest first.
    pub key_events: Vec<String>,
}

/// A service control policy: where it is attached, and whether the fixture
/// made it to protect keys (tests/fixtures/estate.py, build_scps).
#[derive(Debug, Clone, Deserialize)]
pub struct FixtureScp {
    pub id: String,
    pub arn: String,
    pub name: String,
    pub targets: Vec<String>,
    pub protects_keys: bool,
}

/// A customer-managed or inline IAM policy and what it allows of KMS.
#[derive(Debug, Clone, Deserialize)]
pub struct FixturePolicy {
    pub account_id: String,
    pub arn: String,
    pub full_access: bool,
    pub decrypt_all: bool,
}

/// Credentials of the IAM user keyaudit runs as when moto checks IAM.
#[derive(Debug, Clone, Deserialize)]
pub struct Auditor {
    pub access_key_id: String,
    pub secret_access_key: String,
}

impl Manifest {
    pub fn account(&self, short: &str) -> &FixtureAccount {
        self.accounts.iter().find(|a| a.short == short).unwrap_or_else(|| panic!("no fixture account {short}"))
    }

    pub fn active_accounts(&self) -> impl Iterator<Item = &FixtureAccount> {
        self.accounts.iter().filter(|a| a.state == "ACTIVE")
    }

    /// The ids from the root down to `account`: the root, each OU on its
    /// path, the account.
    pub fn path_ids(&self, account: &FixtureAccount) -> Vec<String> {
        let parts: Vec<&str> = account.ou_path.split('/').collect();
        let mut ids: Vec<String> = (1..=parts.len()).map(|n| self.ou_ids[&parts[..n].join("/")].clone()).collect();
        ids.push(account.id.clone());
        ids
    }
}

/// A moto server holding the fixture organisation, behind the stand-in
/// proxy that answers what moto does not implement (`endpoint`).
pub struct Org {
    pub moto: Moto,
    /// Answers the APIs moto lacks with the fixture's recorded answers
    /// (`Manifest::stand_in`) and forwards everything else to moto.
    pub stand_in: FaultProxy,
    /// Where keyaudit is pointed: the stand-in proxy.
    pub endpoint: String,
    pub manifest: Manifest,
    pub dir: tempfile::TempDir,
}

/// Starts moto and builds the fixture organisation; `args` go to moto_org.py.
pub fn org(args: &[&str]) -> Org {
    let moto = Moto::start();
    let dir = tempfile::tempdir().expect("tempdir");
    let manifest_path = dir.path().join("manifest.json");
    let output = Command::new(venv_bin("python"))
        .arg(workspace().join("tests/fixtures/moto_org.py"))
        .args(["--endpoint", &moto.endpoint, "--manifest"])
        .arg(&manifest_path)
        .args(args)
        .output()
        .expect("run moto_org.py");
    assert!(output.status.success(), "moto_org.py failed:\n{}", String::from_utf8_lossy(&output.stderr));
    let manifest: Manifest =
        serde_json::from_slice(&std::fs::read(&manifest_path).expect("read manifest")).expect("parse manifest");
    let stand_in = FaultProxy::start(&moto.endpoint);
    stand_in.configure(serde_json::json!({"seed": 0, "faults": manifest.stand_in}));
    let endpoint = stand_in.endpoint.clone();
    Org { moto, stand_in, endpoint, manifest, dir }
}

/// What one `keyaudit` invocation did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The `--summary-json` output.
    pub fn summary(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("summary is not JSON ({e}):\n{}\nstderr:\n{}", self.stdout, self.stderr))
    }

    /// The locations written, by table name, for one destination prefix.
    pub fn written(&self, prefix: &str) -> BTreeMap<String, String> {
        self.summary()["written"]
            .as_array()
            .expect("written is a list")
            .iter()
            .filter(|w| w["location"].as_str().is_some_and(|l| l.starts_with(prefix)))
            .map(|w| (w["table"].as_str().unwrap().to_owned(), w["location"].as_str().unwrap().to_owned()))
            .collect()
    }
}

/// Runs the keyaudit binary the way a user would, against `endpoint`, with
/// moto's default credentials unless `env` overrides them.
pub fn keyaudit(endpoint: Option<&str>, args: &[&str], env: &[(&str, &str)]) -> Run {
    fresh::builtin_rules();
    let mut command = keyaudit_command(endpoint, args, env);
    let Output { status, stdout, stderr } = command.output().expect("run keyaudit");
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// The `keyaudit` binary with `args`, against `endpoint`, with moto's default
/// credentials unless `env` overrides them, and nothing from the caller's AWS setup.
fn keyaudit_command(endpoint: Option<&str>, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_keyaudit"));
    command
        .args(args)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_ENDPOINT_URL");
    if let Some(endpoint) = endpoint {
        command.env("AWS_ENDPOINT_URL", endpoint);
    }
    for (key, value) in env {
        command.env(key, value);
    }
    command
}

/// Runs SQL with DuckDB over a keyaudit output folder; every table folder is a view.
pub fn duckdb(root: &Path, sql: &str) -> Vec<serde_json::Map<String, serde_json::Value>> {
    let output = Command::new(venv_bin("python"))
        .arg(workspace().join("tests/support/duckdb_query.py"))
        .arg(root)
        .args(["--sql", sql])
        .output()
        .expect("run duckdb_query.py");
    assert!(output.status.success(), "DuckDB failed on\n{sql}\n{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("DuckDB output is JSON")
}

/// The SQL of a query we ship in examples/athena/queries, unchanged: the
/// DuckDB stand-in has the tables in a `keyaudit` schema, as Athena has them
/// in the `keyaudit` database.
pub fn athena_query(name: &str) -> String {
    std::fs::read_to_string(workspace().join("examples/athena/queries").join(name)).expect("read query")
}

/// The views of the shipped DDL (examples/athena/tables.sql), unchanged, as
/// statements to run before a query.
pub fn athena_views() -> String {
    let ddl = std::fs::read_to_string(workspace().join("examples/athena/tables.sql")).expect("read the DDL");
    let start = ddl.find("CREATE OR REPLACE VIEW").expect("the DDL has views");
    ddl[start..].to_owned()
}

/// Copies every object under `s3://bucket/prefix` into `dest`, keeping the key layout.
pub fn download(endpoint: &str, bucket: &str, prefix: &str, dest: &Path) -> Vec<String> {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let credentials = aws_credential_types::Credentials::new("testing", "testing", None, None, "keyaudit-tests");
        let config = aws_sdk_s3::Config::builder()
            .behavior_version(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new("us-east-1"))
            .endpoint_url(endpoint)
            .credentials_provider(credentials)
            .force_path_style(true)
            .build();
        let client = aws_sdk_s3::Client::from_conf(config);
        let listed = client.list_objects_v2().bucket(bucket).prefix(prefix).send().await.expect("list objects");
        let mut keys = Vec::new();
        for object in listed.contents() {
            let key = object.key().expect("object key").to_owned();
            let body = client.get_object().bucket(bucket).key(&key).send().await.expect("get object");
            let bytes = body.body.collect().await.expect("read object").into_bytes();
            let path = dest.join(&key);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, &bytes).expect("write");
            keys.push(key);
        }
        keys.sort();
        keys
    })
}

/// An enabled, customer-managed, symmetric key with KMS key material, rotation
/// on, the account root's default policy and the alias `alias/<name>`,
/// created 30 days before `now` (epoch milliseconds).
pub fn kms_key(account_id: &str, name: &str, now: i64) -> keyaudit::kinds::kms_key::KmsKey {
    const DAY: i64 = 86_400_000;
    let policy = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"Root","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{account_id}:root"}},"Action":"kms:*","Resource":"*"}}]}}"#
    );
    keyaudit::kinds::kms_key::KmsKey {
        run_id: "run".into(),
        account_id: account_id.into(),
        account_name: "test".into(),
        ou_path: "Root".into(),
        org_id: "o-test".into(),
        region: "us-east-1".into(),
        key_id: name.into(),
        key_arn: format!("arn:aws:kms:us-east-1:{account_id}:key/{name}"),
        aliases: Some(vec![format!("alias/{name}")]),
        description: Some(String::new()),
        key_manager: Some("CUSTOMER".into()),
        key_state: Some("Enabled".into()),
        enabled: Some(true),
        key_usage: Some("ENCRYPT_DECRYPT".into()),
        key_spec: Some("SYMMETRIC_DEFAULT".into()),
        origin: Some("AWS_KMS".into()),
        multi_region: Some(false),
        multi_region_key_type: None,
        multi_region_primary_arn: None,
        multi_region_replica_arns: Some(vec![]),
        creation_date: Some(now - 30 * DAY),
        deletion_date: None,
        pending_deletion_window_days: None,
        valid_to: None,
        rotation_enabled: Some(true),
        rotation_period_days: Some(365),
        next_rotation_date: None,
        last_rotation_date: None,
        rotation_count: Some(0),
        // Used yesterday, KMS tracking it since its creation.
        last_used_date: Some(now - DAY),
        last_used_operation: Some("Decrypt".into()),
        last_used_event_id: None,
        usage_tracked_since: Some(now - 30 * DAY),
        key_policy: Some(policy),
        grants: Some(vec![]),
        tags: Some(BTreeMap::new()),
        unread: vec![],
        collected_at: now,
    }
}

/// The `dt=` partition a run's files are under: the UTC day it started,
/// from its `--summary-json` (not today: a run may straddle midnight).
pub fn run_day(summary: &serde_json::Value) -> String {
    let started = summary["run"]["started_at"].as_i64().expect("run.started_at in the summary");
    chrono::DateTime::from_timestamp_millis(started).expect("a valid time").format("%Y-%m-%d").to_string()
}

/// Our fault-injecting proxy (`tests/support/fault_proxy.py`) in front of a
/// moto server, on 127.0.0.1; stopped when dropped.
pub struct FaultProxy {
    child: Child,
    port: u16,
    pub endpoint: String,
}

/// One request the proxy saw.
#[derive(Debug, Clone, Deserialize)]
pub struct ProxyEntry {
    /// Seconds since the proxy was last configured.
    pub t: f64,
    pub account: String,
    pub region: String,
    pub service: String,
    pub action: String,
    /// The same for every attempt of one request.
    pub identity: String,
    /// Which attempt of its request this was, from 1.
    pub attempt: u32,
    /// The fault it got, if any.
    pub fault: Option<String>,
    /// Requests in flight when it arrived: for its account, region and service; for its service; in all.
    pub in_flight: u32,
    pub in_flight_service: u32,
    pub in_flight_total: u32,
    pub role_arn: Option<String>,
    pub external_id: Option<String>,
    pub session_name: Option<String>,
    /// S3 requests: the path, and the encryption and expected-owner headers.
    pub path: Option<String>,
    #[serde(default)]
    pub s3_headers: BTreeMap<String, String>,
}

impl FaultProxy {
    pub fn start(upstream: &str) -> Self {
        let port = free_port();
        let child = Command::new(venv_bin("python"))
            .arg(workspace().join("tests/support/fault_proxy.py"))
            .args(["--upstream", upstream, "--port", &port.to_string()])
            .stdout(Stdio::null())
            .spawn()
            .expect("start fault_proxy.py");
        let proxy = FaultProxy { child, port, endpoint: format!("http://127.0.0.1:{port}") };
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "the fault proxy did not listen on port {port} within 30 s");
            std::thread::sleep(Duration::from_millis(50));
        }
        proxy
    }

    fn request(&self, method: &str, path: &str, body: &str) -> String {
        use std::io::{Read, Write};
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect to the fault proxy");
        let request = format!(
            "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(request.as_bytes()).expect("write to the fault proxy");
        let mut answer = String::new();
        stream.read_to_string(&mut answer).expect("read from the fault proxy");
        let (head, body) = answer.split_once("\r\n\r\n").expect("an HTTP answer");
        assert!(head.starts_with("HTTP/1.1 200") || head.starts_with("HTTP/1.0 200"), "fault proxy: {head}");
        body.to_owned()
    }

    /// Sets the seed and faults (see fault_proxy.py) and clears the log.
    pub fn configure(&self, config: serde_json::Value) {
        self.request("POST", "/__proxy/config", &config.to_string());
    }

    /// Every request since the last `configure`.
    pub fn log(&self) -> Vec<ProxyEntry> {
        serde_json::from_str(&self.request("GET", "/__proxy/log", "")).expect("the proxy log is JSON")
    }
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// [`keyaudit`], and the peak resident memory of the keyaudit process, in
/// bytes (from `wait4`'s resource usage of that one child).
pub fn keyaudit_peak_memory(endpoint: Option<&str>, args: &[&str], env: &[(&str, &str)]) -> (Run, u64) {
    use std::io::Read;
    use std::os::unix::process::ExitStatusExt;
    fresh::builtin_rules();
    let mut command = keyaudit_command(endpoint, args, env);
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    // Reaped by wait4 below, which also reports the child's peak memory.
    #[allow(clippy::zombie_processes)]
    let mut child = command.spawn().expect("run keyaudit");
    let read = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            text
        })
    };
    let stdout = read(Box::new(child.stdout.take().expect("stdout")));
    let stderr = read(Box::new(child.stderr.take().expect("stderr")));
    let pid = i32::try_from(child.id()).expect("a pid");
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our own child, not yet reaped; the pointers are valid.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(reaped, pid, "wait4 on keyaudit");
    let code = std::process::ExitStatus::from_raw(status).code().unwrap_or(-1);
    let run = Run { code, stdout: stdout.join().unwrap_or_default(), stderr: stderr.join().unwrap_or_default() };
    // ru_maxrss is in KiB on Linux.
    (run, u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024)
}
