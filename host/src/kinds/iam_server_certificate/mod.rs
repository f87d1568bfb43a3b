//! IAM server certificates, once per account. Validity, key and signature
//! algorithm come from the certificate body (the listing's `Expiration` is
//! not trusted), read with `x509-parser`.

mod collect;
pub(crate) mod rules;

use serde::{Deserialize, Serialize};

use super::KindDef;
use crate::inventory::{Api, KindInfo, Level};
use crate::output::Tabular;

/// The APIs this kind calls.
pub mod iam_api {
    pub const LIST_SERVER_CERTIFICATES: &str = "iam:ListServerCertificates";
    pub const GET_SERVER_CERTIFICATE: &str = "iam:GetServerCertificate";
}

/// The kind's name in rule metadata and findings.
pub const KIND_NAME: &str = "iam-server-certificate";

pub static INFO: KindInfo = KindInfo {
    name: KIND_NAME,
    service: "iam-server-certificates",
    aws_service: "iam",
    table: "iam_server_certificates",
    aws_type: "AWS::IAM::ServerCertificate",
    title: "IAM server certificates",
    level: Level::Account,
    listing: &[iam_api::LIST_SERVER_CERTIFICATES],
    apis: &[
        Api { name: iam_api::LIST_SERVER_CERTIFICATES, group: None },
        Api { name: iam_api::GET_SERVER_CERTIFICATE, group: Some("body") },
    ],
    field_groups: &["body"],
    on_demand_groups: &[],
};

/// The registry's entry.
pub static KIND: KindDef<IamServerCertificate> = KindDef { info: &INFO, collect: collect::collect };

/// One IAM server certificate. The fields from `not_before` on are null when
/// `GetServerCertificate` failed or its body could not be parsed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IamServerCertificate {
    pub run_id: String,
    pub account_id: String,
    pub account_name: String,
    pub ou_path: String,
    pub org_id: String,
    /// Always `global`.
    pub region: String,
    pub arn: String,
    pub name: String,
    pub server_certificate_id: String,
    pub path: String,
    pub upload_date: Option<i64>,
    /// From the certificate body.
    pub not_before: Option<i64>,
    /// From the certificate body.
    pub not_after: Option<i64>,
    /// `RSA`, `EC`, `DSA`, or the key's algorithm name.
    pub key_algorithm: Option<String>,
    /// In bits.
    pub key_size: Option<i32>,
    /// Such as `sha256WithRSAEncryption`.
    pub signature_algorithm: Option<String>,
    pub subject: Option<String>,
    pub issuer: Option<String>,
    pub unread: Vec<String>,
    pub collected_at: i64,
}

impl Tabular for IamServerCertificate {
    const TIMESTAMPS: &'static [&'static str] = &["upload_date", "not_before", "not_after", "collected_at"];
}

super::record!(IamServerCertificate, INFO, id: arn);
