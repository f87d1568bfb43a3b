//! acm-certificate-expiry: certificates are valid for more than `min_days_left` days.

use keyaudit_rule_sdk::frameworks::*;
use keyaudit_rule_sdk::time::iso_date;
use keyaudit_rule_sdk::*;

struct Expiry;

impl Guest for Expiry {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "acm-certificate-expiry".into(),
            title: "ACM certificates are not about to expire".into(),
            description: "Every issued or expired ACM certificate (Amazon-issued, imported or private) is valid \
                          for more than min_days_left days; an expired one fails."
                .into(),
            severity: Severity::High,
            reads: vec![reads(acm::KIND, &[])],
            parameters: vec![parameter(
                "min_days_left",
                "Fewest days a certificate may have left before NotAfter",
                ParamValue::Integer(30),
            )],
            frameworks: vec![maps_to(SECURITY_HUB, "ACM.1"), maps_to(FEDRAMP, "KSI-SVC-06")],
            remediation: "Renew the certificate (for an imported one, import its renewal with \
                          aws acm import-certificate --certificate-arn …), or delete it if unused."
                .into(),
            references: vec!["https://docs.aws.amazon.com/acm/latest/userguide/managed-renewal.html".into()],
        }
    }

    fn evaluate(scope: AccountScope) -> Result<Vec<Finding>, String> {
        let certificates = acm::list();
        let min_days = scope.integer("min_days_left")?;
        Ok(items(&certificates)
            .filter(|c| matches!(c.status(), "ISSUED" | "EXPIRED"))
            .map(|c| {
                let Some(days) = c.days_to_expiry(scope.evaluated_at) else {
                    return c.error("the certificate's NotAfter date is unknown");
                };
                let evidence =
                    vec![("not_after", c.not_after.map(iso_date).unwrap_or_default()), ("days_left", days.to_string())];
                if days < 0 {
                    c.fail(format!("expired {} days ago", -days), evidence)
                } else if days <= min_days {
                    c.fail(format!("expires in {days} days, within {min_days}"), evidence)
                } else {
                    c.pass(format!("valid for {days} more days"), evidence)
                }
            })
            .collect())
    }
}

export_rule!(Expiry);
