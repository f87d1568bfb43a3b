//! org-scp-protects-keys: a service control policy in effect for the
//! account denies scheduling key deletion, disabling keys and replacing key
//! policies on every key, to every principal but a break-glass role.

use keyaudit_rule_sdk::frameworks::*;
use keyaudit_rule_sdk::organizations::{self, Coverage, ORGANIZATION, SCP, exempts_only_roles};
use keyaudit_rule_sdk::*;

/// The actions a protecting SCP must deny (the catalogue's).
const PROTECTED_ACTIONS: [&str; 3] = ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy"];

struct ScpProtectsKeys;

impl Guest for ScpProtectsKeys {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "org-scp-protects-keys".into(),
            title: "An SCP denies destroying or taking over keys outside a break-glass role".into(),
            description: "A service control policy attached to the account, an OU on its path or the root \
                          denies kms:ScheduleKeyDeletion, kms:DisableKey and kms:PutKeyPolicy on every key, \
                          to every principal except named break-glass roles (an aws:PrincipalArn exemption). \
                          A Deny limited to some keys, regions or other conditions does not count. SCPs never \
                          restrict the management account: it is reported as INFO."
                .into(),
            severity: Severity::High,
            reads: vec![
                reads(ORGANIZATION, &[]),
                reads(SCP, &[organizations::group::DOCUMENT, organizations::group::TARGETS]),
            ],
            parameters: vec![parameter(
                "break_glass_roles",
                "Role names (wildcards allowed) an SCP may exempt; empty accepts any exemption that names \
                 specific roles",
                ParamValue::TextList(vec![]),
            )],
            frameworks: vec![maps_to(FEDRAMP, "KSI-SVC-06"), maps_to(WELL_ARCHITECTED, "SEC08-BP01")],
            remediation: "Attach an SCP with a Deny of kms:ScheduleKeyDeletion, kms:DisableKey and \
                          kms:PutKeyPolicy on Resource \"*\", with only an ArnNotLike aws:PrincipalArn \
                          condition naming the break-glass role, to the root or the account's OU."
                .into(),
            references: vec![
                "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_examples.html"
                    .into(),
                "https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html".into(),
            ],
        }
    }

    fn evaluate(scope: AccountScope) -> Result<Vec<Finding>, String> {
        let finding = |status, message: String, evidence| vec![account_finding(None, status, message, evidence)];
        let Some(org) = organizations::organization() else {
            return Ok(finding(Status::Fail, "not in an AWS Organization: no SCP can protect its keys".into(), vec![]));
        };
        match org.management_account_id.as_deref() {
            Some(id) if id == scope.account_id => {
                return Ok(finding(
                    Status::Info,
                    "the management account: SCPs never restrict it; protect its keys with key policies".into(),
                    vec![],
                ));
            }
            Some(_) => {}
            None => {
                return Ok(finding(Status::Error, "the organisation's management account is unknown".into(), vec![]));
            }
        }
        match org.roots_without_scps() {
            None => return Ok(finding(Status::Error, "the organisation's roots could not be read".into(), vec![])),
            Some(roots) if !roots.is_empty() => {
                return Ok(finding(
                    Status::Fail,
                    format!("service control policies are not enabled on root {}", roots.join(", ")),
                    vec![],
                ));
            }
            Some(_) => {}
        }
        let allowed = scope.text_list("break_glass_roles")?.to_vec();
        let partition = org.arn.split(':').nth(1).unwrap_or("aws");
        // Per action: the SCPs in effect that deny it fully, and why others fall short.
        let mut protecting: Vec<Vec<String>> = vec![Vec::new(); PROTECTED_ACTIONS.len()];
        let mut short: Vec<Vec<String>> = vec![Vec::new(); PROTECTED_ACTIONS.len()];
        for policy in organizations::policies() {
            match policy.applies() {
                None => {
                    return Ok(finding(
                        Status::Error,
                        format!("where SCP {} applies is unknown (its targets or the account's OU path)", policy.name),
                        vec![],
                    ));
                }
                Some(false) => continue,
                Some(true) => {}
            }
            let statements = match organizations::statements(&policy) {
                Ok(statements) => statements,
                Err(problem) => return Ok(finding(Status::Error, problem, vec![])),
            };
            for (i, action) in PROTECTED_ACTIONS.iter().enumerate() {
                match organizations::coverage(&statements, action, partition) {
                    None => {}
                    Some(Coverage::Everyone) => protecting[i].push(policy.name.clone()),
                    Some(Coverage::AllBut(exempt)) if exempts_only_roles(&exempt, &allowed) => {
                        protecting[i].push(policy.name.clone())
                    }
                    Some(Coverage::AllBut(exempt)) => short[i].push(format!(
                        "{} exempts {}, not only break-glass roles",
                        policy.name,
                        exempt.join(", ")
                    )),
                    Some(Coverage::Partial(why)) => short[i].push(format!("{}: {why}", policy.name)),
                }
            }
        }
        let evidence: Vec<(&str, String)> =
            PROTECTED_ACTIONS.iter().zip(&protecting).map(|(action, by)| (*action, by.join(","))).collect();
        let unprotected: Vec<String> = PROTECTED_ACTIONS
            .iter()
            .zip(protecting.iter().zip(&short))
            .filter(|(_, (by, _))| by.is_empty())
            .map(
                |(action, (_, why))| {
                    if why.is_empty() { (*action).to_owned() } else { format!("{action} ({})", why.join("; ")) }
                },
            )
            .collect();
        Ok(if unprotected.is_empty() {
            finding(
                Status::Pass,
                "service control policies deny key deletion, disabling and policy changes".into(),
                evidence,
            )
        } else {
            finding(Status::Fail, format!("no SCP in effect fully denies {}", unprotected.join(", ")), evidence)
        })
    }
}

export_rule!(ScpProtectsKeys);
