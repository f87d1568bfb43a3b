//! Building findings.

use crate::{Finding, Item, Key, Listed, ResourceRef, Status};

/// Evidence pairs from borrowed keys and owned values.
fn evidence(pairs: Vec<(&str, String)>) -> Vec<(String, String)> {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

/// A finding about one key (the host adds its ARN and region).
pub fn key_finding(key: Key<'_>, status: Status, message: impl Into<String>, pairs: Vec<(&str, String)>) -> Finding {
    resource_finding(key, status, message, pairs)
}

/// A finding about one resource of any kind (the host adds its ARN and region).
pub fn resource_finding<T: Listed>(
    item: Item<'_, T>,
    status: Status,
    message: impl Into<String>,
    pairs: Vec<(&str, String)>,
) -> Finding {
    Finding {
        resource: Some(ResourceRef { kind: T::KIND.to_owned(), index: item.index }),
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
        resource: None,
        subject: subject.map(str::to_owned),
        region: None,
        status,
        message: message.into(),
        evidence: evidence(pairs),
    }
}
