//! acm-certificate-status: no certificate stuck in validation or failed.

use keyaudit_rule_sdk::frameworks::*;
use keyaudit_rule_sdk::time::{days_between, iso_date};
use keyaudit_rule_sdk::*;

struct CertificateStatus;

impl Guest for CertificateStatus {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "acm-certificate-status".into(),
            title: "ACM certificates are not stuck in validation or failed".into(),
            description: "No certificate has been PENDING_VALIDATION for more than max_pending_days days, and none \
                          is FAILED or VALIDATION_TIMED_OUT."
                .into(),
            severity: Severity::Medium,
            reads: vec![reads(acm::KIND, &[])],
            parameters: vec![parameter(
                "max_pending_days",
                "Most days a certificate may wait for validation",
                ParamValue::Integer(3),
            )],
            frameworks: vec![maps_to(FEDRAMP, "KSI-SVC-06")],
            remediation: "Complete the DNS or email validation, or delete the request \
                          (aws acm delete-certificate) and request again."
                .into(),
            references: vec!["https://docs.aws.amazon.com/acm/latest/userguide/troubleshooting-validation.html".into()],
        }
    }

    fn evaluate(scope: AccountScope) -> Result<Vec<Finding>, String> {
        let certificates = acm::list();
        let max_days = scope.integer("max_pending_days")?;
        Ok(items(&certificates)
            .filter(|c| c.is_described())
            .map(|c| {
                let status = c.status().to_owned();
                let evidence = vec![("status", status.clone())];
                match status.as_str() {
                    "FAILED" | "VALIDATION_TIMED_OUT" => c.fail(format!("the certificate is {status}"), evidence),
                    "PENDING_VALIDATION" => {
                        let Some(created) = c.created_at else {
                            return c.error("the request date of a pending certificate is unknown");
                        };
                        let days = days_between(created, scope.evaluated_at);
                        let evidence = vec![("status", status), ("requested", iso_date(created))];
                        if days > max_days {
                            c.fail(format!("pending validation for {days} days, more than {max_days}"), evidence)
                        } else {
                            c.pass(format!("pending validation for {days} days"), evidence)
                        }
                    }
                    _ => c.pass(format!("the certificate is {status}"), evidence),
                }
            })
            .collect())
    }
}

export_rule!(CertificateStatus);
