//! Key policies: parsing IAM policy JSON into statements, matching actions
//! against wildcards, and classifying principals relative to an account.

use crate::AccountScope;

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

/// A principal as written in a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    /// `"*"` or `{"AWS": "*"}`: anyone.
    Public,
    /// An AWS principal: an account id, an account root ARN, or a user/role ARN.
    Aws(String),
    /// An AWS service, such as `cloudtrail.amazonaws.com`.
    Service(String),
    /// A federated or canonical-user principal.
    Other(String),
}

/// One condition: operator, key (lowercased) and values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub operator: String,
    pub key: String,
    pub values: Vec<String>,
}

/// One policy statement, normalised: single values become lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub sid: Option<String>,
    pub effect: Effect,
    pub principals: Vec<Principal>,
    /// True when the statement uses `NotPrincipal`.
    pub not_principal: bool,
    pub actions: Vec<String>,
    /// True when the statement uses `NotAction`.
    pub not_action: bool,
    pub conditions: Vec<Condition>,
}

/// Condition keys that restrict who can use a public grant to a known set of
/// accounts, organisations or sources.
pub const RESTRICTING_CONDITION_KEYS: &[&str] = &[
    "aws:principalorgid",
    "aws:principalorgpaths",
    "aws:principalaccount",
    "aws:principalarn",
    "aws:sourceaccount",
    "aws:sourcearn",
    "aws:sourceorgid",
    "aws:sourceorgpaths",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "kms:calleraccount",
];

/// KMS actions that administer a key rather than use it.
pub const ADMIN_ACTIONS: &[&str] = &[
    "kms:PutKeyPolicy",
    "kms:CreateAlias",
    "kms:CreateGrant",
    "kms:DeleteAlias",
    "kms:DeleteImportedKeyMaterial",
    "kms:DisableKey",
    "kms:DisableKeyRotation",
    "kms:ScheduleKeyDeletion",
    "kms:CancelKeyDeletion",
    "kms:UpdateKeyDescription",
    "kms:TagResource",
    "kms:UntagResource",
];

/// KMS actions that encrypt or decrypt data with a key.
pub const USAGE_ACTIONS: &[&str] = &["kms:Encrypt", "kms:Decrypt"];

/// Parses a policy document (its resources are not read: key policies are
/// about the key they are attached to).
pub fn parse(json: &str) -> Result<Vec<Statement>, String> {
    let doc: raw::Document<serde::de::IgnoredAny> =
        serde_json::from_str(json).map_err(|e| format!("key policy is not valid JSON: {e}"))?;
    let statements = doc.statement.ok_or("key policy has no Statement")?;
    statements.0.into_iter().map(|s| s.normalise().map(|(statement, ..)| statement)).collect()
}

/// A statement of a policy that names its resources (an identity policy or
/// a service control policy).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopedStatement {
    pub statement: Statement,
    /// `Resource` as written (with `not_resource`, the resources it excludes).
    pub resources: Vec<String>,
    /// True when the statement uses `NotResource`.
    pub not_resource: bool,
}

/// Parses a policy document whose statements name resources.
pub fn parse_scoped(json: &str) -> Result<Vec<ScopedStatement>, String> {
    let doc: raw::Document<raw::OneOrMany<String>> =
        serde_json::from_str(json).map_err(|e| format!("policy is not valid JSON: {e}"))?;
    let statements = doc.statement.ok_or("policy has no Statement")?;
    statements
        .0
        .into_iter()
        .map(|s| {
            let (statement, resource, not_resource) = s.normalise()?;
            let (resources, not_resource) = match (resource, not_resource) {
                (Some(r), _) => (r.0, false),
                (None, Some(r)) => (r.0, true),
                (None, None) => (Vec::new(), false),
            };
            Ok(ScopedStatement { statement, resources, not_resource })
        })
        .collect()
}

/// The policy grammar as serde reads it, straight into typed fields (no
/// intermediate JSON tree): parsing dominates the cost of policy rules.
mod raw {
    use std::collections::BTreeMap;
    use std::fmt;
    use std::marker::PhantomData;

    use serde::Deserialize;
    use serde::de::{Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor};

    use super::{Condition, Effect, Principal, Statement};

