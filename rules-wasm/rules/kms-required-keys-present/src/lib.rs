//! kms-required-keys-present: every configured key exists and is enabled.

use keyaudit_rule_sdk::frameworks::*;
use keyaudit_rule_sdk::*;

struct RequiredKeysPresent;

impl Guest for RequiredKeysPresent {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "kms-required-keys-present".into(),
            title: "Required KMS keys exist and are enabled".into(),
            description: "Every alias (alias/…) or key id in required_keys names an Enabled key in the account. \
                          With no required keys configured the rule reports INFO."
                .into(),
            severity: Severity::Medium,
            reads: vec![reads(kms::KIND, &[kms::group::ALIASES, kms::group::ARN])],
            parameters: vec![parameter(
                "required_keys",
                "Aliases (alias/…) or key ids every account must have",
                ParamValue::TextList(vec![]),
            )],
            frameworks: vec![maps_to(KMS_CHECKLIST, "Required keys")],
            remediation: "Create the missing key and alias, or enable the existing key (aws kms enable-key).".into(),
            references: vec!["https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html".into()],
        }
    }

    fn evaluate(scope: AccountScope) -> Result<Vec<Finding>, String> {
        let resources = kms::list();
        let required = scope.text_list("required_keys")?;
        if required.is_empty() {
            return Ok(vec![account_finding(
                None,
                Status::Info,
                "no required keys configured (rules.parameters.kms-required-keys-present.required_keys)",
                vec![],
            )]);
        }
        let keys: Vec<Key> = kms_keys(&resources).collect();
        let aliases_unknown = keys.iter().filter(|k| k.aliases().is_err()).count();
        let unlisted = scope.kms_regions_unlisted();
        Ok(required
            .iter()
            .map(|name| {
                let matches: Vec<&Key> = keys
                    .iter()
                    .filter(|k| {
                        k.key_id() == name || k.arn() == name || k.aliases().is_ok_and(|a| a.iter().any(|a| a == name))
                    })
                    .collect();
                let subject = format!("required:{name}");
                let enabled = matches.iter().find(|k| k.is_enabled());
                let undescribed = matches.iter().any(|k| !k.is_described());
                if enabled.is_none() && (undescribed || aliases_unknown > 0 || !unlisted.is_empty()) {
                    let message = format!(
                        "cannot tell whether {name} exists and is enabled: {aliases_unknown} keys' aliases \
                         could not be read, keys in [{}] could not be listed{}",
                        unlisted.join(", "),
                        if undescribed { ", and a matching key could not be described" } else { "" }
                    );
                    return account_finding(Some(&subject), Status::Error, message, vec![]);
                }
                match (enabled, matches.first()) {
                    (Some(key), _) => account_finding(
                        Some(&subject),
                        Status::Pass,
                        format!("{name} exists and is enabled"),
                        vec![("key_arn", key.arn().to_owned())],
                    ),
                    (None, Some(key)) => account_finding(
                        Some(&subject),
                        Status::Fail,
                        format!("{name} exists but is {}", key.state()),
                        vec![("key_arn", key.arn().to_owned()), ("key_state", key.state().to_owned())],
                    ),
                    (None, None) => {
                        account_finding(Some(&subject), Status::Fail, format!("{name} does not exist"), vec![])
                    }
                }
            })
            .collect())
    }
}

export_rule!(RequiredKeysPresent);
