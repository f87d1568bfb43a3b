//! Organizations helpers (kinds "organization" and "service-control-policy",
//! contract 0.3.2): the organisation's features, and whether service control
//! policies really deny an action on every KMS key, read with the policy
//! grammar of [`crate::policy`] (wildcards, `NotAction`, `NotResource`,
//! conditions), never by searching the text.

use crate::items::Listed;
use crate::policy::{self, Effect, ScopedStatement, wildcard_match};
use crate::{Organization, ServiceControlPolicy};

/// The kind of the organisation record.
pub const ORGANIZATION: &str = "organization";
/// The kind of service control policies.
pub const SCP: &str = "service-control-policy";

/// The optional field groups of a service control policy.
pub mod group {
    /// `DescribePolicy`: `document`.
    pub const DOCUMENT: &str = "document";
    /// `ListTargetsForPolicy`: `targets` and `attached_on_path`.
    pub const TARGETS: &str = "targets";
}

/// The policy type of service control policies.
pub const SERVICE_CONTROL_POLICY: &str = "SERVICE_CONTROL_POLICY";

impl Listed for Organization {
    const KIND: &'static str = ORGANIZATION;
    fn list() -> Vec<Self> {
        crate::keyaudit::rules::organization::list()
    }
}

impl Listed for ServiceControlPolicy {
    const KIND: &'static str = SCP;
    fn list() -> Vec<Self> {
        crate::keyaudit::rules::service_control_policy::list()
    }
}

/// The organisation of the audited accounts (none when the scanning account
/// is in no organisation).
pub fn organization() -> Option<Organization> {
    Organization::list().into_iter().next()
}

/// Every service control policy of the organisation.
pub fn policies() -> Vec<ServiceControlPolicy> {
    ServiceControlPolicy::list()
}

impl Organization {
    /// Roots on which the SCP policy type is not `ENABLED`, by id; `None`
    /// when the roots are unknown.
    pub fn roots_without_scps(&self) -> Option<Vec<&str>> {
        let roots = self.roots.as_ref()?;
        Some(
            roots
                .iter()
                .filter(|r| {
                    !r.policy_types.iter().any(|t| t.policy_type == SERVICE_CONTROL_POLICY && t.status == "ENABLED")
                })
                .map(|r| r.id.as_str())
                .collect(),
        )
    }
}

impl ServiceControlPolicy {
    /// Whether it applies to the evaluated account (attached to its root, an
    /// OU on its path, or itself); `None` when that is unknown.
    pub fn applies(&self) -> Option<bool> {
        self.attached_on_path.as_ref().map(|on_path| !on_path.is_empty())
    }
}

/// How a policy's statements deny one action on every KMS key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Coverage {
    /// Denied to every principal.
    Everyone,
    /// Denied to every principal but those whose ARN matches one of these
    /// patterns (`aws:PrincipalArn` in a negated condition): an exemption.
    AllBut(Vec<String>),
    /// A Deny names the action but leaves keys or principals out: why.
    Partial(String),
}

impl Coverage {
    /// Best first: everyone, then an exemption, then a partial deny.
    fn rank(&self) -> u8 {
        match self {
            Coverage::Everyone => 0,
            Coverage::AllBut(_) => 1,
            Coverage::Partial(_) => 2,
        }
    }
}

/// How the statements of one policy deny `action` on every key of
/// `partition`: the widest of its Deny statements that name the action;
/// `None` when none does.
pub fn coverage(statements: &[ScopedStatement], action: &str, partition: &str) -> Option<Coverage> {
    statements.iter().filter_map(|s| statement_coverage(s, action, partition)).min_by_key(Coverage::rank)
}

