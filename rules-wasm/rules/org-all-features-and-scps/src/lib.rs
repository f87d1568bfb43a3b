//! org-all-features-and-scps: the account is in an AWS Organization with
//! all features enabled and the service control policy type enabled on its
//! root (seed 000, step 10).

use keyaudit_rule_sdk::frameworks::*;
use keyaudit_rule_sdk::organizations::{self, ORGANIZATION};
use keyaudit_rule_sdk::*;

struct AllFeaturesAndScps;

impl Guest for AllFeaturesAndScps {
    fn metadata() -> RuleMetadata {
        RuleMetadata {
            id: "org-all-features-and-scps".into(),
            title: "The account is in an organisation with all features and SCPs enabled".into(),
            description: "The account belongs to the audited AWS Organization, whose feature set is ALL (not \
                          consolidated billing only) and whose root has the SERVICE_CONTROL_POLICY type \
                          enabled, so that key-management guardrails can be enforced across accounts."
                .into(),
            severity: Severity::Medium,
            reads: vec![reads(ORGANIZATION, &[])],
            parameters: vec![],
            frameworks: vec![maps_to(FEDRAMP, "KSI-SVC-06"), maps_to(WELL_ARCHITECTED, "SEC08-BP01")],
            remediation: "Enable all features (aws organizations enable-all-features) and the SCP policy type \
                          (aws organizations enable-policy-type --root-id r-… --policy-type \
                          SERVICE_CONTROL_POLICY)."
                .into(),
            references: vec![
                "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_org_support-all-features.html"
                    .into(),
                "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html".into(),
            ],
        }
    }

    fn evaluate(scope: AccountScope) -> Result<Vec<Finding>, String> {
        let finding = |status, message: String, evidence| account_finding(None, status, message, evidence);
        let Some(org) = organizations::organization() else {
            // Listed and empty: the scanning account is in no organisation.
            return Ok(vec![finding(Status::Fail, "not in an AWS Organization".into(), vec![])]);
        };
        if scope.org_id.is_empty() {
            return Ok(vec![finding(
                Status::Error,
                "the account's organisation is unknown (accounts were given as a list, not discovered)".into(),
                vec![],
            )]);
        }
        if scope.org_id != org.id {
            return Ok(vec![finding(
                Status::Error,
                format!("the account is in organisation {}, not {} whose settings were read", scope.org_id, org.id),
                vec![],
            )]);
        }
        let Some(feature_set) = org.feature_set.clone() else {
            return Ok(vec![finding(Status::Error, "the organisation's feature set is unknown".into(), vec![])]);
        };
        let evidence = |roots: String| vec![("feature_set", feature_set.clone()), ("roots_without_scps", roots)];
        if feature_set != "ALL" {
            return Ok(vec![finding(
                Status::Fail,
                format!("the organisation's feature set is {feature_set}: SCPs cannot be used"),
                evidence(String::new()),
            )]);
        }
        Ok(vec![match org.roots_without_scps() {
            None => finding(Status::Error, "the organisation's roots could not be read".into(), vec![]),
            Some(roots) if roots.is_empty() => finding(
                Status::Pass,
                "all features enabled, service control policies enabled on the root".into(),
                evidence(String::new()),
            ),
            Some(roots) => finding(
                Status::Fail,
                format!("service control policies are not enabled on root {}", roots.join(", ")),
                evidence(roots.join(",")),
            ),
        }])
    }
}

export_rule!(AllFeaturesAndScps);
