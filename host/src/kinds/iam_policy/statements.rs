//! Reading a policy document's statements that can match KMS actions.

use serde_json::Value;

use super::KmsStatement;

/// The document as JSON text: IAM returns documents URL-encoded (RFC 3986).
pub fn decode(document: &str) -> String {
    if serde_json::from_str::<Value>(document).is_ok() {
        return document.to_owned();
    }
    percent_encoding::percent_decode_str(document).decode_utf8_lossy().into_owned()
}

/// Whether an action pattern (`kms:Decrypt`, `kms:*`, `*`, `km?:*`) can match a KMS action.
fn can_match_kms(action: &str) -> bool {
    let service = action.split_once(':').map_or(action, |(service, _)| service);
    // The service part is a glob; `*` alone covers every action.
    glob_matches(&service.to_ascii_lowercase(), "kms") || action == "*"
}

fn glob_matches(pattern: &str, text: &str) -> bool {
    match (pattern.as_bytes().first(), text.as_bytes().first()) {
        (None, None) => true,
        (Some(b'*'), _) => glob_matches(&pattern[1..], text) || (!text.is_empty() && glob_matches(pattern, &text[1..])),
        (Some(b'?'), Some(_)) => glob_matches(&pattern[1..], &text[1..]),
        (Some(p), Some(t)) if p == t => glob_matches(&pattern[1..], &text[1..]),
        _ => false,
    }
}

/// A string or a list of strings, as policy elements are written.
fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect(),
        _ => Vec::new(),
    }
}

/// The statements of `document` that can match a KMS action; an error when
/// the document is not a policy.
pub fn kms_statements(document: &str) -> Result<Vec<KmsStatement>, String> {
    let policy: Value = serde_json::from_str(document).map_err(|e| format!("is not JSON: {e}"))?;
    let statements = match policy.get("Statement") {
        Some(Value::Array(items)) => items.clone(),
        Some(statement @ Value::Object(_)) => vec![statement.clone()],
        _ => return Err("has no Statement".to_owned()),
    };
    let mut found = Vec::new();
    for statement in &statements {
        // IAM rejects a statement without Effect; should one appear, "" is no Allow.
        let effect = statement.get("Effect").and_then(Value::as_str).unwrap_or_default().to_owned();
        let (actions, not_action) = match statement.get("NotAction") {
            // NotAction matches every action it does not name: KMS ones
            // too, unless it excludes all of them.
            Some(excluded) => {
                let excluded = strings(Some(excluded));
                if excluded.iter().any(|a| a == "*" || a.eq_ignore_ascii_case("kms:*")) {
                    continue;
                }
                (excluded, true)
            }
            None => {
                let actions: Vec<String> =
                    strings(statement.get("Action")).into_iter().filter(|a| can_match_kms(a)).collect();
                if actions.is_empty() {
                    continue;
                }
                (actions, false)
            }
        };
        let (resources, not_resource) = match statement.get("NotResource") {
            Some(excluded) => (strings(Some(excluded)), true),
            None => (strings(statement.get("Resource")), false),
        };
        found.push(KmsStatement {
            sid: statement.get("Sid").and_then(Value::as_str).map(str::to_owned),
            effect,
            actions,
            not_action,
            resources,
            not_resource,
            condition: statement.get("Condition").map(Value::to_string),
        });
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_statements_that_can_match_kms_actions() {
        let doc = r#"{"Version":"2012-10-17","Statement":[
            {"Sid":"S3","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},
            {"Sid":"Dec","Effect":"Allow","Action":["kms:Decrypt","s3:*"],"Resource":"*",
             "Condition":{"StringEquals":{"kms:ViaService":"s3.us-east-1.amazonaws.com"}}},
            {"Effect":"Allow","Action":"*","Resource":"*"},
            {"Effect":"Allow","Action":"k?s:*","Resource":["arn:aws:kms:us-east-1:1:key/a"]},
            {"Effect":"Allow","NotAction":"iam:*","Resource":"*"},
            {"Effect":"Allow","NotAction":"kms:*","Resource":"*"}
        ]}"#;
        let found = kms_statements(doc).unwrap();
        assert_eq!(found.len(), 4);
        assert_eq!(found[0].sid.as_deref(), Some("Dec"));
        assert_eq!(found[0].actions, ["kms:Decrypt"]);
        assert!(found[0].condition.as_deref().unwrap().contains("kms:ViaService"));
        assert_eq!(found[1].actions, ["*"]);
        assert_eq!(found[2].resources, ["arn:aws:kms:us-east-1:1:key/a"]);
        assert!(found[3].not_action, "NotAction iam:* allows KMS actions");
    }

    #[test]
    fn url_encoded_documents_are_decoded_and_non_policies_are_errors() {
        let encoded = "%7B%22Statement%22%3A%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22kms%3A%2A%22%2C%22Resource%22%3A%22%2A%22%7D%7D";
        let found = kms_statements(&decode(encoded)).unwrap();
        assert_eq!(found[0].actions, ["kms:*"]);
        assert!(kms_statements("[]").is_err());
        assert!(kms_statements("not json").is_err());
    }
}
