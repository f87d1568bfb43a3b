//! Secrets Manager helpers: the same dates, tags and policy helpers as keys.

use crate::Secret;
use crate::items::{Item, Listed};
use crate::policy::{self, Statement};

/// The resource kind of secrets.
pub const KIND: &str = "secret";

/// The optional field groups of a secret.
pub mod group {
    pub const RESOURCE_POLICY: &str = "resource-policy";
    pub const REPLICATION: &str = "replication";
}

impl Listed for Secret {
    const KIND: &'static str = KIND;
    fn list() -> Vec<Self> {
        crate::keyaudit::rules::secret::list()
    }
}

/// The account's secrets (every scanned region).
pub fn list() -> Vec<Secret> {
    Secret::list()
}

/// A secret with its position.
pub type SecretItem<'a> = Item<'a, Secret>;

impl Secret {
    /// Encrypted with a key the customer chose (not `aws/secretsmanager`).
    pub fn uses_customer_key(&self) -> bool {
        self.kms_key_id.as_deref().is_some_and(|k| !k.is_empty() && !k.ends_with("alias/aws/secretsmanager"))
    }

    /// The resource policy's statements (none without a policy); an error
    /// when it is not valid JSON. Needs the `resource-policy` group.
    pub fn policy_statements(&self) -> Result<Vec<Statement>, String> {
        match self.resource_policy.as_deref() {
            None => Ok(Vec::new()),
            Some(text) => policy::parse(text),
        }
    }

    /// The value of tag `name`, compared case-insensitively.
    pub fn tag(&self, name: &str) -> Option<&str> {
        crate::items::tag(&self.tags, name)
    }
}
