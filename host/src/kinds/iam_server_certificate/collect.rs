//! IAM server-certificate collector: `ListServerCertificates`, then
//! `GetServerCertificate` per certificate for its body.

use aws_sdk_iam::Client;
use aws_sdk_iam::types::ServerCertificateMetadata;
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::public_key::PublicKey;

use super::{INFO, IamServerCertificate, iam_api};
use crate::aws::{AwsError, AwsResultExt, millis};
use crate::collect::{Page, RegionContext};
use crate::inventory::{CollectionError, now_millis};
use crate::kinds::{CollectFuture, Collected, Want};

const SERVICE: &str = INFO.service;
/// The most certificates `ListServerCertificates` returns per page.
const PAGE_LIMIT: i32 = 1000;

pub fn collect<'a>(ctx: &'a RegionContext, want: &'a Want) -> CollectFuture<'a, IamServerCertificate> {
    Box::pin(collect_certificates(ctx, want.wants("body")))
}

#[tracing::instrument(skip_all, fields(account = %ctx.scope.account_id, service = "iam"))]
async fn collect_certificates(ctx: &RegionContext, body: bool) -> Collected<IamServerCertificate> {
    let client = Client::new(&ctx.sdk);
    let mut collected = Collected::default();
    let (listed, error) = ctx
        .paginate(|marker| {
            let request = client.list_server_certificates().max_items(PAGE_LIMIT).set_marker(marker);
            async move {
                let out = request.send().await.aws()?;
                let items = out.server_certificate_metadata_list().to_vec();
                Ok(Page { items, next: out.marker().filter(|_| out.is_truncated()).map(str::to_owned) })
            }
        })
        .await;
    if let Some(err) = error {
        collected.errors.push(ctx.error(SERVICE, iam_api::LIST_SERVER_CERTIFICATES, None, err));
    }
    if !body {
        collected.records = listed.iter().map(|meta| record(ctx, meta)).collect();
        return collected;
    }
    collected.gather(ctx, listed, |meta| collect_certificate(ctx, &client, meta)).await;
    collected
}

async fn collect_certificate(
    ctx: &RegionContext,
    client: &Client,
    meta: ServerCertificateMetadata,
) -> (IamServerCertificate, Option<CollectionError>) {
    let mut record = record(ctx, &meta);
    let name = meta.server_certificate_name().to_owned();
    let body = ctx
        .call(|| async { client.get_server_certificate().server_certificate_name(&name).send().await.aws() })
        .await
        .and_then(|out| {
            out.server_certificate.map(|c| c.certificate_body).ok_or_else(|| {
                AwsError::new("InvalidResponse", "GetServerCertificate answered without a ServerCertificate")
            })
        });
    let read = body.and_then(|body| {
        read_body(&body, &mut record)
            .map_err(|problem| AwsError::new("InvalidCertificateBody", format!("the certificate body {problem}")))
    });
    match read {
        Ok(()) => (record, None),
        Err(err) => {
            record.unread.push(iam_api::GET_SERVER_CERTIFICATE.to_owned());
            let arn = record.arn.clone();
            (record, Some(ctx.error(SERVICE, iam_api::GET_SERVER_CERTIFICATE, Some(&arn), err)))
        }
    }
}

/// Fills the fields read from a PEM certificate body.
fn read_body(body: &str, record: &mut IamServerCertificate) -> Result<(), String> {
    let (_, pem) = x509_parser::pem::parse_x509_pem(body.trim().as_bytes()).map_err(|e| format!("is not PEM: {e}"))?;
    let (_, cert) = X509Certificate::from_der(&pem.contents).map_err(|e| format!("is not an X.509 certificate: {e}"))?;
    let validity = cert.validity();
    record.not_before = validity.not_before.timestamp().checked_mul(1000);
    record.not_after = validity.not_after.timestamp().checked_mul(1000);
    let registry = x509_parser::objects::oid_registry();
    let spki = cert.public_key();
    let parsed = spki.parsed().ok();
    record.key_algorithm = Some(match &parsed {
        Some(PublicKey::RSA(_)) => "RSA".to_owned(),
        Some(PublicKey::EC(_)) => "EC".to_owned(),
        Some(PublicKey::DSA(_)) => "DSA".to_owned(),
        _ => x509_parser::objects::oid2sn(&spki.algorithm.algorithm, registry)
            .map_or_else(|_| spki.algorithm.algorithm.to_id_string(), str::to_owned),
    });
    record.key_size = parsed.map(|k| k.key_size()).filter(|&bits| bits > 0).and_then(|bits| i32::try_from(bits).ok());
    let signature = &cert.signature_algorithm.algorithm;
    record.signature_algorithm =
        Some(x509_parser::objects::oid2sn(signature, registry).map_or_else(|_| signature.to_id_string(), str::to_owned));
    record.subject = Some(cert.subject().to_string());
    record.issuer = Some(cert.issuer().to_string());
    Ok(())
}

fn record(ctx: &RegionContext, meta: &ServerCertificateMetadata) -> IamServerCertificate {
    let scope = &ctx.scope;
    IamServerCertificate {
        run_id: scope.run_id.clone(),
        account_id: scope.account_id.clone(),
        account_name: scope.account_name.clone(),
        ou_path: scope.ou_path.clone(),
        org_id: scope.org_id.clone(),
        region: scope.region.clone(),
        arn: meta.arn().to_owned(),
        name: meta.server_certificate_name().to_owned(),
        server_certificate_id: meta.server_certificate_id().to_owned(),
        path: meta.path().to_owned(),
        upload_date: meta.upload_date().and_then(millis),
        not_before: None,
        not_after: None,
        key_algorithm: None,
        key_size: None,
        signature_algorithm: None,
        subject: None,
        issuer: None,
        unread: Vec::new(),
        collected_at: now_millis(),
    }
}
