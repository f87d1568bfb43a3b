//! Building findings.

use crate::{Finding, KmsKey, Status};

/// Evidence pairs from borrowed keys and owned values.
fn evidence(pairs: Vec<(&str, String)>) -> Vec<(String, String)> {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

/// A finding about one key, identified by its ARN (the host adds its region).
pub fn key_finding(key: &KmsKey, status: Status, message: impl Into<String>, pairs: Vec<(&str, String)>) -> Finding {
    Finding {
        resource_id: Some(key.key_arn.clone()),
        subject: None,
        region: None,
        status,
        message: message.into(),
        evidence: evidence(pairs),
    }
}

/// An account-level finding; `subject` keeps several checks of one rule apart.
pub fn account_finding(
    subject: Option<&str>,
    status: Status,
    message: impl Into<String>,
    pairs: Vec<(&str, String)>,
) -> Finding {
    Finding {
        resource_id: None,
        subject: subject.map(str::to_owned),
        region: None,
        status,
        message: message.into(),
        evidence: evidence(pairs),
    }
}
