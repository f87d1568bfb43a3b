//! The host's view of rules and findings: plain data, independent of the WIT
//! bindings and of wasmtime, used by output and the summary.

use serde::{Deserialize, Serialize};

/// `text` with control characters (newlines, escapes, …) written as `\n`,
/// `\u{1b}`, …, so that text from a rule cannot forge or garble a log line
/// or a terminal.
pub fn escape_control(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() {
            escaped.extend(c.escape_default());
        } else {
            escaped.push(c);
        }
    }
    std::borrow::Cow::Owned(escaped)
}

/// How much a failure matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Informational,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// OCSF `severity_id`: 1 informational … 5 critical.
    pub fn ocsf_id(self) -> i32 {
        match self {
            Severity::Informational => 1,
            Severity::Low => 2,
            Severity::Medium => 3,
            Severity::High => 4,
            Severity::Critical => 5,
        }
    }

    /// OCSF `severity` caption.
    pub fn caption(self) -> &'static str {
        match self {
            Severity::Informational => "Informational",
            Severity::Low => "Low",
            Severity::Medium => "Medium",
            Severity::High => "High",
            Severity::Critical => "Critical",
        }
    }
}

/// A finding's outcome. `Error` also marks rules that failed to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Status {
    Pass,
    Fail,
    Info,
    Error,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Pass => "PASS",
            Status::Fail => "FAIL",
            Status::Info => "INFO",
            Status::Error => "ERROR",
        }
    }

    /// The status named `name` (`PASS`, …), as stored in
    /// `compliance.status_code`; an unknown name is ERROR (not judged).
    pub fn from_name(name: &str) -> Status {
        match name {
            "PASS" => Status::Pass,
            "FAIL" => Status::Fail,
            "INFO" => Status::Info,
            _ => Status::Error,
        }
    }
}

/// A rule parameter's value; its type is fixed by the rule's default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ParamValue {
    Boolean(bool),
    Integer(i64),
    Number(f64),
    Text(String),
    TextList(Vec<String>),
}

impl ParamValue {
    /// The type's name, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            ParamValue::Boolean(_) => "boolean",
            ParamValue::Integer(_) => "integer",
            ParamValue::Number(_) => "number",
            ParamValue::Text(_) => "text",
            ParamValue::TextList(_) => "list of text",
        }
    }

    /// Converts a TOML value to the type of `like`, or says why not.
    pub fn from_toml_like(value: &toml::Value, like: &ParamValue) -> Result<ParamValue, String> {
        let converted = match (like, value) {
            (ParamValue::Boolean(_), toml::Value::Boolean(b)) => ParamValue::Boolean(*b),
            (ParamValue::Integer(_), toml::Value::Integer(i)) => ParamValue::Integer(*i),
            (ParamValue::Number(_), toml::Value::Float(f)) => ParamValue::Number(*f),
            (ParamValue::Number(_), toml::Value::Integer(i)) => ParamValue::Number(*i as f64),
            (ParamValue::Text(_), toml::Value::String(s)) => ParamValue::Text(s.clone()),
            (ParamValue::TextList(_), toml::Value::Array(items)) => ParamValue::TextList(
                items
                    .iter()
                    .map(|item| item.as_str().map(str::to_owned).ok_or("every item must be text"))
                    .collect::<Result<_, _>>()?,
            ),
            _ => return Err(format!("expected {}", like.type_name())),
        };
        Ok(converted)
    }
}

/// A declared parameter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParamSpec {
    pub name: String,
    pub description: String,
    pub default: ParamValue,
}

/// A control a rule maps to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mapping {
    pub framework: String,
    pub control: String,
}

impl Mapping {
    /// Such as "AWS Security Hub FSBP KMS.4".
    pub fn label(&self) -> String {
        format!("{} {}", self.framework, self.control)
    }
}

/// What a loaded rule says about itself, plus where it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleInfo {
    pub id: String,
    pub title: String,
    pub description: String,
    pub severity: Severity,
    /// The kinds the rule reads, each with the field groups it reads.
    pub reads: Vec<KindRead>,
    pub parameters: Vec<ParamSpec>,
    pub frameworks: Vec<Mapping>,
    pub remediation: String,
    pub references: Vec<String>,
    /// The component file.
    pub source: String,
    /// True for keyaudit's own rules.
    pub builtin: bool,
    /// The contract version the rule was built against, such as "0.2".
    pub contract: &'static str,
}

/// What a rule reads of one kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KindRead {
    pub kind: String,
    /// Optional field groups, such as `key-policy`.
    pub fields: Vec<String>,
}

impl RuleInfo {
    /// The kinds the rule reads.
    pub fn kinds(&self) -> impl Iterator<Item = &str> {
        self.reads.iter().map(|r| r.kind.as_str())
    }
}

/// One rule's verdict on one resource or account-level check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleFinding {
    pub rule_id: String,
    pub status: Status,
    pub message: String,
    /// The resource's ARN or id; none for account-level checks.
    pub resource_id: Option<String>,
    /// The resource kind, such as `kms-key`, or `account`.
    pub resource_type: &'static str,
    pub subject: Option<String>,
    pub region: Option<String>,
    pub evidence: Vec<(String, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(escape_control("plain"), "plain");
        assert_eq!(escape_control("a\nINFO forged\r\u{1b}[31m"), "a\\nINFO forged\\r\\u{1b}[31m");
    }
}
