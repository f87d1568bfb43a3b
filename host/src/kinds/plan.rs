//! What a run needs of each kind, so that collection makes no detail call
//! that no selected rule or written table reads.

use std::collections::BTreeSet;

/// The field groups of one kind a run needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Want {
    /// `None`: every group (the kind's inventory table is written).
    groups: Option<BTreeSet<&'static str>>,
}

impl Want {
    /// Every group: the kind's table is written whole.
    pub fn all() -> Self {
        Self { groups: None }
    }

    /// Only these groups (what the selected rules read).
    pub fn only(groups: impl IntoIterator<Item = &'static str>) -> Self {
        Self { groups: Some(groups.into_iter().collect()) }
    }

    /// Whether the calls that fill `group` are to be made.
    pub fn wants(&self, group: &str) -> bool {
        self.groups.as_ref().is_none_or(|groups| groups.contains(group))
    }

    /// Adds what `other` wants.
    pub fn merge(&mut self, other: &Want) {
        match (&mut self.groups, &other.groups) {
            (Some(mine), Some(theirs)) => mine.extend(theirs.iter().copied()),
            (mine, None) => *mine = None,
            (None, Some(_)) => {}
        }
    }
}
