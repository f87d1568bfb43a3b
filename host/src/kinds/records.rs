//! Records of any kind, held without knowing their type: what the pipeline
//! spools, counts and hands to the rule engine.

use std::any::Any;
use std::collections::BTreeMap;

use crate::inventory::{CollectionError, KindInfo, Level};
use crate::output::{ParquetError, TableWriter, Tabular};

/// A kind's record type.
pub trait Record: Tabular + Clone + Send + Sync + 'static {
    /// The kind the record is of.
    fn kind() -> &'static KindInfo;
    /// The id findings name: the resource's ARN.
    fn id(&self) -> &str;
    fn account_id(&self) -> &str;
    fn region(&self) -> &str;
    /// The APIs whose fields could not be read for this record.
    fn unread(&self) -> &[String];
}

/// Implements [`Record`] for a kind's record type: its `KindInfo`, the field
/// holding its ARN, and the `account_id`, `region` and `unread` fields every
/// record has.
macro_rules! record {
    ($type:ty, $info:expr, id: $id:ident) => {
        impl $crate::kinds::Record for $type {
            fn kind() -> &'static $crate::inventory::KindInfo {
                &$info
            }
            fn id(&self) -> &str {
                &self.$id
            }
            fn account_id(&self) -> &str {
                &self.account_id
            }
            fn region(&self) -> &str {
                &self.region
            }
            fn unread(&self) -> &[String] {
                &self.unread
            }
        }
    };
}
pub(crate) use record;

/// What the host knows of one resource, whatever its kind.
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    pub id: &'a str,
    pub kind: &'static str,
    pub region: &'a str,
    pub unread: &'a [String],
}

/// One kind's records, type-erased.
pub trait RecordSet: Send + Sync {
    fn info(&self) -> &'static KindInfo;
    fn len(&self) -> usize;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Each record's facts, in order.
    fn facts(&self) -> Vec<Facts<'_>>;
    /// Moves `other`'s records (of the same kind) into this set.
    fn absorb(&mut self, other: Box<dyn RecordSet>);
    /// Splits the set by account id.
    fn split_by_account(self: Box<Self>) -> BTreeMap<String, Box<dyn RecordSet>>;
    /// Appends the records to the kind's table.
    fn write(&self, writer: &mut TableWriter) -> Result<(), ParquetError>;
    /// Reads a file of the kind's table and adds its rows.
    fn read(&mut self, path: &std::path::Path) -> Result<(), ParquetError>;
    fn as_any(&self) -> &dyn Any;
    fn into_any(self: Box<Self>) -> Box<dyn Any>;
}

/// The records of kind `R`.
pub struct Records<R> {
    info: &'static KindInfo,
    pub rows: Vec<R>,
}

impl<R: Record> Records<R> {
    pub fn new(info: &'static KindInfo, rows: Vec<R>) -> Self {
        Self { info, rows }
    }
}

impl<R: Record> RecordSet for Records<R> {
    fn info(&self) -> &'static KindInfo {
        self.info
    }

    fn len(&self) -> usize {
        self.rows.len()
    }

    fn facts(&self) -> Vec<Facts<'_>> {
        self.rows
            .iter()
            .map(|r| Facts { id: r.id(), kind: self.info.name, region: r.region(), unread: r.unread() })
            .collect()
    }

    fn absorb(&mut self, other: Box<dyn RecordSet>) {
        if let Ok(other) = other.into_any().downcast::<Records<R>>() {
            self.rows.extend(other.rows);
        }
    }

    fn split_by_account(self: Box<Self>) -> BTreeMap<String, Box<dyn RecordSet>> {
        let mut by_account: BTreeMap<String, Vec<R>> = BTreeMap::new();
        for row in self.rows {
            by_account.entry(row.account_id().to_owned()).or_default().push(row);
        }
        by_account
            .into_iter()
            .map(|(account, rows)| (account, Box::new(Records::new(self.info, rows)) as Box<dyn RecordSet>))
            .collect()
    }

    fn write(&self, writer: &mut TableWriter) -> Result<(), ParquetError> {
        writer.append(&self.rows)
    }

    fn read(&mut self, path: &std::path::Path) -> Result<(), ParquetError> {
        self.rows.extend(crate::output::read_rows::<R>(path)?);
        Ok(())
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn into_any(self: Box<Self>) -> Box<dyn Any> {
        self
    }
}