    /// A policy document whose statements read their resources as `R`
    /// (`IgnoredAny` skips them).
    #[derive(Deserialize)]
    pub struct Document<R> {
        #[serde(rename = "Statement")]
        pub statement: Option<OneOrMany<RawStatement<R>>>,
    }

    #[derive(Deserialize)]
    pub struct RawStatement<R> {
        #[serde(rename = "Sid")]
        sid: Option<String>,
        #[serde(rename = "Effect")]
        effect: Option<EffectName>,
        #[serde(rename = "Principal")]
        principal: Option<Principals>,
        #[serde(rename = "NotPrincipal")]
        not_principal: Option<Principals>,
        #[serde(rename = "Action")]
        action: Option<OneOrMany<String>>,
        #[serde(rename = "NotAction")]
        not_action: Option<OneOrMany<String>>,
        #[serde(rename = "Condition")]
        condition: Option<BTreeMap<String, BTreeMap<String, OneOrMany<ConditionValue>>>>,
        #[serde(rename = "Resource")]
        resource: Option<R>,
        #[serde(rename = "NotResource")]
        not_resource: Option<R>,
    }

    impl<R> RawStatement<R> {
        /// The statement, with its `Resource` and `NotResource` as read.
        pub fn normalise(self) -> Result<(Statement, Option<R>, Option<R>), String> {
            let effect = match self.effect {
                Some(EffectName::Allow) => Effect::Allow,
                Some(EffectName::Deny) => Effect::Deny,
                Some(EffectName::Other(other)) => return Err(format!("statement has an invalid Effect: {other:?}")),
                None => return Err("statement has no Effect".to_owned()),
            };
            let (principals, not_principal) = match (self.principal, self.not_principal) {
                (Some(p), _) => (p.0, false),
                (None, Some(p)) => (p.0, true),
                (None, None) => (Vec::new(), false),
            };
            let (actions, not_action) = match (self.action, self.not_action) {
                (Some(a), _) => (a.0, false),
                (None, Some(a)) => (a.0, true),
                (None, None) => (Vec::new(), false),
            };
            let conditions = self
                .condition
                .unwrap_or_default()
                .into_iter()
                .flat_map(|(operator, keys)| {
                    keys.into_iter().map(move |(key, values)| Condition {
                        operator: operator.clone(),
                        key: key.to_ascii_lowercase(),
                        values: values.0.into_iter().map(|v| v.0).collect(),
                    })
                })
                .collect();
            let statement =
                Statement { sid: self.sid, effect, principals, not_principal, actions, not_action, conditions };
            Ok((statement, self.resource, self.not_resource))
        }
    }

    /// `Visitor` methods for a JSON string, boolean or number, each `$body` over `$v`.
    macro_rules! scalar_visits {
        (|$v:ident| $body:expr) => {
            scalar_visits!(@each |$v| $body; visit_str: &str, visit_bool: bool, visit_i64: i64, visit_u64: u64, visit_f64: f64);
        };
        (@each |$v:ident| $body:expr; $($method:ident: $ty:ty),*) => {
            $(fn $method<E: serde::de::Error>(self, $v: $ty) -> Result<Self::Value, E> {
                $body
            })*
        };
    }

    /// A value or a list of values, as IAM allows almost everywhere.
    pub struct OneOrMany<T>(pub Vec<T>);

    impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct OneOrManyVisitor<T>(PhantomData<T>);
            impl<'de, T: Deserialize<'de>> Visitor<'de> for OneOrManyVisitor<T> {
                type Value = OneOrMany<T>;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("a value or a list of values")
                }
                fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                    let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                    while let Some(item) = seq.next_element()? {
                        items.push(item);
                    }
                    Ok(OneOrMany(items))
                }
                fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                    let one = T::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                    Ok(OneOrMany(vec![one]))
                }
                scalar_visits!(|v| T::deserialize(v.into_deserializer()).map(|one| OneOrMany(vec![one])));
            }
            deserializer.deserialize_any(OneOrManyVisitor(PhantomData))
        }
    }

    /// A statement's `Effect`, read without allocating for the valid values.
    pub enum EffectName {
        Allow,
        Deny,
        Other(String),
    }

    impl<'de> Deserialize<'de> for EffectName {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct EffectVisitor;
            impl Visitor<'_> for EffectVisitor {
                type Value = EffectName;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("\"Allow\" or \"Deny\"")
                }
                fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                    Ok(match v {
                        "Allow" => EffectName::Allow,
                        "Deny" => EffectName::Deny,
                        other => EffectName::Other(other.to_owned()),
                    })
                }
            }
            deserializer.deserialize_str(EffectVisitor)
        }
    }

    /// A principal map's key, read without allocating for the common kinds.
    enum PrincipalKind {
        Aws,
        Service,
        Other(String),
    }

    impl PrincipalKind {
        fn name(&self) -> &str {
            match self {
                PrincipalKind::Aws => "AWS",
                PrincipalKind::Service => "Service",
                PrincipalKind::Other(name) => name,
            }
        }
    }

    impl<'de> Deserialize<'de> for PrincipalKind {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct KindVisitor;
            impl Visitor<'_> for KindVisitor {
                type Value = PrincipalKind;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("a principal kind")
                }
                fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                    Ok(match v {
                        "AWS" => PrincipalKind::Aws,
                        "Service" => PrincipalKind::Service,
                        other => PrincipalKind::Other(other.to_owned()),
                    })
                }
            }
            deserializer.deserialize_str(KindVisitor)
        }
    }

    /// `"*"` or `{"AWS": …, "Service": …, …}`; any other string grants no one.
    pub struct Principals(Vec<Principal>);

    impl<'de> Deserialize<'de> for Principals {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct PrincipalsVisitor;
            impl<'de> Visitor<'de> for PrincipalsVisitor {
                type Value = Principals;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("\"*\" or a map of principal kinds to ids")
                }
                fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                    Ok(Principals(if v == "*" { vec![Principal::Public] } else { Vec::new() }))
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                    let mut by_kind: Vec<(PrincipalKind, Vec<String>)> = Vec::new();
                    while let Some((kind, ids)) = map.next_entry::<PrincipalKind, OneOrMany<String>>()? {
                        by_kind.push((kind, ids.0));
                    }
                    // By kind name, whatever the JSON order.
                    by_kind.sort_by(|a, b| a.0.name().cmp(b.0.name()));
                    let principals = by_kind
                        .into_iter()
                        .flat_map(|(kind, ids)| {
                            ids.into_iter().map(move |id| match &kind {
                                PrincipalKind::Aws if id == "*" => Principal::Public,
                                PrincipalKind::Aws => Principal::Aws(id),
                                PrincipalKind::Service => Principal::Service(id),
                                PrincipalKind::Other(_) => Principal::Other(id),
                            })
                        })
                        .collect();
                    Ok(Principals(principals))
                }
            }
            deserializer.deserialize_any(PrincipalsVisitor)
        }
    }

    /// A condition value as text (IAM accepts strings, booleans and numbers).
    pub struct ConditionValue(String);

    impl<'de> Deserialize<'de> for ConditionValue {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct ConditionValueVisitor;
            impl Visitor<'_> for ConditionValueVisitor {
                type Value = ConditionValue;
                fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                    f.write_str("a string, boolean or number")
                }
                scalar_visits!(|v| Ok(ConditionValue(v.to_string())));
            }
            deserializer.deserialize_any(ConditionValueVisitor)
        }
    }
}

