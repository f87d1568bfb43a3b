//! secret-not-public: no secret's resource policy lets anyone read it.

use keyaudit_rule_sdk::frameworks::*;
use keyaudit_rule_sdk::policy::principal_name;
use keyaudit_rule_sdk::*;

struct NotPublic;

impl Guest for NotPublic {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "secret-not-public".into(),
            title: "Secrets Manager secrets are not public".into(),
            description: "No Allow statement in a secret's resource policy has a wildcard principal (or \
                          NotPrincipal) without a condition that restricts it to known accounts, organisations \
                          or sources."
                .into(),
            severity: Severity::Critical,
            reads: vec![reads(secrets::KIND, &[secrets::group::RESOURCE_POLICY])],
            parameters: vec![],
            frameworks: vec![maps_to(PROWLER, "secretsmanager_not_publicly_accessible")],
            remediation: "Replace the wildcard principal with the accounts or roles that need the secret, or add \
                          an aws:PrincipalOrgID condition: aws secretsmanager put-resource-policy."
                .into(),
            references: vec![
                "https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_resource-policies.html"
                    .into(),
            ],
        }
    }

    fn evaluate(_scope: AccountScope) -> Result<Vec<Finding>, String> {
        let all = secrets::list();
        Ok(items(&all)
            .map(|s| match s.policy_statements() {
                Err(problem) => s.error(format!("the resource policy {problem}")),
                Ok(statements) => {
                    let public: Vec<String> = statements
                        .iter()
                        .filter(|st| st.is_public_allow())
                        .map(|st| {
                            let who = st.principals.iter().map(principal_name).collect::<Vec<_>>().join(",");
                            format!("{} ({who}: {})", st.sid.as_deref().unwrap_or("no Sid"), st.actions.join(","))
                        })
                        .collect();
                    if public.is_empty() {
                        let what = if statements.is_empty() { "no resource policy" } else { "no public access" };
                        s.pass(what, vec![])
                    } else {
                        s.fail(
                            "the resource policy lets anyone use the secret",
                            vec![("public_statements", public.join("; "))],
                        )
                    }
                }
            })
            .collect())
    }
}

export_rule!(NotPublic);
