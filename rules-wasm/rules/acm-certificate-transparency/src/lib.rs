//! acm-certificate-transparency: Amazon-issued certificates are logged to Certificate Transparency.

use keyaudit_rule_sdk::frameworks::*;
use keyaudit_rule_sdk::*;

struct Transparency;

impl Guest for Transparency {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "acm-certificate-transparency".into(),
            title: "ACM certificates are logged to Certificate Transparency".into(),
            description: "Amazon-issued certificates have not opted out of Certificate Transparency logging, so \
                          a certificate issued for the domain by mistake or by an attacker can be noticed."
                .into(),
            severity: Severity::Medium,
            reads: vec![reads(acm::KIND, &[])],
            parameters: vec![],
            frameworks: vec![maps_to(PROWLER, "acm_certificates_transparency_logs_enabled")],
            remediation: "aws acm update-certificate-options --certificate-arn <arn> \
                          --options CertificateTransparencyLoggingPreference=ENABLED"
                .into(),
            references: vec![
                "https://docs.aws.amazon.com/acm/latest/userguide/acm-concepts.html#concept-transparency".into(),
            ],
        }
    }

    fn evaluate(_scope: AccountScope) -> Result<Vec<Finding>, String> {
        let certificates = acm::list();
        Ok(items(&certificates)
            .filter(|c| c.is_amazon_issued())
            .map(|c| {
                // ACM omits the option for certificates that never opted out.
                let preference = c.transparency_logging.as_deref().unwrap_or("ENABLED");
                let evidence = vec![("transparency_logging", preference.to_owned())];
                if preference == "DISABLED" {
                    c.fail("Certificate Transparency logging is turned off", evidence)
                } else {
                    c.pass("logged to Certificate Transparency", evidence)
                }
            })
            .collect())
    }
}

export_rule!(Transparency);