/// How one statement denies `action` on every KMS key; `None` when it is
/// not a Deny of that action.
pub fn statement_coverage(scoped: &ScopedStatement, action: &str, partition: &str) -> Option<Coverage> {
    let statement = &scoped.statement;
    if statement.effect != Effect::Deny || !statement.covers_action(action) {
        return None;
    }
    if let Some(gap) = resource_gap(scoped, partition) {
        return Some(Coverage::Partial(gap));
    }
    let mut exempt = Vec::new();
    for condition in &statement.conditions {
        let operator = condition.operator.strip_suffix("IfExists").unwrap_or(&condition.operator);
        let negated_arn_match = ["ArnNotLike", "ArnNotEquals", "StringNotLike", "StringNotEquals"]
            .iter()
            .any(|op| op.eq_ignore_ascii_case(operator));
        if negated_arn_match && condition.key == "aws:principalarn" {
            exempt.extend(condition.values.iter().cloned());
        } else {
            return Some(Coverage::Partial(format!(
                "it applies only under the condition {} {}",
                condition.operator, condition.key
            )));
        }
    }
    Some(if exempt.is_empty() { Coverage::Everyone } else { Coverage::AllBut(exempt) })
}

/// Why a statement's resources leave some KMS keys out; `None` when they
/// cover every key of the partition.
fn resource_gap(scoped: &ScopedStatement, partition: &str) -> Option<String> {
    if scoped.not_resource {
        // Excluding resources of other services leaves every key denied.
        let excludes_keys = scoped.resources.iter().any(|pattern| {
            let service = pattern.split(':').nth(2);
            !service.is_some_and(|s| !s.contains(['*', '?']) && !s.eq_ignore_ascii_case("kms"))
        });
        return excludes_keys.then(|| format!("its NotResource leaves out {}", scoped.resources.join(", ")));
    }
    let every_key = format!("arn:{partition}:kms:*:*:key/*");
    if scoped.resources.iter().any(|pattern| covers_all(pattern, &every_key)) {
        None
    } else {
        Some(format!("it names only some resources ({})", scoped.resources.join(", ")))
    }
}

/// Whether IAM wildcard `pattern` matches every string `general` stands for,
/// where each `*` of `general` is any run of characters: a `*` there must be
/// met by a `*` of the pattern (a `?` or a literal matches only one string).
pub fn covers_all(pattern: &str, general: &str) -> bool {
    let (p, g) = (pattern.as_bytes(), general.as_bytes());
    // matches[i][j]: pattern[i..] covers general[j..].
    let mut matches = vec![vec![false; g.len() + 1]; p.len() + 1];
    matches[p.len()][g.len()] = true;
    for i in (0..p.len()).rev() {
        for j in (0..=g.len()).rev() {
            matches[i][j] = match p[i] {
                b'*' => matches[i + 1][j] || (j < g.len() && matches[i][j + 1]),
                b'?' => j < g.len() && g[j] != b'*' && matches[i + 1][j + 1],
                c => j < g.len() && g[j] != b'*' && c.eq_ignore_ascii_case(&g[j]) && matches[i + 1][j + 1],
            };
        }
    }
    matches[0][0]
}

/// Whether an exemption names only specific roles: every pattern is a role
/// ARN whose name is not just wildcards, and, when `allowed` is not empty,
/// matches one of those role names (wildcards allowed).
pub fn exempts_only_roles(exempt: &[String], allowed: &[String]) -> bool {
    exempt.iter().all(|pattern| {
        let Some((_, name)) = pattern.split_once(":role/") else { return false };
        let name = name.rsplit('/').next().unwrap_or(name);
        !name.bytes().all(|b| b == b'*' || b == b'?')
            && (allowed.is_empty() || allowed.iter().any(|a| wildcard_match(a, name)))
    })
}

