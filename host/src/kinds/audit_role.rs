//! The audit role's CloudFormation template, with its IAM policy derived
//! from the registry: every API a kind may call, and an explicit deny of
//! everything that reads secret material. `keyaudit generate audit-role`
//! prints it; `examples/deploy/audit-role.yaml` is its checked-in copy.

use super::audit_role_actions;

/// Actions keyaudit never calls and the role denies outright: values of
/// secrets and parameters, key use, exported private keys.
pub const DENIED_ACTIONS: &[&str] = &[
    "acm:ExportCertificate",
    "kms:Decrypt",
    "kms:GenerateDataKey*",
    "kms:ReEncrypt*",
    "secretsmanager:BatchGetSecretValue",
    "secretsmanager:GetSecretValue",
    "ssm:GetParameter",
    "ssm:GetParameterHistory",
    "ssm:GetParameters",
    "ssm:GetParametersByPath",
];

/// The CloudFormation template of the audit role.
pub fn cloudformation() -> String {
    let list =
        |actions: &[&str]| actions.iter().map(|a| format!("                  - {a}")).collect::<Vec<_>>().join("\n");
    include_str!("audit-role.yaml.in")
        .replace("{{ACTIONS}}", &list(&audit_role_actions()))
        .replace("{{DENIED}}", &list(DENIED_ACTIONS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_kind_calls_a_denied_action_and_every_action_is_granted() {
        let granted = audit_role_actions();
        for action in &granted {
            let denied = DENIED_ACTIONS
                .iter()
                .any(|d| crate::kinds::glob(&d.to_ascii_lowercase(), &action.to_ascii_lowercase()));
            assert!(!denied, "{action} is both called and denied");
        }
        for kind in super::super::ALL {
            // Organisation-level kinds are read with the scanning credentials, not the audit role.
            let in_accounts = kind.info().level != crate::inventory::Level::Organisation;
            for api in kind.info().apis {
                assert_eq!(granted.contains(&api.name), in_accounts, "{} is granted to the audit role", api.name);
            }
        }
        assert!(cloudformation().contains("- kms:GetKeyPolicy"));
    }
}
