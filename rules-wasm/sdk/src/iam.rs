//! IAM helpers: server certificates and the KMS statements of policies.

use crate::items::{Item, Listed};
use crate::policy::wildcard_match;
use crate::{IamPolicy, IamServerCertificate, KmsStatement};

/// The resource kind of IAM server certificates.
pub const SERVER_CERTIFICATE_KIND: &str = "iam-server-certificate";
/// The optional field group of a server certificate: its validity, key and
/// signature algorithm, read from the certificate body.
pub mod server_certificate_group {
    pub const BODY: &str = "body";
}

/// The resource kind of IAM policies.
pub const POLICY_KIND: &str = "iam-policy";

impl Listed for IamServerCertificate {
    const KIND: &'static str = SERVER_CERTIFICATE_KIND;
    fn list() -> Vec<Self> {
        crate::keyaudit::rules::iam_server_certificate::list()
    }
}

impl Listed for IamPolicy {
    const KIND: &'static str = POLICY_KIND;
    fn list() -> Vec<Self> {
        crate::keyaudit::rules::iam_policy::list()
    }
}

/// The account's IAM server certificates.
pub fn server_certificates() -> Vec<IamServerCertificate> {
    IamServerCertificate::list()
}

/// The account's customer-managed and inline policies.
pub fn policies() -> Vec<IamPolicy> {
    IamPolicy::list()
}

/// A policy with its position.
pub type Policy<'a> = Item<'a, IamPolicy>;

impl KmsStatement {
    pub fn is_allow(&self) -> bool {
        self.effect.eq_ignore_ascii_case("Allow")
    }

    /// Whether the statement's actions cover `action` (such as `kms:Decrypt`),
    /// with IAM's case-insensitive wildcards; `NotAction` covers what it does not name.
    pub fn covers_action(&self, action: &str) -> bool {
        let named = self.actions.iter().any(|a| wildcard_match(&a.to_ascii_lowercase(), &action.to_ascii_lowercase()));
        named != self.not_action
    }

    /// Whether the statement applies to every key: `Resource: "*"` (or
    /// `arn:…:kms:*:*:key/*`-style wildcards), or any `NotResource`.
    pub fn on_all_keys(&self) -> bool {
        self.not_resource
            || self.resources.iter().any(|r| {
                r == "*" || wildcard_match(&r.to_ascii_lowercase(), "arn:aws:kms:any-region:any-account:key/any-key")
            })
    }

    /// Whether the statement has a Condition block.
    pub fn is_conditional(&self) -> bool {
        self.condition.is_some()
    }
}
