//! Resources of any kind, as a rule gets them: a kind's `list` from the
//! host, and each record with its position (by which findings name it).

use crate::{Finding, Status};

/// A record type a rule can list.
pub trait Listed: Sized {
    /// The kind's name, as in `reads` and findings ("kms-key").
    const KIND: &'static str;
    /// Asks the host for the account's records of this kind. The rule's
    /// metadata must read the kind.
    fn list() -> Vec<Self>;
}

/// One record with its position in its kind's `list`. Derefs to the record.
#[derive(Debug)]
pub struct Item<'a, T> {
    pub index: u32,
    pub record: &'a T,
}

impl<T> Clone for Item<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for Item<'_, T> {}

impl<T> std::ops::Deref for Item<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.record
    }
}

/// Each record of `records` with its position.
pub fn items<T>(records: &[T]) -> impl Iterator<Item = Item<'_, T>> {
    records.iter().zip(0u32..).map(|(record, index)| Item { index, record })
}

impl<T: Listed> Item<'_, T> {
    /// A finding about this resource (the host adds its ARN and region).
    pub fn finding(self, status: Status, message: impl Into<String>, evidence: Vec<(&str, String)>) -> Finding {
        crate::findings::resource_finding(self, status, message, evidence)
    }

    pub fn pass(self, message: impl Into<String>, evidence: Vec<(&str, String)>) -> Finding {
        self.finding(Status::Pass, message, evidence)
    }

    pub fn fail(self, message: impl Into<String>, evidence: Vec<(&str, String)>) -> Finding {
        self.finding(Status::Fail, message, evidence)
    }

    pub fn info(self, message: impl Into<String>, evidence: Vec<(&str, String)>) -> Finding {
        self.finding(Status::Info, message, evidence)
    }

    /// An ERROR finding: the rule could not decide.
    pub fn error(self, reason: impl std::fmt::Display) -> Finding {
        self.finding(Status::Error, reason.to_string(), vec![])
    }
}

/// Tag lookups shared by every kind with tags: the value of `name`,
/// compared case-insensitively on the name.
pub fn tag<'t>(tags: &'t [(String, String)], name: &str) -> Option<&'t str> {
    tags.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}
