//! acm-certificate-renewal: certificates ACM cannot renew are reported.

use keyaudit_rule_sdk::frameworks::*;
use keyaudit_rule_sdk::*;

struct Renewal;

impl Guest for Renewal {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "acm-certificate-renewal".into(),
            title: "ACM certificates renew automatically".into(),
            description: "Amazon-issued and private certificates that ACM can renew pass; imported certificates \
                          and those not eligible for managed renewal are reported (INFO): someone must renew \
                          them by hand."
                .into(),
            severity: Severity::Low,
            reads: vec![reads(acm::KIND, &[])],
            parameters: vec![],
            frameworks: vec![maps_to(FEDRAMP, "KSI-SVC-06"), maps_to(WELL_ARCHITECTED, "SEC08-BP01")],
            remediation: "Replace imported certificates with ACM-issued ones where possible; otherwise track \
                          their expiry and import renewals before NotAfter."
                .into(),
            references: vec!["https://docs.aws.amazon.com/acm/latest/userguide/managed-renewal.html".into()],
        }
    }

    fn evaluate(_scope: AccountScope) -> Result<Vec<Finding>, String> {
        let certificates = acm::list();
        Ok(items(&certificates)
            .filter(|c| c.is_described())
            .map(|c| {
                let eligibility = c.renewal_eligibility.clone().unwrap_or_default();
                let evidence = vec![
                    ("certificate_type", c.certificate_type().to_owned()),
                    ("renewal_eligibility", eligibility.clone()),
                ];
                if c.is_imported() {
                    c.info("imported: ACM cannot renew it", evidence)
                } else if eligibility == "INELIGIBLE" {
                    c.info("not eligible for managed renewal", evidence)
                } else {
                    c.pass("ACM renews it", evidence)
                }
            })
            .collect())
    }
}

export_rule!(Renewal);
