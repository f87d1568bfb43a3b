//! iam-server-certificate-legacy: IAM server certificates are reported for migration to ACM.

use keyaudit_rule_sdk::frameworks::*;
use keyaudit_rule_sdk::time::iso_date;
use keyaudit_rule_sdk::*;

struct Legacy;

impl Guest for Legacy {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "iam-server-certificate-legacy".into(),
            title: "IAM server certificates are migrated to ACM".into(),
            description: "Each IAM server certificate is reported (INFO): ACM renews and deploys certificates, \
                          IAM does not."
                .into(),
            severity: Severity::Informational,
            reads: vec![reads(iam::SERVER_CERTIFICATE_KIND, &[])],
            parameters: vec![],
            frameworks: vec![maps_to(FEDRAMP, "KSI-SVC-06")],
            remediation: "Import or request the certificate in ACM, switch its load balancers or CloudFront \
                          distributions to it, then delete the IAM copy."
                .into(),
            references: vec!["https://docs.aws.amazon.com/acm/latest/userguide/import-certificate.html".into()],
        }
    }

    fn evaluate(_scope: AccountScope) -> Result<Vec<Finding>, String> {
        let certificates = iam::server_certificates();
        Ok(items(&certificates)
            .map(|c| {
                let evidence =
                    vec![("name", c.name.clone()), ("not_after", c.not_after.map(iso_date).unwrap_or_default())];
                c.info("a server certificate kept in IAM; migrate it to ACM", evidence)
            })
            .collect())
    }
}

export_rule!(Legacy);