/// Records collected from some scope, of every kind, and what could not be
/// collected.
#[derive(Default)]
pub struct Inventory {
    /// One set per kind collected, in registry order.
    sets: Vec<Box<dyn RecordSet>>,
    pub errors: Vec<CollectionError>,
}

impl std::fmt::Debug for Inventory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inventory").field("counts", &self.counts()).field("errors", &self.errors.len()).finish()
    }
}

impl Inventory {
    /// An inventory of nothing but these errors.
    pub fn of_errors(errors: Vec<CollectionError>) -> Self {
        Self { sets: Vec::new(), errors }
    }

    /// An inventory of these records and no errors.
    pub fn from_records<R: Record>(rows: Vec<R>) -> Self {
        let mut inventory = Self::default();
        inventory.add(Box::new(Records::new(R::kind(), rows)));
        inventory
    }

    /// Adds a set of records, merging it with the set of the same kind.
    pub fn add(&mut self, set: Box<dyn RecordSet>) {
        match self.sets.iter_mut().find(|s| s.info().name == set.info().name) {
            Some(existing) => existing.absorb(set),
            None => {
                self.sets.push(set);
                self.sets.sort_by_key(|s| super::ALL.iter().position(|k| k.info().name == s.info().name));
            }
        }
    }

    /// Moves every record of `other` into `self`.
    pub fn extend(&mut self, other: Inventory) {
        for set in other.sets {
            self.add(set);
        }
        self.errors.extend(other.errors);
    }

    /// The set of `kind`, if any was collected.
    pub fn set(&self, kind: &str) -> Option<&dyn RecordSet> {
        self.sets.iter().find(|s| s.info().name == kind).map(|s| s.as_ref())
    }

    /// Every set collected, in registry order.
    pub fn sets(&self) -> impl Iterator<Item = &dyn RecordSet> {
        self.sets.iter().map(|s| s.as_ref())
    }

    /// The records of type `R` (empty when none were collected).
    pub fn of<R: Record>(&self) -> &[R] {
        self.sets
            .iter()
            .find_map(|s| s.as_any().downcast_ref::<Records<R>>())
            .map_or(&[], |records| records.rows.as_slice())
    }

    /// Records per kind.
    pub fn counts(&self) -> BTreeMap<String, i64> {
        self.sets.iter().map(|s| (s.info().name.to_owned(), s.len() as i64)).collect()
    }

    /// Moves out the organisation-level kinds' records and errors (read once
    /// per run, shared by every account's evaluation).
    pub fn take_organisation_level(&mut self) -> Inventory {
        let is_shared = |info: &KindInfo| info.level == Level::Organisation;
        let (shared, own): (Vec<_>, Vec<_>) =
            std::mem::take(&mut self.sets).into_iter().partition(|s| is_shared(s.info()));
        self.sets = own;
        let shared_services: Vec<&str> =
            super::ALL.iter().map(|k| k.info()).filter(|i| is_shared(i)).map(|i| i.service).collect();
        let (errors, own): (Vec<_>, Vec<_>) =
            std::mem::take(&mut self.errors).into_iter().partition(|e| shared_services.contains(&e.service.as_str()));
        self.errors = own;
        Inventory { sets: shared, errors }
    }

    /// Splits into one inventory per account id (records and errors).
    pub fn split_by_account(self) -> BTreeMap<String, Inventory> {
        let mut by_account: BTreeMap<String, Inventory> = BTreeMap::new();
        for set in self.sets {
            for (account, part) in set.split_by_account() {
                by_account.entry(account).or_default().add(part);
            }
        }
        for error in self.errors {
            by_account.entry(error.account_id.clone()).or_default().errors.push(error);
        }
        by_account
    }
}
