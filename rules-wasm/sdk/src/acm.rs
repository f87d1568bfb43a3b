//! ACM certificate helpers.

use crate::items::{Item, Listed};
use crate::time::days_between;
use crate::{AcmCertificate, Unknown};

/// The resource kind of ACM certificates.
pub const KIND: &str = "acm-certificate";

/// The optional field groups of a certificate.
pub mod group {
    /// Domain name, issuer, signature algorithm, in-use-by, renewal status, validation methods.
    pub const DETAILS: &str = "details";
    pub const TAGS: &str = "tags";
}

impl Listed for AcmCertificate {
    const KIND: &'static str = KIND;
    fn list() -> Vec<Self> {
        crate::keyaudit::rules::acm_certificate::list()
    }
}

/// The account's certificates (every scanned region), each with its position.
pub fn list() -> Vec<AcmCertificate> {
    AcmCertificate::list()
}

/// A certificate with its position.
pub type Certificate<'a> = Item<'a, AcmCertificate>;

impl AcmCertificate {
    /// Whether `DescribeCertificate` was read (status and the rest are known).
    pub fn is_described(&self) -> bool {
        self.status.is_some()
    }

    pub fn status(&self) -> &str {
        self.status.as_deref().unwrap_or_default()
    }

    /// `AMAZON_ISSUED`, `IMPORTED` or `PRIVATE`.
    pub fn certificate_type(&self) -> &str {
        self.certificate_type.as_deref().unwrap_or_default()
    }

    pub fn is_imported(&self) -> bool {
        self.certificate_type() == "IMPORTED"
    }

    pub fn is_amazon_issued(&self) -> bool {
        self.certificate_type() == "AMAZON_ISSUED"
    }

    /// Whole days from `now` to NotAfter (negative once expired).
    pub fn days_to_expiry(&self, now: i64) -> Option<i64> {
        self.not_after.map(|not_after| days_between(now, not_after))
    }

    /// The tags, or [`Unknown`] when they could not be read (or were not read).
    pub fn tags(&self) -> Result<&[(String, String)], Unknown> {
        self.tags.as_deref().ok_or(Unknown("tags"))
    }
}
