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

    /// PASS when `since` (a date, and what happened then, for the message)
    /// is at most `max_days` days before `now`, else FAIL; the date and the
    /// days are the evidence. ERROR saying `unknown` when there is no date.
    pub fn within_days(self, since: Option<Since>, now: i64, max_days: i64, unknown: &str) -> Finding {
        let Some(Since { at, what }) = since else { return self.error(unknown) };
        let days = crate::time::days_between(at, now);
        let evidence = vec![("since", crate::time::iso_date(at)), ("days", days.to_string())];
        if days > max_days {
            self.fail(format!("{what} {days} days ago, more than {max_days}"), evidence)
        } else {
            self.pass(format!("{what} {days} days ago"), evidence)
        }
    }
}

/// When something happened to a resource, and what, for messages ("rotated").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Since {
    pub at: i64,
    pub what: &'static str,
}

/// The last time something happened (`last`, described as `what`), or,
/// when it never has, the creation (described as `never`), such as a
/// secret's last rotation else its creation. None when neither is known.
pub fn last_or_creation(
    last: Option<i64>,
    what: &'static str,
    created: Option<i64>,
    never: &'static str,
) -> Option<Since> {
    match (last, created) {
        (Some(at), _) => Some(Since { at, what }),
        (None, Some(at)) => Some(Since { at, what: never }),
        (None, None) => None,
    }
}

/// Tag lookups shared by every kind with tags: the value of `name`,
/// compared case-insensitively on the name.
pub fn tag<'t>(tags: &'t [(String, String)], name: &str) -> Option<&'t str> {
    tags.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}
