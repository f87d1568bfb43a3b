//! ssm-sensitive-as-plain-string: parameters whose names look secret are SecureStrings.

use keyaudit_rule_sdk::frameworks::*;
use keyaudit_rule_sdk::*;

struct SensitivePlain;

/// Letters and digits only, lower case: `API_Key` and `api-key` both become `apikey`.
fn squash(text: &str) -> String {
    text.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

impl Guest for SensitivePlain {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "ssm-sensitive-as-plain-string".into(),
            title: "Secret-looking SSM parameters are SecureStrings".into(),
            description: "String and StringList parameters whose names contain a word that suggests a secret \
                          (password, secret, token, apikey, private_key; compared on letters and digits only) \
                          fail: their values are stored unencrypted."
                .into(),
            severity: Severity::High,
            reads: vec![reads(ssm::KIND, &[])],
            parameters: vec![parameter(
                "sensitive_words",
                "Words in a parameter name that suggest a secret",
                ParamValue::TextList(
                    ["password", "secret", "token", "apikey", "private_key"].map(String::from).to_vec(),
                ),
            )],
            frameworks: vec![maps_to(WELL_ARCHITECTED, "SEC08-BP01")],
            remediation: "Store the value as a SecureString (aws ssm put-parameter --type SecureString \
                          --overwrite …) or move it to Secrets Manager, then rotate it: it was readable."
                .into(),
            references: vec![
                "https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-securestring.html"
                    .into(),
            ],
        }
    }

    fn evaluate(scope: AccountScope) -> Result<Vec<Finding>, String> {
        let parameters = ssm::list();
        let words: Vec<String> = scope.text_list("sensitive_words")?.iter().map(|w| squash(w)).collect();
        Ok(items(&parameters)
            .filter(|p| matches!(p.parameter_type(), "String" | "StringList"))
            .map(|p| {
                let name = squash(&p.name);
                let evidence = vec![("type", p.parameter_type().to_owned())];
                match words.iter().find(|w| !w.is_empty() && name.contains(w.as_str())) {
                    Some(word) => p.fail(
                        format!("its name suggests a secret ({word}), but it is a plain {}", p.parameter_type()),
                        evidence,
                    ),
                    None => p.pass("its name does not suggest a secret", evidence),
                }
            })
            .collect())
    }
}

export_rule!(SensitivePlain);
