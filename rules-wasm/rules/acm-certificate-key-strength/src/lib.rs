//! acm-certificate-key-strength: RSA keys of at least 2048 bits, no P-192 curves.

use keyaudit_rule_sdk::frameworks::*;
use keyaudit_rule_sdk::*;

struct KeyStrength;

/// The verdict on one of ACM's key algorithm names (`RSA_2048`, `EC_prime256v1`, …).
fn judge(algorithm: &str, min_rsa_bits: i64) -> Result<bool, String> {
    if let Some(bits) = algorithm.strip_prefix("RSA_") {
        let bits: i64 = bits.parse().map_err(|_| format!("unknown RSA key size in {algorithm}"))?;
        return Ok(bits >= min_rsa_bits);
    }
    if let Some(curve) = algorithm.strip_prefix("EC_") {
        return Ok(!curve.contains("192"));
    }
    Err(format!("key algorithm {algorithm} is not one this rule knows"))
}

impl Guest for KeyStrength {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "acm-certificate-key-strength".into(),
            title: "ACM certificates use strong keys".into(),
            description: "RSA certificates have keys of at least min_rsa_bits bits; EC certificates do not use \
                          a 192-bit curve."
                .into(),
            severity: Severity::High,
            reads: vec![reads(acm::KIND, &[])],
            parameters: vec![parameter("min_rsa_bits", "Smallest RSA key allowed, in bits", ParamValue::Integer(2048))],
            frameworks: vec![maps_to(SECURITY_HUB, "ACM.2"), maps_to(FEDRAMP, "KSI-SVC-06")],
            remediation: "Request or import a replacement with an RSA_2048 (or larger) or EC_prime256v1 key, \
                          move its users to it, then delete the weak certificate."
                .into(),
            references: vec!["https://docs.aws.amazon.com/acm/latest/userguide/acm-certificate.html".into()],
        }
    }

    fn evaluate(scope: AccountScope) -> Result<Vec<Finding>, String> {
        let certificates = acm::list();
        let min_bits = scope.integer("min_rsa_bits")?;
        Ok(items(&certificates)
            .filter(|c| c.is_described())
            .map(|c| {
                let Some(algorithm) = c.key_algorithm.as_deref() else {
                    return c.error("the certificate's key algorithm is unknown");
                };
                let evidence = vec![("key_algorithm", algorithm.to_owned())];
                match judge(algorithm, min_bits) {
                    Ok(true) => c.pass(format!("{algorithm} is strong enough"), evidence),
                    Ok(false) => c.fail(format!("{algorithm} is too weak"), evidence),
                    Err(problem) => c.error(problem),
                }
            })
            .collect())
    }
}

export_rule!(KeyStrength);
