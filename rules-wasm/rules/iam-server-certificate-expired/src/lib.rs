//! iam-server-certificate-expired: no expired IAM server certificates.

use keyaudit_rule_sdk::frameworks::*;
use keyaudit_rule_sdk::time::{days_between, iso_date};
use keyaudit_rule_sdk::*;

struct Expired;

impl Guest for Expired {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "iam-server-certificate-expired".into(),
            title: "No expired IAM server certificates".into(),
            description: "IAM server certificates are not past NotAfter, read from the certificate itself.".into(),
            severity: Severity::Medium,
            reads: vec![reads(iam::SERVER_CERTIFICATE_KIND, &[iam::server_certificate_group::BODY])],
            parameters: vec![],
            frameworks: vec![maps_to(CIS, "1.19 (v1.4-v3)"), maps_to(SECURITY_HUB, "IAM.26")],
            remediation: "aws iam delete-server-certificate --server-certificate-name <name> (after moving its \
                          users to a valid certificate, preferably in ACM)."
                .into(),
            references: vec![
                "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_server-certs.html".into(),
            ],
        }
    }

    fn evaluate(scope: AccountScope) -> Result<Vec<Finding>, String> {
        let certificates = iam::server_certificates();
        Ok(items(&certificates)
            .map(|c| {
                let Some(not_after) = c.not_after else {
                    return c.error("the certificate's NotAfter date is unknown");
                };
                let days = days_between(scope.evaluated_at, not_after);
                let evidence = vec![("not_after", iso_date(not_after))];
                if days < 0 {
                    c.fail(format!("expired on {}", iso_date(not_after)), evidence)
                } else {
                    c.pass(format!("valid until {}", iso_date(not_after)), evidence)
                }
            })
            .collect())
    }
}

export_rule!(Expired);