/// Parses a service control policy's document.
pub fn statements(policy: &ServiceControlPolicy) -> Result<Vec<ScopedStatement>, String> {
    let document =
        policy.document.as_deref().ok_or_else(|| format!("the document of SCP {} is unknown", policy.name))?;
    policy::parse_scoped(document).map_err(|e| format!("SCP {}: {e}", policy.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scp(json: serde_json::Value) -> Vec<ScopedStatement> {
        policy::parse_scoped(&json.to_string()).unwrap()
    }

    const ACTION: &str = "kms:ScheduleKeyDeletion";

    #[test]
    fn a_plain_deny_of_every_key_covers_everyone() {
        let s =
            scp(serde_json::json!({"Statement": [{"Effect": "Deny", "Action": ["kms:Schedule*"], "Resource": "*"}]}));
        assert_eq!(coverage(&s, ACTION, "aws"), Some(Coverage::Everyone));
        assert_eq!(coverage(&s, "kms:DisableKey", "aws"), None);
        let s = scp(serde_json::json!({"Statement": {"Effect": "Deny", "Action": "kms:*",
            "Resource": "arn:aws:kms:*:*:key/*"}}));
        assert_eq!(coverage(&s, ACTION, "aws"), Some(Coverage::Everyone));
    }

    #[test]
    fn not_action_denies_what_it_does_not_list() {
        let s = scp(serde_json::json!({"Statement": [{"Effect": "Deny", "NotAction": ["kms:Encrypt", "kms:Decrypt"],
            "Resource": "*"}]}));
        assert_eq!(coverage(&s, ACTION, "aws"), Some(Coverage::Everyone));
        assert_eq!(coverage(&s, "kms:Decrypt", "aws"), None);
    }

    #[test]
    fn an_allow_is_no_protection() {
        let s = scp(serde_json::json!({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}));
        assert_eq!(coverage(&s, ACTION, "aws"), None);
    }

    #[test]
    fn a_break_glass_exemption_is_kept_apart_from_other_conditions() {
        let s = scp(serde_json::json!({"Statement": [{"Effect": "Deny", "Action": ACTION, "Resource": "*",
            "Condition": {"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/BreakGlass"}}}]}));
        let Some(Coverage::AllBut(exempt)) = coverage(&s, ACTION, "aws") else { panic!() };
        assert!(exempts_only_roles(&exempt, &[]));
        assert!(exempts_only_roles(&exempt, &["Break*".into()]));
        assert!(!exempts_only_roles(&exempt, &["Admin".into()]));
        assert!(!exempts_only_roles(&["arn:aws:iam::*:role/*".into()], &[]), "every role is no break-glass role");
        assert!(!exempts_only_roles(&["arn:aws:iam::*:user/alice".into()], &[]));

        let s = scp(serde_json::json!({"Statement": [{"Effect": "Deny", "Action": ACTION, "Resource": "*",
            "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}}]}));
        assert!(
            matches!(coverage(&s, ACTION, "aws"), Some(Coverage::Partial(why)) if why.contains("aws:requestedregion"))
        );
    }

    #[test]
    fn resources_must_cover_every_key() {
        for resource in ["arn:aws:kms:us-east-1:*:key/*", "arn:aws:kms:*:*:key/abc*", "arn:aws:kms:?:*:key/*"] {
            let s = scp(serde_json::json!({"Statement": [{"Effect": "Deny", "Action": ACTION, "Resource": resource}]}));
            assert!(matches!(coverage(&s, ACTION, "aws"), Some(Coverage::Partial(_))), "{resource}");
        }
        for resource in ["*", "arn:aws:kms:*", "arn:*:kms:*:*:*", "arn:aws:kms:*:*:key/*"] {
            let s = scp(serde_json::json!({"Statement": [{"Effect": "Deny", "Action": ACTION, "Resource": resource}]}));
            assert_eq!(coverage(&s, ACTION, "aws"), Some(Coverage::Everyone), "{resource}");
        }
        let s = scp(serde_json::json!({"Statement": [{"Effect": "Deny", "Action": ACTION,
            "NotResource": "arn:aws:s3:::logs/*"}]}));
        assert_eq!(coverage(&s, ACTION, "aws"), Some(Coverage::Everyone), "excluding S3 objects leaves keys denied");
        let s = scp(serde_json::json!({"Statement": [{"Effect": "Deny", "Action": ACTION,
            "NotResource": "arn:aws:kms:*:*:key/legacy"}]}));
        assert!(matches!(coverage(&s, ACTION, "aws"), Some(Coverage::Partial(_))));
    }

    #[test]
    fn the_widest_statement_wins() {
        let s = scp(serde_json::json!({"Statement": [
            {"Effect": "Deny", "Action": ACTION, "Resource": "arn:aws:kms:us-east-1:*:key/*"},
            {"Effect": "Deny", "Action": ACTION, "Resource": "*"}]}));
        assert_eq!(coverage(&s, ACTION, "aws"), Some(Coverage::Everyone));
    }
}
