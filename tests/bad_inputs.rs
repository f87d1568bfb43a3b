//! Bad input gets a clear error naming the thing and the fix, and a non-zero
//! exit, before any scanning.

mod support;

use support::{Moto, free_port, keyaudit};

#[test]
fn unknown_config_key_is_named_with_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("keyaudit.toml");
    std::fs::write(&config, "[scan]\nregion = [\"us-east-1\"]\n").unwrap();
    let run = keyaudit(None, &["scan", "--config", config.to_str().unwrap(), "-o", "out"], &[]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("unknown field `region`"), "{}", run.stderr);
    assert!(run.stderr.contains("keyaudit.toml"), "names the file: {}", run.stderr);
}

#[test]
fn account_id_must_be_twelve_digits() {
    let run = keyaudit(None, &["scan", "--accounts", "12345", "-o", "out"], &[]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("discovery.accounts"), "{}", run.stderr);
    assert!(run.stderr.contains("\"12345\""), "{}", run.stderr);
    assert!(run.stderr.contains("12 digits"), "{}", run.stderr);
}

#[test]
fn missing_output_is_explained() {
    let run = keyaudit(None, &["scan", "--accounts", "111122223333"], &[]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("--output"), "{}", run.stderr);
}

#[test]
fn bad_flag_value_is_a_usage_error() {
    let run = keyaudit(None, &["scan", "--services", "kms,nope", "-o", "out"], &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("nope"), "{}", run.stderr);
    // evaluate's usage errors are 2 as well (README, "Exit status").
    let run = keyaudit(None, &["evaluate"], &[]);
    assert_eq!(run.code, 2, "--inventory is required: {}", run.stderr);
    assert!(run.stderr.contains("--inventory"), "{}", run.stderr);
    let run = keyaudit(None, &["evaluate", "--inventory", "out", "--no-such-flag"], &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

#[test]
fn unreachable_endpoint_fails_fast_and_says_where() {
    let endpoint = format!("http://127.0.0.1:{}", free_port());
    let started = std::time::Instant::now();
    let run = keyaudit(None, &["scan", "--accounts", "111122223333", "-o", "out", "--endpoint-url", &endpoint], &[]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("cannot reach AWS"), "{}", run.stderr);
    assert!(run.stderr.contains(&endpoint), "names the endpoint: {}", run.stderr);
    assert!(started.elapsed().as_secs() < 60, "gives up within a minute");
}

#[test]
fn missing_bucket_fails_before_scanning() {
    let moto = Moto::start();
    let run = keyaudit(
        Some(&moto.endpoint),
        &["scan", "--accounts", "123456789012", "--regions", "us-east-1", "-o", "s3://no-such-bucket/prefix"],
        &[],
    );
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("s3://no-such-bucket"), "{}", run.stderr);
    assert!(run.stderr.contains("does not exist"), "{}", run.stderr);
    assert!(!run.stderr.contains("account scanned"), "nothing was scanned: {}", run.stderr);
}

#[test]
fn an_s3_uri_with_one_slash_is_rejected_and_makes_no_folder() {
    let dir = tempfile::tempdir().unwrap();
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_keyaudit"))
        .args(["scan", "--accounts", "111122223333", "-o", "s3:/bucket/x"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("s3://bucket/x"), "says how to write it: {stderr}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no ./s3: folder was created");
}

#[test]
fn a_framework_that_matches_no_rule_is_an_error_naming_the_known_ones() {
    let run = keyaudit(None, &["scan", "--accounts", "111122223333", "-o", "out", "--frameworks", "CISS"], &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("\"CISS\" matches no rule"), "{}", run.stderr);
    assert!(run.stderr.contains("CIS AWS Foundations Benchmark"), "names the known frameworks: {}", run.stderr);
    let run = keyaudit(None, &["rules", "list", "--frameworks", "KMS.4,CIS"], &[]);
    assert_eq!(run.code, 0, "controls match too: {}", run.stderr);
}

#[test]
fn a_missing_file_is_named_once() {
    let run = keyaudit(None, &["scan", "--config", "/no/such/keyaudit.toml", "-o", "out"], &[]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr.matches("No such file or directory").count(), 1, "said once: {}", run.stderr);
    assert_eq!(run.stderr.trim().lines().count(), 1, "one line: {}", run.stderr);
}

#[test]
fn missing_credentials_are_one_line_that_says_so() {
    let moto = Moto::start();
    let nowhere = tempfile::tempdir().unwrap();
    let empty = nowhere.path().join("empty");
    std::fs::write(&empty, "").unwrap();
    let run = keyaudit(
        Some(&moto.endpoint),
        &["scan", "--accounts", "123456789012", "--regions", "us-east-1", "-o", "out"],
        &[
            ("AWS_ACCESS_KEY_ID", ""),
            ("AWS_SECRET_ACCESS_KEY", ""),
            ("AWS_CONFIG_FILE", empty.to_str().unwrap()),
            ("AWS_SHARED_CREDENTIALS_FILE", empty.to_str().unwrap()),
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let last = run.stderr.trim().lines().last().unwrap_or_default();
    assert!(last.starts_with("error: no AWS credentials"), "{}", run.stderr);
    assert!(run.stderr.len() < 400, "one line, no SDK debug dump ({} bytes): {}", run.stderr.len(), run.stderr);
}

#[test]
fn an_unreadable_inventory_bucket_is_named_as_the_inventory() {
    let moto = Moto::start();
    let run = keyaudit(Some(&moto.endpoint), &["evaluate", "--inventory", "s3://no-such-inventory/keyaudit"], &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("inventory s3://no-such-inventory"), "{}", run.stderr);
    assert!(!run.stderr.contains("output bucket") && !run.stderr.contains("PutObject"), "{}", run.stderr);
}

/// `--version` names the version, the rule contracts this build runs, and
/// the built-in rules it would load with their digest (computed here again
/// over the same files), so two installs can be compared; `-V` stays short.
#[test]
fn version_names_contracts_and_the_builtin_rules_digest() {
    use sha2::Digest;
    let run = keyaudit(None, &["--version"], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[0], format!("keyaudit {}", env!("CARGO_PKG_VERSION")));
    assert!(lines[1].contains("keyaudit:rules@0.3.2") && lines[1].contains("@0.2.0") && lines[1].contains("@0.1.0"));
    let rules = support::workspace().join("target/rules").canonicalize().unwrap();
    let mut files: Vec<_> = std::fs::read_dir(&rules)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "wasm"))
        .collect();
    files.sort();
    let mut digest = sha2::Sha256::new();
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        digest.update(file.file_name().unwrap().to_string_lossy().as_bytes());
        digest.update([0]);
        digest.update((bytes.len() as u64).to_le_bytes());
        digest.update(&bytes);
    }
    let expected =
        format!("built-in rules: {} in {}, sha256 {}", files.len(), rules.display(), hex::encode(digest.finalize()));
    assert_eq!(lines[2], expected);
    let short = keyaudit(None, &["-V"], &[]);
    assert_eq!(short.stdout.trim(), format!("keyaudit {}", env!("CARGO_PKG_VERSION")));
}

/// `--profile` reads that profile's credentials, as the AWS CLI does, even
/// with none in the environment; a profile that is not there is one line
/// naming it.
#[test]
fn a_named_profile_supplies_the_credentials_and_a_missing_one_is_named() {
    let moto = Moto::start();
    let dir = tempfile::tempdir().unwrap();
    let (config, credentials) = (dir.path().join("config"), dir.path().join("credentials"));
    std::fs::write(&config, "[profile audit]\nregion = us-east-1\n").unwrap();
    std::fs::write(&credentials, "[audit]\naws_access_key_id = AKIAAUDITPROFILE\naws_secret_access_key = secret\n")
        .unwrap();
    let env = [
        ("AWS_ACCESS_KEY_ID", ""),
        ("AWS_SECRET_ACCESS_KEY", ""),
        ("AWS_CONFIG_FILE", config.to_str().unwrap()),
        ("AWS_SHARED_CREDENTIALS_FILE", credentials.to_str().unwrap()),
    ];
    let out = dir.path().join("out");
    let scan = |profile: &str| {
        keyaudit(
            Some(&moto.endpoint),
            &[
                "scan",
                "--profile",
                profile,
                "--accounts",
                "123456789012",
                "--regions",
                "us-east-1",
                "--services",
                "kms",
                "--log-level",
                "warn",
                "-o",
                out.to_str().unwrap(),
            ],
            &env,
        )
    };
    let with_profile = scan("audit");
    assert!(
        !with_profile.stderr.contains("credentials"),
        "the profile's credentials were used: {}",
        with_profile.stderr
    );
    assert!(matches!(with_profile.code, 0 | 3), "{}", with_profile.stderr);
    let missing = scan("nope");
    assert_eq!(missing.code, 1, "{}", missing.stderr);
    assert!(missing.stderr.contains("nope"), "names the profile: {}", missing.stderr);
    assert_eq!(missing.stderr.trim().lines().count(), 1, "one line: {}", missing.stderr);
}

/// Shell completions and the man page come from the same clap definitions
/// as the parser: bash loads the script and completes subcommands and
/// flags; the man page is roff naming every subcommand.
#[test]
fn completions_load_in_bash_and_the_man_page_lists_the_subcommands() {
    let script = keyaudit(None, &["completions", "bash"], &[]);
    assert_eq!(script.code, 0, "{}", script.stderr);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keyaudit.bash");
    std::fs::write(&path, &script.stdout).unwrap();
    let complete = |words: &[&str]| -> String {
        let line = words.join(" ");
        let program = format!(
            "source {path}; COMP_WORDS=({words}); COMP_CWORD={cword}; COMP_LINE='{line}'; COMP_POINT={point}; \
             _keyaudit keyaudit {current} {previous}; echo \"${{COMPREPLY[@]}}\"",
            path = path.display(),
            words = words.join(" "),
            cword = words.len() - 1,
            point = line.len(),
            current = words[words.len() - 1],
            previous = words[words.len() - 2],
        );
        let output = std::process::Command::new("bash").args(["-c", &program]).output().expect("bash");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    };
    assert_eq!(complete(&["keyaudit", "rep"]), "report");
    assert!(complete(&["keyaudit", "scan", "--fail"]).split(' ').any(|w| w == "--fail-on"));
    assert!(complete(&["keyaudit", "report", "--for"]).split(' ').any(|w| w == "--format"));

    let man = keyaudit(None, &["generate", "man"], &[]);
    assert_eq!(man.code, 0, "{}", man.stderr);
    assert!(man.stdout.contains(".TH keyaudit 1"), "{}", &man.stdout[..200.min(man.stdout.len())]);
    for subcommand in ["scan", "evaluate", "report", "athena", "completions", "generate"] {
        assert!(man.stdout.contains(subcommand), "the man page names {subcommand}");
    }
}
