//! CloudFormation helpers (kind "cloudformation-stack", contract 0.3.1).

use crate::items::{Item, Listed};
use crate::{CloudformationStack, KmsKey};

/// The resource kind of stacks.
pub const KIND: &str = "cloudformation-stack";

/// The optional field groups of a stack.
pub mod group {
    /// `ListStackResources`: `kms_key_ids`.
    pub const RESOURCES: &str = "resources";
}

impl Listed for CloudformationStack {
    const KIND: &'static str = KIND;
    fn list() -> Vec<Self> {
        crate::keyaudit::rules::cloudformation_stack::list()
    }
}

/// The account's stacks (every scanned region).
pub fn list() -> Vec<CloudformationStack> {
    CloudformationStack::list()
}

/// A stack with its position.
pub type StackItem<'a> = Item<'a, CloudformationStack>;

/// How a stack's last operation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Health {
    /// `CREATE_COMPLETE`, `UPDATE_COMPLETE`, `IMPORT_COMPLETE`.
    Succeeded,
    /// Failed, or rolled back (`*_FAILED`, `*ROLLBACK_COMPLETE`).
    Failed,
    /// An operation is under way (`*_IN_PROGRESS`).
    InProgress,
}

impl CloudformationStack {
    /// How its last operation ended; `None` when the status is unknown or
    /// one this SDK does not know.
    pub fn health(&self) -> Option<Health> {
        let status = self.status.as_deref()?;
        if matches!(status, "CREATE_COMPLETE" | "UPDATE_COMPLETE" | "IMPORT_COMPLETE") {
            Some(Health::Succeeded)
        } else if status.ends_with("_FAILED") || status.ends_with("ROLLBACK_COMPLETE") {
            Some(Health::Failed)
        } else if status.ends_with("_IN_PROGRESS") {
            Some(Health::InProgress)
        } else {
            None
        }
    }
}

/// The stack among `stacks` (from [`list`]) that manages `key`, from the
/// stacks' `resources` group (the key needs the `arn` group): `Ok(None)`
/// when none of its region does, `Err` naming a stack of its region whose
/// resources are unknown (it might be the one).
pub fn managing_stack<'a>(key: &KmsKey, stacks: &'a [CloudformationStack]) -> Result<Option<&'a str>, String> {
    let (key_id, region) = (key.key_id(), key.region());
    let mut unknown = None;
    for stack in stacks.iter().filter(|s| s.region == region) {
        match &stack.kms_key_ids {
            // A template's physical id of a key is its id (an ARN also matches).
            Some(ids) if ids.iter().any(|id| id == key_id || id.rsplit('/').next() == Some(key_id)) => {
                return Ok(Some(&stack.name));
            }
            Some(_) => {}
            None => unknown = Some(stack.name.as_str()),
        }
    }
    match unknown {
        Some(name) => Err(format!("the resources of stack {name} could not be read")),
        None => Ok(None),
    }
}
