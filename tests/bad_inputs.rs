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
