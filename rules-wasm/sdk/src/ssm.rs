//! SSM parameter helpers.

use crate::SsmParameter;
use crate::items::{Item, Listed};

/// The resource kind of SSM parameters.
pub const KIND: &str = "ssm-parameter";

impl Listed for SsmParameter {
    const KIND: &'static str = KIND;
    fn list() -> Vec<Self> {
        crate::keyaudit::rules::ssm_parameter::list()
    }
}

/// The account's parameters (every scanned region).
pub fn list() -> Vec<SsmParameter> {
    SsmParameter::list()
}

/// A parameter with its position.
pub type Parameter<'a> = Item<'a, SsmParameter>;

impl SsmParameter {
    pub fn parameter_type(&self) -> &str {
        self.parameter_type.as_deref().unwrap_or_default()
    }

    pub fn is_secure_string(&self) -> bool {
        self.parameter_type() == "SecureString"
    }

    /// A SecureString encrypted with a key the customer chose (not `alias/aws/ssm`).
    pub fn uses_customer_key(&self) -> bool {
        self.key_id.as_deref().is_some_and(|k| !k.is_empty() && !k.ends_with("alias/aws/ssm"))
    }
}
