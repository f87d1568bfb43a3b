//! ACM certificates: status, type, issuer, validity, key and signature
//! algorithms, where they are used, renewal, Certificate Transparency
//! logging, validation and tags, per account and region. Never the
//! certificate's private key.

mod collect;
pub(crate) mod rules;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::KindDef;
use crate::inventory::{Api, KindInfo, Level};
use crate::output::Tabular;

/// The APIs this kind calls.
pub mod acm_api {
    pub const LIST_CERTIFICATES: &str = "acm:ListCertificates";
    pub const DESCRIBE_CERTIFICATE: &str = "acm:DescribeCertificate";
    pub const LIST_TAGS_FOR_CERTIFICATE: &str = "acm:ListTagsForCertificate";
}

/// The kind's name in rule metadata and findings.
pub const KIND_NAME: &str = "acm-certificate";

pub static INFO: KindInfo = KindInfo {
    name: KIND_NAME,
    service: "acm",
    aws_service: "acm",
    table: "acm_certificates",
    aws_type: "AWS::CertificateManager::Certificate",
    title: "ACM certificates",
    level: Level::Region,
    listing: &[acm_api::LIST_CERTIFICATES],
    apis: &[
        Api { name: acm_api::LIST_CERTIFICATES, group: None },
        Api { name: acm_api::DESCRIBE_CERTIFICATE, group: None },
        Api { name: acm_api::LIST_TAGS_FOR_CERTIFICATE, group: Some("tags") },
    ],
    field_groups: &["details", "tags"],
    on_demand_groups: &[],
};

/// The registry's entry.
pub static KIND: KindDef<AcmCertificate> = KindDef { info: &INFO, collect: collect::collect };

/// One ACM certificate. The fields from `domain_name` to `issued_at` are
/// null when `DescribeCertificate` failed; `tags` when `ListTagsForCertificate` did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AcmCertificate {
    pub run_id: String,
    pub account_id: String,
    pub account_name: String,
    pub ou_path: String,
    pub org_id: String,
    pub region: String,
    pub certificate_arn: String,
    pub domain_name: Option<String>,
    pub subject_alternative_names: Option<Vec<String>>,
    /// `ISSUED`, `PENDING_VALIDATION`, `EXPIRED`, `FAILED`, `VALIDATION_TIMED_OUT`, `REVOKED`, `INACTIVE`.
    pub status: Option<String>,
    /// `AMAZON_ISSUED`, `IMPORTED` or `PRIVATE`.
    pub certificate_type: Option<String>,
    pub issuer: Option<String>,
    pub serial: Option<String>,
    pub not_before: Option<i64>,
    pub not_after: Option<i64>,
    /// `RSA_2048`, `EC_prime256v1`, …
    pub key_algorithm: Option<String>,
    pub signature_algorithm: Option<String>,
    pub in_use_by: Option<Vec<String>>,
    /// `ELIGIBLE` or `INELIGIBLE`.
    pub renewal_eligibility: Option<String>,
    /// Managed renewal's status; null when there has been none (or not described).
    pub renewal_status: Option<String>,
    pub renewal_status_reason: Option<String>,
    /// `ENABLED` or `DISABLED`.
    pub transparency_logging: Option<String>,
    /// Each domain's validation method (`DNS`, `EMAIL`, `HTTP`).
    pub validation_methods: Option<Vec<String>>,
    pub failure_reason: Option<String>,
    pub created_at: Option<i64>,
    pub imported_at: Option<i64>,
    pub issued_at: Option<i64>,
    pub tags: Option<BTreeMap<String, String>>,
    /// The APIs whose fields could not be read for this certificate.
    pub unread: Vec<String>,
    pub collected_at: i64,
}

impl Tabular for AcmCertificate {
    const TIMESTAMPS: &'static [&'static str] =
        &["not_before", "not_after", "created_at", "imported_at", "issued_at", "collected_at"];
}

super::record!(AcmCertificate, INFO, id: certificate_arn);