/// IAM wildcard match (`*` any run, `?` one character), ASCII case-insensitive.
/// Allocates nothing: rules match every statement's actions against lists of
/// actions for every key.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let (pattern, text) = (pattern.as_bytes(), text.as_bytes());
    let (mut p, mut t) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == b'?' || pattern[p].eq_ignore_ascii_case(&text[t])) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == b'*' {
            star = Some(p);
            mark = t;
            p += 1;
        } else if let Some(s) = star {
            p = s + 1;
            mark += 1;
            t = mark;
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

impl Statement {
    /// True if this statement covers `action` (honouring `NotAction`).
    pub fn covers_action(&self, action: &str) -> bool {
        let listed = self.actions.iter().any(|pattern| wildcard_match(pattern, action));
        listed != self.not_action
    }

    /// True if this statement covers any of `actions`.
    pub fn covers_any(&self, actions: &[&str]) -> bool {
        actions.iter().any(|a| self.covers_action(a))
    }

    /// True if a condition limits the statement to known accounts, organisations or sources.
    pub fn has_restricting_condition(&self) -> bool {
        self.conditions
            .iter()
            .any(|c| RESTRICTING_CONDITION_KEYS.contains(&c.key.as_str()) && !c.values.iter().any(|v| v == "*"))
    }

    /// An `Allow` that anyone can use: a public principal (or `NotPrincipal`)
    /// with no restricting condition.
    pub fn is_public_allow(&self) -> bool {
        self.effect == Effect::Allow
            && (self.not_principal || self.principals.contains(&Principal::Public))
            && !self.has_restricting_condition()
    }
}

/// The principals `Allow` statements grant any of `actions` to (every action
/// when `actions` is empty). A `NotPrincipal` statement grants everyone else,
/// so it yields [`Principal::Public`].
pub fn allowed_principals<'a>(statements: &'a [Statement], actions: &'a [&str]) -> impl Iterator<Item = &'a Principal> {
    const EVERYONE: &Principal = &Principal::Public;
    statements
        .iter()
        .filter(move |s| s.effect == Effect::Allow && (actions.is_empty() || s.covers_any(actions)))
        .flat_map(|s| {
            let everyone = s.not_principal.then_some(EVERYONE);
            s.principals.iter().filter(move |_| !s.not_principal).chain(everyone)
        })
}

/// Who a principal is, relative to the account being evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalClass {
    /// The account itself (`arn:aws:iam::<account>:root` or the bare id):
    /// delegates to the account's IAM policies.
    AccountRoot,
    /// A user, role or session in the same account.
    SameAccount,
    /// Another account of the organisation.
    OrgAccount(String),
    /// An account outside the organisation.
    ExternalAccount(String),
    /// An AWS service principal.
    AwsService,
    /// Anyone.
    Public,
    /// Federated, canonical user, or unparseable.
    Unknown,
}

/// The account id in a principal (a bare 12-digit id or an ARN's account field).
pub fn account_of(principal: &str) -> Option<&str> {
    let candidate = if principal.starts_with("arn:") { principal.split(':').nth(4)? } else { principal };
    (candidate.len() == 12 && candidate.bytes().all(|b| b.is_ascii_digit())).then_some(candidate)
}

/// Classifies a principal relative to `scope`'s account and the audited organisation.
pub fn classify(principal: &Principal, scope: &AccountScope) -> PrincipalClass {
    classify_with(principal, &scope.account_id, |account| scope.in_organisation(account))
}

/// Classifies a principal relative to `account_id`, with `is_member` telling
/// which other accounts belong to the organisation.
pub fn classify_with(principal: &Principal, account_id: &str, is_member: impl Fn(&str) -> bool) -> PrincipalClass {
    match principal {
        Principal::Public => PrincipalClass::Public,
        Principal::Service(_) => PrincipalClass::AwsService,
        Principal::Other(_) => PrincipalClass::Unknown,
        Principal::Aws(id) => match account_of(id) {
            None => PrincipalClass::Unknown,
            Some(account) if account == account_id => {
                if id == account || id.ends_with(":root") {
                    PrincipalClass::AccountRoot
                } else {
                    PrincipalClass::SameAccount
                }
            }
            Some(account) if is_member(account) => PrincipalClass::OrgAccount(account.to_owned()),
            Some(account) => PrincipalClass::ExternalAccount(account.to_owned()),
        },
    }
}

