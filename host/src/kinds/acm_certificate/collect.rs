//! ACM collector. `ListCertificates` names every key type: without a
//! `keyTypes` filter ACM lists only RSA-2048 certificates.

use std::collections::BTreeMap;

use aws_sdk_acm::Client;
use aws_sdk_acm::types::{CertificateDetail, Filters, KeyAlgorithm};

use super::{AcmCertificate, INFO, acm_api};
use crate::aws::{AwsError, AwsResultExt, millis};
use crate::collect::{Page, RegionContext};
use crate::inventory::{CollectionError, now_millis};
use crate::kinds::{CollectFuture, Collected, Want};

const SERVICE: &str = INFO.service;
/// The most certificates `ListCertificates` returns per page.
const PAGE_LIMIT: i32 = 1000;

pub fn collect<'a>(ctx: &'a RegionContext, want: &'a Want) -> CollectFuture<'a, AcmCertificate> {
    Box::pin(collect_certificates(ctx, want))
}

#[tracing::instrument(skip_all, fields(account = %ctx.scope.account_id, region = %ctx.scope.region, service = "acm"))]
async fn collect_certificates(ctx: &RegionContext, want: &Want) -> Collected<AcmCertificate> {
    let client = Client::new(&ctx.sdk);
    let mut collected = Collected::default();
    // Every key algorithm the SDK knows, so no certificate is left out.
    let key_types: Vec<KeyAlgorithm> = KeyAlgorithm::values().iter().map(|v| KeyAlgorithm::from(*v)).collect();
    let filters = Filters::builder().set_key_types(Some(key_types)).build();
    let (arns, error) = ctx
        .paginate(|token| {
            let request =
                client.list_certificates().includes(filters.clone()).max_items(PAGE_LIMIT).set_next_token(token);
            async move {
                let out = request.send().await.aws()?;
                let items =
                    out.certificate_summary_list().iter().filter_map(|c| c.certificate_arn().map(str::to_owned)).collect();
                Ok(Page { items, next: out.next_token().map(str::to_owned) })
            }
        })
        .await;
    if let Some(err) = error {
        collected.errors.push(ctx.error(SERVICE, acm_api::LIST_CERTIFICATES, None, err));
    }
    collected.gather(ctx, arns, |arn| collect_certificate(ctx, &client, want, arn)).await;
    collected
}

async fn collect_certificate(
    ctx: &RegionContext,
    client: &Client,
    want: &Want,
    arn: String,
) -> (AcmCertificate, Vec<CollectionError>) {
    let mut errors = Vec::new();
    let mut unread = Vec::new();
    let described = ctx.call(|| async { client.describe_certificate().certificate_arn(&arn).send().await.aws() }).await;
    let detail = match described.map(|out| out.certificate) {
        Ok(Some(detail)) => Some(detail),
        Ok(None) => {
            let err = AwsError::new("InvalidResponse", "DescribeCertificate answered without a Certificate");
            errors.push(ctx.error(SERVICE, acm_api::DESCRIBE_CERTIFICATE, Some(&arn), err));
            unread.push(acm_api::DESCRIBE_CERTIFICATE.to_owned());
            None
        }
        Err(err) => {
            errors.push(ctx.error(SERVICE, acm_api::DESCRIBE_CERTIFICATE, Some(&arn), err));
            unread.push(acm_api::DESCRIBE_CERTIFICATE.to_owned());
            None
        }
    };
    let tags = if want.wants("tags") {
        match ctx.call(|| async { client.list_tags_for_certificate().certificate_arn(&arn).send().await.aws() }).await {
            Ok(out) => Some(
                out.tags()
                    .iter()
                    .map(|t| (t.key().to_owned(), t.value().unwrap_or_default().to_owned()))
                    .collect::<BTreeMap<_, _>>(),
            ),
            Err(err) => {
                errors.push(ctx.error(SERVICE, acm_api::LIST_TAGS_FOR_CERTIFICATE, Some(&arn), err));
                unread.push(acm_api::LIST_TAGS_FOR_CERTIFICATE.to_owned());
                None
            }
        }
    } else {
        None
    };
    (record(ctx, arn, detail.as_ref(), tags, unread), errors)
}

// `certificate_transparency_logging_preference` is deprecated because new
// certificates can no longer opt out, but certificates that did still say so.
#[allow(deprecated)]
fn record(
    ctx: &RegionContext,
    arn: String,
    detail: Option<&CertificateDetail>,
    tags: Option<BTreeMap<String, String>>,
    unread: Vec<String>,
) -> AcmCertificate {
    let scope = &ctx.scope;
    let text = |v: Option<&str>| v.map(str::to_owned);
    AcmCertificate {
        run_id: scope.run_id.clone(),
        account_id: scope.account_id.clone(),
        account_name: scope.account_name.clone(),
        ou_path: scope.ou_path.clone(),
        org_id: scope.org_id.clone(),
        region: scope.region.clone(),
        certificate_arn: arn,
        domain_name: text(detail.and_then(|d| d.domain_name())),
        subject_alternative_names: detail.map(|d| d.subject_alternative_names().to_vec()),
        status: text(detail.and_then(|d| d.status()).map(|v| v.as_str())),
        certificate_type: text(detail.and_then(|d| d.r#type()).map(|v| v.as_str())),
        issuer: text(detail.and_then(|d| d.issuer())),
        serial: text(detail.and_then(|d| d.serial())),
        not_before: detail.and_then(|d| d.not_before()).and_then(millis),
        not_after: detail.and_then(|d| d.not_after()).and_then(millis),
        key_algorithm: text(detail.and_then(|d| d.key_algorithm()).map(|v| v.as_str())),
        signature_algorithm: text(detail.and_then(|d| d.signature_algorithm())),
        in_use_by: detail.map(|d| d.in_use_by().to_vec()),
        renewal_eligibility: text(detail.and_then(|d| d.renewal_eligibility()).map(|v| v.as_str())),
        renewal_status: text(detail.and_then(|d| d.renewal_summary()).map(|r| r.renewal_status().as_str())),
        renewal_status_reason: text(
            detail.and_then(|d| d.renewal_summary()).and_then(|r| r.renewal_status_reason()).map(|v| v.as_str()),
        ),
        transparency_logging: text(
            detail
                .and_then(|d| d.options())
                .and_then(|o| o.certificate_transparency_logging_preference())
                .map(|v| v.as_str()),
        ),
        validation_methods: detail.map(|d| {
            d.domain_validation_options()
                .iter()
                .filter_map(|v| v.validation_method().map(|m| m.as_str().to_owned()))
                .collect()
        }),
        failure_reason: text(detail.and_then(|d| d.failure_reason()).map(|v| v.as_str())),
        created_at: detail.and_then(|d| d.created_at()).and_then(millis),
        imported_at: detail.and_then(|d| d.imported_at()).and_then(millis),
        issued_at: detail.and_then(|d| d.issued_at()).and_then(millis),
        tags,
        unread,
        collected_at: now_millis(),
    }
}
