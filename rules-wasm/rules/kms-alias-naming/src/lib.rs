//! kms-alias-naming: customer-managed keys carry an alias that follows the naming standard.

use keyaudit_rule_sdk::frameworks::*;
use keyaudit_rule_sdk::*;

struct AliasNaming;

impl Guest for AliasNaming {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "kms-alias-naming".into(),
            title: "KMS keys have a standard alias".into(),
            description: "Every customer-managed key not being deleted has at least one alias matching pattern (a \
                          regular expression), so keys can be told apart and found."
                .into(),
            severity: Severity::Low,
            reads: vec![reads(kms::KIND, &[kms::group::ALIASES])],
            parameters: vec![parameter(
                "pattern",
                "Regular expression an alias must match",
                ParamValue::Text("^alias/[a-z0-9-]+$".into()),
            )],
            frameworks: vec![maps_to(FEDRAMP, "KSI-SVC-06")],
            remediation: "aws kms create-alias --alias-name alias/<team>-<purpose> --target-key-id <key-id>".into(),
            references: vec!["https://docs.aws.amazon.com/kms/latest/developerguide/alias-manage.html".into()],
        }
    }

    fn evaluate(scope: AccountScope) -> Result<Vec<Finding>, String> {
        let resources = kms::list();
        let pattern = scope.text("pattern")?;
        let regex =
            regex_lite::Regex::new(pattern).map_err(|e| format!("parameter pattern is not a valid regex: {e}"))?;
        Ok(kms_keys(&resources)
            .filter(|key| key.is_customer_managed() && !key.is_pending_deletion())
            .map(|key| {
                let names = match key.aliases() {
                    Ok(names) => names,
                    Err(unknown) => return key.error(unknown),
                };
                let aliases = names.join(",");
                if names.iter().any(|a| regex.is_match(a)) {
                    key_finding(key, Status::Pass, "has a standard alias", vec![("aliases", aliases)])
                } else if names.is_empty() {
                    key_finding(key, Status::Fail, "has no alias", vec![("pattern", pattern.to_owned())])
                } else {
                    key_finding(
                        key,
                        Status::Fail,
                        format!("no alias matches {pattern}"),
                        vec![("aliases", aliases), ("pattern", pattern.to_owned())],
                    )
                }
            })
            .collect())
    }
}

export_rule!(AliasNaming);