/// A principal's display name for evidence.
pub fn principal_name(principal: &Principal) -> String {
    match principal {
        Principal::Public => "*".to_owned(),
        Principal::Aws(id) | Principal::Service(id) | Principal::Other(id) => id.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        assert!(wildcard_match("kms:*", "kms:Decrypt"));
        assert!(wildcard_match("KMS:put*", "kms:PutKeyPolicy"));
        assert!(wildcard_match("*", "kms:Encrypt"));
        assert!(wildcard_match("kms:Re*From", "kms:ReEncryptFrom"));
        assert!(!wildcard_match("kms:Get*", "kms:Decrypt"));
        assert!(wildcard_match("kms:?ecrypt", "kms:Decrypt"));
        assert!(wildcard_match("kms:*Key*", "kms:PutKeyPolicy"));
        assert!(!wildcard_match("kms:*Key", "kms:PutKeyPolicy"));
        assert!(wildcard_match("kms:**", "kms:Decrypt"));
        assert!(!wildcard_match("", "kms:Decrypt"));
        assert!(wildcard_match("", ""));
    }

    #[test]
    fn public_statement_needs_no_restricting_condition() {
        let open = r#"{"Statement":{"Effect":"Allow","Principal":"*","Action":"kms:Decrypt","Resource":"*"}}"#;
        assert!(parse(open).unwrap()[0].is_public_allow());
        let org_only = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:Decrypt",
            "Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}}]}"#;
        assert!(!parse(org_only).unwrap()[0].is_public_allow());
        let wildcard_condition = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"kms:Decrypt",
            "Condition":{"StringLike":{"kms:CallerAccount":"*"}}}]}"#;
        assert!(parse(wildcard_condition).unwrap()[0].is_public_allow());
    }

    #[test]
    fn principals_are_classified() {
        let is_member = |account: &str| ["111111111111", "222222222222"].contains(&account);
        let classify = |p: &Principal| classify_with(p, "111111111111", is_member);
        let class = |p: &str| classify(&Principal::Aws(p.into()));
        assert_eq!(class("arn:aws:iam::111111111111:root"), PrincipalClass::AccountRoot);
        assert_eq!(class("111111111111"), PrincipalClass::AccountRoot);
        assert_eq!(class("arn:aws:iam::111111111111:role/admin"), PrincipalClass::SameAccount);
        assert_eq!(class("arn:aws:iam::222222222222:root"), PrincipalClass::OrgAccount("222222222222".into()));
        assert_eq!(class("arn:aws:iam::999999999999:root"), PrincipalClass::ExternalAccount("999999999999".into()));
        assert_eq!(classify(&Principal::Service("logs.amazonaws.com".into())), PrincipalClass::AwsService);
    }

    #[test]
    fn allowed_principals_of_actions() {
        let p = r#"{"Statement":[
            {"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111111111111:role/a","arn:aws:iam::111111111111:role/b"]},"Action":"kms:Decrypt"},
            {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111111111111:role/admin"},"Action":"kms:Put*"},
            {"Effect":"Deny","Principal":{"AWS":"arn:aws:iam::111111111111:role/c"},"Action":"kms:Decrypt"},
            {"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::111111111111:role/d"},"Action":"kms:Encrypt"}]}"#;
        let statements = parse(p).unwrap();
        let names = |actions: &[&str]| allowed_principals(&statements, actions).map(principal_name).collect::<Vec<_>>();
        assert_eq!(names(USAGE_ACTIONS), ["arn:aws:iam::111111111111:role/a", "arn:aws:iam::111111111111:role/b", "*"]);
        assert_eq!(names(ADMIN_ACTIONS), ["arn:aws:iam::111111111111:role/admin"]);
        assert_eq!(names(&[]).len(), 4);
    }

    #[test]
    fn condition_values_may_be_booleans_or_numbers() {
        let p = r#"{"Statement":{"Effect":"Deny","Principal":"*","Action":"kms:*",
            "Condition":{"Bool":{"aws:SecureTransport":false},"NumericLessThan":{"kms:X":[5, 2.5]}}}}"#;
        let conditions = &parse(p).unwrap()[0].conditions;
        let values: Vec<(&str, &[String])> = conditions.iter().map(|c| (c.key.as_str(), c.values.as_slice())).collect();
        assert_eq!(
            values,
            [("aws:securetransport", &["false".to_owned()][..]), ("kms:x", &["5".into(), "2.5".into()][..])]
        );
    }

    #[test]
    fn not_action_covers_everything_else() {
        let p = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"x"},"NotAction":"kms:Decrypt"}]}"#;
        let st = &parse(p).unwrap()[0];
        assert!(st.covers_action("kms:PutKeyPolicy"));
        assert!(!st.covers_action("kms:Decrypt"));
    }
}
